"""backup-sdk: the shared layer under ``cove_sdk``, ``comet_sdk`` and ``npm_backup_sdk``.

Most users import a vendor package; this package holds what they share: errors,
transport settings (:class:`Timeout`, :class:`RetryPolicy`, :class:`Hooks`), redaction,
models and pagination.
"""

import logging

from backup_sdk._version import __version__
from backup_sdk.client import BaseClient
from backup_sdk.errors import (
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
    RequestTimeoutError,
    ResponseDecodeError,
    ServerError,
    TransportError,
    ValidationError,
)
from backup_sdk.pagination import OffsetPaginator
from backup_sdk.redaction import Secret
from backup_sdk.transport import (
    NOT_GIVEN,
    CallInfo,
    Hooks,
    RequestEvent,
    ResponseEvent,
    RetryPolicy,
    Timeout,
)

for _name in ("backup_sdk", "cove_sdk", "comet_sdk", "npm_backup_sdk"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

__all__ = [
    "NOT_GIVEN",
    "APIError",
    "AuthenticationError",
    "BackupSDKError",
    "BaseClient",
    "CallInfo",
    "ConfigurationError",
    "ConflictError",
    "ConnectError",
    "Hooks",
    "InvalidRequestError",
    "MissingDependencyError",
    "NotFoundError",
    "OffsetPaginator",
    "OperationTimeoutError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestEvent",
    "RequestTimeoutError",
    "ResponseDecodeError",
    "ResponseEvent",
    "RetryPolicy",
    "Secret",
    "ServerError",
    "Timeout",
    "TransportError",
    "ValidationError",
    "__version__",
]
