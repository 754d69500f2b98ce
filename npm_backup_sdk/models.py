"""Models of every type in the Backup and Restore v2.0 reference.

Names follow the service's own (snake_case already), with units added where the service
mixes them: ``size_bytes`` for byte counts, ``size_kb`` for the per-module kilobyte figures.
Timestamps become aware UTC datetimes (:class:`~backup_sdk.models.UnixTime`) whose ``.raw``
keeps the wire value exactly, whether the appliance sent an integer or a decimal string.
Unknown fields are kept in ``extra_fields`` and written back.
"""

from __future__ import annotations

from typing import Any, ClassVar

from backup_sdk.errors import ValidationError
from backup_sdk.models import ModelConverter, UnixTime, WireModel, model, unchanged_secrets, wire
from npm_backup_sdk.enums import Frequency, OperationType, Status, Weekday

__all__ = [
    "BackupOperation",
    "BackupSize",
    "Backups",
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
    "converter",
    "request_body",
]


# --------------------------------------------------------------------------- contents


@model
class ModuleOption(WireModel):
    """One option of a module selection; values are always strings on the wire."""

    name: str | None = wire("name", default=None)
    value: str | None = wire("value", default=None)


@model
class ModuleSelection(WireModel):
    """An entry of ``module_list``: which module to include, with which options."""

    module: str = wire("module")
    options: list[ModuleOption] = wire("options", factory=list)


@model
class ContentInfo(WireModel):
    """What a backup contains, or what a restore restores.

    ``config_only=True`` on a restore forces a configuration-only restore (no effect if the
    backup holds configuration only anyway).
    """

    config_only: bool = wire("config_only", default=False)
    modules: list[ModuleSelection] = wire("modules", factory=list)


@model
class Module(WireModel):
    """A backup module the device offers (``device_status.available_*_modules``)."""

    short_name: str = wire("short_name")
    group: str = wire("group", default="")
    desc: str = wire("desc", default="")
    group_type: str = wire("group_type", default="")
    supported_options: list[str] = wire("supported_options", factory=list)


@model
class ModuleSize(WireModel):
    """Estimated size of one module's data, in **kilobytes**."""

    module: str | None = wire("module", default=None)
    size_kb: int | None = wire("size", default=None)


@model
class BackupSize(WireModel):
    """A size estimate. The reference gives ``total_size`` no unit; it is kept as sent."""

    total_size: int = wire("total_size", default=0)
    data_size: list[ModuleSize] = wire("data_size", factory=list)

    @property
    def modules_kb(self) -> int:
        """Sum of the per-module sizes, in kilobytes."""
        return sum(m.size_kb or 0 for m in self.data_size)


# --------------------------------------------------------------------------- backups


@model
class CompletedBackup(WireModel):
    """A backup stored on a backup server (filer).

    ``size_bytes`` is in bytes; ``created_on`` is an aware UTC datetime; ``schedule_id`` is
    the scheduled backup that produced it (``sid`` on the wire), if any.
    """

    id: str = wire("id")
    name: str = wire("name", default="")
    desc: str = wire("desc", default="")
    server_id: int = wire("server_id", default=0)
    status: Status = wire("status", default=Status.COMPLETED)
    hostname: str = wire("hostname", default="")
    sw_version: str = wire("sw_version", default="")
    model: str = wire("model", default="")
    serial: str = wire("serial", default="")
    created_on: UnixTime | None = wire("created_on", default=None)
    contents: ContentInfo = wire("contents", factory=ContentInfo)
    size_bytes: int = wire("size", default=0)
    schedule_id: str | None = wire("sid", default=None)


@model
class Backups(WireModel):
    """The ``backups`` resource: completed backups on one server."""

    server_id: int = wire("server_id")
    completed: list[CompletedBackup] = wire("completed", factory=list)


# --------------------------------------------------------------------------- operations


@model
class OperationInfo(WireModel):
    """A device operation (backup, restore or factory reset).

    Decoding picks the subclass from ``operation_type``: :class:`BackupOperation`,
    :class:`RestoreOperation`, :class:`FactoryResetOperation`, or :class:`UnknownOperation`
    for a type this SDK does not know (kept whole, not rejected).
    """

    operation_type: OperationType = wire("operation_type")
    start_time: UnixTime | None = wire("start_time", default=None)
    status: Status = wire("status", default=Status.STARTED)
    status_message: str = wire("status_message", default="")


@model
class BackupOperation(OperationInfo):
    """A backup operation (``backup_status``)."""

    backup_id: str = wire("backup_id", default="")
    name: str = wire("name", default="")
    server_name: str = wire("server_name", default="")
    schedule_id: str | None = wire("sbu_id", default=None)


@model
class RestoreOperation(OperationInfo):
    """A restore operation (``restore_status``); the device reboots during it."""

    server_name: str = wire("server_name", default="")
    backup_id: str | None = wire("backup_id", default=None)


@model
class FactoryResetOperation(OperationInfo):
    """A factory reset (``factory_reset_status``)."""


@model
class UnknownOperation(OperationInfo):
    """An operation type this SDK version does not know; every field is kept."""


_OPERATION_CLASSES: dict[str, type[OperationInfo]] = {
    OperationType.BACKUP.value: BackupOperation,
    OperationType.RESTORE.value: RestoreOperation,
    OperationType.RESET_FACTORY.value: FactoryResetOperation,
}


@model
class Progress(WireModel):
    """Progress of the current operation, in steps."""

    completed: int = wire("completed", default=0)
    total: int = wire("total", default=0)
    status_message: str = wire("status_message", default="")

    @property
    def fraction(self) -> float | None:
        """``completed / total`` between 0 and 1, or None when the total is unknown."""
        if self.total <= 0:
            return None
        return max(0.0, min(1.0, self.completed / self.total))


@model
class OperationDetailsBackup(WireModel):
    """What a running backup contains and its estimated size."""

    size_estimate: BackupSize = wire("size_estimate", factory=BackupSize)
    contents: ContentInfo = wire("contents", factory=ContentInfo)


@model
class OperationDetailsRestore(WireModel):
    """A running restore; ``size_bytes`` in bytes."""

    size_bytes: int = wire("size", default=0)


@model
class CurrentOperation(WireModel):
    """The operation the device is running now.

    ``backup_details`` is set for a backup, ``restore_details`` for a restore; a factory
    reset (which the reference's schema cannot describe) has neither.
    """

    info: OperationInfo = wire("info")
    progress: Progress = wire("progress", factory=Progress)
    backup_details: OperationDetailsBackup | None = wire("backup_details", default=None)
    restore_details: OperationDetailsRestore | None = wire("restore_details", default=None)


@model
class DeviceStatus(WireModel):
    """Backup and restore status of the appliance."""

    system_id: str = wire("system_id", default="")
    available_backup_modules: list[Module] = wire("available_backup_modules", factory=list)
    available_restore_modules: list[Module] = wire("available_restore_modules", factory=list)
    current_operation: CurrentOperation | None = wire("current_operation", default=None)
    latest_backup: OperationInfo | None = wire("latest_backup", default=None)
    latest_restore: OperationInfo | None = wire("latest_restore", default=None)


# --------------------------------------------------------------------------- schedules


def _check_range(
    problems: list[str], name: str, values: list[int], low: int, high: int | None, zero_ok: bool
) -> None:
    for v in values:
        if v < low or (high is not None and v > high) or (v == 0 and not zero_ok):
            limit = f"{low}..{high}" if high is not None else f">= {low}"
            problems.append(f"{name} value {v} is outside {limit}" + ("" if zero_ok else ", not 0"))


@model
class RecurrenceRule(WireModel):
    """When a scheduled backup runs: a subset of RFC 2445 RRULE.

    Give ``count`` or ``until``, not both. ``timezone`` is an IANA name (default on the
    device: ``Etc/Universal``). :meth:`validate` checks the documented ranges; the client
    calls it before sending a schedule.
    """

    freq: Frequency = wire("freq")
    interval: int | None = wire("interval", default=None)
    count: int | None = wire("count", default=None)
    until: UnixTime | None = wire("until", default=None)
    dtstart: UnixTime | None = wire("dtstart", default=None)
    timezone: str | None = wire("timezone", default=None)
    byday: list[Weekday] = wire("byday", factory=list)
    byhour: list[int] = wire("byhour", factory=list)
    byminute: list[int] = wire("byminute", factory=list)
    bysecond: list[int] = wire("bysecond", factory=list)
    bymonth: list[int] = wire("bymonth", factory=list)
    bymonthday: list[int] = wire("bymonthday", factory=list)
    bysetpos: list[int] = wire("bysetpos", factory=list)

    def problems(self) -> list[str]:
        """Every rule the reference states that this value breaks (empty when valid)."""
        found: list[str] = []
        if self.count is not None and self.until is not None:
            found.append("give count or until, not both")
        if self.count is not None and self.count < 1:
            found.append(f"count must be >= 1, got {self.count}")
        if self.interval is not None and self.interval < 1:
            found.append(f"interval must be >= 1, got {self.interval}")
        freq = Frequency(self.freq)  # also accepts a plain string given by the caller
        if freq.is_unknown:
            found.append(f"freq {freq.value!r} is not one of the documented frequencies")
        days = [Weekday(d) for d in self.byday]
        found.extend(f"byday value {d.value!r} is not a weekday code" for d in days if d.is_unknown)
        _check_range(found, "byhour", self.byhour, 0, 23, True)
        _check_range(found, "byminute", self.byminute, 0, 59, True)
        _check_range(found, "bysecond", self.bysecond, 0, 59, True)
        _check_range(found, "bymonth", self.bymonth, 1, 12, True)
        _check_range(found, "bymonthday", self.bymonthday, -31, 31, False)
        _check_range(found, "bysetpos", self.bysetpos, -366, 366, False)
        if self.bysetpos and not (
            self.byday
            or self.byhour
            or self.byminute
            or self.bysecond
            or self.bymonth
            or self.bymonthday
        ):
            found.append("bysetpos needs another BYxxx part")
        return found

    def validate(self) -> None:
        """Raise :class:`~backup_sdk.errors.ValidationError` naming every problem."""
        found = self.problems()
        if found:
            raise ValidationError("invalid recurrence rule: " + "; ".join(found), parameter="rrule")


@model
class ScheduledBackup(WireModel):
    """A backup that runs on a schedule.

    ``retry_delay_minutes`` is in minutes; ``retention`` is how many backups are kept.
    ``id``, ``last_backup`` and ``next_backup`` are set by the device.
    """

    READ_ONLY: ClassVar[frozenset[str]] = frozenset({"id", "last_backup", "next_backup"})

    name: str = wire("name")
    server_id: int = wire("server_id")
    rrule: RecurrenceRule = wire("rrule")
    desc: str = wire("desc", default="")
    active: bool = wire("active", default=True)
    retry_attempts: int = wire("retry_attempts", default=0)
    retry_delay_minutes: int = wire("retry_delay", default=0)
    retention: int = wire("retention", default=1)
    contents: ContentInfo = wire("contents", factory=ContentInfo)
    id: str | None = wire("id", default=None)
    last_backup: UnixTime | None = wire("last_backup", default=None)
    next_backup: UnixTime | None = wire("next_backup", default=None)

    def validate(self) -> None:
        """Check ranges and the rule before sending; raises ``ValidationError``."""
        found = [f"rrule: {p}" for p in self.rrule.problems()]
        for name, value, low, high in (
            ("retention", self.retention, 1, 9999),
            ("retry_attempts", self.retry_attempts, 0, 9999),
            ("retry_delay_minutes", self.retry_delay_minutes, 0, 9999),
        ):
            if not low <= value <= high:
                found.append(f"{name} must be {low}..{high}, got {value}")
        if not self.name:
            found.append("name must not be empty")
        if found:
            raise ValidationError(
                "invalid scheduled backup: " + "; ".join(found), parameter="schedule"
            )


@model
class ScheduledBackups(WireModel):
    """The ``scheduled_backups`` collection (``items`` may be absent: then it is empty)."""

    items: list[ScheduledBackup] = wire("items", factory=list)


# --------------------------------------------------------------------------- servers


@model
class Server(WireModel):
    """A backup server (filer), reached over SSH.

    ``new_private_key`` is secret: set it to give the device a key, or leave it unset on
    create and the device generates one (and may return it once). It never appears in
    ``repr``, logs or cassettes. ``public_key`` and ``id`` are set by the device.
    """

    READ_ONLY: ClassVar[frozenset[str]] = frozenset({"id", "public_key"})

    name: str = wire("name")
    host: str = wire("host")
    path: str = wire("path", default="")
    user: str = wire("user", default="")
    port: int = wire("port", default=22)
    desc: str = wire("desc", default="")
    id: int | None = wire("id", default=None)
    new_private_key: str | None = wire("new_private_key", default=None, secret=True)
    public_key: str | None = wire("public_key", default=None)


@model
class Servers(WireModel):
    """The ``servers`` collection (``items`` may be absent: then it is empty)."""

    items: list[Server] = wire("items", factory=list)


# --------------------------------------------------------------------------- common, auth


@model
class DeviceInfo(WireModel):
    """``GET /api/common/1.0/info``: what the appliance is (no login needed)."""

    device_name: str = wire("device_name", default="")
    model: str = wire("model", default="")
    sw_version: str = wire("sw_version", default="")
    hw_version: str | None = wire("hw_version", default=None)
    serial: str | None = wire("serial", default=None)
    mgmt_addresses: list[str] = wire("mgmt_addresses", factory=list)


def _version_key(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


@model
class ServiceVersions(WireModel):
    """One entry of ``GET /api/common/1.0/services``. Versions compare numerically."""

    id: str = wire("id")
    versions: list[str] = wire("versions", factory=list)

    def latest(self) -> str | None:
        """The highest version (``"1.10"`` beats ``"1.9"``)."""
        return max(self.versions, key=_version_key) if self.versions else None

    def offers(self, version: str) -> bool:
        """True if exactly this version is offered (``"2.0"`` matches ``"2"`` too)."""
        wanted = _version_key(version)
        return any(_version_key(v) + (0,) * 3 == wanted + (0,) * 3 for v in self.versions)


@model
class Token(WireModel):
    """A ``mgmt.aaa`` access token (secret fields never shown)."""

    access_token: str = wire("access_token", secret=True)
    expires_at: UnixTime | None = wire("expires_at", default=None)
    token_type: str = wire("token_type", default="bearer")
    refresh_token: str | None = wire("refresh_token", default=None, secret=True)


# --------------------------------------------------------------------------- converter


converter = ModelConverter("npm_backup", auto_time_units=True, never_time=None)


def _configure(conv: Any) -> None:
    def structure_operation(data: Any, _: Any) -> OperationInfo:
        if not isinstance(data, dict):
            raise ValueError(f"expected an object for OperationInfo, got {type(data).__name__}")
        kind = data.get("operation_type")
        cls = _OPERATION_CLASSES.get(kind if isinstance(kind, str) else "", UnknownOperation)
        return conv.structure(data, cls)  # type: ignore[no-any-return]

    conv.register_structure_hook_func(lambda t: t is OperationInfo, structure_operation)


converter.register(_configure)


def request_body(obj: WireModel, read_only: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Encode a model for a create/update: read-only fields, unset optionals (at any depth)
    and secret fields still holding the value the appliance sent (a key read back is not
    sent again) are left out."""
    data: dict[str, Any] = converter.unstructure(obj)
    skipped = set(read_only) | unchanged_secrets(obj)
    wire_read_only = {_wire_of(type(obj), name) for name in skipped}
    return {k: _drop_none(v) for k, v in data.items() if k not in wire_read_only and v is not None}


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


def _wire_of(cls: type[Any], name: str) -> str:
    from backup_sdk.models import wire_name

    return wire_name(cls, name)
