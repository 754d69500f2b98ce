"""How one Comet API method is called: path, response kind, retry safety, auth."""

from __future__ import annotations

import attrs

__all__ = ["Operation"]


@attrs.frozen
class Operation:
    """A method of the reference.

    Attributes:
        name: the Comet method name (``AdminGetJobsForDateRange``).
        path: the canonical endpoint (legacy aliases are never used).
        kind: ``json``, ``message`` (only a ``CometAPIResponseMessage``), ``text`` or ``binary``.
        returns: the reference's return type (or content type for text/binary).
        safe: read-only, so retried after timeouts and 5xx.
        auth: ``admin``, ``admin_optional``, ``user`` or ``hybrid``.
        multipart: sent as ``multipart/form-data`` with credentials in headers.
        json_params: parameters sent as compact JSON text.
        since: the first Comet version that has it ("" when older than the reference says).
    """

    name: str
    path: str
    kind: str
    returns: str
    safe: bool
    auth: str
    multipart: bool
    json_params: frozenset[str]
    since: str
