"""Appliance error bodies (``{"error_id", "error_text"}``) mapped onto the shared hierarchy."""

from __future__ import annotations

from typing import Any

import requests

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
    error_class_for_status,
)
from backup_sdk.redaction import redact_body, redact_text
from backup_sdk.transport import CallInfo, parse_retry_after

__all__ = [
    "AUTH_ERROR_IDS",
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
    "TransportError",
    "ValidationError",
    "error_from_response",
    "is_auth_expiry",
]

#: Error ids after which the family's clients log in again and replay the call once.
AUTH_ERROR_IDS = frozenset(
    {"AUTH_REQUIRED", "AUTH_INVALID_SESSION", "AUTH_EXPIRED_TOKEN", "AUTH_INVALID_CREDENTIALS"}
)

_BY_ID: dict[str, type[APIError]] = {
    "RESOURCE_NOT_FOUND": NotFoundError,
    "NOT_FOUND": NotFoundError,
    "AUTH_FORBIDDEN": PermissionDeniedError,
    "PERMISSION_DENIED": PermissionDeniedError,
    "RESOURCE_ALREADY_EXISTS": ConflictError,
    "INVALID_PARAMETER": InvalidRequestError,
    "INVALID_REQUEST": InvalidRequestError,
}


def _error_parts(response: requests.Response) -> tuple[str | None, str | None]:
    """``(error_id, error_text)`` from a JSON or reschema problem body, if there is one."""
    try:
        body: Any = response.json()
    except ValueError:
        return None, None
    if not isinstance(body, dict):
        return None, None
    error_id = body.get("error_id")
    error_text = body.get("error_text")
    if error_id is None and ("title" in body or "detail" in body):
        error_id = body.get("type")
        error_text = " ".join(str(body[k]) for k in ("title", "detail") if body.get(k))
    return (
        str(error_id) if error_id is not None else None,
        str(error_text) if error_text is not None else None,
    )


def error_from_response(response: requests.Response, call: CallInfo) -> APIError:
    """The typed error for an HTTP error reply (JSON, HTML from a proxy, or empty)."""
    status = response.status_code
    error_id, error_text = _error_parts(response)
    cls: type[APIError]
    if error_id and error_id.startswith("AUTH_") and error_id != "AUTH_FORBIDDEN":
        cls = AuthenticationError
    elif error_id in _BY_ID:
        cls = _BY_ID[error_id]
    else:
        cls = error_class_for_status(status)
    excerpt = redact_body(response.content, response.headers.get("Content-Type"), limit=300)
    if error_text:
        message = redact_text(error_text)
    elif excerpt:
        kind = response.headers.get("Content-Type", "no content type").split(";")[0]
        message = f"{response.reason or 'error'} ({kind} body: {excerpt[:120]})"
    else:
        message = f"{response.reason or 'error'} (empty body)"
    details: dict[str, Any] = {
        "vendor": call.vendor,
        "status": status,
        "code": error_id,
        "operation": call.operation,
        "body_excerpt": excerpt or None,
    }
    if status == 429:
        wait = parse_retry_after(response.headers.get("Retry-After"))
        details["retry_after"] = wait
        if wait is not None:
            message = f"{message} (the appliance asks to wait {wait:g} s before trying again)"
    return cls(message, **details)


def is_auth_expiry(error: APIError) -> bool:
    """True for a 401 whose id says the token/session is no longer valid."""
    return error.status == 401 and (error.code in AUTH_ERROR_IDS or error.code is None)
