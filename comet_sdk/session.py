"""Comet admin and user credentials on the shared credential store.

Three ways to authenticate:

* a password (``AuthType=Password``) sent with every call: nothing to log in to;
* an admin session: ``AdminAccountSessionStart`` (with the password, and a TOTP code when
  the admin needs one) gives a session key that every later call -- from every thread --
  uses (``AuthType=SessionKey``). :class:`SessionLogin` is its strategy;
* an existing session key, used until the server refuses it (then a new session is
  started if a password was given).

When is a refusal "the session key no longer works" and when "permission denied"? Comet
answers both with ``Status`` 403 (or 401) and free text, so the SDK never decides from the
text: after a 401/403 to a call made with a session key it asks the server, with that same
key, for ``AdminAccountProperties``. If that works, the key is fine and the refusal is a
:class:`~backup_sdk.errors.PermissionDeniedError` (not renewed, not replayed); if it is
refused too, the key no longer works: a :class:`~comet_sdk.errors.SessionKeyRefusedError`,
after which the session is started again and the call replayed once. A probe that fails in
another way (a dropped connection) leaves the refusal as it came.

The user-web client (:class:`~comet_sdk.CometUserClient`) works the same way with
``UserWebSessionStart`` and a probe of ``UserWebGetUserProfileAndHash``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Protocol

from backup_sdk.auth import AuthStrategy, Issued
from backup_sdk.errors import (
    APIError,
    AuthenticationError,
    BackupSDKError,
    PermissionDeniedError,
)
from backup_sdk.redaction import Secret, remember_secret
from comet_sdk.errors import SessionKeyRefusedError

__all__ = ["SessionLogin", "TotpSource"]

#: A TOTP code, or a callable that returns a current one for each login.
TotpSource = str | Callable[[], str]


class SessionClient(Protocol):
    """What :class:`SessionLogin` needs of a client."""

    @property
    def _credentials(self) -> Any: ...

    def _start_session(self, password: Secret, totp: str | None) -> str: ...

    def _probe_session(self, key: Secret) -> None: ...

    @property
    def _session_start(self) -> str: ...


class SessionLogin(AuthStrategy[Secret]):
    """Starts sessions (admin or user) for one client (and its copies)."""

    def __init__(
        self,
        client: SessionClient,
        *,
        password: Secret | None,
        totp: TotpSource | None,
        who: str = "admin",
    ) -> None:
        self._client = client
        self._password = password
        self._totp = totp
        self._who = who
        self._used_codes: set[str] = set()
        self._lock = threading.Lock()

    def _next_code(self) -> str | None:
        if self._totp is None:
            return None
        if callable(self._totp):
            code = str(self._totp())
            remember_secret(code)
            return code
        with self._lock:
            if self._totp in self._used_codes:
                raise AuthenticationError(
                    f"the {self._who} session has to be started again, and the TOTP code this "
                    "client was given is spent (a code is good for one login): pass totp= a "
                    "callable that returns a current code, or build the client again with a "
                    "fresh code",
                    vendor="comet",
                    operation=self._client._session_start,
                )
            self._used_codes.add(self._totp)
        return self._totp

    def login(self) -> Issued[Secret]:
        """Start a session (``AdminAccountSessionStart`` or ``UserWebSessionStart``); its key
        becomes every call's credential."""
        if self._password is None:
            raise AuthenticationError(
                "the session key no longer works and there is no password to start a new "
                "session (give password=... as well as session_key=...)",
                vendor="comet",
                operation=self._client._session_start,
            )
        key = self._client._start_session(self._password, self._next_code())
        remember_secret(key)
        return Issued(Secret(key))

    def judge(self, error: BaseException, credential: Secret | None) -> BaseException:
        """What a refusal of a session-key call means, asked of the server with the same
        key (see the module docstring): a :class:`PermissionDeniedError` when the key still
        works, a :class:`SessionKeyRefusedError` when it is refused too, else ``error``."""
        if credential is None or not _is_refusal(error):
            return error
        assert isinstance(error, APIError)
        if self._client._credentials.current is not credential:
            return error  # another thread already started a new session: replay with it
        try:
            self._client._probe_session(credential)
        except APIError as probe_error:
            if not _is_refusal(probe_error):
                return error
            cls: type[APIError] = SessionKeyRefusedError
        except BackupSDKError:
            return error
        else:
            cls = PermissionDeniedError
        if type(error) is cls:
            return error
        state = {name: getattr(error, name, None) for name in error._fields}
        return cls(error.message, **state)

    def is_rejected(self, error: BaseException, credential: Secret | None) -> bool:
        """The session key is no longer accepted: :meth:`judge` said so, or another thread
        replaced the key while this call was refused."""
        if credential is None or not _is_refusal(error):
            return False
        if isinstance(error, SessionKeyRefusedError):
            return True
        return self._client._credentials.current is not credential


def _is_refusal(error: BaseException) -> bool:
    """A 401/403, in Comet's ``Status`` or the HTTP status."""
    return isinstance(error, APIError) and (error.code in (401, 403) or error.status in (401, 403))
