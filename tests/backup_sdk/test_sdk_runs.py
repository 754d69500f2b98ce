from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from backup_sdk.errors import ValidationError
from backup_sdk.runs import (
    BackupRun,
    RunStatus,
    SyncCursor,
    latest_success_by_device,
    stale_devices,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


def run(
    device: str, status: RunStatus, hours_ago: float, run_id: str = "", vendor: str = "cove"
) -> BackupRun:
    ended = NOW - timedelta(hours=hours_ago)
    return BackupRun(
        vendor=vendor,
        device_id=device,
        run_id=run_id or f"{device}-{hours_ago}",
        status=status,
        started=ended - timedelta(minutes=10),
        ended=None if status is RunStatus.RUNNING else ended,
    )


def test_stale_devices_answers_the_24h_question() -> None:
    runs = [
        run("a", RunStatus.SUCCESS, 2),
        run("b", RunStatus.FAILED, 1),
        run("b", RunStatus.SUCCESS, 30),
        run("c", RunStatus.WARNING, 23),
        run("d", RunStatus.RUNNING, 0.1),
        run("a", RunStatus.SUCCESS, 2, vendor="comet"),
    ]
    stale = stale_devices(runs, now=NOW, devices=[("npm_backup", "never")])
    assert stale == [("cove", "b"), ("cove", "d"), ("npm_backup", "never")]
    assert stale_devices(runs, now=NOW, within=timedelta(hours=48)) == [("cove", "d")]


def test_latest_success_picks_the_newest() -> None:
    best = latest_success_by_device(
        [run("a", RunStatus.SUCCESS, 5), run("a", RunStatus.SUCCESS, 1)]
    )
    assert best[("cove", "a")].run_id == "a-1"


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValidationError):
        BackupRun(
            vendor="x",
            device_id="d",
            run_id="r",
            status=RunStatus.SUCCESS,
            started=datetime(2026, 1, 1),
        )
    with pytest.raises(ValidationError):
        stale_devices([], now=datetime(2026, 1, 1))


def test_cursor_delivers_each_run_once_and_waits_for_running_ones() -> None:
    cursor = SyncCursor(since=NOW - timedelta(hours=1))
    first = cursor.accept(
        [run("a", RunStatus.SUCCESS, 0.5, "r1"), run("b", RunStatus.RUNNING, 0.2, "r2")],
        polled_until=NOW,
    )
    assert [r.run_id for r in first] == ["r1"]
    assert cursor.pending == ["cove:r2"]
    assert cursor.window_start() == NOW - timedelta(minutes=30)
    saved = cursor.dumps()
    again = SyncCursor.loads(saved)
    second = again.accept(
        [run("a", RunStatus.SUCCESS, 0.5, "r1"), run("b", RunStatus.FAILED, 0.1, "r2")],
        polled_until=NOW + timedelta(minutes=15),
    )
    assert [r.run_id for r in second] == ["r2"]
    assert again.pending == []
    assert again.since == NOW + timedelta(minutes=15)


def test_cursor_memory_is_bounded() -> None:
    cursor = SyncCursor(since=NOW, keep=100)
    cursor.accept(
        [run(f"d{i}", RunStatus.SUCCESS, 0.1, f"r{i}") for i in range(1000)], polled_until=NOW
    )
    assert len(cursor.seen) == 100


@pytest.mark.parametrize(
    "bad", ["", "{}", '{"since": "yesterday"}', '{"since": "2026-01-01T00:00:00"}', "[1]"]
)
def test_damaged_cursor_is_a_validation_error(bad: str) -> None:
    with pytest.raises(ValidationError):
        SyncCursor.loads(bad)


def test_record_is_json_friendly() -> None:
    record = run("a", RunStatus.SUCCESS, 1).to_record()
    assert record["status"] == "success"
    assert record["ended"] == "2026-11-23T11:00:00+00:00"
    assert run("a", RunStatus.SUCCESS, 1).duration == timedelta(minutes=10)
