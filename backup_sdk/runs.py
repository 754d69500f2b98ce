"""One vocabulary for backup runs across vendors, and the questions monitoring asks of it.

Each vendor package maps its own records (Cove session statistics, Comet
``BackupJobDetail``, appliance ``completed_backup``) onto :class:`BackupRun`, so a dashboard
can store and query runs from every vendor the same way:

* :class:`RunSource` — where one vendor's runs and devices come from;
* :class:`SyncCursor` — a serialisable high-water mark for a poller that runs every
  15 minutes and must neither miss nor double-count runs across restarts (Comet's
  ``JobPoller`` is built on it; :mod:`backup_sdk.sync` is the store-backed engine).

What a good backup is and which devices are stale is defined once, in
:mod:`backup_sdk.staleness`. :func:`latest_success_by_device` and :func:`stale_devices`
here are its older, simpler form, kept for existing callers with their original rule
(a completed-with-warnings run counts as a success).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import attrs

from backup_sdk.errors import ValidationError

if TYPE_CHECKING:
    import pandas

__all__ = [
    "BackupRun",
    "Device",
    "RunList",
    "RunSource",
    "RunStatus",
    "SyncCursor",
    "latest_success_by_device",
    "stale_devices",
]


class RunStatus(str, enum.Enum):
    """How a backup run ended (or that it has not ended yet)."""

    SUCCESS = "success"
    WARNING = "warning"
    FAILED = "failed"
    RUNNING = "running"
    MISSED = "missed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"

    @property
    def is_success(self) -> bool:
        """Success, or success with warnings: the data was backed up."""
        return self in (RunStatus.SUCCESS, RunStatus.WARNING)

    @property
    def is_final(self) -> bool:
        return self is not RunStatus.RUNNING


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(str(item) for item in value)


def _status(value: RunStatus | str) -> RunStatus:
    try:
        return RunStatus(value)
    except ValueError:
        raise ValidationError(f"not a RunStatus: {value!r}", parameter="status") from None


def _utc(value: datetime | None) -> datetime | None:
    """A plain aware UTC datetime (vendor subclasses such as ``UnixTime`` are unwrapped)."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise ValidationError(f"expected a datetime, got {value!r}", parameter="time")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError("run times must be timezone-aware", parameter="time")
    return datetime.fromtimestamp(value.timestamp(), timezone.utc)


@attrs.frozen(kw_only=True)
class BackupRun:
    """A backup run from any vendor, in one shape.

    Attributes:
        vendor: the vendor id (``"cove"``, ``"comet"``, ``"npm_backup"``).
        device_id: the vendor's stable id of the protected device/account.
        device_name: a human name for it.
        run_id: the vendor's id of the run, unique for the vendor and the same whether the
            run was seen running or finished and whichever call reported it.
        status: how it ended (``RUNNING`` while it runs).
        started: when it started (aware UTC), if known.
        ended: when it ended (aware UTC); None while running.
        bytes_processed: bytes read/selected by the run, when the vendor says.
        bytes_uploaded: bytes sent to storage, when the vendor says.
        errors: error count, when known.
        customer: the tenant/partner/user the device belongs to.
        data_source: what was backed up (a Cove data source, a Comet protected item...).
        raw_status: the vendor's own status value, for audits.
        messages: error and warning lines the vendor reported for the run.
    """

    vendor: str
    device_id: str
    device_name: str = ""
    run_id: str
    status: RunStatus = attrs.field(converter=_status)
    started: datetime | None = attrs.field(default=None, converter=_utc)
    ended: datetime | None = attrs.field(default=None, converter=_utc)
    bytes_processed: int | None = None
    bytes_uploaded: int | None = None
    errors: int | None = None
    customer: str | None = None
    data_source: str | None = None
    raw_status: str | int | None = None
    messages: tuple[str, ...] = attrs.field(default=(), converter=_strings)

    @property
    def key(self) -> str:
        """The run's identity across polls and calls: ``"<vendor>:<run_id>"``."""
        return f"{self.vendor}:{self.run_id}"

    @property
    def duration(self) -> timedelta | None:
        if self.started is None or self.ended is None:
            return None
        return self.ended - self.started

    @property
    def finished_at(self) -> datetime | None:
        """When the run ended, or None while it runs."""
        return None if self.status is RunStatus.RUNNING else self.ended

    def to_record(self) -> dict[str, Any]:
        """A flat, JSON-friendly dict (datetimes as ISO 8601 strings, status as its value);
        :meth:`from_record` reads it back into an equal run."""
        out = attrs.asdict(self, recurse=False)
        out["status"] = self.status.value
        out["messages"] = list(self.messages)
        for key in ("started", "ended"):
            value = out[key]
            out[key] = value.isoformat() if value is not None else None
        out["key"] = self.key
        return out

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> BackupRun:
        """A run from :meth:`to_record`'s dict (or its JSON).

        Raises:
            ValidationError: a missing or malformed field, named.
        """
        try:
            values = {f.name: record[f.name] for f in attrs.fields(cls) if f.name in record}
            for key in ("started", "ended"):
                text = values.get(key)
                values[key] = datetime.fromisoformat(text) if text else None
            return cls(**values)
        except ValidationError:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            problem = f"{type(exc).__name__}: {exc}"
        raise ValidationError(f"not a BackupRun record ({problem})", parameter="record")

    def to_json(self) -> str:
        """The run as one line of JSON (see :meth:`to_record`)."""
        return json.dumps(self.to_record(), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes) -> BackupRun:
        """A run from :meth:`to_json`'s text.

        Raises:
            ValidationError: not JSON, or not a run.
        """
        try:
            record = json.loads(text)
        except ValueError:
            record = None
        if not isinstance(record, dict):
            raise ValidationError("not a JSON object of a BackupRun", parameter="text")
        return cls.from_record(record)

    def __str__(self) -> str:
        when = self.ended or self.started
        stamp = f"{when:%Y-%m-%d %H:%M} UTC" if when is not None else "time unknown"
        name = self.device_name or self.device_id
        source = f" [{self.data_source}]" if self.data_source else ""
        return f"{self.vendor} {name}{source}: {self.status.value} ({stamp})"


class RunList(list[BackupRun]):
    """A list of runs that exports itself (what queries of a run store return)."""

    def to_dataframe(self) -> pandas.DataFrame:
        """The runs as a DataFrame with real dtypes (see :func:`backup_sdk.frames.runs_frame`;
        needs ``backup-sdk[pandas]``)."""
        from backup_sdk.frames import runs_frame

        return runs_frame(self)

    def to_records(self) -> list[dict[str, Any]]:
        """The runs as :meth:`BackupRun.to_record` dicts."""
        return [run.to_record() for run in self]


@attrs.frozen(kw_only=True)
class Device:
    """A protected device as a vendor's inventory describes it.

    Attributes:
        vendor: the vendor id.
        device_id: the vendor's stable id (matches ``BackupRun.device_id``).
        device_name: a human name.
        customer: the tenant/partner/user it belongs to.
        data_sources: what it backs up (Cove data sources, Comet protected items...).
        last_success: the vendor's own "last successful backup" time, where it has one
            (Cove's F09): the reference the SDK's staleness answer is checked against.
        unknown_sources: data sources whose state cannot be read (columns the tenant
            refuses): neither fresh nor stale.
    """

    vendor: str
    device_id: str
    device_name: str = ""
    customer: str | None = None
    data_sources: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    last_success: datetime | None = attrs.field(default=None, converter=_utc)
    unknown_sources: tuple[str, ...] = attrs.field(default=(), converter=_strings)

    @property
    def key(self) -> tuple[str, str]:
        """``(vendor, device_id)``."""
        return (self.vendor, self.device_id)


@runtime_checkable
class RunSource(Protocol):
    """Where runs and devices of one vendor come from (one per vendor, built on a client).

    ``iter_runs(since, until)`` yields the runs that ended in ``[since, until]`` and the
    runs still running; a run is yielded with the same :attr:`BackupRun.key` whichever
    call reported it, so a store can upsert by key. ``devices()`` is the inventory.
    """

    vendor: str

    def iter_runs(self, since: datetime, until: datetime) -> Iterable[BackupRun]: ...

    def devices(self) -> Iterable[Device]: ...


def latest_success_by_device(runs: Iterable[BackupRun]) -> dict[tuple[str, str], BackupRun]:
    """The newest successful **or warning** run per ``(vendor, device_id)``.

    Kept for existing callers, with its original rule (a completed-with-warnings run
    counts). It is :func:`backup_sdk.staleness.last_good_by_device` with
    ``warning_counts_as_success=True``; new code should call that, which by default
    follows each vendor's own notion (warnings are not a success for any bundled vendor).
    """
    from backup_sdk.staleness import last_good_by_device

    return last_good_by_device(runs, warning_counts_as_success=True)


def stale_devices(
    runs: Iterable[BackupRun],
    *,
    within: timedelta = timedelta(hours=24),
    now: datetime | None = None,
    devices: Iterable[tuple[str, str]] = (),
) -> list[tuple[str, str]]:
    """``(vendor, device_id)`` of the devices with no successful **or warning** run that
    ended in the last ``within`` (sorted).

    Kept for existing callers, with its original rules: a completed-with-warnings run
    counts, ``now`` defaults to the wall clock, and the devices judged are those named
    in ``devices`` plus those the runs name. It is built on
    :func:`backup_sdk.staleness.stale_devices` (``warning_counts_as_success=True``), the
    one definition of staleness; new code should call that, which returns the last good
    time and the reason for each device, knows devices whose state is unknown, and by
    default follows each vendor's own notion of success.
    """
    from backup_sdk.staleness import stale_devices as judge

    now = now or datetime.now(timezone.utc)
    if now.tzinfo is None:
        raise ValidationError("now must be timezone-aware", parameter="now")
    all_runs = list(runs)
    keys: dict[tuple[str, str], None] = dict.fromkeys(devices)
    keys.update(dict.fromkeys((r.vendor, r.device_id) for r in all_runs))
    inventory = [Device(vendor=vendor, device_id=device) for vendor, device in keys]
    found = judge(inventory, all_runs, within=within, now=now, warning_counts_as_success=True)
    return sorted(verdict.device.key for verdict in found)


@attrs.define
class SyncCursor:
    """A high-water mark for incremental polling, serialisable to JSON.

    ``since`` is the time the next poll should start from; ``overlap`` is subtracted so runs
    that were written late are not missed; ``seen`` remembers run ids already delivered
    near the boundary (bounded to ``keep`` ids) so the overlap does not double-count.
    ``pending`` holds ids of runs still running, to be polled again until they finish.
    """

    since: datetime
    overlap: timedelta = timedelta(minutes=30)
    seen: list[str] = attrs.field(factory=list)
    pending: list[str] = attrs.field(factory=list)
    keep: int = 20_000

    def window_start(self) -> datetime:
        """Where the next query window should begin."""
        return self.since - self.overlap

    def accept(self, runs: Iterable[BackupRun], *, polled_until: datetime) -> list[BackupRun]:
        """Filter a poll's runs down to the new or newly finished ones; advance the cursor."""
        seen = set(self.seen)
        pending = set(self.pending)
        fresh: list[BackupRun] = []
        for run in runs:
            key = f"{run.vendor}:{run.run_id}"
            if run.status is RunStatus.RUNNING:
                pending.add(key)
                continue
            if key in seen and key not in pending:
                continue
            pending.discard(key)
            seen.add(key)
            self.seen.append(key)
            fresh.append(run)
        self.pending = sorted(pending)
        if len(self.seen) > self.keep:
            del self.seen[: len(self.seen) - self.keep]
        self.since = max(self.since, polled_until)
        return fresh

    def dumps(self) -> str:
        return json.dumps(
            {
                "since": self.since.isoformat(),
                "overlap_seconds": self.overlap.total_seconds(),
                "seen": self.seen,
                "pending": self.pending,
                "keep": self.keep,
            }
        )

    @classmethod
    def loads(cls, text: str | bytes | Mapping[str, Any]) -> SyncCursor:
        """Rebuild a cursor saved with :meth:`dumps`; raises ``ValidationError`` if damaged."""
        try:
            data = json.loads(text) if isinstance(text, str | bytes) else dict(text)
            since = datetime.fromisoformat(data["since"])
            cursor = cls(
                since=since,
                overlap=timedelta(seconds=float(data.get("overlap_seconds", 1800))),
                seen=[str(x) for x in data.get("seen", [])],
                pending=[str(x) for x in data.get("pending", [])],
                keep=int(data.get("keep", 20_000)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError(f"not a saved SyncCursor: {exc}", parameter="text") from None
        if since.tzinfo is None:
            raise ValidationError("cursor time has no time zone", parameter="text")
        return cursor
