"""Comet's error replies mapped onto the shared hierarchy.

The server answers application errors with HTTP 200 and a ``CometAPIResponseMessage``
(``{"Status": 403, "Message": "..."}``). A JSON object is only an error when it has *both*
keys and ``Status >= 400`` -- a ``BackupJobDetail`` has a ``Status`` of its own (5000-7999).
For methods that return nothing but a ``CometAPIResponseMessage``, a ``Status`` outside
200-299 is a failure.

:class:`ServerVersionError` is raised by the client itself, before anything is sent, when a
method or a parameter is newer than the server (see ``docs/comet-versions.md``).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from backup_sdk.errors import (
    APIError,
    AuthenticationError,
    BackupSDKError,
    ConfigurationError,
    ConflictError,
    ConnectError,
    InvalidRequestError,
    MissingDependencyError,
    NotFoundError,
    OperationTimeoutError,
    PermissionDeniedError,
    RateLimitError,
    RedirectError,
    RequestTimeoutError,
    ResponseDecodeError,
    ServerError,
    TransportError,
    ValidationError,
)
from backup_sdk.redaction import redact_text

__all__ = [
    "TOTP_REQUIRED",
    "UNKNOWN_DEVICE",
    "APIError",
    "AuthenticationError",
    "BackupSDKError",
    "ConfigurationError",
    "ConflictError",
    "ConnectError",
    "InvalidRequestError",
    "MissingDependencyError",
    "NotFoundError",
    "OperationTimeoutError",
    "PermissionDeniedError",
    "RateLimitError",
    "RedirectError",
    "RequestTimeoutError",
    "ResponseDecodeError",
    "ServerError",
    "ServerVersionError",
    "SessionKeyRefusedError",
    "TransportError",
    "ValidationError",
    "error_from_message",
    "is_error_body",
]


class ServerVersionError(InvalidRequestError):
    """A method or parameter is newer than the Comet Server the client talks to.

    Raised before the request is sent (an older server would answer "not found" for an
    unknown method, and would silently ignore an unknown parameter). It is an
    :class:`~backup_sdk.errors.InvalidRequestError`: the request is not one this server can
    serve. ``status`` and ``code`` are ``None`` (no answer was involved).

    Attributes:
        operation: the Comet method.
        parameter: the parameter that is too new (``None`` when the method itself is).
        required_version: the first Comet version known to have it.
        server_version: the version the server reported (``AdminMetaVersion``).
    """

    _fields: ClassVar[tuple[str, ...]] = (
        *InvalidRequestError._fields,
        "parameter",
        "required_version",
        "server_version",
    )
    parameter: str | None
    required_version: str | None
    server_version: str | None

    def __init__(self, message: str, **details: Any) -> None:
        details.setdefault("vendor", "comet")
        details.setdefault("retryable", False)
        super().__init__(message, **details)


class SessionKeyRefusedError(AuthenticationError):
    """A call made with a session key was refused (401/403) and so was a probe with the
    same key: the key no longer works, whatever the message says. A client with a password
    starts a new session and replays the call once; you see this only if that fails too."""


TOTP_REQUIRED = "ERR_TOTP_REQUIRED"
UNKNOWN_DEVICE = "ERR_UNKNOWN_DEVICE"
_NOT_FOUND = re.compile(r"not found|no such|does not exist|doesn't exist|unknown user", re.I)
_DENIED = re.compile(r"permission|not allowed|denied|not permitted|role", re.I)


def is_error_body(body: Any) -> bool:
    """True for ``{"Status": >= 400, "Message": ...}`` (both keys present)."""
    return (
        isinstance(body, dict)
        and "Status" in body
        and "Message" in body
        and isinstance(body["Status"], int)
        and not isinstance(body["Status"], bool)
        and body["Status"] >= 400
    )


def error_from_message(
    status: int, message: str, *, operation: str, http_status: int = 200
) -> APIError:
    """The typed error for a Comet ``Status``/``Message`` pair."""
    text = redact_text(str(message or "")) or f"status {status}"
    details: dict[str, Any] = {
        "vendor": "comet",
        "status": http_status,
        "code": status,
        "operation": operation,
    }
    cls: type[APIError]
    if TOTP_REQUIRED in text:
        cls = AuthenticationError
        text = f"{text}: this admin needs a TOTP code (pass totp=... or use a session key)"
    elif status in (401, 403):
        cls = PermissionDeniedError if _DENIED.search(text) else AuthenticationError
    elif status == 404 or (status >= 500 and _NOT_FOUND.search(text)):
        cls = NotFoundError
    elif status == 429:
        cls = RateLimitError
        details["retry_after"] = None
    elif status >= 500:
        cls = ServerError
        details["retryable"] = status in (502, 503, 504)
    else:
        cls = InvalidRequestError
    return cls(text, **details)
