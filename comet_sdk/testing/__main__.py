"""Run the Comet simulator as a process: ``python -m comet_sdk.testing [options]``.

It prints the ``COMET_*`` variables that point ``CometAdminClient.from_env()`` (and the
``backup-sdk`` command line) at it, the ground-truth URL, then ``READY``, and serves until
stopped. ``--speed 900`` runs a simulated day in 96 seconds; with ``--jobs-per-day`` jobs
keep starting, running and finishing as the simulated time passes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from backup_sdk.testing import SimClock
from backup_sdk.testing.process import serve
from comet_sdk.testing.fleet import CometFleetSpec
from comet_sdk.testing.simulator import CometSimulator

__all__ = ["add_arguments", "factory", "main"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The Comet simulator's own options."""
    parser.add_argument("--users", type=int, default=20, help="user accounts (default 20)")
    parser.add_argument(
        "--jobs", type=int, default=500, help="finished jobs in the history (default 500)"
    )
    parser.add_argument(
        "--days", type=float, default=7.0, help="days the history reaches back (default 7)"
    )
    parser.add_argument(
        "--running", type=int, default=3, help="jobs running at the start (default 3)"
    )
    parser.add_argument(
        "--jobs-per-day",
        type=float,
        default=200.0,
        help="new jobs per simulated day (default 200; 0 for none)",
    )
    parser.add_argument(
        "--server-version",
        default="25.9.6",
        help="the Comet version to answer as (default 25.9.6; 20.9.12 for an old server)",
    )
    parser.add_argument("--username", default="admin", help="the admin account (default admin)")
    parser.add_argument("--password", default="comet-sim-Passw0rd", help="the admin's password")


def factory(args: argparse.Namespace, clock: SimClock) -> CometSimulator:
    """A simulator built from the parsed options."""
    if args.users < 1:
        raise SystemExit("--users must be at least 1")
    fleet = CometFleetSpec(
        users=args.users,
        jobs=args.jobs,
        days=args.days,
        running=args.running,
        seed=args.seed,
        jobs_per_day=args.jobs_per_day,
    )
    return CometSimulator(
        fleet=fleet,
        username=args.username,
        password=args.password,
        clock=clock,
        version=args.server_version,
    )


def main(argv: Sequence[str] | None = None) -> int:
    return serve("comet_sdk", factory, argv, add_arguments=add_arguments)


if __name__ == "__main__":
    sys.exit(main())
