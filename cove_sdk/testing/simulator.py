"""A local Cove service: the JSON-RPC Management Service at ``/jsonapi`` and a storage
node's Reporting Service at ``/repserv_json``, on one real HTTP server on 127.0.0.1.

It speaks the envelope the real service does: errors travel over HTTP 200 as
``{"error": {"code": -32603, "message": ..., "data": <Cove code>}}``; ``Login`` returns a
visa at the top level and every reply to a call whose visa was accepted carries a fresh
one (errors such as 13501 included; a failed login and a refused visa carry none); visas lapse
after ``visa_lifetime`` seconds of the simulator clock (1701); a user can be limited to an
allow-list of columns (13501 for any other); a wrong partner form gives 2100.

Statistics values are text, as the service sends them, totals included; the legacy ``AP``
column comes as letters, ``I19`` as one ``;``-separated string, ``I20`` as a JSON list,
and ``I5`` of a device that never expires as 2147483647. ``GetServerInfo`` reports the
simulator clock as ``ServerTime`` (unix seconds).
"""

from __future__ import annotations

import itertools
import random
import secrets
import threading
import time
from typing import Any

from backup_sdk._compat import Unpack
from backup_sdk.client import ClientOptions
from backup_sdk.testing import SimClock, SimRequest, SimResponse, SimulatorServer, json_response
from cove_sdk.client import CoveClient
from cove_sdk.columns import canonical
from cove_sdk.testing.filters import FilterError, parse_filter
from cove_sdk.testing.fleet import Device, Fleet, FleetSpec

__all__ = ["CoveSimulator"]

_INTERNAL = -32603
_ERROR_TEXTS = {
    2: [
        "Failed to open file 'C:\\Data\\ledger.xlsx': The process cannot access the file",
        "VSS snapshot creation failed (0x80042306)",
        "Network path not found: \\\\nas01\\share",
    ],
    8: ["Skipped locked file 'C:\\Users\\anna\\AppData\\Local\\Outlook\\anna.ost'"],
    9: ["Read error on 'D:\\Images\\backup.vhdx' (I/O device error)"],
    10: ["Storage quota exceeded for the device"],
}


class _Rpc(Exception):
    def __init__(self, data: int | None, message: str, code: int = _INTERNAL) -> None:
        super().__init__(message)
        self.data = data
        self.message = message
        self.code = code


class CoveSimulator(SimulatorServer):
    """The simulated Cove service. Use as a context manager.

    Attributes:
        partner_name, username, password: valid credentials (the partner in the
            "Company (email)" form API users need).
        fleet: the generated partners and devices (for assertions).
        visa_lifetime: seconds of the simulator clock a visa stays valid.
        old_visas_valid: whether a visa stays usable after a newer one was issued
            (N-able says it does; some clients report otherwise).
        visa_race: at most this many real seconds pass between accepting a call's visa and
            issuing the next one (0: none), so concurrent calls race as on a busy server.
    """

    def __init__(
        self,
        *,
        fleet: FleetSpec | None = None,
        clock: SimClock | None = None,
        visa_lifetime: float = 900.0,
        old_visas_valid: bool = True,
        visa_race: float = 0.0,
    ) -> None:
        super().__init__(clock=clock)
        self.visa_race = visa_race
        self.fleet = Fleet(fleet or FleetSpec(), self.clock.now(), clock=self.clock.time)
        self.visa_lifetime = visa_lifetime
        self.old_visas_valid = old_visas_valid
        self.partner_name = self.fleet.msp.name
        self.username = "api-monitor"
        self.password = "Cove-Sim-" + "Passw0rd"
        self._users: dict[str, dict[str, Any]] = {}
        self._visas: dict[str, tuple[str, float, int]] = {}
        self._chain_latest: dict[int, str] = {}
        self._chains = itertools.count(1)
        self._visa_lock = threading.Lock()
        self.logins = 0
        self.custom_columns: dict[int, dict[int, str]] = {}
        self.add_user(self.username, self.password, partner=self.partner_name)

    # -- configuration -----------------------------------------------------------------------

    @property
    def reporting_url(self) -> str:
        """The Reporting Service endpoint (what a storage node serves)."""
        return f"{self.url}/repserv_json"

    @property
    def base_url(self) -> str:
        """What a client's ``base_url`` is: the JSON-RPC endpoint."""
        return f"{self.url}/jsonapi"

    @property
    def partner(self) -> str:
        """The partner name the simulator's user logs in with."""
        return self.partner_name

    def env(self) -> dict[str, str]:
        """The environment variables that point ``CoveClient.from_env()`` (and the command
        line) at this simulator."""
        return {
            "COVE_URL": self.base_url,
            "COVE_PARTNER": self.partner_name,
            "COVE_USERNAME": self.username,
            "COVE_PASSWORD": self.password,
            "COVE_REPORTING_URL": self.reporting_url,
        }

    def client(self, **options: Unpack[ClientOptions]) -> CoveClient:
        """A client for this simulator, logged in as its user (lazily, on first use)."""
        return CoveClient.from_env(self.env(), **options)

    def add_user(self, username: str, password: str, *, partner: str | None = None) -> None:
        """Add a login; ``partner`` is the exact partner name it must log in with."""
        target = next(
            (p for p in self.fleet.partners.values() if p.name == (partner or self.partner_name)),
            None,
        )
        if target is None:
            raise ValueError(f"no partner named {partner!r}")
        with self.lock:
            self._users[username] = {
                "password": password,
                "partner": target,
                "id": 5_000 + len(self._users),
                "columns": None,
            }

    def allow_columns(self, username: str, codes: list[str]) -> None:
        """Restrict a user to these columns (any padding); others answer 13501."""
        with self.lock:
            self._users[username]["columns"] = {canonical(c) for c in codes}

    def expire_visas(self) -> None:
        """Forget every visa (as if the service restarted)."""
        with self._visa_lock:
            self._visas.clear()
            self._chain_latest.clear()

    # -- visas -------------------------------------------------------------------------------

    def _issue(self, username: str, chain: int) -> str:
        user = self._users[username]
        now = self.clock.time()
        visa = f"{user['partner'].id}-{user['id']}-1-{int(now)}-{secrets.token_hex(16).upper()}"
        with self._visa_lock:
            self._visas[visa] = (username, now, chain)
            self._chain_latest[chain] = visa
        return visa

    def _check_visa(self, visa: Any) -> tuple[str, int]:
        if not isinstance(visa, str) or not visa:
            raise _Rpc(1701, "Visa is inconsistent/corrupted.")
        with self._visa_lock:
            entry = self._visas.get(visa)
            latest = self._chain_latest.get(entry[2]) if entry else None
        if entry is None:
            raise _Rpc(1701, "Visa is inconsistent/corrupted.")
        username, issued, chain = entry
        if self.clock.time() - issued > self.visa_lifetime:
            raise _Rpc(1701, "Visa is inconsistent/corrupted.")
        if not self.old_visas_valid and latest != visa:
            raise _Rpc(1701, "Visa is inconsistent/corrupted.")
        return username, chain

    # -- dispatch ----------------------------------------------------------------------------

    def handle(self, request: SimRequest) -> SimResponse:
        if request.method != "POST" or request.path not in ("/jsonapi", "/repserv_json"):
            return json_response({"error": "not found"}, 404)
        try:
            body = request.json()
        except ValueError:
            return json_response(
                {"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "Parse error"}}
            )
        if not isinstance(body, dict):
            return json_response(
                {"jsonrpc": "2.0", "id": None, "error": {"code": -32600, "message": "Invalid"}}
            )
        rpc_id = body.get("id")
        method = body.get("method")
        params = body.get("params") or {}
        reply: dict[str, Any] = {"jsonrpc": "2.0", "id": rpc_id}
        session: tuple[str, int] | None = None
        try:
            if request.path == "/repserv_json":
                if body.get("visa"):
                    session = self._check_visa(body.get("visa"))
                result = self._reporting(str(method), params)
            elif method == "Login":
                username, result = self._login(params)
                session = (username, next(self._chains))
            else:
                if "visa" in params:
                    raise _Rpc(1701, "Visa is inconsistent/corrupted.")
                session = self._check_visa(body.get("visa"))
                with self.lock:
                    result = self._call(str(method), params, session[0])
            reply["result"] = result
        except _Rpc as exc:
            error: dict[str, Any] = {"code": exc.code, "message": exc.message}
            if exc.data is not None:
                error["data"] = exc.data
            reply["error"] = error
        except FilterError as exc:
            reply["error"] = {"code": -32602, "message": f"Invalid filter: {exc}"}
        except (KeyError, TypeError, ValueError) as exc:
            reply["error"] = {"code": -32602, "message": f"Invalid params: {exc!r}"}
        if session is not None:
            if self.visa_race:
                # widen the window between accepting a visa and issuing the next one:
                # concurrent calls with one visa are then all accepted (a fork)
                time.sleep(random.random() * self.visa_race)
            reply["visa"] = self._issue(*session)
        return json_response(reply)

    def _login(self, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        username = params.get("username")
        user = self._users.get(str(username))
        if (
            user is None
            or params.get("password") != user["password"]
            or params.get("partner") != user["partner"].name
        ):
            raise _Rpc(2100, "Unknown partner/username or bad password")
        self.logins += 1
        now = self.clock.now()
        info = {
            "Id": user["id"],
            "Name": username,
            "PartnerId": user["partner"].id,
            "EmailAddress": f"{username}@acme-msp.example",
            "Flags": ["AllowApiAuthentication", "NonInteractive"],
            "FirstLoginTime": now - 86_400 * 30,
            "LastLoginTime": now,
            "Password": None,
            "RoleId": 1,
            "TwoFactorAuthenticationStatus": "Enabled",
        }
        return str(username), {"result": info}

    def _scope(self, username: str, partner_id: Any) -> set[int]:
        user = self._users[username]
        allowed = self.fleet.descendants(user["partner"].id)
        if int(partner_id) not in allowed:
            raise _Rpc(13501, "Operation failed because of security reasons")
        return self.fleet.descendants(int(partner_id))

    def _call(self, method: str, params: dict[str, Any], username: str) -> dict[str, Any]:
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            raise _Rpc(None, "Method not found", code=-32601)
        return handler(params, username)  # type: ignore[no-any-return]

    # -- Management Service methods ----------------------------------------------------------

    def _m_GetServerInfo(self, params: dict[str, Any], username: str) -> dict[str, Any]:
        return {"result": {"Version": "25.4", "ServerTime": self.clock.now()}}

    def _m_GetPartnerInfo(self, params: dict[str, Any], username: str) -> dict[str, Any]:
        for partner in self.fleet.partners.values():
            if partner.name == params["name"]:
                self._scope(username, partner.id)
                return {"result": partner.info()}
        raise _Rpc(None, f"Partner '{params['name']}' not found")

    def _m_GetPartnerInfoById(self, params: dict[str, Any], username: str) -> dict[str, Any]:
        partner_id = int(params["partnerId"])
        self._scope(username, partner_id)
        return {"result": self.fleet.partners[partner_id].info()}

    def _m_EnumeratePartners(self, params: dict[str, Any], username: str) -> dict[str, Any]:
        parent = int(params["parentPartnerId"])
        self._scope(username, parent)
        recursive = str(params.get("fetchRecursively", False)).lower() == "true"
        ids = (
            self.fleet.descendants(parent) - {parent}
            if recursive
            else set(self.fleet.partners[parent].children)
        )
        return {"result": [self.fleet.partners[i].info() for i in sorted(ids)]}

    def _m_EnumerateChildPartners(self, params: dict[str, Any], username: str) -> dict[str, Any]:
        root = int(params["partnerId"])
        self._scope(username, root)
        window = params.get("range") or {}
        offset, size = int(window.get("Offset", 0)), int(window.get("Size", 1000))

        def node(partner_id: int, depth: int) -> dict[str, Any]:
            partner = self.fleet.partners[partner_id]
            children = partner.children[offset : offset + size] if depth == 0 else partner.children
            return {
                "Info": partner.info(),
                "ActualChildCount": len(partner.children),
                "Children": [node(c, depth + 1) for c in children] or None,
            }

        return {"result": node(root, 0)}

    def _m_EnumerateAncestorPartners(self, params: dict[str, Any], username: str) -> dict[str, Any]:
        partner_id = int(params["partnerId"])
        self._scope(username, partner_id)
        return {"result": [p.info() for p in self.fleet.ancestors(partner_id)[1:]]}

    def _account_info(self, device: Device) -> dict[str, Any]:
        return {
            "Id": device.account_id,
            "Name": device.name,
            "NameAlias": None,
            "PartnerId": device.partner_id,
            "Type": "BackupManager",
            "ProductId": 2,
            "LocationId": 1,
            "StorageLocationId": 3,
            "CreationTime": device.created,
            "ExpirationTime": 2147483647,
            "RemovalTime": 0,
            "Token": device.token,
            "Password": "dev-" + device.token[:12],
        }

    def _m_EnumerateAccounts(self, params: dict[str, Any], username: str) -> dict[str, Any]:
        scope = self._scope(username, params["partnerId"])
        return {
            "result": [self._account_info(d) for d in self.fleet.devices if d.partner_id in scope]
        }

    def _device(self, account_id: Any, username: str) -> Device:
        device = self.fleet.by_account.get(int(account_id))
        if device is None:
            raise _Rpc(None, f"Account {account_id} not found")
        self._scope(username, device.partner_id)
        return device

    def _m_GetAccountInfoById(self, params: dict[str, Any], username: str) -> dict[str, Any]:
        device = self._device(params["accountId"], username)
        return {
            "result": self._account_info(device),
            "homeNodeInfo": {"CommonInfo": {"Host": f"127.0.0.1:{self.port}", "Id": 3}},
        }

    def _m_EnumerateAccountRemoteAccessEndpoints(
        self, params: dict[str, Any], username: str
    ) -> dict[str, Any]:
        device = self._device(params["accountId"], username)
        return {
            "result": [
                {
                    "WebRcgUrl": f"{self.url}/rcg?auth_token=rcg-{device.token[:16]}",
                    "InternalInfoPageUrl": f"{self.url}/info/{device.account_id}",
                }
            ]
        }

    def _statistics(self, params: dict[str, Any], username: str) -> dict[str, Any]:
        query = params["query"]
        columns = query.get("Columns")
        totals_wanted = query.get("Totals") or []
        scope = self._scope(username, query["PartnerId"])
        allowed = self._users[username]["columns"]
        if allowed is not None and columns:
            refused = [c for c in columns if canonical(c) not in allowed]
            if refused:
                raise _Rpc(13501, "Operation failed because of security reasons")
        matches = parse_filter(str(query.get("Filter") or ""), now=self.clock.time())
        devices = [d for d in self.fleet.devices if d.partner_id in scope and matches(_lookup(d))]
        order = str(query.get("OrderBy") or "").split()
        if order:
            descending = order[-1].upper() == "DESC"
            codes = [c for c in order if c.upper() not in ("ASC", "DESC")]
            devices.sort(
                key=lambda d: tuple(_sort_key(d.value(canonical(c))) for c in codes),
                reverse=descending,
            )
        totals = [{expr: _total(expr, devices, self.clock.time())} for expr in totals_wanted]
        if columns is None:
            return {"result": None, "totalStatistics": totals or None}
        start = int(query.get("StartRecordNumber", 0))
        count = int(query.get("RecordsCount", 100))
        rows = []
        for device in devices[start : start + count]:
            settings = []
            for code in sorted(set(columns)):
                value = device.column(code)
                if value is not None:
                    settings.append({code: value})
            rows.append(
                {
                    "AccountId": device.account_id,
                    "PartnerId": device.partner_id,
                    "Flags": ["AutoDeployed"] if device.account_id % 4 == 0 else None,
                    "Settings": settings,
                }
            )
        return {"result": rows, "totalStatistics": totals or None}

    def _m_EnumerateAccountStatistics(
        self, params: dict[str, Any], username: str
    ) -> dict[str, Any]:
        return self._statistics(params, username)

    def _m_EnumerateAccountHistoryStatistics(
        self, params: dict[str, Any], username: str
    ) -> dict[str, Any]:
        int(params["timeslice"])
        return self._statistics(params, username)

    def _m_EnumerateColumns(self, params: dict[str, Any], username: str) -> dict[str, Any]:
        from cove_sdk.columns import PROPERTIES

        self._scope(username, params["partnerId"])
        return {"result": [{"Code": p.code, "Description": p.title} for p in PROPERTIES.values()]}

    def _m_EnumerateCustomColumns(self, params: dict[str, Any], username: str) -> dict[str, Any]:
        self._scope(username, params["partnerId"])
        return {"result": [{"Id": 2045, "Name": "Contract", "Type": "String"}]}

    def _m_GetAccountCustomColumnValues(
        self, params: dict[str, Any], username: str
    ) -> dict[str, Any]:
        device = self._device(params["accountId"], username)
        values = self.custom_columns.get(device.account_id, {})
        return {"result": [[k, v] for k, v in sorted(values.items())]}

    def _m_UpdateAccountCustomColumnValues(
        self, params: dict[str, Any], username: str
    ) -> dict[str, Any]:
        device = self._device(params["accountId"], username)
        store = self.custom_columns.setdefault(device.account_id, {})
        for column_id, text in params["values"]:
            store[int(column_id)] = str(text)
        return {}

    def _m_EnumerateUsers(self, params: dict[str, Any], username: str) -> dict[str, Any]:
        ids = {int(i) for i in params["partnerIds"]}
        return {
            "result": [
                {"Id": u["id"], "Name": name, "PartnerId": u["partner"].id}
                for name, u in sorted(self._users.items())
                if u["partner"].id in ids
            ]
        }

    def _m_EnumerateAccountProfiles(self, params: dict[str, Any], username: str) -> dict[str, Any]:
        self._scope(username, params["partnerId"])
        return {"result": [{"Id": 1, "Name": "Default profile", "Version": 3}]}

    def _m_EnumerateProducts(self, params: dict[str, Any], username: str) -> dict[str, Any]:
        self._scope(username, params["partnerId"])
        return {"result": [{"Id": 2, "Name": "Standard retention", "RetentionDays": 30}]}

    def _m_EnumerateStorageNodesByAccountId(
        self, params: dict[str, Any], username: str
    ) -> dict[str, Any]:
        return {
            "result": [
                {"AccountId": int(a), "StorageNodeId": 3, "Host": f"127.0.0.1:{self.port}"}
                for a in params["accounts"]
            ]
        }

    def _m_EnumerateLocations(self, params: dict[str, Any], username: str) -> dict[str, Any]:
        return {"result": [{"Id": 1, "Name": "EU-West"}, {"Id": 2, "Name": "US-East"}]}

    def _m_AddPartner(self, params: dict[str, Any], username: str) -> dict[str, Any]:
        from cove_sdk.testing.fleet import Partner

        info = params["partnerInfo"]
        parent = int(info["ParentId"])
        self._scope(username, parent)
        new_id = max(self.fleet.partners) + 1
        self.fleet._add(
            Partner(new_id, str(info["Name"]), str(info.get("Level", "EndCustomer")), parent)
        )
        return {"result": new_id}

    def _m_ModifyPartner(self, params: dict[str, Any], username: str) -> dict[str, Any]:
        info = params["partnerInfo"]
        self._scope(username, info["Id"])
        partner = self.fleet.partners[int(info["Id"])]
        partner.name = str(info.get("Name", partner.name))
        return {}

    def _m_RemovePartner(self, params: dict[str, Any], username: str) -> dict[str, Any]:
        partner_id = int(params["partnerId"])
        self._scope(username, partner_id)
        partner = self.fleet.partners.pop(partner_id)
        if partner.parent_id in self.fleet.partners:
            self.fleet.partners[partner.parent_id].children.remove(partner_id)
        return {}

    def _m_ModifyAccount(self, params: dict[str, Any], username: str) -> dict[str, Any]:
        info = params["accountInfo"]
        device = self._device(info["Id"], username)
        if "Name" in info:
            device.name = str(info["Name"])
        return {}

    def _m_RemoveAccount(self, params: dict[str, Any], username: str) -> dict[str, Any]:
        device = self._device(params["accountId"], username)
        self.fleet.devices.remove(device)
        del self.fleet.by_account[device.account_id]
        return {}

    # -- Reporting Service -------------------------------------------------------------------

    def sessions(self, device: Device, days: int = 30) -> list[dict[str, Any]]:
        """The device's session history of the last ``days`` (as of the simulated now);
        its newest results match its statistics. A running session has ``EndTime`` 0."""
        now = self.clock.time()
        out: list[dict[str, Any]] = []
        for session in device.session_history(now - days * 86_400, now):
            rng = random.Random(session.id)
            running = now < session.end
            out.append(
                {
                    "Id": session.id,
                    "Plugin": session.source,
                    "Status": session.status_at(now),
                    "Type": "Backup",
                    "BackupStartTime": session.start,
                    "StartTime": session.start,
                    "EndTime": 0 if running else session.end,
                    "ErrorsCount": 0 if running else session.errors,
                    "SelectedCount": session.selected_count,
                    "SelectedSize": session.selected_size,
                    "SentSize": session.sent_size,
                    "ChangedCount": rng.randrange(10, 5_000),
                    "ChangedSize": rng.randrange(10**5, 10**9),
                    "NewCount": rng.randrange(0, 500),
                    "NewSize": rng.randrange(0, 10**8),
                    "DeletedCount": rng.randrange(0, 50),
                    "BuildVersion": "25.4.0.25101",
                    "Flags": ["Accelerated"] if session.index % 2 else [],
                }
            )
        return out

    def truth_runs(self) -> list[dict[str, Any]]:
        """Every session of the fleet that started in the last 30 simulated days, as a
        :class:`~backup_sdk.runs.BackupRun` record with its final status and ``visible_at``
        (its end: from then on the statistics and the Reporting Service show it)."""
        from cove_sdk.runs import session_run

        now = self.clock.time()
        runs = []
        for device in self.fleet.devices:
            for session in device.session_history(now - 30 * 86_400, now):
                if session.end > now:
                    continue
                record = session_run(
                    account_id=device.account_id,
                    device_name=device.name,
                    customer=device.customer,
                    source=session.source,
                    status=session.status,
                    started=session.start,
                    ended=session.end,
                    errors=session.errors,
                    selected_size=session.selected_size,
                    sent_size=session.sent_size,
                ).to_record()
                record["visible_at"] = session.end
                runs.append(record)
        return runs

    def errors(self, device: Device, session: dict[str, Any]) -> list[dict[str, Any]]:
        """Error texts of a session (none for a clean one)."""
        texts = _ERROR_TEXTS.get(int(session["Status"]), [])
        if not texts or not session["ErrorsCount"]:
            return []
        rng = random.Random(session["Id"])
        return [
            {
                "Id": session["Id"] * 10 + n,
                "SessionId": session["Id"],
                "Code": 1000 + n,
                "Count": rng.randrange(1, 5),
                "Filename": f"C:\\Data\\file{n}.dat",
                "Text": texts[n % len(texts)],
                "Time": session["StartTime"] + 60 * (n + 1),
            }
            for n in range(min(3, int(session["ErrorsCount"])))
        ]

    def _reporting(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        device = self.fleet.by_account.get(int(params.get("accountId", 0)))
        if device is None or params.get("token") != device.token:
            raise _Rpc(13501, "Operation failed because of security reasons")
        window = params.get("range") or {}
        offset, size = int(window.get("Offset", 0)), int(window.get("Size", 100))
        matches = parse_filter(str(params.get("query") or ""), now=self.clock.time())
        sessions = self.sessions(device)
        if method == "QuerySessions":
            found = [s for s in sessions if matches(_dict_lookup(s))]
            order = str(params.get("orderBy") or "BackupStartTime DESC").split()
            found.sort(key=lambda s: s.get(order[0], 0), reverse=order[-1].upper() == "DESC")
            return {"result": found[offset : offset + size]}
        if method == "QueryErrors":
            session_id = int(params.get("sessionId", 0))
            errors = [
                e
                for s in sessions
                if session_id in (0, s["Id"])
                for e in self.errors(device, s)
                if matches(_dict_lookup(e))
            ]
            errors.sort(key=lambda e: e["Time"], reverse=True)
            return {"result": errors[offset : offset + size]}
        raise _Rpc(None, "Method not found", code=-32601)


def _lookup(device: Device) -> Any:
    def lookup(code: str) -> Any:
        if code.upper() == "ANY":
            return device.all_values()
        return device.value(canonical(code))

    return lookup


def _dict_lookup(record: dict[str, Any]) -> Any:
    lowered = {k.lower(): v for k, v in record.items()}

    def lookup(name: str) -> Any:
        if name.upper() == "ANY":
            return [str(v) for v in record.values()]
        return lowered.get(name.lower())

    return lookup


def _sort_key(value: str | None) -> tuple[int, float, str]:
    if value is None or value == "":
        return (0, 0.0, "")
    try:
        return (1, float(value), "")
    except ValueError:
        return (2, 0.0, value.lower())


def _total(expression: str, devices: list[Device], now: float) -> str:
    text = expression.strip()
    upper = text.upper()
    if not (upper.startswith(("COUNT(", "SUM(", "MIN(", "MAX(")) and text.endswith(")")):
        raise FilterError(f"unsupported total {expression!r}")
    name, inner = text[: text.index("(")].upper(), text[text.index("(") + 1 : -1].strip()
    if name == "COUNT":
        if inner == "1":
            return str(len(devices))
        test = parse_filter(inner, now=now)
        return str(sum(1 for d in devices if test(_lookup(d))))
    values = []
    for device in devices:
        value = device.value(canonical(inner))
        if value not in (None, ""):
            values.append(float(value))
    if not values:
        return "0"
    result = {"SUM": sum(values), "MIN": min(values), "MAX": max(values)}[name]
    return str(int(result)) if float(result).is_integer() else str(result)
