"""How one Comet API method is called: path, response kind, retry safety, auth, versions."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs

__all__ = ["Operation", "OperationTable"]


@attrs.frozen
class Operation:
    """A method of the Comet API (the union of the 20.9.12 and 25.9.6 references).

    Attributes:
        name: the Comet method name (``AdminGetJobsForDateRange``).
        path: the canonical endpoint (legacy aliases are never used).
        kind: ``json``, ``message`` (only a ``CometAPIResponseMessage``), ``text`` or ``binary``.
        returns: the reference's spelling of the return type (``List<BackupJobDetail>``), or
            the content type for text and binary answers.
        safe: read-only, so retried after timeouts and 5xx.
        auth: ``admin``, ``admin_optional``, ``user``, ``hybrid`` or ``public``.
        multipart: sent as ``multipart/form-data`` with credentials in headers.
        json_params: parameters sent as compact JSON text.
        since: the first Comet version known to have the method (``"20.9.12"`` for everything
            in the 20.9.12 reference without an older note).
        result_type: the Python type the answer decodes to (``list[BackupJobDetail]``;
            ``str`` for text, ``Iterator[bytes]`` for binary answers).
        params: the wire names of the parameters, in signature order.
        param_since: parameters newer than the method, with the first version known to
            have each (sent to an older server they would be ignored, so the client refuses).
        http_method: ``POST`` for every method but the public ``BrandingProps`` (``GET``).
        unwrap: for a method whose newer servers wrap the list answer of older ones in an
            object, the key of that list; the client returns the list either way.
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
    result_type: Any = attrs.field(default=None, eq=False, repr=False)
    params: tuple[str, ...] = ()
    param_since: Mapping[str, str] = attrs.field(factory=dict)
    http_method: str = "POST"
    unwrap: str = ""


#: The row of one method in the generated table: everything of :class:`Operation` but its
#: name and its result type, which is built on first use (it names model classes, and
#: importing those is what this module avoids).
Row = tuple[
    str, str, str, bool, str, bool, frozenset[str], str, tuple[str, ...], dict[str, str], str, str
]


class OperationTable(Mapping[str, Operation]):
    """Every :class:`Operation` by Comet method name, each built when first looked up."""

    def __init__(
        self, rows: Mapping[str, Row], result_types: Mapping[str, Callable[[], Any]]
    ) -> None:
        self._rows = rows
        self._result_types = result_types
        self._built: dict[str, Operation] = {}

    def __getitem__(self, name: str) -> Operation:
        built = self._built.get(name)
        if built is not None:
            return built
        row = self._rows[name]
        (path, kind, returns, safe, auth, multipart, json_params, since) = row[:8]
        (params, param_since, http_method, unwrap) = row[8:]
        operation = Operation(
            name=name,
            path=path,
            kind=kind,
            returns=returns,
            safe=safe,
            auth=auth,
            multipart=multipart,
            json_params=json_params,
            since=since,
            result_type=self._result_types[name](),
            params=params,
            param_since=param_since,
            http_method=http_method,
            unwrap=unwrap,
        )
        return self._built.setdefault(name, operation)

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, name: object) -> bool:
        return name in self._rows

    def since_of(self, name: str) -> str:
        """The ``since`` of a method (without building the operation)."""
        return self._rows[name][7]

    def by_path(self) -> dict[str, str]:
        """``{path: method name}`` (without building any operation)."""
        return {row[0]: name for name, row in self._rows.items()}
