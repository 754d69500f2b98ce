"""Legacy data sources (D2, D3): marked in the catalogue, never produced unasked."""

from __future__ import annotations

import warnings

import pytest

from cove_sdk.columns import (
    DATA_SOURCES,
    LegacyColumnWarning,
    column,
    data_source,
    list_data_sources,
    statistics_columns,
)
from cove_sdk.statistics import decode_page


def test_d2_and_d3_are_marked_legacy_with_their_replacements() -> None:
    legacy = {ds.number: ds.replaced_by for ds in DATA_SOURCES.values() if ds.is_legacy}
    assert legacy == {2: 7, 3: 10}
    assert DATA_SOURCES[2].legacy == "S", "the legacy letter is still there"
    assert not DATA_SOURCES[7].is_legacy


def test_asking_for_a_legacy_source_warns_and_names_the_replacement() -> None:
    with pytest.warns(LegacyColumnWarning, match=r"D03F00.*D10 \(VssMsSql\)"):
        assert column(3, 0) == "D03F00"
    with pytest.warns(LegacyColumnWarning, match=r"D7 \(VssSystemState\).*macOS"):
        assert data_source("D02").number == 2
    with pytest.warns(LegacyColumnWarning, match="D3"):
        data_source("Q")  # D3's legacy letter


def test_allow_legacy_asks_without_a_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert column(2, 9, style="minimal", allow_legacy=True) == "D2F9"
        assert data_source(3, allow_legacy=True).name == "MsSql"
        assert data_source("S").number == 7, "letter S is read as the current D7"
        assert column(7, 0) == "D07F00"


def test_the_all_sources_helpers_leave_legacy_sources_out() -> None:
    numbers = [ds.number for ds in list_data_sources()]
    assert 2 not in numbers and 3 not in numbers
    assert 9 in numbers and 9 not in [ds.number for ds in list_data_sources(include_total=False)]
    assert {2, 3} <= {ds.number for ds in list_data_sources(allow_legacy=True)}
    codes = statistics_columns([0, 9])
    assert len(codes) == 2 * (len(DATA_SOURCES) - 2)
    assert not any(c.startswith(("D02", "D03")) for c in codes)
    assert codes[:4] == ["D01F00", "D01F09", "D04F00", "D04F09"], "source by source"
    every = statistics_columns(["F0"], style="short", allow_legacy=True)
    assert "D2F00" in every and "D3F00" in every


def test_explicit_sources_in_the_helper_follow_column() -> None:
    assert statistics_columns([0, 15], [9, "D1"], style="minimal") == [
        "D9F0",
        "D9F15",
        "D1F0",
        "D1F15",
    ]
    with pytest.warns(LegacyColumnWarning, match="D02F00, D02F06"):
        assert statistics_columns([0, 6], [2]) == ["D02F00", "D02F06"]


def test_reading_a_legacy_source_from_a_row_does_not_warn() -> None:
    (row,) = decode_page([{"AccountId": 1, "Settings": [{"D2F0": "5"}, {"I78": "D01D02"}]}])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert row.source(2).last_status == 5
        assert [d.number for d in row.data_sources] == [1, 2]
