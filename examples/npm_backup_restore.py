"""Back up an appliance, download the backup, restore it and survive the reboot.

Runs against the bundled simulator (no appliance needed):
    python examples/npm_backup_restore.py
Against a real appliance, build the client with NpmBackupClient.from_env() instead.
Type-checked with mypy --strict in CI.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from npm_backup_sdk import NpmBackupClient, OperationInfo, Progress
from npm_backup_sdk.testing import NpmBackupSimulator


def show_progress(progress: Progress, info: OperationInfo) -> None:
    done = f"{progress.fraction:.0%}" if progress.fraction is not None else "?"
    print(f"  {info.operation_type.value}: {done} {progress.status_message}")


def backup_and_restore(
    client: NpmBackupClient, workdir: Path, *, poll_interval: float = 2.0
) -> list[str]:
    """The whole round trip; returns a line per step."""
    report: list[str] = []
    servers = client.servers.list()
    report.append(f"servers: {', '.join(f'{s.id}:{s.name}' for s in servers)}")
    server = servers[0]
    assert server.id is not None

    started = client.backups.start(server.id, "pre-change", "before the config change")
    finished = client.wait_for_operation(
        started, poll_interval=poll_interval, on_progress=show_progress
    )
    report.append(f"backup: {finished.status.value} ({finished.status_message})")

    backups = client.backups.list(server.id)
    report.append(f"completed backups on {server.name}: {len(backups)}")
    newest = max(backups, key=lambda b: b.created_on.timestamp() if b.created_on else 0)
    size = client.completed_backups.download(server.id, newest.id, workdir / "appliance.tgz")
    report.append(f"downloaded {newest.name}: {size:,} bytes")

    restore = client.completed_backups.restore(server.id, newest.id)
    restored = client.wait_for_operation(
        restore, poll_interval=poll_interval, on_progress=show_progress
    )
    report.append(f"restore: {restored.status.value}; appliance back: {client.ping()}")
    return report


def main() -> int:
    with NpmBackupSimulator(backup_duration=2, restore_duration=2, reboot_seconds=1) as sim:
        client = NpmBackupClient(base_url=sim.url, username=sim.username, password=sim.password)
        with client, tempfile.TemporaryDirectory() as tmp:
            for line in backup_and_restore(client, Path(tmp), poll_interval=0.5):
                print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
