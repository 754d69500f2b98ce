"""Benchmark: the cost of ``import comet_sdk`` against ``import requests``, in the same run.

Run: python benchmarks/comet_import.py [--runs 21] [--module comet_sdk ...]

Each import runs in a fresh interpreter, bytecode cached (a throw-away
``PYTHONPYCACHEPREFIX``, written once before timing, so the checkout is left clean even when
``PYTHONDONTWRITEBYTECODE`` is set). Prints the median time of each import and its ratio to
``import requests``; the ratios are what to compare between versions and machines. Then
the first-use costs that the lazy loading moves out of the import: building the models of
a job list and decoding one.

For a per-module breakdown: ``python -X importtime -c "import comet_sdk"``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

TIMED = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
FIRST_USE = """
import time
import comet_sdk
t = time.perf_counter()
from comet_sdk.models import BackupJobDetail, converter
jobs = converter.structure([{"GUID": "g", "Status": 5000, "StartTime": 1, "EndTime": 2}],
                           list[BackupJobDetail])
print(time.perf_counter() - t)
"""


def _run(code: str, env: dict[str, str]) -> float:
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
    )
    return float(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument(
        "--module", action="append", default=None, help="modules to time (default: comet_sdk)"
    )
    args = parser.parse_args(argv)
    modules = ["requests", "backup_sdk", *(args.module or ["comet_sdk"])]
    with tempfile.TemporaryDirectory(prefix="comet-import-") as cache:
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = cache
        for module in modules:  # write the bytecode once
            _run(TIMED.format(module=module), env)
        _run(FIRST_USE, env)
        times: dict[str, list[float]] = {m: [] for m in modules}
        first_use: list[float] = []
        for _ in range(args.runs):
            for module in modules:
                times[module].append(_run(TIMED.format(module=module), env))
            first_use.append(_run(FIRST_USE, env))
    base = statistics.median(times["requests"])
    version = sys.version.split()[0]
    print(f"median of {args.runs} fresh interpreters, bytecode cached (Python {version})")
    for module in modules:
        median = statistics.median(times[module])
        print(f"  import {module:<12} {median * 1000:7.1f} ms   {median / base:5.2f}x requests")
    print(f"  first job list decode (models + hooks): {statistics.median(first_use) * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
