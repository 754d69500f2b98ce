"""Typed client for N-able Cove Data Protection's JSON-RPC API.

>>> from cove_sdk import CoveClient
>>> client = CoveClient(partner="Acme (admin@acme.example)", username="api-user", password="...")
>>> for row in client.iter_account_statistics(client.user.partner_id, ["I1", "D09F00"]):
...     print(row.device_name, row.total.last_status)
"""

import logging

from backup_sdk._version import __version__
from cove_sdk import vendor as _vendor  # noqa: F401  (registers the secret wire keys)
from cove_sdk.client import DEFAULT_URL, AccountLookup, CoveClient, DeviceReporting
from cove_sdk.columns import DataSource, Field, Property, canonical, column, data_source
from cove_sdk.enums import (
    AccountFlag,
    AccountType,
    LsvEnabled,
    OSType,
    PartnerLevel,
    PartnerState,
    SeedingMode,
    SelectionMode,
    SessionStatus,
    StorageStatus,
)
from cove_sdk.errors import (
    BAD_CREDENTIALS,
    SECURITY_REFUSAL,
    VISA_INVALID,
    APIError,
    AuthenticationError,
    BackupSDKError,
    ColumnsRefusedError,
    ConfigurationError,
    ConflictError,
    ConnectError,
    InvalidRequestError,
    MethodNotFoundError,
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
    VisaExpiredError,
)
from cove_sdk.filters import quote
from cove_sdk.models import (
    AccountInfo,
    ChildPartner,
    HomeNodeInfo,
    PartnerInfo,
    ReportingError,
    ReportingSession,
    ServerInfo,
    UserInfo,
)
from cove_sdk.runs import to_backup_runs
from cove_sdk.statistics import DataSourceStats, StatisticsPage, StatisticsRow

__all__ = [
    "BAD_CREDENTIALS",
    "DEFAULT_URL",
    "SECURITY_REFUSAL",
    "VISA_INVALID",
    "APIError",
    "AccountFlag",
    "AccountInfo",
    "AccountLookup",
    "AccountType",
    "AuthenticationError",
    "BackupSDKError",
    "ChildPartner",
    "ColumnsRefusedError",
    "ConfigurationError",
    "ConflictError",
    "ConnectError",
    "CoveClient",
    "DataSource",
    "DataSourceStats",
    "DeviceReporting",
    "Field",
    "HomeNodeInfo",
    "InvalidRequestError",
    "LsvEnabled",
    "MethodNotFoundError",
    "MissingDependencyError",
    "NotFoundError",
    "OSType",
    "OperationTimeoutError",
    "PartnerInfo",
    "PartnerLevel",
    "PartnerState",
    "PermissionDeniedError",
    "Property",
    "RateLimitError",
    "RedirectError",
    "ReportingError",
    "ReportingSession",
    "RequestTimeoutError",
    "ResponseDecodeError",
    "SeedingMode",
    "SelectionMode",
    "ServerError",
    "ServerInfo",
    "SessionStatus",
    "StatisticsPage",
    "StatisticsRow",
    "StorageStatus",
    "TransportError",
    "UserInfo",
    "ValidationError",
    "VisaExpiredError",
    "__version__",
    "canonical",
    "column",
    "data_source",
    "quote",
    "to_backup_runs",
]

logging.getLogger("cove_sdk").addHandler(logging.NullHandler())
