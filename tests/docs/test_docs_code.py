"""Every ```python block in docs/*.md and README.md runs, against the bundled simulators.

Each block runs on its own, in a fresh namespace, in a temporary directory, with the
simulators' environment variables set (``COVE_*``, ``COMET_*``, ``NPM_BACKUP_*``, so
``Client.from_env()`` reaches them) and the network blocked except loopback. A block that
is not meant to run on its own is marked by the line ``<!-- fragment -->`` just before it.
A block that only includes a file (``--8<-- "examples/x.py"``) is that file's business:
the examples are run by their own tests.

Nothing here asserts on what a block prints: the output depends on the simulated fleets
and the wall clock. A block passes when it runs to the end without an exception (and
without a warning: warnings are errors in this suite).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from comet_sdk.testing import CometSimulator
from cove_sdk.testing import CoveSimulator, FleetSpec
from npm_backup_sdk.testing import NpmBackupSimulator

DOCS = Path(__file__).resolve().parents[2] / "docs"
FRAGMENT = "<!-- fragment -->"
_FENCE = re.compile(r"^(?P<indent>\s*)```(?P<lang>[\w+-]*)")

#: Blocks known to fail as written, in pages another branch is rewriting: (page, a line
#: of the block) -> why. They are expected to fail; once fixed they simply pass.
KNOWN_BROKEN: dict[tuple[str, str], str] = {}
_LOGGERS = ("", "backup_sdk", "cove_sdk", "comet_sdk", "npm_backup_sdk", "urllib3")


@attrs.frozen
class Block:
    page: str
    line: int
    code: str
    fragment: bool

    @property
    def snippet_only(self) -> bool:
        lines = [line for line in self.code.splitlines() if line.strip()]
        return bool(lines) and all(line.strip().startswith("--8<--") for line in lines)

    @property
    def known_broken(self) -> str | None:
        for (page, marker), why in KNOWN_BROKEN.items():
            if page == self.page and marker in self.code:
                return why
        return None


def python_blocks(path: Path) -> list[Block]:
    """The ```python blocks of a page, with the line each starts on."""
    found: list[Block] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        indent, lang = opening.group("indent"), opening.group("lang")
        start = index
        body: list[str] = []
        index += 1
        while index < len(lines) and not re.match(rf"^{re.escape(indent)}```\s*$", lines[index]):
            body.append(lines[index][len(indent) :])
            index += 1
        index += 1
        if lang != "python":
            continue
        before = next((lines[i].strip() for i in range(start - 1, -1, -1) if lines[i].strip()), "")
        found.append(Block(path.name, start + 1, "\n".join(body) + "\n", before == FRAGMENT))
    return found


def _all_blocks() -> list[Block]:
    pages = [*sorted(DOCS.glob("*.md")), DOCS.parent / "README.md"]
    return [block for page in pages for block in python_blocks(page)]


def _params() -> list[object]:
    params: list[object] = []
    for block in _all_blocks():
        if block.fragment or block.snippet_only:
            continue
        marks = []
        why = block.known_broken
        if why is not None:
            marks.append(pytest.mark.xfail(reason=why, strict=False))
        params.append(pytest.param(block, id=f"{block.page}:{block.line}", marks=marks))
    return params


@pytest.fixture(scope="module")
def simulators() -> Iterator[dict[str, str]]:
    with (
        CoveSimulator(fleet=FleetSpec(devices=40, seed=5)) as cove,
        CometSimulator() as comet,
        NpmBackupSimulator() as npm,
    ):
        yield {**cove.env(), **comet.env(), **npm.env()}


@contextlib.contextmanager
def _logging_kept() -> Iterator[None]:
    """A block may configure logging (basicConfig, levels): undo it afterwards."""
    root = logging.getLogger()
    saved = {name: logging.getLogger(name).level for name in _LOGGERS}
    handlers = list(root.handlers)
    try:
        yield
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


@pytest.mark.parametrize("block", _params())
def test_docs_code_runs(
    block: Block,
    simulators: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if ("pandas" in block.code or "to_dataframe" in block.code) and not _has_pandas():
        pytest.skip("needs pandas (the [pandas] extra)")
    for name in [key for key in os.environ if key.startswith(("COVE_", "COMET_", "NPM_BACKUP_"))]:
        monkeypatch.delenv(name)
    for name, value in simulators.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)
    code = compile(block.code, f"docs/{block.page}:{block.line}", "exec")
    namespace: dict[str, object] = {"__name__": "__docs__"}
    with _logging_kept(), contextlib.redirect_stdout(io.StringIO()):
        exec(code, namespace)


def _has_pandas() -> bool:
    try:
        import pandas  # noqa: F401
    except ImportError:
        return False
    return True


def test_the_block_finder(tmp_path: Path) -> None:
    page = tmp_path / "sample.md"
    text = (
        "intro\n\n```python\nprint(1)\n```\n\n<!-- fragment -->\n\n```python\nclient.x()\n```\n"
        "\n```bash\nls\n```\n\n- item\n\n    ```python\n    print(2)\n    ```\n"
        '\n```python\n--8<-- "examples/x.py"\n```\n'
    )
    page.write_text(text, encoding="utf-8")
    blocks = python_blocks(page)
    assert [(b.line, b.code, b.fragment) for b in blocks] == [
        (3, "print(1)\n", False),
        (9, "client.x()\n", True),
        (19, "print(2)\n", False),
        (23, '--8<-- "examples/x.py"\n', False),
    ]
    assert blocks[3].snippet_only
    assert not blocks[0].snippet_only


def test_every_page_is_looked_at() -> None:
    pages = {block.page for block in _all_blocks()}
    assert {"README.md", "runs.md", "monitoring.md", "notebooks.md", "models.md"} <= pages
    runnable = [b for b in _all_blocks() if not b.fragment and not b.snippet_only]
    assert len(runnable) >= 10
