"""Open enums of the Backup and Restore v2.0 service (unknown values are kept, not rejected)."""

from __future__ import annotations

from backup_sdk.models import OpenStrEnum

__all__ = ["Frequency", "OperationType", "Status", "Weekday"]


class Status(OpenStrEnum):
    """Status of a backup or an operation.

    2.0 documents ``started``, ``completed``, ``failed`` and ``aborted``; the 1.0 service also
    used ``uploading``, ``not_run`` and ``completed_with_errors``, which are accepted too.
    """

    STARTED = "started"
    COMPLETED = "completed"
    FAILED = "failed"
    ABORTED = "aborted"
    UPLOADING = "uploading"
    NOT_RUN = "not_run"
    COMPLETED_WITH_ERRORS = "completed_with_errors"

    @property
    def is_terminal(self) -> bool:
        """True once the backup/operation will not change any more."""
        return self in _TERMINAL

    @property
    def is_success(self) -> bool:
        """Completed, with or without errors."""
        return self in (Status.COMPLETED, Status.COMPLETED_WITH_ERRORS)


_TERMINAL = frozenset(
    {Status.COMPLETED, Status.FAILED, Status.ABORTED, Status.COMPLETED_WITH_ERRORS}
)


class OperationType(OpenStrEnum):
    """What a device operation does (``operation_info.operation_type``)."""

    BACKUP = "backup"
    RESTORE = "restore"
    RESET_FACTORY = "reset-factory"


class Frequency(OpenStrEnum):
    """``recurrence_rule.freq``: QUARTERLY and ONETIME are this service's additions to RFC 2445."""

    YEARLY = "YEARLY"
    QUARTERLY = "QUARTERLY"
    MONTHLY = "MONTHLY"
    WEEKLY = "WEEKLY"
    DAILY = "DAILY"
    HOURLY = "HOURLY"
    ONETIME = "ONETIME"


class Weekday(OpenStrEnum):
    """``recurrence_rule.byday`` values (no numeric prefixes such as ``1MO``)."""

    SU = "SU"
    MO = "MO"
    TU = "TU"
    WE = "WE"
    TH = "TH"
    FR = "FR"
    SA = "SA"
