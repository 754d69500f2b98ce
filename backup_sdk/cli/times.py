"""Durations and times as people type them: ``15m``, ``24h``, ``7d``, ``1h30m``, ISO 8601."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

__all__ = ["format_duration", "parse_duration", "parse_time"]

_UNITS = {"s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800}
_PART = re.compile(r"(\d+(?:\.\d+)?)([smhdw])")


def parse_duration(text: str) -> timedelta:
    """``"15m"`` -> 15 minutes. Units: s, m, h, d, w; parts add up (``"1h30m"``).

    Raises:
        ValueError: anything else (a bare number has no unit and is refused).
    """
    compact = text.strip().lower().replace(" ", "")
    parts = _PART.findall(compact)
    if not compact or "".join(n + u for n, u in parts) != compact:
        raise ValueError(f"not a duration: {text!r} (write it like 15m, 24h, 7d or 1h30m)")
    return timedelta(seconds=sum(float(n) * _UNITS[u] for n, u in parts))


def parse_time(text: str, *, now: datetime) -> datetime:
    """A point in time: a duration back from ``now`` (``"24h"``), or an ISO 8601 date or
    time (``2026-11-23``, ``2026-11-23T08:00Z``; without a zone it is UTC).

    Raises:
        ValueError: neither.
    """
    try:
        return now - parse_duration(text)
    except ValueError:
        pass
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"not a time: {text!r} (write a duration back from now, like 24h, or an ISO "
            "date such as 2026-11-23T08:00Z)"
        ) from None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=timezone.utc)
    return stamp.astimezone(timezone.utc)


def format_duration(value: timedelta | None) -> str:
    """``1:02:03`` style (``3d 4:05:06`` beyond a day); empty for None."""
    if value is None:
        return ""
    seconds = int(value.total_seconds())
    sign = "-" if seconds < 0 else ""
    days, rest = divmod(abs(seconds), 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{days}d {clock}" if days else f"{sign}{clock}"
