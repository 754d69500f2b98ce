"""Typed client for N-able Cove Data Protection's JSON-RPC API.

>>> from cove_sdk import CoveClient
>>> client = CoveClient("Acme (admin@acme.example)", "api-user", "...")
>>> for row in client.iter_account_statistics(client.user.partner_id, ["I1", "D09F00"]):
...     print(row.device_name, row.total.last_status)
"""

from backup_sdk._version import __version__
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
from cove_sdk.errors import ColumnsRefusedError, MethodNotFoundError, VisaExpiredError
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
from cove_sdk.statistics import DataSourceStats, StatisticsPage, StatisticsRow

__all__ = [
    "DEFAULT_URL",
    "AccountFlag",
    "AccountInfo",
    "AccountLookup",
    "AccountType",
    "ChildPartner",
    "ColumnsRefusedError",
    "CoveClient",
    "DataSource",
    "DataSourceStats",
    "DeviceReporting",
    "Field",
    "HomeNodeInfo",
    "LsvEnabled",
    "MethodNotFoundError",
    "OSType",
    "PartnerInfo",
    "PartnerLevel",
    "PartnerState",
    "Property",
    "ReportingError",
    "ReportingSession",
    "SeedingMode",
    "SelectionMode",
    "ServerInfo",
    "SessionStatus",
    "StatisticsPage",
    "StatisticsRow",
    "StorageStatus",
    "UserInfo",
    "VisaExpiredError",
    "__version__",
    "canonical",
    "column",
    "data_source",
    "quote",
]
