"""The commands of ``backup-sdk``: runs, stale, devices, sync (``demo`` is in backup_sdk.demo)."""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TextIO

import attrs

from backup_sdk.cli.config import Settings, load_settings
from backup_sdk.cli.output import write_devices, write_runs, write_verdicts
from backup_sdk.cli.progress import Progress
from backup_sdk.cli.times import parse_duration, parse_time
from backup_sdk.errors import BackupSDKError, ConfigurationError, MissingDependencyError
from backup_sdk.runs import BackupRun, Device, RunSource, RunStatus
from backup_sdk.staleness import DeviceStaleness, Verdict, assess_devices
from backup_sdk.sync import SqliteRunStore, SyncEngine, SyncReport, merge_run
from backup_sdk.vendors import Vendor

__all__ = [
    "EXIT_CONFIG",
    "EXIT_FAIL_ON",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "EXIT_VENDOR",
    "Context",
    "UsageError",
]

log = logging.getLogger("backup_sdk.cli")

#: Exit statuses (documented in ``backup-sdk --help`` and docs/cli.md).
EXIT_OK = 0
EXIT_FAIL_ON = 1
EXIT_USAGE = 2
EXIT_CONFIG = 3
EXIT_VENDOR = 4
EXIT_INTERRUPTED = 130
#: When several apply, the first of these wins.
_PRECEDENCE = (EXIT_CONFIG, EXIT_VENDOR, EXIT_FAIL_ON, EXIT_OK)

RUN_TOKENS = tuple(status.value for status in RunStatus)
DEVICE_TOKENS = ("stale", "never", "unknown")


class UsageError(Exception):
    """A bad argument value (exit status 2)."""


def _tokens(text: str | None, allowed: Sequence[str], option: str) -> set[str]:
    if not text:
        return set()
    found = {part.strip().lower() for part in text.split(",") if part.strip()}
    bad = sorted(found - set(allowed))
    if bad:
        raise UsageError(f"{option}: unknown {', '.join(bad)} (choose from {', '.join(allowed)})")
    return found


def _duration(text: str, option: str) -> timedelta:
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


@attrs.define
class Context:
    """What a command runs with (the tests give their own streams, clock and registry)."""

    args: argparse.Namespace
    stdout: TextIO
    stderr: TextIO
    environ: Mapping[str, str]
    registry: Mapping[str, Vendor]
    clock: Callable[[], datetime]
    stop: threading.Event
    handle_signals: bool = True
    wait: Callable[[float], object] | None = None
    clients: list[Any] = attrs.field(factory=list)
    statuses: list[int] = attrs.field(factory=list)

    @property
    def progress(self) -> Progress:
        return Progress(self.stderr, enabled=getattr(self.args, "progress", None))

    def exit_status(self) -> int:
        for status in _PRECEDENCE:
            if status in self.statuses:
                return status
        return EXIT_OK

    def note(self, text: str) -> None:
        self.stderr.write(f"backup-sdk: {text}\n")

    def fail(self, status: int, text: str) -> None:
        self.statuses.append(status)
        self.note(text)

    def close(self) -> None:
        for client in self.clients:
            with contextlib.suppress(Exception):
                client.close()
        self.clients.clear()

    # -- vendors -----------------------------------------------------------------------------

    def settings(self) -> Settings:
        return load_settings(
            self.registry, self.environ, config=self.args.config, profile=self.args.profile
        )

    def selected(self) -> list[str]:
        names: list[str] = []
        for value in getattr(self.args, "vendor", None) or []:
            names.extend(part.strip() for part in value.split(",") if part.strip())
        unknown = [name for name in names if name not in self.registry]
        if unknown:
            raise UsageError(
                f"--vendor: unknown {', '.join(unknown)} "
                f"(installed: {', '.join(self.registry) or 'none'})"
            )
        return list(dict.fromkeys(names))

    def sources(self) -> dict[str, RunSource]:
        """A run source for every configured (and selected) vendor; problems are noted."""
        settings = self.settings()
        wanted = self.selected()
        names = wanted or settings.configured()
        if not names:
            prefixes = ", ".join(f"{v.env_prefix}_*" for v in self.registry.values())
            where = settings.path or "~/.config/backup-sdk/config.toml"
            raise ConfigurationError(
                f"no vendor is configured: set the {prefixes} environment variables or "
                f"write a profile in {where} (see backup-sdk --help)"
            )
        found: dict[str, RunSource] = {}
        for name in names:
            vendor = self.registry[name]
            if name not in settings.environ:
                self.fail(
                    EXIT_CONFIG,
                    f"{name} is not configured: set {vendor.env_prefix}_URL, "
                    f"{vendor.env_prefix}_USERNAME... or add [profiles.<name>.{name}] to the "
                    "config file",
                )
                continue
            if not vendor.run_source:
                self.fail(
                    EXIT_VENDOR, f"{name}: {vendor.package} has no run source in this version"
                )
                continue
            try:
                client = vendor.load("client").from_env(dict(settings.environ[name]))
            except ConfigurationError as exc:
                self.fail(EXIT_CONFIG, f"{name} ({settings.origin[name]}): {exc}")
                continue
            self.clients.append(client)
            found[name] = vendor.load("run_source")(client)
        return found

    def now(self) -> datetime:
        return self.clock()


def _vendor_failure(ctx: Context, name: str, exc: BaseException) -> None:
    ctx.fail(EXIT_VENDOR, f"{name}: {type(exc).__name__}: {exc}")


_FAILURES = (BackupSDKError, OSError)


def _collect_runs(
    ctx: Context, sources: Mapping[str, RunSource], since: datetime, until: datetime
) -> tuple[dict[str, list[BackupRun]], set[str]]:
    found: dict[str, list[BackupRun]] = {}
    failed: set[str] = set()
    for name, source in sources.items():
        merged: dict[str, BackupRun] = {}
        try:
            for run in ctx.progress.track(source.iter_runs(since, until), f"{name}", "runs"):
                kept = merged.get(run.key)
                if kept is None or merge_run(kept, run) is not None:
                    merged[run.key] = run
        except _FAILURES as exc:
            _vendor_failure(ctx, name, exc)
            failed.add(name)
            continue
        found[name] = list(merged.values())
    return found, failed


def _collect_devices(
    ctx: Context, sources: Mapping[str, RunSource]
) -> dict[str, list[Device] | None]:
    found: dict[str, list[Device] | None] = {}
    for name, source in sources.items():
        try:
            found[name] = list(ctx.progress.track(source.devices(), f"{name}", "devices"))
        except _FAILURES as exc:
            _vendor_failure(ctx, name, exc)
            found[name] = None
    return found


_NEVER = datetime.min.replace(tzinfo=timezone.utc)


def _sort_runs(runs: Iterable[BackupRun]) -> list[BackupRun]:
    return sorted(runs, key=lambda r: (r.ended or r.started or _NEVER, r.key))


def _open_store(path: str, *, create: bool) -> SqliteRunStore:
    if not create and not Path(path).exists():
        raise ConfigurationError(f"no run store at {path} (backup-sdk sync --db {path} makes one)")
    return SqliteRunStore(path)


# -- runs ------------------------------------------------------------------------------------


def cmd_runs(ctx: Context) -> None:
    args = ctx.args
    now = ctx.now()
    try:
        since = parse_time(args.since, now=now)
        until = parse_time(args.until, now=now) if args.until else now
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    statuses = _tokens(args.status, RUN_TOKENS, "--status")
    fail_on = _tokens(args.fail_on, RUN_TOKENS, "--fail-on")
    runs: list[BackupRun]
    if args.db:
        with _open_store(args.db, create=False) as store:
            runs = list(
                store.runs(
                    vendors=ctx.selected() or None,
                    since=since,
                    until=until,
                    statuses=statuses or None,
                )
            )
    else:
        found, _ = _collect_runs(ctx, ctx.sources(), since, until)
        if not found and args.format == "table":
            return  # no vendor answered: "No runs." would not be true (the errors say why)
        runs = [run for group in found.values() for run in group]
        if statuses:
            runs = [run for run in runs if run.status.value in statuses]
    runs = _sort_runs(runs)
    write_runs(ctx.stdout, runs, args.format)
    if fail_on and any(run.status.value in fail_on for run in runs):
        ctx.statuses.append(EXIT_FAIL_ON)


# -- stale -----------------------------------------------------------------------------------

_ORDER = {Verdict.NEVER: 0, Verdict.STALE: 1, Verdict.UNKNOWN: 2, Verdict.FRESH: 3}


def _judge(
    devices: Mapping[str, list[Device] | None],
    runs: Mapping[str, list[BackupRun]],
    *,
    within: timedelta,
    now: datetime,
    warning_ok: bool | None,
    runs_since: datetime | None,
) -> list[DeviceStaleness]:
    verdicts: list[DeviceStaleness] = []
    for name in dict.fromkeys([*devices, *runs]):
        verdicts.extend(
            assess_devices(
                devices.get(name),
                runs.get(name, []),
                within=within,
                now=now,
                warning_counts_as_success=warning_ok,
                runs_since=runs_since,
            )
        )
    return verdicts


def _summary(verdicts: Sequence[DeviceStaleness]) -> str:
    counts = dict.fromkeys(Verdict, 0)
    for v in verdicts:
        counts[v.verdict] += 1
    stale = counts[Verdict.STALE] + counts[Verdict.NEVER]
    text = (
        f"{stale} of {len(verdicts)} devices had no good backup in the window "
        f"({counts[Verdict.NEVER]} never backed up)"
    )
    if counts[Verdict.UNKNOWN]:
        text += f"; {counts[Verdict.UNKNOWN]} unknown (their state cannot be read)"
    return text + "."


def cmd_stale(ctx: Context) -> None:
    args = ctx.args
    now = ctx.now()
    within = _duration(args.within, "--within")
    lookback = max(_duration(args.lookback, "--lookback"), within)
    fail_on = _tokens(args.fail_on, DEVICE_TOKENS, "--fail-on")
    since = now - lookback
    runs_since: datetime | None = since
    devices: dict[str, list[Device] | None]
    runs: dict[str, list[BackupRun]]
    if args.db:
        with _open_store(args.db, create=False) as store:
            selected = ctx.selected() or None
            states = store.states()
            names = selected or list(states)
            stored = store.devices(vendors=names)
            devices = {name: [d for d in stored if d.vendor == name] or None for name in names}
            runs = {name: [] for name in names}
            for run in store.runs(vendors=names, since=since):
                runs.setdefault(run.vendor, []).append(run)
            starts = [s.history_start for n, s in states.items() if n in names and s.history_start]
            if starts:
                runs_since = max([since, *starts])
    else:
        sources = ctx.sources()
        devices = _collect_devices(ctx, sources)
        runs, failed = _collect_runs(ctx, sources, since, now)
        for name in failed:
            devices.pop(name, None)
        if not runs and args.format == "table":
            return  # no vendor answered: "No stale devices." would not be true
    verdicts = _judge(
        devices,
        runs,
        within=within,
        now=now,
        warning_ok=args.warnings_count_as_success,
        runs_since=runs_since,
    )
    shown = [v for v in verdicts if args.all or v.verdict is not Verdict.FRESH]
    shown.sort(
        key=lambda v: (
            _ORDER[v.verdict],
            v.device.vendor,
            v.device.customer or "",
            v.device.device_name or v.device.device_id,
        )
    )
    write_verdicts(ctx.stdout, shown, args.format)
    if args.format == "table" and verdicts:
        ctx.stdout.write(_summary(verdicts) + "\n")
    hit = {
        "stale": any(v.is_stale for v in verdicts),
        "never": any(v.verdict is Verdict.NEVER for v in verdicts),
        "unknown": any(v.verdict is Verdict.UNKNOWN for v in verdicts),
    }
    if any(hit[token] for token in fail_on):
        ctx.statuses.append(EXIT_FAIL_ON)


# -- devices ---------------------------------------------------------------------------------


def cmd_devices(ctx: Context) -> None:
    args = ctx.args
    found: list[Device] = []
    if args.db:
        with _open_store(args.db, create=False) as store:
            found = store.devices(vendors=ctx.selected() or None)
    else:
        groups = _collect_devices(ctx, ctx.sources())
        if all(group is None for group in groups.values()) and args.format == "table":
            return  # no vendor answered
        for group in groups.values():
            found.extend(group or [])
    found.sort(key=lambda d: (d.vendor, d.customer or "", d.device_name, d.device_id))
    write_devices(ctx.stdout, found, args.format)


# -- sync ------------------------------------------------------------------------------------


class _Tracked:
    """A run source whose enumerations show progress."""

    def __init__(self, name: str, source: RunSource, progress: Progress) -> None:
        self.vendor = name
        self._source = source
        self._progress = progress
        refresh = getattr(source, "refresh_runs", None)
        if refresh is not None:
            self.refresh_runs = refresh

    def iter_runs(self, since: datetime, until: datetime) -> Iterable[BackupRun]:
        return self._progress.track(self._source.iter_runs(since, until), self.vendor, "runs")

    def devices(self) -> Iterable[Device]:
        return self._progress.track(self._source.devices(), self.vendor, "devices")


@contextlib.contextmanager
def stop_on_signals(stop: threading.Event, *, enabled: bool = True) -> Iterator[None]:
    """SIGINT and SIGTERM set ``stop`` (a clean stop after the current commit); a second
    signal interrupts at once (still safe: an unfinished commit is rolled back)."""
    if not enabled or threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        log.info("signal %s: stopping after the current commit", signum)
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def cmd_sync(ctx: Context) -> None:
    args = ctx.args
    overlap = _duration(args.overlap, "--overlap")
    lookback = _duration(args.lookback, "--lookback")
    every = _duration(args.every, "--every") if args.every else None
    if every is not None and every <= timedelta(0):
        raise UsageError("--every must be longer than 0")
    retain = _duration(args.retain, "--retain") if args.retain else None
    fail_on = _tokens(args.fail_on, RUN_TOKENS, "--fail-on")
    sources = ctx.sources()
    if not sources:
        return
    progress = ctx.progress
    tracked: dict[str, RunSource] = {
        name: _Tracked(name, source, progress) for name, source in sources.items()
    }
    last: list[SyncReport] = []

    def report(result: SyncReport) -> None:
        last[:] = [result]
        if retain is not None:
            store.prune(result.now - retain)
        if not args.quiet:
            stamp = f"{result.now:%Y-%m-%d %H:%M:%S} UTC "
            for line in result.summary().splitlines():
                ctx.stdout.write(f"{stamp}{line}\n" if every else f"{line}\n")
            ctx.stdout.flush()
        for source in result.sources:
            if source.error is not None:
                ctx.note(f"{source.source}: sync failed: {source.error}")

    with (
        _open_store(args.db, create=True) as store,
        stop_on_signals(ctx.stop, enabled=ctx.handle_signals),
    ):
        engine = SyncEngine(tracked, store, overlap=overlap, lookback=lookback, clock=ctx.clock)
        if every is None:
            report(engine.poll(stop=ctx.stop))
        else:
            engine.run(every, stop=ctx.stop, wait=ctx.wait, on_report=report)
    if last and not last[0].ok:
        ctx.statuses.append(EXIT_VENDOR)
    if fail_on and last and any(run.status.value in fail_on for run in last[0].changed):
        ctx.statuses.append(EXIT_FAIL_ON)


COMMANDS: dict[str, Callable[[Context], None]] = {
    "runs": cmd_runs,
    "stale": cmd_stale,
    "devices": cmd_devices,
    "sync": cmd_sync,
}


def run_command(ctx: Context) -> int:
    """Run ``ctx.args.command``; returns the exit status."""
    try:
        COMMANDS[ctx.args.command](ctx)
    except UsageError as exc:
        ctx.note(str(exc))
        return EXIT_USAGE
    except (ConfigurationError, MissingDependencyError) as exc:
        ctx.fail(EXIT_CONFIG, str(exc))
    except KeyboardInterrupt:
        ctx.note("interrupted")
        return EXIT_INTERRUPTED
    finally:
        ctx.close()
    return ctx.exit_status()
