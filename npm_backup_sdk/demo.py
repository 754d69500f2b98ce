"""``python -m backup_sdk demo npm``: a simulated appliance, and what a monitor asks of it."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import TextIO

import attrs

from backup_sdk.runs import stale_devices
from npm_backup_sdk.client import NpmBackupClient
from npm_backup_sdk.models import OperationInfo, Progress
from npm_backup_sdk.runs import to_backup_runs
from npm_backup_sdk.testing import NpmBackupSimulator

__all__ = ["run_demo"]


def _age(when: datetime | None, now: datetime) -> str:
    if when is None:
        return "never"
    hours = (now - when).total_seconds() / 3600
    return f"{hours:.0f} h ago" if hours < 48 else f"{hours / 24:.0f} d ago"


def run_demo(stream: TextIO) -> None:
    """Start the simulator, inspect it with the client, run one backup with progress."""
    stream.write("== npm_backup_sdk: Backup and Restore v2.0 appliance (simulated) ==\n")
    with (
        NpmBackupSimulator(seed=7, servers=3, backups_per_server=2, backup_duration=1.0) as sim,
        NpmBackupClient(base_url=sim.url, username=sim.username, password=sim.password) as client,
    ):
        info = client.info()
        stream.write(
            f"  appliance {info.device_name} ({info.model}, software {info.sw_version}); "
            f"npm.backup 2.0 offered: {client.supports_backup_v2()}\n"
        )
        now = sim.clock.datetime()
        runs = []
        stream.write("  backup servers and their newest backup:\n")
        for server in client.servers.list():
            assert server.id is not None
            backups = client.backups.list(server.id)
            runs += to_backup_runs(backups, server)
            newest = max(backups, key=lambda b: b.created_on or now, default=None)
            last = (
                f"{newest.name} {newest.status.value}, {newest.size_bytes:,} B, "
                f"{_age(newest.created_on, now)}"
                if newest
                else "no backups"
            )
            stream.write(f"    {server.id}. {server.name:<10} {server.host:<26} {last}\n")
        for schedule in client.scheduled_backups.list():
            stream.write(
                f"  schedule {schedule.name!r}: {schedule.rrule.freq.value} "
                f"at {schedule.rrule.byhour}h, keeps {schedule.retention}, "
                f"next {schedule.next_backup:%Y-%m-%d %H:%M} UTC\n"
                if schedule.next_backup
                else f"  schedule {schedule.name!r}: not planned\n"
            )
        # one "device" per backup server: which filers hold no good backup from the last day?
        per_server = [attrs.evolve(run, device_id=run.data_source or "?") for run in runs]
        stale = stale_devices(per_server, within=timedelta(hours=24), now=now)
        stream.write(
            "  servers with no successful backup in 24 h: "
            + (", ".join(device for _, device in stale) if stale else "none")
            + "\n"
        )

        def progress(p: Progress, op: OperationInfo) -> None:
            stream.write(
                f"    {op.operation_type.value} step {p.completed}/{p.total}: {p.status_message}\n"
            )

        started = time.monotonic()
        op = client.backups.start(1, "demo", "ad hoc backup from the demo")
        final = client.wait_for_operation(op, poll_interval=0.3, on_progress=progress)
        stream.write(
            f"  ad hoc backup: {final.status.value} in {time.monotonic() - started:.1f} s "
            f"({final.status_message})\n"
        )
