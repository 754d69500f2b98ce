from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from backup_sdk.errors import ConfigurationError
from backup_sdk.runs import BackupRun, Device, RunStatus
from backup_sdk.sync import SourceState, SqliteRunStore, SyncEngine
from tests.monitoring.fakes import EPOCH, ScheduledSource

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
ROOT = Path(__file__).resolve().parents[2]


def run(run_id: str, status: RunStatus, **extra: object) -> BackupRun:
    values: dict[str, object] = {
        "vendor": "comet",
        "device_id": "dev-1",
        "device_name": "laptop",
        "run_id": run_id,
        "status": status,
        "started": NOW - timedelta(minutes=10),
        "ended": None if status is RunStatus.RUNNING else NOW,
    }
    values.update(extra)
    return BackupRun(**values)  # type: ignore[arg-type]


def state(polls: int = 1, when: datetime = NOW) -> SourceState:
    return SourceState(source="comet", high_water=when, polls=polls, last_poll=when)


@pytest.fixture
def connect() -> Iterator[Callable[[Path], sqlite3.Connection]]:
    """Plain sqlite3 connections for looking inside, closed after the test."""
    opened: list[sqlite3.Connection] = []

    def open_connection(path: Path) -> sqlite3.Connection:
        opened.append(sqlite3.connect(path))
        return opened[-1]

    yield open_connection
    for db in opened:
        db.close()


def test_the_schema_and_wal(tmp_path: Path, connect: Callable[[Path], sqlite3.Connection]) -> None:
    path = tmp_path / "runs.sqlite"
    SqliteRunStore(path).close()
    db = connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    columns = {row[1] for row in db.execute("PRAGMA table_info(runs)")}
    assert {"key", "status", "vendor", "run_id", "device_id", "started", "ended"} <= columns
    assert {
        "device_name",
        "customer",
        "data_source",
        "bytes_processed",
        "bytes_uploaded",
        "errors",
        "raw_status",
        "messages",
    } <= columns
    unique = [row for row in db.execute("PRAGMA index_list(runs)") if row[2]]
    assert [db.execute(f"PRAGMA index_info({row[1]})").fetchone()[2] for row in unique] == ["key"]
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"runs", "devices", "sync_state", "meta"} <= tables


def test_runs_round_trip_exactly(tmp_path: Path) -> None:
    runs = [
        run(
            "a",
            RunStatus.WARNING,
            bytes_processed=2**40,
            bytes_uploaded=7,
            errors=3,
            customer="Acme",
            data_source="Files",
            raw_status=7001,
            messages=["disk almost full", "1 file skipped"],
            started=NOW - timedelta(seconds=1, microseconds=5),
        ),
        run("b", RunStatus.RUNNING, raw_status="6001"),
    ]
    with SqliteRunStore(tmp_path / "runs.sqlite") as store:
        written = store.commit("comet", runs, state())
        assert list(written) == runs
        # oldest first, by end (or start, while running)
        assert list(store.runs()) == [runs[1], runs[0]]
        assert store.count() == 2
        (found,) = store.runs(statuses=["warning"])
        assert found == runs[0]
        assert found.raw_status == 7001
        assert store.runs(vendors=["cove"]) == []
        assert store.runs(since=NOW + timedelta(seconds=1)) == []
        assert len(store.runs(until=NOW)) == 2
        assert len(store.runs(limit=1)) == 1
        assert store.load_state("comet") == state()
        assert store.load_state("cove") is None
        assert store.states() == {"comet": state()}


def test_the_upsert_rule_holds_in_sql(tmp_path: Path) -> None:
    with SqliteRunStore(tmp_path / "runs.sqlite") as store:
        assert store.commit("comet", [run("a", RunStatus.RUNNING)], state(1))
        assert store.commit("comet", [run("a", RunStatus.FAILED)], state(2))
        assert store.commit("comet", [run("a", RunStatus.RUNNING)], state(3)) == []
        assert store.commit("comet", [run("a", RunStatus.FAILED)], state(4)) == []
        assert store.commit("comet", [run("a", RunStatus.FAILED, errors=2)], state(5))
        (row,) = store.runs()
        assert row.status is RunStatus.FAILED
        assert row.errors == 2
        with contextlib.closing(sqlite3.connect(tmp_path / "runs.sqlite")) as db:
            assert db.execute("SELECT COUNT(*), status FROM runs").fetchone() == (1, "failed")


def test_a_failure_inside_the_transaction_writes_nothing(tmp_path: Path) -> None:
    class Crashing(SqliteRunStore):
        def _write_state(self, source: str, state: SourceState, stamp: str | None) -> None:
            raise OSError("power cut between the runs and the state")

    path = tmp_path / "runs.sqlite"
    with Crashing(path) as crashing, pytest.raises(OSError, match="power cut"):
        crashing.commit("comet", [run("a", RunStatus.SUCCESS)], state())
    with SqliteRunStore(path) as store:
        assert store.count() == 0
        assert store.load_state("comet") is None


def test_two_connections_share_one_file(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite"
    with SqliteRunStore(path) as writer, SqliteRunStore(path) as reader:
        writer.commit("comet", [run("a", RunStatus.RUNNING)], state(1))
        assert [r.status for r in reader.runs()] == [RunStatus.RUNNING]
        reader.commit("comet", [run("a", RunStatus.SUCCESS)], state(2))
        assert [r.status for r in writer.runs()] == [RunStatus.SUCCESS]
        loaded = writer.load_state("comet")
        assert loaded is not None
        assert loaded.polls == 2


def _python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=60,
    )


def test_another_process_reads_and_writes_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite"
    with SqliteRunStore(path) as store:
        store.commit("comet", [run("a", RunStatus.RUNNING)], state(1))
        child = _python(
            """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1], timeout=30)
            print(db.execute("SELECT key, status FROM runs").fetchall())
            with db:
                db.execute("UPDATE runs SET status = 'success' WHERE key = 'comet:a'")
            """,
            str(path),
        )
        assert child.returncode == 0, child.stderr
        assert child.stdout.strip() == "[('comet:a', 'running')]"
        assert [r.status for r in store.runs()] == [RunStatus.SUCCESS]


def test_a_process_killed_inside_the_commit_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite"
    child = _python(
        """
        import os, sys
        from datetime import datetime, timezone
        from backup_sdk.runs import BackupRun
        from backup_sdk.sync import SourceState, SqliteRunStore

        class Dying(SqliteRunStore):
            def _write_state(self, source, state, stamp):
                os._exit(9)  # killed after the runs were written, before the commit

        now = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
        runs = [BackupRun(vendor="comet", device_id="d", run_id=f"r{n}", status="success",
                          ended=now) for n in range(50)]
        Dying(sys.argv[1]).commit("comet", runs, SourceState(source="comet", high_water=now))
        """,
        str(path),
    )
    assert child.returncode == 9, child.stderr
    with SqliteRunStore(path) as store:
        assert store.count() == 0
        assert store.load_state("comet") is None


def test_the_engine_on_sqlite_resumes_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite"
    now = EPOCH
    source = ScheduledSource("cove", lambda: now, rate=1.0, devices=3)
    quarter = timedelta(minutes=15)
    with SqliteRunStore(path) as store:
        engine = SyncEngine({"cove": source}, store, clock=lambda: now)
        for _ in range(60):
            now += quarter
            assert engine.poll().ok
    with SqliteRunStore(path) as store:  # a new process, a new connection
        engine = SyncEngine({"cove": source}, store, clock=lambda: now)
        for _ in range(60):
            now += quarter
            assert engine.poll().ok
        stored = {r.key: r.status for r in store.runs()}
        assert {k: v for k, v in stored.items() if k in source.truth} == source.truth
        assert len(source.truth) > 80
        assert store.devices() == source.devices()
        loaded = store.load_state("cove")
        assert loaded is not None
        assert loaded.polls == 120
        assert loaded.history_start == EPOCH + quarter - timedelta(hours=24, minutes=30)


def test_devices_prune_and_damage(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite"
    with SqliteRunStore(path) as store:
        device = Device(
            vendor="cove",
            device_id="1",
            device_name="pc",
            customer="Acme",
            data_sources=["D1"],
            unknown_sources=["D19"],
            last_success=NOW,
        )
        old = run("old", RunStatus.SUCCESS, ended=NOW - timedelta(days=400))
        store.commit("comet", [old, run("new", RunStatus.SUCCESS)], state(), devices=[device])
        assert store.devices() == [device]
        assert store.devices(vendors=["comet"]) == []
        assert store.prune(NOW - timedelta(days=90)) == 1
        assert [r.run_id for r in store.runs()] == ["new"]
        assert repr(store) == f"SqliteRunStore({str(path)!r})"
    db = sqlite3.connect(path)
    with db:
        db.execute("UPDATE meta SET value = '99' WHERE name = 'schema_version'")
    db.close()
    with pytest.raises(ConfigurationError, match="newer backup-sdk"):
        SqliteRunStore(path)
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ConfigurationError, match="not a usable run store"):
        SqliteRunStore(junk)


def test_a_store_that_cannot_open_closes_its_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refused file (not a database, a newer schema) leaves no connection open for the
    garbage collector (Python 3.13 warns about those)."""
    opened: list[sqlite3.Connection] = []
    real_connect = sqlite3.connect

    def tracking_connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        opened.append(real_connect(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr("backup_sdk.sync.sqlite.sqlite3.connect", tracking_connect)
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ConfigurationError, match="not a usable run store"):
        SqliteRunStore(junk)
    newer = tmp_path / "newer.sqlite"
    SqliteRunStore(newer).close()
    with contextlib.closing(real_connect(newer)) as db, db:
        db.execute("UPDATE meta SET value = '99' WHERE name = 'schema_version'")
    with pytest.raises(ConfigurationError, match="newer backup-sdk"):
        SqliteRunStore(newer)
    assert len(opened) == 3
    for connection in opened:
        with pytest.raises(sqlite3.ProgrammingError, match="closed"):
            connection.execute("SELECT 1")
