"""Timestamps: :class:`UnixTime`, an aware UTC datetime that remembers its wire value."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timezone
from typing import Any, Final

from backup_sdk._compat import Self
from backup_sdk.models._text import describe as _describe

__all__ = ["UnixTime", "encode_time", "unix_time_from_int", "unix_time_lines"]

#: The whole-second range a datetime can hold (0001-01-01 to 9999-12-31 23:59:59 UTC).
MIN_SECONDS: Final = -62_135_596_800
MAX_SECONDS: Final = 253_402_300_799
#: The largest magnitude ``auto_units`` still reads as seconds.
MAX_AUTO_SECONDS: Final = 99_999_999_999


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
        if (
            type(raw) is int
            and cls is UnixTime
            and MIN_SECONDS <= raw <= MAX_SECONDS
            and (not auto_units or -MAX_AUTO_SECONDS <= raw <= MAX_AUTO_SECONDS)
        ):
            return unix_time_from_int(raw)  # type: ignore[return-value]
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


# -- the fast path for whole seconds ----------------------------------------------------------
#
# ``UnixTime.fromtimestamp`` costs about four times a plain datetime's: for a subclass the C
# code builds the object by calling the class with eight arguments. ``datetime.__new__``
# also accepts the 10-byte state that pickles carry (year as two bytes, month, day, hour,
# minute, second, microsecond as three bytes) and builds the object straight from it; the
# state of a whole second is a cached prefix (year to minute) and one table lookup.

_EPOCH_ORDINAL: Final = 719_163  # date(1970, 1, 1).toordinal()
_new_datetime: Final[Callable[..., Any]] = datetime.__new__
_UTC: Final = timezone.utc
_HOUR_MINUTE: Final = tuple(bytes((h, m)) for h in range(24) for m in range(60))
_SECOND: Final = tuple(bytes((s, 0, 0, 0)) for s in range(60))  # microseconds are 0
_DAY_CACHE_SIZE: Final = 4_096
_MINUTE_CACHE_SIZE: Final = 8_192  # a little over five days of distinct minutes


class _States(dict[int, bytes]):
    """A bounded cache of state prefixes: ``cache[key]`` builds a missing entry with
    ``build`` (a subscript costs about half a ``get`` call and its fallback). Bounded, not
    an LRU: when full it is emptied, and most payloads span a few days."""

    def __init__(self, build: Callable[[int], bytes], size: int) -> None:
        super().__init__()
        self.build = build
        self.size = size

    def __missing__(self, key: int) -> bytes:
        state = self.build(key)
        if len(self) >= self.size:
            self.clear()
        self[key] = state
        return state


def _day_state(day: int) -> bytes:
    """The first four state bytes (year, month, day) of a day counted from the epoch."""
    d = date.fromordinal(day + _EPOCH_ORDINAL)
    return bytes((d.year >> 8, d.year & 255, d.month, d.day))


def _minute_state(minute: int) -> bytes:
    """The first six state bytes (year to minute) of a minute counted from the epoch."""
    day, minute_of_day = divmod(minute, 1_440)
    return _day_states[day] + _HOUR_MINUTE[minute_of_day]


_day_states: Final = _States(_day_state, _DAY_CACHE_SIZE)
_minute_states: Final = _States(_minute_state, _MINUTE_CACHE_SIZE)


def unix_time_from_int(raw: int) -> UnixTime:
    """``UnixTime.from_raw(raw)`` for an ``int`` between ``MIN_SECONDS`` and
    ``MAX_SECONDS`` (the caller checks both), several times faster.

    The result is the same object ``from_raw`` builds: an aware UTC ``UnixTime``, fold 0,
    ``.raw`` the very int given.
    """
    obj: UnixTime = _new_datetime(UnixTime, _minute_states[raw // 60] + _SECOND[raw % 60], _UTC)
    obj.raw = raw
    return obj


def unix_time_lines(raw: str, target: str, bind: Callable[[str, Any], str]) -> list[str]:
    """Source lines doing ``target = unix_time_from_int(raw)`` without the call (for
    compiled structure functions; ``raw`` and ``target`` are variable names, ``raw`` may be
    ``target``, and ``bind(prefix, value)`` names an object the lines refer to)."""
    state = f"{bind('__minutes', _minute_states)}[{raw} // 60]"
    second = f"{bind('__second', _SECOND)}[{raw} % 60]"
    new = f"{bind('__new', _new_datetime)}({bind('__unixtime', UnixTime)}"
    return [
        f"__t = {new}, {state} + {second}, {bind('__utc', _UTC)})",
        f"__t.raw = {raw}",
        f"{target} = __t",
    ]


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
