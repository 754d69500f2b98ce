"""The fast paths of cove_sdk.statistics give exactly what the general code gives.

``Reference`` below is the row reader as it was before the fast paths (every read through
``canonical`` and the general conversions); pages are decoded both ways and every reader
is compared, errors included.
"""

from __future__ import annotations

import math
import pickle
import re
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backup_sdk.errors import ResponseDecodeError
from backup_sdk.models import UnixTime
from cove_sdk import SessionStatus
from cove_sdk.columns import _parse_active_text, canonical, parse_active_sources
from cove_sdk.models import is_never_time
from cove_sdk.statistics import (
    StatisticsRow,
    _merge_by_update,
    _merger,
    _row,
    decode_page,
)

_SPLIT = re.compile(r"[,;]")


def _fail(what: str, code: str, value: Any, account: Any) -> ResponseDecodeError:
    return ResponseDecodeError(
        f"column {code} is not {what}: {value!r}"[:200],
        vendor="cove",
        model="StatisticsRow",
        path=f"$[AccountId={account}].Settings.{code}",
    )


class Reference:
    """The general reader: a canonical map per row, every conversion in full."""

    def __init__(self, raw: dict[str, Any], account: Any) -> None:
        self.raw = raw
        self.account = account
        self.canon = {canonical(k): k for k in raw}

    def get(self, code: str, default: Any = None) -> Any:
        if code in self.raw:
            return self.raw[code]
        key = self.canon.get(canonical(code))
        return self.raw[key] if key is not None else default

    def single(self, code: str) -> Any:
        value = self.get(code)
        if isinstance(value, list):
            if len(value) > 1:
                raise _fail("a single value (read it with row.values())", code, value, self.account)
            return value[0] if value else None
        return value

    def text(self, code: str) -> Any:
        value = self.single(code)
        return None if value is None else str(value)

    def values(self, code: str) -> Any:
        value = self.get(code)
        if value is None:
            return []
        items = value if isinstance(value, list) else _SPLIT.split(str(value))
        return [t for t in (str(v).strip() for v in items if v is not None) if t]

    def integer(self, code: str) -> Any:
        value = self.single(code)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise _fail("a number", code, value, self.account)
        if isinstance(value, int):
            return value
        try:
            return int(value)
        except (TypeError, ValueError, OverflowError):
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise _fail("a number", code, value, self.account) from None
            if number.is_integer():
                return int(number)
            raise _fail("a whole number", code, value, self.account) from None

    def time(self, code: str) -> Any:
        seconds = self.integer(code)
        if seconds is None or is_never_time(seconds):
            return None
        try:
            return UnixTime.from_raw(seconds)
        except ValueError:
            raise _fail("a timestamp", code, seconds, self.account) from None

    def status(self, code: str) -> Any:
        value = self.single(code)
        if value is None or value == "":
            return None
        try:
            return SessionStatus(value)
        except (TypeError, ValueError):
            raise _fail("a session status", code, value, self.account) from None

    def data_sources(self) -> Any:
        value = self.get("I78")
        if value is None:
            return []
        if isinstance(value, list | tuple):
            text = ",".join(str(v) for v in value if v is not None)
        else:
            text = str(value)
        return list(_parse_active_text.__wrapped__(text)[0])


def outcome(read: Callable[[], Any]) -> tuple[str, Any]:
    """What a read gives, comparably: the value (a time with its type and raw value), or
    the decode error's message and path."""
    try:
        value = read()
    except ResponseDecodeError as error:
        return ("error", (str(error), error.path))
    if isinstance(value, UnixTime):
        return ("time", (value, type(value), value.raw, value.tzinfo, value.fold))
    if isinstance(value, SessionStatus):
        return ("status", (id(value), value.name, int(value)))
    if isinstance(value, float) and math.isnan(value):
        return ("nan", None)
    return ("value", (type(value), value))


# Spellings of a few columns (padding, case, legacy codes, spaces) and values as the
# service sends them, plus the odd ones a fuzzer finds.
CODES = [
    "I1",
    "AN",
    "I14",
    "I014",
    "US",
    "I78",
    "AP",
    "I6",
    "D9F0",
    "D09F00",
    "D9F00",
    "d9f0",
    " D9F0",
    "T0",
    "D09F09",
    "D9F9",
    "D1F12",
    "D01F12",
    "D1F15",
    "D1F9",
    "D01F09",
    "D19F0",
    "AA843",
    "X",
]
TEXTS = [
    "",
    " ",
    "0",
    "5",
    " 5 ",
    "+5",
    "-1",
    "05",
    "1_000",
    "5.0",
    "5.5",
    "1e3",
    "inf",
    "nan",
    "13",
    "99",
    "Completed",
    "completed with errors",
    "InProcessWithFaults",
    "lots",
    "1700000000",
    "2147483647",
    "253402300799",
    "253402300800",
    "-62135596800",
    "-62135596801",
    "9" * 40,
    "D01D02D10",
    "D1,D2;D13",
    "FSZ",
    "R",
    "\u0665",  # a digit int() reads
]
values = st.recursive(
    st.none()
    | st.sampled_from(TEXTS)
    | st.booleans()
    | st.integers(-(2**64), 2**64)
    | st.sampled_from([0, 5, 13, 2147483647, 1_700_000_000, 253402300800])
    | st.floats(allow_nan=True),
    lambda inner: st.lists(inner, max_size=3),
    max_leaves=4,
)
entries = st.dictionaries(st.sampled_from(CODES), values, min_size=1, max_size=2)
layouts = st.lists(entries, max_size=8)


@st.composite
def pages(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Rows sharing a layout (the page's keys, the first row's), some with other values,
    some with entries added, dropped or moved."""
    layout = draw(layouts)
    rows = []
    for account in range(draw(st.integers(1, 5))):
        settings = [{k: draw(values) for k in entry} for entry in layout]
        change = draw(st.sampled_from(["same", "same", "add", "drop", "swap", "new"]))
        if change == "add":
            settings.insert(draw(st.integers(0, len(settings))), draw(entries))
        elif change == "drop" and settings:
            settings.pop(draw(st.integers(0, len(settings) - 1)))
        elif change == "swap" and len(settings) > 1:
            settings.reverse()
        elif change == "new":
            settings = draw(layouts)
        rows.append({"AccountId": account, "PartnerId": 1, "Flags": None, "Settings": settings})
    return rows


def readers(row: StatisticsRow, ref: Reference, code: str) -> list[tuple[Any, Any]]:
    return [
        (lambda: row.get(code), lambda: ref.get(code)),
        (lambda: row.get(code, "d"), lambda: ref.get(code, "d")),
        (lambda: code in row, lambda: ref.get(code, ref) is not ref),
        (lambda: row.text(code), lambda: ref.text(code)),
        (lambda: row.values(code), lambda: ref.values(code)),
        (lambda: row.integer(code), lambda: ref.integer(code)),
        (lambda: row.time(code), lambda: ref.time(code)),
        (lambda: row.status(code), lambda: ref.status(code)),
    ]


@settings(max_examples=250, deadline=None)
@given(pages(), st.lists(st.sampled_from(CODES), min_size=1, max_size=6))
def test_every_reader_gives_what_the_general_code_gives(
    page: list[dict[str, Any]], asked: list[str]
) -> None:
    decoded = decode_page(page)
    assert len(decoded) == len(page)
    for item, row in zip(page, decoded, strict=True):
        ref_row = _row(item, 0)  # the general decoder
        assert row.raw == ref_row.raw and list(row.raw) == list(ref_row.raw)
        ref = Reference(ref_row.raw, row.account_id)
        for code in asked + asked:  # twice: the second read goes through remembered aliases
            for fast, slow in readers(row, ref, code):
                assert outcome(fast) == outcome(slow), code
        assert outcome(partial(getattr, row, "data_sources")) == outcome(ref.data_sources)
        for number in (1, 9, 19):
            stats = row.source(number)
            for name, field, reader in PROPERTIES:
                code = f"D{number}F{field}"
                slow = getattr(ref, reader)
                assert outcome(partial(getattr, stats, name)) == outcome(partial(slow, code)), code
                assert outcome(partial(stats.value, field)) == outcome(partial(ref.get, code))


PROPERTIES = [
    ("last_status", 0, "status"),
    ("last_success", 9, "time"),
    ("last_session", 15, "time"),
    ("last_completed", 18, "time"),
    ("last_completed_status", 17, "status"),
    ("errors", 6, "integer"),
    ("selected_size", 3, "integer"),
    ("colour_bar", 8, "text"),
]


def decode_slowly(page: list[dict[str, Any]]) -> list[StatisticsRow]:
    return [_row(item, i) for i, item in enumerate(page)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.one_of(entries, st.sampled_from(["I1", ["I1"], [["I1", "x"]], 3])))))
def test_page_decoding_gives_what_the_general_decoder_gives(settings_lists: list[Any]) -> None:
    page = [{"AccountId": i, "Settings": s} for i, s in enumerate(settings_lists)]
    slow = outcome(partial(decode_slowly, page))
    if slow[0] == "error":
        assert outcome(partial(decode_page, page)) == slow
        return
    expected = decode_slowly(page)
    decoded = decode_page(page)
    for row, ref in zip(decoded, expected, strict=True):
        assert (row.account_id, row.partner_id, row.flags, row.extra_fields) == (
            ref.account_id,
            ref.partner_id,
            ref.flags,
            ref.extra_fields,
        )
        assert row.raw == ref.raw and list(row.raw) == list(ref.raw)


@pytest.mark.parametrize("count", [0, 1, 2, 40, 513])
def test_merge_functions_match_dict_update(count: int) -> None:
    settings = [{f"I{i % 7}": str(i)} for i in range(count)] + [{"I1": "last", "I2": "two"}]
    assert _merger(len(settings))(settings) == _merge_by_update(settings)
    assert list(_merger(len(settings))(settings)) == list(_merge_by_update(settings))
    with pytest.raises(TypeError):
        _merger(2)([["I1", "x"], {"I2": "y"}])  # pairs: left to the general decoder


def test_rows_of_pairs_and_extra_keys_decode_as_before() -> None:
    item = {"AccountId": 1, "PartnerId": None, "Settings": [[("I1", "pc")]], "Extra": 1}
    (row,) = decode_page([item])
    assert row.raw == {"I1": "pc"} and row.extra_fields == {"Extra": 1} and row.partner_id == 0


def test_rows_with_other_keys_than_the_first_do_not_share_its_aliases() -> None:
    page = decode_page(
        [
            {"AccountId": 1, "Settings": [{"D09F00": "5"}, {"I1": "a"}]},
            {"AccountId": 2, "Settings": [{"D09F00": "5"}, {"D9F00": "2"}]},  # later wins
            {"AccountId": 3, "Settings": [{"I1": "c"}, {"D09F00": "8"}]},  # same keys, moved
        ]
    )
    statuses = [row.total.last_status for row in page]
    assert statuses == [SessionStatus.COMPLETED, SessionStatus.FAILED, SessionStatus(8)]


def test_a_row_pickles_without_its_aliases_and_reads_the_same() -> None:
    (row,) = decode_page([{"AccountId": 4, "Settings": [{"D09F00": "5"}, {"I14": "12"}]}])
    assert row.total.last_status is SessionStatus.COMPLETED  # aliases built
    back = pickle.loads(pickle.dumps(row))
    assert (back.account_id, back.raw, back.flags) == (4, row.raw, [])
    assert back.total.last_status is SessionStatus.COMPLETED and back.used_storage == 12
    assert repr(back) == repr(row)


def test_status_text_cache_keeps_unknown_codes_and_names() -> None:
    (row,) = decode_page([{"AccountId": 1, "Settings": [{"D9F0": "13"}, {"D1F0": "Completed"}]}])
    for _ in range(2):
        unknown = row.total.last_status
        assert unknown is SessionStatus(13) and unknown is not None and unknown.is_unknown
        assert row.source(1).last_status is SessionStatus.COMPLETED


def test_is_failure_is_unchanged_for_every_status() -> None:
    def old(status: SessionStatus) -> bool:
        return (
            not (status.is_success or status.is_warning or status.is_running)
            and status is not SessionStatus.NO_STATUS
        )

    for status in [*SessionStatus, SessionStatus(13), SessionStatus(99)]:
        assert status.is_failure is old(status), status


def test_active_source_parses_are_cached_but_lists_are_fresh() -> None:
    first = parse_active_sources("D01D02D13")
    first.sources.clear()
    first.unknown.append("x")
    again = parse_active_sources("D01D02D13")
    assert [d.code for d in again.sources] == ["D1", "D2"] and again.unknown == ["D13"]
    assert _parse_active_text("D01D02D13") == _parse_active_text.__wrapped__("D01D02D13")


def test_a_page_pickles_with_its_rows_and_totals() -> None:
    page = decode_page(
        [{"AccountId": i, "Settings": [{"D09F00": "5"}, {"I1": f"pc-{i}"}]} for i in range(300)],
        [{"COUNT(1)": "300"}],
    )
    back = pickle.loads(pickle.dumps(page))
    assert [r.raw for r in back] == [r.raw for r in page] and back.totals == {"COUNT(1)": 300}
    assert {r.total.last_status for r in back} == {SessionStatus.COMPLETED}
