"""``NpmBackupClient``: the Backup and Restore v2.0 service of an appliance.

Authentication is a bearer token (see :mod:`npm_backup_sdk.tokens`), kept by the shared
credential store: one login however many threads share the client, renewal shortly before
the token expires, and one new login and replay when the appliance answers 401 with an
``AUTH_*`` error id. HTTP Basic is available with ``basic_auth=True``.
"""

from __future__ import annotations

import base64
import logging
import warnings
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import requests

from backup_sdk._compat import Self, Unpack
from backup_sdk.auth import AuthStrategy, Issued, Lease
from backup_sdk.client import BaseClient, ClientOptions, RawResponse, read_env
from backup_sdk.config import check_seconds
from backup_sdk.errors import (
    ConfigurationError,
    OperationTimeoutError,
    TransportError,
    ValidationError,
)
from backup_sdk.handlers import iter_content, parse_json
from backup_sdk.hooks import CallInfo
from backup_sdk.redaction import Secret, remember_secret
from backup_sdk.transport import Transport
from backup_sdk.uploads import Upload
from backup_sdk.validate import check_positive
from npm_backup_sdk.enums import OperationType
from npm_backup_sdk.errors import error_from_response
from npm_backup_sdk.operations import is_safe_to_repeat
from npm_backup_sdk.resources import (
    DEFAULT_PATHS,
    BackupsAPI,
    CompletedBackupsAPI,
    DeviceStatusAPI,
    ScheduledBackupsAPI,
    ServersAPI,
)
from npm_backup_sdk.tokens import TokenLogin

if TYPE_CHECKING:  # the models load on first use, not with the package
    from npm_backup_sdk.models import DeviceInfo, OperationInfo, Progress, ServiceVersions, Token

__all__ = ["API_ROOT", "NpmBackupClient"]

API_ROOT = "/api/npm.backup/2.0"
_AAA_VERSIONS = ("2.0", "1.0")
log = logging.getLogger("npm_backup_sdk")


class NpmBackupClient(BaseClient):
    """Client for ``/api/npm.backup/2.0`` on one appliance.

    Args:
        base_url: the appliance: a host name or address (the client talks HTTPS to it), or
            a full root such as ``https://10.0.0.5:8443`` (``http://`` only when you say
            so, e.g. for the bundled simulator).
        username: the account for a token (or for Basic with ``basic_auth``).
        password: its password.
        access_token: an existing access token instead of (or besides) credentials.
        refresh_token: an existing refresh token, used to get new access tokens.
        basic_auth: send HTTP Basic credentials on every call instead of a token.
        paths: overrides for endpoint paths, keyed as in ``resources.DEFAULT_PATHS``
            (several actions are inferred from the 1.0 service; see their docstrings).
        refresh_margin: seconds before a token expires at which it is renewed.

    ``**options`` are the transport settings of :class:`backup_sdk.client.ClientOptions`;
    ``verify`` there may be a CA bundle path for a self-signed appliance, and ``False``
    warns once (traffic can then be read and changed on the way). ``clock`` also drives
    :meth:`wait_for_operation`.

    Raises:
        ConfigurationError: no appliance, or no way to log in.
    """

    vendor = "npm_backup"
    package = "npm_backup_sdk"

    paths: dict[str, str]
    _username: str | None
    _password: Secret | None
    _basic: bool

    def __init__(
        self,
        base_url: str | None = None,
        *,
        username: str | None = None,
        password: str | None = None,
        access_token: str | None = None,
        refresh_token: str | None = None,
        basic_auth: bool = False,
        paths: Mapping[str, str] | None = None,
        refresh_margin: float = 60.0,
        host: str | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        if host is not None:
            warnings.warn(
                "NpmBackupClient(host=...) is deprecated: pass the host as the first argument",
                DeprecationWarning,
                stacklevel=2,
            )
            if base_url is not None:
                raise ConfigurationError("give the appliance as base_url or host, not both")
            base_url = host
        if not isinstance(base_url, str) or not base_url.strip():
            raise ConfigurationError(
                "give the appliance: NpmBackupClient('appliance.example', ...)"
            )
        root = base_url if base_url.startswith(("http://", "https://")) else f"https://{base_url}"
        if basic_auth and not (username and password):
            raise ConfigurationError("basic_auth needs username and password")
        if not (access_token or refresh_token or (username and password)):
            raise ConfigurationError(
                "no way to log in: give username and password, or an access/refresh token"
            )
        unknown = set(paths or {}) - set(DEFAULT_PATHS)
        if unknown:
            raise ConfigurationError(f"unknown path keys: {', '.join(sorted(unknown))}")
        margin = check_seconds("refresh_margin", refresh_margin, strict=False)
        options["headers"] = {"Accept": "application/json", **(options.get("headers") or {})}
        self._username = username
        self._password = Secret(password) if password else None
        self._basic = basic_auth
        self.paths = {**DEFAULT_PATHS, **(paths or {})}
        self._tokens = TokenLogin(
            self,
            username=username,
            password=self._password,
            refresh_token=Secret(refresh_token) if refresh_token else None,
            refresh_margin=margin,
        )
        super().__init__(root, **options)
        if access_token:
            remember_secret(access_token)
            self._credentials.seed(Issued(Secret(access_token)))

    def _auth_strategy(self, transport: Transport) -> AuthStrategy[Any] | None:
        return None if self._basic else self._tokens

    def _setup(self) -> None:
        self.backups = BackupsAPI(self)
        self.completed_backups = CompletedBackupsAPI(self)
        self.device_status = DeviceStatusAPI(self)
        self.scheduled_backups = ScheduledBackupsAPI(self)
        self.servers = ServersAPI(self)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **options: Any) -> Self:
        """Build from ``NPM_BACKUP_URL`` (a host or a URL), ``NPM_BACKUP_USERNAME``,
        ``NPM_BACKUP_PASSWORD`` and optionally ``NPM_BACKUP_CA_BUNDLE``
        (``NPM_BACKUP_HOST`` is still read, with a warning).

        Raises:
            ConfigurationError: a required variable is missing (all of them are named).
        """
        env = read_env(
            environ,
            "NPM_BACKUP",
            required=("URL", "USERNAME", "PASSWORD"),
            optional=("CA_BUNDLE",),
            renamed={"NPM_BACKUP_HOST": "URL"},
        )
        if "ca_bundle" in env:
            options.setdefault("verify", env["ca_bundle"])
        return cls(env["url"], username=env["username"], password=env["password"], **options)

    # -- discovery (no login needed) ------------------------------------------------------

    def info(self) -> DeviceInfo:
        """What the appliance is: name, model, software version (``common/1.0/info``)."""
        from npm_backup_sdk.models import DeviceInfo, converter

        data = self._send("GET", "/api/common/1.0/info", operation="common.info")
        return converter.structure(data, DeviceInfo)

    def ping(self) -> bool:
        """True when the appliance answers ``common/1.0/ping``.

        Raises:
            TransportError: it cannot be reached.
        """
        self._send("GET", "/api/common/1.0/ping", operation="common.ping")
        return True

    def services(self) -> list[ServiceVersions]:
        """Services and versions the appliance offers (``common/1.0/services``)."""
        from npm_backup_sdk.models import ServiceVersions, converter

        data = self._send("GET", "/api/common/1.0/services", operation="common.services")
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
        if self._basic:
            raise ConfigurationError("a client using HTTP Basic has no token to log in for")
        self._credentials.login()
        token = self._tokens.last_token
        assert token is not None
        return token

    def _authorization(self, credential: Secret | None) -> str:
        if credential is None:
            assert self._username is not None
            assert self._password is not None
            pair = f"{self._username}:{self._password.get_secret_value()}".encode()
            return "Basic " + base64.b64encode(pair).decode("ascii")
        return f"Bearer {credential.get_secret_value()}"

    # -- HTTP ------------------------------------------------------------------------------

    def _send(
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
    ) -> Any:
        """One request without credentials; decoded JSON (None for an empty body) or, with
        ``stream=True``, an iterator over the body's chunks."""
        return self._transport.request(
            method,
            path,
            operation=operation,
            idempotent=is_safe_to_repeat(operation),
            json=json,
            data=data,
            params=params,
            headers=headers,
            stream=stream,
            handler=_stream_handler if stream else _json_handler,
        )

    def _request(
        self,
        method: str,
        path: str,
        *,
        operation: str,
        json: Any = None,
        data: Any = None,
        upload: Upload | None = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        stream: bool = False,
    ) -> Any:
        """One authenticated call (logging in as needed; after a refused token, one new
        login and one replay)."""

        def send(lease: Lease[Any]) -> Any:
            call_headers = {**(headers or {}), "Authorization": self._authorization(lease.value)}
            if upload is None:
                return self._send(
                    method,
                    path,
                    operation=operation,
                    json=json,
                    data=data,
                    params=params,
                    headers=call_headers,
                    stream=stream,
                )
            with upload.open() as body:
                return self._send(
                    method,
                    path,
                    operation=operation,
                    data=body,
                    params=params,
                    headers=call_headers,
                )

        return self._credentials.call(send)

    def call_raw(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
    ) -> RawResponse[Any]:
        """Any call under ``/api/npm.backup/2.0`` (``path`` relative to it): the HTTP
        response and the decoded JSON (None for an empty body), errors raised as usual.
        Only ``GET`` is retried after a timeout."""
        operation = f"raw {method.upper()} {path}"

        def send(lease: Lease[Any]) -> RawResponse[Any]:
            return self._transport.request(
                method,
                API_ROOT + "/" + path.lstrip("/"),
                operation=operation,
                idempotent=method.upper() == "GET",
                json=json,
                params=params,
                headers={"Authorization": self._authorization(lease.value)},
                handler=_raw_handler,
            )

        return self._credentials.call(send)

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
        poll = check_positive("poll_interval", poll_interval, maximum=3600.0)
        limit = check_positive("timeout", timeout, maximum=30 * 86_400.0)
        try:
            kind = OperationType(
                operation.operation_type if operation is not None else operation_type or "backup"
            )
        except ValueError:
            raise ValidationError(
                f"operation_type must be backup, restore or reset-factory, not {operation_type!r}",
                parameter="operation_type",
            ) from None
        since = operation.start_time if operation is not None else None
        clock = self._transport.clock
        started = clock()
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
            waited = clock() - started
            if waited >= limit:
                raise OperationTimeoutError(
                    f"the {kind.value} operation did not finish within {limit:g} s",
                    vendor=self.package,
                    operation=kind.value,
                    waited=waited,
                )
            sleep(poll)


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


def _raw_handler(response: requests.Response, call: CallInfo) -> RawResponse[Any]:
    return RawResponse(response=response, data=_json_handler(response, call))


def _stream_handler(response: requests.Response, call: CallInfo) -> Iterator[bytes]:
    if response.status_code >= 400:
        try:
            raise error_from_response(response, call)
        finally:
            response.close()
    return iter_content(response, call)
