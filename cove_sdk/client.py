"""``CoveClient``: the Cove Data Protection JSON-RPC API (``/jsonapi``).

Every call is a JSON-RPC 2.0 ``POST`` to one URL. ``Login`` returns a *visa* as a top-level
field of the reply; every later request carries the current visa at the top level, and
every reply (errors too) carries a new one, which the client adopts. A visa lapses after
15 minutes without calls: the client logs in again before that (``visa_refresh``, default
14 minutes) and, if the service still answers 1701, logs in once more and replays the call.
Login is lazy (the first call logs in); the visa chain is guarded by a lock, so one client
can be used from several threads.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import requests
from typing_extensions import Unpack

from backup_sdk.client import BaseClient, ClientOptions
from backup_sdk.errors import ConfigurationError, PermissionDeniedError, ResponseDecodeError
from backup_sdk.pagination import OffsetPaginator
from backup_sdk.redaction import Secret, remember_secret
from backup_sdk.transport import CallInfo, parse_json, raise_for_http_status
from cove_sdk.errors import (
    SECURITY_REFUSAL,
    ColumnsRefusedError,
    VisaExpiredError,
    error_from_rpc,
)
from cove_sdk.models import (
    AccountInfo,
    ChildPartner,
    HomeNodeInfo,
    PartnerInfo,
    ReportingError,
    ReportingSession,
    ServerInfo,
    UserInfo,
    converter,
)
from cove_sdk.statistics import StatisticsPage, StatisticsRow, decode_page

__all__ = ["DEFAULT_URL", "AccountLookup", "CoveClient", "DeviceReporting"]

DEFAULT_URL = "https://api.backup.management/jsonapi"
_SAFE_PREFIXES = ("Enumerate", "Get", "Query")


@attrs.frozen
class AccountLookup:
    """``GetAccountInfoById``: the account and the storage node that holds its data."""

    account: AccountInfo
    home_node: HomeNodeInfo


class _VisaChain:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.visa: Secret | None = None
        self.adopted_at: float = 0.0
        self.user: UserInfo | None = None


class CoveClient(BaseClient):
    """Client for the Cove Management Service.

    Args:
        partner: the partner name exactly as the console shows it — for API users usually
            ``"Company (admin@company.example)"``.
        username: the login name (for API users, the API user's name).
        password: its password (or API token).
        base_url: the JSON-RPC endpoint (default ``https://api.backup.management/jsonapi``).
        visa_refresh: seconds after the last reply at which the client logs in again
            instead of reusing the visa (the service drops it after 15 minutes).
        reporting_url: override the storage node URL for the Reporting Service
            (default ``https://<home node host>/repserv_json``).
        clock: monotonic seconds, for the visa age (tests pass a fake).

    ``**options`` are the transport settings of :class:`backup_sdk.client.ClientOptions`
    (timeout, retry, session, proxies, verify, cert, headers, hooks, sleep).
    """

    package = "cove_sdk"

    def __init__(
        self,
        partner: str,
        username: str,
        password: str,
        *,
        base_url: str = DEFAULT_URL,
        visa_refresh: float = 14 * 60,
        reporting_url: str | None = None,
        clock: Callable[[], float] = time.monotonic,
        **options: Unpack[ClientOptions],
    ) -> None:
        if not username or not password:
            raise ConfigurationError("username and password are required")
        super().__init__(base_url=base_url, **options)
        self.partner = partner
        self.username = username
        self._password = Secret(password)
        self._visa_refresh = visa_refresh
        self._reporting_url = reporting_url
        self._clock = clock
        self._chain = _VisaChain()
        self._ids = itertools.count(1)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **kwargs: Any) -> CoveClient:
        """Build from ``COVE_PARTNER``, ``COVE_USERNAME``, ``COVE_PASSWORD`` and optionally
        ``COVE_API_URL``.

        Raises:
            ConfigurationError: a required variable is missing.
        """
        env = os.environ if environ is None else environ
        missing = [k for k in ("COVE_PARTNER", "COVE_USERNAME", "COVE_PASSWORD") if not env.get(k)]
        if missing:
            raise ConfigurationError(f"set {', '.join(missing)}")
        if env.get("COVE_API_URL"):
            kwargs.setdefault("base_url", env["COVE_API_URL"])
        return cls(env["COVE_PARTNER"], env["COVE_USERNAME"], env["COVE_PASSWORD"], **kwargs)

    # -- the envelope ------------------------------------------------------------------------

    def _adopt(self, body: Any) -> None:
        visa = body.get("visa") if isinstance(body, dict) else None
        if isinstance(visa, str) and visa:
            remember_secret(visa)
            with self._chain.lock:
                self._chain.visa = Secret(visa)
                self._chain.adopted_at = self._clock()

    def _rpc(
        self,
        method: str,
        params: Mapping[str, Any],
        *,
        visa: bool = True,
        idempotent: bool | None = None,
        url: str | None = None,
    ) -> Any:
        body: dict[str, Any] = {
            "jsonrpc": "2.0",
            "id": str(next(self._ids)),
            "method": method,
            "params": dict(params),
        }
        if visa:
            with self._chain.lock:
                current = self._chain.visa
            if current is not None:
                body["visa"] = current.get_secret_value()

        def handle(response: requests.Response, call: CallInfo) -> Any:
            try:
                reply = parse_json(response, call)
            except ResponseDecodeError:
                if response.status_code >= 400:  # a proxy's error page, not the service
                    raise_for_http_status(response, call)
                raise
            self._adopt(reply)
            if not isinstance(reply, dict):
                raise ResponseDecodeError(
                    "the reply is not a JSON-RPC object",
                    vendor=self.package,
                    model="JSON-RPC reply",
                    path="$",
                )
            if reply.get("error") is not None:
                raise error_from_rpc(
                    reply["error"], operation=method, http_status=response.status_code
                )
            if response.status_code >= 400:
                raise_for_http_status(response, call)
            return reply.get("result")

        safe = method.startswith(_SAFE_PREFIXES) if idempotent is None else idempotent
        return self._transport.request(
            "POST",
            url or self.base_url,
            operation=method,
            idempotent=safe,
            json=body,
            handler=handle,
        )

    def login(self) -> UserInfo:
        """Log in now (normally automatic) and return the user.

        Raises:
            AuthenticationError: wrong partner name, username or password (2100); the
                message says which partner-name form API users need.
        """
        with self._chain.lock:
            result = self._rpc(
                "Login",
                {
                    "partner": self.partner,
                    "username": self.username,
                    "password": self._password.get_secret_value(),
                },
                visa=False,
                idempotent=False,
            )
            inner = result.get("result") if isinstance(result, dict) else None
            user = converter.structure(inner or {}, UserInfo)
            self._chain.user = user
            return user

    def _ensure_visa(self) -> None:
        with self._chain.lock:
            age = self._clock() - self._chain.adopted_at
            if self._chain.visa is None or age >= self._visa_refresh:
                self.login()

    @property
    def user(self) -> UserInfo:
        """The logged-in user (logs in if needed)."""
        self._ensure_visa()
        assert self._chain.user is not None
        return self._chain.user

    def call_raw(
        self,
        method: str,
        params: Mapping[str, Any] | None = None,
        *,
        idempotent: bool | None = None,
    ) -> Any:
        """Call any method; returns the whole ``result`` object (return value under
        ``result``, out-parameters beside it). Logs in as needed; a visa the service no
        longer accepts (1701) is replaced and the call replayed once.

        ``idempotent`` defaults to True for ``Enumerate*``/``Get*``/``Query*`` methods,
        which are then retried after timeouts and 5xx; other calls are not.
        """
        self._ensure_visa()
        try:
            return self._rpc(method, params or {}, idempotent=idempotent)
        except VisaExpiredError:
            self.login()
            return self._rpc(method, params or {}, idempotent=idempotent)

    def call(
        self,
        method: str,
        params: Mapping[str, Any] | None = None,
        *,
        idempotent: bool | None = None,
    ) -> Any:
        """Call any of the service's methods by name; returns ``result.result`` as decoded
        JSON. Use it for the ~250 schema methods without a typed wrapper."""
        result = self.call_raw(method, params, idempotent=idempotent)
        return result.get("result") if isinstance(result, dict) else result

    # -- typed methods -----------------------------------------------------------------------

    def get_server_info(self) -> ServerInfo:
        """``GetServerInfo``: the service version (a cheap connectivity check)."""
        return converter.structure(self.call("GetServerInfo") or {}, ServerInfo)

    def get_partner_info(self, name: str) -> PartnerInfo:
        """``GetPartnerInfo``: a partner by its exact (case-sensitive) name."""
        return converter.structure(self.call("GetPartnerInfo", {"name": name}), PartnerInfo)

    def get_partner_info_by_id(self, partner_id: int) -> PartnerInfo:
        """``GetPartnerInfoById``."""
        data = self.call("GetPartnerInfoById", {"partnerId": partner_id})
        return converter.structure(data, PartnerInfo)

    def enumerate_partners(
        self,
        parent_partner_id: int,
        *,
        fetch_recursively: bool = False,
        fields: Sequence[int] | None = None,
    ) -> list[PartnerInfo]:
        """``EnumeratePartners``: the partners under ``parent_partner_id``."""
        params: dict[str, Any] = {
            "parentPartnerId": parent_partner_id,
            "fetchRecursively": fetch_recursively,
        }
        if fields is not None:
            params["fields"] = list(fields)
        return converter.structure_list(self.call("EnumeratePartners", params), PartnerInfo)

    def enumerate_child_partners(
        self,
        partner_id: int,
        *,
        fields: Sequence[int] | None = None,
        offset: int = 0,
        size: int = 1000,
    ) -> ChildPartner:
        """``EnumerateChildPartners``: the partner tree below ``partner_id`` (one page)."""
        params: dict[str, Any] = {
            "partnerId": partner_id,
            "fields": list(fields) if fields is not None else list(range(23)),
            "partnerFilter": {"SortOrder": "ByLevelAndName"},
            "range": {"Offset": offset, "Size": size},
        }
        return converter.structure(self.call("EnumerateChildPartners", params), ChildPartner)

    def enumerate_ancestor_partners(self, partner_id: int) -> list[PartnerInfo]:
        """``EnumerateAncestorPartners``: from the partner up to the root."""
        data = self.call("EnumerateAncestorPartners", {"partnerId": partner_id})
        return converter.structure_list(data, PartnerInfo)

    def enumerate_accounts(self, partner_id: int) -> list[AccountInfo]:
        """``EnumerateAccounts`` (often refused, 13501, for customer-scoped API users)."""
        data = self.call("EnumerateAccounts", {"partnerId": partner_id})
        return converter.structure_list(data, AccountInfo)

    def get_account_info_by_id(self, account_id: int) -> AccountLookup:
        """``GetAccountInfoById``: the account (token included, kept secret) and its
        storage node."""
        result = self.call_raw("GetAccountInfoById", {"accountId": account_id})
        if not isinstance(result, dict):
            raise ResponseDecodeError(
                "GetAccountInfoById returned no object",
                vendor=self.package,
                model="AccountInfo",
                path="$.result",
            )
        account = converter.structure(result.get("result") or {}, AccountInfo)
        remember_secret(account.token)
        node = converter.structure(result.get("homeNodeInfo") or {}, HomeNodeInfo)
        return AccountLookup(account=account, home_node=node)

    def enumerate_columns(self, partner_id: int) -> list[dict[str, Any]]:
        """``EnumerateColumns``: column descriptors (shape not documented: raw objects)."""
        return list(self.call("EnumerateColumns", {"partnerId": partner_id}) or [])

    def enumerate_custom_columns(self, partner_id: int) -> list[dict[str, Any]]:
        """``EnumerateCustomColumns``: custom column definitions (raw objects)."""
        return list(self.call("EnumerateCustomColumns", {"partnerId": partner_id}) or [])

    def get_account_custom_column_values(self, account_id: int) -> list[Any]:
        """``GetAccountCustomColumnValues`` (raw values)."""
        return list(self.call("GetAccountCustomColumnValues", {"accountId": account_id}) or [])

    def update_account_custom_column_values(
        self, account_id: int, values: Mapping[int, str]
    ) -> None:
        """``UpdateAccountCustomColumnValues``: set custom columns (``{column id: text}``)."""
        pairs = [[column_id, text] for column_id, text in values.items()]
        self.call(
            "UpdateAccountCustomColumnValues",
            {"accountId": account_id, "values": pairs},
            idempotent=True,
        )

    def enumerate_users(self, partner_ids: Sequence[int]) -> list[dict[str, Any]]:
        """``EnumerateUsers`` (raw user objects)."""
        return list(self.call("EnumerateUsers", {"partnerIds": list(partner_ids)}) or [])

    def enumerate_account_profiles(self, partner_id: int) -> list[dict[str, Any]]:
        """``EnumerateAccountProfiles`` (raw backup profiles)."""
        return list(self.call("EnumerateAccountProfiles", {"partnerId": partner_id}) or [])

    def enumerate_products(
        self, partner_id: int, *, current_partner_only: bool = False
    ) -> list[dict[str, Any]]:
        """``EnumerateProducts`` (retention policies, raw objects)."""
        params = {"partnerId": partner_id, "currentPartnerOnly": current_partner_only}
        return list(self.call("EnumerateProducts", params) or [])

    def enumerate_storage_nodes_by_account_id(self, accounts: Sequence[int]) -> list[Any]:
        """``EnumerateStorageNodesByAccountId`` (raw objects)."""
        data = self.call("EnumerateStorageNodesByAccountId", {"accounts": list(accounts)})
        return list(data or [])

    def enumerate_locations(self) -> list[dict[str, Any]]:
        """``EnumerateLocations``: data-centre locations (raw objects)."""
        return list(self.call("EnumerateLocations") or [])

    def enumerate_account_remote_access_endpoints(self, account_id: int) -> list[Any]:
        """``EnumerateAccountRemoteAccessEndpoints`` (raw; URLs may carry auth tokens)."""
        result = self.call_raw("EnumerateAccountRemoteAccessEndpoints", {"accountId": account_id})
        inner = result.get("result") if isinstance(result, dict) else result
        return list(inner or [])

    def add_partner(
        self, partner_info: Mapping[str, Any], *, create_default_account: bool = False
    ) -> int:
        """``AddPartner``: create a partner (``{"ParentId", "Name", "Level", ...}``);
        returns its id. Not retried."""
        params = {"partnerInfo": dict(partner_info), "createDefaultAccount": create_default_account}
        return int(self.call("AddPartner", params))

    def modify_partner(self, partner_info: Mapping[str, Any]) -> None:
        """``ModifyPartner`` (the info must include ``Id``)."""
        self.call("ModifyPartner", {"partnerInfo": dict(partner_info)}, idempotent=True)

    def remove_partner(self, partner_id: int) -> None:
        """``RemovePartner``."""
        self.call("RemovePartner", {"partnerId": partner_id})

    def modify_account(self, account_info: Mapping[str, Any]) -> None:
        """``ModifyAccount`` (the info must include ``Id``)."""
        self.call("ModifyAccount", {"accountInfo": dict(account_info)}, idempotent=True)

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
            "PartnerId": partner_id,
            "SelectionMode": selection_mode,
            "Filter": filter,
            "StartRecordNumber": start,
            "RecordsCount": count,
            "Columns": list(columns),
        }
        if order_by:
            query["OrderBy"] = order_by
        if totals:
            query["Totals"] = list(totals)
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
    ) -> StatisticsPage:
        """``EnumerateAccountStatistics``: one page of device rows.

        ``columns`` are sent exactly as given (any padding); ``totals`` expressions
        (``"COUNT(1)"``, ``"SUM(I14)"``) come back in ``page.totals`` keyed by expression.

        Raises:
            ColumnsRefusedError: 13501 because of restricted columns; ``.columns`` names
                them (found by splitting the column list, unless ``diagnose_refusals=False``).
            PermissionDeniedError: 13501 for another reason.
        """
        query = self._statistics_query(
            partner_id,
            columns,
            start=start,
            count=count,
            filter=filter,
            order_by=order_by,
            totals=totals,
            selection_mode=selection_mode,
        )
        try:
            result = self.call_raw("EnumerateAccountStatistics", {"query": query})
        except PermissionDeniedError as exc:
            if exc.code != SECURITY_REFUSAL or not diagnose_refusals or not columns:
                raise
            refused = self.find_refused_columns(partner_id, columns)
            if not refused:
                raise
            raise ColumnsRefusedError(
                f"the user may not read column(s) {', '.join(refused)}; remove them from the "
                "query (one restricted column refuses the whole call)",
                vendor=self.package,
                status=exc.status,
                code=exc.code,
                operation="EnumerateAccountStatistics",
                columns=refused,
            ) from None
        if not isinstance(result, dict):
            return decode_page(None)
        return decode_page(result.get("result"), result.get("totalStatistics"))

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
    ) -> OffsetPaginator[StatisticsRow]:
        """All matching devices, fetched page by page as you iterate (constant memory).

        Iteration stops at the first short page. With ``concurrency`` > 1 that many pages
        are requested at once (pages are independent). ``.pages()`` yields whole pages;
        ``.to_dataframe()`` needs ``backup-sdk[pandas]``.
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
        timeslice: int,
        partner_id: int,
        columns: Sequence[str],
        *,
        start: int = 0,
        count: int = 1000,
        filter: str = "",
    ) -> StatisticsPage:
        """``EnumerateAccountHistoryStatistics``: the statistics as they were at
        ``timeslice`` (unix seconds, UTC)."""
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
        result = self.call_raw(
            "EnumerateAccountHistoryStatistics", {"timeslice": timeslice, "query": query}
        )
        if not isinstance(result, dict):
            return decode_page(None)
        return decode_page(result.get("result"), result.get("totalStatistics"))

    def find_refused_columns(self, partner_id: int, columns: Sequence[str]) -> list[str]:
        """Which of ``columns`` this user may not read (13501), by splitting the list.

        Costs about ``2 x refused x log2(len(columns))`` one-row queries.
        """

        def allowed(subset: list[str]) -> bool:
            try:
                self.enumerate_account_statistics(
                    partner_id, subset, count=1, diagnose_refusals=False
                )
            except PermissionDeniedError as exc:
                if exc.code == SECURITY_REFUSAL:
                    return False
                raise
            return True

        def search(subset: list[str]) -> list[str]:
            if not subset or allowed(subset):
                return []
            if len(subset) == 1:
                return subset
            middle = len(subset) // 2
            return search(subset[:middle]) + search(subset[middle:])

        return search(list(columns))

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
                    vendor=self.package,
                    model="HomeNodeInfo",
                    path="$.homeNodeInfo.CommonInfo.Host",
                )
            url = f"https://{host.split(':')[0]}/repserv_json"
        return DeviceReporting(self, lookup.account, url)


class DeviceReporting:
    """Sessions and errors of one device, from its storage node (``repserv_json``).

    The service's schema is not public: results follow what integrations were seen to
    read, and unknown fields are kept on the models.
    """

    def __init__(self, client: CoveClient, account: AccountInfo, url: str) -> None:
        self._client = client
        self.account = account
        self.url = url

    def _query(self, method: str, params: dict[str, Any]) -> list[Any]:
        token = self.account.token
        full = {**params, "accountId": self.account.id, "account": self.account.name}
        if token:
            full["token"] = token
        client = self._client
        client._ensure_visa()
        try:
            result = client._rpc(method, full, idempotent=True, url=self.url)
        except VisaExpiredError:
            client.login()
            result = client._rpc(method, full, idempotent=True, url=self.url)
        inner = result.get("result") if isinstance(result, dict) else result
        if inner is not None and not isinstance(inner, list):
            raise ResponseDecodeError(
                f"{method} did not return a list",
                vendor="cove_sdk",
                model=method,
                path="$.result.result",
            )
        return inner or []

    def query_sessions(
        self,
        query: str = "0 != 1",
        *,
        order_by: str = "BackupStartTime DESC",
        offset: int = 0,
        size: int = 100,
    ) -> list[ReportingSession]:
        """``QuerySessions``: sessions matching ``query`` (e.g. ``"Plugin == 1"``), newest
        first by default."""
        data = self._query(
            "QuerySessions",
            {"query": query, "orderBy": order_by, "range": {"Offset": offset, "Size": size}},
        )
        return converter.structure_list(data, ReportingSession)

    def query_errors(
        self,
        session_id: int = 0,
        *,
        query: str | None = None,
        order_by: str = "Time DESC",
        offset: int = 0,
        size: int = 100,
    ) -> list[ReportingError]:
        """``QueryErrors``: error texts of one session (``session_id``) or of all (0)."""
        data = self._query(
            "QueryErrors",
            {
                "sessionId": session_id,
                "query": query or (f"SessionId == {session_id}" if session_id else "0 != 1"),
                "orderBy": order_by,
                "groupId": 0,
                "range": {"Offset": offset, "Size": size},
            },
        )
        return converter.structure_list(data, ReportingError)

    def iter_sessions(
        self, query: str = "0 != 1", *, page_size: int = 100
    ) -> Iterator[ReportingSession]:
        """All matching sessions, page by page."""
        pager: OffsetPaginator[ReportingSession] = OffsetPaginator(
            lambda offset, count: self.query_sessions(query, offset=offset, size=count),
            page_size=page_size,
        )
        return iter(pager)
