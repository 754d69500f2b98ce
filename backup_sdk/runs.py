"""One vocabulary for backup runs across vendors, and the questions monitoring asks of it.

Each vendor package maps its own records (Cove session statistics, Comet
``BackupJobDetail``, appliance ``completed_backup``) onto :class:`BackupRun`, so a dashboard
can store and query runs from every vendor the same way:

* :func:`latest_success_by_device` — the newest successful run per device;
* :func:`stale_devices` — "which devices had no successful backup in the last 24 h?";
* :class:`SyncCursor` — a serialisable high-water mark for a poller that runs every
  15 minutes and must neither miss nor double-count runs across restarts.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs

from backup_sdk.errors import ValidationError

__all__ = [
    "BackupRun",
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


def _aware(value: datetime | None, name: str) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise ValidationError(f"{name} must be timezone-aware", parameter=name)
    return value


@attrs.frozen(kw_only=True)
class BackupRun:
    """A backup run from any vendor, in one shape.

    Attributes:
        vendor: ``"cove"``, ``"comet"`` or ``"npm_backup"``.
        device_id: the vendor's stable id of the protected device/account.
        device_name: a human name for it.
        run_id: the vendor's id of the run (unique per vendor).
        status: how it ended.
        started, ended: aware UTC datetimes (``ended`` is None while running).
        bytes_processed: bytes read/selected by the run, when the vendor says.
        bytes_uploaded: bytes sent to storage, when the vendor says.
        errors: error count, when known.
        customer: the tenant/partner/user the device belongs to.
        data_source: what was backed up (a Cove data source, a Comet protected item...).
        raw_status: the vendor's own status value, for audits.
    """

    vendor: str
    device_id: str
    device_name: str = ""
    run_id: str
    status: RunStatus
    started: datetime | None = attrs.field(default=None)
    ended: datetime | None = attrs.field(default=None)
    bytes_processed: int | None = None
    bytes_uploaded: int | None = None
    errors: int | None = None
    customer: str | None = None
    data_source: str | None = None
    raw_status: str | int | None = None

    def __attrs_post_init__(self) -> None:
        _aware(self.started, "started")
        _aware(self.ended, "ended")

    @property
    def duration(self) -> timedelta | None:
        if self.started is None or self.ended is None:
            return None
        return self.ended - self.started

    def to_record(self) -> dict[str, Any]:
        """A flat, JSON-friendly dict (datetimes as ISO 8601 strings)."""
        out = attrs.asdict(self)
        out["status"] = self.status.value
        for key in ("started", "ended"):
            value = out[key]
            out[key] = value.isoformat() if value is not None else None
        return out


def latest_success_by_device(runs: Iterable[BackupRun]) -> dict[tuple[str, str], BackupRun]:
    """The newest successful (or warning) run per ``(vendor, device_id)``."""
    best: dict[tuple[str, str], BackupRun] = {}
    for run in runs:
        if not run.status.is_success:
            continue
        when = run.ended or run.started
        if when is None:
            continue
        key = (run.vendor, run.device_id)
        current = best.get(key)
        if current is None or when > (current.ended or current.started or when):
            best[key] = run
    return best


def stale_devices(
    runs: Iterable[BackupRun],
    *,
    within: timedelta = timedelta(hours=24),
    now: datetime | None = None,
    devices: Iterable[tuple[str, str]] = (),
) -> list[tuple[str, str]]:
    """Devices with no successful run that ended in the last ``within``.

    ``devices`` lists ``(vendor, device_id)`` pairs that must be considered even if they
    have no runs at all (a device that never backed up is the stalest of all). The result
    is sorted.
    """
    now = now or datetime.now(timezone.utc)
    if now.tzinfo is None:
        raise ValidationError("now must be timezone-aware", parameter="now")
    cutoff = now - within
    known: set[tuple[str, str]] = set(devices)
    all_runs = list(runs)
    known.update((r.vendor, r.device_id) for r in all_runs)
    fresh = {
        key
        for key, run in latest_success_by_device(all_runs).items()
        if (run.ended or run.started or cutoff) > cutoff
    }
    return sorted(known - fresh)


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
