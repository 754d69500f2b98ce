"""Cove statistics rows as cross-vendor :class:`~backup_sdk.runs.BackupRun` records."""

from __future__ import annotations

from collections.abc import Iterable

from backup_sdk.runs import BackupRun, RunStatus
from cove_sdk.enums import SessionStatus
from cove_sdk.statistics import DataSourceStats, StatisticsRow

__all__ = ["to_backup_runs"]

_STATUS = {
    SessionStatus.COMPLETED: RunStatus.SUCCESS,
    SessionStatus.COMPLETED_WITH_ERRORS: RunStatus.WARNING,
    SessionStatus.IN_PROCESS: RunStatus.RUNNING,
    SessionStatus.IN_PROGRESS_WITH_FAULTS: RunStatus.RUNNING,
    SessionStatus.FAILED: RunStatus.FAILED,
    SessionStatus.OVER_QUOTA: RunStatus.FAILED,
    SessionStatus.ABORTED: RunStatus.CANCELLED,
    SessionStatus.INTERRUPTED: RunStatus.CANCELLED,
    SessionStatus.NOT_STARTED: RunStatus.MISSED,
    SessionStatus.NO_SELECTION: RunStatus.SKIPPED,
}


def _run(row: StatisticsRow, stats: DataSourceStats) -> BackupRun | None:
    status = stats.last_status
    if status is None or status is SessionStatus.NO_STATUS:
        return None
    started = stats.last_session
    duration = stats.duration
    ended = started + duration if started is not None and duration is not None else None
    run_status = _STATUS.get(status, RunStatus.UNKNOWN)
    stamp = int(started.timestamp()) if started is not None else "running"
    return BackupRun(
        vendor="cove",
        device_id=str(row.account_id),
        device_name=row.device_name or "",
        run_id=f"{row.account_id}:{stats.source.code}:{stamp}",
        status=run_status,
        started=started,
        ended=None if run_status is RunStatus.RUNNING else ended,
        bytes_processed=stats.selected_size,
        bytes_uploaded=stats.sent_size,
        errors=stats.errors,
        customer=row.customer,
        data_source=stats.source.name,
        raw_status=int(status),
    )


def to_backup_runs(rows: StatisticsRow | Iterable[StatisticsRow]) -> list[BackupRun]:
    """The last session of every active data source of each device (one row or many;
    requires the rows to have the ``F00``/``F15``/``F12`` columns of those sources; sources
    without data are skipped). The synthetic Total (D9) is not a run and is left out."""
    runs = []
    for row in [rows] if isinstance(rows, StatisticsRow) else rows:
        for code, stats in row.per_source().items():
            if code == "D9":
                continue
            run = _run(row, stats)
            if run is not None:
                runs.append(run)
    return runs
