"""``CometAdminClient``: every admin API method of a Comet Server, typed.

Every call is ``POST /api/v1/...`` with a form body (strings raw, ints in decimal, JSON
values as compact JSON, optional parameters left out) carrying the admin credentials (see
:mod:`comet_sdk.session` for the three ways to authenticate and how a refused session key
is told from a permission problem). Methods newer than the server are refused before they
are sent (:class:`~comet_sdk.errors.ServerVersionError`; ``check_version=False`` turns the
check off).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar, overload

from backup_sdk._compat import Self, Unpack, deprecated
from backup_sdk.auth import AuthStrategy, Issued
from backup_sdk.client import ClientOptions, read_env
from backup_sdk.errors import APIError, ConfigurationError, ConflictError
from backup_sdk.pagination import WindowPaginator
from backup_sdk.redaction import Secret, remember_secret
from backup_sdk.transport import Transport
from comet_sdk._base import CometClientBase
from comet_sdk._generated import models as m
from comet_sdk._generated.methods import GeneratedMethods
from comet_sdk.session import SessionLogin, TotpSource

__all__ = ["CometAdminClient"]

T = TypeVar("T")
_PROFILE_ATTEMPTS = 3


class CometAdminClient(CometClientBase, GeneratedMethods):
    """Client for one Comet Server's admin API.

    Constructor arguments (``base_url`` first, the others keyword-only):

    * ``base_url``: the server root, e.g. ``https://backup.example.com:8060``.
    * ``username``: the admin account.
    * ``password``: its password.
    * ``totp``: a current TOTP code (used for one login), or a callable returning a current
      code for every login, for admins with two-factor login (implies sessions).
    * ``session_key``: an existing admin session key (used until refused).
    * ``use_session``: start an admin session on first use and share its key between
      calls and threads, instead of sending the password with every call.
    * ``check_version``: refuse, before sending, a method or parameter newer than the
      server (the version is read once with ``AdminMetaVersion``, when a call first
      needs it). On by default.
    * ``server_version``: the server's version if you know it (no ``AdminMetaVersion`` call).

    ``**options`` are the transport settings of :class:`backup_sdk.client.ClientOptions`
    (timeout, deadline, retry, session, proxies, verify, cert, headers, hooks, sleep, clock).

    Raises:
        ConfigurationError: no username, or neither a password nor a session key.
    """

    _session_start = "AdminAccountSessionStart"
    _session_revoke = "AdminAccountSessionRevoke"
    _session_probe = "AdminAccountProperties"

    @overload
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
    ) -> None: ...

    @overload
    @deprecated(
        "pass the credentials as keywords: CometAdminClient(url, username=..., password=...)"
    )
    def __init__(
        self,
        base_url: str,
        username: str,
        password: str | None = None,
        /,
        *,
        totp: TotpSource | None = None,
        session_key: str | None = None,
        use_session: bool = False,
        check_version: bool = True,
        server_version: str | None = None,
        **options: Unpack[ClientOptions],
    ) -> None: ...

    def __init__(self, base_url: str, *args: str | None, **kwargs: Any) -> None:
        if args:
            warnings.warn(
                "CometAdminClient(url, username, password) is deprecated: pass the "
                "credentials as keywords",
                DeprecationWarning,
                stacklevel=2,
            )
            if len(args) > 2:
                raise ConfigurationError("CometAdminClient takes username and password only")
            kwargs.setdefault("username", args[0])
            if len(args) == 2:
                kwargs.setdefault("password", args[1])
        username = kwargs.pop("username", None)
        password = kwargs.pop("password", None)
        totp = kwargs.pop("totp", None)
        session_key = kwargs.pop("session_key", None)
        use_session = bool(kwargs.pop("use_session", False))
        if not isinstance(username, str) or not username:
            raise ConfigurationError("CometAdminClient needs username=...")
        if password is None and session_key is None:
            raise ConfigurationError("CometAdminClient needs a password or a session key")
        if totp is not None and not (callable(totp) or (isinstance(totp, str) and totp)):
            raise ConfigurationError("totp must be a code or a callable returning one")
        self.username = username
        self._password = Secret(password) if password is not None else None
        self._session_mode = use_session or totp is not None or session_key is not None
        self._session_login = SessionLogin(self, password=self._password, totp=totp)
        super().__init__(base_url, **kwargs)
        if session_key is not None:
            remember_secret(session_key)
            self._credentials.seed(Issued(Secret(session_key)))

    def _auth_strategy(self, transport: Transport) -> AuthStrategy[Any] | None:
        return self._session_login if self._session_mode else None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **options: Any) -> Self:
        """Build from ``COMET_URL``, ``COMET_USERNAME`` and ``COMET_PASSWORD`` (or
        ``COMET_SESSION_KEY``); ``COMET_TOTP`` adds a one-time code.

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

    # -- sessions --------------------------------------------------------------------------

    def login(self) -> str:
        """Start an admin session now (``AdminAccountSessionStart``); later calls from this
        client and its copies use its key. Returns the key (keep it secret).

        Raises:
            AuthenticationError: refused, or a TOTP code is needed and none is left.
        """
        if not self._session_mode:
            self._session_mode = True
            self._credentials.strategy = self._session_login
        key = self._credentials.login()
        assert isinstance(key, Secret)
        return key.get_secret_value()

    @deprecated("use login()")
    def start_session(self, totp: str | None = None) -> str:
        """Deprecated: :meth:`login` (pass ``totp=`` to the constructor)."""
        if totp:
            self._session_login = SessionLogin(self, password=self._password, totp=totp)
            self._credentials.strategy = self._session_login
            self._session_mode = True
        return self.login()

    def _learn_version(self) -> str | None:
        return self.admin_meta_version().version or None

    # -- helpers beyond the reference ------------------------------------------------------

    def iter_jobs(
        self,
        since: datetime,
        until: datetime | None = None,
        *,
        window: timedelta = timedelta(hours=6),
        overlap: timedelta = timedelta(minutes=5),
    ) -> WindowPaginator[m.BackupJobDetail]:
        """Every job that started or ended between ``since`` and ``until`` (aware
        datetimes; ``until`` defaults to now), each once.

        ``AdminGetJobsForDateRange`` is called for windows of ``window`` that reach back
        ``overlap`` into the previous one (a job written at a boundary is not missed);
        duplicates are dropped by ``GUID``.

        Raises:
            ValidationError: naive datetimes, ``since`` after ``until``, a negative
                ``overlap`` or a ``window`` not longer than it (nothing is sent).
        """
        end = until if until is not None else datetime.now(timezone.utc)
        return WindowPaginator(
            self.admin_get_jobs_for_date_range,
            since=since,
            until=end,
            window=window,
            overlap=overlap,
            key=lambda job: job.guid,
        )

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
            vendor=self.vendor,
            operation="AdminSetUserProfileHash",
        )


_HASH = re.compile(r"hash", re.I)


def _is_hash_conflict(error: APIError) -> bool:
    return isinstance(error, ConflictError) or bool(_HASH.search(error.message))
