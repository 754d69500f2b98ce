"""The exception hierarchy shared by every vendor package.

Every exception here:

* derives from :class:`BackupSDKError`, so ``except BackupSDKError`` catches all of them;
* carries its details as attributes (vendor, HTTP status, vendor code, operation...);
* has a ``str()`` meant for a human, with secrets scrubbed;
* survives ``pickle`` (for multiprocessing pools and task queues).
"""

from __future__ import annotations

from typing import Any, ClassVar

from backup_sdk.redaction import redact_text

__all__ = [
    "RETRYABLE_STATUSES",
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
    "error_class_for_status",
]

RETRYABLE_STATUSES: frozenset[int] = frozenset({429, 502, 503, 504})


class BackupSDKError(Exception):
    """Base class of every error raised by backup-sdk.

    Subclasses list their detail attributes in ``_fields``; the message and those
    attributes are what pickling preserves.
    """

    _fields: ClassVar[tuple[str, ...]] = ()

    def __init__(self, message: str, **details: Any) -> None:
        self.message = redact_text(message)
        for name in self._fields:
            setattr(self, name, details.pop(name, None))
        if details:
            unexpected = ", ".join(sorted(details))
            raise TypeError(f"{type(self).__name__} got unexpected details: {unexpected}")
        super().__init__(self.message)

    def __reduce__(self) -> tuple[Any, ...]:
        state = {name: getattr(self, name, None) for name in self._fields}
        return (_rebuild, (type(self), self.message, state))

    # An SDK error never shows the exception that was being handled when it was raised
    # (its implicit context): that exception may hold a raw body or a request with
    # credentials. Deliberate chains (``raise ... from``) are kept in ``__cause__``.
    @property
    def __context__(self) -> BaseException | None:
        return None

    @__context__.setter
    def __context__(self, value: BaseException | None) -> None:
        pass

    @property
    def __suppress_context__(self) -> bool:
        return True

    @__suppress_context__.setter
    def __suppress_context__(self, value: bool) -> None:
        pass

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        parts = [repr(self.message)]
        parts.extend(
            f"{name}={getattr(self, name)!r}"
            for name in self._fields
            if getattr(self, name, None) is not None and name != "body_excerpt"
        )
        return f"{type(self).__name__}({', '.join(parts)})"


def _rebuild(cls: type[BackupSDKError], message: str, state: dict[str, Any]) -> BackupSDKError:
    return cls(message, **state)


class ConfigurationError(BackupSDKError, ValueError):
    """A client was built with missing or contradictory settings (arguments or environment)."""


class ValidationError(BackupSDKError, ValueError):
    """An argument was rejected before anything was sent; the message names the parameter."""

    _fields: ClassVar[tuple[str, ...]] = ("parameter",)
    parameter: str | None


class MissingDependencyError(BackupSDKError, ImportError):
    """An optional extra (``backup-sdk[pandas]``, ``backup-sdk[cli]``) is not installed."""


class TransportError(BackupSDKError):
    """The request did not produce an HTTP response (connection failed, timed out, dropped)."""

    _fields: ClassVar[tuple[str, ...]] = ("vendor", "operation", "method", "url")
    vendor: str | None
    operation: str | None
    method: str | None
    url: str | None


class ConnectError(TransportError):
    """No connection could be made, or it was dropped before a full response arrived."""


class RequestTimeoutError(TransportError):
    """The connect or read timeout expired."""


class OperationTimeoutError(BackupSDKError):
    """A long-running vendor operation did not finish within the time the caller allowed.

    The operation itself may still be running on the server.
    """

    _fields: ClassVar[tuple[str, ...]] = ("vendor", "operation", "waited")
    vendor: str | None
    operation: str | None
    waited: float | None


class APIError(BackupSDKError):
    """The vendor answered, and the answer was an error.

    Attributes:
        vendor: the vendor id (``"cove"``, ``"comet"``, ``"npm_backup"``).
        status: HTTP status (vendors that report errors inside HTTP 200 keep 200 here).
        code: the vendor's own error code (``13501``, ``"RESOURCE_NOT_FOUND"``...).
        operation: the vendor method or endpoint that was called.
        request_id: a correlation id, when the vendor sends one.
        body_excerpt: a short, redacted excerpt of the response body.
        retryable: whether a repeat of an idempotent call may succeed.
    """

    _fields: ClassVar[tuple[str, ...]] = (
        "vendor",
        "status",
        "code",
        "operation",
        "request_id",
        "body_excerpt",
        "retryable",
    )
    vendor: str | None
    status: int | None
    code: int | str | None
    operation: str | None
    request_id: str | None
    body_excerpt: str | None
    retryable: bool

    def __init__(self, message: str, **details: Any) -> None:
        retryable = details.pop("retryable", None)
        super().__init__(message, **details)
        self.retryable = self.status in RETRYABLE_STATUSES if retryable is None else bool(retryable)

    def __str__(self) -> str:
        where = []
        if self.vendor:
            where.append(self.vendor)
        if self.operation:
            where.append(self.operation)
        tags = []
        if self.status is not None:
            tags.append(f"HTTP {self.status}")
        if self.code is not None:
            tags.append(f"code {self.code}")
        if self.request_id:
            tags.append(f"request id {self.request_id}")
        prefix = " ".join(where)
        suffix = f" ({', '.join(tags)})" if tags else ""
        return f"{prefix}: {self.message}{suffix}" if prefix else f"{self.message}{suffix}"


class AuthenticationError(APIError):
    """Credentials were rejected, or the session/token/visa is no longer valid."""


class PermissionDeniedError(APIError):
    """The credentials are valid but not allowed to do this (e.g. Cove error 13501)."""


class NotFoundError(APIError):
    """The named resource does not exist."""


class ConflictError(APIError):
    """The resource changed or exists already (HTTP 409, Comet profile hash mismatch)."""


class RateLimitError(APIError):
    """The vendor asked us to slow down; ``retry_after`` is its requested wait in seconds."""

    _fields: ClassVar[tuple[str, ...]] = (*APIError._fields, "retry_after")
    retry_after: float | None


class ServerError(APIError):
    """The vendor failed on its side (HTTP 5xx or an equivalent vendor code)."""


class InvalidRequestError(APIError):
    """The vendor rejected the request as malformed (HTTP 400/422, unknown method...)."""


class RedirectError(APIError):
    """The server redirected the call somewhere the SDK will not follow.

    Credentials and request bodies are only ever sent to the origin (scheme, host and port)
    the client was built for; ``location`` is the redacted target that was refused.
    """

    _fields: ClassVar[tuple[str, ...]] = (*APIError._fields, "location")
    location: str | None


_STATUS_CLASSES: dict[int, type[APIError]] = {
    400: InvalidRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    405: InvalidRequestError,
    409: ConflictError,
    412: ConflictError,
    422: InvalidRequestError,
    429: RateLimitError,
}


def error_class_for_status(status: int) -> type[APIError]:
    """Return the :class:`APIError` subclass that fits an HTTP status code."""
    if status in _STATUS_CLASSES:
        return _STATUS_CLASSES[status]
    if status >= 500:
        return ServerError
    if status >= 400:
        return InvalidRequestError
    return APIError


class ResponseDecodeError(BackupSDKError):
    """A response could not be turned into the expected model.

    Attributes:
        vendor: the vendor package.
        model: the model (or type) that was being built.
        path: where in the payload it failed, e.g. ``$.Jobs[3].Status``.
        excerpt: a short, redacted excerpt of the offending payload.
    """

    _fields: ClassVar[tuple[str, ...]] = ("vendor", "model", "path", "excerpt")
    vendor: str | None
    model: str | None
    path: str | None
    excerpt: str | None

    def __str__(self) -> str:
        head = f"{self.vendor}: " if self.vendor else ""
        target = f" decoding {self.model}" if self.model else ""
        at = f" at {self.path}" if self.path else ""
        tail = f" -- payload: {self.excerpt}" if self.excerpt else ""
        return f"{head}{self.message}{target}{at}{tail}"
