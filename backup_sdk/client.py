"""The base every vendor client builds on: one construction path, copies, a safe repr.

A vendor client is built in one way, whether by its constructor or by
:meth:`BaseClient.with_options`: a :class:`~backup_sdk.transport.Transport` (its timeout,
deadline and retry policy) and a :class:`~backup_sdk.auth.CredentialStore` (shared by
every copy) are attached with :meth:`BaseClient._attach`, which then calls the vendor's
:meth:`BaseClient._setup` to bind its resources to that client. A copy therefore shares
the pooled connections and the credentials, and every call it makes -- resources
included -- uses the copy's own settings.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, ClassVar, Generic, TypeVar

import attrs
import requests

from backup_sdk._compat import Self, TypedDict, Unpack
from backup_sdk._sentinel import NOT_GIVEN, NotGiven
from backup_sdk.auth import AuthStrategy, CredentialStore
from backup_sdk.config import RetryPolicy, Timeout
from backup_sdk.errors import ConfigurationError
from backup_sdk.hooks import Hooks
from backup_sdk.redaction import redact_url
from backup_sdk.transport import Transport

__all__ = ["BaseClient", "ClientOptions", "RawResponse", "read_env"]

T = TypeVar("T")


class ClientOptions(TypedDict, total=False):
    """Transport settings every client accepts as keyword arguments.

    Attributes:
        timeout: seconds (read; connect is capped at 5 s), a ``(connect, read)`` pair or a
            :class:`~backup_sdk.config.Timeout`. Never unbounded. Default 5 s / 60 s.
        deadline: seconds a whole call may take, retries and waits included (default
            300; ``None`` for no cap). Streamed downloads are bounded by the read timeout
            between chunks instead.
        retry: a :class:`~backup_sdk.config.RetryPolicy`; ``RetryPolicy.none()`` disables.
        session: your own ``requests.Session`` (proxies, adapters, mTLS set up your way);
            it is not closed with the client.
        proxies: as in ``requests``.
        cert: a client certificate, as in ``requests``.
        verify: ``True``, ``False`` or the path of a CA bundle; ``False`` warns
            (:class:`~backup_sdk.config.InsecureTransportWarning`), anything else is refused.
        headers: extra headers on every request.
        hooks: :class:`~backup_sdk.hooks.Hooks` for metrics, tracing and logins.
        sleep: replaces ``time.sleep`` between retries and polls (tests pass a simulated
            clock's ``sleep``).
        clock: monotonic seconds, for deadlines, credential lifetimes and waits (tests pass
            a simulated clock's ``time``).
        rng: random source for the backoff jitter (tests).
    """

    timeout: Timeout | float | tuple[float, float]
    deadline: float | None
    retry: RetryPolicy | None
    session: requests.Session | None
    proxies: Mapping[str, str] | None
    verify: bool | str
    cert: str | tuple[str, str] | None
    headers: Mapping[str, str] | None
    hooks: Hooks | None
    sleep: Callable[[float], None]
    clock: Callable[[], float]
    rng: random.Random | None


@attrs.frozen
class RawResponse(Generic[T]):
    """What a ``call_raw`` returns: the HTTP response and the decoded value.

    Attributes:
        response: the ``requests.Response`` (its body already read).
        data: the decoded body (JSON as Python values, or text).
    """

    response: requests.Response = attrs.field(repr=False)
    data: T = attrs.field(repr=False)

    @property
    def status_code(self) -> int:
        return self.response.status_code

    @property
    def headers(self) -> Mapping[str, str]:
        return self.response.headers


class BaseClient:
    """Shared client behaviour.

    Subclasses set :attr:`vendor` (the vendor id) and :attr:`package` (their import
    package), may supply :meth:`_auth_strategy` and :meth:`_setup`, and keep credentials
    out of ``__repr__``. Clients are context managers; leaving the ``with`` block closes
    the pooled connections (a ``session`` you passed in is left open).

    Args:
        base_url: the API root (``https://...``).
        **options: the transport settings of :class:`ClientOptions`.
    """

    vendor: ClassVar[str] = "backup_sdk"
    package: ClassVar[str] = "backup_sdk"
    #: chained credentials (every reply may carry the next one; see backup_sdk.auth).
    chained_credentials: ClassVar[bool] = False

    _transport: Transport
    _credentials: CredentialStore[Any]

    def __init__(self, base_url: str, **options: Unpack[ClientOptions]) -> None:
        transport = Transport(base_url, vendor=self.vendor, package=self.package, **options)
        store: CredentialStore[Any] = CredentialStore(
            self._auth_strategy(transport),
            vendor=self.vendor,
            hooks=transport.hooks,
            chained=self.chained_credentials,
            clock=transport.clock,
        )
        self._attach(transport, store)

    # -- the one construction path ---------------------------------------------------------

    def _attach(self, transport: Transport, credentials: CredentialStore[Any]) -> None:
        self._transport = transport
        self._credentials = credentials
        self._setup()

    def _auth_strategy(self, transport: Transport) -> AuthStrategy[Any] | None:
        """The vendor's login rules (None: static credentials, or none)."""
        return None

    def _setup(self) -> None:
        """Bind resources (``client.servers``...) to this client; called for every copy."""

    def with_options(
        self,
        *,
        timeout: Timeout | float | tuple[float, float] | NotGiven = NOT_GIVEN,
        retry: RetryPolicy | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven | None = NOT_GIVEN,
    ) -> Self:
        """A copy with other timeout, retry or deadline defaults.

        The copy shares the pooled connections and the credentials (one login serves
        both); every call it makes, through its resources too, uses the new settings.
        The original keeps its own.
        """
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        derived = self._transport.derive(timeout=timeout, retry=retry, deadline=deadline)
        clone._attach(derived, self._credentials)
        return clone

    # -- properties ------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The API root this client talks to."""
        return self._transport.base_url

    @property
    def hooks(self) -> Hooks:
        """Request, response and login callbacks (``hooks.on_request.append(...)``)."""
        return self._transport.hooks

    @property
    def logins(self) -> int:
        """How many times this client (with its copies) has logged in."""
        return self._credentials.logins

    # -- lifecycle -------------------------------------------------------------------------

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


def read_env(
    environ: Mapping[str, str] | None,
    prefix: str,
    *,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
    renamed: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """``{name: value}`` of ``<PREFIX>_<NAME>`` variables (names lower-cased).

    ``renamed`` maps old variable names to the new ones they stand for (still read, with a
    DeprecationWarning).

    Raises:
        ConfigurationError: naming every required variable that is missing or empty.
    """
    import warnings

    env = os.environ if environ is None else environ
    found: dict[str, str] = {}
    for name in (*required, *optional):
        value = env.get(f"{prefix}_{name}")
        if value:
            found[name.lower()] = value
    for old, new in (renamed or {}).items():
        value = env.get(old)
        if value and new.lower() not in found:
            warnings.warn(
                f"{old} is deprecated: set {prefix}_{new} instead",
                DeprecationWarning,
                stacklevel=3,
            )
            found[new.lower()] = value
    missing = [f"{prefix}_{n}" for n in required if n.lower() not in found]
    if missing:
        raise ConfigurationError(f"set {', '.join(missing)}")
    return found
