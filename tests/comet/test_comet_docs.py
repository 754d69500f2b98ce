"""The Comet pages: their code blocks use no undefined name, and the reference names every
model, enum and client."""

from __future__ import annotations

import builtins
import re
import symtable
from pathlib import Path

import pytest

from comet_sdk._generated import constants as generated_constants
from comet_sdk._generated import models as generated_models

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["docs/comet.md", "docs/comet-versions.md"]
BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def _undefined(code: str) -> set[str]:
    """Global names a block reads but never binds (imports, assignments, loops, ...)."""
    top = symtable.symtable(code, "<docs>", "exec")
    bound = {s.get_name() for s in top.get_symbols() if s.is_assigned() or s.is_imported()}
    used: set[str] = set()
    tables = [top]
    while tables:
        table = tables.pop()
        tables.extend(table.get_children())
        for symbol in table.get_symbols():
            if symbol.is_referenced() and (table is top or symbol.is_global()):
                used.add(symbol.get_name())
    return used - bound - set(dir(builtins))


@pytest.mark.parametrize("page", PAGES)
def test_code_blocks_define_every_name_they_use(page: str) -> None:
    text = (ROOT / page).read_text(encoding="utf-8")
    blocks = [b for b in BLOCK.findall(text) if not b.lstrip().startswith("--8<--")]
    assert blocks
    for block in blocks:
        assert _undefined(block) == set(), block


def test_the_reference_names_every_model_enum_and_client() -> None:
    models = (ROOT / "docs" / "reference" / "comet_models.md").read_text(encoding="utf-8")
    for name in generated_models.STRUCTURE_SINCE:
        assert f".{name}\n" in models
    assert "::: comet_sdk._generated.enums" in models
    assert generated_constants.ENUMS
    reference = (ROOT / "docs" / "reference" / "comet_sdk.md").read_text(encoding="utf-8")
    for module in ("comet_sdk.client", "comet_sdk.user_client", "comet_sdk.runs"):
        assert f"::: {module}\n" in reference
    assert reference.count("inherited_members: true") == 2, "the generated methods"
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "comet-versions.md" in nav and "reference/comet_models.md" in nav
