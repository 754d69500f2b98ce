"""Map stored backups onto the cross-vendor :class:`~backup_sdk.runs.BackupRun`."""

from __future__ import annotations

from collections.abc import Iterable

from backup_sdk.runs import BackupRun, RunStatus
from npm_backup_sdk.enums import Status
from npm_backup_sdk.models import CompletedBackup, Server

__all__ = ["to_backup_run", "to_backup_runs"]

_STATUS = {
    Status.COMPLETED: RunStatus.SUCCESS,
    Status.COMPLETED_WITH_ERRORS: RunStatus.WARNING,
    Status.FAILED: RunStatus.FAILED,
    Status.ABORTED: RunStatus.CANCELLED,
    Status.STARTED: RunStatus.RUNNING,
    Status.UPLOADING: RunStatus.RUNNING,
    Status.NOT_RUN: RunStatus.SKIPPED,
}


def to_backup_run(backup: CompletedBackup, server: Server | None = None) -> BackupRun:
    """One stored backup as a :class:`BackupRun`; the device is the appliance (by serial)."""
    status = _STATUS.get(backup.status, RunStatus.UNKNOWN)
    return BackupRun(
        vendor="npm_backup",
        device_id=backup.serial or backup.hostname,
        device_name=backup.hostname,
        run_id=backup.id,
        status=status,
        started=backup.created_on,
        ended=backup.created_on if status is not RunStatus.RUNNING else None,
        bytes_processed=backup.size_bytes or None,
        customer=server.name if server is not None else None,
        data_source="config" if backup.contents.config_only else "full",
        raw_status=backup.status.value,
    )


def to_backup_runs(
    backups: CompletedBackup | Iterable[CompletedBackup], server: Server | None = None
) -> list[BackupRun]:
    """Stored backups (one or many, of one backup ``server``) as :class:`BackupRun`s."""
    items = [backups] if isinstance(backups, CompletedBackup) else list(backups)
    return [to_backup_run(backup, server) for backup in items]
