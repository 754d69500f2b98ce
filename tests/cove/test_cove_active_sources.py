"""Active data sources: ``I78`` codes and the legacy ``AP`` letters."""

from __future__ import annotations

import pytest

from cove_sdk import CoveClient
from cove_sdk.columns import DATA_SOURCES, canonical, parse_active_sources, parse_data_source_list
from cove_sdk.statistics import StatisticsRow, decode_page
from cove_sdk.testing import CoveSimulator


def _row(code: str, value: object) -> StatisticsRow:
    (row,) = decode_page([{"AccountId": 1, "Settings": [{code: value}]}])
    return row


@pytest.mark.parametrize(
    ("value", "codes", "unknown"),
    [
        ("FSZ", ["D1", "D7", "D10"], []),
        ("F,S,Z", ["D1", "D7", "D10"], []),
        ("HNLXWPY", ["D14", "D6", "D15", "D4", "D8", "D11", "D12"], []),
        ("FGJ", ["D1", "D19", "D20"], []),
        ("FRQ", ["D1", "D3"], ["R"]),  # R (removable media) has no D code
        ("F?K", ["D1"], ["?", "K"]),
        (["F", "S"], ["D1", "D7"], []),
        ("D01D13D99", ["D1"], ["D13", "D99"]),
        ("D01,x,D02", ["D1", "D2"], ["x"]),
        ("", [], []),
        (None, [], []),
    ],
)
def test_letters_and_codes_are_both_read(
    value: object, codes: list[str], unknown: list[str]
) -> None:
    found = parse_active_sources(value)
    assert [d.code for d in found.sources] == codes
    assert found.unknown == unknown


def test_a_row_that_came_with_ap_has_its_sources() -> None:
    assert canonical("AP") == "I78", "AP is the same column, under its legacy code"
    row = _row("AP", "FSZ")
    assert [d.code for d in row.data_sources] == ["D1", "D7", "D10"]
    assert row.unknown_data_source_codes == []
    assert set(row.per_source()) == {"D1", "D7", "D10"}


def test_unknown_letters_are_kept_not_dropped() -> None:
    row = _row("AP", "FRK")
    assert [d.code for d in row.data_sources] == ["D1"]
    assert row.unknown_data_source_codes == ["R", "K"]
    assert _row("I78", "D01D13").unknown_data_source_codes == ["D13"]


def test_i78_wins_over_ap_when_both_came() -> None:
    (row,) = decode_page([{"AccountId": 1, "Settings": [{"I78": "D01D19"}, {"AP": "FZ"}]}])
    assert [d.code for d in row.data_sources] == ["D1", "D19"]


def test_the_old_helper_reads_letters_too() -> None:
    assert [d.code for d in parse_data_source_list("FS")] == ["D1", "D7"]
    assert parse_data_source_list("D13") == []


def test_ap_from_the_simulator(client: CoveClient, sim: CoveSimulator) -> None:
    rows = client.enumerate_account_statistics(client.user.partner_id, ["I1", "AP", "I78"])
    assert rows
    for row in rows:
        device = sim.fleet.by_account[row.account_id]
        if not device.sources:
            assert "AP" not in row.raw
            continue
        letters = row.raw.get("AP")
        assert letters == device.legacy_active_sources(), "letters, not D codes"
        from_letters = parse_active_sources(letters)
        numbers = [s.number for s in device.sources if DATA_SOURCES[s.number].legacy]
        # S stands for D7; a device with D2 (System State) reads as D7 from AP
        assert [d.number for d in from_letters.sources] == [7 if n == 2 else n for n in numbers]
        assert from_letters.unknown == []
        assert [d.number for d in row.data_sources] == [s.number for s in device.sources]
    only_ap = client.enumerate_account_statistics(client.user.partner_id, ["AP"])
    assert any(r.data_sources for r in only_ap), "AP alone gives the sources"
