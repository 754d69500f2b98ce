"""The fast paths of model decoding give exactly what the slow paths give.

Each fast path (whole-second ``UnixTime``\\ s built from their pickle state, compiled
structure functions, the collector paused during a bulk decode) is compared with the path
it replaces on generated inputs.
"""

from __future__ import annotations

import pickle
from datetime import timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backup_sdk.models import UnixTime
from backup_sdk.models.times import (
    MAX_AUTO_SECONDS,
    MAX_SECONDS,
    MIN_SECONDS,
    unix_time_from_int,
)

# -- UnixTime from whole seconds ---------------------------------------------------------------


def _same_time(fast: UnixTime, slow: UnixTime) -> None:
    assert type(fast) is type(slow) is UnixTime
    assert fast == slow
    assert fast.isoformat() == slow.isoformat()
    assert fast.tzinfo is slow.tzinfo is timezone.utc
    assert fast.fold == slow.fold == 0
    assert fast.raw == slow.raw and type(fast.raw) is type(slow.raw)
    assert repr(fast) == repr(slow)
    if abs(float(slow.raw)) <= MAX_AUTO_SECONDS:  # pickles are read back by magnitude (auto units)
        assert pickle.loads(pickle.dumps(fast)) == slow


def _slow(raw: int) -> UnixTime:
    """What ``UnixTime.from_raw`` built before the fast path: ``fromtimestamp`` on the class."""
    obj = UnixTime.fromtimestamp(raw, timezone.utc)
    obj.raw = raw
    return obj


@settings(max_examples=2_000)
@given(
    st.integers(MIN_SECONDS, MAX_SECONDS)
    | st.sampled_from([MIN_SECONDS, MAX_SECONDS, -1, 0, 1, 59, 60, 3_599, 86_399, 86_400])
    | st.integers(-86_400 * 3, 86_400 * 3)
)
def test_whole_seconds_build_the_same_time_as_fromtimestamp(raw: int) -> None:
    _same_time(unix_time_from_int(raw), _slow(raw))
    _same_time(UnixTime.from_raw(raw), _slow(raw))


@pytest.mark.parametrize("raw", [MIN_SECONDS - 1, MAX_SECONDS + 1, 10**20, -(10**20)])
def test_whole_seconds_out_of_range_still_raise(raw: int) -> None:
    with pytest.raises(ValueError, match="out of range"):
        UnixTime.from_raw(raw)


@pytest.mark.parametrize("raw", [MAX_AUTO_SECONDS, MAX_AUTO_SECONDS + 1, -MAX_AUTO_SECONDS - 1])
def test_auto_units_read_large_ints_by_magnitude_either_side_of_the_fast_path(raw: int) -> None:
    seconds = raw if abs(raw) <= MAX_AUTO_SECONDS else raw / 1e3
    expected = UnixTime.fromtimestamp(seconds, timezone.utc)
    got = UnixTime.from_raw(raw, auto_units=True)
    assert got == expected and got.raw == raw


def test_the_day_cache_is_bounded() -> None:
    from backup_sdk.models import times

    for day in range(times._DAY_CACHE_SIZE + 10):
        unix_time_from_int(day * 86_400)
    assert len(times._day_states) <= times._DAY_CACHE_SIZE
