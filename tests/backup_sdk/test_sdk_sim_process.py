"""Simulators as processes: ``python -m <vendor>.testing`` prints its environment, serves
its API and its ground truth, and stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
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
