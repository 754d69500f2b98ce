from __future__ import annotations

import pytest

from backup_sdk.errors import ValidationError
from cove_sdk.columns import (
    DATA_SOURCES,
    FIELDS,
    PROPERTIES,
    canonical,
    column,
    data_source,
    describe,
    field,
    parse_data_source_list,
)


@pytest.mark.parametrize("code", ["D09F00", "D9F00", "D9F0", "d9f0", "D09F0", "T0"])
def test_every_padding_of_a_code_is_one_key(code: str) -> None:
    assert canonical(code) == "D9F0"


def test_canonical_properties_and_legacy_codes() -> None:
    assert canonical("I014") == "I14"
    assert canonical("US") == "I14"
    assert canonical("AN") == "I1"
    assert canonical("TL") == "D9F9"
    assert canonical("T7") == "D9F6", "legacy 7 is errors, F06"
    assert canonical("T6") == "D9F7", "legacy 6 is protected size, F07"
    assert canonical("AA843") == "AA843"


def test_column_styles_are_the_callers_choice() -> None:
    assert column(9, 0) == "D09F00"
    assert column("D9", "F0", style="short") == "D9F00"
    assert column(19, 21, style="minimal") == "D19F21"
    with pytest.raises(ValidationError):
        column(13, 0)
    with pytest.raises(ValidationError):
        column(1, 99)
    with pytest.raises(ValidationError):
        column(1, 0, style="fancy")


def test_catalogue_covers_the_documented_codes() -> None:
    assert set(DATA_SOURCES) == {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 19, 20, 23}
    assert set(range(22)) <= set(FIELDS)
    assert {22, 27} <= set(FIELDS), "undocumented fields found by the research"
    assert not FIELDS[22].documented
    documented = {p.code for p in PROPERTIES.values() if p.documented}
    expected = (
        {f"I{n}" for n in range(7)}
        | {f"I{n}" for n in range(8, 25)}
        | {f"I{n}" for n in range(26, 51)}
        | {f"I{n}" for n in range(54, 61)}
        | {f"I{n}" for n in range(62, 79)}
        | {"I80", "I81", "I82"}
    )
    assert documented == expected
    assert {p.code for p in PROPERTIES.values() if not p.documented} == {
        "I84",
        "I85",
        "I86",
        "I87",
        "I88",
        "I89",
        "I90",
    }
    assert PROPERTIES["I14"].legacy == "US"
    assert data_source("Z").number == 10
    assert field("F9").number == 9
    assert describe("D01F09") == "Files and Folders: Last successful session time"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("D01D02D10", ["D1", "D2", "D10"]),
        ("D1,D2", ["D1", "D2"]),
        ("D1D01D19", ["D1", "D19"]),
        (["D01", "D20"], ["D1", "D20"]),
        ("", []),
        (None, []),
        ("D13D99", []),
    ],
)
def test_active_data_sources_in_every_reported_format(value: object, expected: list[str]) -> None:
    assert [d.code for d in parse_data_source_list(value)] == expected  # type: ignore[arg-type]
