"""The fast paths of model decoding give exactly what the slow paths give.

Each fast path (whole-second ``UnixTime``\\ s built from their pickle state, compiled
structure functions, the collector paused during a bulk decode) is compared with the path
it replaces on generated inputs.
"""

from __future__ import annotations

import enum
import gc
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import timezone
from types import MappingProxyType
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backup_sdk.errors import ResponseDecodeError
from backup_sdk.models import (
    ModelConverter,
    OpenIntEnum,
    OpenStrEnum,
    UnixTime,
    WireBytes,
    WireModel,
    model,
    wire,
)
from backup_sdk.models._gcpause import gc_paused
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


@settings(max_examples=2_000, deadline=None)
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


def test_the_day_and_minute_caches_are_bounded() -> None:
    from backup_sdk.models import times

    for day in range(times._DAY_CACHE_SIZE + 10):
        unix_time_from_int(day * 86_400)
    assert len(times._day_states) <= times._DAY_CACHE_SIZE
    for minute in range(times._MINUTE_CACHE_SIZE + 10):
        unix_time_from_int(minute * 60 + 59)
    assert len(times._minute_states) <= times._MINUTE_CACHE_SIZE


# -- compiled structure functions against cattrs' detailed ones ---------------------------------


class Level(OpenIntEnum):
    LOW = 1
    HIGH = 2


class Mode(OpenStrEnum):
    A = "a"
    B = "b"


class Plain(enum.Enum):
    X = "x"
    Y = 2


class Colour(enum.IntEnum):
    RED = 1
    GREEN = 2


@model
class Leaf(WireModel):
    at: UnixTime | None = wire("At", default=None)
    name: str = wire("Name", default="")


@model
class Shape(WireModel):
    ident: str = wire("Ident")
    count: int = wire("Count", default=0)
    ratio: float = wire("Ratio", default=0.0)
    flag: bool = wire("Flag", default=False)
    level: Level = wire("Level", default=Level.LOW)
    mode: Mode = wire("Mode", default=Mode.A)
    plain: Plain = wire("Plain", default=Plain.X)
    colour: Colour = wire("Colour", default=Colour.RED)
    when: UnixTime = wire("When", factory=lambda: UnixTime.from_raw(1))
    maybe_when: UnixTime | None = wire("MaybeWhen", default=None)
    note: str | None = wire("Note", default=None)
    maybe_count: int | None = wire("MaybeCount", default=None)
    maybe_ratio: float | None = wire("MaybeRatio", default=None)
    maybe_flag: bool | None = wire("MaybeFlag", default=None)
    maybe_level: Level | None = wire("MaybeLevel", default=None)
    leaf: Leaf = wire("Leaf", factory=Leaf)
    maybe_leaf: Leaf | None = wire("MaybeLeaf", default=None)
    leaves: list[Leaf] = wire("Leaves", factory=list)
    tags: list[str] = wire("Tags", factory=list)
    blob: bytes = wire("Blob", default=b"")
    by_id: dict[int, str] = wire("ByID", factory=dict)
    anything: dict[str, Any] = wire("Anything", factory=dict)
    secret: str = wire("Secret", default="", secret=True)
    late: int = attrs.field(default=0, kw_only=True, metadata={"backup_sdk.wire": "Late"})


KEYS: list[str] = [
    a.metadata["backup_sdk.wire"] for a in attrs.fields(Shape) if a.name != "extra_fields"
]

#: Values at the edges of every inline check (exact types, bools, zero, the time bounds,
#: numeric strings, enum values known and unknown, base64).
TRICKY: list[Any] = [
    *(None, True, False, 0, 1, -1, 2, 3, 5000, 1_700_000_000, 1_700_000_000_000, 10**20),
    *(MIN_SECONDS - 1, MIN_SECONDS, MAX_SECONDS, MAX_SECONDS + 1),
    *(MAX_AUTO_SECONDS, MAX_AUTO_SECONDS + 1, -MAX_AUTO_SECONDS, -MAX_AUTO_SECONDS - 1),
    *(0.0, -0.0, 1.0, 2.0, 1.5, 1_700_000_000.0, 1e300),
    *("", "0", "1", "2", " 7 ", "1.5", "x", "a", "b", "c", "true", "AQL/", "1700000000"),
    *([], [1, 2], ["a"], [{"At": 5}], {}, {"At": 5, "Name": "n"}, {"1": "one"}, {"At": "x"}),
]
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=6)
    | st.sampled_from(TRICKY)
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["At", "Name", "1", "x", "New"]), children, max_size=3)
    ),
    max_leaves=6,
)
payloads = st.dictionaries(st.sampled_from([*KEYS, "Unknown", "Other"]), values) | values

CONVERTERS = {
    "plain": ModelConverter("fast_plain"),
    "numeric_strings": ModelConverter("fast_numeric", numeric_strings=True),
    "auto_time_units": ModelConverter("fast_auto", auto_time_units=True, never_time=None),
}


def _snapshot(value: Any) -> Any:
    """Everything about a decoded value that must not differ: types included (``50`` is not
    ``50.0``), raw wire values of times and bytes, unknown fields."""
    if attrs.has(type(value)):
        return (
            type(value),
            tuple((a.name, _snapshot(getattr(value, a.name))) for a in attrs.fields(type(value))),
        )
    if isinstance(value, UnixTime):
        return ("time", value.isoformat(), value.raw, type(value.raw))
    if isinstance(value, WireBytes):
        return ("bytes", bytes(value), value.wire_form, value.raw)
    if isinstance(value, list):
        return ("list", tuple(_snapshot(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple((k, type(k), _snapshot(v)) for k, v in value.items()))
    return (type(value), value)


def _outcome(structure: Any, data: Any, cls: Any) -> Any:
    try:
        return ("ok", _snapshot(structure(data, cls)))
    except Exception:  # which exception may differ between the two paths; both fail
        return ("error",)


@pytest.mark.parametrize("name", sorted(CONVERTERS))
def test_the_shape_model_is_compiled(name: str) -> None:
    hook = CONVERTERS[name].cattrs.get_structure_hook(Shape)
    assert hook.__code__.co_filename.startswith("<backup_sdk compiled structure")


@pytest.mark.parametrize("name", sorted(CONVERTERS))
def test_every_field_decodes_every_tricky_value_as_cattrs_detailed_ones(name: str) -> None:
    conv = CONVERTERS[name]
    detailed = conv._detailed_converter()
    for key in KEYS:
        for value in TRICKY:
            data = {"Ident": "i", key: value}
            fast = _outcome(conv.cattrs.structure, data, Shape)
            assert fast == _outcome(detailed.structure, data, Shape), data


@pytest.mark.parametrize("name", sorted(CONVERTERS))
@settings(max_examples=600, deadline=None)
@given(
    key=st.sampled_from(KEYS),
    value=values,
    unknown=st.dictionaries(st.sampled_from(["Unknown", "Other"]), scalars, max_size=2),
)
def test_each_field_decodes_as_cattrs_detailed_ones_would(
    name: str, key: str, value: Any, unknown: dict[str, Any]
) -> None:
    conv = CONVERTERS[name]
    data = {"Ident": "i", key: value, **unknown}
    fast = _outcome(conv.cattrs.structure, data, Shape)
    slow = _outcome(conv._detailed_converter().structure, data, Shape)
    assert fast == slow


@pytest.mark.parametrize("name", sorted(CONVERTERS))
@settings(max_examples=300, deadline=None)
@given(data=payloads)
def test_compiled_functions_decode_as_cattrs_detailed_ones(name: str, data: Any) -> None:
    conv = CONVERTERS[name]
    fast = _outcome(conv.cattrs.structure, data, Shape)
    slow = _outcome(conv._detailed_converter().structure, data, Shape)
    assert fast == slow


@settings(max_examples=200, deadline=None)
@given(data=st.lists(st.dictionaries(st.sampled_from([*KEYS, "Unknown"]), values), max_size=4))
def test_compiled_lists_decode_as_cattrs_detailed_ones(data: Any) -> None:
    conv = CONVERTERS["plain"]
    data = [{"Ident": "i", **item} for item in data]
    fast = _outcome(conv.cattrs.structure, data, list[Shape])
    slow = _outcome(conv._detailed_converter().structure, data, list[Shape])
    assert fast == slow


def test_a_mapping_that_is_not_a_dict_decodes_as_the_dict() -> None:
    conv = CONVERTERS["plain"]
    data = {"Ident": "i", "Count": 3, "Leaf": {"At": 5}, "New": 1}
    assert conv.structure(MappingProxyType(data), Shape) == conv.structure(data, Shape)
    assert conv.structure(data, Shape).extra_fields == {"New": 1}


def test_a_hook_registered_for_a_type_is_used_not_inlined() -> None:
    local = ModelConverter("fast_registered")
    local.register(lambda c: c.register_structure_hook(str, lambda v, _: f"<{v}>"))
    leaf = local.structure({"Name": "n"}, Leaf)
    assert leaf.name == "<n>"


def test_unknown_keys_are_found_with_missing_known_ones() -> None:
    conv = CONVERTERS["plain"]
    full = conv.unstructure(Shape(ident="i"))
    assert sorted(full) == sorted(KEYS)
    # as many keys as the model knows, one of them unknown: the count alone must tell
    swapped = {**{k: v for k, v in full.items() if k != "Late"}, "Unknown": 1}
    assert len(swapped) == len(KEYS)
    assert conv.structure(swapped, Shape).extra_fields == {"Unknown": 1}
    assert conv.structure(full, Shape).extra_fields == {}
    assert conv.structure({"Ident": "i"}, Shape).extra_fields == {}
    assert conv.structure({"Ident": "i", "Late": 3, "X": None}, Shape).extra_fields == {"X": None}


full_records = st.tuples(
    st.fixed_dictionaries(dict.fromkeys(KEYS, values)),
    st.lists(st.tuples(st.sampled_from(["Unknown", "Other"]), scalars), max_size=2),
    st.randoms(use_true_random=False),
)


@pytest.mark.parametrize("name", sorted(CONVERTERS))
@settings(max_examples=300, deadline=None)
@given(record=full_records)
def test_records_with_every_key_decode_as_cattrs_detailed_ones(
    name: str, record: tuple[dict[str, Any], list[tuple[str, Any]], Any]
) -> None:
    """Every known key present (the one-call path), unknown keys anywhere among them."""
    known, unknown, rng = record
    items = list(known.items())
    for item in unknown:
        items.insert(rng.randrange(len(items) + 1), item)
    data = dict(items)
    conv = CONVERTERS[name]
    fast = _outcome(conv.cattrs.structure, data, Shape)
    assert fast == _outcome(conv._detailed_converter().structure, data, Shape)


def test_unknown_keys_of_a_complete_record_keep_their_order() -> None:
    conv = CONVERTERS["plain"]
    full = conv.unstructure(Shape(ident="i"))
    at_the_end = {**full, "Z": 1}
    assert list(conv.structure(at_the_end, Shape).extra_fields.items()) == [("Z", 1)]
    first = {"A": 1, **full}
    assert list(conv.structure(first, Shape).extra_fields.items()) == [("A", 1)]
    around = {"B": 2, **full, "A": 1, "C": None}
    extra = conv.structure(around, Shape).extra_fields
    assert list(extra.items()) == [("B", 2), ("A", 1), ("C", None)]


def test_each_record_keeps_its_own_unknown_key_whatever_came_before() -> None:
    """The compiled function first tries the unknown key of the previous record."""
    conv = CONVERTERS["plain"]
    full = conv.unstructure(Shape(ident="i"))
    first, *rest = full.items()
    records = [
        {**full, "A": 1},
        {first[0]: first[1], "B": 2, **dict(rest)},
        {first[0]: first[1], "A": 3, **dict(rest)},
        {**full, "B": 4},
        {**full, "B": 5},
        {**full, "C": 6},
        full,
    ]
    decoded = conv.structure(records, list[Shape])
    assert [d.extra_fields for d in decoded] == [
        {"A": 1},
        {"B": 2},
        {"A": 3},
        {"B": 4},
        {"B": 5},
        {"C": 6},
        {},
    ]


@model
class Single(WireModel):
    count: int = wire("Count", default=0)


def test_a_model_of_one_field_decodes_complete_and_partial_records() -> None:
    conv = CONVERTERS["plain"]
    assert conv.structure({"Count": 3}, Single) == Single(count=3)
    assert conv.structure({"Count": 3, "New": 1}, Single).extra_fields == {"New": 1}
    assert conv.structure({"Other": 2}, Single).extra_fields == {"Other": 2}
    assert conv.structure({}, Single) == Single()
    with pytest.raises(ResponseDecodeError, match=r"\$\.Count"):
        conv.structure({"Count": "x"}, Single)


@model
class Checked(WireModel):
    count: int = attrs.field(
        default=0, validator=attrs.validators.ge(0), metadata={"backup_sdk.wire": "Count"}
    )


POST_INITS: list[str] = []


@model
class Counted(WireModel):
    name: str = wire("Name", default="")

    def __attrs_post_init__(self) -> None:
        POST_INITS.append(self.name)


def test_a_complete_record_still_runs_validators_and_post_init() -> None:
    """Only a plain attrs ``__init__`` is bypassed; one that checks or does more is called."""
    conv = CONVERTERS["plain"]
    assert conv.structure({"Count": 3}, Checked).count == 3
    with pytest.raises(ResponseDecodeError):
        conv.structure({"Count": -1}, Checked)
    POST_INITS.clear()
    conv.structure({"Name": "n", "Extra": 1}, Counted)
    assert POST_INITS == ["n"]


def test_a_complete_record_builds_the_object_init_would() -> None:
    conv = CONVERTERS["plain"]
    full = conv.unstructure(Shape(ident="i"))
    built = conv.structure(full, Shape)
    assert type(built) is Shape
    assert built == Shape(ident="i") and built.extra_fields == {}
    assert built.extra_fields is not conv.structure(full, Shape).extra_fields


@model
class Twice(WireModel):
    first: str = wire("Same", default="")
    second: str = wire("Same", default="")
    derived: int = attrs.field(init=False, default=7)


def test_a_model_that_cannot_be_compiled_uses_cattrs_functions() -> None:
    conv = CONVERTERS["plain"]
    hook = conv.cattrs.get_structure_hook(Twice)
    assert not hook.__code__.co_filename.startswith("<backup_sdk compiled structure")
    twice = conv.structure({"Same": "s", "New": 1}, Twice)
    assert (twice.first, twice.second, twice.derived) == ("s", "s", 7)
    assert twice.extra_fields == {"New": 1}


# -- the collector paused during a bulk decode -------------------------------------------------


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        (gc.enable if was else gc.disable)()


@pytest.mark.usefixtures("collector_on")
def test_a_pause_turns_the_collector_off_and_back_on() -> None:
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled(), "an inner pause does not end the outer one"
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_a_pause_never_turns_on_a_collector_the_program_turned_off() -> None:
    gc.disable()
    with gc_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_the_collector_comes_back_when_the_last_of_two_threads_is_done() -> None:
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, bool] = {}

    def first() -> None:
        with gc_paused():
            first_in.set()
            second_in.wait(10)
        first_out.set()

    def second() -> None:
        first_in.wait(10)
        with gc_paused():
            second_in.set()
            first_out.wait(10)
            seen["after the first ended"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == {"after the first ended": False}
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_a_fork_during_a_pause_gives_a_child_with_the_collector_on() -> None:
    from backup_sdk.models import _gcpause

    with gc_paused():
        _gcpause._after_fork_in_child()  # what os.fork runs in the child
        assert gc.isenabled()
    assert gc.isenabled(), "the pause begun before the fork ends as a no-op"
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_a_real_fork_during_a_pause() -> None:
    script = (
        "import gc, os\n"
        "from backup_sdk.models._gcpause import gc_paused\n"
        "with gc_paused():\n"
        "    pid = os.fork()\n"
        "    if pid == 0:\n"
        "        os._exit(0 if gc.isenabled() else 1)\n"
        "    _, status = os.waitpid(pid, 0)\n"
        "    assert not gc.isenabled()\n"
        "assert gc.isenabled()\n"
        "raise SystemExit(os.waitstatus_to_exitcode(status))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr


@model
class Probe(WireModel):
    """A model whose one field records whether the collector was on when it was decoded."""

    seen: bool = wire("Seen", default=False)


def _probing_converter(**options: Any) -> ModelConverter:
    conv = ModelConverter("fast_probe", **options)
    conv.register(lambda c: c.register_structure_hook(bool, lambda v, _: gc.isenabled()))
    return conv


@pytest.mark.usefixtures("collector_on")
def test_a_large_list_is_decoded_with_the_collector_paused() -> None:
    conv = _probing_converter()
    size = ModelConverter.PAUSE_GC_AT
    assert not any(p.seen for p in conv.structure_list([{"Seen": 1}] * size, Probe))
    assert gc.isenabled()
    assert all(p.seen for p in conv.structure_list([{"Seen": 1}] * (size - 1), Probe))
    assert conv.structure({"Seen": 1}, Probe).seen
    conv.pause_gc = False
    assert all(p.seen for p in conv.structure_list([{"Seen": 1}] * size, Probe))
    assert all(
        p.seen
        for p in _probing_converter(pause_gc=False).structure_list([{"Seen": 1}] * size, Probe)
    )


@pytest.mark.usefixtures("collector_on")
def test_the_collector_is_back_on_after_a_failed_decode() -> None:
    conv = ModelConverter("fast_failing")
    records: list[Any] = [{"Ident": "i"}] * ModelConverter.PAUSE_GC_AT + [{"Count": "x"}]
    with pytest.raises(ResponseDecodeError) as info:
        conv.structure_list(records, Shape)
    assert info.value.path == f"$[{ModelConverter.PAUSE_GC_AT}].Ident"
    assert gc.isenabled()
