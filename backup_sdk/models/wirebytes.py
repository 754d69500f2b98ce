"""Bytes in JSON: :class:`WireBytes` reads base64 text or byte arrays and writes back the
form it received."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from backup_sdk._compat import Self
from backup_sdk.models._text import describe as _describe

__all__ = ["WireBytes", "encode_bytes"]


class WireBytes(bytes):
    """Bytes decoded from JSON, remembering how they were written there.

    JSON has no bytes: APIs send them as base64 text (``"AQID"``) or as an array of byte
    values (``[1, 2, 3]``). :attr:`wire_form` is ``"base64"``, ``"array"`` or ``"null"``, and
    :attr:`raw` is the base64 text exactly as received, so encoding writes the value back
    in its original form. Plain ``bytes`` (built in code) encode as standard base64.
    """

    wire_form: str
    raw: str | None

    def __new__(
        cls, value: bytes = b"", *, wire_form: str = "base64", raw: str | None = None
    ) -> Self:
        obj = super().__new__(cls, value)
        obj.wire_form = wire_form
        obj.raw = raw
        return obj

    @classmethod
    def from_wire(cls, value: Any) -> Self:
        """Decode base64 text, a list of byte values (0-255) or ``null``.

        Raises:
            ValueError: anything else (the message says what arrived).
        """
        if value is None:
            return cls(b"", wire_form="null")
        if isinstance(value, str):
            try:
                decoded = base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                raise ValueError(f"expected base64 text, got {_describe(value)}") from None
            return cls(decoded, wire_form="base64", raw=value)
        if isinstance(value, list | tuple):
            if not all(type(item) is int and 0 <= item <= 255 for item in value):
                raise ValueError(f"expected byte values 0-255, got {_describe(value)}")
            return cls(bytes(value), wire_form="array")
        raise ValueError(f"expected base64 text or a list of bytes, got {_describe(value)}")

    def to_wire(self) -> Any:
        """The value in the form it was received in."""
        if self.wire_form == "array":
            return list(self)
        if self.wire_form == "null" and not self:
            return None
        if self.raw is not None:
            return self.raw
        return base64.b64encode(self).decode("ascii")

    def __reduce__(self) -> tuple[Any, ...]:
        return (_wirebytes, (bytes(self), self.wire_form, self.raw))

    def __repr__(self) -> str:
        return f"WireBytes({bytes(self)!r}, wire_form={self.wire_form!r})"


def _wirebytes(value: bytes, wire_form: str, raw: str | None) -> WireBytes:
    return WireBytes(value, wire_form=wire_form, raw=raw)


def encode_bytes(value: bytes) -> Any:
    """The wire value of a bytes field (its received form, else standard base64)."""
    if isinstance(value, WireBytes):
        return value.to_wire()
    return base64.b64encode(value).decode("ascii")
