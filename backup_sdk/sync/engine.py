"""The sync engine: poll every source, write runs and state together, forever.

One poll of one source:

1. load the source's state from the store (nothing is cached between polls, so another
   process, or this one after a crash, continues where the last commit left off);
2. ask ``iter_runs(since, until)`` with ``since = high_water - overlap`` and
   ``until = now`` (a long gap is walked in windows of at most ``max_window``, each
   committed on its own); runs reported twice in one answer are merged by key;
3. ask again for runs seen running before that this answer did not mention, when the
   source can (an optional ``refresh_runs(run_ids)`` method);
4. work out the next state: ``high_water = until``; the open runs are those running
   now plus those not heard of for less than ``open_ttl`` (at most ``max_open``);
5. ``store.commit(source, runs, state)``: both or neither.

A crash anywhere before 5 completes leaves the old state, so the next poll asks for the
same window again: nothing is lost. Runs are upserted by key, so asking twice delivers
nothing twice. The state is a timestamp and the open runs: it does not grow with time.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Protocol

import attrs

from backup_sdk.errors import ValidationError
from backup_sdk.runs import BackupRun, Device, RunSource, RunStatus
from backup_sdk.sync.state import SourceState
from backup_sdk.sync.store import RunStore, merge_run
from backup_sdk.validate import check_aware

__all__ = ["Clock", "SourceReport", "SyncEngine", "SyncReport", "clock_function", "utc_clock"]

log = logging.getLogger("backup_sdk.sync")


class _Timer(Protocol):
    def time(self) -> float: ...


#: Something that tells the time: a function returning an aware datetime, or an object
#: with ``time()`` in unix seconds (a :class:`~backup_sdk.testing.SimClock`).
Clock = Callable[[], datetime] | _Timer


def utc_clock() -> datetime:
    """The wall clock, as an aware UTC datetime."""
    return datetime.now(timezone.utc)


def clock_function(clock: Clock) -> Callable[[], datetime]:
    """``clock`` as a function returning an aware datetime."""
    if callable(clock):
        return clock
    timer = clock
    return lambda: datetime.fromtimestamp(timer.time(), timezone.utc)


@attrs.frozen(kw_only=True)
class SourceReport:
    """What one poll did with one source.

    Attributes:
        source: the source's name.
        since, until: the range asked for (the first and last window's bounds).
        windows: how many windows were asked for (more than one after a long gap).
        fetched: distinct runs the source reported.
        changed: the runs inserted or updated in the store.
        open: runs still open (running) after the poll.
        expired: keys of open runs given up on (not heard of for ``open_ttl``, or beyond
            ``max_open``): their rows keep the last status the vendor reported.
        devices: devices in the inventory saved by this poll (None: not saved this time).
        error: why the poll of this source failed (its state did not move), else None.
        warnings: problems that did not stop the poll (an inventory that could not be read).
    """

    source: str
    since: datetime | None = None
    until: datetime | None = None
    windows: int = 0
    fetched: int = 0
    changed: tuple[BackupRun, ...] = ()
    open: int = 0
    expired: tuple[str, ...] = ()
    devices: int | None = None
    error: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None


@attrs.frozen(kw_only=True)
class SyncReport:
    """What one poll of every source did."""

    now: datetime
    sources: tuple[SourceReport, ...]

    @property
    def ok(self) -> bool:
        """Every source was polled and committed."""
        return all(report.ok for report in self.sources)

    @property
    def changed(self) -> list[BackupRun]:
        """Every run inserted or updated, all sources together."""
        return [run for report in self.sources for run in report.changed]

    def summary(self) -> str:
        """One line per source, for logs and the command line."""
        lines = []
        for report in self.sources:
            if report.error is not None:
                lines.append(f"{report.source}: failed: {report.error}")
                continue
            text = (
                f"{report.source}: {report.fetched} runs read, {len(report.changed)} stored "
                f"or updated, {report.open} running"
            )
            if report.expired:
                text += f", {len(report.expired)} given up on"
            if report.devices is not None:
                text += f", inventory of {report.devices} devices"
            lines.extend([text, *(f"{report.source}: warning: {w}" for w in report.warnings)])
        return "\n".join(lines)


class _Progress:
    """What a poll of one source has done so far (for its report)."""

    __slots__ = (
        "changed",
        "devices",
        "expired",
        "fetched",
        "since",
        "until",
        "warnings",
        "windows",
    )

    def __init__(self) -> None:
        self.since: datetime | None = None
        self.until: datetime | None = None
        self.windows = 0
        self.fetched = 0
        self.changed: dict[str, BackupRun] = {}
        self.expired: list[str] = []
        self.warnings: list[str] = []
        self.devices: int | None = None

    def report(
        self, name: str, state: SourceState | None, error: str | None = None
    ) -> SourceReport:
        return SourceReport(
            source=name,
            since=self.since,
            until=self.until,
            windows=self.windows,
            fetched=self.fetched,
            changed=tuple(self.changed.values()),
            open=len(state.open) if state is not None else 0,
            expired=tuple(self.expired),
            devices=self.devices,
            error=error,
            warnings=tuple(self.warnings),
        )


def _wait_in_slices(stop: threading.Event, seconds: float) -> None:
    """Wait ``seconds`` or until ``stop`` is set, in short slices.

    A signal can land on any thread; Python runs its handler in the main thread only once
    that thread is back in the interpreter, and a thread blocked in one long
    ``Event.wait`` is not woken up for it. Short slices bound the delay to half a second.
    """
    deadline = time.monotonic() + seconds
    while not stop.is_set():
        left = deadline - time.monotonic()
        if left <= 0:
            return
        stop.wait(min(left, 0.5))


def _check_span(name: str, value: object, *, positive: bool = True) -> timedelta:
    if not isinstance(value, timedelta) or value < timedelta(0) or (positive and not value):
        rule = "> 0" if positive else ">= 0"
        raise ValidationError(f"{name} must be a timedelta {rule}, got {value!r}", parameter=name)
    return value


class SyncEngine:
    """Keeps a :class:`~backup_sdk.sync.RunStore` up to date with every source.

    Args:
        sources: ``{name: RunSource}``, the name being the vendor (``"cove"``...).
        store: where runs and state go (:class:`~backup_sdk.sync.SqliteRunStore`, or your own).
        overlap: how far each window reaches back before the last one's end, so that runs
            a vendor writes late are not missed (a run that becomes visible up to
            ``overlap`` after it ended is still found).
        lookback: how far the very first poll of a source reaches back.
        max_window: the longest range asked for at once; after a long gap (the job was
            stopped for a week) the gap is walked in windows of this length, each
            committed on its own.
        open_ttl: how long a run seen running is waited for after the source stops
            reporting it.
        max_open: the most open runs remembered per source (the oldest go first).
        inventory_every: how often each source's ``devices()`` is saved with the runs
            (None: never).
        clock: what tells the time (default: the wall clock; pass a ``SimClock`` or a
            function in tests). ``poll(now)`` overrides it for one poll.

    Raises:
        ValidationError: a bad duration or bound.
    """

    def __init__(
        self,
        sources: Mapping[str, RunSource],
        store: RunStore,
        *,
        overlap: timedelta = timedelta(minutes=30),
        lookback: timedelta = timedelta(hours=24),
        max_window: timedelta = timedelta(days=1),
        open_ttl: timedelta = timedelta(days=7),
        max_open: int = 10_000,
        inventory_every: timedelta | None = timedelta(hours=1),
        clock: Clock = utc_clock,
    ) -> None:
        self.sources = dict(sources)
        self.store = store
        self.overlap = _check_span("overlap", overlap, positive=False)
        self.lookback = _check_span("lookback", lookback, positive=False)
        self.max_window = _check_span("max_window", max_window)
        self.open_ttl = _check_span("open_ttl", open_ttl, positive=False)
        if inventory_every is not None:
            _check_span("inventory_every", inventory_every, positive=False)
        self.inventory_every = inventory_every
        if isinstance(max_open, bool) or not isinstance(max_open, int) or max_open < 0:
            raise ValidationError(
                f"max_open must be an int >= 0, got {max_open!r}", parameter="max_open"
            )
        self.max_open = max_open
        self._now = clock_function(clock)

    def now(self) -> datetime:
        """The engine clock's time."""
        return check_aware("clock()", self._now())

    # -- one poll ----------------------------------------------------------------------------

    def poll(
        self, now: datetime | None = None, *, stop: threading.Event | None = None
    ) -> SyncReport:
        """Poll every source once (a failing source does not stop the others).

        ``stop``: when set, the poll ends after the window being committed, leaving the
        rest for the next poll.
        """
        when = self.now() if now is None else check_aware("now", now)
        reports = []
        for name, source in self.sources.items():
            if stop is not None and stop.is_set():
                break
            reports.append(self._poll_source(name, source, when, stop))
        return SyncReport(now=when, sources=tuple(reports))

    def _poll_source(
        self, name: str, source: RunSource, now: datetime, stop: threading.Event | None
    ) -> SourceReport:
        progress = _Progress()
        state: SourceState | None = None
        try:
            state = self.store.load_state(name) or SourceState(source=name)
            devices, problem = self._inventory(source, state, now)
            if problem:
                progress.warnings.append(problem)
            high = state.high_water if state.high_water is not None else now - self.lookback
            if high > now:
                log.warning("%s: the last poll is in the future (%s): clock went back", name, high)
                high = now
            while True:
                window_end = min(now, high + self.max_window)
                window_start = high - self.overlap
                if progress.since is None:
                    progress.since = window_start
                progress.until = window_end
                runs = self._fetch(source, state, window_start, window_end)
                state, gone = self._advance(state, runs, window_start, window_end, now, devices)
                written = self.store.commit(name, list(runs.values()), state, devices=devices)
                progress.windows += 1
                progress.fetched += len(runs)
                if gone:
                    progress.expired.extend(gone)
                for run in written:
                    progress.changed[run.key] = run
                if devices is not None:
                    progress.devices, devices = len(devices), None
                high = window_end
                if window_end >= now or (stop is not None and stop.is_set()):
                    break
        except Exception as exc:  # one vendor's failure must not stop the others
            log.warning("%s: poll failed: %s", name, exc, exc_info=True)
            return progress.report(name, state, error=f"{type(exc).__name__}: {exc}")
        return progress.report(name, state)

    def _inventory(
        self, source: RunSource, state: SourceState, now: datetime
    ) -> tuple[list[Device] | None, str | None]:
        every = self.inventory_every
        if every is None or (state.inventory_at is not None and now - state.inventory_at < every):
            return None, None
        try:
            return list(source.devices()), None
        except Exception as exc:
            log.warning("%s: the inventory could not be read: %s", state.source, exc)
            return None, f"the inventory could not be read: {type(exc).__name__}: {exc}"

    @staticmethod
    def _merge(runs: dict[str, BackupRun], found: Iterable[BackupRun]) -> None:
        for run in found:
            key = run.key
            kept = runs.get(key)
            if kept is None or merge_run(kept, run) is not None:
                runs[key] = run

    def _fetch(
        self, source: RunSource, state: SourceState, since: datetime, until: datetime
    ) -> dict[str, BackupRun]:
        runs: dict[str, BackupRun] = {}
        self._merge(runs, source.iter_runs(since, until))
        refresh: Callable[[Sequence[str]], Iterable[BackupRun]] | None = getattr(
            source, "refresh_runs", None
        )
        if refresh is not None and state.open:
            missing = [key.partition(":")[2] for key in state.open if key not in runs]
            if missing:
                self._merge(runs, refresh(missing))
        return runs

    def _advance(
        self,
        state: SourceState,
        runs: Mapping[str, BackupRun],
        since: datetime,
        until: datetime,
        now: datetime,
        devices: list[Device] | None,
    ) -> tuple[SourceState, list[str]]:
        still_open: dict[str, datetime] = {}
        expired: list[str] = []
        for key, last_seen in state.open.items():
            if key in runs:
                continue
            if now - last_seen > self.open_ttl:
                expired.append(key)
            else:
                still_open[key] = last_seen
        for key, run in runs.items():
            if run.status is RunStatus.RUNNING:
                still_open[key] = now
        if len(still_open) > self.max_open:
            newest = sorted(still_open.items(), key=lambda item: item[1], reverse=True)
            still_open = dict(newest[: self.max_open])
            expired.extend(key for key, _ in newest[self.max_open :])
        if expired:
            log.info("%s: %d open runs given up on", state.source, len(expired))
        return (
            SourceState(
                source=state.source,
                high_water=until,
                open=still_open,
                history_start=state.history_start or since,
                inventory_at=now if devices is not None else state.inventory_at,
                polls=state.polls + 1,
                last_poll=now,
            ),
            expired,
        )

    # -- forever -----------------------------------------------------------------------------

    def run(
        self,
        every: timedelta,
        *,
        stop: threading.Event | None = None,
        wait: Callable[[float], object] | None = None,
        polls: int | None = None,
        on_report: Callable[[SyncReport], object] | None = None,
    ) -> int:
        """Poll every ``every`` until ``stop`` is set (or ``polls`` polls were made).

        Polls start ``every`` apart (a poll that overruns is followed at once by the next,
        never by a burst). ``wait(seconds)`` does the waiting (default: on ``stop``, waking
        at least twice a second, so that a stop, or a signal handler that sets it, ends the
        wait at once; pass ``clock.sleep`` of a ``SimClock`` to simulate).
        Returns the number of polls made.
        """
        _check_span("every", every)
        stop = stop or threading.Event()
        pause = wait or functools.partial(_wait_in_slices, stop)
        count = 0
        while not stop.is_set():
            started = self.now()
            report = self.poll(started, stop=stop)
            count += 1
            if on_report is not None:
                on_report(report)
            if polls is not None and count >= polls:
                break
            delay = (started + every - self.now()).total_seconds()
            if delay > 0 and not stop.is_set():
                pause(delay)
        return count
