"""Transport settings: :class:`Timeout` and :class:`RetryPolicy`, validated when built.

Every value is checked where it is given, so a bad setting fails at once with a
:class:`~backup_sdk.errors.ConfigurationError` naming it, never later inside a request.
"""

from __future__ import annotations

import math
import random
from typing import Any, Final

import attrs

from backup_sdk.errors import ConfigurationError

__all__ = [
    "DEFAULT_DEADLINE",
    "MAX_TIMEOUT",
    "InsecureTransportWarning",
    "RetryPolicy",
    "Timeout",
    "check_deadline",
    "check_seconds",
]

#: The longest connect or read timeout accepted, in seconds (one day).
MAX_TIMEOUT: Final = 86_400.0
#: Seconds a whole call may take by default, retries and waits included.
DEFAULT_DEADLINE: Final = 300.0


class InsecureTransportWarning(UserWarning):
    """TLS certificate verification was turned off for a client."""


def check_seconds(
    name: str,
    value: Any,
    *,
    minimum: float = 0.0,
    strict: bool = True,
    maximum: float = MAX_TIMEOUT,
) -> float:
    """``value`` as float seconds, or :class:`ConfigurationError` naming ``name``.

    Refuses booleans, non-numbers, NaN, infinities and values outside the range
    (``> minimum`` when ``strict``, else ``>= minimum``; ``<= maximum``).
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigurationError(f"{name} must be a number of seconds, got {value!r}")
    seconds = float(value)
    if math.isnan(seconds) or math.isinf(seconds):
        raise ConfigurationError(f"{name} must be a finite number of seconds, got {value!r}")
    too_small = seconds <= minimum if strict else seconds < minimum
    if too_small:
        relation = "greater than" if strict else "at least"
        raise ConfigurationError(f"{name} must be {relation} {minimum:g} s, got {value!r}")
    if seconds > maximum:
        raise ConfigurationError(f"{name} must be at most {maximum:g} s, got {value!r}")
    return seconds


def check_deadline(value: Any, name: str = "deadline") -> float | None:
    """A call deadline: positive finite seconds (at most ten days), or None for no cap."""
    if value is None:
        return None
    return check_seconds(name, value, maximum=10 * MAX_TIMEOUT)


def _seconds_field(name: str) -> Any:
    def check(_inst: Any, _attr: Any, value: Any) -> None:
        check_seconds(name, value)

    return check


@attrs.frozen
class Timeout:
    """Connect and read timeouts, in seconds. Both are always finite and at most a day.

    ``read`` bounds each wait for data (it is an idle timeout, not a total); the total time
    of a call is bounded by the client's ``deadline``.
    """

    connect: float = attrs.field(default=5.0, validator=_seconds_field("connect timeout"))
    read: float = attrs.field(default=60.0, validator=_seconds_field("read timeout"))

    @classmethod
    def coerce(cls, value: Timeout | float | tuple[float, float]) -> Timeout:
        """Accept a :class:`Timeout`, one number (read; connect stays 5 s) or a pair."""
        if isinstance(value, Timeout):
            return value
        if isinstance(value, tuple) and len(value) == 2:
            return cls(connect=value[0], read=value[1])
        if isinstance(value, int | float) and not isinstance(value, bool):
            read = check_seconds("timeout", value)
            return cls(connect=min(5.0, read), read=read)
        raise ConfigurationError(
            f"timeout must be seconds, a (connect, read) pair or a Timeout; got {value!r} "
            "(an unbounded timeout is not allowed)"
        )

    def as_requests(self) -> tuple[float, float]:
        return (self.connect, self.read)

    def capped(self, remaining: float) -> Timeout:
        """These timeouts, each no longer than ``remaining`` seconds (but at least 1 ms)."""
        limit = max(remaining, 0.001)
        if self.connect <= limit and self.read <= limit:
            return self
        return Timeout(connect=min(self.connect, limit), read=min(self.read, limit))


def _check_policy_seconds(name: str, *, allow_zero: bool = True) -> Any:
    def check(_inst: Any, _attr: Any, value: Any) -> None:
        check_seconds(name, value, strict=not allow_zero, maximum=10 * MAX_TIMEOUT)

    return check


def _check_attempts(_inst: Any, _attr: Any, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 100:
        raise ConfigurationError(f"max_attempts must be an int from 1 to 100, got {value!r}")


def _check_statuses(_inst: Any, _attr: Any, value: Any) -> None:
    if not isinstance(value, frozenset) or not all(
        isinstance(s, int) and not isinstance(s, bool) and 100 <= s <= 599 for s in value
    ):
        raise ConfigurationError(
            f"retry_statuses must be a frozenset of HTTP statuses, got {value!r}"
        )


def _check_budget(_inst: Any, _attr: Any, value: Any) -> None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise ConfigurationError(f"budget must be None or an int >= 0, got {value!r}")


@attrs.frozen
class RetryPolicy:
    """When and how long to wait before trying a call again.

    Attributes:
        max_attempts: attempts in all, the first included (1 disables retries; at most 100).
        backoff_base: seconds; the n-th retry waits ``U(0, min(cap, base * 2**(n-1)))``.
        backoff_cap: the longest computed backoff, in seconds.
        max_retry_after: the longest ``Retry-After`` that will be waited out, in seconds.
        retry_statuses: HTTP statuses treated as retryable for calls safe to repeat.
        budget: at most this many retries per client in any ``budget_window`` seconds
            (None: no limit). A sweep over 2,000 devices during an outage then fails fast
            instead of multiplying the load on a struggling service.
        budget_window: the length of that window, in seconds.

    Raises:
        ConfigurationError: a value out of range (negative, infinite, NaN, wrong type).
    """

    max_attempts: int = attrs.field(default=3, validator=_check_attempts)
    backoff_base: float = attrs.field(default=0.5, validator=_check_policy_seconds("backoff_base"))
    backoff_cap: float = attrs.field(default=20.0, validator=_check_policy_seconds("backoff_cap"))
    max_retry_after: float = attrs.field(
        default=60.0, validator=_check_policy_seconds("max_retry_after")
    )
    retry_statuses: frozenset[int] = attrs.field(
        default=frozenset({429, 502, 503, 504}), validator=_check_statuses
    )
    budget: int | None = attrs.field(default=100, validator=_check_budget)
    budget_window: float = attrs.field(
        default=60.0, validator=_check_policy_seconds("budget_window", allow_zero=False)
    )

    @classmethod
    def none(cls) -> RetryPolicy:
        """A policy that never retries."""
        return cls(max_attempts=1)

    def backoff(self, retry_number: int, rng: random.Random | None = None) -> float:
        """Seconds to wait before retry number ``retry_number`` (1-based), full jitter."""
        exponent = min(max(0, retry_number - 1), 60)
        ceiling = min(self.backoff_cap, self.backoff_base * (2**exponent))
        return (rng or random).uniform(0.0, ceiling)
