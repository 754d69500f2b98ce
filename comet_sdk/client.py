"""``CometAdminClient``: every admin API method of a Comet Server, typed.

Every call is ``POST /api/v1/...`` with a form body (strings raw, ints in decimal, JSON
values as compact JSON, optional parameters left out) carrying the admin credentials.
Three ways to authenticate:

* ``password=``: sent with every call (``AuthType=Password``);
* ``session_key=``: an existing admin session (``AuthType=SessionKey``);
* ``use_session=True`` (implied by ``totp=``): the client starts an admin session with
  ``AdminAccountSessionStart`` on first use and reuses its key. A TOTP code is used once,
  for that login. When the key stops working the session is started again (if the
  password alone is enough) and the call replayed once.
"""

from __future__ import annotations

import functools
import json
import os
import re
import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, BinaryIO, TypeVar

import requests
from typing_extensions import Unpack

from backup_sdk.client import BaseClient, ClientOptions
from backup_sdk.errors import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    ConflictError,
    ValidationError,
)
from backup_sdk.models import WireModel
from backup_sdk.redaction import Secret, remember_secret
from backup_sdk.transport import (
    CallInfo,
    iter_content,
    parse_json,
    raise_for_http_status,
)
from comet_sdk._generated import models as m
from comet_sdk._generated.methods import OPERATIONS, GeneratedMethods
from comet_sdk._operation import Operation
from comet_sdk.errors import error_from_message, is_error_body
from comet_sdk.models import converter

__all__ = ["CometAdminClient"]

T = TypeVar("T")
_PROFILE_ATTEMPTS = 3


def _python_type(text: str) -> Any:
    """The Python type for a reference type name (``List<BackupJobDetail>`` ...)."""
    text = text.strip()
    if text.startswith("List<"):
        return list[_python_type(text[5:-1])]  # type: ignore[misc]
    if text.startswith("Dictionary<"):
        key, _, value = text[11:-1].partition(",")
        return dict[_python_type(key), _python_type(value)]  # type: ignore[misc]
    simple = {"string": str, "int": int, "bool": bool, "float32": float, "any": Any}
    if text in simple:
        return simple[text]
    return getattr(m, text)


@functools.cache
def _return_type(operation: Operation) -> Any:
    return _python_type(operation.returns)


def _form_value(name: str, value: Any, as_json: bool) -> str:
    if as_json or isinstance(value, WireModel | list | dict):
        return json.dumps(converter.unstructure(value), separators=(",", ":"))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValidationError(f"{name}: give an aware datetime", parameter=name)
        return str(int(value.timestamp()))
    if isinstance(value, int | str):
        return str(value)
    raise ValidationError(
        f"{name}: cannot send a {type(value).__name__} as a form value", parameter=name
    )


class CometAdminClient(BaseClient, GeneratedMethods):
    """Client for one Comet Server's admin API.

    Args:
        base_url: the server root, e.g. ``https://backup.example.com:8060``.
        username: the admin account.
        password: its password.
        totp: a current TOTP code, for admins with two-factor login (implies sessions).
        session_key: an existing admin session key.
        use_session: start a session on first use and reuse its key.

    ``**options`` are the transport settings of :class:`backup_sdk.client.ClientOptions`
    (timeout, retry, session, proxies, verify, cert, headers, hooks, sleep).

    Raises:
        ConfigurationError: no password and no session key.
    """

    package = "comet_sdk"

    def __init__(
        self,
        base_url: str,
        username: str,
        password: str | None = None,
        *,
        totp: str | None = None,
        session_key: str | None = None,
        use_session: bool = False,
        **options: Unpack[ClientOptions],
    ) -> None:
        if not username:
            raise ConfigurationError("username is required")
        if password is None and session_key is None:
            raise ConfigurationError("give password=... or session_key=...")
        super().__init__(base_url=base_url, **options)
        self.username = username
        self._password = Secret(password) if password is not None else None
        self._totp = Secret(totp) if totp else None
        self._session_key = Secret(session_key) if session_key else None
        self._auto_session = use_session or totp is not None
        self._auth_lock = threading.RLock()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **kwargs: Any) -> CometAdminClient:
        """Build from ``COMET_URL``, ``COMET_USERNAME`` and ``COMET_PASSWORD`` (or
        ``COMET_SESSION_KEY``); ``COMET_TOTP`` adds a one-time code.

        Raises:
            ConfigurationError: a required variable is missing.
        """
        env = os.environ if environ is None else environ
        missing = [k for k in ("COMET_URL", "COMET_USERNAME") if not env.get(k)]
        if not (env.get("COMET_PASSWORD") or env.get("COMET_SESSION_KEY")):
            missing.append("COMET_PASSWORD (or COMET_SESSION_KEY)")
        if missing:
            raise ConfigurationError(f"set {', '.join(missing)}")
        return cls(
            env["COMET_URL"],
            env["COMET_USERNAME"],
            env.get("COMET_PASSWORD") or None,
            session_key=env.get("COMET_SESSION_KEY") or None,
            totp=env.get("COMET_TOTP") or None,
            **kwargs,
        )

    # -- sessions --------------------------------------------------------------------------

    def start_session(self, totp: str | None = None) -> str:
        """Log in with ``AdminAccountSessionStart``; later calls use the session key.

        Returns the key (keep it secret). Raises ``AuthenticationError`` if refused.
        """
        with self._auth_lock:
            if totp:
                self._totp = Secret(totp)
            self._session_key = None
            started = self._send(OPERATIONS["AdminAccountSessionStart"], {}, allow_session=False)
            assert isinstance(started, m.SessionKeyRegeneratedResponse)
            remember_secret(started.session_key)
            self._session_key = Secret(started.session_key)
            self._auto_session = True
            return started.session_key

    def end_session(self) -> None:
        """Revoke the current session key (``AdminAccountSessionRevoke``)."""
        with self._auth_lock:
            if self._session_key is None:
                return
            try:
                self._send(OPERATIONS["AdminAccountSessionRevoke"], {})
            finally:
                self._session_key = None

    def _credentials(self, allow_session: bool) -> dict[str, str]:
        with self._auth_lock:
            fields = {"Username": self.username}
            if allow_session and self._session_key is not None:
                fields["AuthType"] = "SessionKey"
                fields["SessionKey"] = self._session_key.get_secret_value()
            elif self._password is None:
                raise AuthenticationError(
                    "the session key no longer works and there is no password to log in again",
                    vendor=self.package,
                )
            elif self._totp is not None:
                fields["AuthType"] = "PasswordTOTP"
                fields["Password"] = self._password.get_secret_value()
                fields["TOTP"] = self._totp.get_secret_value()
                self._totp = None  # a TOTP code is good for one login only
            else:
                fields["AuthType"] = "Password"
                fields["Password"] = self._password.get_secret_value()
            return fields

    # -- calls ---------------------------------------------------------------------------

    def _invoke(self, operation: Operation, params: dict[str, Any]) -> Any:
        if self._auto_session and self._session_key is None:
            self.start_session()
        used_session = self._session_key is not None
        try:
            return self._send(operation, params)
        except AuthenticationError:
            # a session key can expire or be revoked: start again once, if we can
            if not (used_session and self._auto_session and self._password is not None):
                raise
            self.start_session()
            return self._send(operation, params)

    def _send(
        self, operation: Operation, params: dict[str, Any], *, allow_session: bool = True
    ) -> Any:
        credentials = self._credentials(allow_session)
        fields = {
            name: _form_value(name, value, name in operation.json_params)
            for name, value in params.items()
            if value is not None and not (operation.multipart and name == "upload")
        }
        handler = functools.partial(self._handle, operation)
        if operation.multipart:
            headers = {f"X-Comet-Admin-{k}": v for k, v in credentials.items()}
            upload: bytes | BinaryIO = params["upload"]
            return self._transport.request(
                "POST",
                operation.path,
                operation=operation.name,
                idempotent=operation.safe,
                headers=headers,
                data=fields,
                files={"upload": ("upload", upload, "application/octet-stream")},
                handler=handler,
            )
        return self._transport.request(
            "POST",
            operation.path,
            operation=operation.name,
            idempotent=operation.safe,
            data={**credentials, **fields},
            stream=operation.kind == "binary",
            handler=handler,
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
        self._raise_if_error(operation, body, message_only=operation.kind == "message")
        return converter.structure(body, _return_type(operation))

    def _raise_if_error(self, operation: Operation, body: Any, *, message_only: bool) -> None:
        if is_error_body(body):
            raise error_from_message(body["Status"], str(body["Message"]), operation=operation.name)
        if message_only and isinstance(body, dict) and isinstance(body.get("Status"), int):
            status = body["Status"]
            if not 200 <= status <= 299:
                raise error_from_message(
                    status, str(body.get("Message", "")), operation=operation.name
                )

    # -- helpers beyond the reference ------------------------------------------------------

    def admin_update_user_profile(
        self, target_user: str, change: Callable[[m.UserProfileConfig], None]
    ) -> m.UserProfileConfig:
        """Read-modify-write a user profile safely.

        Reads the profile with its hash, lets ``change`` edit it in place, and writes it
        back only if nobody changed it meanwhile (``AdminSetUserProfileHash``); on a hash
        conflict it starts again, up to 3 times. Fields this SDK does not know are written
        back untouched.

        Raises:
            ConflictError: the profile kept changing under us.
        """
        last: APIError | None = None
        for _ in range(_PROFILE_ATTEMPTS):
            current = self.admin_get_user_profile_and_hash(target_user)
            profile = current.profile
            change(profile)
            try:
                self.admin_set_user_profile_hash(target_user, profile, current.profile_hash)
            except APIError as exc:
                if not _is_hash_conflict(exc):
                    raise
                last = exc
                continue
            return profile
        raise ConflictError(
            f"the profile of {target_user!r} changed during {_PROFILE_ATTEMPTS} attempts: {last}",
            vendor=self.package,
            operation="AdminSetUserProfileHash",
        )


_HASH = re.compile(r"hash", re.I)


def _is_hash_conflict(error: APIError) -> bool:
    return isinstance(error, ConflictError) or bool(_HASH.search(error.message))


def _json_or_none(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
