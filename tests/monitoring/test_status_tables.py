"""The "Vendor statuses" tables of docs/runs.md, against the SDK's real mappings.

(a) Every member of each vendor's status enum (every code the vendor documents) goes
through that vendor's real mapping function and comes out as exactly one ``RunStatus``;
codes no reference knows come out as the tables say (``unknown``, or for Comet the range's
status). (b) The tables are parsed: every row equals the mapping, and every enum member has
its row, so the docs cannot drift from the code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import attrs
import pytest

from backup_sdk.runs import BackupRun, RunStatus
from comet_sdk.enums import JobStatus
from comet_sdk.runs import run_status
from cove_sdk.enums import SessionStatus
from cove_sdk.runs import RUN_STATUS as COVE_RUN_STATUS
from cove_sdk.runs import session_run, to_backup_runs
from cove_sdk.statistics import decode_page
from npm_backup_sdk.enums import Status
from npm_backup_sdk.models import CompletedBackup, converter
from npm_backup_sdk.runs import RUN_STATUS as NPM_RUN_STATUS
from npm_backup_sdk.runs import to_backup_run as npm_run
from tests.support.comet_statuses import EXPECTED, documented_job_statuses

PAGE = Path(__file__).resolve().parents[2] / "docs" / "runs.md"
ENDED = 1_795_000_000

#: The headings of the tables, by vendor.
TABLES = {"cove": "Cove", "comet": "Comet", "npm_backup": "Appliance"}
DASH = "\u2013"  # an en dash, as in "`5001`\u2013`5999`"
_RANGE = re.compile(r"^`(\d+)`\s*" + DASH + r"\s*`(\d+)`$")
_CODE = re.compile(r"^`([^`]+)`$")


@attrs.frozen
class Row:
    """One row of a status table: the code(s) it is about and the run status it says."""

    line: int
    code: str  # the first cell, as written
    name: str
    meaning: str
    status: RunStatus

    @property
    def exact(self) -> str | None:
        """The one code of the row (None for a range or "any other")."""
        found = _CODE.match(self.code)
        return found.group(1) if found else None

    @property
    def span(self) -> tuple[int, int] | None:
        """The first and last code of a range row."""
        found = _RANGE.match(self.code)
        return (int(found.group(1)), int(found.group(2))) if found else None

    @property
    def catch_all(self) -> bool:
        return self.code.startswith("any other")


def status_tables(page: Path = PAGE) -> dict[str, list[Row]]:
    """The tables under "## Vendor statuses", by the ``###`` heading above each."""
    lines = page.read_text(encoding="utf-8").splitlines()
    start = lines.index("## Vendor statuses")
    tables: dict[str, list[Row]] = {}
    heading = None
    for number, line in enumerate(lines[start + 1 :], start + 2):
        if line.startswith("## "):
            break
        if line.startswith("### "):
            heading = line[4:].strip()
            tables[heading] = []
            continue
        if not line.startswith("|") or heading is None:
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if set(cells[0]) <= {"-"} or cells[-1] == "`RunStatus`":
            continue  # the separator and the header
        assert len(cells) == 4, f"docs/runs.md:{number}: four cells, got {cells}"
        status = _CODE.match(cells[3])
        assert status is not None, f"docs/runs.md:{number}: the run status in backticks"
        tables[heading].append(
            Row(number, cells[0], cells[1], cells[2], RunStatus(status.group(1)))
        )
    return tables


# -- the vendors' real mappings ----------------------------------------------------------------


def cove_status(code: int) -> RunStatus:
    """A finished Cove session's run status, as ``cove_sdk.runs`` builds its runs."""
    run = session_run(account_id=42, source=1, status=code, ended=ENDED)
    assert run.raw_status == code
    return run.status


def comet_status(code: int) -> RunStatus:
    return run_status(code)


def npm_status(value: str) -> RunStatus:
    """A stored backup's run status, through ``npm_backup_sdk.runs.to_backup_run``."""
    backup = converter.structure(
        {"id": "b-1", "status": value, "serial": "SN1", "created_on": ENDED}, CompletedBackup
    )
    run = npm_run(backup)
    assert run.raw_status == value
    return run.status


MAPPINGS: dict[str, tuple[Callable[[str], RunStatus], list[str]]] = {
    "cove": (lambda code: cove_status(int(code)), [str(m.value) for m in SessionStatus]),
    "comet": (lambda code: comet_status(int(code)), [str(m.value) for m in JobStatus]),
    "npm_backup": (npm_status, [m.value for m in Status]),
}
#: Codes no reference knows, per vendor, and what the mapping does with them.
UNKNOWN_CODES: dict[str, dict[str, RunStatus]] = {
    "cove": {"13": RunStatus.UNKNOWN, "99": RunStatus.UNKNOWN, "-1": RunStatus.UNKNOWN},
    "comet": {
        "5042": RunStatus.SUCCESS,
        "6042": RunStatus.RUNNING,
        "7042": RunStatus.FAILED,
        "0": RunStatus.UNKNOWN,
        "4999": RunStatus.UNKNOWN,
        "8000": RunStatus.UNKNOWN,
    },
    "npm_backup": {"paused": RunStatus.UNKNOWN, "COMPLETED": RunStatus.UNKNOWN},
}


# -- (a) every documented code maps to exactly one run status ------------------------------------


def test_every_cove_session_status_maps_to_exactly_one_run_status() -> None:
    assert set(COVE_RUN_STATUS) == set(SessionStatus), "a run status for every member"
    assert len(SessionStatus) == 13, "0..12: add a new member's row to docs/runs.md"
    for member in SessionStatus:
        got = cove_status(member.value)
        assert isinstance(got, RunStatus)
        assert got is COVE_RUN_STATUS[member], member
        # the enum's own view of a status agrees with its run status
        assert member.is_running == (got is RunStatus.RUNNING), member
        assert member.is_success == (got is RunStatus.SUCCESS), member
        assert member.is_warning == (got is RunStatus.WARNING), member
    for code, expected in UNKNOWN_CODES["cove"].items():
        assert SessionStatus(int(code)).is_unknown
        assert cove_status(int(code)) is expected, code


def test_a_finished_cove_session_is_never_running() -> None:
    """``F17`` is the status of the last *completed* session: whatever it says (a
    Restarted session included) the run has ended, so its status is final."""
    for member in SessionStatus:
        (row,) = decode_page(
            [
                {
                    "AccountId": 42,
                    "Settings": [
                        {"I78": "D01"},
                        {"D01F17": str(member.value)},
                        {"D01F18": str(ENDED)},
                        {"D01F12": "600"},
                    ],
                }
            ]
        )
        runs = to_backup_runs(row)
        if member is SessionStatus.NO_STATUS:
            assert runs == [], "no completed session yet: no run"
            continue
        (run,) = runs
        assert run.ended is not None
        if member.is_running:
            continue  # never sent for a completed session; mapped as the table says
        assert run.status.is_final, member
    restarted = cove_status(SessionStatus.RESTARTED)
    assert restarted is RunStatus.CANCELLED, "stopped and started again, like Interrupted"
    assert SessionStatus.RESTARTED.is_failure


def test_every_comet_job_status_maps_to_exactly_one_run_status() -> None:
    """The 14 ``JobStatus`` members and the 20 documented constants (range bounds too);
    the per-constant expectations are the Comet suite's (tests/comet/test_comet_runs.py)."""
    assert len(JobStatus) == 14
    documented = documented_job_statuses()
    members = {int(m) for m in JobStatus}
    assert members <= set(documented.values()), "every member is documented"
    for name, code in documented.items():
        assert comet_status(code) is EXPECTED[name], name
    for member in JobStatus:
        assert isinstance(comet_status(int(member)), RunStatus)
    for text, expected in UNKNOWN_CODES["comet"].items():
        assert comet_status(int(text)) is expected, text


def test_every_appliance_status_maps_to_exactly_one_run_status() -> None:
    assert set(NPM_RUN_STATUS) == set(Status)
    assert len(Status) == 7, "2.0's four values and 1.0's three"
    for member in Status:
        got = npm_status(member.value)
        assert got is NPM_RUN_STATUS[member], member
        assert member.is_terminal == (got.is_final and got is not RunStatus.SKIPPED), member
    for value, expected in UNKNOWN_CODES["npm_backup"].items():
        assert Status(value).is_unknown
        assert npm_status(value) is expected, value


# -- (b) the docs tables are the mappings ---------------------------------------------------------


def test_the_page_has_one_table_per_vendor() -> None:
    tables = status_tables()
    assert list(tables) == list(TABLES.values())
    counts = {heading: len(rows) for heading, rows in tables.items()}
    assert counts == {"Cove": 14, "Comet": 18, "Appliance": 8}


@pytest.mark.parametrize("vendor", sorted(TABLES))
def test_every_row_is_the_mapping(vendor: str) -> None:
    rows = status_tables()[TABLES[vendor]]
    mapping, members = MAPPINGS[vendor]
    exact = [row.exact for row in rows if row.exact is not None]
    assert len(exact) == len(set(exact)), "one row per code"
    assert sorted(exact) == sorted(members), "a row for every enum member, and no more"
    assert sum(row.catch_all for row in rows) == 1, "one row for codes no reference knows"
    assert rows[-1].catch_all
    for row in rows:
        where = f"docs/runs.md:{row.line} ({row.code})"
        if row.exact is not None:
            assert mapping(row.exact) is row.status, where
            assert row.name and row.meaning, where
        elif row.span is not None:
            first, last = row.span
            for number in (first, (first + last) // 2, last):
                assert mapping(str(number)) is row.status, f"{where}: {number}"
            assert not {str(c) for c in range(first, last + 1)} & set(members), where
        else:
            assert row.catch_all, f"{where}: a code, a range or 'any other'"
            for code, expected in UNKNOWN_CODES[vendor].items():
                if vendor != "comet" or expected is RunStatus.UNKNOWN:
                    assert mapping(code) is row.status, f"{where}: {code}"


def test_the_comet_ranges_cover_every_documented_code() -> None:
    rows = status_tables()["Comet"]
    for name, code in documented_job_statuses().items():
        matching = [
            row
            for row in rows
            if row.exact == str(code) or (row.span and row.span[0] <= code <= row.span[1])
        ]
        assert len(matching) == 1, name
        assert matching[0].status is EXPECTED[name], name


def test_the_table_parser(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "# t\n\n## Vendor statuses\n\n### A\n\n| code | name | meaning | `RunStatus` |\n"
        "|---|---|---|---|\n| `1` | One | one | `success` |\n| `2`\u2013`9` | (range) | r | `failed` |\n"
        "| any other code | | x | `unknown` |\n\n## Next\n\n| `7` | x | y | `failed` |\n",
        encoding="utf-8",
    )
    (rows,) = status_tables(page).values()
    assert [(r.exact, r.span, r.catch_all, r.status) for r in rows] == [
        ("1", None, False, RunStatus.SUCCESS),
        (None, (2, 9), False, RunStatus.FAILED),
        (None, None, True, RunStatus.UNKNOWN),
    ]
    assert rows[0].line == 9


def test_runs_carry_the_vendor_code_they_map() -> None:
    run: BackupRun = session_run(account_id=1, source=1, status=8, ended=ENDED)
    assert (run.raw_status, run.status) == (8, RunStatus.WARNING)
    assert run.ended == datetime.fromtimestamp(ENDED, timezone.utc)
