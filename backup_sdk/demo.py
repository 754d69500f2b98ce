"""``backup-sdk demo``: every vendor's simulator on loopback, one table of runs, the stale
devices; and the per-vendor demos.

Vendors are found in the registry (:mod:`backup_sdk.vendors`). :func:`run_unified` starts
each vendor's simulator in-process on one frozen simulated clock, reads the last 24 hours
through the vendor's run source (the same code path as ``backup-sdk runs`` and ``sync``)
and prints the runs of all vendors in one table and the devices with no good backup.
:func:`run_all` runs the shared-layer demo and each vendor's own ``demo(stream)``.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import TextIO

from backup_sdk.client import BaseClient
from backup_sdk.errors import BackupSDKError, RateLimitError
from backup_sdk.redaction import Secret
from backup_sdk.runs import BackupRun
from backup_sdk.staleness import DeviceStaleness, assess_devices
from backup_sdk.sync.store import merge_run
from backup_sdk.testing import (
    SimClock,
    SimRequest,
    SimResponse,
    SimulatorServer,
    json_response,
)
from backup_sdk.transport import Hooks, ResponseEvent, RetryPolicy, json_handler
from backup_sdk.vendors import Vendor
from backup_sdk.vendors import vendors as installed_vendors

__all__ = ["run_all", "run_demo", "run_unified"]


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


def run_all(
    stream: TextIO, vendors: Sequence[str] = (), *, registry: Mapping[str, Vendor] | None = None
) -> int:
    """Run the shared demo and the vendor demos (all, or those named). Returns an exit code."""
    logging.getLogger("backup_sdk.testing").setLevel(logging.WARNING)
    failures = 0
    if not vendors:
        run_demo(stream)
    known = installed_vendors() if registry is None else registry
    for name, vendor in known.items():
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


def _latest(runs: list[BackupRun], limit: int) -> list[BackupRun]:
    never = datetime.min.replace(tzinfo=timezone.utc)
    ordered = sorted(runs, key=lambda r: (r.ended or r.started or never, r.key))
    return ordered[-limit:] if limit else ordered


def run_unified(
    stream: TextIO,
    vendors: Sequence[str] = (),
    *,
    registry: Mapping[str, Vendor] | None = None,
    start: float | None = None,
    limit: int = 12,
) -> int:
    """Start the simulators, print the last 24 hours of runs and the stale devices.

    Args:
        stream: where to print.
        vendors: only these (default: every installed vendor with a simulator).
        registry: the vendors to use (default: the installed ones).
        start: the simulated clock's time (unix seconds; default: now). The clock is
            frozen, so the output does not depend on how long the demo takes.
        limit: runs and devices shown in each table (0: all).

    Returns:
        0, or 1 if a vendor failed. A vendor without a run source is left out, saying so;
        when none has one, the per-vendor demos run instead.
    """
    from backup_sdk.cli.output import write_runs, write_verdicts

    logging.getLogger("backup_sdk.testing").setLevel(logging.WARNING)
    known = installed_vendors() if registry is None else registry
    chosen = [v for name, v in known.items() if (not vendors or name in vendors) and v.simulator]
    clock = SimClock(start, frozen=True)
    now = datetime.fromtimestamp(clock.time(), timezone.utc)
    since = now - timedelta(hours=24)
    runs: list[BackupRun] = []
    verdicts: list[DeviceStaleness] = []
    without = [v.name for v in chosen if not v.run_source]
    failures = 0
    stream.write(
        f"== backup-sdk demo: the simulators of {len(chosen)} vendors on 127.0.0.1, "
        f"simulated time {now:%Y-%m-%d %H:%M} UTC ==\n"
    )
    with contextlib.ExitStack() as stack:
        for vendor in chosen:
            if not vendor.run_source:
                continue
            simulator = stack.enter_context(vendor.load("simulator")(clock=clock))
            client = simulator.client()
            stack.callback(client.close)
            try:
                source = vendor.load("run_source")(client)
                merged: dict[str, BackupRun] = {}
                for run in source.iter_runs(since, now):  # a run may be reported twice
                    kept = merged.get(run.key)
                    if kept is None or merge_run(kept, run) is not None:
                        merged[run.key] = run
                found = list(merged.values())
                devices = list(source.devices())
            except BackupSDKError as exc:
                failures += 1
                stream.write(f"  {vendor.name}: failed: {exc}\n")
                continue
            runs.extend(found)
            verdicts.extend(assess_devices(devices, found, now=now, runs_since=since))
            counts = Counter(run.status.value for run in found)
            detail = ", ".join(f"{n} {status}" for status, n in counts.most_common())
            stream.write(
                f"  {vendor.title} ({vendor.name}): {len(devices)} devices, "
                f"{len(found)} runs in the last 24 h ({detail or 'none'})\n"
            )
    for name in without:
        stream.write(f"  {name}: no run source in this version; left out of the table\n")
    if len(without) == len(chosen):
        stream.write("\nNo vendor offers a run source yet; here are the per-vendor demos.\n\n")
        return run_all(stream, [v.name for v in chosen] if vendors else (), registry=known)
    latest = _latest(runs, limit)
    stream.write(f"\nThe {len(latest)} latest of {len(runs)} runs, all vendors in one table:\n\n")
    write_runs(stream, latest, "table")
    stale = [v for v in verdicts if v.is_stale]
    stale.sort(
        key=lambda v: (
            v.last_good is not None,
            v.last_good or now,
            v.device.vendor,
            v.device.device_name or v.device.device_id,
        )
    )
    shown = stale[:limit] if limit else stale
    stream.write(
        f"\n{len(stale)} of {len(verdicts)} devices had no good backup in the last 24 hours"
        f"{f' (the first {len(shown)})' if len(shown) < len(stale) else ''}:\n\n"
    )
    write_verdicts(stream, shown, "table")
    stream.write(
        "\nThe same against your own accounts: set COVE_*, COMET_*, NPM_BACKUP_* (or a "
        "profile) and run\n  backup-sdk runs --since 24h --status failed,missed\n"
        "  backup-sdk stale --within 24h\n  backup-sdk sync --db runs.sqlite --every 15m\n"
        "Each vendor's own demo: backup-sdk demo --vendor-demos\n"
    )
    return 1 if failures else 0
