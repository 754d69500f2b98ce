"""Where the sync writes: the :class:`RunStore` protocol, its upsert rule, a memory store.

A store keeps one row per :attr:`BackupRun.key` and the sync state of each source. The
engine hands it a poll's runs **and** the state that follows from them in one call,
:meth:`RunStore.commit`, which must write both or neither: that is what makes a crash at
any moment lose nothing (the next poll asks for the same window again) and deliver nothing
twice (rows are upserted by key).

To write into your own database, implement the three methods; :func:`merge_run` is the
upsert rule to apply per row, :meth:`SourceState.to_json` the state to keep (a text
column). See ``docs/monitoring.md`` for a complete example.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from typing import Protocol, runtime_checkable

from backup_sdk.runs import BackupRun, Device, RunList, RunStatus
from backup_sdk.sync.state import SourceState

__all__ = ["MemoryRunStore", "RunStore", "merge_run", "run_time"]


@runtime_checkable
class RunStore(Protocol):
    """What the sync engine needs from a store."""

    def load_state(self, source: str) -> SourceState | None:
        """The state last committed for ``source`` (None: it was never synced)."""
        ...

    def commit(
        self,
        source: str,
        runs: Sequence[BackupRun],
        state: SourceState,
        *,
        devices: Sequence[Device] | None = None,
    ) -> Sequence[BackupRun]:
        """In **one transaction**: upsert ``runs`` by key (following :func:`merge_run`),
        save ``state`` as the state of ``source``, and, when ``devices`` is given, replace
        the inventory of ``source`` with it. If anything fails, nothing is written.

        Returns the runs that were inserted or changed (not those already stored as
        they are).
        """
        ...


def merge_run(stored: BackupRun | None, incoming: BackupRun) -> BackupRun | None:
    """The upsert rule: the row to write for ``incoming``, or None to leave ``stored``.

    * a new key is inserted;
    * a final status is never replaced by ``running`` (a poll that reaches back over the
      overlap, or a vendor that lags, may report a finished run as running again);
    * otherwise the newest report wins (a run seen running is updated to how it ended);
    * a report equal to what is stored changes nothing.
    """
    if stored is None:
        return incoming
    if stored.status is not RunStatus.RUNNING and incoming.status is RunStatus.RUNNING:
        return None
    if stored == incoming:
        return None
    return incoming


_NEVER = datetime.min.replace(tzinfo=timezone.utc)


def run_time(run: BackupRun) -> datetime | None:
    """The time a query by date uses: when the run ended, else when it started."""
    return run.ended or run.started


class MemoryRunStore:
    """A :class:`RunStore` in memory (tests, notebooks, a reference implementation)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.rows: dict[str, BackupRun] = {}
        self.states: dict[str, SourceState] = {}
        self.inventories: dict[str, list[Device]] = {}

    def load_state(self, source: str) -> SourceState | None:
        with self._lock:
            state = self.states.get(source)
            # a copy, so that the engine's changes reach the store only through commit()
            return SourceState.from_json(state.to_json()) if state is not None else None

    def commit(
        self,
        source: str,
        runs: Sequence[BackupRun],
        state: SourceState,
        *,
        devices: Sequence[Device] | None = None,
    ) -> Sequence[BackupRun]:
        with self._lock:
            changed: dict[str, BackupRun] = {}
            for run in runs:
                key = run.key
                row = merge_run(changed.get(key) or self.rows.get(key), run)
                if row is not None:
                    changed[key] = row
            saved = SourceState.from_json(state.to_json())  # fails before anything is written
            self.rows.update(changed)
            self.states[source] = saved
            if devices is not None:
                self.inventories[source] = list(devices)
            return list(changed.values())

    def runs(
        self,
        *,
        vendors: Iterable[str] | None = None,
        since: datetime | None = None,
        statuses: Iterable[RunStatus | str] | None = None,
    ) -> RunList:
        """Stored runs, oldest first, optionally filtered."""
        wanted_vendors = set(vendors) if vendors is not None else None
        wanted = {RunStatus(s) for s in statuses} if statuses is not None else None
        with self._lock:
            found = [
                run
                for run in self.rows.values()
                if (wanted_vendors is None or run.vendor in wanted_vendors)
                and (wanted is None or run.status in wanted)
                and (since is None or ((when := run_time(run)) is not None and when >= since))
            ]
        found.sort(key=lambda r: (run_time(r) or _NEVER, r.key))
        return RunList(found)

    def devices(self, *, vendors: Iterable[str] | None = None) -> list[Device]:
        """The inventories last saved."""
        wanted = set(vendors) if vendors is not None else None
        with self._lock:
            return [
                device
                for source, found in sorted(self.inventories.items())
                if wanted is None or source in wanted
                for device in found
            ]
