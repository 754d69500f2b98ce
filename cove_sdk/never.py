"""Cove's "never" times: ``0``, an empty value or ``2147483647`` (the largest 32-bit time,
which would otherwise read as 2038-01-19). Apart from the models, so that the statistics
rows can use it without loading them."""

from __future__ import annotations

from typing import Final

__all__ = ["NEVER_SECONDS", "is_never_time"]

#: The numbers Cove writes for "never".
NEVER_SECONDS: Final = frozenset({0, 2147483647})


def is_never_time(value: object) -> bool:
    """Whether a wire time means "never": None, empty, ``0`` or ``2147483647``, as a
    number or as text."""
    if value is None:
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return value in NEVER_SECONDS
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return True
        try:
            return float(text) in NEVER_SECONDS
        except ValueError:
            return False
    return False
