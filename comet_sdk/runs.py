"""Comet jobs as cross-vendor :class:`~backup_sdk.runs.BackupRun` records, and the Comet
:class:`~backup_sdk.runs.RunSource`.

A job's status maps to a run status in two steps, both tables: :func:`comet_sdk.job_category`
(by range first, so codes no reference knows yet still classify) and :data:`RUN_STATUS`.

A run is a **backup** job (``Classification`` 4001, :func:`is_backup_job`): restores,
retention passes, re-measures, deep verifies and the other classifications are jobs but
not backups, so :func:`to_backup_runs` and :class:`CometRunSource` leave them out -- as
Comet's own last successful backup (``SourceStatistics.LastSuccessfulBackupJob``) does. A
successful retention pass says nothing about whether the data was backed up.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from backup_sdk.runs import BackupRun, Device, RunStatus
from backup_sdk.validate import check_aware
from comet_sdk._generated.constants import JOB_CLASSIFICATION_BACKUP
from comet_sdk.enums import JobCategory, job_category, severity_rank

if TYPE_CHECKING:
    from comet_sdk._generated.models import BackupJobDetail, UserProfileConfig
    from comet_sdk.client import CometAdminClient

__all__ = [
    "RUN_STATUS",
    "CometRunSource",
    "is_backup_job",
    "run_status",
    "to_backup_run",
    "to_backup_runs",
]

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


def run_status(status: int) -> RunStatus:
    """The shared run status of a Comet ``JobStatus`` code (any int, known or not)."""
    return RUN_STATUS[job_category(status)]


def is_backup_job(job: BackupJobDetail) -> bool:
    """Whether a job is a backup (``Classification`` 4001), and so a run: a restore,
    retention pass, re-measure, deep verify... is not."""
    return int(job.classification) == JOB_CLASSIFICATION_BACKUP


def to_backup_run(
    job: BackupJobDetail,
    profile: UserProfileConfig | None = None,
    *,
    messages: Iterable[str] = (),
) -> BackupRun:
    """One job as a :class:`BackupRun` (device names and the protected item's description
    come from the user's profile, when given; ``messages`` are log lines to attach).

    It converts whatever job it is given; :func:`to_backup_runs` keeps backup jobs only
    (see :func:`is_backup_job`)."""
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
        status=run_status(job.status),
        started=job.start_time,
        ended=job.end_time,
        bytes_processed=job.total_size or None,
        bytes_uploaded=job.upload_size or None,
        customer=job.username,
        data_source=data_source,
        raw_status=int(job.status),
        messages=tuple(messages),
    )


def to_backup_runs(
    jobs: BackupJobDetail | Iterable[BackupJobDetail],
    profiles: Mapping[str, UserProfileConfig] | None = None,
) -> list[BackupRun]:
    """The backup jobs of ``jobs`` (one or many) as :class:`BackupRun` records;
    ``profiles`` by username. Jobs that are not backups (restores, retention passes...;
    :func:`is_backup_job`) are left out."""
    from comet_sdk._generated.models import BackupJobDetail

    items = [jobs] if isinstance(jobs, BackupJobDetail) else list(jobs)
    known = profiles or {}
    return [to_backup_run(job, known.get(job.username)) for job in items if is_backup_job(job)]


class CometRunSource:
    """The runs and devices of one Comet Server, for cross-vendor monitoring.

    ``iter_runs(since, until)`` yields a :class:`BackupRun` for every backup job (not
    restores, retention passes...: :func:`is_backup_job`) that ended in ``[since, until]``
    and for every backup job still running (whenever it started), each once;
    the key is ``comet:<job GUID>`` whether the job is seen running or finished. Failed
    and warning runs carry the warning and error lines of their job log (at most
    ``max_messages`` per run). ``devices()`` lists every device of every user profile.

    Calls: ``AdminListUsersFull`` once per ``iter_runs``/``devices`` (names and protected
    items), ``AdminGetJobsForDateRange`` in windows plus once for the running jobs, and
    ``AdminGetJobLogEntries`` for each failed or warning run.

    Args:
        client: an admin client.
        window: the span of one ``AdminGetJobsForDateRange`` call.
        max_messages: log lines kept per run (the first ones, in log order).
    """

    vendor = "comet"

    def __init__(
        self,
        client: CometAdminClient,
        *,
        window: timedelta = timedelta(hours=6),
        max_messages: int = 5,
    ) -> None:
        self.client = client
        self.window = window
        self.max_messages = max_messages

    def iter_runs(self, since: datetime, until: datetime) -> Iterator[BackupRun]:
        """Runs that ended in ``[since, until]`` (aware datetimes), and runs still running.

        Raises:
            ValidationError: naive datetimes, or ``since`` after ``until``.
        """
        check_aware("since", since)
        check_aware("until", until)
        profiles = self.client.admin_list_users_full()
        seen: set[str] = set()
        running = self.client.admin_get_jobs_for_date_range(0, 0)
        ended = self.client.iter_jobs(since, until, window=self.window)
        for job in [*ended, *running]:
            if job.guid in seen or not self._wanted(job, since, until):
                continue
            seen.add(job.guid)
            yield to_backup_run(job, profiles.get(job.username), messages=self._messages(job))

    @staticmethod
    def _wanted(job: BackupJobDetail, since: datetime, until: datetime) -> bool:
        if not is_backup_job(job):
            return False
        if job_category(job.status) is JobCategory.RUNNING:
            return True
        return job.end_time is not None and since <= job.end_time <= until

    def _messages(self, job: BackupJobDetail) -> list[str]:
        status = run_status(job.status)
        if status is RunStatus.SUCCESS or status is RunStatus.RUNNING or self.max_messages <= 0:
            return []
        lines: list[str] = []
        for entry in self.client.admin_get_job_log_entries(job.guid):
            if severity_rank(entry.severity) >= severity_rank("W"):
                lines.append(entry.message)
                if len(lines) >= self.max_messages:
                    break
        return lines

    def devices(self) -> Iterator[Device]:
        """Every device of every user profile, with its protected items and the end of its
        newest successful job (from the profile's statistics; no job is read)."""
        for username, profile in sorted(self.client.admin_list_users_full().items()):
            for device_id, device in profile.devices.items():
                sources = [
                    source
                    for source in profile.sources.values()
                    if source.owner_device == device_id
                ]
                successes = [
                    source.statistics.last_successful_backup_job.end_time
                    for source in sources
                    if source.statistics.last_successful_backup_job.end_time is not None
                ]
                yield Device(
                    vendor=self.vendor,
                    device_id=device_id,
                    device_name=device.friendly_name,
                    customer=username,
                    data_sources=tuple(s.description or s.engine for s in sources),
                    last_success=max(successes) if successes else None,
                )
