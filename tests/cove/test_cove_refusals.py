"""find_refused: group testing for refused columns, and the per-partner cache."""

from __future__ import annotations

import math
import random
import statistics
import threading
from collections.abc import Callable, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cove_sdk.columns import canonical, statistics_columns
from cove_sdk.refusals import NotAColumnRefusal, RefusedColumns, find_refused

PROPS = ["I1", "I8", "I14", "I18", "I32", "I59", "I78", "I6"]
COLUMNS = PROPS + statistics_columns([0, 6, 9, 15, 17, 18, 12], [1, 7, 10]) + ["D09F00"]
D07 = [c for c in COLUMNS if c.startswith("D07")]


class FakeTenant:
    """Refuses any query naming a refused code (any spelling); counts the probes."""

    def __init__(self, refused: Sequence[str], *, everything: bool = False) -> None:
        self.refused = {canonical(c) for c in refused}
        self.everything = everything
        self.calls = 0

    def probe(self, subset: list[str]) -> bool:
        self.calls += 1
        if self.everything:
            return False
        return not any(canonical(c) in self.refused for c in subset)


def bisect(columns: list[str], probe: Callable[[list[str]], bool]) -> list[str]:
    """The search the client used before (for the comparison)."""
    if not columns or probe(columns):
        return []
    if len(columns) == 1:
        return columns
    middle = len(columns) // 2
    return bisect(columns[:middle], probe) + bisect(columns[middle:], probe)


def calls(search: Callable[..., list[str]], refused: Sequence[str]) -> int:
    tenant = FakeTenant(refused)
    found = search(list(COLUMNS), tenant.probe)
    assert found == [c for c in COLUMNS if c in refused]
    return tenant.calls


#: (refused columns among 30, probes now, probes of the old bisection)
CASES = [
    (["I14"], 7, 11),
    (["D10F12"], 7, 11),
    (["D09F00"], 6, 11),
    (D07[:3], 11, 11),
    (["I14", "D01F15", "D10F00"], 20, 25),
    (D07[:5], 13, 15),
    (["I8", "I32", "D01F09", "D07F18", "D10F06"], 29, 35),
    (D07, 15, 17),
]


def test_the_list_has_thirty_columns() -> None:
    assert len(COLUMNS) == len(set(COLUMNS)) == 30


@pytest.mark.parametrize(("refused", "now", "before"), CASES)
def test_probe_counts(refused: list[str], now: int, before: int) -> None:
    assert calls(find_refused, refused) == now
    assert calls(bisect, refused) == before


def test_one_refused_column_costs_at_most_seven_probes_wherever_it_is() -> None:
    counts = [calls(find_refused, [c]) for c in COLUMNS[1:]]  # I1 is the baseline
    assert max(counts) == 7
    assert max(calls(bisect, [c]) for c in COLUMNS[1:]) == 11


@pytest.mark.parametrize(
    ("refused", "runs_now", "runs_before", "random_now", "random_before"),
    [
        (1, 6.93, 10.93, 6.95, 10.96),
        (3, 11.59, 14.48, 17.77, 22.37),
        (5, 13.64, 18.12, 26.31, 30.61),
    ],
)
def test_mean_probe_counts(
    refused: int, runs_now: float, runs_before: float, random_now: float, random_before: float
) -> None:
    """Over every run of neighbours (as a data source's columns are refused) and over 300
    scattered choices, both searches on the same cases."""
    rng = random.Random(30)
    runs = [COLUMNS[i : i + refused] for i in range(1, 31 - refused)]
    scattered = [rng.sample(COLUMNS[1:], refused) for _ in range(300)]
    for cases, now, before in (
        (runs, runs_now, runs_before),
        (scattered, random_now, random_before),
    ):
        assert round(statistics.mean(calls(find_refused, c) for c in cases), 2) == now
        assert round(statistics.mean(calls(bisect, c) for c in cases), 2) == before


def test_the_whole_list_is_probed_first() -> None:
    seen: list[list[str]] = []

    def probe(subset: list[str]) -> bool:
        seen.append(subset)
        return "I14" not in subset

    assert find_refused(COLUMNS, probe) == ["I14"]
    assert seen[0] == COLUMNS
    assert find_refused(["I1", "I18"], probe) == []
    assert seen[-1] == ["I1", "I18"]


def test_a_refusal_of_everything_blames_no_column() -> None:
    tenant = FakeTenant([], everything=True)
    with pytest.raises(NotAColumnRefusal) as info:
        find_refused(COLUMNS, tenant.probe)
    assert "I1 alone was refused" in str(info.value)
    assert info.value.probes == tenant.calls <= 6


def test_without_the_baseline_column_the_minimal_query_is_probed() -> None:
    columns = ["D02F00", "D02F06", "D01F00"]
    everything = FakeTenant([], everything=True)
    with pytest.raises(NotAColumnRefusal, match=r"minimal query \['I1'\]"):
        find_refused(columns, everything.probe)
    # a real column refusal with nothing else allowed is proven by the baseline probe
    seen: list[list[str]] = []

    def probe(subset: list[str]) -> bool:
        seen.append(subset)
        return not subset or subset == ["I1"] or not {"D02F00", "D02F06"} & set(subset)

    assert find_refused(columns, probe) == ["D02F00", "D02F06"]
    assert ["I1"] in seen
    with pytest.raises(NotAColumnRefusal, match=r"query \[\]"):
        find_refused(["D02F00"], FakeTenant([], everything=True).probe, baseline=())
    assert find_refused(["D02F00"], probe, baseline=()) == ["D02F00"]


def test_no_columns_and_a_baseline_column_refused() -> None:
    with pytest.raises(NotAColumnRefusal):
        find_refused([], FakeTenant([], everything=True).probe)
    assert find_refused([], FakeTenant([]).probe) == []
    with pytest.raises(NotAColumnRefusal, match="I1 alone"):
        find_refused(["I14", "I1"], FakeTenant(["I1"]).probe)


def test_spellings_of_one_code_are_reported_together_in_input_order() -> None:
    columns = ["D9F0", "I1", "D02F00", "D09F00", "D2F0", "I14", "D2F0"]
    assert find_refused(columns, FakeTenant(["D2F0"]).probe) == ["D02F00", "D2F0"]


def test_probe_errors_propagate() -> None:
    def probe(subset: list[str]) -> bool:
        raise TimeoutError("the service did not answer")

    with pytest.raises(TimeoutError):
        find_refused(COLUMNS, probe)


codes = st.sampled_from(
    ["I1", "I14", "I014", "I18", "AN", "US", "D9F0", "D09F00", "D2F0", "D02F06", "D3F9"]
    + [f"D{s}F{f}" for s in (1, 7, 10, 19) for f in (0, 6, 9, 15)]
    + ["AA843", "T0", "X"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(codes, max_size=40), st.data())
def test_the_refused_set_is_always_found_exactly(columns: list[str], data: st.DataObject) -> None:
    keys = sorted({canonical(c) for c in columns} - {"I1"})
    refused = data.draw(st.sets(st.sampled_from(keys)) if keys else st.just(set()))
    tenant = FakeTenant(sorted(refused))
    found = find_refused(columns, tenant.probe)
    expected = list(dict.fromkeys(c for c in columns if canonical(c) in refused))
    assert found == expected
    distinct = len({canonical(c) for c in columns})
    bound = 2 + max(1, len(refused)) * (2 * math.ceil(math.log2(distinct + 1)) + 2)
    assert tenant.calls <= bound


@settings(max_examples=100, deadline=None)
@given(st.lists(codes, min_size=1, max_size=30))
def test_a_refusal_that_ignores_columns_is_never_blamed_on_them(columns: list[str]) -> None:
    with pytest.raises(NotAColumnRefusal):
        find_refused(columns, FakeTenant([], everything=True).probe)


# -- the cache ---------------------------------------------------------------------------


def test_cache_drops_known_refusals_per_partner_in_any_spelling() -> None:
    cache = RefusedColumns()
    cache.remember(10, ["D02F00", "I14"])
    kept, dropped = cache.drop_known(10, ["I1", "D2F0", "I014", "D01F00", "D02F00"])
    assert kept == ["I1", "D01F00"]
    assert dropped == ["D2F0", "I014", "D02F00"]
    assert cache.drop_known(11, ["I14"]) == (["I14"], []), "another partner is not affected"
    assert cache.known(10) == {"D2F0", "I14"}
    cache.forget(10)
    assert cache.known(10) == frozenset()
    cache.remember(10, ["I14"])
    cache.remember(11, ["I14"])
    cache.forget()
    assert cache.known(11) == frozenset()


def test_cache_proofs_can_expire() -> None:
    now = [100.0]
    cache = RefusedColumns(ttl=60, clock=lambda: now[0])
    cache.remember(1, ["I14"])
    now[0] += 59
    assert cache.drop_known(1, ["I14"])[1] == ["I14"]
    now[0] += 2
    assert cache.drop_known(1, ["I14"]) == (["I14"], [])


def test_cache_is_safe_to_share_between_threads() -> None:
    cache = RefusedColumns()
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(200):
                cache.remember(n % 3, [f"I{i}"])
                cache.drop_known(n % 3, ["I1", f"I{i}"])
        except BaseException as exc:  # pragma: no cover - only on failure
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(cache.known(0)) == 200
