"""``CoveClient``: the Cove Data Protection JSON-RPC API (``/jsonapi``).

Every call is a JSON-RPC 2.0 ``POST`` to one URL. Login is lazy (the first call logs in)
and the visa chain -- each reply's visa is used for the next call -- is kept by the shared
credential store (:mod:`backup_sdk.auth`): one login at a time however many threads share
the client, a new login before the 15-minute visa lifetime ends (``visa_refresh``), and
after a 1701 one login and one replay of the call.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, overload
from urllib.parse import parse_qsl, urlsplit

import attrs

from backup_sdk._compat import Self, Unpack, deprecated
from backup_sdk.auth import AuthStrategy, Lease
from backup_sdk.client import BaseClient, ClientOptions, RawResponse, read_env
from backup_sdk.errors import ConfigurationError, PermissionDeniedError, ResponseDecodeError
from backup_sdk.pagination import OffsetPaginator
from backup_sdk.redaction import Secret, is_secret_key, remember_secret
from backup_sdk.transport import Transport
from backup_sdk.validate import check_aware, check_int, check_str, check_strings
from cove_sdk.columns import validate_columns
from cove_sdk.errors import SECURITY_REFUSAL, ColumnsRefusedError
from cove_sdk.refusals import NotAColumnRefusal, RefusedColumns, find_refused
from cove_sdk.reporting import DeviceReporting
from cove_sdk.statistics import StatisticsPage, StatisticsRow, decode_page
from cove_sdk.visa import Envelope, VisaLogin

if TYPE_CHECKING:  # the models load on first use, not with the client
    from cove_sdk.models import (
        AccountInfo,
        ChildPartner,
        HomeNodeInfo,
        PartnerInfo,
        ServerInfo,
        UserInfo,
    )

__all__ = ["DEFAULT_URL", "AccountLookup", "CoveClient", "DeviceReporting"]

DEFAULT_URL = "https://api.backup.management/jsonapi"


@attrs.frozen
class AccountLookup:
    """``GetAccountInfoById``: the account and the storage node that holds its data."""

    account: AccountInfo
    home_node: HomeNodeInfo


class CoveClient(BaseClient):
    """Client for the Cove Management Service.

    Constructor arguments (``base_url`` first, the others keyword-only):

    * ``base_url``: the JSON-RPC endpoint (default ``https://api.backup.management/jsonapi``).
    * ``partner``: the partner name exactly as the console shows it -- for API users usually
      ``"Company (admin@company.example)"``.
    * ``username``: the login name (for API users, the API user's name).
    * ``password``: its password (or API token).
    * ``visa_refresh``: seconds after the last reply at which the client logs in again
      instead of reusing the visa (the service drops it after 15 minutes).
    * ``reporting_url``: override the storage node URL for the Reporting Service
      (default ``https://<home node host>/repserv_json``).

    ``**options`` are the transport settings of :class:`backup_sdk.client.ClientOptions`
    (timeout, deadline, retry, session, proxies, verify, cert, headers, hooks, sleep, clock).

    Raises:
        ConfigurationError: a credential is missing.
    """

    vendor = "cove"
    package = "cove_sdk"
    chained_credentials = True

    @overload
    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        *,
        partner: str,
        username: str,
        password: str,
        visa_refresh: float = 14 * 60,
        reporting_url: str | None = None,
        **options: Unpack[ClientOptions],
    ) -> None: ...

    @overload
    @deprecated(
        "pass the credentials as keywords: CoveClient(partner=..., username=..., password=...)"
    )
    def __init__(
        self,
        partner: str,
        username: str,
        password: str,
        /,
        *,
        base_url: str = DEFAULT_URL,
        visa_refresh: float = 14 * 60,
        reporting_url: str | None = None,
        **options: Unpack[ClientOptions],
    ) -> None: ...

    def __init__(self, *args: str, **kwargs: Any) -> None:
        base_url, partner, username, password = _credentials(args, kwargs)
        visa_refresh = kwargs.pop("visa_refresh", 14 * 60)
        reporting_url = kwargs.pop("reporting_url", None)
        if "clock" in kwargs and not callable(kwargs["clock"]):
            raise ConfigurationError("clock must be a callable returning seconds")
        if not isinstance(visa_refresh, int | float) or not 0 < visa_refresh <= 15 * 60:
            raise ConfigurationError(
                f"visa_refresh must be seconds between 0 and 900, got {visa_refresh!r}"
            )
        self.partner = partner
        self.username = username
        self._password = Secret(password)
        self._reporting_url = reporting_url
        self._envelope = Envelope(visa_refresh=float(visa_refresh))
        self._refused = RefusedColumns()
        super().__init__(base_url, **kwargs)

    def _auth_strategy(self, transport: Transport) -> AuthStrategy[Secret]:
        self._visa_login = VisaLogin(
            transport,
            self._envelope,
            partner=self.partner,
            username=self.username,
            password=self._password,
        )
        return self._visa_login

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **options: Any) -> Self:
        """Build from ``COVE_PARTNER``, ``COVE_USERNAME``, ``COVE_PASSWORD`` and optionally
        ``COVE_URL`` and ``COVE_REPORTING_URL`` (``COVE_API_URL`` is still read, with a
        warning).

        Raises:
            ConfigurationError: a required variable is missing (all of them are named).
        """
        env = read_env(
            environ,
            "COVE",
            required=("PARTNER", "USERNAME", "PASSWORD"),
            optional=("URL", "REPORTING_URL"),
            renamed={"COVE_API_URL": "URL"},
        )
        if "url" in env:
            options.setdefault("base_url", env["url"])
        if "reporting_url" in env:
            options.setdefault("reporting_url", env["reporting_url"])
        return cls(
            partner=env["partner"], username=env["username"], password=env["password"], **options
        )

    # -- the envelope ------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        params: Mapping[str, Any] | None = None,
        *,
        idempotent: bool | None = None,
        url: str | None = None,
    ) -> RawResponse[dict[str, Any]]:
        def send(lease: Lease[Secret]) -> RawResponse[dict[str, Any]]:
            return self._envelope.send(
                self._transport,
                url or self.base_url,
                method,
                params or {},
                lease=lease,
                idempotent=idempotent,
            )

        return self._credentials.call(send)

    def login(self) -> UserInfo:
        """Log in now (normally automatic) and return the user.

        Raises:
            AuthenticationError: wrong partner name, username or password (2100); the
                message says which partner-name form API users need.
        """
        self._credentials.login()
        user = self._visa_login.user
        assert user is not None
        return user

    @property
    def user(self) -> UserInfo:
        """The logged-in user (logs in if needed)."""
        user = self._visa_login.user
        if user is None:
            return self.login()
        return user

    def call_raw(
        self,
        method: str,
        params: Mapping[str, Any] | None = None,
        *,
        idempotent: bool | None = None,
    ) -> RawResponse[Any]:
        """Call any method; returns the HTTP response and the whole ``result`` object
        (return value under ``result``, out-parameters beside it).

        ``idempotent`` defaults to the table in :mod:`cove_sdk.operations`.
        """
        raw = self._call(method, params, idempotent=idempotent)
        return RawResponse(response=raw.response, data=raw.data.get("result"))

    def call(
        self,
        method: str,
        params: Mapping[str, Any] | None = None,
        *,
        idempotent: bool | None = None,
    ) -> Any:
        """Call any of the service's methods by name; returns ``result.result`` as decoded
        JSON. Use it for the ~250 schema methods without a typed wrapper."""
        result = self._call(method, params, idempotent=idempotent).data.get("result")
        return result.get("result") if isinstance(result, dict) else result

    def _returned(self, method: str, params: Mapping[str, Any] | None, kind: type) -> Any:
        """``result.result`` of a call, which must be a ``kind`` (dict or list): a missing or
        null return value is an error, never an empty answer."""
        value = self.call(method, params)
        if not isinstance(value, kind):
            raise ResponseDecodeError(
                f"{method} returned {_kind_of(value)} where {_kind_of(kind())} belongs",
                vendor=self.vendor,
                model=method,
                path="$.result.result",
            )
        return value

    def _objects(self, method: str, params: Mapping[str, Any] | None = None) -> list[Any]:
        found: list[Any] = self._returned(method, params, list)
        return found

    def _object(self, method: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        found: dict[str, Any] = self._returned(method, params, dict)
        return found

    def _result(self, method: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The whole ``result`` object of a call (it must be an object)."""
        result = self._call(method, params).data.get("result")
        if not isinstance(result, dict):
            raise ResponseDecodeError(
                f"{method} returned no result object",
                vendor=self.vendor,
                model=method,
                path="$.result",
            )
        return result

    # -- typed methods -----------------------------------------------------------------------

    def get_server_info(self) -> ServerInfo:
        """``GetServerInfo``: the service version (a cheap connectivity check)."""
        from cove_sdk.models import ServerInfo, converter

        return converter.structure(self._object("GetServerInfo"), ServerInfo)

    def get_partner_info(self, name: str) -> PartnerInfo:
        """``GetPartnerInfo``: a partner by its exact (case-sensitive) name."""
        from cove_sdk.models import PartnerInfo, converter

        return converter.structure(self._object("GetPartnerInfo", {"name": name}), PartnerInfo)

    def get_partner_info_by_id(self, partner_id: int) -> PartnerInfo:
        """``GetPartnerInfoById``."""
        from cove_sdk.models import PartnerInfo, converter

        data = self._object("GetPartnerInfoById", {"partnerId": partner_id})
        return converter.structure(data, PartnerInfo)

    def enumerate_partners(
        self,
        parent_partner_id: int,
        *,
        fetch_recursively: bool = False,
        fields: Sequence[int] | None = None,
    ) -> list[PartnerInfo]:
        """``EnumeratePartners``: the partners under ``parent_partner_id``."""
        from cove_sdk.models import PartnerInfo, converter

        params: dict[str, Any] = {
            "parentPartnerId": parent_partner_id,
            "fetchRecursively": fetch_recursively,
        }
        if fields is not None:
            params["fields"] = list(fields)
        return converter.structure_list(self._objects("EnumeratePartners", params), PartnerInfo)

    def enumerate_child_partners(
        self,
        partner_id: int,
        *,
        fields: Sequence[int] | None = None,
        offset: int = 0,
        size: int = 1000,
    ) -> ChildPartner:
        """``EnumerateChildPartners``: the partner tree below ``partner_id`` (one page)."""
        from cove_sdk.models import ChildPartner, converter

        params: dict[str, Any] = {
            "partnerId": partner_id,
            "fields": list(fields) if fields is not None else list(range(23)),
            "partnerFilter": {"SortOrder": "ByLevelAndName"},
            "range": {"Offset": offset, "Size": size},
        }
        return converter.structure(self._object("EnumerateChildPartners", params), ChildPartner)

    def enumerate_ancestor_partners(self, partner_id: int) -> list[PartnerInfo]:
        """``EnumerateAncestorPartners``: from the partner up to the root."""
        from cove_sdk.models import PartnerInfo, converter

        data = self._objects("EnumerateAncestorPartners", {"partnerId": partner_id})
        return converter.structure_list(data, PartnerInfo)

    def enumerate_accounts(self, partner_id: int) -> list[AccountInfo]:
        """``EnumerateAccounts`` (often refused, 13501, for customer-scoped API users)."""
        from cove_sdk.models import AccountInfo, converter

        data = self._objects("EnumerateAccounts", {"partnerId": partner_id})
        return converter.structure_list(data, AccountInfo)

    def get_account_info_by_id(self, account_id: int) -> AccountLookup:
        """``GetAccountInfoById``: the account (token included, kept secret) and its
        storage node."""
        from cove_sdk.models import AccountInfo, HomeNodeInfo, converter

        result = self._result("GetAccountInfoById", {"accountId": account_id})
        account = converter.structure(result.get("result") or {}, AccountInfo)
        remember_secret(account.token)
        node = converter.structure(result.get("homeNodeInfo") or {}, HomeNodeInfo)
        return AccountLookup(account=account, home_node=node)

    def enumerate_columns(self, partner_id: int) -> list[dict[str, Any]]:
        """``EnumerateColumns``: column descriptors (shape not documented: raw objects)."""
        return self._objects("EnumerateColumns", {"partnerId": partner_id})

    def enumerate_custom_columns(self, partner_id: int) -> list[dict[str, Any]]:
        """``EnumerateCustomColumns``: custom column definitions (raw objects)."""
        return self._objects("EnumerateCustomColumns", {"partnerId": partner_id})

    def get_account_custom_column_values(self, account_id: int) -> list[Any]:
        """``GetAccountCustomColumnValues`` (raw values)."""
        return self._objects("GetAccountCustomColumnValues", {"accountId": account_id})

    def update_account_custom_column_values(
        self, account_id: int, values: Mapping[int, str]
    ) -> None:
        """``UpdateAccountCustomColumnValues``: set custom columns (``{column id: text}``)."""
        pairs = [[column_id, text] for column_id, text in values.items()]
        self.call(
            "UpdateAccountCustomColumnValues",
            {"accountId": account_id, "values": pairs},
        )

    def enumerate_users(self, partner_ids: Sequence[int]) -> list[dict[str, Any]]:
        """``EnumerateUsers`` (raw user objects)."""
        return self._objects("EnumerateUsers", {"partnerIds": list(partner_ids)})

    def enumerate_account_profiles(self, partner_id: int) -> list[dict[str, Any]]:
        """``EnumerateAccountProfiles`` (raw backup profiles)."""
        return self._objects("EnumerateAccountProfiles", {"partnerId": partner_id})

    def enumerate_products(
        self, partner_id: int, *, current_partner_only: bool = False
    ) -> list[dict[str, Any]]:
        """``EnumerateProducts`` (retention policies, raw objects)."""
        params = {"partnerId": partner_id, "currentPartnerOnly": current_partner_only}
        return self._objects("EnumerateProducts", params)

    def enumerate_storage_nodes_by_account_id(self, accounts: Sequence[int]) -> list[Any]:
        """``EnumerateStorageNodesByAccountId`` (raw objects)."""
        return self._objects("EnumerateStorageNodesByAccountId", {"accounts": list(accounts)})

    def enumerate_locations(self) -> list[dict[str, Any]]:
        """``EnumerateLocations``: data-centre locations (raw objects)."""
        return self._objects("EnumerateLocations")

    def enumerate_account_remote_access_endpoints(self, account_id: int) -> list[Any]:
        """``EnumerateAccountRemoteAccessEndpoints`` (raw; URLs may carry auth tokens)."""
        endpoints = self._objects(
            "EnumerateAccountRemoteAccessEndpoints", {"accountId": account_id}
        )
        for endpoint in endpoints:
            for value in endpoint.values() if isinstance(endpoint, dict) else ():
                _remember_url_secrets(value)
        return endpoints

    def add_partner(
        self, partner_info: Mapping[str, Any], *, create_default_account: bool = False
    ) -> int:
        """``AddPartner``: create a partner (``{"ParentId", "Name", "Level", ...}``);
        returns its id. Not retried."""
        params = {"partnerInfo": dict(partner_info), "createDefaultAccount": create_default_account}
        created = self.call("AddPartner", params)
        if isinstance(created, bool) or not isinstance(created, int | str):
            raise ResponseDecodeError(
                f"AddPartner returned {_kind_of(created)} instead of the new partner's id "
                "(the partner may have been created: look it up before trying again)",
                vendor=self.vendor,
                model="AddPartner",
                path="$.result.result",
            )
        try:
            return int(created)
        except ValueError:
            pass
        raise ResponseDecodeError(
            f"AddPartner returned {created!r}"[:120] + " instead of the new partner's id "
            "(the partner may have been created: look it up before trying again)",
            vendor=self.vendor,
            model="AddPartner",
            path="$.result.result",
        )

    def modify_partner(self, partner_info: Mapping[str, Any]) -> None:
        """``ModifyPartner`` (the info must include ``Id``)."""
        self.call("ModifyPartner", {"partnerInfo": dict(partner_info)})

    def remove_partner(self, partner_id: int) -> None:
        """``RemovePartner``."""
        self.call("RemovePartner", {"partnerId": partner_id})

    def modify_account(self, account_info: Mapping[str, Any]) -> None:
        """``ModifyAccount`` (the info must include ``Id``)."""
        self.call("ModifyAccount", {"accountInfo": dict(account_info)})

    def remove_account(self, account_id: int) -> None:
        """``RemoveAccount``."""
        self.call("RemoveAccount", {"accountId": account_id})

    # -- statistics --------------------------------------------------------------------------

    def _statistics_query(
        self,
        partner_id: int,
        columns: Sequence[str],
        *,
        start: int,
        count: int,
        filter: str,
        order_by: str | None,
        totals: Sequence[str],
        selection_mode: str,
    ) -> dict[str, Any]:
        query: dict[str, Any] = {
            "PartnerId": check_int("partner_id", partner_id, minimum=0),
            "SelectionMode": check_str("selection_mode", selection_mode),
            "Filter": check_str("filter", filter, empty=True),
            "StartRecordNumber": check_int("start", start, minimum=0),
            "RecordsCount": check_int("count", count, minimum=1, maximum=100_000),
            "Columns": check_strings("columns", columns),
        }
        if order_by:
            query["OrderBy"] = check_str("order_by", order_by)
        if totals:
            query["Totals"] = check_strings("totals", totals)
        return query

    def enumerate_account_statistics(
        self,
        partner_id: int,
        columns: Sequence[str],
        *,
        start: int = 0,
        count: int = 1000,
        filter: str = "",
        order_by: str | None = None,
        totals: Sequence[str] = (),
        selection_mode: str = "Merged",
        diagnose_refusals: bool = True,
        strict_columns: bool = False,
        allow_legacy: bool = False,
    ) -> StatisticsPage:
        """``EnumerateAccountStatistics``: one page of device rows.

        ``columns`` are sent exactly as given (any padding); codes the catalogue does not
        know warn (:class:`~cove_sdk.columns.UnknownColumnWarning`; the service would drop
        them silently), or raise with ``strict_columns=True``; legacy data sources (D2, D3)
        warn unless ``allow_legacy=True``. Columns this client already
        proved the user may not read are left out (``page.dropped_columns`` names them).
        ``totals`` expressions (``"COUNT(1)"``, ``"SUM(I14)"``) come back typed in
        ``page.totals`` keyed by expression.

        Raises:
            ValidationError: a bad argument, or an unknown code with ``strict_columns``.
            ColumnsRefusedError: 13501 because of restricted columns; ``.columns`` names
                them (found by probing, unless ``diagnose_refusals=False``).
            PermissionDeniedError: 13501 for another reason (a probe proved the columns
                are not the cause).
        """
        wanted = check_strings("columns", columns)
        validate_columns(wanted, strict=strict_columns, allow_legacy=allow_legacy, stacklevel=2)
        kept, dropped = self._refused.drop_known(partner_id, wanted)
        if dropped and not kept:
            raise ColumnsRefusedError(
                f"every column asked for ({', '.join(dropped)}) was refused to this user "
                "before; nothing is left to ask",
                vendor=self.vendor,
                code=SECURITY_REFUSAL,
                operation="EnumerateAccountStatistics",
                columns=dropped,
            )
        query = self._statistics_query(
            partner_id,
            kept,
            start=start,
            count=count,
            filter=filter,
            order_by=order_by,
            totals=totals,
            selection_mode=selection_mode,
        )
        try:
            result = self._result("EnumerateAccountStatistics", {"query": query})
        except PermissionDeniedError as exc:
            if exc.code != SECURITY_REFUSAL or not diagnose_refusals:
                raise
            refused = self.find_refused_columns(partner_id, kept)
            if not refused:
                raise
            self._refused.remember(partner_id, refused)
            raise ColumnsRefusedError(
                f"the user may not read column(s) {', '.join(refused)}; remove them from the "
                "query (one restricted column refuses the whole statistics call). Later "
                "queries of this client leave them out.",
                vendor=self.vendor,
                status=exc.status,
                code=exc.code,
                operation="EnumerateAccountStatistics",
                columns=refused,
            ) from None
        page = _statistics_page(result, "EnumerateAccountStatistics")
        page.dropped_columns = dropped
        return page

    def iter_account_statistics(
        self,
        partner_id: int,
        columns: Sequence[str],
        *,
        filter: str = "",
        order_by: str | None = None,
        page_size: int = 1000,
        limit: int | None = None,
        concurrency: int = 1,
        selection_mode: str = "Merged",
        strict_columns: bool = False,
        allow_legacy: bool = False,
    ) -> OffsetPaginator[StatisticsRow]:
        """All matching devices, fetched page by page as you iterate (constant memory).

        Iteration stops at the first short page. With ``concurrency`` > 1 that many pages
        are requested at once (pages are independent). ``.pages()`` yields whole pages;
        ``.to_dataframe()`` needs ``backup-sdk[pandas]``. ``columns`` are checked as by
        :meth:`enumerate_account_statistics` (``strict_columns``, ``allow_legacy``).
        """

        def fetch(offset: int, count: int) -> StatisticsPage:
            return self.enumerate_account_statistics(
                partner_id,
                columns,
                start=offset,
                count=count,
                filter=filter,
                order_by=order_by,
                selection_mode=selection_mode,
                strict_columns=strict_columns,
                allow_legacy=allow_legacy,
            )

        return OffsetPaginator(fetch, page_size=page_size, limit=limit, concurrency=concurrency)

    def account_statistics_totals(
        self, partner_id: int, totals: Sequence[str], *, filter: str = ""
    ) -> dict[str, Any]:
        """Only the ``Totals`` of a statistics query, keyed by expression."""
        page = self.enumerate_account_statistics(
            partner_id, ["I1"], count=1, filter=filter, totals=totals, diagnose_refusals=False
        )
        return page.totals

    def enumerate_account_history_statistics(
        self,
        timeslice: int | datetime,
        partner_id: int,
        columns: Sequence[str],
        *,
        start: int = 0,
        count: int = 1000,
        filter: str = "",
    ) -> StatisticsPage:
        """``EnumerateAccountHistoryStatistics``: the statistics as they were at
        ``timeslice`` (unix seconds, or an aware datetime).

        Raises:
            ValidationError: a naive datetime, or another bad argument (nothing is sent).
        """
        if isinstance(timeslice, datetime):
            timeslice = int(check_aware("timeslice", timeslice).timestamp())
        timeslice = check_int("timeslice", timeslice, minimum=0)
        query = self._statistics_query(
            partner_id,
            columns,
            start=start,
            count=count,
            filter=filter,
            order_by=None,
            totals=(),
            selection_mode="Merged",
        )
        result = self._result(
            "EnumerateAccountHistoryStatistics", {"timeslice": timeslice, "query": query}
        )
        return _statistics_page(result, "EnumerateAccountHistoryStatistics")

    def find_refused_columns(self, partner_id: int, columns: Sequence[str]) -> list[str]:
        """Which of ``columns`` this user may not read (13501), found by one-row probes
        (see :func:`cove_sdk.refusals.find_refused`; about 7 probes for one refused code
        among 30). Empty when a probe shows the refusal is not about columns at all.
        """

        def allowed(subset: list[str]) -> bool:
            query = self._statistics_query(
                partner_id,
                subset,
                start=0,
                count=1,
                filter="",
                order_by=None,
                totals=(),
                selection_mode="Merged",
            )
            try:
                self._call("EnumerateAccountStatistics", {"query": query})
            except PermissionDeniedError as exc:
                if exc.code == SECURITY_REFUSAL:
                    return False
                raise
            return True

        try:
            return find_refused(list(columns), allowed)
        except NotAColumnRefusal:
            return []

    # -- Reporting Service -------------------------------------------------------------------

    def reporting(self, account_id: int) -> DeviceReporting:
        """The Reporting Service of a device's storage node (sessions and errors)."""
        lookup = self.get_account_info_by_id(account_id)
        if self._reporting_url:
            url = self._reporting_url
        else:
            host = lookup.home_node.host
            if not host:
                raise ResponseDecodeError(
                    "GetAccountInfoById gave no storage node host",
                    vendor=self.vendor,
                    model="HomeNodeInfo",
                    path="$.homeNodeInfo.CommonInfo.Host",
                )
            url = f"https://{host.split(':')[0]}/repserv_json"
        return DeviceReporting(self, lookup.account, url)


def _remember_url_secrets(value: Any) -> None:
    """Scrub the secret query parameters of a URL the service handed out (remote-access
    links carry an ``auth_token``) from anything shown later."""
    if isinstance(value, str) and "?" in value:
        for name, secret in parse_qsl(urlsplit(value).query):
            if is_secret_key(name):
                remember_secret(secret)


def _kind_of(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), f"a {type(value).__name__}"
    )


def _statistics_page(result: dict[str, Any], method: str) -> StatisticsPage:
    """A page from a statistics ``result`` object; rows must be a list (never silently empty)."""
    rows = result.get("result")
    if not isinstance(rows, list):
        raise ResponseDecodeError(
            f"{method} answered without a list of rows (result.result is "
            f"{'missing' if 'result' not in result else type(rows).__name__}); a page "
            "cannot be read from it",
            vendor="cove",
            model="StatisticsPage",
            path="$.result.result",
        )
    return decode_page(rows, result.get("totalStatistics"))


def _credentials(args: tuple[str, ...], kwargs: dict[str, Any]) -> tuple[str, str, str, str]:
    """``(base_url, partner, username, password)`` from either constructor form."""
    if len(args) == 3:
        warnings.warn(
            "CoveClient(partner, username, password) is deprecated: pass them as keywords",
            DeprecationWarning,
            stacklevel=3,
        )
        partner, username, password = args
        base_url = kwargs.pop("base_url", DEFAULT_URL)
    elif len(args) <= 1:
        base_url = args[0] if args else kwargs.pop("base_url", DEFAULT_URL)
        partner = kwargs.pop("partner", None)
        username = kwargs.pop("username", None)
        password = kwargs.pop("password", None)
    else:
        raise ConfigurationError(
            "CoveClient takes the base URL and keyword credentials: "
            "CoveClient(partner=..., username=..., password=...)"
        )
    missing = [
        name
        for name, value in (("partner", partner), ("username", username), ("password", password))
        if not isinstance(value, str) or not value
    ]
    if missing:
        raise ConfigurationError(f"CoveClient needs {', '.join(missing)}")
    return base_url, partner, username, password
