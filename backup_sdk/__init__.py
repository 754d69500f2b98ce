"""backup-sdk: the shared layer under the vendor packages.

Most users import a vendor package; this package holds what they share: errors,
transport settings (:class:`Timeout`, :class:`RetryPolicy`, :class:`Hooks`), credentials,
redaction, models, pagination and the cross-vendor runs. It names no vendor: vendor
packages register themselves (see :mod:`backup_sdk.vendors`).
"""

import logging

from backup_sdk._version import __version__
from backup_sdk.client import BaseClient, RawResponse
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
    RedirectError,
    RequestTimeoutError,
    ResponseDecodeError,
    ServerError,
    TransportError,
    ValidationError,
)
from backup_sdk.hooks import LoginEvent
from backup_sdk.pagination import OffsetPaginator, Paginator, WindowPaginator
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

logging.getLogger("backup_sdk").addHandler(logging.NullHandler())

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
    "LoginEvent",
    "MissingDependencyError",
    "NotFoundError",
    "OffsetPaginator",
    "OperationTimeoutError",
    "Paginator",
    "PermissionDeniedError",
    "RateLimitError",
    "RawResponse",
    "RedirectError",
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
    "WindowPaginator",
    "__version__",
]
