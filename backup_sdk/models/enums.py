"""Open enums: members for the values a vendor documents, pseudo-members for the rest."""

from __future__ import annotations

import enum
from typing import Any

__all__ = ["OpenIntEnum", "OpenStrEnum"]


class _OpenEnumMixin:
    _name_: str

    @property
    def is_unknown(self) -> bool:
        """True for a value this SDK version does not know (kept as-is, not rejected)."""
        return self._name_ not in type(self).__members__  # type: ignore[attr-defined]


def _pseudo_member(cls: Any, base: type, value: Any) -> Any:
    member: Any = base.__new__(cls, value)
    member._name_ = f"UNKNOWN_{value}"
    member._value_ = value
    return cls._value2member_map_.setdefault(value, member)


class OpenIntEnum(_OpenEnumMixin, enum.IntEnum):
    """An ``IntEnum`` that keeps unknown codes (as ``UNKNOWN_<code>`` pseudo-members).

    Numeric strings (``"5000"``) are accepted, booleans and fractions are not.
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if isinstance(value, bool):
            return None
        if isinstance(value, str):
            try:
                value = int(value.strip())
            except ValueError:
                return None
            known = cls._value2member_map_.get(value)
            if known is not None:
                return known
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int):
            return None
        return _pseudo_member(cls, int, value)


class OpenStrEnum(_OpenEnumMixin, str, enum.Enum):
    """A string enum that keeps unknown values (as ``UNKNOWN_<value>`` pseudo-members)."""

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        return _pseudo_member(cls, str, value)
