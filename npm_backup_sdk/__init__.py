"""Typed client for the "Backup and Restore v2.0" appliance service (``/api/npm.backup/2.0``).

>>> from npm_backup_sdk import NpmBackupClient
>>> client = NpmBackupClient("appliance.example.com", username="admin", password="...")
>>> for server in client.servers.list():
...     ...
"""

from backup_sdk._version import __version__
from npm_backup_sdk.client import API_ROOT, NpmBackupClient
from npm_backup_sdk.enums import Frequency, OperationType, Status, Weekday
from npm_backup_sdk.errors import AUTH_ERROR_IDS
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

__all__ = [
    "API_ROOT",
    "AUTH_ERROR_IDS",
    "BackupOperation",
    "BackupSize",
    "Backups",
    "CompletedBackup",
    "ContentInfo",
    "CurrentOperation",
    "DeviceInfo",
    "DeviceStatus",
    "FactoryResetOperation",
    "Frequency",
    "Module",
    "ModuleOption",
    "ModuleSelection",
    "ModuleSize",
    "NpmBackupClient",
    "OperationDetailsBackup",
    "OperationDetailsRestore",
    "OperationInfo",
    "OperationType",
    "Progress",
    "RecurrenceRule",
    "RestoreOperation",
    "ScheduledBackup",
    "ScheduledBackups",
    "Server",
    "Servers",
    "ServiceVersions",
    "Status",
    "Token",
    "UnknownOperation",
    "Weekday",
    "__version__",
]
