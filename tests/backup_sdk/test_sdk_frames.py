from __future__ import annotations

from datetime import datetime, timedelta, timezone

import attrs
import pytest

from backup_sdk.frames import RUN_COLUMNS, register_frame_builder, runs_frame, to_dataframe
from backup_sdk.runs import BackupRun, RunList, RunStatus

pd = pytest.importorskip("pandas")

NOW = datetime(2026, 11, 23, 12, 0, 0, 250_000, tzinfo=timezone.utc)


def runs() -> list[BackupRun]:
    return [
        BackupRun(
            vendor="cove",
            device_id="7",
            device_name="pc-01",
            run_id="7:D1:1",
            status=RunStatus.SUCCESS,
            started=NOW - timedelta(hours=1),
            ended=NOW,
            bytes_processed=10**12,
            errors=0,
            customer="Acme",
            data_source="D1",
            raw_status=5,
            messages=["ok"],
        ),
        BackupRun(
            vendor="comet",
            device_id="dev",
            run_id="guid",
            status=RunStatus.RUNNING,
            started=NOW,
            raw_status="6001",
        ),
    ]


def test_runs_get_real_dtypes() -> None:
    df = runs_frame(runs())
    assert tuple(df.columns) == RUN_COLUMNS
    assert str(df.started.dtype) == "datetime64[ns, UTC]"
    assert str(df.ended.dtype) == "datetime64[ns, UTC]"
    assert str(df.duration.dtype) == "timedelta64[ns]"
    for name in ("bytes_processed", "bytes_uploaded", "errors"):
        assert str(df[name].dtype) == "Int64"
    assert isinstance(df.status.dtype, pd.CategoricalDtype)
    assert list(df.status.cat.categories) == [s.value for s in RunStatus]
    assert df[df.status == "success"].device_name.tolist() == ["pc-01"]
    assert df.started[0] == pd.Timestamp(NOW - timedelta(hours=1))
    assert df.ended[0] == pd.Timestamp(NOW)
    assert pd.isna(df.ended[1])
    assert pd.isna(df.duration[1])
    assert df.duration[0] == pd.Timedelta(hours=1)
    assert df.bytes_processed[0] == 10**12
    assert pd.isna(df.bytes_processed[1])
    assert pd.isna(df.customer[1])
    assert df.raw_status.tolist() == [5, "6001"]
    assert df.messages[0] == ("ok",)
    assert df.key.tolist() == ["cove:7:D1:1", "comet:guid"]


def test_an_empty_list_keeps_the_dtypes() -> None:
    df = runs_frame([])
    assert len(df) == 0
    assert tuple(df.columns) == RUN_COLUMNS
    assert str(df.started.dtype) == "datetime64[ns, UTC]"
    assert str(df.errors.dtype) == "Int64"


def test_lists_of_runs_and_run_lists_dispatch_to_the_runs_frame() -> None:
    expected = runs_frame(runs())
    pd.testing.assert_frame_equal(to_dataframe(runs()), expected)
    pd.testing.assert_frame_equal(RunList(runs()).to_dataframe(), expected)
    assert RunList(runs()).to_records()[0]["key"] == "cove:7:D1:1"


def test_times_beyond_nanoseconds_are_missing_not_an_error() -> None:
    far = attrs.evolve(runs()[0], ended=datetime(2300, 1, 1, tzinfo=timezone.utc))
    df = runs_frame([far])
    assert pd.isna(df.ended[0])


def test_other_items_become_records_and_a_builder_can_be_registered() -> None:
    @attrs.frozen
    class Thing:
        name: str

    assert to_dataframe([Thing("a")]).to_dict("records") == [{"name": "a"}]
    assert to_dataframe([Thing("a")], record=lambda t: {"n": t.name}).columns.tolist() == ["n"]
    register_frame_builder(Thing, lambda items: pd.DataFrame({"built": [len(items)]}))
    assert to_dataframe([Thing("a"), Thing("b")]).built.tolist() == [2]
    assert to_dataframe([]).empty
