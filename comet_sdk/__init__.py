"""Typed clients for the Comet Server API: every method of Comet 20.9.12 and 25.9.6.

>>> from comet_sdk import CometAdminClient
>>> client = CometAdminClient("https://backup.example.com", username="admin", password="...")
>>> jobs = client.iter_jobs(since, until).to_list()

``CometAdminClient`` speaks the admin API, ``CometUserClient`` the user-web API (a user's
own account and devices). Model classes and enums are imported on first use, so importing
this package stays cheap however large the API grows.
"""

import logging
from typing import TYPE_CHECKING

from backup_sdk._lazy import LazyNamespace
from backup_sdk._version import __version__
from comet_sdk import vendor as _vendor  # noqa: F401  (registers the secret wire keys)
from comet_sdk._generated.operations import OPERATIONS
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
    ServerVersionError,
    SessionKeyRefusedError,
    TransportError,
    ValidationError,
)
from comet_sdk.user_client import CometUserClient

if TYPE_CHECKING:
    from comet_sdk._generated.enums import JobClassification, JobStatus, Severity
    from comet_sdk._generated.models import (
        BackupJobDetail,
        BackupJobProgress,
        CometAPIResponseMessage,
        GetProfileAndHashResponseMessage,
        JobEntry,
        LiveUserConnection,
        ProtectedItemWithBackupRulesResponse,
        ServerMetaVersionInfo,
        SessionKeyRegeneratedResponse,
        UserProfileConfig,
    )
    from comet_sdk.runs import CometRunSource, to_backup_runs

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
    "CometRunSource",
    "CometUserClient",
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
    "ProtectedItemWithBackupRulesResponse",
    "RateLimitError",
    "RedirectError",
    "RequestTimeoutError",
    "ResponseDecodeError",
    "ServerError",
    "ServerMetaVersionInfo",
    "ServerVersionError",
    "SessionKeyRefusedError",
    "SessionKeyRegeneratedResponse",
    "Severity",
    "TransportError",
    "UserProfileConfig",
    "ValidationError",
    "__version__",
    "job_category",
    "to_backup_runs",
]

_LAZY = LazyNamespace.grouped(
    __name__,
    {
        "runs": [
            "CometRunSource",
            "to_backup_runs",
        ],
        "_generated.enums": [
            "JobClassification",
            "JobStatus",
            "Severity",
        ],
        "_generated.models": [
            "BackupJobDetail",
            "BackupJobProgress",
            "CometAPIResponseMessage",
            "GetProfileAndHashResponseMessage",
            "JobEntry",
            "LiveUserConnection",
            "ProtectedItemWithBackupRulesResponse",
            "ServerMetaVersionInfo",
            "SessionKeyRegeneratedResponse",
            "UserProfileConfig",
        ],
    },
    globals(),
)

# The re-exported model classes, enums and run helpers, imported on first use.
# ``__getattr__`` is hidden from type checkers, so that a misspelt name is still an error for
# them.
if not TYPE_CHECKING:
    __getattr__ = _LAZY.load
__dir__ = _LAZY.dir


logging.getLogger("comet_sdk").addHandler(logging.NullHandler())
