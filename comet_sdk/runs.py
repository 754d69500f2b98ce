"""Comet jobs as cross-vendor :class:`~backup_sdk.runs.BackupRun` records."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from backup_sdk.runs import BackupRun, RunStatus
from comet_sdk._generated.models import BackupJobDetail, UserProfileConfig
from comet_sdk.enums import JobCategory, job_category

__all__ = ["RUN_STATUS", "to_backup_run", "to_backup_runs"]

#: How each job category maps onto the shared run status.
RUN_STATUS: Mapping[JobCategory, RunStatus] = {
    JobCategory.SUCCESS: RunStatus.SUCCESS,
    JobCategory.RUNNING: RunStatus.RUNNING,
    JobCategory.WARNING: RunStatus.WARNING,
    JobCategory.ERROR: RunStatus.FAILED,
    JobCategory.QUOTA_EXCEEDED: RunStatus.FAILED,
    JobCategory.MISSED: RunStatus.MISSED,
    JobCategory.SKIPPED: RunStatus.SKIPPED,
    JobCategory.CANCELLED: RunStatus.CANCELLED,
    JobCategory.ABANDONED: RunStatus.FAILED,
    JobCategory.UNKNOWN: RunStatus.UNKNOWN,
}


def to_backup_run(job: BackupJobDetail, profile: UserProfileConfig | None = None) -> BackupRun:
    """One job as a :class:`BackupRun` (device names and the protected item's description
    come from the user's profile, when given)."""
    device_name = ""
    data_source = job.source_guid or None
    if profile is not None:
        device = profile.devices.get(job.device_id)
        device_name = device.friendly_name if device is not None else ""
        source = profile.sources.get(job.source_guid)
        if source is not None and source.description:
            data_source = source.description
    return BackupRun(
        vendor="comet",
        device_id=job.device_id or job.username,
        device_name=device_name,
        run_id=job.guid,
        status=RUN_STATUS[job_category(job.status)],
        started=job.start_time,
        ended=job.end_time,
        bytes_processed=job.total_size or None,
        bytes_uploaded=job.upload_size or None,
        customer=job.username,
        data_source=data_source,
        raw_status=int(job.status),
    )


def to_backup_runs(
    jobs: BackupJobDetail | Iterable[BackupJobDetail],
    profiles: Mapping[str, UserProfileConfig] | None = None,
) -> list[BackupRun]:
    """Jobs (one or many) as :class:`BackupRun` records; ``profiles`` by username."""
    items = [jobs] if isinstance(jobs, BackupJobDetail) else list(jobs)
    known = profiles or {}
    return [to_backup_run(job, known.get(job.username)) for job in items]
