"""Typed client for the "Backup and Restore v2.0" appliance service (``/api/npm.backup/2.0``).

>>> from npm_backup_sdk import NpmBackupClient
>>> client = NpmBackupClient("appliance.example.com", username="admin", password="...")
>>> for server in client.servers.list():
...     ...
"""

import logging
from typing import TYPE_CHECKING

from backup_sdk._lazy import LazyNamespace
from backup_sdk._version import __version__
from npm_backup_sdk import vendor as _vendor  # noqa: F401  (registers the secret wire keys)
from npm_backup_sdk.client import API_ROOT, NpmBackupClient
from npm_backup_sdk.enums import Frequency, OperationType, Status, Weekday
from npm_backup_sdk.errors import (
    AUTH_ERROR_IDS,
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

if TYPE_CHECKING:
    from npm_backup_sdk.models import (
        BackupOperation,
        Backups,
        BackupSize,
        CompletedBackup,
        ContentInfo,
        CurrentOperation,
        DeviceInfo,
        DeviceStatus,
        FactoryResetOperation,
        Module,
        ModuleOption,
        ModuleSelection,
        ModuleSize,
        OperationDetailsBackup,
        OperationDetailsRestore,
        OperationInfo,
        Progress,
        RecurrenceRule,
        RestoreOperation,
        ScheduledBackup,
        ScheduledBackups,
        Server,
        Servers,
        ServiceVersions,
        Token,
        UnknownOperation,
    )
    from npm_backup_sdk.runs import to_backup_runs

__all__ = [
    "API_ROOT",
    "AUTH_ERROR_IDS",
    "APIError",
    "AuthenticationError",
    "BackupOperation",
    "BackupSDKError",
    "BackupSize",
    "Backups",
    "CompletedBackup",
    "ConfigurationError",
    "ConflictError",
    "ConnectError",
    "ContentInfo",
    "CurrentOperation",
    "DeviceInfo",
    "DeviceStatus",
    "FactoryResetOperation",
    "Frequency",
    "InvalidRequestError",
    "MissingDependencyError",
    "Module",
    "ModuleOption",
    "ModuleSelection",
    "ModuleSize",
    "NotFoundError",
    "NpmBackupClient",
    "OperationDetailsBackup",
    "OperationDetailsRestore",
    "OperationInfo",
    "OperationTimeoutError",
    "OperationType",
    "PermissionDeniedError",
    "Progress",
    "RateLimitError",
    "RecurrenceRule",
    "RedirectError",
    "RequestTimeoutError",
    "ResponseDecodeError",
    "RestoreOperation",
    "ScheduledBackup",
    "ScheduledBackups",
    "Server",
    "ServerError",
    "Servers",
    "ServiceVersions",
    "Status",
    "Token",
    "TransportError",
    "UnknownOperation",
    "ValidationError",
    "Weekday",
    "__version__",
    "to_backup_runs",
]

logging.getLogger("npm_backup_sdk").addHandler(logging.NullHandler())

_LAZY = LazyNamespace.grouped(
    __name__,
    {
        "models": [
            "BackupOperation",
            "Backups",
            "BackupSize",
            "CompletedBackup",
            "ContentInfo",
            "CurrentOperation",
            "DeviceInfo",
            "DeviceStatus",
            "FactoryResetOperation",
            "Module",
            "ModuleOption",
            "ModuleSelection",
            "ModuleSize",
            "OperationDetailsBackup",
            "OperationDetailsRestore",
            "OperationInfo",
            "Progress",
            "RecurrenceRule",
            "RestoreOperation",
            "ScheduledBackup",
            "ScheduledBackups",
            "Server",
            "Servers",
            "ServiceVersions",
            "Token",
            "UnknownOperation",
        ],
        "runs": ["to_backup_runs"],
    },
    globals(),
)

# The models and ``to_backup_runs``, imported on first use (a model module is mostly attrs
# writing methods: about 12 ms a package import need not pay).
# ``__getattr__`` is hidden from type checkers, so that a misspelt name is still an error for
# them.
if not TYPE_CHECKING:
    __getattr__ = _LAZY.load
__dir__ = _LAZY.dir
