"""Typed client for N-able Cove Data Protection's JSON-RPC API.

>>> from cove_sdk import CoveClient
>>> client = CoveClient(partner="Acme (admin@acme.example)", username="api-user", password="...")
>>> for row in client.iter_account_statistics(client.user.partner_id, ["I1", "D09F00"]):
...     print(row.device_name, row.total.last_status)
"""

import logging
from typing import TYPE_CHECKING

from backup_sdk._lazy import LazyNamespace
from backup_sdk._version import __version__
from cove_sdk import vendor as _vendor  # noqa: F401  (registers the secret wire keys)
from cove_sdk.client import DEFAULT_URL, AccountLookup, CoveClient, DeviceReporting
from cove_sdk.columns import (
    ActiveSources,
    DataSource,
    Field,
    LegacyColumnWarning,
    Property,
    UnknownColumnWarning,
    canonical,
    column,
    data_source,
    list_data_sources,
    parse_active_sources,
    statistics_columns,
    validate_columns,
)
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
from cove_sdk.refusals import NotAColumnRefusal, RefusedColumns, find_refused
from cove_sdk.statistics import DataSourceStats, StatisticsPage, StatisticsRow

if TYPE_CHECKING:
    from cove_sdk.models import (
        AccountInfo,
        ChildPartner,
        HomeNodeInfo,
        PartnerInfo,
        ReportingError,
        ReportingSession,
        ServerInfo,
        UserInfo,
        raw_time,
        server_time,
    )
    from cove_sdk.runs import to_backup_runs

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
    "ActiveSources",
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
    "LegacyColumnWarning",
    "LsvEnabled",
    "MethodNotFoundError",
    "MissingDependencyError",
    "NotAColumnRefusal",
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
    "RefusedColumns",
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
    "UnknownColumnWarning",
    "UserInfo",
    "ValidationError",
    "VisaExpiredError",
    "__version__",
    "canonical",
    "column",
    "data_source",
    "find_refused",
    "list_data_sources",
    "parse_active_sources",
    "quote",
    "raw_time",
    "server_time",
    "statistics_columns",
    "to_backup_runs",
    "validate_columns",
]

logging.getLogger("cove_sdk").addHandler(logging.NullHandler())

_LAZY = LazyNamespace.grouped(
    __name__,
    {
        "models": [
            "AccountInfo",
            "ChildPartner",
            "HomeNodeInfo",
            "PartnerInfo",
            "ReportingError",
            "ReportingSession",
            "ServerInfo",
            "UserInfo",
            "raw_time",
            "server_time",
        ],
        "runs": ["to_backup_runs"],
    },
    globals(),
)

# The models and ``to_backup_runs``, imported on first use (a model module is mostly attrs
# writing methods: about 8 ms a package import need not pay).
# ``__getattr__`` is hidden from type checkers, so that a misspelt name is still an error for
# them.
if not TYPE_CHECKING:
    __getattr__ = _LAZY.load
__dir__ = _LAZY.dir
