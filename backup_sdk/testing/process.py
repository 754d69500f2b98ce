"""Running a vendor simulator as a process: ``python -m <vendor>_sdk.testing``.

Every vendor's ``testing/__main__.py`` calls :func:`serve` with a factory for its
simulator. The process prints ``NAME=value`` lines (one per line) with the environment
variables that point the vendor's client and the ``backup-sdk`` command line at it (among
them ``BACKUP_SDK_CLOCK``, its simulated clock, which the command line then follows), then
``GROUND_TRUTH_URL`` and ``READY``, and serves until it is stopped (SIGINT or SIGTERM).

Simulators started with the same ``--start``, ``--anchor`` and ``--speed`` share one
simulated clock, so one ``backup-sdk sync`` can follow all of them.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from backup_sdk.testing.server import CLOCK_ENV, GROUND_TRUTH_PATH, SimClock, SimulatorServer

__all__ = ["serve"]


def serve(
    name: str,
    factory: Callable[[argparse.Namespace, SimClock], SimulatorServer],
    argv: Sequence[str] | None = None,
    *,
    add_arguments: Callable[[argparse.ArgumentParser], Any] | None = None,
    out: TextIO | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Parse ``argv``, start the simulator, print its environment, serve until stopped.

    Common options: ``--port`` (0 = ephemeral), ``--speed N`` (the simulated clock runs N
    times real time), ``--seed``, ``--start`` (simulated unix time to start at; default
    now), ``--anchor`` (the real unix time at which the clock reads ``--start``; default:
    when the process starts). ``add_arguments`` adds the vendor's own (fleet size...).
    """
    parser = argparse.ArgumentParser(
        prog=f"python -m {name}.testing",
        description=f"Run the {name} simulator on 127.0.0.1 until stopped.",
    )
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: any free)")
    parser.add_argument(
        "--speed", type=float, default=1.0, help="simulated seconds per real second"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated fleet")
    parser.add_argument("--start", type=float, default=None, help="simulated unix time to start at")
    parser.add_argument(
        "--anchor",
        type=float,
        default=None,
        help="real unix time at which the clock reads --start (default: now); simulators "
        "with the same --start, --anchor and --speed share one clock",
    )
    if add_arguments is not None:
        add_arguments(parser)
    args = parser.parse_args(argv)
    if args.speed <= 0:
        parser.error("--speed must be positive")
    if args.anchor is not None and args.start is None:
        parser.error("--anchor needs --start")
    stream = out or sys.stdout
    done = stop or threading.Event()
    clock = SimClock(args.start, speed=args.speed, anchor=args.anchor)
    simulator = factory(args, clock)
    simulator._port = args.port
    previous: dict[signal.Signals, Any] = {}
    if stop is None and threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, lambda *_: done.set())
    try:
        with simulator:
            for key, value in simulator.env().items():
                stream.write(f"{key}={value}\n")
            stream.write(f"{CLOCK_ENV}={clock.spec()}\n")
            stream.write(f"GROUND_TRUTH_URL={simulator.url}{GROUND_TRUTH_PATH}\n")
            stream.write("READY\n")
            stream.flush()
            done.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
