"""Cove's JSON-RPC errors (HTTP 200 with ``error.code/message/data``) mapped onto the
shared hierarchy. The Cove-specific code is in ``error.data``; ``code`` is usually the
generic JSON-RPC ``-32603``."""

from __future__ import annotations

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
    "BAD_CREDENTIALS",
    "SECURITY_REFUSAL",
    "VISA_INVALID",
    "APIError",
    "AuthenticationError",
    "BackupSDKError",
    "ColumnsRefusedError",
    "ConfigurationError",
    "ConflictError",
    "ConnectError",
    "InvalidRequestError",
    "MethodNotFoundError",
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
    "VisaExpiredError",
    "error_from_rpc",
]

BAD_CREDENTIALS = 2100
VISA_INVALID = 1701
SECURITY_REFUSAL = 13501

PARTNER_HINT = (
    "Check the partner name: API users must give it exactly as the console's partner "
    "list shows it, usually 'Company Name (admin@company.example)', including the "
    "e-mail address in parentheses; also check the username (the API user's login name) "
    "and password."
)


def _refusal_hint(operation: str) -> str:
    """What a 13501 most likely means for this method."""
    if operation in ("EnumerateAccountStatistics", "EnumerateAccountHistoryStatistics"):
        return (
            "this user's role or scope does not allow this query; one restricted column "
            "refuses the whole statistics call"
        )
    if operation == "EnumerateAccounts":
        return (
            "this user may not enumerate accounts (customer-scoped API users never may); "
            "list devices with EnumerateAccountStatistics instead"
        )
    return f"this user's role or scope does not allow {operation}"


class VisaExpiredError(AuthenticationError):
    """The visa expired or is no longer accepted (1701). The client logs in again and
    replays the call once by itself; you only see this if that fails too."""


class MethodNotFoundError(InvalidRequestError):
    """The service does not know the method (check the spelling: names are case-sensitive)."""


class ColumnsRefusedError(PermissionDeniedError):
    """13501 on a statistics query; ``columns`` names the refused column codes."""

    _fields: ClassVar[tuple[str, ...]] = (*PermissionDeniedError._fields, "columns")
    columns: list[str] | None


def error_from_rpc(error: Any, *, operation: str, http_status: int = 200) -> APIError:
    """The typed error for a JSON-RPC ``error`` object (any shape)."""
    if not isinstance(error, dict):
        return ServerError(
            f"malformed error reply: {error!r}"[:200],
            vendor="cove",
            status=http_status,
            operation=operation,
        )
    message = redact_text(str(error.get("message") or "error"))
    data = error.get("data")
    code = error.get("code")
    vendor_code: int | str | None
    if isinstance(data, int) and not isinstance(data, bool):
        vendor_code = data
    elif isinstance(data, str) and data.strip().lstrip("-").isdigit():
        vendor_code = int(data)
    else:
        vendor_code = code if isinstance(code, int) else None
    details: dict[str, Any] = {
        "vendor": "cove",
        "status": http_status,
        "code": vendor_code,
        "operation": operation,
    }
    if vendor_code == BAD_CREDENTIALS:
        return AuthenticationError(f"{message}. {PARTNER_HINT}", **details)
    if vendor_code == VISA_INVALID:
        return VisaExpiredError(message, **details)
    if vendor_code == SECURITY_REFUSAL:
        return PermissionDeniedError(f"{message}: {_refusal_hint(operation)}", **details)
    if code == -32601 or "method not found" in message.lower():
        return MethodNotFoundError(f"{message}: {operation}", **details)
    if code in (-32600, -32602, -32700):
        return InvalidRequestError(message, **details)
    return ServerError(message, **details)
