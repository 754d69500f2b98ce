"""Response JSON decodes the same with or without orjson: strict, and never recursing
into absurd nesting."""

from __future__ import annotations

import pytest

from backup_sdk import jsonutil


@pytest.fixture(params=["orjson", "stdlib"])
def decoder(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "stdlib":
        monkeypatch.setattr(jsonutil, "_orjson", None)
    elif jsonutil._orjson is None:
        pytest.skip("orjson (the fast extra) is not installed")
    name: str = request.param
    return name


@pytest.mark.parametrize(
    ("text", "value"),
    [(b'{"a": [1, 2.5, "x", null, true]}', {"a": [1, 2.5, "x", None, True]}), (b"[]", [])],
)
def test_standard_json_decodes(decoder: str, text: bytes, value: object) -> None:
    assert jsonutil.loads(text) == value


@pytest.mark.parametrize(
    "text",
    [b"NaN", b"[Infinity]", b'{"a": -Infinity}', b"[" * 100_000 + b"]" * 100_000, b"{", b""],
    ids=["nan", "infinity", "minus infinity", "deep", "truncated", "empty"],
)
def test_everything_else_is_a_json_error_without_a_chain(decoder: str, text: bytes) -> None:
    with pytest.raises(jsonutil.JSONError) as info:
        jsonutil.loads(text)
    assert info.value.__cause__ is None
    assert info.value.__context__ is None, "the decoder's error holds the whole document"


@pytest.mark.parametrize(
    ("text", "deep"),
    [
        (b"[" * 200, True),
        (b"[ {\n\t" * 100, True),
        ("[\r\n " * 200, True),
        (b"[" * 199 + b'"x"' + b"[" * 199, False),
        (b'{"a": [' * 150 + b"1" + b"]}" * 150, False),
        (b'{"a": "' + b"[" * 100 + b'"}', False),
    ],
    ids=["bare", "whitespace between", "text", "interrupted", "deep but keyed", "in a string"],
)
def test_too_deep_finds_runs_of_opening_brackets(text: bytes | str, deep: bool) -> None:
    assert jsonutil.too_deep(text) is deep
