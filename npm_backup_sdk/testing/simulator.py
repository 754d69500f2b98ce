"""A local Backup and Restore v2.0 appliance: a real HTTP server on 127.0.0.1.

It speaks the family's wire format (JSON bodies, ``{"error_id", "error_text"}`` errors,
``mgmt.aaa`` bearer tokens, ``common/1.0`` discovery). The state lives in
:class:`~npm_backup_sdk.testing.fleet.NpmFleet` (backup servers, schedules, stored backups
with their files, and operations that move from ``started`` to ``completed``/``failed`` as
the simulator clock advances); this module is the routes, authentication and tokens. A
restore reboots the appliance: it refuses connections for ``reboot_seconds`` (simulator
clock) and forgets every token.

Where the reference is loose, the simulator is too, so the client must cope: timestamps
come as integers or as decimal strings, empty collections omit ``items``, and a server
created without a key returns its generated private key once.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from typing import Any

from backup_sdk._compat import Unpack
from backup_sdk.client import ClientOptions
from backup_sdk.testing import (
    Router,
    SimClock,
    SimRequest,
    SimResponse,
    SimulatorServer,
    bytes_response,
    json_response,
)
from npm_backup_sdk.client import NpmBackupClient
from npm_backup_sdk.testing.fleet import PROGRESS_STEPS, NpmFleet, NpmState

__all__ = ["NpmBackupSimulator", "NpmState"]

ROOT = "/api/npm.backup/2.0"
_MODULES = [
    {
        "short_name": "config",
        "group": "system",
        "desc": "Configuration",
        "group_type": "config",
        "supported_options": [],
    },
    {
        "short_name": "packets",
        "group": "data",
        "desc": "Packet data",
        "group_type": "transaction",
        "supported_options": ["max_age_days"],
    },
    {
        "short_name": "metrics",
        "group": "data",
        "desc": "Aggregated metrics",
        "group_type": "aggregate",
        "supported_options": ["resolution"],
    },
]


def _error(status: int, error_id: str, text: str) -> SimResponse:
    return json_response({"error_id": error_id, "error_text": text}, status)


def _busy() -> SimResponse:
    return _error(409, "OPERATION_IN_PROGRESS", "another operation is running")


class NpmBackupSimulator(SimulatorServer):
    """The simulated appliance. Use as a context manager; ``url`` is its base URL.

    Args:
        seed: makes ids, names and file contents reproducible.
        servers: how many backup servers are seeded.
        backups_per_server: how many completed backups each seeded server holds.
        token_lifetime: seconds (simulator clock) an access token stays valid.
        backup_duration: seconds (simulator clock) a backup runs.
        restore_duration: seconds (simulator clock) a restore runs.
        reboot_seconds: seconds (simulator clock) the appliance refuses connections after a
            restore.
        legacy_auth_only: serve tokens only at ``mgmt.aaa/1.0`` (an older appliance).
        allow_basic: accept HTTP Basic credentials as well as tokens.

    Attributes:
        fleet: the appliance's servers, schedules, backups and operations
            (:class:`~npm_backup_sdk.testing.fleet.NpmFleet`); ``state``,
            ``next_outcomes``, ``backup_duration``, ``restore_duration``, ``file_size``,
            ``system_id`` and ``sw_version`` read and set it.
    """

    def __init__(
        self,
        *,
        seed: int = 1,
        servers: int = 2,
        backups_per_server: int = 3,
        username: str = "admin",
        password: str = "npm-sim-Passw0rd",
        token_lifetime: float = 3600.0,
        backup_duration: float = 4.0,
        restore_duration: float = 3.0,
        reboot_seconds: float = 1.0,
        file_size: int = 200_000,
        legacy_auth_only: bool = False,
        allow_basic: bool = True,
        clock: SimClock | None = None,
    ) -> None:
        super().__init__(clock=clock)
        self.username = username
        self.password = password
        self.token_lifetime = token_lifetime
        self.reboot_seconds = reboot_seconds
        self.legacy_auth_only = legacy_auth_only
        self.allow_basic = allow_basic
        self._router = Router(
            not_found=lambda r: _error(404, "RESOURCE_NOT_FOUND", f"{r.path} not found"),
            not_allowed=lambda r: _error(405, "METHOD_NOT_ALLOWED", f"{r.method} not allowed"),
        )
        self._routes()
        self.fleet = NpmFleet(
            self.clock,
            seed=seed,
            servers=servers,
            backups_per_server=backups_per_server,
            backup_duration=backup_duration,
            restore_duration=restore_duration,
            file_size=file_size,
        )

    # -- connection --------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """What a client's ``base_url`` is: the appliance root."""
        return self.url

    @property
    def logins(self) -> int:
        """Tokens issued so far (password or refresh-token logins)."""
        return self.state.tokens_issued

    def env(self) -> dict[str, str]:
        """The environment variables that point ``NpmBackupClient.from_env()`` (and the
        command line) at this simulator."""
        return {
            "NPM_BACKUP_URL": self.base_url,
            "NPM_BACKUP_USERNAME": self.username,
            "NPM_BACKUP_PASSWORD": self.password,
        }

    def client(self, **options: Unpack[ClientOptions]) -> NpmBackupClient:
        """A client for this simulator, logging in as its user."""
        return NpmBackupClient.from_env(self.env(), **options)

    # -- the fleet's settings, as attributes of the simulator ---------------------------------

    @property
    def state(self) -> NpmState:
        """Everything the simulated appliance stores (inspect it in tests)."""
        return self.fleet.state

    @state.setter
    def state(self, value: NpmState) -> None:
        self.fleet.state = value

    @property
    def next_outcomes(self) -> list[str]:
        """Outcome of the next operations started ("completed" or "failed"), consumed in
        order."""
        return self.fleet.next_outcomes

    @next_outcomes.setter
    def next_outcomes(self, value: list[str]) -> None:
        self.fleet.next_outcomes = value

    @property
    def backup_duration(self) -> float:
        """Seconds (simulator clock) a backup runs."""
        return self.fleet.backup_duration

    @backup_duration.setter
    def backup_duration(self, value: float) -> None:
        self.fleet.backup_duration = value

    @property
    def restore_duration(self) -> float:
        """Seconds (simulator clock) a restore runs."""
        return self.fleet.restore_duration

    @restore_duration.setter
    def restore_duration(self, value: float) -> None:
        self.fleet.restore_duration = value

    @property
    def file_size(self) -> int:
        """Bytes in the file of every backup the appliance writes."""
        return self.fleet.file_size

    @file_size.setter
    def file_size(self, value: int) -> None:
        self.fleet.file_size = value

    @property
    def system_id(self) -> str:
        """The appliance's system id (``device_status``)."""
        return self.fleet.system_id

    @system_id.setter
    def system_id(self, value: str) -> None:
        self.fleet.system_id = value

    @property
    def sw_version(self) -> str:
        """The appliance's software version (``info`` and every stored backup)."""
        return self.fleet.sw_version

    @sw_version.setter
    def sw_version(self, value: str) -> None:
        self.fleet.sw_version = value

    # -- public helpers ----------------------------------------------------------------------

    def reboot(self, seconds: float | None = None) -> None:
        """Refuse connections for ``seconds`` (default ``reboot_seconds``, simulator clock);
        all tokens are forgotten, as after a real reboot."""
        with self.lock:
            self.state.tokens.clear()
        self.go_offline(self.reboot_seconds if seconds is None else seconds)

    def expire_tokens(self) -> None:
        """Invalidate every access token now (refresh tokens stay valid)."""
        with self.lock:
            self.state.tokens.clear()

    def truth_runs(self) -> list[dict[str, Any]]:
        """Every stored backup that has finished, as a :class:`~backup_sdk.runs.BackupRun`
        record with ``visible_at`` (when the appliance first showed its final status)."""
        with self.lock:
            self.fleet.advance()
            return self.fleet.truth_runs()

    # -- routing -----------------------------------------------------------------------------

    def _routes(self) -> None:
        r = self._router
        r.add("POST", "/api/mgmt.aaa/{version}/token", self._token)
        r.add("GET", "/api/common/1.0/info", self._info)
        r.add("GET", "/api/common/1.0/ping", lambda req: json_response({}))
        r.add("GET", "/api/common/1.0/services", self._services)
        authed: dict[tuple[str, str], Callable[..., SimResponse]] = {
            ("GET", "/device_status"): self._device_status,
            ("GET", "/servers"): self._list_servers,
            ("POST", "/servers"): self._create_server,
            ("GET", "/servers/items/{sid}"): self._get_server,
            ("PUT", "/servers/items/{sid}"): self._put_server,
            ("DELETE", "/servers/items/{sid}"): self._delete_server,
            ("GET", "/scheduled_backups"): self._list_schedules,
            ("POST", "/scheduled_backups"): self._create_schedule,
            ("GET", "/scheduled_backups/items/{sid}"): self._get_schedule,
            ("PUT", "/scheduled_backups/items/{sid}"): self._put_schedule,
            ("DELETE", "/scheduled_backups/items/{sid}"): self._delete_schedule,
            ("GET", "/backups/server/{sid}"): self._list_backups,
            ("POST", "/backups/server/{sid}/start"): self._start_backup,
            ("POST", "/backups/server/{sid}/upload"): self._upload,
            ("GET", "/completed_backups/server/{sid}/items/{bid}"): self._get_backup,
            ("DELETE", "/completed_backups/server/{sid}/items/{bid}"): self._delete_backup,
            ("GET", "/completed_backups/server/{sid}/items/{bid}/file"): self._download,
            ("POST", "/completed_backups/server/{sid}/items/{bid}/restore"): self._restore,
        }
        for (method, path), handler in authed.items():
            r.add(method, ROOT + path, self._authenticated(handler))

    def handle(self, request: SimRequest) -> SimResponse:
        with self.lock:
            self.fleet.advance()
            return self._router.dispatch(request)

    def _authenticated(self, handler: Callable[..., SimResponse]) -> Callable[..., SimResponse]:
        def wrapped(request: SimRequest, **params: str) -> SimResponse:
            header = request.headers.get("Authorization") or ""
            scheme, _, value = header.partition(" ")
            if scheme.lower() == "bearer":
                expiry = self.state.tokens.get(value)
                if expiry is None:
                    return _error(401, "AUTH_INVALID_SESSION", "Session is invalid")
                if self.clock.time() >= expiry:
                    return _error(401, "AUTH_EXPIRED_TOKEN", "Token has expired")
            elif scheme.lower() == "basic" and self.allow_basic:
                try:
                    user, _, password = base64.b64decode(value).decode().partition(":")
                except (ValueError, UnicodeDecodeError):
                    return _error(401, "AUTH_INVALID_CREDENTIALS", "Malformed credentials")
                if (user, password) != (self.username, self.password):
                    return _error(401, "AUTH_INVALID_CREDENTIALS", "Invalid username or password")
            else:
                return _error(401, "AUTH_REQUIRED", "Authentication required")
            return handler(request, **params)

        return wrapped

    # -- auth and discovery ------------------------------------------------------------------

    def _token(self, request: SimRequest, version: str) -> SimResponse:
        if version not in ("1.0", "2.0") or (version == "2.0" and self.legacy_auth_only):
            return _error(404, "RESOURCE_NOT_FOUND", f"mgmt.aaa {version} is not available")
        try:
            body = request.json()
        except ValueError:
            return _error(400, "INVALID_REQUEST", "body is not JSON")
        self.state.token_requests += 1
        if "refresh_token" in body:
            if body["refresh_token"] not in self.state.refresh_tokens:
                return _error(401, "AUTH_INVALID_CREDENTIALS", "Refresh token is invalid")
            refresh = None
        else:
            creds = body.get("user_credentials") or {}
            if (creds.get("username"), creds.get("password")) != (self.username, self.password):
                return _error(401, "AUTH_INVALID_CREDENTIALS", "Invalid username or password")
            refresh = self.fleet.uuid() if body.get("generate_refresh_token") else None
        self.state.tokens_issued += 1
        access = "tok-" + self.fleet.uuid().replace("-", "")
        expires = self.clock.time() + self.token_lifetime
        self.state.tokens[access] = expires
        reply: dict[str, Any] = {
            "access_token": access,
            "token_type": "bearer",
            "expires_at": int(expires),
        }
        if refresh:
            self.state.refresh_tokens.add(refresh)
            reply["refresh_token"] = refresh
        return json_response(reply, 201)

    def _info(self, request: SimRequest) -> SimResponse:
        return json_response(
            {
                "device_name": "appliance-sim",
                "model": "SIM-8180",
                "sw_version": self.sw_version,
                "hw_version": "sim",
                "serial": "SIM0000001",
                "mgmt_addresses": ["127.0.0.1"],
            }
        )

    def _services(self, request: SimRequest) -> SimResponse:
        return json_response(
            [
                {"id": "common", "versions": ["1.0"]},
                {
                    "id": "mgmt.aaa",
                    "versions": ["1.0"] if self.legacy_auth_only else ["2.0", "1.0"],
                },
                {"id": "npm.backup", "versions": ["1.0", "2.0"]},
                {"id": "npm.probe.reports", "versions": ["1.2", "1.10", "1.9"]},
            ]
        )

    # -- operations --------------------------------------------------------------------------

    def _device_status(self, request: SimRequest) -> SimResponse:
        body: dict[str, Any] = {
            "system_id": self.system_id,
            "available_backup_modules": _MODULES,
            "available_restore_modules": _MODULES[:2],
        }
        op = self.fleet.running()
        if op is not None:
            done = self.fleet.progress(op)
            current: dict[str, Any] = {
                "info": self.fleet.op_info(op),
                "progress": {
                    "completed": done,
                    "total": PROGRESS_STEPS,
                    "status_message": f"step {done + 1} of {PROGRESS_STEPS}",
                },
            }
            if op.kind == "backup":
                current["backup_details"] = {
                    "contents": op.extra.get("contents", {"config_only": False}),
                    "size_estimate": {
                        "total_size": 1_200,
                        "data_size": [
                            {"module": "config", "size": 200},
                            {"module": "packets", "size": 1_000},
                        ],
                    },
                }
            elif op.kind == "restore":
                current["restore_details"] = {"size": op.extra.get("size", 0)}
            body["current_operation"] = current
        if "backup" in self.state.latest:
            body["latest_backup"] = self.state.latest["backup"]
        if "restore" in self.state.latest:
            body["latest_restore"] = self.state.latest["restore"]
        return json_response(body)

    # -- servers -----------------------------------------------------------------------------

    def _server_record(self, sid: str) -> dict[str, Any] | None:
        try:
            return self.fleet.server(int(sid))
        except ValueError:
            return None

    def _list_servers(self, request: SimRequest) -> SimResponse:
        items = list(self.state.servers.values())
        return json_response({"items": items} if items else {})

    def _check_server_body(self, request: SimRequest) -> dict[str, Any] | SimResponse:
        try:
            body = request.json()
        except ValueError:
            return _error(400, "INVALID_REQUEST", "body is not JSON")
        missing = [k for k in ("name", "desc", "host", "port", "path", "user") if k not in body]
        if missing:
            return _error(400, "INVALID_PARAMETER", f"missing {', '.join(missing)}")
        if not isinstance(body["port"], int) or not 0 < body["port"] < 65536:
            return _error(400, "INVALID_PARAMETER", "port must be 1..65535")
        return dict(body)

    def _create_server(self, request: SimRequest) -> SimResponse:
        body = self._check_server_body(request)
        if isinstance(body, SimResponse):
            return body
        return json_response(self.fleet.create_server(body), 201)

    def _get_server(self, request: SimRequest, sid: str) -> SimResponse:
        server = self._server_record(sid)
        if server is None:
            return _error(404, "RESOURCE_NOT_FOUND", f"server {sid} not found")
        return json_response(server)

    def _put_server(self, request: SimRequest, sid: str) -> SimResponse:
        server = self._server_record(sid)
        if server is None:
            return _error(404, "RESOURCE_NOT_FOUND", f"server {sid} not found")
        body = self._check_server_body(request)
        if isinstance(body, SimResponse):
            return body
        self.fleet.update_server(server, body)
        return json_response(server)

    def _delete_server(self, request: SimRequest, sid: str) -> SimResponse:
        if self._server_record(sid) is None:
            return _error(404, "RESOURCE_NOT_FOUND", f"server {sid} not found")
        self.fleet.delete_server(int(sid))
        return SimResponse(status=204, content_type=None)

    # -- schedules ---------------------------------------------------------------------------

    def _list_schedules(self, request: SimRequest) -> SimResponse:
        items = list(self.state.schedules.values())
        return json_response({"items": items} if items else {})

    def _check_schedule(self, request: SimRequest) -> dict[str, Any] | SimResponse:
        try:
            body = request.json()
        except ValueError:
            return _error(400, "INVALID_REQUEST", "body is not JSON")
        required = (
            "name",
            "desc",
            "active",
            "retry_attempts",
            "retry_delay",
            "retention",
            "server_id",
            "contents",
            "rrule",
        )
        missing = [k for k in required if k not in body]
        if missing:
            return _error(400, "INVALID_PARAMETER", f"missing {', '.join(missing)}")
        rule = body["rrule"]
        if not isinstance(rule, dict) or "freq" not in rule:
            return _error(400, "INVALID_PARAMETER", "rrule.freq is required")
        if "count" in rule and "until" in rule:
            return _error(400, "INVALID_PARAMETER", "rrule: either until or count, not both")
        if int(body["server_id"]) not in self.state.servers:
            return _error(400, "INVALID_PARAMETER", f"no server {body['server_id']}")
        return dict(body)

    def _create_schedule(self, request: SimRequest) -> SimResponse:
        body = self._check_schedule(request)
        if isinstance(body, SimResponse):
            return body
        return json_response(self.fleet.add_schedule(body), 201)

    def _get_schedule(self, request: SimRequest, sid: str) -> SimResponse:
        found = self.state.schedules.get(sid)
        if found is None:
            return _error(404, "RESOURCE_NOT_FOUND", f"scheduled backup {sid} not found")
        return json_response(found)

    def _put_schedule(self, request: SimRequest, sid: str) -> SimResponse:
        found = self.state.schedules.get(sid)
        if found is None:
            return _error(404, "RESOURCE_NOT_FOUND", f"scheduled backup {sid} not found")
        body = self._check_schedule(request)
        if isinstance(body, SimResponse):
            return body
        self.fleet.update_schedule(found, body)
        return json_response(found)

    def _delete_schedule(self, request: SimRequest, sid: str) -> SimResponse:
        if not self.fleet.delete_schedule(sid):
            return _error(404, "RESOURCE_NOT_FOUND", f"scheduled backup {sid} not found")
        return SimResponse(status=204, content_type=None)

    # -- backups -----------------------------------------------------------------------------

    def _list_backups(self, request: SimRequest, sid: str) -> SimResponse:
        if self._server_record(sid) is None:
            return _error(404, "RESOURCE_NOT_FOUND", f"server {sid} not found")
        return json_response({"server_id": int(sid), "completed": self.state.backups[int(sid)]})

    def _start_backup(self, request: SimRequest, sid: str) -> SimResponse:
        if self._server_record(sid) is None:
            return _error(404, "RESOURCE_NOT_FOUND", f"server {sid} not found")
        try:
            body = request.json()
        except ValueError:
            return _error(400, "INVALID_REQUEST", "body is not JSON")
        if not body.get("name") or "contents" not in body or "desc" not in body:
            return _error(400, "INVALID_PARAMETER", "name, desc and contents are required")
        op = self.fleet.start_backup(int(sid), body["name"], body["desc"], body["contents"])
        if op is None:
            return _busy()
        return json_response(self.fleet.op_info(op), 202)

    def _upload(self, request: SimRequest, sid: str) -> SimResponse:
        if self._server_record(sid) is None:
            return _error(404, "RESOURCE_NOT_FOUND", f"server {sid} not found")
        if not request.body:
            return _error(400, "INVALID_REQUEST", "the upload is empty")
        return json_response(self.fleet.upload(int(sid), request.body), 201)

    def _find_backup(self, sid: str, bid: str) -> dict[str, Any] | None:
        if self._server_record(sid) is None:
            return None
        return self.fleet.find_backup(int(sid), bid)

    def _get_backup(self, request: SimRequest, sid: str, bid: str) -> SimResponse:
        record = self._find_backup(sid, bid)
        if record is None:
            return _error(404, "RESOURCE_NOT_FOUND", f"backup {bid} not found")
        return json_response(record)

    def _delete_backup(self, request: SimRequest, sid: str, bid: str) -> SimResponse:
        record = self._find_backup(sid, bid)
        if record is None:
            return _error(404, "RESOURCE_NOT_FOUND", f"backup {bid} not found")
        self.fleet.delete_backup(int(sid), record)
        return SimResponse(status=204, content_type=None)

    def _download(self, request: SimRequest, sid: str, bid: str) -> SimResponse:
        record = self._find_backup(sid, bid)
        if record is None:
            return _error(404, "RESOURCE_NOT_FOUND", f"backup {bid} not found")
        if record["status"] != "completed":
            return _error(409, "BACKUP_NOT_READY", f"backup {bid} is {record['status']}")
        blob = self.state.files[bid]

        def chunks() -> Iterator[bytes]:
            for start in range(0, len(blob), 65_536):
                yield blob[start : start + 65_536]

        return bytes_response(
            chunks(),
            content_type="application/x-gzip",
            headers={"Content-Disposition": f'attachment; filename="{bid}.backup.tgz"'},
        )

    def _restore(self, request: SimRequest, sid: str, bid: str) -> SimResponse:
        record = self._find_backup(sid, bid)
        if record is None:
            return _error(404, "RESOURCE_NOT_FOUND", f"backup {bid} not found")
        if record["status"] != "completed":
            return _error(409, "BACKUP_NOT_READY", f"backup {bid} is {record['status']}")
        op = self.fleet.start_restore(int(sid), record)
        if op is None:
            return _busy()
        # the appliance reboots shortly after it accepted the restore
        self.clock.call_later(0.05, self.reboot)
        return json_response(self.fleet.op_info(op), 202)
