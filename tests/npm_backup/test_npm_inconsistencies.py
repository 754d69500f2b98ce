"""How the SDK absorbs the reference's inconsistencies, one test each.

The list is in the steering repository's research notes (``shared/research/npm_backup.md``,
section 4.3, items 1-14); each test's docstring names the item it covers.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from backup_sdk.errors import NotFoundError, ValidationError
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
    RestoreOperation,
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
SimAndClient = tuple[NpmBackupSimulator, NpmBackupClient]


@pytest.fixture
def sim_and_client() -> Iterator[SimAndClient]:
    with NpmBackupSimulator(servers=1, backups_per_server=0) as sim:
        client = NpmBackupClient(base_url=sim.url, username=sim.username, password=sim.password)
        with client:
            yield sim, client


def test_size_fields_carry_their_unit_in_the_attribute_name() -> None:
    """Item 1: bytes in some sizes, kilobytes in others, no unit in one."""
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
def test_timestamps_decode_from_any_reported_form_and_encode_back_unchanged(raw: object) -> None:
    """Item 2: timestamp units are unspecified."""
    op = converter.structure(
        {"operation_type": "backup", "start_time": raw, "status": "started", "status_message": ""},
        OperationInfo,
    )
    assert op.start_time == BASE
    assert converter.unstructure(op)["start_time"] == raw, "the wire value goes back unchanged"


def test_recurrence_dtstart_and_until_accept_ints_and_strings_both_ways() -> None:
    """Item 3: ``dtstart`` is an int, ``until`` a string."""
    rule = converter.structure(
        {"freq": "DAILY", "dtstart": "1700000000", "until": 1_800_000_000}, RecurrenceRule
    )
    assert rule.dtstart == BASE
    assert rule.until is not None and rule.until.year == 2027
    out = converter.unstructure(rule)
    assert out["dtstart"] == "1700000000"
    assert out["until"] == 1_800_000_000


def test_integer_and_uuid_ids_and_renamed_schedule_ids_are_kept() -> None:
    """Item 4: id types and names differ between resources."""
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
def test_status_is_an_open_enum_that_accepts_1_0_values(value: str) -> None:
    """Item 5: statuses from the 1.0 service still arrive."""
    backup = converter.structure({"id": "b", "status": value}, CompletedBackup)
    assert backup.status == value
    assert backup.status.is_unknown is (value == "paused")
    assert Status("completed_with_errors").is_success
    assert Status("completed_with_errors").is_terminal


def test_missing_items_are_empty_lists_and_backup_paths_are_hidden() -> None:
    """Item 6: optional ``items`` and asymmetric backup paths."""
    assert converter.structure({}, Servers).items == []
    assert converter.structure({}, ScheduledBackups).items == []
    with NpmBackupSimulator(servers=1, backups_per_server=0) as sim:
        client = NpmBackupClient(base_url=sim.url, username=sim.username, password=sim.password)
        sim.state.schedules.clear()
        assert client.scheduled_backups.list() == []
        assert client.backups.list(1) == []
    assert resources.DEFAULT_PATHS["backups"] == "/backups/server/{server_id}"
    assert resources.DEFAULT_PATHS["completed_backup"].startswith("/completed_backups/server/")


def test_a_backups_status_is_read_but_never_sent(sim_and_client: SimAndClient) -> None:
    """Item 7: ``completed_backup.status`` is not marked read-only, but the server owns it."""
    sim, client = sim_and_client
    op = client.backups.start(1, "adhoc", "before upgrade")
    sent = sim.received("/start")[-1].json()
    assert sent == {
        "name": "adhoc",
        "desc": "before upgrade",
        "contents": {"config_only": False, "modules": []},
    }
    listed = [b for b in client.backups.list(1) if b.id == op.backup_id]  # type: ignore[attr-defined]
    assert listed[0].status is Status.STARTED, "kept when read"


def test_option_values_stay_strings_and_module_names_are_not_rejected() -> None:
    """Item 8: string option values, an unanchored name pattern."""
    sel = converter.structure(
        {"module": "packets", "options": [{"name": "max_age_days", "value": "30"}]},
        ModuleSelection,
    )
    assert sel.options[0].value == "30"
    weird = converter.structure({"short_name": "odd name!", "group": "g"}, Module)
    assert weird.short_name == "odd name!", "the unanchored pattern is not enforced on read"


def test_reset_factory_and_unknown_operations_decode() -> None:
    """Item 9: ``current_operation`` cannot describe a factory reset."""
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


def test_copy_paste_errors_of_the_reference_do_not_shape_the_models() -> None:
    """Item 10: ``latest_restore`` is described as backup information, and the rule that
    ``count`` and ``until`` exclude each other is a to-do in the reference."""
    status = converter.structure(
        {
            "system_id": "s",
            "available_backup_modules": [],
            "available_restore_modules": [],
            "latest_restore": {
                "operation_type": "restore",
                "start_time": 5,
                "status": "completed",
                "status_message": "",
                "backup_id": "b-1",
            },
        },
        DeviceStatus,
    )
    assert isinstance(status.latest_restore, RestoreOperation)
    assert status.latest_restore.backup_id == "b-1"
    with pytest.raises(ValidationError, match="count or until"):
        RecurrenceRule(freq=Frequency.DAILY, count=2, until=UnixTime.from_raw(1)).validate()


def test_upload_sends_the_raw_file_as_octet_stream() -> None:
    """Item 11: the upload takes the raw file, not a JSON body."""
    with NpmBackupSimulator(servers=1, backups_per_server=0) as sim:
        client = NpmBackupClient(base_url=sim.url, username=sim.username, password=sim.password)
        uploaded = client.backups.upload(1, b"\x1f\x8b raw backup bytes")
        request = sim.received("/upload")[-1]
        assert request.body == b"\x1f\x8b raw backup bytes"
        assert request.headers["Content-Type"] == "application/octet-stream"
        assert uploaded.size_bytes == len(request.body)


def test_a_generated_private_key_is_never_shown() -> None:
    """Item 12: ``new_private_key`` may come back in a response."""
    server = Server(name="f", host="h", new_private_key="-----BEGIN RSA PRIVATE KEY-----abc")
    assert "PRIVATE" not in repr(server)
    assert request_body(server, Server.READ_ONLY)["new_private_key"].startswith("-----BEGIN")


def test_https_and_certificate_verification_by_default() -> None:
    """Item 13: the documentation's examples say ``http://``."""
    client = NpmBackupClient("appliance.example", username="u", password="p")
    assert client.base_url.startswith("https://")
    assert client._transport.verify is True


def test_inferred_endpoint_paths_can_be_overridden(tmp_path: Path) -> None:
    """Item 14: the reference lists no links, so the download path is inferred; an
    appliance that serves it elsewhere is reached through ``paths=``."""
    with NpmBackupSimulator(servers=1, backups_per_server=1) as sim:
        moved = "/completed_backups/server/{server_id}/items/{id}/download"
        client = NpmBackupClient(
            base_url=sim.url,
            username=sim.username,
            password=sim.password,
            paths={"completed_backup_file": moved},
        )
        backup = client.backups.list(1)[0]
        with pytest.raises(NotFoundError):
            client.completed_backups.download(1, backup.id, tmp_path / "b.tgz")
        assert sim.received("/download")[-1].path.endswith(f"/items/{backup.id}/download")
        assert sim.received("/file") == []
        assert list(tmp_path.iterdir()) == [], "no partial file is left"


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
