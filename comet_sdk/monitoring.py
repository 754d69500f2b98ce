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

from backup_sdk._compat import deprecated
from backup_sdk.errors import NotFoundError, ValidationError
from backup_sdk.runs import SyncCursor
from comet_sdk._generated.models import BackupJobDetail, JobEntry
from comet_sdk.client import CometAdminClient
from comet_sdk.enums import job_category, severity_rank
from comet_sdk.runs import to_backup_run as _to_backup_run

__all__ = ["JobPoller", "failed_jobs", "iter_jobs", "log_entries", "to_backup_run"]

# kept importable from here (it moved to comet_sdk.runs)
to_backup_run = _to_backup_run


def _seconds(value: datetime, name: str) -> int:
    if value.tzinfo is None:
        raise ValidationError(f"{name} must be timezone-aware (e.g. UTC)", parameter=name)
    return int(value.timestamp())


@deprecated("use client.iter_jobs(since, until)")
def iter_jobs(
    client: CometAdminClient,
    since: datetime,
    until: datetime | None = None,
    *,
    window: timedelta = timedelta(hours=6),
    overlap: timedelta = timedelta(minutes=5),
) -> Iterator[BackupJobDetail]:
    """Deprecated: :meth:`CometAdminClient.iter_jobs`."""
    return iter(client.iter_jobs(since, until, window=window, overlap=overlap))


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
        jobs = {job.guid: job for job in self.client.iter_jobs(self.cursor.window_start(), until)}
        for key in self.cursor.pending:
            guid = key.split(":", 1)[1]
            if guid not in jobs:
                try:
                    jobs[guid] = self.client.admin_get_job_properties(guid)
                except NotFoundError:
                    continue
        fresh = self.cursor.accept(
            (_to_backup_run(job) for job in jobs.values()), polled_until=until
        )
        delivered = [jobs[run.run_id] for run in fresh]
        return sorted(delivered, key=_start_key)


def _start_key(job: BackupJobDetail) -> float:
    return job.start_time.timestamp() if job.start_time is not None else 0.0


def failed_jobs(jobs: Iterable[BackupJobDetail]) -> list[BackupJobDetail]:
    """The jobs whose status is a failure (error, quota, missed, cancelled, abandoned)."""
    return [job for job in jobs if job_category(job.status).is_failure]
