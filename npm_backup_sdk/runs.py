"""Appliance backups as cross-vendor :class:`~backup_sdk.runs.BackupRun` records.

The appliance is the protected device (``device_id``: its serial number); each backup
server it writes to is a data source. A run is one stored backup, identified by its id (a
UUID), the same while it runs and after it finished.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from backup_sdk.runs import BackupRun, Device, RunStatus
from npm_backup_sdk.enums import Status
from npm_backup_sdk.models import CompletedBackup, Server

if TYPE_CHECKING:
    from npm_backup_sdk.client import NpmBackupClient

__all__ = ["RUN_STATUS", "NpmRunSource", "to_backup_run", "to_backup_runs"]

#: Every documented status (2.0 and the 1.0 values still seen), and its run status.
RUN_STATUS: Final[Mapping[Status, RunStatus]] = {
    Status.COMPLETED: RunStatus.SUCCESS,
    Status.COMPLETED_WITH_ERRORS: RunStatus.WARNING,
    Status.FAILED: RunStatus.FAILED,
    Status.ABORTED: RunStatus.CANCELLED,
    Status.STARTED: RunStatus.RUNNING,
    Status.UPLOADING: RunStatus.RUNNING,
    Status.NOT_RUN: RunStatus.SKIPPED,
}


def to_backup_run(backup: CompletedBackup, server: Server | None = None) -> BackupRun:
    """One stored backup as a :class:`BackupRun` (``data_source``: the backup server)."""
    status = RUN_STATUS.get(backup.status, RunStatus.UNKNOWN)
    return BackupRun(
        vendor="npm_backup",
        device_id=backup.serial or backup.hostname,
        device_name=backup.hostname,
        run_id=backup.id,
        status=status,
        started=backup.created_on,
        ended=backup.created_on if status is not RunStatus.RUNNING else None,
        bytes_processed=backup.size_bytes or None,
        data_source=server.name if server is not None else None,
        raw_status=backup.status.value,
        messages=() if status.is_success or status is RunStatus.RUNNING else (backup.desc,),
    )


def to_backup_runs(
    backups: CompletedBackup | Iterable[CompletedBackup], server: Server | None = None
) -> list[BackupRun]:
    """Stored backups (one or many, of one backup ``server``) as :class:`BackupRun`s."""
    items = [backups] if isinstance(backups, CompletedBackup) else list(backups)
    return [to_backup_run(backup, server) for backup in items]


#: How far before a poll's window a backup may have started and still finish inside it.
LOOKBACK: Final = timedelta(days=1)


class NpmRunSource:
    """Runs and the device of one appliance (see :class:`backup_sdk.runs.RunSource`)."""

    vendor = "npm_backup"

    def __init__(self, client: NpmBackupClient) -> None:
        self.client = client

    def devices(self) -> Iterator[Device]:
        """The appliance itself; its backup servers are its data sources, and its last
        success is the newest ``completed`` backup stored on any of them (the appliance's
        own record of its good backups, whatever window the runs are read for)."""
        info = self.client.info()
        servers = self.client.servers.list()
        good = [
            backup.created_on
            for server in servers
            if server.id is not None
            for backup in self.client.backups.list(server.id)
            if RUN_STATUS.get(backup.status) is RunStatus.SUCCESS and backup.created_on
        ]
        yield Device(
            vendor="npm_backup",
            device_id=info.serial or info.device_name,
            device_name=info.device_name,
            data_sources=[server.name for server in servers],
            last_success=max(good) if good else None,
        )

    def iter_runs(self, since: datetime, until: datetime) -> Iterator[BackupRun]:
        """Backups still running, and those started from a day before ``since`` to
        ``until``.

        The appliance records when a backup started, not when it finished, so a backup
        that finished inside the window may have started well before it: a day's margin
        covers it (a store upserts by key, so seeing one twice is harmless).
        """
        start = since - LOOKBACK
        for server in self.client.servers.list():
            if server.id is None:
                continue
            for run in to_backup_runs(self.client.backups.list(server.id), server):
                if run.status is RunStatus.RUNNING or (
                    run.started is not None and start <= run.started <= until
                ):
                    yield run
