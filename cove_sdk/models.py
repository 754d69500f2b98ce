"""Cove Management and Reporting Service structures as attrs models.

Statistics rows are not here: they are :class:`cove_sdk.statistics.StatisticsRow`, built
without a per-field decoder because a page can hold 10,000 rows x 40 columns.

The Reporting Service (``repserv_json`` on each storage node) has no public schema; its
models follow what integrations were seen to read, and every field a server sends beyond
those is kept in ``extra_fields``.

Times are unix seconds, UTC, decoded as aware :class:`~backup_sdk.models.UnixTime`. Cove
writes "never" as ``0``, an empty value or ``2147483647`` (the largest 32-bit time, which
would otherwise read as 2038-01-19): every time field decodes all of them as ``None``. A
sentinel other than ``0`` is kept in ``extra_fields`` under its wire key, so encoding the
model writes it back unchanged (:func:`raw_time` reads it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Final, get_args

import attrs

from backup_sdk.errors import ResponseDecodeError
from backup_sdk.models import ModelConverter, UnixTime, WireModel, model, wire, wire_name
from cove_sdk.enums import PartnerLevel, PartnerState, SessionStatus
from cove_sdk.never import NEVER_SECONDS, is_never_time

if TYPE_CHECKING:
    import cattrs

__all__ = [
    "NEVER_SECONDS",
    "AccountInfo",
    "ChildPartner",
    "HomeNodeInfo",
    "PartnerInfo",
    "ReportingError",
    "ReportingSession",
    "ServerInfo",
    "UserInfo",
    "converter",
    "is_never_time",
    "raw_time",
    "server_time",
]


@model
class UserInfo(WireModel):
    """The logged-in user (``Login`` result)."""

    id: int = wire("Id", default=0)
    name: str = wire("Name", default="")
    partner_id: int = wire("PartnerId", default=0)
    email_address: str | None = wire("EmailAddress", default=None)
    full_name: str | None = wire("FullName", default=None)
    first_name: str | None = wire("FirstName", default=None)
    role_id: int | None = wire("RoleId", default=None)
    flags: list[str] = wire("Flags", factory=list)
    first_login_time: UnixTime | None = wire("FirstLoginTime", default=None)
    last_login_time: UnixTime | None = wire("LastLoginTime", default=None)
    two_factor_authentication_status: str | None = wire(
        "TwoFactorAuthenticationStatus", default=None
    )
    password: str | None = wire("Password", default=None, secret=True)


@model
class PartnerInfo(WireModel):
    """A partner (MSP, reseller, end customer, site)."""

    id: int = wire("Id", default=0)
    name: str = wire("Name", default="")
    uid: str | None = wire("Uid", default=None)
    level: PartnerLevel | None = wire("Level", default=None)
    parent_id: int | None = wire("ParentId", default=None)
    location_id: int | None = wire("LocationId", default=None)
    state: PartnerState | None = wire("State", default=None)
    service_type: str | None = wire("ServiceType", default=None)
    child_service_types: list[str] = wire("ChildServiceTypes", factory=list)
    country: str | None = wire("Country", default=None)
    trial_expiration_time: UnixTime | None = wire("TrialExpirationTime", default=None)
    trial_registration_time: UnixTime | None = wire("TrialRegistrationTime", default=None)
    company: dict[str, Any] = wire("Company", factory=dict)


@model
class ChildPartner(WireModel):
    """A node of ``EnumerateChildPartners``: the partner and (some of) its children."""

    info: PartnerInfo = wire("Info", factory=PartnerInfo)
    actual_child_count: int = wire("ActualChildCount", default=0)
    children: list[ChildPartner] = wire("Children", factory=list)


@model
class AccountInfo(WireModel):
    """A device account. ``token`` and ``password`` are secret (never shown)."""

    id: int = wire("Id", default=0)
    name: str = wire("Name", default="")
    name_alias: str | None = wire("NameAlias", default=None)
    partner_id: int = wire("PartnerId", default=0)
    type: str | None = wire("Type", default=None)
    product_id: int | None = wire("ProductId", default=None)
    location_id: int | None = wire("LocationId", default=None)
    storage_location_id: int | None = wire("StorageLocationId", default=None)
    creation_time: UnixTime | None = wire("CreationTime", default=None)
    #: None = never expires (the wire's 2147483647, kept for re-encoding; see raw_time).
    expiration_time: UnixTime | None = wire("ExpirationTime", default=None)
    removal_time: UnixTime | None = wire("RemovalTime", default=None)
    token: str | None = wire("Token", default=None, secret=True)
    password: str | None = wire("Password", default=None, secret=True)


@model
class HomeNodeInfo(WireModel):
    """Where a device's data lives (``GetAccountInfoById`` out-parameter)."""

    common_info: dict[str, Any] = wire("CommonInfo", factory=dict)

    @property
    def host(self) -> str | None:
        """The storage node ``host[:port]``."""
        value = self.common_info.get("Host")
        return str(value) if value else None


@model
class ServerInfo(WireModel):
    """``GetServerInfo``: the service version, plus whatever else it reports.

    ``server_time`` is the service's clock (aware UTC), when it sends ``ServerTime``.
    """

    version: str = wire("Version", default="")
    server_time: UnixTime | None = wire("ServerTime", default=None)


@model
class ReportingSession(WireModel):
    """A backup/restore session from the storage node's Reporting Service (schema not
    public: these are the fields integrations read; everything else is kept)."""

    id: int = wire("Id", default=0)
    plugin: int | None = wire("Plugin", default=None)
    plugin_id: int | None = wire("PluginId", default=None)
    status: SessionStatus = wire("Status", default=SessionStatus.NO_STATUS)
    type: str | None = wire("Type", default=None)
    start_time: UnixTime | None = wire("StartTime", default=None)
    end_time: UnixTime | None = wire("EndTime", default=None)
    backup_start_time: UnixTime | None = wire("BackupStartTime", default=None)
    errors_count: int = wire("ErrorsCount", default=0)
    selected_count: int = wire("SelectedCount", default=0)
    selected_size: int = wire("SelectedSize", default=0)
    changed_count: int = wire("ChangedCount", default=0)
    changed_size: int = wire("ChangedSize", default=0)
    new_count: int = wire("NewCount", default=0)
    new_size: int = wire("NewSize", default=0)
    sent_size: int = wire("SentSize", default=0)
    deleted_count: int = wire("DeletedCount", default=0)
    build_version: str | None = wire("BuildVersion", default=None)
    flags: list[str] = wire("Flags", factory=list)

    @property
    def data_source_number(self) -> int | None:
        """The plug-in number, which matches the ``D`` code of the data source."""
        return self.plugin if self.plugin is not None else self.plugin_id


@model
class ReportingError(WireModel):
    """An error of a session (``QueryErrors``): text, file, how many times."""

    id: int = wire("Id", default=0)
    session_id: int = wire("SessionId", default=0)
    code: int | None = wire("Code", default=None)
    count: int = wire("Count", default=1)
    filename: str | None = wire("Filename", default=None)
    text: str = wire("Text", default="")
    time: UnixTime | None = wire("Time", default=None)


def raw_time(obj: WireModel, name: str) -> Any:
    """The wire value of time field ``name`` of a model: ``UnixTime.raw`` when set, the
    "never" sentinel that was received when it decoded as None (``2147483647``, ``""``),
    else None.

    Raises:
        AttributeError: the model has no such field.
    """
    value = getattr(obj, name)
    if isinstance(value, UnixTime):
        return value.raw
    if value is None:
        return obj.extra_fields.get(wire_name(type(obj), name))
    return value


def _time_fields(cls: type[WireModel]) -> list[tuple[str, str]]:
    model_cls: Any = cls
    attrs.resolve_types(model_cls)
    return [
        (a.name, wire_name(cls, a.name))
        for a in attrs.fields(model_cls)
        if UnixTime in get_args(a.type) and type(None) in get_args(a.type)
    ]


def _kept_sentinel(value: Any) -> bool:
    """Whether a "never" sentinel must be kept to be written back: every one but a
    numeric 0, which is what an unset time encodes to anyway."""
    return isinstance(value, str) or value != 0


def _exactly(cls: type[Any]) -> Callable[[Any], bool]:
    return lambda t: t is cls


def _never_time_hooks(conv: cattrs.Converter) -> None:
    """Decode every "never" sentinel of the models' optional time fields as None, keeping
    the raw sentinel in ``extra_fields`` and writing it back on encode."""
    for cls in _TIMED_MODELS:
        fields = _time_fields(cls)
        if not fields:
            continue
        base_structure = conv.get_structure_hook(cls)
        base_unstructure = conv.get_unstructure_hook(cls)

        def structure(
            data: Any,
            tp: Any,
            base: Callable[[Any, Any], Any] = base_structure,
            fields: list[tuple[str, str]] = fields,
        ) -> Any:
            sentinels: dict[str, Any] = {}
            if isinstance(data, Mapping):
                nulled: dict[str, None] = {}
                for _name, key in fields:
                    value = data.get(key)
                    if key in data and value is not None and is_never_time(value):
                        nulled[key] = None
                        if _kept_sentinel(value):
                            sentinels[key] = value
                if nulled:
                    data = {**data, **nulled}
            obj = base(data, tp)
            if sentinels:
                obj.extra_fields = {**obj.extra_fields, **sentinels}
            return obj

        def unstructure(
            obj: Any,
            base: Callable[[Any], Any] = base_unstructure,
            fields: list[tuple[str, str]] = fields,
        ) -> Any:
            out = base(obj)
            extra = obj.extra_fields
            if extra:
                for name, key in fields:
                    if getattr(obj, name) is None and key in extra:
                        out[key] = extra[key]
            return out

        conv.register_structure_hook_func(_exactly(cls), structure)
        conv.register_unstructure_hook_func(_exactly(cls), unstructure)


_TIMED_MODELS: Final[tuple[type[WireModel], ...]] = (
    UserInfo,
    PartnerInfo,
    AccountInfo,
    ServerInfo,
    ReportingSession,
    ReportingError,
)

#: Cove sends most numbers as strings; the converter accepts both.
converter = ModelConverter("cove", numeric_strings=True)
converter.register(_never_time_hooks)


def _time_value(raw: Any, path: str) -> UnixTime | None:
    if is_never_time(raw):
        return None
    try:
        return UnixTime.from_raw(raw)
    except ValueError:
        pass
    if isinstance(raw, str):
        try:
            parsed = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=timezone.utc)  # Cove's times are UTC
            value = UnixTime.from_datetime(parsed)
            value.raw = raw
            return value
    raise ResponseDecodeError(
        f"ServerTime is not a time: {raw!r}"[:200],
        vendor="cove",
        model="ServerTime",
        path=path,
    )


def server_time(payload: Any) -> UnixTime | None:
    """The ``ServerTime`` of a decoded reply, as an aware UTC datetime.

    Accepts the whole reply, its ``result`` object or the method's return value
    (``result.result``) and looks at that level and the ``result`` levels below it, first
    hit wins. Unix seconds (number or text) and ISO 8601 text are read; ``raw`` keeps the
    value as sent. None when there is no ``ServerTime`` or it is a "never" sentinel.

    Raises:
        ResponseDecodeError: ``ServerTime`` is there but is not a time.
    """
    current = payload
    path = "$"
    for _ in range(3):
        if not isinstance(current, Mapping):
            return None
        if "ServerTime" in current:
            return _time_value(current["ServerTime"], f"{path}.ServerTime")
        current = current.get("result")
        path += ".result"
    return None
