"""Appliance bearer tokens on the shared credential store.

``POST /api/mgmt.aaa/2.0/token`` (``1.0`` on older appliances) exchanges the username and
password -- or a refresh token -- for an access token with an ``expires_at``. The token's
lifetime is measured once, on arrival, against our clock; from then on its deadline is on
the monotonic clock, so a wall-clock jump does not renew it on every call. A token whose
``expires_at`` is already past by our clock (the appliance's clock is behind) is used until
the appliance refuses it. A 401 with an ``AUTH_*`` error id means "log in again".
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any, Final

from backup_sdk.auth import AuthStrategy, Issued
from backup_sdk.errors import APIError, AuthenticationError, NotFoundError
from backup_sdk.redaction import Secret, remember_secret
from npm_backup_sdk.errors import is_auth_expiry

if TYPE_CHECKING:
    from npm_backup_sdk.client import NpmBackupClient

if TYPE_CHECKING:  # the models load on first use, not with the package
    from npm_backup_sdk.models import Token

__all__ = ["AAA_VERSIONS", "TokenLogin"]

AAA_VERSIONS: Final = ("2.0", "1.0")
log = logging.getLogger("npm_backup_sdk")


class TokenLogin(AuthStrategy[Any]):
    """Gets access tokens for one client (and its copies)."""

    def __init__(
        self,
        client: NpmBackupClient,
        *,
        username: str | None,
        password: Secret | None,
        refresh_token: Secret | None,
        refresh_margin: float,
    ) -> None:
        self._client = client
        self._username = username
        self._password = password
        self._refresh = refresh_token
        self._margin = refresh_margin
        self._lock = threading.Lock()
        self.aaa_version: str | None = None
        self.last_token: Token | None = None
        self._warned_skew = False

    def login(self) -> Issued[Secret]:
        """A fresh access token: from the refresh token if there is one, else the password."""
        if self._refresh is not None:
            try:
                return self._issue(
                    {
                        "refresh_token": self._refresh.get_secret_value(),
                        "generate_refresh_token": False,
                    }
                )
            except AuthenticationError:
                if not (self._username and self._password):
                    raise
                self._refresh = None
        if not (self._username and self._password):
            raise AuthenticationError(
                "the access token is no longer accepted and there is no refresh token or "
                "password to get another",
                vendor="npm_backup",
                operation="mgmt.aaa.token",
            )
        return self._issue(
            {
                "user_credentials": {
                    "username": self._username,
                    "password": self._password.get_secret_value(),
                },
                "generate_refresh_token": True,
            }
        )

    def is_rejected(self, error: BaseException, credential: Any) -> bool:
        """A 401 with one of the ``AUTH_*`` ids (or none)."""
        return isinstance(error, APIError) and is_auth_expiry(error)

    def _issue(self, body: dict[str, Any]) -> Issued[Secret]:
        from npm_backup_sdk.models import Token, converter

        versions = (self.aaa_version,) if self.aaa_version else AAA_VERSIONS
        last_error: APIError | None = None
        for version in versions:
            try:
                data = self._client._send(
                    "POST", f"/api/mgmt.aaa/{version}/token", operation="mgmt.aaa.token", json=body
                )
            except NotFoundError as exc:  # an older appliance: try the next version
                last_error = exc
                continue
            token = converter.structure(data, Token)
            remember_secret(token.access_token)
            remember_secret(token.refresh_token)
            self.aaa_version = version
            if token.refresh_token:
                self._refresh = Secret(token.refresh_token)
            self.last_token = token
            log.debug("token issued by mgmt.aaa %s, expires %s", version, token.expires_at)
            return Issued(Secret(token.access_token), *self._lifetime(token))
        assert last_error is not None
        raise last_error

    def _lifetime(self, token: Token) -> tuple[float | None, float | None]:
        if token.expires_at is None:
            return None, None
        remaining = token.expires_at.timestamp() - time.time()
        if remaining <= 0:
            if not self._warned_skew:
                self._warned_skew = True
                log.warning(
                    "the appliance's token expiry %s is already past by our clock: the "
                    "clocks disagree; the token is renewed when the appliance refuses it",
                    token.expires_at,
                )
            return None, None
        return max(0.0, remaining - self._margin), remaining
