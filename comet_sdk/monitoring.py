"""Importing jobs for monitoring: windows, de-duplication, running jobs, log lines.

``AdminGetJobsForDateRange`` returns jobs that *started or ended* in a range, in no
particular order, with ``EndTime == 0`` for jobs still running. :func:`iter_jobs` walks a
long range in overlapping windows and yields each job once; :class:`JobPoller` is the
15-minute importer: it remembers what it delivered in a JSON-serialisable cursor, holds
back running jobs and delivers them once they finish.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, timezone

from backup_sdk.errors import NotFoundError, ValidationError
from backup_sdk.runs import BackupRun, RunStatus, SyncCursor
from comet_sdk._generated.models import BackupJobDetail, JobEntry, UserProfileConfig
from comet_sdk.client import CometAdminClient
from comet_sdk.constants import JobCategory, job_category, severity_rank

__all__ = ["JobPoller", "failed_jobs", "iter_jobs", "log_entries", "to_backup_run"]


def _seconds(value: datetime, name: str) -> int:
    if value.tzinfo is None:
        raise ValidationError(f"{name} must be timezone-aware (e.g. UTC)", parameter=name)
    return int(value.timestamp())


def iter_jobs(
    client: CometAdminClient,
    since: datetime,
    until: datetime | None = None,
    *,
    window: timedelta = timedelta(hours=6),
    overlap: timedelta = timedelta(minutes=5),
) -> Iterator[BackupJobDetail]:
    """Every job that started or ended between ``since`` and ``until`` (default: now), once.

    The range is fetched in windows of ``window`` that overlap by ``overlap`` (so a job
    written at a boundary is not missed); duplicates are dropped by ``GUID``. Memory grows
    with the number of distinct jobs in the range, not with the number of windows.

    Raises:
        ValidationError: naive datetimes, or a window not longer than the overlap.
    """
    end = _seconds(until or datetime.now(timezone.utc), "until")
    start = _seconds(since, "since")
    step = int(window.total_seconds())
    back = int(overlap.total_seconds())
    if step <= back or step <= 0:
        raise ValidationError("window must be longer than overlap", parameter="window")
    seen: set[str] = set()
    lower = start
    while lower <= end:
        upper = min(lower + step, end)
        for job in client.admin_get_jobs_for_date_range(max(start, lower - back), upper):
            if job.guid not in seen:
                seen.add(job.guid)
                yield job
        if upper >= end:
            break
        lower = upper


def log_entries(
    client: CometAdminClient, job_id: str, *, min_severity: str = "I"
) -> list[JobEntry]:
    """A job's log lines at ``min_severity`` or above (``"W"`` for warnings and errors)."""
    floor = severity_rank(min_severity)
    return [
        entry
        for entry in client.admin_get_job_log_entries(job_id)
        if severity_rank(entry.severity) >= floor
    ]


_RUN_STATUS = {
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
    """A job as a cross-vendor :class:`~backup_sdk.runs.BackupRun` (device names and the
    protected item's description come from the user's profile, when given)."""
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
        status=_RUN_STATUS[job_category(job.status)],
        started=job.start_time,
        ended=job.end_time,
        bytes_processed=job.total_size or None,
        bytes_uploaded=job.upload_size or None,
        customer=job.username,
        data_source=data_source,
        raw_status=int(job.status),
    )


class JobPoller:
    """Incremental import for a poller that runs every few minutes, for years.

    ``poll()`` returns jobs that finished since the last poll, each exactly once; jobs
    still running are remembered and delivered when they end (they are re-read with
    ``AdminGetJobProperties`` if they fall out of the query window). ``cursor`` is a
    :class:`~backup_sdk.runs.SyncCursor`: save ``poller.cursor.dumps()`` after each poll
    and pass ``SyncCursor.loads(saved)`` next time to resume after a restart.
    """

    def __init__(
        self,
        client: CometAdminClient,
        *,
        cursor: SyncCursor | None = None,
        lookback: timedelta = timedelta(hours=24),
        now: datetime | None = None,
    ) -> None:
        self.client = client
        start = (now or datetime.now(timezone.utc)) - lookback
        self.cursor = cursor or SyncCursor(since=start)

    def poll(self, now: datetime | None = None) -> list[BackupJobDetail]:
        """Finished jobs not delivered before (oldest first)."""
        until = now or datetime.now(timezone.utc)
        jobs = {job.guid: job for job in iter_jobs(self.client, self.cursor.window_start(), until)}
        for key in self.cursor.pending:
            guid = key.split(":", 1)[1]
            if guid not in jobs:
                try:
                    jobs[guid] = self.client.admin_get_job_properties(guid)
                except NotFoundError:
                    continue
        fresh = self.cursor.accept(
            (to_backup_run(job) for job in jobs.values()), polled_until=until
        )
        delivered = [jobs[run.run_id] for run in fresh]
        return sorted(delivered, key=_start_key)


def _start_key(job: BackupJobDetail) -> float:
    return job.start_time.timestamp() if job.start_time is not None else 0.0


def failed_jobs(jobs: Iterable[BackupJobDetail]) -> list[BackupJobDetail]:
    """The jobs whose status is a failure (error, quota, missed, cancelled, abandoned)."""
    return [job for job in jobs if job_category(job.status).is_failure]
