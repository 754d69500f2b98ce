"""Models are attrs classes to type checkers too (mypy checks this file in CI)."""

from __future__ import annotations

import attrs

from npm_backup_sdk import Server


def test_models_can_be_copied_with_changes() -> None:
    original = Server(name="a", host="h.example")
    copy: Server = attrs.evolve(original, name="b")
    assert (copy.name, copy.host) == ("b", "h.example")
    assert [f.name for f in attrs.fields(Server)][:2] == ["extra_fields", "name"]
