"""Typed client for the Comet Server admin API (all 124 methods of Comet 20.9.12).

>>> from comet_sdk import CometAdminClient
>>> client = CometAdminClient("https://backup.example.com", "admin", "...")
>>> jobs = client.admin_get_jobs_for_date_range(start, end)
"""

from backup_sdk._version import __version__
from comet_sdk._generated.constants import JobClassification, JobStatus, Severity
from comet_sdk._generated.methods import OPERATIONS
from comet_sdk._generated.models import (
    BackupJobDetail,
    BackupJobProgress,
    CometAPIResponseMessage,
    GetProfileAndHashResponseMessage,
    JobEntry,
    LiveUserConnection,
    ServerMetaVersionInfo,
    SessionKeyRegeneratedResponse,
    UserProfileConfig,
)
from comet_sdk._operation import Operation
from comet_sdk.client import CometAdminClient
from comet_sdk.constants import JobCategory, job_category

__all__ = [
    "OPERATIONS",
    "BackupJobDetail",
    "BackupJobProgress",
    "CometAPIResponseMessage",
    "CometAdminClient",
    "GetProfileAndHashResponseMessage",
    "JobCategory",
    "JobClassification",
    "JobEntry",
    "JobStatus",
    "LiveUserConnection",
    "Operation",
    "ServerMetaVersionInfo",
    "SessionKeyRegeneratedResponse",
    "Severity",
    "UserProfileConfig",
    "__version__",
    "job_category",
]
