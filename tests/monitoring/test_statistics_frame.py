from __future__ import annotations

from datetime import datetime, timezone

import pytest

from backup_sdk.errors import ResponseDecodeError
from backup_sdk.frames import to_dataframe
from cove_sdk import column
from cove_sdk.frames import column_name, statistics_frame
from cove_sdk.statistics import decode_page
from cove_sdk.testing import CoveSimulator, FleetSpec

pd = pytest.importorskip("pandas")

STAMP = 1_795_000_000
ROWS = [
    {
        "AccountId": 1,
        "PartnerId": 10,
        "Settings": [
            {"I1": "pc-01"},
            {"I8": "Acme"},
            {"I14": "1073741824"},
            {"I24": "1.5"},
            {"I78": "D01D19"},
            {"I19": ["10.0.0.1", "10.0.0.2"]},
            {"D09F00": "5"},
            {"D09F09": str(STAMP)},
            {"D1F12": "600"},
            {"AA843": "custom"},
        ],
    },
    {
        "AccountId": 2,
        "PartnerId": 10,
        "Settings": [
            {"I1": "pc-02"},
            {"D9F0": "8"},  # the same column, echoed with another padding
            {"D9F9": "0"},  # never
            {"I24": ""},
        ],
    },
]


def test_columns_are_named_from_the_catalogue_and_typed() -> None:
    df = statistics_frame(decode_page(ROWS))
    assert df.columns.tolist() == [
        "account_id",
        "partner_id",
        "device_name",
        "customer",
        "used_storage",
        "internal_ips",
        "time_offset",
        "active_data_sources",
        "files_and_folders_session_duration_seconds",
        "total_last_session_status",
        "total_last_successful_session_time",
        "aa843",
    ]
    assert df.attrs["columns"]["D09F00"] == "total_last_session_status"
    assert df.attrs["columns"]["I1"] == "device_name"
    assert df.attrs["columns"]["AccountId"] == "account_id"
    dtypes = {name: str(dtype) for name, dtype in df.dtypes.items()}
    assert dtypes["account_id"] == "Int64"
    assert dtypes["used_storage"] == "Int64"
    assert dtypes["time_offset"] == "Float64"
    assert dtypes["device_name"] == "string"
    assert dtypes["total_last_successful_session_time"] == "datetime64[ns, UTC]"
    assert dtypes["total_last_session_status"] == "category"
    assert df.total_last_session_status.tolist() == ["completed", "completed_with_errors"]
    assert (df.total_last_session_status == "completed").sum() == 1
    assert df.total_last_successful_session_time[0] == pd.Timestamp(
        datetime.fromtimestamp(STAMP, timezone.utc)
    )
    assert pd.isna(df.total_last_successful_session_time[1]), "0 is never"
    assert df.used_storage[0] == 2**30
    assert pd.isna(df.used_storage[1])
    assert df.time_offset[0] == 1.5
    assert pd.isna(df.time_offset[1])
    assert df.active_data_sources[0] == "D1,D19"
    assert df.internal_ips[0] == "10.0.0.1, 10.0.0.2"
    assert df.aa843[0] == "custom"
    assert df.files_and_folders_session_duration_seconds[0] == 600


def test_names_for_codes() -> None:
    assert column_name("I6") == "time_stamp_last_contact"
    assert column_name(column(9, 0)) == "total_last_session_status"
    assert column_name("D19F9") == "microsoft_365_exchange_last_successful_session_time"
    assert column_name("AA1") == "aa1"


def test_a_bad_value_is_a_decode_error_naming_the_column() -> None:
    page = decode_page([{"AccountId": 3, "Settings": [{"I24": "east"}]}])
    with pytest.raises(ResponseDecodeError, match="I24"):
        statistics_frame(page)
    page = decode_page([{"AccountId": 3, "Settings": [{"I14": "lots"}]}])
    with pytest.raises(ResponseDecodeError, match="I14"):
        statistics_frame(page)


def test_the_paginator_builds_the_statistics_frame() -> None:
    with CoveSimulator(fleet=FleetSpec(devices=30, seed=3)) as sim, sim.client() as client:
        columns = ["I1", "I8", "I78", column(9, 0), column(9, 9)]
        df = client.iter_account_statistics(client.user.partner_id, columns).to_dataframe()
    assert len(df) == 30
    assert "total_last_session_status" in df.columns
    assert str(df.total_last_successful_session_time.dtype) == "datetime64[ns, UTC]"
    assert set(df.total_last_session_status.dropna()) <= set(
        df.total_last_session_status.cat.categories
    )


def test_to_dataframe_and_an_empty_page() -> None:
    assert to_dataframe(decode_page(ROWS)).columns[2] == "device_name"
    empty = statistics_frame([])
    assert empty.columns.tolist() == ["account_id", "partner_id"]
