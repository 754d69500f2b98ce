"""What the transport writes to the DEBUG log: a request or a response in one line, with
secrets redacted and bodies cut to 2,000 characters *before* they are redacted (a 10 MB
body costs what its first 8 KB cost)."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import urlencode

import requests

from backup_sdk.hooks import CallInfo
from backup_sdk.redaction import REDACTED, is_secret_key, redact_body, redact_headers, redact_text

__all__ = ["log_request", "log_response"]

_LOG_LIMIT: Final = 2_000


def log_request(
    logger: logging.Logger,
    call: CallInfo,
    attempt: int,
    headers: Mapping[str, str],
    json_body: Any,
    data: Any,
    files: Any,
) -> None:
    """``-> METHOD URL [operation] attempt N headers=... body=...``."""
    rendered = ""
    if json_body is not None:
        rendered = _render_json(json_body)
    elif isinstance(data, str | bytes):
        ctype = headers.get("Content-Type", "application/x-www-form-urlencoded")
        rendered = redact_body(data[: 4 * _LOG_LIMIT], ctype, limit=_LOG_LIMIT)
    elif isinstance(data, Mapping):
        rendered = _render_form(data)
    elif data is not None or files is not None:
        rendered = "<streamed upload>"
    logger.debug(
        "-> %s %s [%s] attempt %d headers=%s body=%s",
        call.method,
        call.url,
        call.operation,
        attempt,
        redact_headers(headers),
        rendered,
    )


def log_response(
    logger: logging.Logger, call: CallInfo, response: requests.Response, stream: bool
) -> None:
    """``<- METHOD URL [operation] HTTP status in N ms body=...``."""
    ctype = response.headers.get("Content-Type")
    if stream:
        rendered = "<streamed>"
    elif ctype and not ("json" in ctype or "text" in ctype or "form" in ctype):
        rendered = f"<{len(response.content)} bytes of {ctype}>"
    else:
        content = response.content
        head = content[: 4 * _LOG_LIMIT]
        rendered = redact_body(head, ctype, limit=_LOG_LIMIT)
        if len(content) > len(head):
            rendered += f" [{len(content):,} bytes in all]"
    logger.debug(
        "<- %s %s [%s] HTTP %d in %.1f ms body=%s",
        call.method,
        call.url,
        call.operation,
        response.status_code,
        response.elapsed.total_seconds() * 1000,
        rendered,
    )


_ENCODER: Final = json.JSONEncoder(default=str, separators=(",", ":"))


def _render_json(value: Any) -> str:
    """The start of a JSON body, encoded only as far as the log shows it."""
    head: list[str] = []
    size = 0
    try:
        for chunk in _ENCODER.iterencode(value):
            head.append(chunk)
            size += len(chunk)
            if size > 4 * _LOG_LIMIT:
                break
    except (TypeError, ValueError, RecursionError):
        return "<a JSON body that cannot be shown>"
    text = "".join(head)
    return redact_body(text[: 4 * _LOG_LIMIT], "application/json", limit=_LOG_LIMIT)


def _render_form(fields: Mapping[Any, Any]) -> str:
    """A form body for the log, each secret field's value replaced before encoding."""
    safe = [
        (str(k), REDACTED if is_secret_key(str(k)) and v not in (None, "") else redact_text(str(v)))
        for k, v in fields.items()
    ]
    text = urlencode(safe, safe="<>")
    return text if len(text) <= _LOG_LIMIT else f"{text[:_LOG_LIMIT]}... [{len(text):,} characters]"
