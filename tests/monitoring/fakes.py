"""Fake run sources and stores for the sync and command-line tests.

:class:`ScheduledSource` is a vendor whose devices back up on a schedule, on a simulated
clock: runs are reported running while they run, their final state becomes visible a
little after they end (vendors write late), a few never finish visibly, and it knows the
truth to compare a store with.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timedelta, timezone

import attrs

from backup_sdk.runs import BackupRun, Device, RunStatus
from backup_sdk.sync import SourceState

__all__ = ["Planned", "ScheduledSource", "StaticSource", "utc"]

EPOCH = datetime(2026, 1, 1, tzinfo=timezone.utc)
FINAL = (
    RunStatus.SUCCESS,
    RunStatus.SUCCESS,
    RunStatus.SUCCESS,
    RunStatus.WARNING,
    RunStatus.FAILED,
)


def utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc)


@attrs.define
class Planned:
    key: str
    running: BackupRun
    final: BackupRun
    start: datetime
    end: datetime
    visible_at: datetime
    vanishes: bool


class ScheduledSource:
    """``devices`` devices; every ``slot`` one device may start a run (probability
    ``rate``), lasting up to ``max_duration``, visible up to ``max_delay`` after it ends;
    a share ``vanish`` of runs are never reported finished (a vendor that drops them)."""

    def __init__(
        self,
        vendor: str,
        clock: Callable[[], datetime],
        *,
        devices: int = 5,
        slot: timedelta = timedelta(minutes=15),
        rate: float = 0.25,
        max_duration: timedelta = timedelta(minutes=50),
        max_delay: timedelta = timedelta(minutes=20),
        vanish: float = 0.01,
        seed: int = 1,
        start: datetime = EPOCH,
    ) -> None:
        self.vendor = vendor
        self._clock = clock
        self._rng = random.Random(seed)
        self.device_count = devices
        self.slot = slot
        self.rate = rate
        self.max_duration = max_duration
        self.max_delay = max_delay
        self.vanish = vanish
        self._next_slot = start
        self._serial = 0
        self._live: deque[Planned] = deque()
        #: key -> final status of every run that became visibly final
        self.truth: dict[str, RunStatus] = {}
        #: keys of runs that never finish visibly
        self.vanished: set[str] = set()
        self.calls: list[tuple[datetime, datetime]] = []
        self.fail_next = 0
        #: a vanishing run is still reported running this long after it should be visible
        self._silence = timedelta(minutes=30)
        self._keep = max_delay + timedelta(hours=1)

    def _plan(self, now: datetime) -> None:
        while self._next_slot <= now:
            start = self._next_slot
            self._next_slot += self.slot
            if self._rng.random() >= self.rate:
                continue
            self._serial += 1
            device = str(self._serial % self.device_count)
            duration = self.max_duration * self._rng.random()
            delay = self.max_delay * self._rng.random()
            end = start + duration
            run_id = f"run-{self._serial}"
            final = BackupRun(
                vendor=self.vendor,
                device_id=device,
                device_name=f"pc-{device}",
                run_id=run_id,
                status=self._rng.choice(FINAL),
                started=start,
                ended=end,
                bytes_processed=self._serial,
            )
            running = attrs.evolve(
                final, status=RunStatus.RUNNING, ended=None, bytes_processed=None
            )
            vanishes = self._rng.random() < self.vanish
            planned = Planned(final.key, running, final, start, end, end + delay, vanishes)
            self._live.append(planned)
            if vanishes:
                self.vanished.add(final.key)

    def iter_runs(self, since: datetime, until: datetime) -> Iterator[BackupRun]:
        now = self._clock()
        self.calls.append((since, until))
        if self.fail_next:
            self.fail_next -= 1
            raise ConnectionError("the vendor is down")
        self._plan(now)
        live = self._live
        horizon = now - self._keep
        while live and live[0].visible_at < horizon:
            live.popleft()
        for planned in live:
            if now < planned.visible_at:
                yield planned.running
            elif planned.vanishes:
                if now < planned.visible_at + self._silence:
                    yield planned.running
            elif since <= planned.end <= until:
                self.truth[planned.key] = planned.final.status
                yield planned.final

    def devices(self) -> list[Device]:
        return [
            Device(vendor=self.vendor, device_id=str(n), device_name=f"pc-{n}")
            for n in range(self.device_count)
        ]


class StaticSource:
    """A source that reports a fixed list of runs (those whose time is in the window, and
    every running one) and a fixed inventory."""

    def __init__(
        self, vendor: str, runs: Iterable[BackupRun] = (), devices: Iterable[Device] = ()
    ) -> None:
        self.vendor = vendor
        self.runs = list(runs)
        self.inventory = list(devices)
        self.calls: list[tuple[datetime, datetime]] = []
        self.refreshed: list[list[str]] = []
        self.error: Exception | None = None
        self.inventory_error: Exception | None = None

    def iter_runs(self, since: datetime, until: datetime) -> Iterator[BackupRun]:
        self.calls.append((since, until))
        for run in self.runs:
            if self.error is not None:
                raise self.error
            when = run.ended or run.started
            if run.status is RunStatus.RUNNING or (when is not None and since <= when <= until):
                yield run

    def devices(self) -> list[Device]:
        if self.inventory_error is not None:
            raise self.inventory_error
        return list(self.inventory)


class RefreshingSource(StaticSource):
    """A static source that can also look runs up by id (``refresh_runs``)."""

    def __init__(
        self, vendor: str, runs: Iterable[BackupRun] = (), *, lookup: Iterable[BackupRun] = ()
    ) -> None:
        super().__init__(vendor, runs)
        self.lookup = {run.run_id: run for run in lookup}

    def refresh_runs(self, run_ids: Sequence[str]) -> list[BackupRun]:
        self.refreshed.append(list(run_ids))
        return [self.lookup[r] for r in run_ids if r in self.lookup]


class LedgerStore:
    """A minimal store (the protocol, nothing more): it keeps each key's status and counts
    what was written, so a test can prove each run was stored once with its final status."""

    def __init__(self) -> None:
        self.status: dict[str, RunStatus] = {}
        self.final_writes: dict[str, int] = {}
        self.writes = 0
        self.states: dict[str, SourceState] = {}
        self.fail_commit = 0

    def load_state(self, source: str) -> SourceState | None:
        # the engine never changes a state it loaded (it commits a new one), so no copy
        return self.states.get(source)

    def commit(
        self,
        source: str,
        runs: Sequence[BackupRun],
        state: SourceState,
        *,
        devices: Sequence[Device] | None = None,
    ) -> Sequence[BackupRun]:
        if self.fail_commit:
            self.fail_commit -= 1
            raise OSError("disk full (simulated crash before the commit)")
        changed = []
        for run in runs:
            stored = self.status.get(run.key)
            if (
                stored is not None
                and stored is not RunStatus.RUNNING
                and run.status is RunStatus.RUNNING
            ):
                continue
            if stored is run.status:
                continue
            self.status[run.key] = run.status
            if run.status is not RunStatus.RUNNING:
                self.final_writes[run.key] = self.final_writes.get(run.key, 0) + 1
            self.writes += 1
            changed.append(run)
        self.states[source] = state
        return changed
