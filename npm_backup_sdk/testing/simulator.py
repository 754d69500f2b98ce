"""A local Backup and Restore v2.0 appliance: a real HTTP server on 127.0.0.1.

It speaks the family's wire format (JSON bodies, ``{"error_id", "error_text"}`` errors,
``mgmt.aaa`` bearer tokens, ``common/1.0`` discovery) and keeps state: backup servers,
schedules, stored backups with their files, and operations that move from ``started`` to
``completed``/``failed`` as the simulator clock advances. A restore reboots the appliance:
it refuses connections for ``reboot_seconds`` (simulator clock) and forgets every token.

Where the reference is loose, the simulator is too, so the client must cope: timestamps
come as integers or as decimal strings, empty collections omit ``items``, and a server
created without a key returns its generated private key once.
"""

from __future__ import annotations

import base64
import hashlib
import random
import uuid
from collections.abc import Iterator
from typing import Any

import attrs
from typing_extensions import Unpack

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

__all__ = ["NpmBackupSimulator", "NpmState"]

ROOT = "/api/npm.backup/2.0"
_STEPS = 10
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


@attrs.define
class _Operation:
    op_id: str
    kind: str  # backup | restore | reset-factory
    started: float
    duration: float
    outcome: str  # completed | failed
    extra: dict[str, Any]
    finished: bool = False


@attrs.define
class NpmState:
    """Everything the simulated appliance stores (inspect it in tests)."""

    servers: dict[int, dict[str, Any]] = attrs.field(factory=dict)
    schedules: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    backups: dict[int, list[dict[str, Any]]] = attrs.field(factory=dict)
    files: dict[str, bytes] = attrs.field(factory=dict)
    operations: list[_Operation] = attrs.field(factory=list)
    tokens: dict[str, float] = attrs.field(factory=dict)
    refresh_tokens: set[str] = attrs.field(factory=set)
    latest: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    next_server_id: int = 1
    token_requests: int = 0
    tokens_issued: int = 0
    scheduled_until: float = 0.0
    visible_at: dict[str, float] = attrs.field(factory=dict)


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
        self.backup_duration = backup_duration
        self.restore_duration = restore_duration
        self.reboot_seconds = reboot_seconds
        self.legacy_auth_only = legacy_auth_only
        self.allow_basic = allow_basic
        self.file_size = file_size
        #: outcome of the next operations started ("completed" or "failed"), consumed in order
        self.next_outcomes: list[str] = []
        self.system_id = f"SIM-{seed:04d}-NPM"
        self.sw_version = "11.14.0"
        self._rng = random.Random(seed)
        self.state = NpmState()
        self._router = Router(
            not_found=lambda r: _error(404, "RESOURCE_NOT_FOUND", f"{r.path} not found"),
            not_allowed=lambda r: _error(405, "METHOD_NOT_ALLOWED", f"{r.method} not allowed"),
        )
        self._routes()
        self._seed(servers, backups_per_server)
        self.state.scheduled_until = self.clock.time()

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

    # -- seeding -----------------------------------------------------------------------------

    def _uuid(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def _blob(self, backup_id: str, size: int) -> bytes:
        seed = hashlib.sha256(backup_id.encode()).digest()
        return (seed * (size // len(seed) + 1))[:size]

    def _seed(self, servers: int, per_server: int) -> None:
        now = self.clock.now()
        for n in range(servers):
            server_id = self._add_server(
                {
                    "name": f"filer-{n + 1:02d}",
                    "desc": f"Backup filer {n + 1}",
                    "host": f"filer{n + 1}.backup.example",
                    "port": 22,
                    "path": f"/srv/backups/appliance{n + 1}",
                    "user": "backup",
                }
            )
            # newest backup 2 h, 20 h or 3 days old; the middle server's newest one failed
            newest_age = (2, 20, 75)[n % 3] * 3_600
            for k in range(per_server):
                created = now - newest_age - (per_server - 1 - k) * 86_400
                failed = n % 3 == 1 and k == per_server - 1
                self._add_completed(
                    server_id,
                    f"nightly-{k + 1}",
                    "Nightly backup",
                    created,
                    "failed" if failed else "completed",
                    sid=None,
                )
        schedule_id = self._uuid()
        self.state.schedules[schedule_id] = {
            "id": schedule_id,
            "name": "nightly",
            "desc": "Every night at 02:30",
            "active": True,
            "retry_attempts": 2,
            "retry_delay": 15,
            "retention": 7,
            "server_id": 1,
            "contents": {"config_only": False, "modules": [{"module": "config", "options": []}]},
            "rrule": {
                "freq": "DAILY",
                "byhour": [2],
                "byminute": [30],
                "dtstart": now - 604_800,
                "timezone": "Etc/Universal",
            },
            # the reference calls these "timestamps" without a unit: sent as decimal strings
            "last_backup": f"{now - 36_000}.250000",
            "next_backup": f"{now + 50_400}.000000",
        }

    def _add_server(self, data: dict[str, Any]) -> int:
        server_id = self.state.next_server_id
        self.state.next_server_id += 1
        key_seed = hashlib.sha256(f"{server_id}{data.get('host')}".encode()).digest()
        public = "ssh-rsa " + base64.b64encode(key_seed * 4).decode() + " appliance"
        record = {**data, "id": server_id, "public_key": public}
        record.pop("new_private_key", None)
        self.state.servers[server_id] = record
        self.state.backups[server_id] = []
        return server_id

    def _add_completed(
        self,
        server_id: int,
        name: str,
        desc: str,
        created: int,
        status: str,
        sid: str | None,
        blob: bytes | None = None,
    ) -> dict[str, Any]:
        backup_id = self._uuid()
        data = blob if blob is not None else self._blob(backup_id, self.file_size)
        record: dict[str, Any] = {
            "id": backup_id,
            "name": name,
            "desc": desc,
            "server_id": server_id,
            "status": status,
            "hostname": "appliance.example",
            "sw_version": self.sw_version,
            "model": "SIM-8180",
            "serial": "SIM0000001",
            "created_on": created,
            "contents": {"config_only": False, "modules": [{"module": "config", "options": []}]},
            "size": len(data) if status == "completed" else 0,
        }
        if sid:
            record["sid"] = sid
        self.state.backups[server_id].append(record)
        self.state.files[backup_id] = data
        return record

    # -- routing -----------------------------------------------------------------------------

    def _routes(self) -> None:
        r = self._router
        r.add("POST", "/api/mgmt.aaa/{version}/token", self._token)
        r.add("GET", "/api/common/1.0/info", self._info)
        r.add("GET", "/api/common/1.0/ping", lambda req: json_response({}))
        r.add("GET", "/api/common/1.0/services", self._services)
        authed = {
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
            self._advance()
            return self._router.dispatch(request)

    def _authenticated(self, handler: Any) -> Any:
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
            return handler(request, **params)  # type: ignore[no-any-return]

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
            refresh = self._uuid() if body.get("generate_refresh_token") else None
        self.state.tokens_issued += 1
        access = "tok-" + self._uuid().replace("-", "")
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

    def _running(self) -> _Operation | None:
        for op in self.state.operations:
            if not op.finished:
                return op
        return None

    def _advance(self) -> None:
        """Run due scheduled backups and finish operations whose time has come (called on
        every request)."""
        now = self.clock.time()
        self._run_schedules(now)
        for op in self.state.operations:
            if op.finished or now < op.started + op.duration:
                continue
            op.finished = True
            info = self._op_info(op)
            self.state.latest[op.kind] = info
            if op.kind == "backup":
                self.state.visible_at.setdefault(op.extra["backup_id"], op.started + op.duration)
                for record in self.state.backups.get(op.extra["server_id"], []):
                    if record["id"] == op.extra["backup_id"]:
                        record["status"] = op.outcome
                        if op.outcome == "completed":
                            record["size"] = len(self.state.files[record["id"]])

    def _run_schedules(self, now: float) -> None:
        """Start the backups that active daily schedules called for since the last check
        (one missed because another operation was running is skipped, as a device would)."""
        since = self.state.scheduled_until
        self.state.scheduled_until = now
        for schedule in list(self.state.schedules.values()):
            rule = schedule.get("rrule") or {}
            server_id = schedule.get("server_id")
            if not schedule.get("active") or rule.get("freq") != "DAILY":
                continue
            if server_id not in self.state.servers:
                continue
            hours = rule.get("byhour") or [0]
            minutes = rule.get("byminute") or [0]
            day = int(since // 86_400) * 86_400
            while day <= now:
                for hour in hours:
                    for minute in minutes:
                        at = day + int(hour) * 3_600 + int(minute) * 60
                        if since < at <= now and self._running_at(at) is None:
                            self._scheduled_backup(schedule, int(server_id), at)
                day += 86_400

    def _running_at(self, at: float) -> _Operation | None:
        for op in self.state.operations:
            if op.started <= at < op.started + op.duration:
                return op
        return None

    def _scheduled_backup(self, schedule: dict[str, Any], server_id: int, at: float) -> None:
        rng = random.Random(f"{schedule['id']}:{int(at)}")
        outcome = "failed" if rng.random() < 0.1 else "completed"
        record = self._add_completed(
            server_id,
            str(schedule["name"]),
            str(schedule.get("desc", "")),
            int(at),
            "started",
            sid=str(schedule["id"]),
        )
        server = self.state.servers[server_id]
        op = _Operation(
            self._uuid(),
            "backup",
            at,
            self.backup_duration,
            outcome,
            {
                "server_id": server_id,
                "backup_id": record["id"],
                "info": {
                    "backup_id": record["id"],
                    "name": record["name"],
                    "server_name": server["name"],
                    "sbu_id": schedule["id"],
                },
            },
        )
        self.state.operations.append(op)
        self.state.visible_at[record["id"]] = at + self.backup_duration
        schedule["last_backup"] = f"{int(at)}.000000"

    def truth_runs(self) -> list[dict[str, Any]]:
        """Every stored backup that has finished, as a :class:`~backup_sdk.runs.BackupRun`
        record with ``visible_at`` (when the appliance first showed its final status)."""
        from npm_backup_sdk.models import CompletedBackup, Server, converter
        from npm_backup_sdk.runs import to_backup_run

        with self.lock:
            self._advance()
            runs = []
            for server_id, records in self.state.backups.items():
                server = converter.structure(self.state.servers[server_id], Server)
                for record in records:
                    if record["status"] == "started":
                        continue
                    run = to_backup_run(converter.structure(record, CompletedBackup), server)
                    out = run.to_record()
                    out["visible_at"] = self.state.visible_at.get(
                        record["id"], record["created_on"]
                    )
                    runs.append(out)
        return runs

    def _op_info(self, op: _Operation) -> dict[str, Any]:
        status = op.outcome if op.finished else "started"
        message = {
            "started": "in progress",
            "completed": "finished successfully",
            "failed": "could not write to the backup server",
        }[status]
        info: dict[str, Any] = {
            "operation_type": op.kind,
            "start_time": int(op.started),
            "status": status,
            "status_message": message,
        }
        info.update(op.extra.get("info", {}))
        return info

    def _begin(self, kind: str, duration: float, extra: dict[str, Any]) -> _Operation | SimResponse:
        if self._running() is not None:
            return _error(409, "OPERATION_IN_PROGRESS", "another operation is running")
        outcome = self.next_outcomes.pop(0) if self.next_outcomes else "completed"
        op = _Operation(self._uuid(), kind, self.clock.time(), duration, outcome, extra)
        self.state.operations.append(op)
        return op

    def _device_status(self, request: SimRequest) -> SimResponse:
        body: dict[str, Any] = {
            "system_id": self.system_id,
            "available_backup_modules": _MODULES,
            "available_restore_modules": _MODULES[:2],
        }
        op = self._running()
        if op is not None:
            elapsed = self.clock.time() - op.started
            done = min(_STEPS - 1, int(elapsed / op.duration * _STEPS)) if op.duration else 0
            current: dict[str, Any] = {
                "info": self._op_info(op),
                "progress": {
                    "completed": done,
                    "total": _STEPS,
                    "status_message": f"step {done + 1} of {_STEPS}",
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
            return self.state.servers.get(int(sid))
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
        generated = "new_private_key" not in body
        server_id = self._add_server(body)
        reply = dict(self.state.servers[server_id])
        if generated:  # the device returns the key it generated, once
            reply["new_private_key"] = (
                "-----BEGIN RSA PRIVATE KEY-----\n"
                + base64.b64encode(hashlib.sha512(str(server_id).encode()).digest()).decode()
                + "\n-----END RSA PRIVATE KEY-----"
            )
        return json_response(reply, 201)

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
        body.pop("new_private_key", None)
        server.update({k: v for k, v in body.items() if k not in ("id", "public_key")})
        return json_response(server)

    def _delete_server(self, request: SimRequest, sid: str) -> SimResponse:
        if self._server_record(sid) is None:
            return _error(404, "RESOURCE_NOT_FOUND", f"server {sid} not found")
        del self.state.servers[int(sid)]
        self.state.backups.pop(int(sid), None)
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
        schedule_id = self._uuid()
        body.update({"id": schedule_id, "next_backup": f"{self.clock.now() + 3_600}.000000"})
        self.state.schedules[schedule_id] = body
        return json_response(body, 201)

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
        found.update(
            {k: v for k, v in body.items() if k not in ("id", "last_backup", "next_backup")}
        )
        return json_response(found)

    def _delete_schedule(self, request: SimRequest, sid: str) -> SimResponse:
        if self.state.schedules.pop(sid, None) is None:
            return _error(404, "RESOURCE_NOT_FOUND", f"scheduled backup {sid} not found")
        return SimResponse(status=204, content_type=None)

    # -- backups -----------------------------------------------------------------------------

    def _list_backups(self, request: SimRequest, sid: str) -> SimResponse:
        if self._server_record(sid) is None:
            return _error(404, "RESOURCE_NOT_FOUND", f"server {sid} not found")
        return json_response({"server_id": int(sid), "completed": self.state.backups[int(sid)]})

    def _start_backup(self, request: SimRequest, sid: str) -> SimResponse:
        server = self._server_record(sid)
        if server is None:
            return _error(404, "RESOURCE_NOT_FOUND", f"server {sid} not found")
        try:
            body = request.json()
        except ValueError:
            return _error(400, "INVALID_REQUEST", "body is not JSON")
        if not body.get("name") or "contents" not in body or "desc" not in body:
            return _error(400, "INVALID_PARAMETER", "name, desc and contents are required")
        record = self._add_completed(
            int(sid), body["name"], body["desc"], self.clock.now(), "started", sid=None
        )
        op = self._begin(
            "backup",
            self.backup_duration,
            {
                "server_id": int(sid),
                "backup_id": record["id"],
                "contents": body["contents"],
                "info": {
                    "backup_id": record["id"],
                    "name": body["name"],
                    "server_name": server["name"],
                },
            },
        )
        if isinstance(op, SimResponse):
            self.state.backups[int(sid)].remove(record)
            return op
        return json_response(self._op_info(op), 202)

    def _upload(self, request: SimRequest, sid: str) -> SimResponse:
        if self._server_record(sid) is None:
            return _error(404, "RESOURCE_NOT_FOUND", f"server {sid} not found")
        if not request.body:
            return _error(400, "INVALID_REQUEST", "the upload is empty")
        record = self._add_completed(
            int(sid),
            "uploaded",
            "Uploaded backup",
            self.clock.now(),
            "completed",
            sid=None,
            blob=request.body,
        )
        return json_response(record, 201)

    def _find_backup(self, sid: str, bid: str) -> dict[str, Any] | None:
        if self._server_record(sid) is None:
            return None
        for record in self.state.backups[int(sid)]:
            if record["id"] == bid:
                return record
        return None

    def _get_backup(self, request: SimRequest, sid: str, bid: str) -> SimResponse:
        record = self._find_backup(sid, bid)
        if record is None:
            return _error(404, "RESOURCE_NOT_FOUND", f"backup {bid} not found")
        return json_response(record)

    def _delete_backup(self, request: SimRequest, sid: str, bid: str) -> SimResponse:
        record = self._find_backup(sid, bid)
        if record is None:
            return _error(404, "RESOURCE_NOT_FOUND", f"backup {bid} not found")
        self.state.backups[int(sid)].remove(record)
        self.state.files.pop(bid, None)
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
        server = self.state.servers[int(sid)]
        op = self._begin(
            "restore",
            self.restore_duration,
            {"size": record["size"], "info": {"backup_id": bid, "server_name": server["name"]}},
        )
        if isinstance(op, SimResponse):
            return op
        # the appliance reboots shortly after accepting the restore
        self.clock.call_later(0.05, self.reboot)
        return json_response(self._op_info(op), 202)
