"""``backup_sdk._compat.deprecated`` behaves like ``warnings.deprecated`` for functions."""

# mypy: disable-error-code="deprecated"

from __future__ import annotations

import pytest

from backup_sdk._compat import deprecated


@deprecated("use new_name()")
def old_name(value: int) -> int:
    return value * 2


def test_calling_a_deprecated_function_warns_once_per_call_and_still_works() -> None:
    with pytest.warns(DeprecationWarning, match=r"use new_name\(\)") as caught:
        assert old_name(21) == 42
    assert len(caught) == 1
    assert caught[0].filename == __file__, "the warning points at the caller"
    assert old_name.__deprecated__ == "use new_name()"  # type: ignore[attr-defined]
    assert old_name.__name__ == "old_name"
