"""validate_columns: unknown codes are reported before the service drops them silently."""

from __future__ import annotations

import inspect
import warnings

import pytest

from backup_sdk.errors import ValidationError
from cove_sdk.columns import (
    LegacyColumnWarning,
    UnknownColumnWarning,
    statistics_columns,
    validate_columns,
)

KNOWN = [
    "I1",
    "I014",
    "i78",
    "D09F00",
    "D9F00",
    "D9F0",
    "d19f21",
    "D5F22",
    "D9F27",
    "AN",
    "US",
    "ap",
    "T0",
    "TL",
    "tl",
    "GM",
    "G@",
    "TM",
    "AA843",
    "AA2045",
    "RTG",
]


def test_known_codes_in_every_spelling_pass_silently() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert validate_columns(KNOWN) == []
        assert validate_columns(statistics_columns(range(22))) == []
        assert validate_columns([], strict=True) == []


def test_unknown_codes_warn_by_default_and_are_returned() -> None:
    with pytest.warns(UnknownColumnWarning, match="leaves out") as caught:
        unknown = validate_columns(["I1", "Do9F00", "I131", "D13F00", "D1F23", "X", "Do9F00"])
    assert unknown == ["Do9F00", "I131", "D13F00", "D1F23", "X"]
    message = str(caught[0].message)
    assert "'Do9F00' (did you mean 'D09F00'?)" in message
    assert "'I131'" in message and "'X'" in message


def test_strict_raises_naming_every_unknown_code() -> None:
    with pytest.raises(ValidationError) as info:
        validate_columns(["I1", "Do9F00", " I14", "NOSUCHCODE", ""], strict=True)
    assert info.value.parameter == "columns"
    text = str(info.value)
    assert "'Do9F00' (did you mean 'D09F00'?)" in text
    assert "' I14' (did you mean 'I14'?)" in text, "the service compares codes as sent"
    assert "'NOSUCHCODE'" in text and "''" in text


def test_legacy_source_codes_are_known_but_warn() -> None:
    with pytest.warns(LegacyColumnWarning, match=r"D02F00, D2F9: D2 .*D7"):
        assert validate_columns(["D02F00", "D2F9", "I1"], strict=True) == []
    with pytest.warns(LegacyColumnWarning, match="D10"):
        validate_columns(["Q0"])  # D3's legacy letter x last status
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert validate_columns(["D03F00", "Q0"], allow_legacy=True) == []


def _client_method(codes: list[str]) -> list[str]:
    return validate_columns(codes, stacklevel=2)


def test_warnings_can_point_at_the_callers_caller() -> None:
    here = inspect.currentframe()
    assert here is not None
    with pytest.warns(UnknownColumnWarning) as caught:
        validate_columns(["NOPE"])
    assert (caught[0].filename, caught[0].lineno) == (__file__, here.f_lineno - 1)
    with pytest.warns(UnknownColumnWarning) as caught:
        _client_method(["NOPE"])  # names this line, not the helper's
    assert (caught[0].filename, caught[0].lineno) == (__file__, here.f_lineno - 1)
    with pytest.warns(LegacyColumnWarning) as legacy:
        _client_method(["D02F00"])
    assert legacy[0].lineno == here.f_lineno - 1
