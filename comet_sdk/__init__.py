"""Typed client for the Comet Server admin API (all 124 methods of Comet 20.9.12).

>>> from comet_sdk import CometAdminClient
>>> client = CometAdminClient("https://backup.example.com", username="admin", password="...")
>>> jobs = client.iter_jobs(since, until).to_list()
"""

import logging

from backup_sdk._version import __version__
from comet_sdk import vendor as _vendor  # noqa: F401  (registers the secret wire keys)
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
from comet_sdk.enums import JobCategory, job_category
from comet_sdk.errors import (
    TOTP_REQUIRED,
    UNKNOWN_DEVICE,
    APIError,
    AuthenticationError,
    BackupSDKError,
    ConfigurationError,
    ConflictError,
    ConnectError,
    InvalidRequestError,
    MissingDependencyError,
    NotFoundError,
    OperationTimeoutError,
    PermissionDeniedError,
    RateLimitError,
    RedirectError,
    RequestTimeoutError,
    ResponseDecodeError,
    ServerError,
    TransportError,
    ValidationError,
)
from comet_sdk.runs import to_backup_runs

__all__ = [
    "OPERATIONS",
    "TOTP_REQUIRED",
    "UNKNOWN_DEVICE",
    "APIError",
    "AuthenticationError",
    "BackupJobDetail",
    "BackupJobProgress",
    "BackupSDKError",
    "CometAPIResponseMessage",
    "CometAdminClient",
    "ConfigurationError",
    "ConflictError",
    "ConnectError",
    "GetProfileAndHashResponseMessage",
    "InvalidRequestError",
    "JobCategory",
    "JobClassification",
    "JobEntry",
    "JobStatus",
    "LiveUserConnection",
    "MissingDependencyError",
    "NotFoundError",
    "Operation",
    "OperationTimeoutError",
    "PermissionDeniedError",
    "RateLimitError",
    "RedirectError",
    "RequestTimeoutError",
    "ResponseDecodeError",
    "ServerError",
    "ServerMetaVersionInfo",
    "SessionKeyRegeneratedResponse",
    "Severity",
    "TransportError",
    "UserProfileConfig",
    "ValidationError",
    "__version__",
    "job_category",
    "to_backup_runs",
]

logging.getLogger("comet_sdk").addHandler(logging.NullHandler())
