"""HTTP transport shared by the vendor clients: one ``requests.Session``, timeouts, retries.

What it guarantees, for every vendor:

* **Timeouts are always finite**, and every call has a **deadline** (300 s by default,
  across attempts and waits): a server that trickles its answer cannot hold a call open.
* **Retries only where safe**: see :mod:`backup_sdk.retrying`.
* **Redirects stay on the origin.** Same-origin redirects are followed (at most 5);
  one to another scheme, host or port raises :class:`~backup_sdk.errors.RedirectError`
  and nothing (no credentials, no body) is sent there.
* **Observability without leaks.** DEBUG logs show method, URL, status, timing and a
  redacted, truncated body; hooks receive the same redacted facts.

The names that used to live here (``Timeout``, ``RetryPolicy``, ``Hooks``, the handlers...)
are still importable from this module.
"""

from __future__ import annotations

import json as _json
import logging
import platform
import random
import re
import time
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import IO, Any, Final, TypeVar, cast, overload
from urllib.parse import quote_plus, urljoin, urlsplit

import requests
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError

from backup_sdk._environment import environment_settings
from backup_sdk._sentinel import NOT_GIVEN, NotGiven
from backup_sdk._version import __version__
from backup_sdk.config import (
    DEFAULT_DEADLINE,
    InsecureTransportWarning,
    RetryPolicy,
    Timeout,
    check_deadline,
)
from backup_sdk.errors import (
    APIError,
    ConfigurationError,
    ConnectError,
    RateLimitError,
    RedirectError,
    RequestTimeoutError,
    TransportError,
)
from backup_sdk.handlers import (
    default_handler,
    iter_content,
    json_handler,
    parse_json,
    parse_retry_after,
    raise_for_http_status,
)
from backup_sdk.hooks import CallInfo, Hooks, RequestEvent, ResponseEvent
from backup_sdk.httplog import log_request, log_response
from backup_sdk.redaction import (
    redact_headers,
    redact_text,
    redact_url,
)
from backup_sdk.retrying import Outcome, RetryBudget, retry_delay
from backup_sdk.watchdog import DeadlineAdapter, Watchdog

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
_MAX_REDIRECTS: Final = 5
_REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})
_insecure_warned: set[str] = set()
_DEFAULT_TIMEOUT: Final = Timeout()
_PLAIN: Final = (str, bytes, dict)
_FORM_TYPE: Final = "application/x-www-form-urlencoded"
_SIMPLEJSON: Final = bool(getattr(requests.compat, "has_simplejson", False))


def user_agent(package: str) -> str:
    """``backup-sdk/<v> <package>/<v> python/<v> requests/<v>``."""
    return (
        f"backup-sdk/{__version__} {package}/{__version__} "
        f"python/{platform.python_version()} requests/{requests.__version__}"
    )


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port


def _check_verify(verify: Any) -> bool | str:
    if verify is True or verify is False:
        return bool(verify)
    if isinstance(verify, str) and verify.strip():
        return verify
    raise ConfigurationError(
        f"verify must be True, False or the path of a CA bundle, got {verify!r} "
        "(use verify=False explicitly to turn certificate checks off)"
    )


class _Body:
    """The request body as given, as sent (a form of strings encoded here, as ``requests``
    would), and how to send it again after a failed attempt."""

    __slots__ = ("data", "files", "json", "wire", "wire_json")

    def __init__(self, json: Any = None, data: Any = None, files: Any = None) -> None:
        self.json = json
        self.data = data
        self.files = files
        #: what is passed to ``requests`` as ``data`` and ``json``
        self.wire = data
        self.wire_json = json

    def rewinder(self) -> Callable[[], bool] | None:
        """A function that rewinds streams in the body (False when one cannot), or None
        when the body is plain data that can simply be sent again."""
        if self.files is None and (self.data is None or type(self.data) in _PLAIN):
            return None
        streams: list[IO[Any]] = []
        for value in (self.data, *(_file_objects(self.files))):
            if value is not None and hasattr(value, "read"):
                streams.append(value)
            elif value is not None and not isinstance(value, str | bytes | Mapping | list | tuple):
                return lambda: False  # a generator or other one-shot iterable
        if not streams:
            return None
        positions: list[int | None] = []
        for stream in streams:
            try:
                positions.append(stream.tell() if stream.seekable() else None)
            except (AttributeError, OSError, ValueError):
                positions.append(None)

        def rewind() -> bool:
            if any(p is None for p in positions):
                return False
            for stream, position in zip(streams, positions, strict=True):
                try:
                    stream.seek(cast(int, position))
                except (OSError, ValueError):
                    return False
            return True

        return rewind


def _encode_form(data: dict[Any, Any]) -> str | None:
    """A form of string keys and values encoded exactly as ``requests`` encodes it (None
    for anything else, which is left to ``requests``, whose encoder makes several slow
    protocol checks per call)."""
    keys, values = list(data), list(data.values())
    if {*map(type, keys), *map(type, values)} != _ONLY_STR:
        return None
    joined = "\0".join(keys + values)
    if _UNQUOTED.fullmatch(joined) and joined.count("\0") == 2 * len(keys) - 1:
        return "&".join(map("=".join, data.items()))  # nothing to quote: the common case
    return "&".join(f"{quote_plus(key)}={quote_plus(value)}" for key, value in data.items())


_ONLY_STR: Final = {str}
#: what ``quote_plus`` leaves as it is (its always-safe ASCII characters; NUL separates)
_UNQUOTED: Final = re.compile(r"[A-Za-z0-9_.~\-\0]*")
#: ``json.dumps(value, allow_nan=False)``, as ``requests`` encodes a JSON body
_JSON_ENCODER: Final = _json.JSONEncoder(allow_nan=False)


def _file_objects(files: Any) -> list[Any]:
    if not files:
        return []
    items = files.values() if isinstance(files, Mapping) else [v for _, v in files]
    found = []
    for item in items:
        found.append(item[1] if isinstance(item, tuple) and len(item) > 1 else item)
    return found


class _DeadlinePassed(Exception):
    """The call's deadline passed while a body was being read."""


class Transport:
    """One ``requests.Session`` with the SDK's timeout, deadline, retry, logging and hooks.

    Args:
        base_url: prefix for relative paths (``https://host/api``).
        package: the import package; names the logger and the User-Agent.
        vendor: the vendor id carried by errors and events (``"cove"``...; default
            ``package``).
        timeout: default :class:`Timeout` (or seconds, or a pair).
        deadline: default seconds a whole call may take, retries included (None: no cap).
        retry: default :class:`RetryPolicy`.
        session: a caller's own ``requests.Session`` (it is not closed by :meth:`close`;
            its ``trust_env`` decides whether the environment is read, on every request).
        proxies: passed to every request. Without ``session``, ``HTTP_PROXY``,
            ``HTTPS_PROXY``, ``ALL_PROXY`` and ``NO_PROXY`` are read once, here; these
            win over them.
        verify: ``True``, ``False`` (warns) or the path of a CA bundle. Without
            ``session``, ``True`` means ``REQUESTS_CA_BUNDLE`` or ``CURL_CA_BUNDLE``
            when set (read here). ``~/.netrc`` is not read.
        cert: a client certificate, passed to every request.
        headers: extra headers on every request.
        hooks: :class:`Hooks` for metrics and tracing.
        sleep: the function used to wait between attempts (tests pass a fake).
        rng: random source for jitter.
        clock: monotonic seconds, for deadlines (tests pass a fake).
    """

    def __init__(
        self,
        base_url: str,
        *,
        package: str,
        vendor: str | None = None,
        timeout: Timeout | float | tuple[float, float] = _DEFAULT_TIMEOUT,
        deadline: float | None = DEFAULT_DEADLINE,
        retry: RetryPolicy | None = None,
        session: requests.Session | None = None,
        proxies: Mapping[str, str] | None = None,
        verify: bool | str = True,
        cert: str | tuple[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        hooks: Hooks | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.monotonic,
        pool_maxsize: int = 16,
    ) -> None:
        if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
            raise ConfigurationError(
                f"base_url must start with http:// or https://, got {redact_url(str(base_url))!r}"
            )
        if retry is not None and not isinstance(retry, RetryPolicy):
            raise ConfigurationError(f"retry must be a RetryPolicy, got {retry!r}")
        self.base_url = base_url.rstrip("/")
        self.vendor = vendor or package
        self.package = package
        self.timeout = Timeout.coerce(timeout)
        self.deadline = check_deadline(deadline)
        self.retry = retry or RetryPolicy()
        self.proxies = dict(proxies) if proxies else None
        self.verify = _check_verify(verify)
        self.cert = cert
        self.hooks = hooks or Hooks()
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.clock = clock
        self.logger = logging.getLogger(package)
        self.budget = RetryBudget()
        self._owns_session = session is None
        #: the proxies and ``verify`` each request is sent with
        self._send_proxies: dict[str, str] | None
        self._send_verify: bool | str
        if session is None:
            session = requests.Session()
            adapter = DeadlineAdapter(pool_connections=4, pool_maxsize=pool_maxsize, max_retries=0)
            session.mount("https://", adapter)
            session.mount("http://", adapter)
            # the environment's proxies and CA bundle are read now, once (see
            # ``_environment``); ~/.netrc never replaces the client's own credentials
            session.trust_env = False
            self._send_proxies, self._send_verify = environment_settings(
                self.base_url, self.proxies, self.verify
            )
        else:
            self._send_proxies, self._send_verify = self.proxies, self.verify
        self.session = session
        self.headers: dict[str, str] = {"User-Agent": user_agent(package)}
        if headers:
            self.headers.update(headers)
        if self.verify is False and self.base_url not in _insecure_warned:
            _insecure_warned.add(self.base_url)
            warnings.warn(
                f"TLS certificate verification is off for {redact_url(self.base_url)}; "
                "anyone on the network path can read and change this traffic",
                InsecureTransportWarning,
                stacklevel=4,
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
        deadline: float | NotGiven | None = NOT_GIVEN,
    ) -> Transport:
        """A copy with other defaults that shares this transport's session, hooks and
        retry budget (closing the copy leaves the session open)."""
        clone = object.__new__(Transport)
        clone.__dict__.update(self.__dict__)
        clone._owns_session = False
        if not isinstance(timeout, NotGiven):
            clone.timeout = Timeout.coerce(timeout)
        if not isinstance(retry, NotGiven):
            if not isinstance(retry, RetryPolicy):
                raise ConfigurationError(f"retry must be a RetryPolicy, got {retry!r}")
            clone.retry = retry
        if not isinstance(deadline, NotGiven):
            clone.deadline = check_deadline(deadline)
        return clone

    def _encode_body(
        self, body: _Body, merged: dict[str, str], headers: Mapping[str, str] | None
    ) -> dict[str, str]:
        """Encode a JSON body or a form of strings here, exactly as ``requests`` would (its
        encoders cost more); return the headers to send."""
        if body.files is not None:
            return merged
        if body.data is None and body.json is not None:
            if _SIMPLEJSON or self._sets_content_type(headers):
                return merged
            try:
                encoded = _JSON_ENCODER.encode(body.json).encode("utf-8")
            except (TypeError, ValueError, RecursionError):
                return merged  # requests raises its own error for it
            body.wire, body.wire_json = encoded, None
            return {**merged, "Content-Type": "application/json"}
        if type(body.data) is dict and body.data and not self._sets_content_type(headers):
            form = _encode_form(body.data)
            if form is not None:
                body.wire = form
                return {**merged, "Content-Type": _FORM_TYPE}
        return merged

    def _sets_content_type(self, headers: Mapping[str, str] | None) -> bool:
        """True when the call's, the client's or the session's headers name a Content-Type."""
        if headers and any(name.lower() == "content-type" for name in headers):
            return True
        if any(name.lower() == "content-type" for name in self.headers):
            return True
        return "content-type" in self.session.headers

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
        deadline: float | NotGiven | None = ...,
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
        deadline: float | NotGiven | None = ...,
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
        deadline: float | NotGiven | None = NOT_GIVEN,
        stream: bool = False,
        handler: Callable[[requests.Response, CallInfo], Any] | None = None,
    ) -> Any:
        """Send a request with retries; return ``handler(response, call)``.

        ``handler`` parses the response and raises an :class:`APIError` for an error reply;
        without one, HTTP >= 400 raises and the ``requests.Response`` is returned. With
        ``stream=True`` the deadline covers the wait for the headers; the body is then read
        by the caller with the read timeout as an idle timeout.

        Raises:
            TransportError: no response (``ConnectError``, ``RequestTimeoutError``).
            APIError: the vendor's error, after retries where allowed.
            RedirectError: a redirect to another origin (nothing was sent there).
            ResponseDecodeError: raised by ``handler`` for an unreadable body.
        """
        url = self.url_for(path_or_url)
        call = CallInfo(
            vendor=self.vendor,
            operation=operation,
            method=method.upper(),
            url=redact_url(url),
            idempotent=idempotent,
        )
        per_attempt = self.timeout if isinstance(timeout, NotGiven) else Timeout.coerce(timeout)
        limit = self.deadline if isinstance(deadline, NotGiven) else check_deadline(deadline)
        merged_headers = dict(self.headers)
        if headers:
            merged_headers.update(headers)
        body = _Body(json, data, files)
        sent_headers = self._encode_body(body, merged_headers, headers)
        rewind = body.rewinder()
        parse = handler or default_handler
        policy = self.retry
        started = self.clock()
        ends = None if limit is None else started + limit
        attempt = 0
        while True:
            attempt += 1
            remaining = None if ends is None else ends - self.clock()
            if remaining is not None and remaining <= 0:
                raise self._deadline_error(call, limit)
            for hook in self.hooks.on_request:
                hook(RequestEvent(call=call, attempt=attempt))
            if self.logger.isEnabledFor(logging.DEBUG):
                log_request(
                    self.logger, call, attempt, merged_headers, body.json, body.data, body.files
                )
            attempt_started = self.clock()
            timeouts = per_attempt if remaining is None else per_attempt.capped(remaining)
            response, outcome, result = self._attempt(
                call, url, params, body, sent_headers, timeouts, remaining, stream, parse, limit
            )
            if outcome is None:
                self._fire_response(call, attempt, response, attempt_started, None, False)
                return result
            error = outcome.error
            remaining = None if ends is None else ends - self.clock()
            delay = retry_delay(
                policy,
                outcome,
                attempt=attempt,
                idempotent=idempotent,
                replayable=True,
                remaining=remaining,
                rng=self.rng,
            )
            if delay is not None and rewind is not None and not rewind():
                self.logger.info("%s: the request body cannot be sent again", call.operation)
                delay = None
            if (
                delay is None
                and isinstance(error, RateLimitError)
                and error.retry_after is None
                and outcome.wait_hint is not None
            ):
                error.retry_after = outcome.wait_hint
            if delay is not None and not self.budget.spend(policy):
                self.logger.warning(
                    "%s %s: retry budget spent (%s retries in %g s); not retrying",
                    call.method,
                    call.operation,
                    policy.budget,
                    policy.budget_window,
                )
                delay = None
            self._fire_response(call, attempt, response, attempt_started, error, delay is not None)
            if response is not None and not stream:
                response.close()
            if delay is None:
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

    # -- one attempt -----------------------------------------------------------------------

    def _attempt(
        self,
        call: CallInfo,
        url: str,
        params: Any,
        body: _Body,
        headers: dict[str, str],
        timeouts: Timeout,
        remaining: float | None,
        stream: bool,
        parse: Callable[[requests.Response, CallInfo], Any],
        limit: float | None,
    ) -> tuple[requests.Response | None, Outcome | None, Any]:
        """Send once (following same-origin redirects); ``(response, None, result)`` on
        success, ``(response or None, outcome, None)`` on failure."""
        watchdog = Watchdog(remaining) if remaining is not None else None
        response: requests.Response | None = None
        try:
            if watchdog is not None:
                watchdog.__enter__()
            response = self._send_following(call, url, params, body, headers, timeouts)
            if not stream:
                self._read_body(response, watchdog)
        except _DeadlinePassed:
            return response, Outcome(self._deadline_error(call, limit)), None
        except RedirectError as exc:
            return response, Outcome(exc), None
        except requests.exceptions.ConnectTimeout as exc:
            error = self._transport_error(RequestTimeoutError, call, "connect timed out", exc)
            return None, Outcome(error, never_sent=True), None
        except requests.exceptions.ReadTimeout as exc:
            if watchdog is not None and watchdog.fired:
                return None, Outcome(self._deadline_error(call, limit)), None
            what = f"no response within the {timeouts.read:g} s read timeout"
            error = self._transport_error(RequestTimeoutError, call, what, exc)
            return None, Outcome(error, retryable=True), None
        except (
            requests.exceptions.ConnectionError,
            requests.exceptions.ChunkedEncodingError,
            requests.exceptions.ContentDecodingError,
        ) as exc:
            if watchdog is not None and watchdog.fired:
                return response, Outcome(self._deadline_error(call, limit)), None
            never_sent = _never_sent(exc)
            error = self._connection_error(call, url, exc, never_sent)
            return response, Outcome(error, never_sent=never_sent, retryable=True), None
        except (requests.exceptions.RequestException, OSError, ValueError) as exc:
            # invalid URL, missing TLS certificate files, bad proxy settings...
            error = self._transport_error(TransportError, call, "request failed", exc)
            return None, Outcome(error), None
        finally:
            if watchdog is not None:
                watchdog.disarm()
        if self.logger.isEnabledFor(logging.DEBUG):
            log_response(self.logger, call, response, stream)
        try:
            result = parse(response, call)
        except APIError as exc:
            hint = exc.retry_after if isinstance(exc, RateLimitError) else None
            if hint is None:
                hint = parse_retry_after(response.headers.get("Retry-After"))
            return response, Outcome(exc, retryable=bool(exc.retryable), wait_hint=hint), None
        except (requests.exceptions.RequestException, OSError) as exc:
            # a streamed body read by the handler failed part-way
            error = self._transport_error(ConnectError, call, "response cut short", exc)
            return response, Outcome(error, retryable=not stream), None
        return response, None, result

    def _send_following(
        self,
        call: CallInfo,
        url: str,
        params: Any,
        body: _Body,
        headers: dict[str, str],
        timeouts: Timeout,
    ) -> requests.Response:
        origin: tuple[str, str, int | None] | None = None  # worked out on a redirect
        method = call.method
        for _ in range(_MAX_REDIRECTS + 1):
            response = self.session.request(
                method,
                url,
                params=params,
                json=body.wire_json,
                data=body.wire,
                files=body.files,
                headers=headers,
                timeout=timeouts.as_requests(),
                stream=True,
                verify=self._send_verify,
                cert=self.cert,
                proxies=self._send_proxies,
                allow_redirects=False,
            )
            if response.status_code not in _REDIRECTS:
                return response
            location = response.headers.get("Location")
            if not location:
                return response
            target = urljoin(url, location)
            response.close()
            if origin is None:
                origin = _origin(url)
            if _origin(target) != origin:
                raise RedirectError(
                    f"the server redirected {call.operation} to another origin "
                    f"({redact_url(target)}); credentials and request bodies are only sent "
                    f"to {redact_url(f'{origin[0]}://{origin[1]}')} -- check the base URL",
                    vendor=call.vendor,
                    status=response.status_code,
                    operation=call.operation,
                    location=redact_url(target),
                )
            if response.status_code in (301, 302, 303) and method not in ("GET", "HEAD"):
                raise RedirectError(
                    f"the server answered {call.operation} with HTTP {response.status_code} "
                    f"to {redact_url(target)}; following it would turn the {method} into a "
                    "GET and drop its body -- check the base URL",
                    vendor=call.vendor,
                    status=response.status_code,
                    operation=call.operation,
                    location=redact_url(target),
                )
            url, params = target, None
        raise RedirectError(
            f"more than {_MAX_REDIRECTS} redirects for {call.operation}",
            vendor=call.vendor,
            operation=call.operation,
            location=redact_url(url),
        )

    def _read_body(self, response: requests.Response, watchdog: Watchdog | None) -> None:
        """Read the whole body now, under the watchdog, so the deadline covers it."""
        chunks = []
        try:
            for chunk in response.iter_content(64 * 1024):
                chunks.append(chunk)
                if watchdog is not None and watchdog.fired:
                    raise _DeadlinePassed
        except (requests.exceptions.RequestException, OSError):
            if watchdog is not None and watchdog.fired:
                raise _DeadlinePassed from None
            raise
        response._content = b"".join(chunks)
        response._content_consumed = True  # type: ignore[attr-defined]

    # -- errors ----------------------------------------------------------------------------

    def _deadline_error(self, call: CallInfo, limit: float | None) -> RequestTimeoutError:
        return RequestTimeoutError(
            f"{call.method} {call.url} ({call.operation}): no complete answer within the "
            f"{limit:g} s deadline (the server may still be working on it)",
            vendor=call.vendor,
            operation=call.operation,
            method=call.method,
            url=call.url,
        )

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

    def _connection_error(
        self, call: CallInfo, url: str, exc: BaseException, never_sent: bool
    ) -> TransportError:
        _, host, port = _origin(url)
        text = str(exc)
        where = f"{host}:{port}" if port else host
        if "WRONG_VERSION_NUMBER" in text or "record layer failure" in text:
            what = (
                f"{where} does not speak TLS on that port (is it plain HTTP? try http://, "
                "or the HTTPS port)"
            )
        elif _is_name_failure(exc):
            what = f"could not resolve the host name {host!r}"
        elif never_sent:
            what = f"could not connect to {where}: connection refused or unreachable"
        else:
            what = f"the connection to {where} dropped before a full answer arrived"
        detail = redact_text(text)
        if len(detail) > 300:
            detail = detail[:300] + "..."
        return ConnectError(
            f"{call.operation}: {what} ({call.method} {call.url}; {detail})",
            vendor=call.vendor,
            operation=call.operation,
            method=call.method,
            url=call.url,
        )

    # -- observability ---------------------------------------------------------------------

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
            elapsed=self.clock() - started,
            headers=redact_headers(response.headers) if response is not None else {},
            error=error,
            will_retry=will_retry,
        )
        for hook in self.hooks.on_response:
            hook(event)


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


def _is_name_failure(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, NameResolutionError):
            return True
        nxt = getattr(seen, "reason", None)
        if nxt is None and seen.args and isinstance(seen.args[0], BaseException):
            nxt = seen.args[0]
        seen = nxt if isinstance(nxt, BaseException) else None
    return False
