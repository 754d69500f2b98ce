"""``CometUserClient``: the user-web API of a Comet Server, with a user's own credentials.

The user-web API (``/api/v1/user/web/...``) is what the Comet web interface uses when a
*user* (not an admin) logs in: their own profile, jobs, job logs, devices and Storage
Vaults. It is built on the same core as :class:`~comet_sdk.CometAdminClient`: the same
transport, error mapping, models and credential store (one session shared by every
thread and copy, started again once when it stops working).

Authentication, as for admins: ``Username`` and ``AuthType`` with every call, then either
``Password`` (``AuthType=Password``), a session key (``SessionKey``), or for a login with a
second factor ``PasswordTOTP`` with a ``TOTP`` code; sessions come from
``UserWebSessionStart``.

Versions: the user-web API has no call that reports the server's version, so this client
cannot learn it and sends every call as it is. If you know the server's version, pass
``server_version="24.12.2"`` and methods or parameters newer than it are refused before they
are sent, as the admin client does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backup_sdk._compat import Self, Unpack
from backup_sdk.auth import AuthStrategy, Issued
from backup_sdk.client import ClientOptions, read_env
from backup_sdk.errors import ConfigurationError
from backup_sdk.redaction import Secret, remember_secret
from backup_sdk.transport import Transport
from comet_sdk._base import CometClientBase
from comet_sdk._generated.user_methods import GeneratedUserMethods
from comet_sdk.session import SessionLogin, TotpSource

__all__ = ["CometUserClient"]


class CometUserClient(CometClientBase, GeneratedUserMethods):
    """Client for one user account on a Comet Server (the user-web API).

    Args:
        base_url: the server root, e.g. ``https://backup.example.com:8060``.
        username: the user account.
        password: its password.
        totp: a current TOTP code (used for one login), or a callable returning a current
            code for every login, for users with two-factor login (implies sessions).
        session_key: an existing user session key (used until refused).
        use_session: start a user session on first use (``UserWebSessionStart``) and share
            its key between calls and threads, instead of sending the password every time.
        check_version: refuse methods newer than ``server_version`` before sending them.
        server_version: the server's version, if you know it (the user-web API cannot
            tell); without it nothing is refused for its version.

    ``**options`` are the transport settings of :class:`backup_sdk.client.ClientOptions`.

    Raises:
        ConfigurationError: no username, or neither a password nor a session key.
    """

    _session_start = "UserWebSessionStart"
    _session_revoke = "UserWebSessionRevoke"
    _session_probe = "UserWebGetUserProfileAndHash"

    def __init__(
        self,
        base_url: str,
        *,
        username: str,
        password: str | None = None,
        totp: TotpSource | None = None,
        session_key: str | None = None,
        use_session: bool = False,
        check_version: bool = True,
        server_version: str | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        if not isinstance(username, str) or not username:
            raise ConfigurationError("CometUserClient needs username=...")
        if password is None and session_key is None:
            raise ConfigurationError("CometUserClient needs a password or a session key")
        if totp is not None and not (callable(totp) or (isinstance(totp, str) and totp)):
            raise ConfigurationError("totp must be a code or a callable returning one")
        self.username = username
        self._password = Secret(password) if password is not None else None
        self._session_mode = use_session or totp is not None or session_key is not None
        self._session_login = SessionLogin(
            self,
            password=self._password,
            totp=totp,
            who="user",
        )
        super().__init__(
            base_url, check_version=check_version, server_version=server_version, **options
        )
        if session_key is not None:
            remember_secret(session_key)
            self._credentials.seed(Issued(Secret(session_key)))

    def _auth_strategy(self, transport: Transport) -> AuthStrategy[Any] | None:
        return self._session_login if self._session_mode else None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **options: Any) -> Self:
        """Build from ``COMET_URL``, ``COMET_USERNAME`` and ``COMET_PASSWORD`` (or
        ``COMET_SESSION_KEY``); ``COMET_TOTP`` adds a one-time code. The username is a
        user account here, not an admin.

        Raises:
            ConfigurationError: a required variable is missing (all of them are named).
        """
        env = read_env(
            environ,
            "COMET",
            required=("URL", "USERNAME"),
            optional=("PASSWORD", "SESSION_KEY", "TOTP"),
        )
        if "password" not in env and "session_key" not in env:
            raise ConfigurationError("set COMET_PASSWORD (or COMET_SESSION_KEY)")
        return cls(
            env["url"],
            username=env["username"],
            password=env.get("password"),
            session_key=env.get("session_key"),
            totp=env.get("totp"),
            **options,
        )

    # -- sessions ------------------------------------------------------------------------------

    def login(self) -> str:
        """Start a user session now (``UserWebSessionStart``); later calls from this client
        and its copies use its key. Returns the key (keep it secret).

        Raises:
            AuthenticationError: refused, or a TOTP code is needed and none is left.
        """
        if not self._session_mode:
            self._session_mode = True
            self._credentials.strategy = self._session_login
        key = self._credentials.login()
        assert isinstance(key, Secret)
        return key.get_secret_value()

    def _learn_version(self) -> str | None:
        return None  # the user-web API reports no version (pass server_version=)
