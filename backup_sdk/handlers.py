"""Turning an HTTP response into a value or a typed error (the handlers vendor code uses)."""

from __future__ import annotations

import email.utils
import math
import time
from collections.abc import Iterator
from datetime import timezone
from typing import Any, Final

import requests

from backup_sdk.errors import (
    APIError,
    ConnectError,
    RateLimitError,
    ResponseDecodeError,
    error_class_for_status,
)
from backup_sdk.hooks import CallInfo
from backup_sdk.jsonutil import JSONError, loads
from backup_sdk.redaction import redact_body, redact_text

__all__ = [
    "MAX_RETRY_AFTER",
    "default_handler",
    "iter_content",
    "json_handler",
    "parse_json",
    "parse_retry_after",
    "raise_for_http_status",
]

_EXCERPT: Final = 500
#: A ``Retry-After`` longer than this (a week) is read as "unknown", not waited for.
MAX_RETRY_AFTER: Final = 7 * 86_400.0


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or HTTP date).

    None when absent, unreadable, negative, not finite or longer than a week.
    """
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        current = now if now is not None else time.time()
        seconds = max(0.0, when.timestamp() - current)
    if math.isnan(seconds) or seconds < 0 or seconds > MAX_RETRY_AFTER:
        return None
    return seconds


def raise_for_http_status(
    response: requests.Response,
    call: CallInfo,
    *,
    code: int | str | None = None,
    message: str | None = None,
    error_cls: type[APIError] | None = None,
) -> None:
    """Raise the :class:`APIError` subclass for an HTTP error status (>= 400).

    A 429's message says how long the server asked to wait.
    """
    status = response.status_code
    if status < 400 and error_cls is None:
        return
    raise http_error(response, call, code=code, message=message, error_cls=error_cls)


def http_error(
    response: requests.Response,
    call: CallInfo,
    *,
    code: int | str | None = None,
    message: str | None = None,
    error_cls: type[APIError] | None = None,
) -> APIError:
    """The typed error for an HTTP error response (see :func:`raise_for_http_status`)."""
    status = response.status_code
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
        wait = parse_retry_after(response.headers.get("Retry-After"))
        details["retry_after"] = wait
        if wait is not None:
            text = f"{text} (the server asks to wait {wait:g} s before trying again)"
    return cls(text, **details)


def default_handler(response: requests.Response, call: CallInfo) -> requests.Response:
    """Raise for HTTP >= 400, otherwise return the response unchanged."""
    raise_for_http_status(response, call)
    return response


def parse_json(response: requests.Response, call: CallInfo) -> Any:
    """Decode a JSON body whatever the status; a non-JSON body raises ``ResponseDecodeError``.

    Use :func:`json_handler` to also raise for HTTP error statuses.
    """
    try:
        return loads(response.content)
    except JSONError as exc:
        problem = str(exc)[:100]
    ctype = response.headers.get("Content-Type", "unknown type")
    raise ResponseDecodeError(
        f"{call.operation} returned a body that is not JSON ({ctype}, "
        f"{len(response.content)} bytes, HTTP {response.status_code}): {problem}",
        vendor=call.vendor,
        model=None,
        path="$",
        excerpt=redact_body(response.content[:2_000], ctype, limit=200) or None,
    )


def json_handler(response: requests.Response, call: CallInfo) -> Any:
    """Raise for HTTP >= 400 (see :func:`raise_for_http_status`), else decode JSON."""
    raise_for_http_status(response, call)
    return parse_json(response, call)


def iter_content(
    response: requests.Response, call: CallInfo, chunk_size: int = 256 * 1024
) -> Iterator[bytes]:
    """Yield a streamed body in chunks; a connection lost part-way raises ``ConnectError``.

    The response is closed when the iterator ends, fails or is closed. The client's read
    timeout bounds each wait for data (an idle timeout); there is no total cap.
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
