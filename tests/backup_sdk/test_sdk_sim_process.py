"""Simulators as processes: ``python -m <vendor>.testing`` prints its environment, serves
its API and its ground truth, and stops cleanly on SIGTERM."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _start(module: str, *args: str) -> tuple[subprocess.Popen[str], dict[str, str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", module, "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    env: dict[str, str] = {}
    assert process.stdout is not None
    for line in process.stdout:
        line = line.strip()
        if line == "READY":
            return process, env
        name, _, value = line.partition("=")
        env[name] = value
    process.kill()
    raise AssertionError(
        f"{module} exited before READY: {process.stderr.read() if process.stderr else ''}"
    )


@pytest.mark.parametrize(
    ("module", "prefix", "args"),
    [
        ("cove_sdk.testing", "COVE_", ["--devices", "20", "--speed", "900"]),
        ("npm_backup_sdk.testing", "NPM_BACKUP_", ["--speed", "900"]),
    ],
)
def test_a_simulator_process_serves_its_api_and_ground_truth(
    module: str, prefix: str, args: list[str]
) -> None:
    from backup_sdk.vendors import vendors

    process, env = _start(module, *args)
    try:
        assert f"{prefix}URL" in env and f"{prefix}PASSWORD" in env
        assert "BACKUP_SDK_CLOCK" in env  # the command line follows the simulated clock
        vendor = next(v for v in vendors().values() if v.env_prefix == prefix[:-1])
        client = vendor.load("client").from_env(env)
        source = vendor.load("run_source")(client)
        assert list(source.devices())
        with urllib.request.urlopen(env["GROUND_TRUTH_URL"], timeout=10) as reply:
            truth = json.load(reply)
        assert truth["now"] > 0
        assert isinstance(truth["runs"], list)
        client.close()
    finally:
        process.send_signal(signal.SIGTERM)
        _, errors = process.communicate(timeout=10)
    assert process.returncode == 0, errors


def test_simulators_given_one_start_and_anchor_print_one_clock() -> None:
    """``BACKUP_SDK_CLOCK`` is printed with the other variables; two simulators started
    with the same ``--start``, ``--anchor`` and ``--speed`` print the same clock."""
    from backup_sdk.testing import CLOCK_ENV, SimClock
    from backup_sdk.testing.process import serve
    from npm_backup_sdk.testing.__main__ import _arguments, _simulator

    argv = ["--speed", "900", "--start", "1795000000", "--anchor", repr(time.time() - 0.25)]
    outputs, stops, threads = [], [], []
    for _ in range(2):
        out, stop = io.StringIO(), threading.Event()
        thread = threading.Thread(
            target=serve,
            args=("npm_backup_sdk", _simulator, argv),
            kwargs={"add_arguments": _arguments, "out": out, "stop": stop},
            daemon=True,
        )
        thread.start()
        outputs.append(out)
        stops.append(stop)
        threads.append(thread)
    try:
        deadline = time.monotonic() + 30
        while not all("READY" in out.getvalue() for out in outputs):
            assert time.monotonic() < deadline, [out.getvalue() for out in outputs]
            time.sleep(0.01)
    finally:
        for stop in stops:
            stop.set()
        for thread in threads:
            thread.join(timeout=30)
    specs = [
        dict(line.split("=", 1) for line in out.getvalue().splitlines() if "=" in line)[CLOCK_ENV]
        for out in outputs
    ]
    clocks = [SimClock.from_spec(spec) for spec in specs]
    assert all(clock.speed == 900 for clock in clocks)
    assert abs(clocks[0].time() - clocks[1].time()) < 5
    assert CLOCK_ENV == "BACKUP_SDK_CLOCK"  # the name the command line reads
    with pytest.raises(SystemExit):
        serve("npm_backup_sdk", _simulator, ["--anchor", "1796000000"], out=io.StringIO())
