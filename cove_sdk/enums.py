"""Cove's coded values as open enums: unknown codes from a newer server are kept."""

from __future__ import annotations

from typing import Any

from backup_sdk.models import OpenIntEnum, OpenStrEnum

__all__ = [
    "AccountFlag",
    "AccountType",
    "LsvEnabled",
    "OSType",
    "PartnerLevel",
    "PartnerState",
    "SeedingMode",
    "SelectionMode",
    "SessionStatus",
    "StorageStatus",
]


class SessionStatus(OpenIntEnum):
    """Status of a backup session (``F00``, ``F16``, ``F17``; Reporting ``Status``).

    Also accepts the names the M365 and Reporting services send (``"Completed"``...).
    """

    NO_STATUS = 0
    IN_PROCESS = 1
    FAILED = 2
    ABORTED = 3
    UNKNOWN = 4
    COMPLETED = 5
    INTERRUPTED = 6
    NOT_STARTED = 7
    COMPLETED_WITH_ERRORS = 8
    IN_PROGRESS_WITH_FAULTS = 9
    OVER_QUOTA = 10
    NO_SELECTION = 11
    RESTARTED = 12

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if isinstance(value, str):
            key = value.strip().replace(" ", "").lower()
            for member in cls:
                if member.name.replace("_", "").lower() == key:
                    return member
            if key == "inprocesswithfaults":
                return cls.IN_PROGRESS_WITH_FAULTS
        return super()._missing_(value)

    @property
    def is_success(self) -> bool:
        """Completed cleanly."""
        return self is SessionStatus.COMPLETED

    @property
    def is_warning(self) -> bool:
        """Completed, but with errors (data mostly backed up)."""
        return self is SessionStatus.COMPLETED_WITH_ERRORS

    @property
    def is_running(self) -> bool:
        return self in (SessionStatus.IN_PROCESS, SessionStatus.IN_PROGRESS_WITH_FAULTS)

    @property
    def is_failure(self) -> bool:
        """Did not back up what it should have (failed, aborted, interrupted, restarted,
        over quota, nothing selected, never started...). Unknown codes count as failures;
        ``NO_STATUS`` (no session yet) does not."""
        return self not in _NOT_FAILURES


#: The statuses ``is_failure`` is False for: success, warning, running, no status yet.
_NOT_FAILURES = frozenset(
    {
        SessionStatus.COMPLETED,
        SessionStatus.COMPLETED_WITH_ERRORS,
        SessionStatus.IN_PROCESS,
        SessionStatus.IN_PROGRESS_WITH_FAULTS,
        SessionStatus.NO_STATUS,
    }
)


class OSType(OpenIntEnum):
    """``I32`` OS type."""

    UNDEFINED = 0
    WORKSTATION = 1
    SERVER = 2


class AccountType(OpenIntEnum):
    """``I59`` account type."""

    UNKNOWN = 0
    BACKUP_MANAGER = 1
    M365 = 2


class SeedingMode(OpenIntEnum):
    """``I33`` seeding mode."""

    UNDEFINED = 0
    NORMAL = 1
    SEEDING = 2
    PRE_SEEDING = 3
    POST_SEEDING = 4


class StorageStatus(OpenIntEnum):
    """``I36`` storage status and ``I37`` LocalSpeedVault status."""

    OFFLINE = -2
    FAILED = -1
    UNDEFINED = 0
    RUNNING = 50
    SYNCHRONIZED = 100


class LsvEnabled(OpenIntEnum):
    """``I35`` LocalSpeedVault enabled."""

    DISABLED = 0
    ENABLED = 1


class SelectionMode(OpenStrEnum):
    """``AccountStatisticsQuery.SelectionMode``."""

    UNDEFINED = "Undefined"
    MERGED = "Merged"
    PER_INSTALLATION = "PerInstallation"
    COUNT = "Count"


class AccountFlag(OpenStrEnum):
    """Row ``Flags``."""

    UNDEFINED = "Undefined"
    MANAGED_OBSOLETE = "Managed_Obsolete"
    TRIAL = "Trial"
    AUTO_DEPLOYED = "AutoDeployed"


class PartnerLevel(OpenStrEnum):
    """Where a partner sits in the hierarchy."""

    ROOT = "Root"
    SUB_ROOT = "SubRoot"
    DISTRIBUTOR = "Distributor"
    SUB_DISTRIBUTOR = "SubDistributor"
    RESELLER = "Reseller"
    SERVICE_ORGANIZATION = "ServiceOrganization"
    END_CUSTOMER = "EndCustomer"
    SITE = "Site"


class PartnerState(OpenStrEnum):
    """Commercial state of a partner."""

    IN_PRODUCTION = "InProduction"
    IN_TRIAL = "InTrial"
