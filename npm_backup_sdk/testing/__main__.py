"""``python -m npm_backup_sdk.testing``: run the appliance simulator until stopped.

    python -m npm_backup_sdk.testing --servers 3 --speed 900

prints ``NPM_BACKUP_URL=...`` and the other variables ``NpmBackupClient.from_env()``
reads, then ``READY``; scheduled backups run as its clock advances.
"""

from __future__ import annotations

import argparse
import sys

from backup_sdk.testing import SimClock
from backup_sdk.testing.process import serve
from npm_backup_sdk.testing.simulator import NpmBackupSimulator


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--servers", type=int, default=2, help="backup servers")
    parser.add_argument(
        "--backup-seconds", type=float, default=600.0, help="how long a backup runs"
    )


def _simulator(args: argparse.Namespace, clock: SimClock) -> NpmBackupSimulator:
    return NpmBackupSimulator(
        seed=args.seed, servers=args.servers, clock=clock, backup_duration=args.backup_seconds
    )


def main(argv: list[str] | None = None) -> int:
    return serve("npm_backup_sdk", _simulator, argv, add_arguments=_arguments)


if __name__ == "__main__":
    sys.exit(main())
