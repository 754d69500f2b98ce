from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backup_sdk.errors import BackupSDKError, ResponseDecodeError
from backup_sdk.runs import RunStatus
from cove_sdk import AccountFlag, OSType, SessionStatus
from cove_sdk.statistics import StatisticsRow, decode_page

ROW = {
    "AccountId": 42,
    "PartnerId": 7,
    "Flags": ["AutoDeployed"],
    "Settings": [
        {"I1": "pc-01"},
        {"I14": "586755749630"},
        {"I32": "1"},
        {"I78": "D01D02"},
        {"D09F00": "5"},
        {"D1F0": "8"},
        {"D01F09": "1700000000"},
        {"D01F15": ""},
        {"D1F12": "3600"},
        {"D02F00": "2"},
        {"D2F6": "12"},
    ],
}


def test_typed_access_and_padding_insensitive_lookup() -> None:
    (row,) = decode_page([ROW])
    assert row.device_name == "pc-01"
    assert row.used_storage == 586_755_749_630
    assert row.os_type is OSType.WORKSTATION
    assert row.flags == [AccountFlag.AUTO_DEPLOYED]
    assert row.total.last_status is SessionStatus.COMPLETED
    files = row.source(1)
    assert files.last_status is SessionStatus.COMPLETED_WITH_ERRORS
    assert files.last_status.is_warning
    assert files.last_success == datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)
    assert files.last_session is None, "empty while a session runs"
    assert files.duration == timedelta(hours=1)
    assert row.get("D9F0") == "5" and row.get("D09F00") == "5"
    assert row.source("D02").errors == 12
    assert row.source("D02").last_status is SessionStatus.FAILED
    assert [d.code for d in row.data_sources] == ["D1", "D2"]
    assert set(row.per_source()) == {"D1", "D2"}
    assert "D01F00" in row
    assert row.raw["D1F0"] == "8", "raw keeps the code as echoed"


def test_null_flags_missing_settings_and_totals() -> None:
    page = decode_page([{"AccountId": "1", "PartnerId": 2, "Flags": None}], [{"COUNT(1)": "1"}])
    assert page[0].flags == []
    assert page[0].raw == {}
    assert page.totals == {"COUNT(1)": 1}
    assert page.raw_totals == {"COUNT(1)": "1"}
    assert decode_page(None) == []


def test_session_status_helpers_and_names() -> None:
    # the names the M365 and Reporting services send are accepted at run time
    assert SessionStatus("Completed") is SessionStatus.COMPLETED  # type: ignore[arg-type]
    assert SessionStatus("InProgressWithFaults").is_running  # type: ignore[arg-type]
    assert SessionStatus(13).is_unknown and SessionStatus(13).is_failure
    assert not SessionStatus.NO_STATUS.is_failure
    assert SessionStatus.OVER_QUOTA.is_failure


def test_stale_check() -> None:
    (row,) = decode_page([ROW])
    now = datetime(2023, 11, 15, 12, tzinfo=timezone.utc)
    assert not row.source(1).is_stale(now)
    assert row.source(1).is_stale(now + timedelta(days=2))
    assert row.source(2).is_stale(now), "never succeeded"


@pytest.mark.parametrize(
    ("payload", "path"),
    [
        ({"AccountId": 1}, None),
        ("nope", "$"),
        ([1], "$[0]"),
        ([{"AccountId": "x"}], "$[0].AccountId"),
        ([{"AccountId": 1, "Settings": "I1=x"}], "$[0].Settings"),
        ([{"AccountId": 1, "Settings": ["I1"]}], "$[0].Settings"),
        ([{"AccountId": 1, "Flags": "Trial"}], "$[AccountId=1].Flags"),
    ],
)
def test_malformed_pages_raise_decode_errors(payload: Any, path: str | None) -> None:
    if path is None:
        with pytest.raises(ResponseDecodeError):
            decode_page(payload)
        return
    with pytest.raises(ResponseDecodeError) as info:
        decode_page(payload)
    assert info.value.path == path


def test_bad_values_raise_decode_errors_naming_the_column() -> None:
    (row,) = decode_page([{"AccountId": 9, "Settings": [{"I14": "lots"}, {"D9F0": "x"}]}])
    with pytest.raises(ResponseDecodeError, match="I14"):
        _ = row.used_storage
    with pytest.raises(ResponseDecodeError, match="D9F0"):
        _ = row.total.last_status


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
codes = st.sampled_from(["I1", "I14", "I32", "I78", "I6", "D9F0", "D01F09", "D1F12", "D19F0", "X"])
rows = st.fixed_dictionaries(
    {},
    optional={
        "AccountId": json_values | st.integers(),
        "PartnerId": json_values,
        "Flags": json_values,
        "Settings": st.lists(st.dictionaries(codes, json_values, max_size=2), max_size=5)
        | json_values,
    },
)


@settings(max_examples=300, deadline=None)
@given(st.lists(rows, max_size=3) | json_values, json_values)
def test_decoding_never_raises_anything_but_backup_sdk_errors(page: Any, totals: Any) -> None:
    try:
        decoded = decode_page(page, totals)
    except BackupSDKError:
        return
    for row in decoded:
        accessors: tuple[Callable[[StatisticsRow], object], ...] = (
            lambda r: r.device_name,
            lambda r: r.used_storage,
            lambda r: r.os_type,
            lambda r: r.last_contact,
            lambda r: r.data_sources,
            lambda r: r.total.last_status,
            lambda r: r.source(1).last_success,
            lambda r: r.source(1).duration,
            lambda r: r.per_source(),
            lambda r: r.to_record(),
        )
        for access in accessors:
            try:
                access(row)
            except BackupSDKError:
                pass


def test_rows_become_cross_vendor_runs_keyed_by_their_end() -> None:
    from backup_sdk.models import to_record
    from cove_sdk.runs import to_backup_runs

    settings = [{"I1": "pc-01"}, {"I8": "Acme"}]  # no I78: the F columns name the sources
    # D1: the last session finished: F17/F18 describe it, F12 its duration
    settings += [{"D01F00": "5"}, {"D01F15": "1700000000"}, {"D01F12": "600"}]
    settings += [{"D01F17": "5"}, {"D01F18": "1700000600"}, {"D1F3": "10"}]
    # D7: a session is running; the last completed one failed earlier
    settings += [{"D07F00": "1"}, {"D07F15": ""}, {"D07F12": "300"}]
    settings += [{"D07F17": "2"}, {"D07F18": "1699990000"}, {"D07F06": "3"}]
    # D10: only the last-session columns were asked for
    settings += [{"D10F00": "8"}, {"D10F15": "1700000100"}, {"D10F12": "60"}]
    (row,) = decode_page([{"AccountId": 42, "PartnerId": 1, "Settings": settings}])
    runs = {r.data_source: r for r in to_backup_runs(row)}
    files, state, sql = runs["Files and Folders"], runs["VssSystemState"], runs["VssMsSql"]
    assert (files.status, files.duration, files.run_id) == (
        RunStatus.SUCCESS,
        timedelta(minutes=10),
        "42:D1:1700000600",
    )
    assert files.ended == datetime.fromtimestamp(1_700_000_600, timezone.utc), "read, not computed"
    assert (state.status, state.run_id) == (RunStatus.FAILED, "42:D7:1699990000")
    assert state.started == datetime.fromtimestamp(1_699_989_700, timezone.utc)
    assert (sql.status, sql.run_id) == (RunStatus.WARNING, "42:D10:1700000160")
    assert {r.device_id for r in runs.values()} == {"42"}
    assert to_record(row)["I1"] == "pc-01"


def test_every_session_status_maps_to_exactly_one_run_status() -> None:
    from cove_sdk.runs import RUN_STATUS

    assert set(RUN_STATUS) == set(SessionStatus)
    assert RUN_STATUS[SessionStatus.COMPLETED_WITH_ERRORS] is RunStatus.WARNING
    assert RUN_STATUS[SessionStatus.NOT_STARTED] is RunStatus.MISSED


@pytest.mark.parametrize(
    ("row", "read"),
    [
        ({"AccountId": 1e308 * 10}, None),
        ({"AccountId": 1.5}, None),
        ({"AccountId": True}, None),
        ({"AccountId": 1, "Settings": [{"D1F12": "9" * 40}]}, "duration"),
        ({"AccountId": 1, "Settings": [{"D1F15": "9" * 40}]}, "last_session"),
        ({"AccountId": 1, "Settings": [{"I14": "Infinity"}]}, "used_storage"),
    ],
    ids=["infinite id", "fractional id", "boolean id", "huge duration", "huge time", "inf size"],
)
def test_out_of_range_values_are_decode_errors_naming_the_field(
    row: dict[str, Any], read: str | None
) -> None:
    with pytest.raises(ResponseDecodeError) as info:
        page = decode_page([row])
        if read == "used_storage":
            _ = page[0].used_storage
        elif read is not None:
            getattr(page[0].source(1), read)
    assert info.value.path is not None
    assert "AccountId" in info.value.path or "Settings" in info.value.path
