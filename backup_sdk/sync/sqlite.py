"""The built-in store: one SQLite file (stdlib ``sqlite3``, WAL mode).

Tables:

``runs``
    one row per run: ``key`` (unique, ``"<vendor>:<run_id>"``), ``vendor``, ``run_id``,
    ``device_id``, ``device_name``, ``customer``, ``data_source``, ``status`` (a
    :class:`~backup_sdk.runs.RunStatus` value: ``success``, ``warning``, ``failed``,
    ``running``, ``missed``, ``skipped``, ``cancelled``, ``unknown``), ``started`` and
    ``ended`` (ISO 8601 UTC text, microseconds, so they sort and compare as text),
    ``bytes_processed``, ``bytes_uploaded``, ``errors`` (integers or NULL), ``raw_status``
    (the vendor's value, integer or text as it came), ``messages`` (a JSON list),
    ``first_seen`` and ``updated_at`` (when the sync first stored and last changed it).
``devices``
    the last inventory of each source: ``vendor``, ``device_id``, ``device_name``,
    ``customer``, ``data_sources`` and ``unknown_sources`` (JSON lists), ``last_success``,
    ``source``, ``seen_at``.
``sync_state``
    ``source``, ``state`` (:meth:`SourceState.to_json`), ``updated_at``.
``meta``
    ``schema_version``.

Any number of connections and processes may use one file: readers never block, writers
take turns (each commit is one ``BEGIN IMMEDIATE`` transaction; a writer waits up to
``timeout`` seconds for another).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from types import TracebackType
from typing import Any

from backup_sdk._compat import Self
from backup_sdk.errors import ConfigurationError
from backup_sdk.runs import BackupRun, Device, RunList, RunStatus
from backup_sdk.sync.state import SourceState

__all__ = ["SCHEMA_VERSION", "SqliteRunStore"]

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    key TEXT NOT NULL UNIQUE,
    vendor TEXT NOT NULL,
    run_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    device_name TEXT NOT NULL DEFAULT '',
    customer TEXT,
    data_source TEXT,
    status TEXT NOT NULL,
    started TEXT,
    ended TEXT,
    bytes_processed INTEGER,
    bytes_uploaded INTEGER,
    errors INTEGER,
    raw_status,
    messages TEXT NOT NULL DEFAULT '[]',
    first_seen TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_time ON runs (COALESCE(ended, started));
CREATE INDEX IF NOT EXISTS runs_by_device ON runs (vendor, device_id);
CREATE TABLE IF NOT EXISTS devices (
    vendor TEXT NOT NULL,
    device_id TEXT NOT NULL,
    device_name TEXT NOT NULL DEFAULT '',
    customer TEXT,
    data_sources TEXT NOT NULL DEFAULT '[]',
    last_success TEXT,
    unknown_sources TEXT NOT NULL DEFAULT '[]',
    source TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (vendor, device_id)
);
CREATE TABLE IF NOT EXISTS sync_state (
    source TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""

_RUN_COLUMNS = (
    "key",
    "vendor",
    "run_id",
    "device_id",
    "device_name",
    "customer",
    "data_source",
    "status",
    "started",
    "ended",
    "bytes_processed",
    "bytes_uploaded",
    "errors",
    "raw_status",
    "messages",
)
_UPDATED = _RUN_COLUMNS[1:]
_UPSERT = (
    f"INSERT INTO runs ({', '.join(_RUN_COLUMNS)}, first_seen, updated_at) "
    f"VALUES ({', '.join('?' for _ in _RUN_COLUMNS)}, ?, ?) "
    "ON CONFLICT (key) DO UPDATE SET "
    + ", ".join(f"{name} = excluded.{name}" for name in _UPDATED)
    + ", updated_at = excluded.updated_at "
    # a final status is never replaced by 'running'; an identical report changes nothing
    "WHERE NOT (runs.status <> 'running' AND excluded.status = 'running') AND ("
    + " OR ".join(f"runs.{name} IS NOT excluded.{name}" for name in _UPDATED)
    + ")"
)


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _time(text: Any) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _run_values(run: BackupRun) -> tuple[Any, ...]:
    return (
        run.key,
        run.vendor,
        run.run_id,
        run.device_id,
        run.device_name,
        run.customer,
        run.data_source,
        run.status.value,
        _iso(run.started),
        _iso(run.ended),
        run.bytes_processed,
        run.bytes_uploaded,
        run.errors,
        run.raw_status,
        json.dumps(list(run.messages)),
    )


def _row_run(row: sqlite3.Row) -> BackupRun:
    return BackupRun(
        vendor=row["vendor"],
        device_id=row["device_id"],
        device_name=row["device_name"],
        run_id=row["run_id"],
        status=row["status"],
        started=_time(row["started"]),
        ended=_time(row["ended"]),
        bytes_processed=row["bytes_processed"],
        bytes_uploaded=row["bytes_uploaded"],
        errors=row["errors"],
        customer=row["customer"],
        data_source=row["data_source"],
        raw_status=row["raw_status"],
        messages=json.loads(row["messages"]),
    )


class SqliteRunStore:
    """A :class:`~backup_sdk.sync.RunStore` in one SQLite file (created if missing).

    Args:
        path: the database file (``":memory:"`` for a private in-memory one).
        timeout: seconds a writer waits for another connection's transaction.

    Raises:
        ConfigurationError: the file is not a database, or was written by a newer
            backup-sdk (its schema version is higher).
    """

    def __init__(self, path: str | os.PathLike[str], *, timeout: float = 30.0) -> None:
        self.path = os.fspath(path)
        self._lock = threading.RLock()
        try:
            self._db = sqlite3.connect(
                self.path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
            try:
                self._db.row_factory = sqlite3.Row
                self._db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
                self._migrate()
            except BaseException:
                self._db.close()  # not left for the garbage collector (a ResourceWarning)
                raise
        except sqlite3.DatabaseError as exc:
            raise ConfigurationError(f"{self.path} is not a usable run store: {exc}") from None

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SqliteRunStore({self.path!r})"

    def _migrate(self) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                found = self._db.execute(
                    "SELECT value FROM meta WHERE name = 'schema_version'"
                ).fetchone()
                if found is None:
                    self._db.execute(
                        "INSERT INTO meta (name, value) VALUES ('schema_version', ?)",
                        (str(SCHEMA_VERSION),),
                    )
                elif int(found["value"]) > SCHEMA_VERSION:
                    raise ConfigurationError(
                        f"{self.path} was written by a newer backup-sdk "
                        f"(schema {found['value']}; this one knows {SCHEMA_VERSION})"
                    )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    # -- the RunStore protocol ---------------------------------------------------------------

    def load_state(self, source: str) -> SourceState | None:
        with self._lock:
            row = self._db.execute(
                "SELECT state FROM sync_state WHERE source = ?", (source,)
            ).fetchone()
        return SourceState.from_json(row["state"]) if row is not None else None

    def commit(
        self,
        source: str,
        runs: Sequence[BackupRun],
        state: SourceState,
        *,
        devices: Sequence[Device] | None = None,
    ) -> Sequence[BackupRun]:
        stamp = _iso(state.last_poll or datetime.now(timezone.utc))
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                changed = self._upsert_runs(runs, stamp)
                self._write_state(source, state, stamp)
                if devices is not None:
                    self._write_devices(source, devices, stamp)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return changed

    def _upsert_runs(self, runs: Sequence[BackupRun], stamp: str | None) -> list[BackupRun]:
        changed: dict[str, BackupRun] = {}
        for run in runs:
            cursor = self._db.execute(_UPSERT, (*_run_values(run), stamp, stamp))
            if cursor.rowcount:
                changed[run.key] = run
        return list(changed.values())

    def _write_state(self, source: str, state: SourceState, stamp: str | None) -> None:
        self._db.execute(
            "INSERT INTO sync_state (source, state, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (source) DO UPDATE SET state = excluded.state, "
            "updated_at = excluded.updated_at",
            (source, state.to_json(), stamp),
        )

    def _write_devices(self, source: str, devices: Sequence[Device], stamp: str | None) -> None:
        self._db.execute("DELETE FROM devices WHERE source = ?", (source,))
        self._db.executemany(
            "INSERT OR REPLACE INTO devices (vendor, device_id, device_name, customer, "
            "data_sources, last_success, unknown_sources, source, seen_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    device.vendor,
                    device.device_id,
                    device.device_name,
                    device.customer,
                    json.dumps(list(device.data_sources)),
                    _iso(device.last_success),
                    json.dumps(list(device.unknown_sources)),
                    source,
                    stamp,
                )
                for device in devices
            ],
        )

    # -- queries -----------------------------------------------------------------------------

    def runs(
        self,
        *,
        vendors: Iterable[str] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        statuses: Iterable[RunStatus | str] | None = None,
        limit: int | None = None,
    ) -> RunList:
        """Stored runs, oldest first (by end, or start for runs without one).

        ``since``/``until`` bound that time (inclusive); ``statuses`` and ``vendors``
        filter; ``limit`` keeps the newest ``limit`` runs.
        """
        clauses: list[str] = []
        params: list[Any] = []
        if vendors is not None:
            names = list(vendors)
            clauses.append(f"vendor IN ({', '.join('?' for _ in names)})")
            params.extend(names)
        if statuses is not None:
            values = [RunStatus(s).value for s in statuses]
            clauses.append(f"status IN ({', '.join('?' for _ in values)})")
            params.extend(values)
        if since is not None:
            clauses.append("COALESCE(ended, started) >= ?")
            params.append(_iso(since))
        if until is not None:
            clauses.append("COALESCE(ended, started) <= ?")
            params.append(_iso(until))
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        query = f"SELECT * FROM runs {where} ORDER BY COALESCE(ended, started) DESC, key DESC"
        if limit is not None:
            query += " LIMIT ?"
            params.append(int(limit))
        with self._lock:
            rows = self._db.execute(query, params).fetchall()
        return RunList(_row_run(row) for row in reversed(rows))

    def count(self) -> int:
        """How many runs are stored."""
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM runs").fetchone()[0])

    def devices(self, *, vendors: Iterable[str] | None = None) -> list[Device]:
        """The inventories last saved by the sync, by vendor and device id."""
        params: list[Any] = []
        where = ""
        if vendors is not None:
            names = list(vendors)
            where = f"WHERE vendor IN ({', '.join('?' for _ in names)})"
            params.extend(names)
        with self._lock:
            rows = self._db.execute(
                f"SELECT * FROM devices {where} ORDER BY vendor, device_id", params
            ).fetchall()
        return [
            Device(
                vendor=row["vendor"],
                device_id=row["device_id"],
                device_name=row["device_name"],
                customer=row["customer"],
                data_sources=json.loads(row["data_sources"]),
                last_success=_time(row["last_success"]),
                unknown_sources=json.loads(row["unknown_sources"]),
            )
            for row in rows
        ]

    def states(self) -> dict[str, SourceState]:
        """The sync state of every source synced so far."""
        with self._lock:
            rows = self._db.execute("SELECT state FROM sync_state ORDER BY source").fetchall()
        found = [SourceState.from_json(row["state"]) for row in rows]
        return {state.source: state for state in found}

    def prune(self, before: datetime) -> int:
        """Delete finished runs that ended (or started) before ``before``; returns how many.
        Runs still running are kept whatever their age."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                cursor = self._db.execute(
                    "DELETE FROM runs WHERE status <> 'running' AND COALESCE(ended, started) < ?",
                    (_iso(before),),
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return cursor.rowcount
