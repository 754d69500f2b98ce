"""What a call is (:class:`CallInfo`) and the events hooks receive for metrics and tracing."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import attrs

__all__ = ["CallInfo", "Hooks", "LoginEvent", "RequestEvent", "ResponseEvent"]


@attrs.frozen
class CallInfo:
    """What is being called: passed to response handlers and carried by events.

    Attributes:
        vendor: the vendor id (``"cove"``, ``"comet"``, ``"npm_backup"``).
        operation: the vendor's name for the call (``EnumerateAccountStatistics``...).
        method: the HTTP method.
        url: the URL, redacted.
        idempotent: whether the operation is safe to repeat (see the vendor's table).
    """

    vendor: str
    operation: str
    method: str
    url: str
    idempotent: bool


@attrs.frozen
class RequestEvent:
    """Fired before each attempt is sent."""

    call: CallInfo
    attempt: int


@attrs.frozen
class ResponseEvent:
    """Fired after each attempt, whether it succeeded or failed.

    ``status`` is None when no HTTP response arrived; ``error`` is the exception the attempt
    ended with (already redacted), and ``will_retry`` says whether another attempt follows.
    ``elapsed`` is in seconds.
    """

    call: CallInfo
    attempt: int
    status: int | None
    elapsed: float
    headers: Mapping[str, str]
    error: BaseException | None
    will_retry: bool


@attrs.frozen
class LoginEvent:
    """Fired after every login a client makes (successful or not).

    Attributes:
        vendor: the vendor id.
        reason: ``"first use"``, ``"renewal"`` (ahead of expiry), ``"rejected"`` (the
            server no longer accepted the credentials) or ``"explicit"`` (``login()``).
        generation: the login's number for this client (1 for the first).
        elapsed: seconds the login took.
        error: the exception it failed with, or None.
    """

    vendor: str
    reason: str
    generation: int
    elapsed: float
    error: BaseException | None = None


@attrs.define
class Hooks:
    """Callbacks for metrics and tracing. Exceptions raised by a hook propagate."""

    on_request: list[Callable[[RequestEvent], None]] = attrs.field(factory=list)
    on_response: list[Callable[[ResponseEvent], None]] = attrs.field(factory=list)
    on_login: list[Callable[[LoginEvent], None]] = attrs.field(factory=list)
