"""``python -m cove_sdk.testing``: run the Cove simulator until stopped.

    python -m cove_sdk.testing --devices 500 --speed 900

prints ``COVE_URL=...`` and the other variables ``CoveClient.from_env()`` reads, then
``READY``; its fleet evolves with its clock (``--speed`` simulated seconds per second).
"""

from __future__ import annotations

import argparse
import sys

from backup_sdk.testing import SimClock
from backup_sdk.testing.process import serve
from cove_sdk.testing.fleet import FleetSpec
from cove_sdk.testing.simulator import CoveSimulator


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--devices", type=int, default=200, help="devices in the fleet")
    parser.add_argument(
        "--newest-visa-only",
        action="store_true",
        help="accept only the newest visa of a chain (some tenants behave so)",
    )


def _simulator(args: argparse.Namespace, clock: SimClock) -> CoveSimulator:
    return CoveSimulator(
        fleet=FleetSpec(devices=args.devices, seed=args.seed),
        clock=clock,
        old_visas_valid=not args.newest_visa_only,
    )


def main(argv: list[str] | None = None) -> int:
    return serve("cove_sdk", _simulator, argv, add_arguments=_arguments)


if __name__ == "__main__":
    sys.exit(main())
