"""Cove's JSON-RPC envelope and its visa chain, on the shared credential store.

``Login`` returns a *visa* at the top level of the reply; every later request carries the
current visa at the top level, and successful replies carry the next one. A visa lapses
after 15 minutes without calls (error 1701). :class:`VisaLogin` tells
:class:`~backup_sdk.auth.CredentialStore` how to log in and that 1701 means "log in again";
the store keeps the chain (newest visa wins, single-flight logins, one replay).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

import requests

from backup_sdk.auth import AuthStrategy, Issued, Lease
from backup_sdk.client import RawResponse
from backup_sdk.errors import ResponseDecodeError
from backup_sdk.handlers import http_error, parse_json
from backup_sdk.hooks import CallInfo
from backup_sdk.redaction import Secret, remember_secret
from backup_sdk.transport import Transport
from cove_sdk.errors import VisaExpiredError, error_from_rpc
from cove_sdk.operations import is_safe_to_repeat

if TYPE_CHECKING:  # the models load on first use
    from cove_sdk.models import UserInfo

__all__ = ["VISA_LIFETIME", "Envelope", "VisaLogin"]

#: Seconds a visa stays valid without calls, as the service documents it.
VISA_LIFETIME: Final = 15 * 60.0
_ids = itertools.count(1)


class Envelope:
    """Sends one JSON-RPC call and reads the reply (shared by the client and its login)."""

    def __init__(self, *, visa_refresh: float) -> None:
        self.visa_refresh = visa_refresh

    def send(
        self,
        transport: Transport,
        url: str,
        method: str,
        params: Mapping[str, Any],
        *,
        lease: Lease[Secret] | None = None,
        visa: Secret | None = None,
        idempotent: bool | None = None,
    ) -> RawResponse[dict[str, Any]]:
        """POST one call; returns the reply object (``result``, ``visa``...).

        A visa in the reply is handed to ``lease`` (the chain); an ``error`` raises the
        typed error for it.
        """
        body: dict[str, Any] = {
            "jsonrpc": "2.0",
            "id": str(next(_ids)),
            "method": method,
            "params": dict(params),
        }
        current = lease.value if lease is not None else visa
        if current is not None:
            body["visa"] = current.get_secret_value()

        def handle(response: requests.Response, call: CallInfo) -> RawResponse[dict[str, Any]]:
            if response.status_code in (404, 405):
                raise http_error(
                    response,
                    call,
                    message=(
                        f"{call.url} answered HTTP {response.status_code}: it does not look "
                        "like the Cove JSON-RPC endpoint. The Management Service is at "
                        "https://api.backup.management/jsonapi (a base_url ends in /jsonapi)"
                    ),
                )
            try:
                reply = parse_json(response, call)
            except ResponseDecodeError:
                if response.status_code >= 400:  # a proxy's error page, not the service
                    raise http_error(response, call) from None
                raise
            if not isinstance(reply, dict):
                if response.status_code >= 400:
                    raise http_error(response, call)
                raise ResponseDecodeError(
                    "the reply is not a JSON-RPC object",
                    vendor=call.vendor,
                    model="JSON-RPC reply",
                    path="$",
                )
            next_visa = reply.get("visa")
            if isinstance(next_visa, str) and next_visa:
                remember_secret(next_visa)
                if lease is not None:
                    lease.adopt(
                        Issued(
                            Secret(next_visa),
                            renew_after=self.visa_refresh,
                            expires_after=VISA_LIFETIME,
                        )
                    )
            error = reply.get("error")
            if error is not None:
                if not isinstance(error, dict) and response.status_code >= 400:
                    raise http_error(response, call)  # a gateway's JSON, not JSON-RPC
                raise error_from_rpc(error, operation=method, http_status=response.status_code)
            if response.status_code >= 400:
                raise http_error(response, call)
            if "result" not in reply:
                raise ResponseDecodeError(
                    f"the {method} reply has neither a result nor an error",
                    vendor=call.vendor,
                    model="JSON-RPC reply",
                    path="$",
                )
            return RawResponse(response=response, data=reply)

        safe = is_safe_to_repeat(method) if idempotent is None else idempotent
        return transport.request(
            "POST", url, operation=method, idempotent=safe, json=body, handler=handle
        )


class VisaLogin(AuthStrategy[Secret]):
    """The login rules of one Cove client (shared by its copies)."""

    def __init__(
        self,
        transport: Transport,
        envelope: Envelope,
        *,
        partner: str,
        username: str,
        password: Secret,
    ) -> None:
        self._transport = transport
        self._envelope = envelope
        self._partner = partner
        self._username = username
        self._password = password
        self._lock = threading.Lock()
        self.user: UserInfo | None = None

    def login(self) -> Issued[Secret]:
        """``Login``; the user it returns is kept on :attr:`user`."""
        raw = self._envelope.send(
            self._transport,
            self._transport.base_url,
            "Login",
            {
                "partner": self._partner,
                "username": self._username,
                "password": self._password.get_secret_value(),
            },
            idempotent=False,
        )
        reply = raw.data
        visa = reply.get("visa")
        if not isinstance(visa, str) or not visa:
            raise ResponseDecodeError(
                "Login succeeded but the reply carries no visa",
                vendor="cove",
                model="Login reply",
                path="$.visa",
            )
        remember_secret(visa)
        result = reply.get("result")
        inner = result.get("result") if isinstance(result, dict) else None
        from cove_sdk.models import UserInfo, converter

        with self._lock:
            self.user = converter.structure(inner or {}, UserInfo)
        return Issued(
            Secret(visa), renew_after=self._envelope.visa_refresh, expires_after=VISA_LIFETIME
        )

    def is_rejected(self, error: BaseException, credential: Secret) -> bool:
        """1701: the visa expired, or the service no longer accepts it."""
        return isinstance(error, VisaExpiredError)
