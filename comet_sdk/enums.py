"""Comet constants, and how job codes classify for monitoring.

Every constant of both references is importable by its name (``JOB_STATUS_FAILED_WARNING``),
and the typed codes are open enums (``JobStatus``, ``JobClassification``, ``Severity``...),
imported on first use.

:func:`job_category` classifies a ``JobStatus`` by **range first** (5xxx success, 6xxx
running, 7xxx failed) and then by exact code (7001 warning, 7004 missed, 7006 skipped...),
so codes added by later servers (6003 "running, will retry", 6004 "not yet started") and
codes no reference knows yet land in the right bucket without an SDK update.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

from comet_sdk._generated import constants as _constants
from comet_sdk._generated.constants import *  # noqa: F403
from comet_sdk._generated.constants import (
    ENUMS,
    JOB_STATUS_FAILED__MAX,
    JOB_STATUS_FAILED__MIN,
    JOB_STATUS_FAILED_ABANDONED,
    JOB_STATUS_FAILED_CANCELLED,
    JOB_STATUS_FAILED_QUOTA,
    JOB_STATUS_FAILED_SCHEDULEMISSED,
    JOB_STATUS_FAILED_SKIPALREADYRUNNING,
    JOB_STATUS_FAILED_WARNING,
    JOB_STATUS_RUNNING__MAX,
    JOB_STATUS_RUNNING__MIN,
    JOB_STATUS_STOP_SUCCESS__MAX,
    JOB_STATUS_STOP_SUCCESS__MIN,
)
from comet_sdk._generated.constants import __all__ as _generated_all

if TYPE_CHECKING:
    from comet_sdk._generated.enums import *  # noqa: F403

__all__ = [  # noqa: PLE0604
    *_generated_all,
    *ENUMS,
    "JobCategory",
    "job_category",
    "severity_rank",
]


class JobCategory(str, enum.Enum):
    """What a job's status means to a monitor."""

    SUCCESS = "success"
    RUNNING = "running"
    WARNING = "warning"
    ERROR = "error"
    QUOTA_EXCEEDED = "quota_exceeded"
    MISSED = "missed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"
    ABANDONED = "abandoned"
    UNKNOWN = "unknown"

    @property
    def is_failure(self) -> bool:
        """Error-like outcomes: the backup did not (fully) happen."""
        return self in (
            JobCategory.ERROR,
            JobCategory.QUOTA_EXCEEDED,
            JobCategory.MISSED,
            JobCategory.CANCELLED,
            JobCategory.ABANDONED,
        )


_FAILED_EXACT: dict[int, JobCategory] = {
    JOB_STATUS_FAILED_WARNING: JobCategory.WARNING,
    JOB_STATUS_FAILED_QUOTA: JobCategory.QUOTA_EXCEEDED,
    JOB_STATUS_FAILED_SCHEDULEMISSED: JobCategory.MISSED,
    JOB_STATUS_FAILED_SKIPALREADYRUNNING: JobCategory.SKIPPED,
    JOB_STATUS_FAILED_CANCELLED: JobCategory.CANCELLED,
    JOB_STATUS_FAILED_ABANDONED: JobCategory.ABANDONED,
}


def job_category(status: int) -> JobCategory:
    """Classify a ``BackupJobDetail.Status`` code (any int, known or not)."""
    code = int(status)
    if JOB_STATUS_STOP_SUCCESS__MIN <= code <= JOB_STATUS_STOP_SUCCESS__MAX:
        return JobCategory.SUCCESS
    if JOB_STATUS_RUNNING__MIN <= code <= JOB_STATUS_RUNNING__MAX:
        return JobCategory.RUNNING
    if JOB_STATUS_FAILED__MIN <= code <= JOB_STATUS_FAILED__MAX:
        return _FAILED_EXACT.get(code, JobCategory.ERROR)
    return JobCategory.UNKNOWN


_SEVERITY_ORDER = {"D": 0, "I": 1, "W": 2, "E": 3}


def severity_rank(severity: str) -> int:
    """Order of job-log severities: D (debug) < I < W < E; unknown letters rank as I."""
    return _SEVERITY_ORDER.get(str(getattr(severity, "value", severity)), 1)


# hidden from type checkers, so that a misspelt name is still an error for them
if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        """The enum classes, imported on first use."""
        value = getattr(_constants, name)
        globals()[name] = value
        return value
