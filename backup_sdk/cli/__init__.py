"""The ``backup-sdk`` command line (also ``python -m backup_sdk``).

``main(argv)`` is the entry point; it returns the exit status. See ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TextIO

from backup_sdk._version import __version__
from backup_sdk.cli.app import (
    DEVICE_TOKENS,
    EXIT_CONFIG,
    EXIT_FAIL_ON,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    EXIT_VENDOR,
    RUN_TOKENS,
    Context,
    run_command,
)
from backup_sdk.cli.output import FORMATS
from backup_sdk.sync.engine import Clock, clock_function, utc_clock
from backup_sdk.vendors import Vendor, vendors

__all__ = [
    "EXIT_CONFIG",
    "EXIT_FAIL_ON",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "EXIT_VENDOR",
    "build_parser",
    "main",
]

_DESCRIPTION = """\
Backup runs and stale devices across N-able Cove, Comet Server and the Backup and
Restore v2.0 appliance, from one command line.

Credentials come from environment variables (COVE_PARTNER, COVE_USERNAME, COVE_PASSWORD;
COMET_URL, COMET_USERNAME, COMET_PASSWORD; NPM_BACKUP_URL, NPM_BACKUP_USERNAME,
NPM_BACKUP_PASSWORD...) or from a profile in ~/.config/backup-sdk/config.toml; never from
the command line. A vendor is used when it is configured.
"""

_EPILOG = """\
examples:
  backup-sdk demo                                   # no account needed: the simulators
  backup-sdk runs --since 24h --status failed,missed
  backup-sdk runs --vendor cove --since 7d --format csv > cove-week.csv
  backup-sdk stale --within 24h --fail-on stale     # exit 1 when a device is stale
  backup-sdk sync --db runs.sqlite                  # one poll of every vendor
  backup-sdk sync --db runs.sqlite --every 15m      # until SIGINT/SIGTERM
  backup-sdk stale --db runs.sqlite                 # from the synced store, no API calls

exit status:
  0  done, nothing to report
  1  --fail-on matched (failed/missed runs, stale devices...)
  2  bad arguments
  3  configuration: nothing configured, missing credentials, a config file others can read
  4  a vendor failed (API or network error): the other vendors' results were printed
  130 interrupted
"""


def _common(parser: argparse.ArgumentParser, *, formats: bool = True) -> None:
    parser.add_argument(
        "--vendor",
        action="append",
        metavar="NAME",
        help=f"only this vendor (repeat, or comma-separate: {','.join(vendors()) or 'none'})",
    )
    if formats:
        parser.add_argument(
            "--format", choices=FORMATS, default="table", help="output format (default: table)"
        )
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show progress on stderr (default: only when stderr is a terminal)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (for ``--help`` and the docs)."""
    parser = argparse.ArgumentParser(
        prog="backup-sdk",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--config", metavar="FILE", help="config file with profiles (TOML)")
    parser.add_argument(
        "--profile", metavar="NAME", help="profile of the config file (default: default_profile)"
    )
    parser.add_argument("--version", action="version", version=f"backup-sdk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    raw = argparse.RawDescriptionHelpFormatter

    demo = sub.add_parser(
        "demo",
        help="start the bundled simulators and show runs and stale devices (no account)",
        description="Start every vendor's simulator on 127.0.0.1, read the last 24 hours "
        "through the SDK and print one table of runs and the stale devices.",
        formatter_class=raw,
    )
    demo.add_argument(
        "vendors", nargs="*", metavar="VENDOR", help="only these vendors (default: all)"
    )
    demo.add_argument(
        "--vendor-demos",
        action="store_true",
        help="also run the shared layer's and each vendor's own demo",
    )
    demo.add_argument("--limit", type=int, default=12, help="rows per table (0: all)")

    runs = sub.add_parser(
        "runs",
        help="backup runs of every configured vendor",
        description="Backup runs that ended (or are running) in a time range.",
        epilog="example:\n  backup-sdk runs --since 24h --status failed,missed --format json",
        formatter_class=raw,
    )
    _common(runs)
    runs.add_argument(
        "--since", default="24h", help="a duration back from now (24h, 7d) or an ISO time"
    )
    runs.add_argument("--until", help="the end of the range (default: now)")
    runs.add_argument("--status", metavar="LIST", help=f"only these ({','.join(RUN_TOKENS)})")
    runs.add_argument("--db", metavar="FILE", help="read a store written by sync (no API calls)")
    runs.add_argument(
        "--fail-on", metavar="LIST", help="exit 1 when a run has one of these statuses"
    )

    stale = sub.add_parser(
        "stale",
        help="devices with no good backup in a window",
        description="Devices with no good backup within --within: stale ones, those never "
        "backed up, and those whose state cannot be read (unknown). A run that completed "
        "with warnings counts as a success only where the vendor says so, unless told.",
        epilog="example:\n  backup-sdk stale --within 24h --fail-on stale",
        formatter_class=raw,
    )
    _common(stale)
    stale.add_argument("--within", default="24h", help="how recent a good backup must be")
    stale.add_argument(
        "--lookback", default="7d", help="how much history to read for last good times"
    )
    stale.add_argument(
        "--warnings-count-as-success",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="override each vendor's own rule for completed-with-warnings runs",
    )
    stale.add_argument("--all", action="store_true", help="list fresh devices too")
    stale.add_argument("--db", metavar="FILE", help="read a store written by sync (no API calls)")
    stale.add_argument(
        "--fail-on", metavar="LIST", help=f"exit 1 when any device is ({','.join(DEVICE_TOKENS)})"
    )

    devices = sub.add_parser(
        "devices", help="the device inventory of every configured vendor", formatter_class=raw
    )
    _common(devices)
    devices.add_argument("--db", metavar="FILE", help="read a store written by sync")

    sync = sub.add_parser(
        "sync",
        help="import runs into a SQLite store (once, or every --every)",
        description="Poll every configured vendor and upsert its runs into a SQLite file, "
        "with the sync state in the same transaction: a crash loses nothing and nothing is "
        "stored twice. With --every it polls until SIGINT or SIGTERM (a clean stop after "
        "the current commit).",
        epilog="cron, every 15 minutes:\n"
        "  */15 * * * * backup-sdk sync --db /var/lib/backup-sdk/runs.sqlite --quiet",
        formatter_class=raw,
    )
    _common(sync, formats=False)
    sync.add_argument("--db", metavar="FILE", required=True, help="the SQLite file")
    sync.add_argument("--every", metavar="DURATION", help="poll again every DURATION (15m)")
    sync.add_argument(
        "--overlap", default="30m", help="how far each poll reaches back (default 30m)"
    )
    sync.add_argument("--lookback", default="24h", help="how far the first poll reaches back")
    sync.add_argument("--retain", metavar="DURATION", help="delete runs older than this (400d)")
    sync.add_argument(
        "--fail-on", metavar="LIST", help="exit 1 when a run stored now has one of these statuses"
    )
    sync.add_argument("-q", "--quiet", action="store_true", help="print nothing when all is well")

    sub.add_parser("version", help="print the version")
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    clock: Clock | None = None,
    registry: Mapping[str, Vendor] | None = None,
    stop: threading.Event | None = None,
    handle_signals: bool = True,
    wait: Callable[[float], object] | None = None,
) -> int:
    """Run the command line; returns the exit status.

    The keyword arguments replace what the process would use (for tests and embedding):
    the environment, the output streams, the clock, the vendor registry, the stop event of
    ``sync --every``, whether SIGINT/SIGTERM are caught, and how ``sync --every`` waits
    between polls (``wait(seconds)``; default: on the stop event, in real time).
    """
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = build_parser()
    args = parser.parse_args(argv)  # bad arguments: argparse exits with status 2
    if args.command == "version":
        out.write(f"backup-sdk {__version__}\n")
        return EXIT_OK
    known = dict(vendors() if registry is None else registry)
    env = os.environ if environ is None else environ
    try:
        read_clock = _read_clock(clock, env)
    except ValueError as exc:
        err.write(f"backup-sdk: {exc}\n")
        return EXIT_CONFIG
    if args.command == "demo":
        return _demo(parser, args, out, known, read_clock)
    ctx = Context(
        args=args,
        stdout=out,
        stderr=err,
        environ=env,
        registry=known,
        clock=read_clock,
        stop=stop or threading.Event(),
        handle_signals=handle_signals,
        wait=wait,
    )
    return run_command(ctx)


def _read_clock(clock: Clock | None, environ: Mapping[str, str]) -> Callable[[], datetime]:
    """The clock given, else a simulator's (``BACKUP_SDK_CLOCK``), else the wall clock."""
    if clock is not None:
        return clock_function(clock)
    spec = environ.get("BACKUP_SDK_CLOCK", "").strip()
    if not spec:
        return utc_clock
    from backup_sdk.testing.server import SimClock

    try:
        return clock_function(SimClock.from_spec(spec))
    except ValueError as exc:
        raise ValueError(f"BACKUP_SDK_CLOCK (a simulator's clock): {exc}") from None


def _demo(
    parser: argparse.ArgumentParser,
    args: argparse.Namespace,
    out: TextIO,
    known: Mapping[str, Vendor],
    clock: Callable[[], datetime],
) -> int:
    from backup_sdk.demo import run_all, run_unified

    unknown = [v for v in args.vendors if v not in known]
    if unknown:
        parser.error(f"unknown vendor(s) {', '.join(unknown)}; choose from {', '.join(known)}")
    status = run_unified(
        out, args.vendors, registry=known, start=clock().timestamp(), limit=max(0, args.limit)
    )
    if args.vendor_demos and any(v.run_source for v in known.values()):
        out.write("\n")
        status = max(status, run_all(out, args.vendors, registry=known))
    return status
