"""Helpers for ``EnumerateAccountStatistics`` filter expressions.

Filters compare column codes with values: ``I32 == 2 AND I78 =~ '*D10*'``. String
literals are single-quoted, with a quote doubled inside (``'O''Brien'``); ``=~`` matches
``*`` and ``?`` wildcards.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["all_of", "any_of", "quote"]


def quote(value: str) -> str:
    """A string literal for a filter: ``O'Brien`` -> ``'O''Brien'``."""
    return "'" + str(value).replace("'", "''") + "'"


def all_of(*conditions: str) -> str:
    """``(a) AND (b) ...``, skipping empty conditions."""
    parts = [c for c in conditions if c]
    return " AND ".join(f"({c})" for c in parts)


def any_of(conditions: Iterable[str]) -> str:
    """``(a) OR (b) ...``, skipping empty conditions."""
    parts = [c for c in conditions if c]
    return " OR ".join(f"({c})" for c in parts)
