"""HTTP transport shared by the vendor clients: one ``requests.Session``, timeouts, retries.

What it guarantees:

* **Timeouts are always finite.** :class:`Timeout` defaults to 5 s to connect and 60 s to
  read; ``None`` is refused.
* **Retries only where safe.** A request that never reached the server (connection refused,
  connect timeout, DNS failure) is retried for every call. Read timeouts, dropped
  connections and retryable API errors (HTTP 429/502/503/504, or a vendor code the vendor
  package marks retryable) are retried only for calls marked ``idempotent=True``.
* **Backoff** is capped exponential with full jitter; ``Retry-After`` (seconds or an HTTP
  date) is honoured up to :attr:`RetryPolicy.max_retry_after`, and a longer one is not
  waited out: the :class:`~backup_sdk.errors.RateLimitError` says how long to wait.
* **Observability without leaks.** DEBUG logs show method, URL, status, timing and a
  redacted, truncated body; hooks receive the same redacted facts.
"""

from __future__ import annotations

import email.utils
import json
import logging
import math
import platform
import random
import threading
import time
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import timezone
from typing import Any, Final, TypeVar, overload

import attrs
import requests
import requests.adapters
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from backup_sdk._version import __version__
from backup_sdk.errors import (
    APIError,
    ConfigurationError,
    ConnectError,
    RateLimitError,
    RequestTimeoutError,
    ResponseDecodeError,
    TransportError,
    error_class_for_status,
)
from backup_sdk.redaction import redact_body, redact_headers, redact_text, redact_url

__all__ = [
    "NOT_GIVEN",
    "CallInfo",
    "Hooks",
    "InsecureTransportWarning",
    "NotGiven",
    "RequestEvent",
    "ResponseEvent",
    "RetryPolicy",
    "Timeout",
    "Transport",
    "default_handler",
    "iter_content",
    "json_handler",
    "parse_json",
    "parse_retry_after",
    "raise_for_http_status",
    "user_agent",
]

T = TypeVar("T")


class NotGiven:
    """Sentinel type for "argument not given" (so that ``None`` can mean something)."""

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()


class InsecureTransportWarning(UserWarning):
    """TLS certificate verification was turned off for a client."""


def _positive(name: str) -> Callable[[Any, Any, float], None]:
    def check(_inst: Any, _attr: Any, value: float) -> None:
        if value is None or not isinstance(value, int | float) or isinstance(value, bool):
            raise ConfigurationError(f"{name} must be a number of seconds, got {value!r}")
        if not value > 0 or value == float("inf"):
            raise ConfigurationError(f"{name} must be positive and finite, got {value!r}")

    return check


@attrs.frozen
class Timeout:
    """Connect and read timeouts, in seconds. Both are always finite."""

    connect: float = attrs.field(default=5.0, validator=_positive("connect timeout"))
    read: float = attrs.field(default=60.0, validator=_positive("read timeout"))

    @classmethod
    def coerce(cls, value: Timeout | float | tuple[float, float]) -> Timeout:
        """Accept a :class:`Timeout`, one number (read; connect stays 5 s) or a pair."""
        if isinstance(value, Timeout):
            return value
        if isinstance(value, tuple) and len(value) == 2:
            return cls(connect=value[0], read=value[1])
        if isinstance(value, int | float) and not isinstance(value, bool):
            return cls(connect=min(5.0, float(value)), read=float(value))
        raise ConfigurationError(
            f"timeout must be seconds, a (connect, read) pair or a Timeout; got {value!r} "
            "(an unbounded timeout is not allowed)"
        )

    def as_requests(self) -> tuple[float, float]:
        return (self.connect, self.read)


@attrs.frozen
class RetryPolicy:
    """When and how long to wait before trying a call again.

    Attributes:
        max_attempts: attempts in all, the first included (1 disables retries).
        backoff_base: seconds; the n-th retry waits ``U(0, min(cap, base * 2**(n-1)))``.
        backoff_cap: the longest computed backoff, in seconds.
        max_retry_after: the longest ``Retry-After`` that will be waited out, in seconds.
        retry_statuses: HTTP statuses treated as retryable for idempotent calls.
        budget: at most this many retries per client in any ``budget_window`` seconds
            (None: no limit). A sweep over 2,000 devices during an outage then fails fast
            instead of multiplying the load on a struggling service.
        budget_window: the length of that window, in seconds.
    """

    max_attempts: int = attrs.field(default=3)
    backoff_base: float = 0.5
    backoff_cap: float = 20.0
    max_retry_after: float = 60.0
    retry_statuses: frozenset[int] = frozenset({429, 502, 503, 504})
    budget: int | None = 100
    budget_window: float = 60.0

    @max_attempts.validator
    def _check_attempts(self, _attr: Any, value: int) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ConfigurationError(f"max_attempts must be an int >= 1, got {value!r}")

    @classmethod
    def none(cls) -> RetryPolicy:
        """A policy that never retries."""
        return cls(max_attempts=1)

    def backoff(self, retry_number: int, rng: random.Random | None = None) -> float:
        """Seconds to wait before retry number ``retry_number`` (1-based), full jitter."""
        ceiling = min(self.backoff_cap, self.backoff_base * (2 ** max(0, retry_number - 1)))
        return (rng or random).uniform(0.0, ceiling)


@attrs.frozen
class CallInfo:
    """What is being called: passed to response handlers and carried by events."""

    vendor: str
    operation: str
    method: str
    url: str  # redacted
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
    """

    call: CallInfo
    attempt: int
    status: int | None
    elapsed: float
    headers: Mapping[str, str]
    error: BaseException | None
    will_retry: bool


@attrs.define
class Hooks:
    """Callbacks for metrics and tracing. Exceptions raised by a hook propagate."""

    on_request: list[Callable[[RequestEvent], None]] = attrs.field(factory=list)
    on_response: list[Callable[[ResponseEvent], None]] = attrs.field(factory=list)


def user_agent(package: str) -> str:
    """``backup-sdk/<v> <package>/<v> python/<v> requests/<v>``."""
    return (
        f"backup-sdk/{__version__} {package}/{__version__} "
        f"python/{platform.python_version()} requests/{requests.__version__}"
    )


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        current = now if now is not None else time.time()
        return max(0.0, when.timestamp() - current)
    if math.isnan(seconds) or seconds < 0:
        return None
    return seconds


_EXCERPT: Final = 500


def raise_for_http_status(
    response: requests.Response,
    call: CallInfo,
    *,
    code: int | str | None = None,
    message: str | None = None,
    error_cls: type[APIError] | None = None,
) -> None:
    """Raise the :class:`APIError` subclass for an HTTP error status (>= 400)."""
    status = response.status_code
    if status < 400 and error_cls is None:
        return
    cls = error_cls or error_class_for_status(status)
    excerpt = redact_body(response.content, response.headers.get("Content-Type"), limit=_EXCERPT)
    text = message or (response.reason or "error") + (f": {excerpt}" if excerpt else "")
    details: dict[str, Any] = {
        "vendor": call.vendor,
        "status": status,
        "code": code,
        "operation": call.operation,
        "request_id": response.headers.get("X-Request-Id") or response.headers.get("Request-Id"),
        "body_excerpt": excerpt or None,
    }
    if issubclass(cls, RateLimitError):
        details["retry_after"] = parse_retry_after(response.headers.get("Retry-After"))
    raise cls(text, **details)


def default_handler(response: requests.Response, call: CallInfo) -> requests.Response:
    """Raise for HTTP >= 400, otherwise return the response unchanged."""
    raise_for_http_status(response, call)
    return response


def parse_json(response: requests.Response, call: CallInfo) -> Any:
    """Decode a JSON body whatever the status; a non-JSON body raises ``ResponseDecodeError``.

    Use :func:`json_handler` to also raise for HTTP error statuses.
    """
    try:
        return response.json()
    except ValueError:
        ctype = response.headers.get("Content-Type", "unknown type")
        raise ResponseDecodeError(
            f"{call.operation} returned a body that is not JSON ({ctype}, "
            f"{len(response.content)} bytes, HTTP {response.status_code})",
            vendor=call.vendor,
            model=None,
            path="$",
            excerpt=redact_body(response.content, ctype, limit=200) or None,
        ) from None


def json_handler(response: requests.Response, call: CallInfo) -> Any:
    """Raise for HTTP >= 400 (see :func:`raise_for_http_status`), else decode JSON."""
    raise_for_http_status(response, call)
    return parse_json(response, call)


def iter_content(
    response: requests.Response, call: CallInfo, chunk_size: int = 256 * 1024
) -> Iterator[bytes]:
    """Yield a streamed body in chunks; a connection lost part-way raises ``ConnectError``.

    The response is closed when the iterator ends, fails or is closed.
    """
    try:
        yield from response.iter_content(chunk_size=chunk_size)
    except (requests.exceptions.RequestException, OSError) as exc:
        raise ConnectError(
            f"{call.method} {call.url} ({call.operation}): download cut short: "
            f"{redact_text(str(exc))[:200]}",
            vendor=call.vendor,
            operation=call.operation,
            method=call.method,
            url=call.url,
        ) from None
    finally:
        response.close()


def _never_sent(exc: BaseException) -> bool:
    """True if the connection was never established (safe to retry any call)."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, NewConnectionError | ConnectTimeoutError):
            return True
        nxt = getattr(seen, "reason", None)
        if nxt is None and seen.args and isinstance(seen.args[0], BaseException):
            nxt = seen.args[0]
        seen = nxt if isinstance(nxt, BaseException) else None
    return False


_insecure_warned: set[str] = set()


class Transport:
    """One ``requests.Session`` with the SDK's timeout, retry, logging and hook behaviour.

    Args:
        base_url: prefix for relative paths (``https://host/api``).
        package: the vendor package name; names the logger and the User-Agent.
        timeout: default :class:`Timeout` (or seconds, or a pair).
        retry: default :class:`RetryPolicy`.
        session: a caller's own ``requests.Session`` (it is not closed by :meth:`close`).
        proxies: passed to every request.
        verify: passed to every request (``True``, ``False`` or a CA bundle path).
        cert: a client certificate, passed to every request.
        headers: extra headers on every request.
        hooks: :class:`Hooks` for metrics and tracing.
        sleep: the function used to wait between attempts (tests pass a fake).
        rng: random source for jitter.
    """

    def __init__(
        self,
        base_url: str,
        *,
        package: str,
        timeout: Timeout | float | tuple[float, float] = Timeout(),
        retry: RetryPolicy | None = None,
        session: requests.Session | None = None,
        proxies: Mapping[str, str] | None = None,
        verify: bool | str = True,
        cert: str | tuple[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        hooks: Hooks | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        pool_maxsize: int = 16,
    ) -> None:
        if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
            raise ConfigurationError(
                f"base_url must start with http:// or https://, got {redact_url(str(base_url))!r}"
            )
        self.base_url = base_url.rstrip("/")
        self.package = package
        self.timeout = Timeout.coerce(timeout)
        self.retry = retry or RetryPolicy()
        self.proxies = dict(proxies) if proxies else None
        self.verify = verify
        self.cert = cert
        self.hooks = hooks or Hooks()
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.logger = logging.getLogger(package)
        self._retries: deque[float] = deque()
        self._budget_lock = threading.Lock()
        self._owns_session = session is None
        if session is None:
            session = requests.Session()
            adapter = requests.adapters.HTTPAdapter(
                pool_connections=4, pool_maxsize=pool_maxsize, max_retries=0
            )
            session.mount("https://", adapter)
            session.mount("http://", adapter)
        self.session = session
        self.headers: dict[str, str] = {"User-Agent": user_agent(package)}
        if headers:
            self.headers.update(headers)
        if verify is False and self.base_url not in _insecure_warned:
            _insecure_warned.add(self.base_url)
            warnings.warn(
                f"TLS certificate verification is off for {redact_url(self.base_url)}; "
                "anyone on the network path can read and change this traffic",
                InsecureTransportWarning,
                stacklevel=3,
            )

    # -- lifecycle ---------------------------------------------------------------------

    def close(self) -> None:
        """Close the session's pooled connections (not a session the caller gave us)."""
        if self._owns_session:
            self.session.close()

    def derive(
        self,
        *,
        timeout: Timeout | float | tuple[float, float] | NotGiven = NOT_GIVEN,
        retry: RetryPolicy | NotGiven = NOT_GIVEN,
    ) -> Transport:
        """A copy with other defaults that shares this transport's session."""
        clone = object.__new__(Transport)
        clone.__dict__.update(self.__dict__)
        clone._owns_session = False
        if not isinstance(timeout, NotGiven):
            clone.timeout = Timeout.coerce(timeout)
        if not isinstance(retry, NotGiven):
            clone.retry = retry
        return clone

    def url_for(self, path_or_url: str) -> str:
        if path_or_url.startswith(("http://", "https://")):
            return path_or_url
        return f"{self.base_url}/{path_or_url.lstrip('/')}"

    # -- requests ------------------------------------------------------------------------

    @overload
    def request(
        self,
        method: str,
        path_or_url: str,
        *,
        operation: str,
        idempotent: bool = ...,
        params: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = ...,
        json: Any = ...,
        data: Any = ...,
        files: Any = ...,
        headers: Mapping[str, str] | None = ...,
        timeout: Timeout | float | tuple[float, float] | NotGiven = ...,
        stream: bool = ...,
        handler: None = ...,
    ) -> requests.Response: ...

    @overload
    def request(
        self,
        method: str,
        path_or_url: str,
        *,
        operation: str,
        idempotent: bool = ...,
        params: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = ...,
        json: Any = ...,
        data: Any = ...,
        files: Any = ...,
        headers: Mapping[str, str] | None = ...,
        timeout: Timeout | float | tuple[float, float] | NotGiven = ...,
        stream: bool = ...,
        handler: Callable[[requests.Response, CallInfo], T],
    ) -> T: ...

    def request(
        self,
        method: str,
        path_or_url: str,
        *,
        operation: str,
        idempotent: bool = False,
        params: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
        json: Any = None,
        data: Any = None,
        files: Any = None,
        headers: Mapping[str, str] | None = None,
        timeout: Timeout | float | tuple[float, float] | NotGiven = NOT_GIVEN,
        stream: bool = False,
        handler: Callable[[requests.Response, CallInfo], Any] | None = None,
    ) -> Any:
        """Send a request with retries; return ``handler(response, call)``.

        ``handler`` parses the response and raises an :class:`APIError` for an error reply;
        without one, HTTP >= 400 raises and the ``requests.Response`` is returned.

        Raises:
            TransportError: no response (``ConnectError``, ``RequestTimeoutError``).
            APIError: the vendor's error, after retries where allowed.
            ResponseDecodeError: raised by ``handler`` for an unreadable body.
        """
        url = self.url_for(path_or_url)
        call = CallInfo(
            vendor=self.package,
            operation=operation,
            method=method.upper(),
            url=redact_url(url),
            idempotent=idempotent,
        )
        effective_timeout = (
            self.timeout if isinstance(timeout, NotGiven) else Timeout.coerce(timeout)
        )
        merged_headers = dict(self.headers)
        if headers:
            merged_headers.update(headers)
        parse = handler or default_handler
        files_replayable = files is None and not _is_stream(data)
        policy = self.retry
        attempt = 0
        while True:
            attempt += 1
            for hook in self.hooks.on_request:
                hook(RequestEvent(call=call, attempt=attempt))
            if self.logger.isEnabledFor(logging.DEBUG):
                self._log_request(call, attempt, merged_headers, json, data)
            started = time.monotonic()
            response: requests.Response | None = None
            retry_ok = False
            wait_hint: float | None = None
            error: BaseException
            try:
                response = self.session.request(
                    call.method,
                    url,
                    params=params,
                    json=json,
                    data=data,
                    files=files,
                    headers=merged_headers,
                    timeout=effective_timeout.as_requests(),
                    stream=stream,
                    verify=self.verify,
                    cert=self.cert,
                    proxies=self.proxies,
                )
            except requests.exceptions.ConnectTimeout as exc:
                error = self._transport_error(RequestTimeoutError, call, "connect timed out", exc)
                retry_ok = True
            except requests.exceptions.ReadTimeout as exc:
                error = self._transport_error(
                    RequestTimeoutError,
                    call,
                    f"no response within the {effective_timeout.read:g} s read timeout",
                    exc,
                )
                retry_ok = idempotent
            except (
                requests.exceptions.ConnectionError,
                requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError,
            ) as exc:
                never_sent = _never_sent(exc)
                what = "could not connect" if never_sent else "connection dropped"
                error = self._transport_error(ConnectError, call, what, exc)
                retry_ok = never_sent or idempotent
            except (requests.exceptions.RequestException, OSError, ValueError) as exc:
                # invalid URL, missing TLS certificate files, bad proxy settings...
                error = self._transport_error(TransportError, call, "request failed", exc)
                retry_ok = False
            else:
                elapsed = time.monotonic() - started
                if self.logger.isEnabledFor(logging.DEBUG):
                    self._log_response(call, response, elapsed, stream)
                try:
                    result = parse(response, call)
                except APIError as exc:
                    error = exc
                    retry_ok = idempotent and bool(exc.retryable)
                    if isinstance(exc, RateLimitError) and exc.retry_after is not None:
                        wait_hint = exc.retry_after
                    else:
                        wait_hint = parse_retry_after(response.headers.get("Retry-After"))
                except (requests.exceptions.RequestException, OSError) as exc:
                    # body read failed part-way (streamed or truncated responses)
                    error = self._transport_error(ConnectError, call, "response cut short", exc)
                    retry_ok = idempotent and not stream
                else:
                    self._fire_response(call, attempt, response, started, None, False)
                    return result
            retry_ok = retry_ok and files_replayable and attempt < policy.max_attempts
            if retry_ok and not self._spend_retry(policy):
                self.logger.warning(
                    "%s %s: retry budget spent (%s retries in %g s); not retrying",
                    call.method,
                    call.operation,
                    policy.budget,
                    policy.budget_window,
                )
                retry_ok = False
            delay = 0.0
            if retry_ok:
                if wait_hint is not None:
                    if wait_hint > policy.max_retry_after:
                        retry_ok = False
                        if isinstance(error, RateLimitError) and error.retry_after is None:
                            error.retry_after = wait_hint
                    else:
                        delay = wait_hint
                else:
                    delay = policy.backoff(attempt, self.rng)
            self._fire_response(call, attempt, response, started, error, retry_ok)
            if response is not None and not stream:
                response.close()
            if not retry_ok:
                raise error
            self.logger.info(
                "%s %s: attempt %d failed (%s); retrying in %.2f s",
                call.method,
                call.operation,
                attempt,
                redact_text(str(error)),
                delay,
            )
            self.sleep(delay)

    # -- helpers -------------------------------------------------------------------------

    def _spend_retry(self, policy: RetryPolicy) -> bool:
        """Take one retry from the client's budget; False when it is spent."""
        if policy.budget is None:
            return True
        now = time.monotonic()
        with self._budget_lock:
            spent = self._retries
            while spent and now - spent[0] > policy.budget_window:
                spent.popleft()
            if len(spent) >= policy.budget:
                return False
            spent.append(now)
            return True

    def _transport_error(
        self, cls: type[TransportError], call: CallInfo, what: str, exc: BaseException
    ) -> TransportError:
        detail = redact_text(str(exc))
        if len(detail) > 300:
            detail = detail[:300] + "..."
        return cls(
            f"{call.method} {call.url} ({call.operation}): {what}: {detail}",
            vendor=call.vendor,
            operation=call.operation,
            method=call.method,
            url=call.url,
        )

    def _fire_response(
        self,
        call: CallInfo,
        attempt: int,
        response: requests.Response | None,
        started: float,
        error: BaseException | None,
        will_retry: bool,
    ) -> None:
        if not self.hooks.on_response:
            return
        event = ResponseEvent(
            call=call,
            attempt=attempt,
            status=response.status_code if response is not None else None,
            elapsed=time.monotonic() - started,
            headers=redact_headers(response.headers) if response is not None else {},
            error=error,
            will_retry=will_retry,
        )
        for hook in self.hooks.on_response:
            hook(event)

    def _log_request(
        self,
        call: CallInfo,
        attempt: int,
        headers: Mapping[str, str],
        json_body: Any,
        data: Any,
    ) -> None:
        body = ""
        if json_body is not None:
            body = redact_body(_dumps(json_body), "application/json")
        elif isinstance(data, str | bytes):
            ctype = headers.get("Content-Type", "application/x-www-form-urlencoded")
            body = redact_body(data, ctype)
        elif isinstance(data, Mapping):
            body = redact_body(
                "&".join(f"{k}={v}" for k, v in data.items()), "application/x-www-form-urlencoded"
            )
        self.logger.debug(
            "-> %s %s [%s] attempt %d headers=%s body=%s",
            call.method,
            call.url,
            call.operation,
            attempt,
            redact_headers(headers),
            body,
        )

    def _log_response(
        self,
        call: CallInfo,
        response: requests.Response,
        elapsed: float,
        stream: bool,
    ) -> None:
        ctype = response.headers.get("Content-Type")
        if stream:
            body = "<streamed>"
        elif ctype and not ("json" in ctype or "text" in ctype or "form" in ctype):
            body = f"<{len(response.content)} bytes of {ctype}>"
        else:
            body = redact_body(response.content, ctype)
        self.logger.debug(
            "<- %s %s [%s] HTTP %d in %.1f ms body=%s",
            call.method,
            call.url,
            call.operation,
            response.status_code,
            elapsed * 1000,
            body,
        )


def _dumps(value: Any) -> str:
    try:
        return json.dumps(value, default=str, separators=(",", ":"))
    except (TypeError, ValueError):
        return repr(value)


def _is_stream(data: Any) -> bool:
    return data is not None and not isinstance(data, str | bytes | Mapping | list | tuple)
