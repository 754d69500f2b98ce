"""The base every vendor client builds on: transport set-up, lifecycle and a safe repr."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, ClassVar

import requests
from typing_extensions import Self, TypedDict, Unpack

from backup_sdk.redaction import redact_url
from backup_sdk.transport import NOT_GIVEN, Hooks, NotGiven, RetryPolicy, Timeout, Transport

__all__ = ["BaseClient", "ClientOptions"]


class ClientOptions(TypedDict, total=False):
    """Transport settings every client accepts as keyword arguments.

    Attributes:
        timeout: seconds (read; connect is capped at 5 s), a ``(connect, read)`` pair or a
            :class:`~backup_sdk.transport.Timeout`. Never unbounded. Default 5 s / 60 s.
        retry: a :class:`~backup_sdk.transport.RetryPolicy`; ``RetryPolicy.none()`` disables.
        session: your own ``requests.Session`` (proxies, adapters, mTLS set up your way);
            it is not closed with the client.
        proxies: as in ``requests``.
        cert: a client certificate, as in ``requests``.
        verify: as in ``requests``; it may be a CA bundle path, and
            ``False`` warns (:class:`~backup_sdk.transport.InsecureTransportWarning`).
        headers: extra headers on every request.
        hooks: :class:`~backup_sdk.transport.Hooks` for metrics and tracing.
        sleep: replaces ``time.sleep`` between retries (tests).
        rng: random source for the backoff jitter (tests).
    """

    timeout: Timeout | float | tuple[float, float]
    retry: RetryPolicy | None
    session: requests.Session | None
    proxies: Mapping[str, str] | None
    verify: bool | str
    cert: str | tuple[str, str] | None
    headers: Mapping[str, str] | None
    hooks: Hooks | None
    sleep: Callable[[float], None]
    rng: random.Random | None


class BaseClient:
    """Shared client behaviour.

    Subclasses set ``package`` (their import package name) and keep credentials and
    session state out of ``__repr__``. Clients are context managers; leaving the ``with``
    block closes the pooled connections (a ``session`` you passed in is left open).

    Args:
        base_url: the API root (``https://...``).
        **options: the transport settings of :class:`ClientOptions`.
    """

    package: ClassVar[str] = "backup_sdk"

    def __init__(self, *, base_url: str, **options: Unpack[ClientOptions]) -> None:
        self._transport = Transport(base_url, package=self.package, **options)

    @property
    def base_url(self) -> str:
        """The API root this client talks to."""
        return self._transport.base_url

    @property
    def hooks(self) -> Hooks:
        """Request/response callbacks; append to ``hooks.on_request`` / ``hooks.on_response``."""
        return self._transport.hooks

    def with_options(
        self,
        *,
        timeout: Timeout | float | tuple[float, float] | NotGiven = NOT_GIVEN,
        retry: RetryPolicy | NotGiven = NOT_GIVEN,
    ) -> Self:
        """A copy with other timeout/retry defaults, sharing connections and login state."""
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone._transport = self._transport.derive(timeout=timeout, retry=retry)
        return clone

    def close(self) -> None:
        """Release pooled connections."""
        self._transport.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={redact_url(self.base_url)!r})"

    def __getstate__(self) -> Any:
        raise TypeError(f"{type(self).__name__} holds live credentials and cannot be pickled")
