"""Command line: ``python -m backup_sdk demo`` and ``python -m backup_sdk version``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from backup_sdk._version import __version__

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m backup_sdk", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser(
        "demo", help="start the bundled simulators on loopback and show what the SDK fetches"
    )
    demo.add_argument(
        "vendors",
        nargs="*",
        metavar="VENDOR",
        help="only these vendors (default: the shared layer and every installed vendor)",
    )
    sub.add_parser("version", help="print the version")
    args = parser.parse_args(argv)
    if args.command == "version":
        print(f"backup-sdk {__version__}")
        return 0
    from backup_sdk.demo import run_all
    from backup_sdk.vendors import vendors

    known = list(vendors())
    unknown = [v for v in args.vendors if v not in known]
    if unknown:
        parser.error(f"unknown vendor(s) {', '.join(unknown)}; choose from {', '.join(known)}")

    return run_all(sys.stdout, args.vendors)
