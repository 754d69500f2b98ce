"""``python -m backup_sdk demo``: the shared layer, and every vendor demo that is installed.

Vendors are found in the registry (:mod:`backup_sdk.vendors`); each may name a
``demo(stream)`` that starts its simulator on loopback, uses its client against it and
prints what it found.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import TextIO

from backup_sdk.client import BaseClient
from backup_sdk.errors import BackupSDKError, RateLimitError
from backup_sdk.redaction import Secret
from backup_sdk.testing import SimRequest, SimResponse, SimulatorServer, json_response
from backup_sdk.transport import Hooks, ResponseEvent, RetryPolicy, json_handler
from backup_sdk.vendors import vendors as installed_vendors

__all__ = ["run_all", "run_demo"]


class _StatusBoard(SimulatorServer):
    """A tiny JSON service: ``GET /devices`` lists devices with their last backup."""

    def handle(self, request: SimRequest) -> SimResponse:
        now = self.clock.now()
        devices = [
            {"name": "fileserver-01", "last_ok": now - 3_600},
            {"name": "laptop-ceo", "last_ok": now - 3 * 86_400},
            {"name": "sql-02", "last_ok": now - 600},
        ]
        return json_response({"devices": devices})


class _DemoClient(BaseClient):
    vendor = "demo"
    package = "backup_sdk"


def run_demo(stream: TextIO) -> None:
    """Exercise the shared transport against a local simulator with injected faults."""
    attempts: list[str] = []

    def record(event: ResponseEvent) -> None:
        outcome = f"HTTP {event.status}" if event.status else type(event.error).__name__
        retry = " -> retry" if event.will_retry else ""
        attempts.append(f"    attempt {event.attempt}: {outcome}{retry}")

    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    stream.write("== backup_sdk: the shared layer against a local simulator ==\n")
    with _StatusBoard() as sim:
        client = _DemoClient(
            base_url=sim.url,
            retry=RetryPolicy(max_attempts=4, backoff_base=0.05),
            hooks=Hooks(on_response=[record]),
            sleep=sleep,
        )
        password = Secret("demo-password-123")
        sim.faults.fail_next(1, 503)
        sim.faults.drop_next(1)
        sim.faults.fail_next(1, 429, retry_after=1)
        started = time.monotonic()
        body = client._transport.request(
            "GET", "/devices", operation="ListDevices", idempotent=True, handler=json_handler
        )
        waited = ", ".join(f"{w:.2f}" for w in waits)
        stream.write(
            "  GET /devices survived a 503, a dropped connection and a 429 "
            f"({time.monotonic() - started:.2f} s; waits {waited} s):\n"
        )
        stream.writelines(f"{line}\n" for line in attempts)
        cutoff = sim.clock.now() - 86_400
        for device in body["devices"]:
            state = "OK   " if device["last_ok"] >= cutoff else "STALE"
            stream.write(f"  {state} {device['name']}\n")
        attempts.clear()
        sim.faults.fail_next(1, 503)
        try:
            client._transport.request("POST", "/devices", operation="AddDevice")
        except BackupSDKError as exc:
            stream.write(f"  POST (not idempotent) is not retried: {type(exc).__name__}\n")
        sim.faults.fail_next(1, 429, retry_after=3600)
        try:
            client._transport.request("GET", "/devices", operation="ListDevices", idempotent=True)
        except RateLimitError as exc:
            stream.write(
                f"  a 1-hour Retry-After is not waited out: retry_after={exc.retry_after}\n"
            )
        stream.write(f"  a secret prints as {password} and repr {password!r}\n")
        client.close()


def run_all(stream: TextIO, vendors: Sequence[str] = ()) -> int:
    """Run the shared demo and the vendor demos (all, or those named). Returns an exit code."""
    logging.getLogger("backup_sdk.testing").setLevel(logging.WARNING)
    failures = 0
    if not vendors:
        run_demo(stream)
    for name, vendor in installed_vendors().items():
        if vendors and name not in vendors:
            continue
        stream.write("\n")
        if not vendor.demo:
            stream.write(f"== {name}: no demo in this version ==\n")
            continue
        try:
            vendor.load("demo")(stream)
        except BackupSDKError as exc:
            failures += 1
            stream.write(f"  {name} demo failed: {exc}\n")
    return 1 if failures else 0
