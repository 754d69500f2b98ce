"""Comet Server versions: parsing, comparing, and what is newer than a server.

Every generated method, parameter, structure, field and constant records the first Comet
version known to have it (``Operation.since``, ``Operation.param_since``,
``models.STRUCTURE_SINCE``, ``models.FIELD_SINCE``, ``enums.CONSTANT_SINCE``). The oldest
reference the SDK is generated from, 20.9.12, is its baseline: items known since then (or
earlier) are treated as always present, since the SDK has no facts about older servers.
"""

from __future__ import annotations

import functools
import re

from comet_sdk._generated import BASELINE, LATEST
from comet_sdk._operation import Operation

__all__ = [
    "BASELINE",
    "LATEST",
    "beyond_baseline",
    "checked_items",
    "is_newer",
    "parse_version",
    "too_new",
]

_PART = re.compile(r"\d+")


def parse_version(text: str) -> tuple[int, ...]:
    """``"25.9.6"`` -> ``(25, 9, 6)``; ``"24.12.x"`` -> ``(24, 12, 0)`` (a wildcard part is the
    first release of the series); ``"25.9.6-beta"`` -> ``(25, 9, 6)``.

    Raises:
        ValueError: no version number in ``text``.
    """
    parts: list[int] = []
    for piece in str(text).strip().split("."):
        found = _PART.match(piece)
        if found is None:
            if piece.lower().strip("x") == "" and parts:
                parts.append(0)
                continue
            break
        parts.append(int(found.group()))
        if found.end() != len(piece):
            break
    if not parts:
        raise ValueError(f"not a Comet version: {text!r}")
    while len(parts) < 3:
        parts.append(0)
    return tuple(parts)


def is_newer(required: str, server: str) -> bool:
    """True when ``required`` (a ``since``) is later than the ``server`` version."""
    return parse_version(required) > parse_version(server)


_BASELINE_KEY = parse_version(BASELINE)


@functools.lru_cache(maxsize=256)
def beyond_baseline(since: str) -> bool:
    """True for a ``since`` later than the 20.9.12 baseline (only those are checked;
    remembered per version string, as every call asks)."""
    return parse_version(since) > _BASELINE_KEY


def checked_items(operation: Operation, given: set[str]) -> list[tuple[str | None, str]]:
    """``(parameter or None, since)`` for what a call uses beyond the baseline: the method,
    and each parameter given a value."""
    items: list[tuple[str | None, str]] = []
    if beyond_baseline(operation.since):
        items.append((None, operation.since))
    for name, since in operation.param_since.items():
        if name in given and beyond_baseline(since):
            items.append((name, since))
    return items


def too_new(operation: Operation, given: set[str], server: str) -> tuple[str | None, str] | None:
    """The first item of :func:`checked_items` newer than ``server``, or None."""
    for parameter, since in checked_items(operation, given):
        if is_newer(since, server):
            return parameter, since
    return None
