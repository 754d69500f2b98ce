"""Checks of caller arguments, made before anything is sent.

Each raises :class:`~backup_sdk.errors.ValidationError` naming the parameter and saying what
was wrong; none ever lets a bare ``TypeError`` or ``ValueError`` escape.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from backup_sdk.errors import ValidationError

__all__ = [
    "check_aware",
    "check_int",
    "check_positive",
    "check_str",
    "check_strings",
]


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."


def check_int(
    name: str, value: Any, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """An int (not a bool) within the bounds."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{name} must be an integer, got {_describe(value)}", parameter=name)
    if minimum is not None and value < minimum:
        raise ValidationError(f"{name} must be at least {minimum}, got {value}", parameter=name)
    if maximum is not None and value > maximum:
        raise ValidationError(f"{name} must be at most {maximum}, got {value}", parameter=name)
    return value


def check_positive(name: str, value: Any, *, maximum: float | None = None) -> float:
    """A finite number of seconds (or other unit) greater than zero."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"{name} must be a number, got {_describe(value)}", parameter=name)
    number = float(value)
    if math.isnan(number) or math.isinf(number) or number <= 0:
        raise ValidationError(
            f"{name} must be a finite number greater than 0, got {value!r}", parameter=name
        )
    if maximum is not None and number > maximum:
        raise ValidationError(f"{name} must be at most {maximum:g}, got {value!r}", parameter=name)
    return number


def check_aware(name: str, value: Any) -> datetime:
    """A timezone-aware datetime (a naive one has no known zone)."""
    if not isinstance(value, datetime):
        raise ValidationError(f"{name} must be a datetime, got {_describe(value)}", parameter=name)
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(
            f"{name} must be timezone-aware (e.g. datetime.now(timezone.utc)); "
            f"got the naive {value.isoformat()}",
            parameter=name,
        )
    return value


def check_str(name: str, value: Any, *, empty: bool = False) -> str:
    """A string (non-empty unless ``empty``)."""
    if not isinstance(value, str):
        raise ValidationError(f"{name} must be a string, got {_describe(value)}", parameter=name)
    if not empty and not value:
        raise ValidationError(f"{name} must not be empty", parameter=name)
    return value


def check_strings(name: str, value: Any, *, empty: bool = False) -> list[str]:
    """A list of non-empty strings (a bare string is refused: it is not a list of codes)."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationError(
            f"{name} must be a list of strings, got {_describe(value)}", parameter=name
        )
    items = list(value)
    bad = [item for item in items if not isinstance(item, str) or not item]
    if bad:
        raise ValidationError(
            f"{name} must hold non-empty strings only, got {_describe(bad[0])}", parameter=name
        )
    if not empty and not items:
        raise ValidationError(f"{name} must not be empty", parameter=name)
    return items
