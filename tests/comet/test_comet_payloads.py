"""25.9.6-shaped payloads, replayed from a cassette recorded against the simulator: jobs with
the newer fields, protected items with their backup rules, job counts by tag, bytes sent as
an array, and the user-web API. Each decodes, and encodes back to what was received.

Re-record (against the simulator):
    BACKUP_SDK_RECORD=all python -m pytest tests/comet/test_comet_payloads.py
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backup_sdk.testing import SimClock
from backup_sdk.testing.cassettes import assert_cassette_clean, use_cassette
from comet_sdk import CometAdminClient, CometUserClient
from comet_sdk.models import BackupJobDetail, SearchClause, converter
from comet_sdk.testing import CometFleetSpec, CometSimulator

HERE = Path(__file__).parent
CASSETTE = HERE / "cassettes" / "comet_25_9_6_payloads.yaml"
PASSWORD = "Comet-Admin-Canary-5513"
USER_PASSWORD = "Comet-User-Canary-8820"
USER = "customer-001"
#: The simulated "now" the cassette was recorded at.
RECORDED_AT = 1_796_000_000


def _contains(big: Any, small: Any) -> bool:
    """Everything of ``small`` is in ``big``, unchanged (``big`` may add defaults)."""
    if isinstance(small, dict):
        return isinstance(big, dict) and all(
            key in big and _contains(big[key], value) for key, value in small.items()
        )
    if isinstance(small, list):
        return (
            isinstance(big, list)
            and len(big) == len(small)
            and all(_contains(b, s) for b, s in zip(big, small, strict=True))
        )
    return bool(big == small) and type(big) is type(small)


def _lossless(decoded: Any, raw: Any, cls: Any) -> None:
    written = converter.unstructure(decoded)
    assert _contains(written, raw), "what was received is written back as it was"
    assert converter.structure(written, cls) == decoded, "and decodes to the same"


def test_25_9_6_payloads_decode_and_round_trip() -> None:
    clock = SimClock(start=RECORDED_AT, frozen=True)
    fleet = CometFleetSpec(users=3, jobs=30, days=1, running=2, seed=17)
    with CometSimulator(fleet=fleet, password=PASSWORD, clock=clock) as sim:
        sim.user_passwords[USER] = USER_PASSWORD
        with use_cassette(CASSETTE):
            admin = CometAdminClient(
                sim.url, username=sim.username, password=PASSWORD, use_session=True
            )
            window = {"Start": RECORDED_AT - 2 * 86_400, "End": RECORDED_AT}
            raw_jobs = admin.call_raw("AdminGetJobsForDateRange", window).data
            jobs = admin.admin_get_jobs_for_date_range(window["Start"], window["End"])
            _lossless(jobs, raw_jobs, list[BackupJobDetail])
            assert any(j.retry_count for j in jobs) and any(j.backup_rule_guid for j in jobs)
            assert {j.tags for j in jobs} >= {"nightly", ""}
            assert any(j.destination_size_end.size for j in jobs)
            assert any(j.extra_fields for j in jobs), "fields newer than 25.9.6 are kept"
            running = [j for j in jobs if j.end_time is None]
            assert running and all(6000 <= int(j.status) < 7000 for j in running)

            source_id = next(iter(sim.profiles[USER]["Sources"]))
            item_args = {"TargetUser": USER, "SourceID": source_id}
            raw_item = admin.call_raw("AdminGetProtectedItemWithBackupRules", item_args).data
            item = admin.admin_get_protected_item_with_backup_rules(USER, source_id)
            _lossless(item, raw_item, type(item))
            assert item.backup_rules and item.source.owner_device

            tagged = SearchClause(
                rule_field="BackupJobDetail.Tags", rule_operator="str_eq", rule_value="nightly"
            )
            count = admin.admin_count_jobs_for_custom_search(tagged)
            assert count.count == len(admin.admin_get_jobs_for_custom_search(tagged)) > 0

            raw_account = admin.call_raw("AdminAccountProperties").data
            account = admin.admin_account_properties()
            _lossless(account, raw_account, type(account))
            registration = account.security.u2f_registrations[0].registration
            assert registration == bytes([5, 4, 0, 255, 16, 32])

            user = CometUserClient(sim.url, username=USER, password=USER_PASSWORD, use_session=True)
            raw_mine = user.call_raw("UserWebGetJobs").data
            mine = user.user_web_get_jobs()
            _lossless(mine, raw_mine, list[BackupJobDetail])
            assert {j.username for j in mine} == {USER}
            own_item = user.user_web_get_protected_item_with_backup_rules(source_id)
            assert own_item.source == item.source
    assert_cassette_clean(CASSETTE, canaries=[PASSWORD, USER_PASSWORD])


def test_a_job_with_null_progress_does_not_fail_the_list() -> None:
    raw = [
        {"GUID": "a", "Status": 5000, "Progress": None, "DestinationSizeStart": None},
        {"GUID": "b", "Status": 7002, "Progress": {"BytesDone": 5}},
    ]
    jobs = converter.structure(raw, list[BackupJobDetail])
    assert jobs[0].progress.bytes_done == 0 and jobs[1].progress.bytes_done == 5
    written = converter.unstructure(jobs)
    assert written[0]["Progress"] is None and written[0]["DestinationSizeStart"] is None


def test_bytes_floats_and_far_times_in_comet_models() -> None:
    from backup_sdk.errors import ResponseDecodeError
    from comet_sdk.models import AdminU2FRegistration, StorageFreeSpaceInfo

    as_array = converter.structure({"Registration": [1, 2, 3]}, AdminU2FRegistration)
    as_text = converter.structure({"Registration": "AQID"}, AdminU2FRegistration)
    assert as_array.registration == as_text.registration == b"\x01\x02\x03"
    assert converter.unstructure(as_array)["Registration"] == [1, 2, 3]
    assert converter.unstructure(as_text)["Registration"] == "AQID"
    space = converter.structure({"UsedPercent": 50}, StorageFreeSpaceInfo)
    assert converter.unstructure(space)["UsedPercent"] == 50
    assert type(converter.unstructure(space)["UsedPercent"]) is int
    far = [{"GUID": "a"}, {"GUID": "b", "EndTime": 253_402_300_800}]
    with pytest.raises(ResponseDecodeError) as info:
        converter.structure(far, list[BackupJobDetail])
    assert info.value.path == "$[1].EndTime", "the field, not $"
