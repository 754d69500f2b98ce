"""What the admin and the user-web client share: encoding, sending, decoding, versions.

Every call is ``POST /api/v1/...`` with a form body (strings raw, ints in decimal, JSON
values as compact JSON, optional parameters left out) carrying the credentials; the one
public ``GET`` (``BrandingProps``) carries none. Answers are decoded by the operation's
generated ``result_type``; Comet's in-body errors become the shared error hierarchy.

Version check: a call whose method, or a parameter it is given, is newer than the 20.9.12
baseline is checked against the server's version before it is sent (see
:mod:`comet_sdk.versions`), and fails with :class:`~comet_sdk.errors.ServerVersionError`
when the server is older. The version is learned once per client (copies share it).
"""

from __future__ import annotations

import functools
import json
import threading
import typing
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import requests

from backup_sdk._compat import Unpack
from backup_sdk.auth import Lease
from backup_sdk.client import BaseClient, ClientOptions, RawResponse
from backup_sdk.errors import AuthenticationError, ResponseDecodeError, ValidationError
from backup_sdk.handlers import iter_content, parse_json, raise_for_http_status
from backup_sdk.hooks import CallInfo
from backup_sdk.jsonutil import JSONError, loads
from backup_sdk.redaction import Secret
from backup_sdk.uploads import Upload
from comet_sdk import models as _models
from comet_sdk._generated import models as generated_models
from comet_sdk._generated.operations import OPERATIONS
from comet_sdk._operation import Operation
from comet_sdk.errors import ServerVersionError, error_from_message, is_error_body
from comet_sdk.session import SessionLogin
from comet_sdk.versions import checked_items, too_new

__all__ = ["CometClientBase"]


def _form_value(name: str, value: Any, as_json: bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValidationError(f"{name}: give an aware datetime", parameter=name)
        return str(int(value.timestamp()))
    if as_json or isinstance(value, list | dict) or hasattr(type(value), "__attrs_attrs__"):
        return json.dumps(_models.converter.unstructure(value), separators=(",", ":"))
    if isinstance(value, int | str):
        return str(value)
    raise ValidationError(
        f"{name}: cannot send a {type(value).__name__} as a form value", parameter=name
    )


class _ServerVersion:
    """The server's version as one client (and its copies) learned it."""

    def __init__(self, version: str | None, check: bool) -> None:
        self.version = version
        self.check = check
        self.known = version is not None
        self.lock = threading.Lock()


class CometClientBase(BaseClient):
    """The shared part of :class:`~comet_sdk.CometAdminClient` and
    :class:`~comet_sdk.CometUserClient` (not used on its own)."""

    vendor = "comet"
    package = "comet_sdk"

    #: header prefix for the credentials of a multipart upload.
    _header_prefix = "X-Comet-Admin-"

    _server: _ServerVersion

    def __init__(
        self,
        base_url: str,
        *,
        check_version: bool = True,
        server_version: str | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        self._server = _ServerVersion(server_version, check_version)
        super().__init__(base_url, **options)

    # -- what a subclass provides --------------------------------------------------------------

    username: str
    _password: Secret | None
    _session_mode: bool
    _session_login: SessionLogin
    #: the operations that start, revoke and probe a session key of this API
    _session_start: str
    _session_revoke: str
    _session_probe: str

    def _learn_version(self) -> str | None:
        """The server's version, by whatever this API offers (None: it offers none)."""
        return None

    # -- sessions ------------------------------------------------------------------------------

    def end_session(self) -> None:
        """Revoke the current session key (``AdminAccountSessionRevoke``, or
        ``UserWebSessionRevoke`` for the user-web API); the next call starts a new session."""
        key = self._credentials.current
        if not isinstance(key, Secret):
            return
        try:
            self._send(OPERATIONS[self._session_revoke], {}, self._key_fields(key))
        finally:
            self._credentials.forget()

    def _start_session(self, password: Secret, totp: str | None) -> str:
        fields = {"Username": self.username, "Password": password.get_secret_value()}
        if totp is not None:
            fields["AuthType"] = "PasswordTOTP"
            fields["TOTP"] = totp
        else:
            fields["AuthType"] = "Password"
        started = self._send(OPERATIONS[self._session_start], {}, fields)
        assert isinstance(started, generated_models.SessionKeyRegeneratedResponse)
        if not started.session_key:
            raise AuthenticationError(
                f"{self._session_start} answered without a session key",
                vendor=self.vendor,
                operation=self._session_start,
            )
        return started.session_key

    def _probe_session(self, key: Secret) -> None:
        self._send(OPERATIONS[self._session_probe], {}, self._key_fields(key))

    def _key_fields(self, key: Secret) -> dict[str, str]:
        return {
            "Username": self.username,
            "AuthType": "SessionKey",
            "SessionKey": key.get_secret_value(),
        }

    def _auth_fields(self, credential: Secret | None) -> dict[str, str]:
        if credential is not None:
            return self._key_fields(credential)
        assert self._password is not None
        return {
            "Username": self.username,
            "AuthType": "Password",
            "Password": self._password.get_secret_value(),
        }

    # -- versions ------------------------------------------------------------------------------

    @property
    def server_version(self) -> str | None:
        """The server's version as this client learned it (None until a call needed it, or
        when the API does not say)."""
        return self._server.version

    def _check_version(self, operation: Operation, given: set[str]) -> None:
        state = self._server
        if not state.check or not checked_items(operation, given):
            return
        if not state.known:
            with state.lock:
                if not state.known:
                    state.version = self._learn_version()
                    state.known = True
        if state.version is None:
            return
        try:
            found = too_new(operation, given, state.version)
        except ValueError:  # a version string the SDK cannot read: do not guess
            return
        if found is None:
            return
        parameter, since = found
        what = f"parameter {parameter} of {operation.name}" if parameter else operation.name
        raise ServerVersionError(
            f"{what} needs Comet {since} or later, and this server runs Comet {state.version}: "
            "it was not sent (pass check_version=False to send it anyway)",
            operation=operation.name,
            parameter=parameter,
            required_version=since,
            server_version=state.version,
        )

    # -- calls ---------------------------------------------------------------------------------

    def _invoke(self, operation: Operation, params: dict[str, Any]) -> Any:
        given = {name for name, value in params.items() if value is not None}
        self._check_version(operation, given)
        upload = params.get("upload")
        replayable = Upload(upload) if operation.multipart and upload is not None else None
        if operation.auth == "public":
            return self._send(operation, params, {}, replayable)

        def send(lease: Lease[Any]) -> Any:
            return self._send(operation, params, self._auth_fields(lease.value), replayable)

        return self._credentials.call(send)

    def call_raw(self, method: str, params: Mapping[str, Any] | None = None) -> RawResponse[Any]:
        """Call any Comet method by name with raw form values; returns the HTTP response
        and the decoded body (JSON values, or text), without building models or raising
        for a ``Status`` in the body. The version check applies as for typed calls.

        Raises:
            ValidationError: the method is not in either reference.
            ServerVersionError: the method (or a parameter given) is newer than the server.
        """
        operation = OPERATIONS.get(method)
        if operation is None:
            raise ValidationError(f"no Comet method {method!r}", parameter="method")
        values = dict(params or {})
        self._check_version(operation, {k for k, v in values.items() if v is not None})

        def request(credentials: dict[str, str]) -> RawResponse[Any]:
            fields = {
                **credentials,
                **{
                    k: _form_value(k, v, k in operation.json_params)
                    for k, v in values.items()
                    if v is not None
                },
            }
            result: RawResponse[Any] = self._request(operation, _raw_handler, data=fields)
            return result

        if operation.auth == "public":
            return request({})
        return self._credentials.call(lambda lease: request(self._auth_fields(lease.value)))

    def _send(
        self,
        operation: Operation,
        params: Mapping[str, Any],
        credentials: dict[str, str],
        upload: Upload | None = None,
    ) -> Any:
        fields = {
            name: _form_value(name, value, name in operation.json_params)
            for name, value in params.items()
            if value is not None and not (operation.multipart and name == "upload")
        }
        handler = functools.partial(self._handle, operation)
        if operation.multipart and operation.http_method != "GET":
            if upload is None:
                raise ValidationError(f"{operation.name} needs an upload", parameter="upload")
            headers = {f"{self._header_prefix}{k}": v for k, v in credentials.items()}
            with upload.open() as body:
                return self._request(
                    operation,
                    handler,
                    headers=headers,
                    data=fields,
                    files={"upload": ("upload", body, "application/octet-stream")},
                )
        return self._request(
            operation, handler, data={**credentials, **fields}, stream=operation.kind == "binary"
        )

    def _request(self, operation: Operation, handler: Callable[..., Any], **post: Any) -> Any:
        """One request of ``operation``: a GET (a read, safe to repeat; ``post`` unused) or a
        POST with ``post`` (``data``, ``files``...), repeated only where the operation is
        safe."""
        if operation.http_method == "GET":
            return self._transport.request(
                "GET", operation.path, operation=operation.name, idempotent=True, handler=handler
            )
        return self._transport.request(
            "POST",
            operation.path,
            operation=operation.name,
            idempotent=operation.safe,
            handler=handler,
            **post,
        )

    def _handle(self, operation: Operation, response: requests.Response, call: CallInfo) -> Any:
        ctype = response.headers.get("Content-Type", "").lower()
        if response.status_code >= 400:
            body = _json_or_none(response) if "json" in ctype else None
            if is_error_body(body):
                assert isinstance(body, dict)
                raise error_from_message(
                    body["Status"],
                    str(body["Message"]),
                    operation=operation.name,
                    http_status=response.status_code,
                )
            raise_for_http_status(response, call)
        if operation.kind == "binary":
            if "json" in ctype:  # an error instead of the download
                self._raise_if_error(operation, _json_or_none(response), message_only=True)
            return iter_content(response, call)
        if operation.kind == "text":
            if "json" in ctype and response.content.lstrip().startswith(b"{"):
                self._raise_if_error(operation, _json_or_none(response), message_only=True)
            return response.text
        body = parse_json(response, call)
        if body is None and typing.get_origin(operation.result_type) not in (list, dict):
            # Comet (Go) sends an empty list or map as null; a structure is never null
            raise ResponseDecodeError(
                f"{operation.name} answered null where {operation.returns} belongs",
                vendor=self.vendor,
                model=operation.returns,
                path="$",
            )
        self._raise_if_error(operation, body, message_only=operation.kind == "message")
        if operation.unwrap and isinstance(body, dict) and operation.unwrap in body:
            body = body[operation.unwrap]  # a newer server's wrapper around the same list
        return _models.converter.structure(body, operation.result_type)

    def _raise_if_error(self, operation: Operation, body: Any, *, message_only: bool) -> None:
        if is_error_body(body):
            raise error_from_message(body["Status"], str(body["Message"]), operation=operation.name)
        if message_only and isinstance(body, dict) and isinstance(body.get("Status"), int):
            status = body["Status"]
            if not 200 <= status <= 299:
                raise error_from_message(
                    status, str(body.get("Message", "")), operation=operation.name
                )


def _json_or_none(response: requests.Response) -> Any:
    try:
        return loads(response.content)
    except JSONError:
        return None


def _raw_handler(response: requests.Response, call: CallInfo) -> RawResponse[Any]:
    ctype = response.headers.get("Content-Type", "").lower()
    data: Any = parse_json(response, call) if "json" in ctype else response.text
    return RawResponse(response=response, data=data)
