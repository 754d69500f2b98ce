"""``NpmBackupClient``: the Backup and Restore v2.0 service of an appliance.

Authentication is a bearer token from ``POST /api/mgmt.aaa/2.0/token`` (falling back to
``1.0`` on older appliances), refreshed shortly before ``expires_at`` and once, transparently,
when the appliance answers 401 with an ``AUTH_*`` error id. HTTP Basic is available with
``basic_auth=True``.
"""

from __future__ import annotations

import base64
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import requests
from typing_extensions import Unpack

from backup_sdk.client import BaseClient, ClientOptions
from backup_sdk.errors import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    NotFoundError,
    OperationTimeoutError,
    TransportError,
)
from backup_sdk.redaction import Secret, remember_secret
from backup_sdk.transport import (
    CallInfo,
    iter_content,
    parse_json,
)
from npm_backup_sdk.enums import OperationType
from npm_backup_sdk.errors import error_from_response, is_auth_expiry
from npm_backup_sdk.models import (
    DeviceInfo,
    OperationInfo,
    Progress,
    ServiceVersions,
    Token,
    converter,
)
from npm_backup_sdk.resources import (
    DEFAULT_PATHS,
    BackupsAPI,
    CompletedBackupsAPI,
    DeviceStatusAPI,
    ScheduledBackupsAPI,
    ServersAPI,
)

__all__ = ["API_ROOT", "NpmBackupClient"]

API_ROOT = "/api/npm.backup/2.0"
_AAA_VERSIONS = ("2.0", "1.0")
log = logging.getLogger("npm_backup_sdk")


class _TokenState:
    """Access/refresh token and expiry, shared by copies of a client; guarded by a lock."""

    def __init__(self, access: str | None, refresh: str | None) -> None:
        self.lock = threading.RLock()
        self.access = Secret(access) if access else None
        self.refresh = Secret(refresh) if refresh else None
        self.renew_at: float | None = None  # time.monotonic() deadline
        self.aaa_version: str | None = None


class NpmBackupClient(BaseClient):
    """Client for ``/api/npm.backup/2.0`` on one appliance.

    Args:
        host: the appliance name or address; the client talks HTTPS to it.
        base_url: instead of ``host``, a full root such as ``https://10.0.0.5:8443``
            (``http://`` only when you say so, e.g. for the bundled simulator).
        username: the account for a token (or for Basic with ``basic_auth``).
        password: its password.
        access_token: an existing access token instead of (or besides) credentials.
        refresh_token: an existing refresh token, used to get new access tokens.
        basic_auth: send HTTP Basic credentials on every call instead of a token.
        paths: overrides for endpoint paths, keyed as in ``resources.DEFAULT_PATHS``
            (several actions are inferred from the 1.0 service; see their docstrings).
        refresh_margin: seconds before ``expires_at`` at which the token is renewed.
        clock: a monotonic clock for :meth:`wait_for_operation` (tests pass a fake).

    ``**options`` are the transport settings of :class:`backup_sdk.client.ClientOptions`;
    ``verify`` there may be a CA bundle path for a self-signed appliance, and ``False``
    warns once (traffic can then be read and changed on the way).

    Raises:
        ConfigurationError: neither or both of ``host``/``base_url``, or no way to log in.
    """

    package = "npm_backup_sdk"

    def __init__(
        self,
        host: str | None = None,
        *,
        base_url: str | None = None,
        username: str | None = None,
        password: str | None = None,
        access_token: str | None = None,
        refresh_token: str | None = None,
        basic_auth: bool = False,
        paths: Mapping[str, str] | None = None,
        refresh_margin: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        **options: Unpack[ClientOptions],
    ) -> None:
        if (host is None) == (base_url is None):
            raise ConfigurationError("give the appliance as host=... or base_url=..., not both")
        root = base_url if base_url is not None else f"https://{host}"
        if basic_auth and not (username and password):
            raise ConfigurationError("basic_auth needs username and password")
        if not (access_token or refresh_token or (username and password)):
            raise ConfigurationError(
                "no way to log in: give username and password, or an access/refresh token"
            )
        unknown = set(paths or {}) - set(DEFAULT_PATHS)
        if unknown:
            raise ConfigurationError(f"unknown path keys: {', '.join(sorted(unknown))}")
        options["headers"] = {"Accept": "application/json", **(options.get("headers") or {})}
        super().__init__(base_url=root, **options)
        self._username = username
        self._password = Secret(password) if password else None
        self._basic = basic_auth
        self._tokens = _TokenState(access_token, refresh_token)
        self._refresh_margin = refresh_margin
        self._clock = clock
        self.paths: dict[str, str] = {**DEFAULT_PATHS, **(paths or {})}
        self.backups = BackupsAPI(self)
        self.completed_backups = CompletedBackupsAPI(self)
        self.device_status = DeviceStatusAPI(self)
        self.scheduled_backups = ScheduledBackupsAPI(self)
        self.servers = ServersAPI(self)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **kwargs: Any) -> NpmBackupClient:
        """Build from ``NPM_BACKUP_HOST`` (or ``NPM_BACKUP_URL``), ``NPM_BACKUP_USERNAME``,
        ``NPM_BACKUP_PASSWORD`` and optionally ``NPM_BACKUP_CA_BUNDLE``.

        Raises:
            ConfigurationError: a required variable is missing.
        """
        env = os.environ if environ is None else environ
        host, url = env.get("NPM_BACKUP_HOST"), env.get("NPM_BACKUP_URL")
        if not (host or url):
            raise ConfigurationError("set NPM_BACKUP_HOST (or NPM_BACKUP_URL)")
        missing = [k for k in ("NPM_BACKUP_USERNAME", "NPM_BACKUP_PASSWORD") if not env.get(k)]
        if missing:
            raise ConfigurationError(f"set {' and '.join(missing)}")
        if env.get("NPM_BACKUP_CA_BUNDLE"):
            kwargs.setdefault("verify", env["NPM_BACKUP_CA_BUNDLE"])
        return cls(
            None if url else host,
            base_url=url or None,
            username=env["NPM_BACKUP_USERNAME"],
            password=env["NPM_BACKUP_PASSWORD"],
            **kwargs,
        )

    # -- discovery (no login needed) ------------------------------------------------------

    def info(self) -> DeviceInfo:
        """What the appliance is: name, model, software version (``common/1.0/info``)."""
        data = self._request("GET", "/api/common/1.0/info", operation="common.info", auth=False)
        return converter.structure(data, DeviceInfo)

    def ping(self) -> bool:
        """True when the appliance answers ``common/1.0/ping``.

        Raises:
            TransportError: it cannot be reached.
        """
        self._request("GET", "/api/common/1.0/ping", operation="common.ping", auth=False)
        return True

    def services(self) -> list[ServiceVersions]:
        """Services and versions the appliance offers (``common/1.0/services``)."""
        data = self._request(
            "GET", "/api/common/1.0/services", operation="common.services", auth=False
        )
        return converter.structure_list(data, ServiceVersions)

    def supports_backup_v2(self) -> bool:
        """True if ``npm.backup`` 2.0 is among the offered services."""
        return any(s.id == "npm.backup" and s.offers("2.0") for s in self.services())

    # -- auth ----------------------------------------------------------------------------

    def login(self) -> Token:
        """Get a fresh access token now (normally automatic).

        Raises:
            AuthenticationError: credentials refused.
        """
        with self._tokens.lock:
            if self._username and self._password:
                body: dict[str, Any] = {
                    "user_credentials": {
                        "username": self._username,
                        "password": self._password.get_secret_value(),
                    },
                    "generate_refresh_token": True,
                }
            elif self._tokens.refresh is not None:
                body = {
                    "refresh_token": self._tokens.refresh.get_secret_value(),
                    "generate_refresh_token": False,
                }
            else:
                raise AuthenticationError(
                    "the access token expired and there is no refresh token or password",
                    vendor=self.package,
                    operation="mgmt.aaa.token",
                )
            return self._issue_token(body)

    def _refresh(self) -> Token:
        with self._tokens.lock:
            if self._tokens.refresh is None:
                return self.login()
            body = {
                "refresh_token": self._tokens.refresh.get_secret_value(),
                "generate_refresh_token": False,
            }
            try:
                return self._issue_token(body)
            except AuthenticationError:
                if not (self._username and self._password):
                    raise
                self._tokens.refresh = None
                return self.login()

    def _issue_token(self, body: dict[str, Any]) -> Token:
        versions = (self._tokens.aaa_version,) if self._tokens.aaa_version else _AAA_VERSIONS
        last_error: APIError | None = None
        for version in versions:
            try:
                data = self._request(
                    "POST",
                    f"/api/mgmt.aaa/{version}/token",
                    operation="mgmt.aaa.token",
                    json=body,
                    auth=False,
                )
            except NotFoundError as exc:  # an older appliance: try the next version
                last_error = exc
                continue
            token = converter.structure(data, Token)
            remember_secret(token.access_token)
            remember_secret(token.refresh_token)
            self._tokens.aaa_version = version
            self._tokens.access = Secret(token.access_token)
            if token.refresh_token:
                self._tokens.refresh = Secret(token.refresh_token)
            self._tokens.renew_at = self._renewal_deadline(token)
            log.debug("token issued by mgmt.aaa %s, expires %s", version, token.expires_at)
            return token
        assert last_error is not None
        raise last_error

    def _renewal_deadline(self, token: Token) -> float | None:
        """When (``time.monotonic()``) to renew ``token``; None to renew only when refused.

        The lifetime is measured once, on arrival, against our clock; from then on the
        deadline is on the monotonic clock, so a wall-clock jump never renews every call. A
        token that looks expired on arrival means the two clocks disagree: it is used until
        the appliance refuses it.
        """
        if token.expires_at is None:
            return None
        remaining = token.expires_at.timestamp() - time.time()
        if remaining <= 0:
            log.warning(
                "the appliance's token expiry %s is already past by our clock: the clocks "
                "disagree; the token is renewed when the appliance refuses it",
                token.expires_at,
            )
            return None
        return time.monotonic() + remaining - self._refresh_margin

    def _authorization(self) -> str:
        if self._basic and self._username and self._password:
            pair = f"{self._username}:{self._password.get_secret_value()}".encode()
            return "Basic " + base64.b64encode(pair).decode("ascii")
        with self._tokens.lock:
            renew_at = self._tokens.renew_at
            if self._tokens.access is None:
                self.login()
            elif renew_at is not None and time.monotonic() >= renew_at:
                self._refresh()
            assert self._tokens.access is not None
            return f"Bearer {self._tokens.access.get_secret_value()}"

    def _invalidate(self, used: str) -> None:
        with self._tokens.lock:
            current = self._tokens.access
            if current is not None and f"Bearer {current.get_secret_value()}" == used:
                self._tokens.access = None

    # -- HTTP ------------------------------------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        *,
        operation: str,
        json: Any = None,
        data: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        stream: bool = False,
        auth: bool = True,
    ) -> Any:
        """Send one call; returns decoded JSON (None for an empty body) or, with
        ``stream=True``, an iterator over the body's chunks (the connection is released
        when it is exhausted or closed)."""
        idempotent = method in ("GET", "HEAD", "PUT", "DELETE")
        for attempt in (1, 2):
            call_headers = dict(headers or {})
            if auth:
                call_headers["Authorization"] = self._authorization()
            try:
                return self._transport.request(
                    method,
                    path,
                    operation=operation,
                    idempotent=idempotent,
                    json=json,
                    data=data,
                    params=params,
                    headers=call_headers,
                    stream=stream,
                    handler=_stream_handler if stream else _json_handler,
                )
            except AuthenticationError as exc:
                if not auth or attempt == 2 or self._basic or not is_auth_expiry(exc):
                    raise
                log.info("%s: token no longer valid (%s); logging in again", operation, exc.code)
                self._invalidate(call_headers["Authorization"])
        raise AssertionError("unreachable")  # pragma: no cover

    def _path(self, key: str, **values: Any) -> str:
        return API_ROOT + self.paths[key].format(**values)

    # -- long-running operations -----------------------------------------------------------

    def wait_for_operation(
        self,
        operation: OperationInfo | None = None,
        *,
        operation_type: OperationType | str | None = None,
        poll_interval: float = 2.0,
        timeout: float = 3600.0,
        on_progress: Callable[[Progress, OperationInfo], None] | None = None,
    ) -> OperationInfo:
        """Poll ``device_status`` until an operation ends; return its final ``OperationInfo``.

        Give the ``operation`` returned by ``backups.start`` or ``completed_backups.restore``
        (or just an ``operation_type``). ``on_progress(progress, info)`` is called on every
        poll while it runs. A restore reboots the appliance: while it cannot be reached the
        poll keeps trying, and after it is back the client logs in again by itself.

        Raises:
            OperationTimeoutError: not finished within ``timeout`` seconds.
        """
        kind = OperationType(
            operation.operation_type if operation is not None else operation_type or "backup"
        )
        since = operation.start_time if operation is not None else None
        started = self._clock()
        sleep = self._transport.sleep
        while True:
            try:
                status = self.device_status.get()
            except TransportError as exc:
                log.info("appliance unreachable while waiting (%s); retrying", exc)
            else:
                finished = _finished(status.current_operation, status, kind, since)
                if finished is not None:
                    return finished
                current = status.current_operation
                if current is not None and on_progress is not None:
                    on_progress(current.progress, current.info)
            waited = self._clock() - started
            if waited >= timeout:
                raise OperationTimeoutError(
                    f"the {kind.value} operation did not finish within {timeout:g} s",
                    vendor=self.package,
                    operation=kind.value,
                    waited=waited,
                )
            sleep(poll_interval)


def _finished(current: Any, status: Any, kind: OperationType, since: Any) -> OperationInfo | None:
    """The operation's final info if it has ended, else None (still running or not seen)."""
    if current is not None and current.info.operation_type == kind:
        return current.info if current.info.status.is_terminal else None
    latest: OperationInfo | None = (
        status.latest_backup if kind is OperationType.BACKUP else status.latest_restore
    )
    if latest is None or latest.operation_type != kind or not latest.status.is_terminal:
        return None
    if since is not None and latest.start_time is not None and latest.start_time < since:
        return None  # an older operation's result
    return latest


def _json_handler(response: requests.Response, call: CallInfo) -> Any:
    if response.status_code >= 400:
        raise error_from_response(response, call)
    if response.status_code == 204 or not response.content:
        return None
    return parse_json(response, call)


def _stream_handler(response: requests.Response, call: CallInfo) -> Iterator[bytes]:
    if response.status_code >= 400:
        try:
            raise error_from_response(response, call)
        finally:
            response.close()
    return iter_content(response, call)
