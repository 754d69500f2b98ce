"""Timestamps: :class:`UnixTime`, an aware UTC datetime that remembers its wire value."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from backup_sdk._compat import Self
from backup_sdk.models._text import describe as _describe

__all__ = ["UnixTime", "encode_time"]


class UnixTime(datetime):
    """An aware UTC ``datetime`` decoded from unix seconds; ``.raw`` is the wire value.

    It *is* a datetime (compare it, format it, subtract it); encoding writes ``.raw`` back,
    so nothing is lost in a round trip.
    """

    __slots__ = ("raw",)
    raw: int | float | str

    @classmethod
    def from_unix(cls, raw: float) -> Self:
        """Build from seconds since the epoch (UTC)."""
        obj = cls.fromtimestamp(raw, timezone.utc)
        obj.raw = raw
        return obj

    @classmethod
    def from_raw(cls, raw: int | float | str, *, auto_units: bool = False) -> Self:
        """Build from a wire value: a number or a decimal string of epoch seconds.

        With ``auto_units``, values too large to be seconds are read by magnitude as
        milliseconds (>= 1e11), microseconds (>= 1e14) or nanoseconds (>= 1e17) -- a
        heuristic for APIs that do not state their unit. ``.raw`` keeps the value exactly
        as given (a string stays a string), so it is written back unchanged.

        Raises:
            ValueError: not a number, or out of the datetime range.
        """
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise ValueError(f"expected epoch seconds, got {_describe(raw)}")
        number: int | float
        if isinstance(raw, str):
            text = raw.strip()
            try:
                number = int(text)
            except ValueError:
                try:
                    number = float(text)
                except ValueError:
                    raise ValueError(f"expected epoch seconds, got {_describe(raw)}") from None
        else:
            number = raw
        seconds: float = number
        if auto_units:
            magnitude = abs(number)
            if magnitude >= 1e17:
                seconds = number / 1e9
            elif magnitude >= 1e14:
                seconds = number / 1e6
            elif magnitude >= 1e11:
                seconds = number / 1e3
        try:
            obj = cls.fromtimestamp(seconds, timezone.utc)
        except (OverflowError, OSError, ValueError):
            raise ValueError(f"epoch time {raw!r} is out of range") from None
        obj.raw = raw
        return obj

    @classmethod
    def from_datetime(cls, value: datetime) -> Self:
        """Convert an aware datetime (naive ones are refused: their zone is unknown)."""
        if value.tzinfo is None:
            raise ValueError("naive datetime: give it a time zone (e.g. timezone.utc)")
        ts = value.timestamp()
        return cls.from_unix(int(ts) if ts.is_integer() else ts)

    def __reduce_ex__(self, protocol: Any) -> tuple[Any, ...]:
        return (_unixtime_from_raw, (self.raw,))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_unixtime_from_raw, (self.raw,))

    def __repr__(self) -> str:
        return f"UnixTime({self.isoformat()!r}, raw={self.raw!r})"


def _unixtime_from_raw(raw: float | str) -> UnixTime:
    value = UnixTime.from_raw(raw, auto_units=True)
    value.raw = raw
    return value


def encode_time(value: Any) -> Any:
    """The wire value of a time field's value (a ``UnixTime``'s raw value, or unix seconds)."""
    if isinstance(value, UnixTime):
        return value.raw
    if isinstance(value, datetime):
        return UnixTime.from_datetime(value).raw
    return value
