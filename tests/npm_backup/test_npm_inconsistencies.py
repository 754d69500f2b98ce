"""The 14 inconsistencies of the reference (research npm_backup.md §4.3), one test each."""

from __future__ import annotations

import inspect
from datetime import datetime, timezone

import pytest

from backup_sdk.errors import ValidationError
from backup_sdk.models import UnixTime
from npm_backup_sdk import (
    BackupSize,
    CompletedBackup,
    CurrentOperation,
    DeviceStatus,
    FactoryResetOperation,
    Frequency,
    Module,
    ModuleSelection,
    NpmBackupClient,
    OperationDetailsRestore,
    OperationInfo,
    RecurrenceRule,
    ScheduledBackup,
    ScheduledBackups,
    Server,
    Servers,
    Status,
    UnknownOperation,
    resources,
)
from npm_backup_sdk.models import converter, request_body
from npm_backup_sdk.testing import NpmBackupSimulator

BASE = datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)


def test_01_size_units_are_in_the_names() -> None:
    backup = converter.structure({"id": "b", "size": 2048}, CompletedBackup)
    assert backup.size_bytes == 2048
    restore = converter.structure({"size": 10}, OperationDetailsRestore)
    assert restore.size_bytes == 10
    estimate = converter.structure(
        {"total_size": 7, "data_size": [{"module": "config", "size": 3}, {"size": 4}]}, BackupSize
    )
    assert [d.size_kb for d in estimate.data_size] == [3, 4]
    assert estimate.modules_kb == 7
    assert estimate.total_size == 7, "kept as sent: the reference gives it no unit"


@pytest.mark.parametrize(
    "raw", [1_700_000_000, 1_700_000_000.0, "1700000000", 1_700_000_000_000, "1700000000000000000"]
)
def test_02_timestamps_in_any_reported_form(raw: object) -> None:
    op = converter.structure(
        {"operation_type": "backup", "start_time": raw, "status": "started", "status_message": ""},
        OperationInfo,
    )
    assert op.start_time == BASE
    assert converter.unstructure(op)["start_time"] == raw, "the wire value goes back unchanged"


def test_03_dtstart_int_and_until_string_both_accepted_both_ways() -> None:
    rule = converter.structure(
        {"freq": "DAILY", "dtstart": "1700000000", "until": 1_800_000_000}, RecurrenceRule
    )
    assert rule.dtstart == BASE
    assert rule.until is not None and rule.until.year == 2027
    out = converter.unstructure(rule)
    assert out["dtstart"] == "1700000000"
    assert out["until"] == 1_800_000_000


def test_04_id_types_differ_and_are_kept() -> None:
    server = converter.structure({"id": 3, "name": "f", "host": "h"}, Server)
    backup = converter.structure(
        {"id": "7c1e-uuid", "server_id": 3, "sid": "sched-1"}, CompletedBackup
    )
    assert server.id == 3
    assert backup.id == "7c1e-uuid"
    assert backup.schedule_id == "sched-1", "`sid` on the wire"
    op = converter.structure(
        {
            "operation_type": "backup",
            "start_time": 1,
            "status": "started",
            "status_message": "",
            "sbu_id": "sched-1",
            "backup_id": "7c1e-uuid",
            "name": "n",
            "server_name": "f",
        },
        OperationInfo,
    )
    assert op.schedule_id == "sched-1", "`sbu_id` on the wire"  # type: ignore[attr-defined]


@pytest.mark.parametrize("value", ["uploading", "not_run", "completed_with_errors", "paused"])
def test_05_status_is_open_and_accepts_1_0_values(value: str) -> None:
    backup = converter.structure({"id": "b", "status": value}, CompletedBackup)
    assert backup.status == value
    assert backup.status.is_unknown is (value == "paused")
    assert Status("completed_with_errors").is_success
    assert Status("completed_with_errors").is_terminal


def test_06_missing_items_are_empty_and_backups_hide_the_odd_paths() -> None:
    assert converter.structure({}, Servers).items == []
    assert converter.structure({}, ScheduledBackups).items == []
    with NpmBackupSimulator(servers=1, backups_per_server=0) as sim:
        client = NpmBackupClient(base_url=sim.url, username=sim.username, password=sim.password)
        sim.state.schedules.clear()
        assert client.scheduled_backups.list() == []
        assert client.backups.list(1) == []
    assert resources.DEFAULT_PATHS["backups"] == "/backups/server/{server_id}"
    assert resources.DEFAULT_PATHS["completed_backup"].startswith("/completed_backups/server/")


def test_07_completed_backup_status_is_never_sent() -> None:
    source = inspect.getsource(resources.BackupsAPI.start)
    assert '"status"' not in source
    backup = converter.structure({"id": "b", "status": "started"}, CompletedBackup)
    assert converter.unstructure(backup)["status"] == "started", "kept when read"


def test_08_option_values_are_strings_and_short_names_unchecked() -> None:
    sel = converter.structure(
        {"module": "packets", "options": [{"name": "max_age_days", "value": "30"}]},
        ModuleSelection,
    )
    assert sel.options[0].value == "30"
    weird = converter.structure({"short_name": "odd name!", "group": "g"}, Module)
    assert weird.short_name == "odd name!", "the unanchored pattern is not enforced on read"


def test_09_reset_factory_current_operation_does_not_crash() -> None:
    status = converter.structure(
        {
            "system_id": "s",
            "available_backup_modules": [],
            "available_restore_modules": [],
            "current_operation": {
                "info": {
                    "operation_type": "reset-factory",
                    "start_time": 5,
                    "status": "started",
                    "status_message": "wiping",
                },
                "progress": {"completed": 1, "total": 3, "status_message": ""},
            },
        },
        DeviceStatus,
    )
    current = status.current_operation
    assert isinstance(current, CurrentOperation)
    assert isinstance(current.info, FactoryResetOperation)
    assert current.backup_details is None and current.restore_details is None
    unknown = converter.structure(
        {
            "operation_type": "firmware-upgrade",
            "start_time": 5,
            "status": "started",
            "status_message": "",
            "stage": 2,
        },
        OperationInfo,
    )
    assert isinstance(unknown, UnknownOperation)
    assert unknown.extra_fields == {"stage": 2}
    assert converter.unstructure(unknown)["operation_type"] == "firmware-upgrade"


def test_10_docstrings_are_our_own() -> None:
    for cls in (ScheduledBackup, RecurrenceRule, DeviceStatus):
        doc = inspect.getdoc(cls) or ""
        assert "TODO" not in doc
        assert "report schedule" not in doc
        assert "A schedule backup" not in doc


def test_11_upload_sends_the_raw_file(tmp_path: object) -> None:
    with NpmBackupSimulator(servers=1, backups_per_server=0) as sim:
        client = NpmBackupClient(base_url=sim.url, username=sim.username, password=sim.password)
        uploaded = client.backups.upload(1, b"\x1f\x8b raw backup bytes")
        request = sim.received("/upload")[-1]
        assert request.body == b"\x1f\x8b raw backup bytes"
        assert request.headers["Content-Type"] == "application/octet-stream"
        assert uploaded.size_bytes == len(request.body)


def test_12_private_key_is_a_secret() -> None:
    server = Server(name="f", host="h", new_private_key="-----BEGIN RSA PRIVATE KEY-----abc")
    assert "PRIVATE" not in repr(server)
    assert request_body(server, Server.READ_ONLY)["new_private_key"].startswith("-----BEGIN")


def test_13_https_by_default_and_verification_on() -> None:
    client = NpmBackupClient("appliance.example", username="u", password="p")
    assert client.base_url.startswith("https://")
    assert client._transport.verify is True


def test_14_inferred_actions_are_documented_and_overridable() -> None:
    for method in (
        resources.CompletedBackupsAPI.delete,
        resources.CompletedBackupsAPI.iter_download,
        resources.CompletedBackupsAPI.restore,
    ):
        assert "inferred" in (method.__doc__ or "")
    client = NpmBackupClient(
        "appliance.example",
        username="u",
        password="p",
        paths={
            "completed_backup_file": "/completed_backups/server/{server_id}/items/{id}/download"
        },
    )
    assert client._path("completed_backup_file", server_id=1, id="x").endswith("/x/download")


def test_recurrence_rule_validation_ranges() -> None:
    ok = RecurrenceRule(freq=Frequency.MONTHLY, bymonthday=[-1, 15], bysetpos=[1])
    ok.validate()
    with pytest.raises(ValidationError) as info:
        RecurrenceRule(freq=Frequency.MONTHLY, bymonthday=[0], bysetpos=[2]).validate()
    assert "bymonthday value 0" in str(info.value)
    with pytest.raises(ValidationError, match="bysetpos needs another"):
        RecurrenceRule(freq=Frequency.YEARLY, bysetpos=[1]).validate()
    with pytest.raises(ValidationError, match="count must be"):
        RecurrenceRule(freq=Frequency.DAILY, count=0).validate()
    assert RecurrenceRule(freq=Frequency.DAILY, until=UnixTime.from_raw(1)).problems() == []


def test_a_schedule_built_in_code_encodes_its_times() -> None:
    rule = RecurrenceRule(freq=Frequency.DAILY, until=UnixTime.from_raw("1800000000"))
    body = request_body(
        ScheduledBackup(name="n", server_id=1, rrule=rule), ScheduledBackup.READ_ONLY
    )
    assert body["rrule"]["until"] == "1800000000"
    assert "dtstart" not in body["rrule"], "unset optionals are left out"
