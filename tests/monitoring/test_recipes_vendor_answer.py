"""Every staleness recipe of the README and the docs, and ``backup-sdk stale``, give the
vendor's own answer on the simulator fleets.

The vendor's answer is read from its own last-success field, through its raw API (no SDK
model, no run mapping): Cove's ``D9F09`` (the "Total" of each device's last successful
session), Comet's ``LastSuccessfulBackupJob.EndTime`` of every protected item in the user
profiles of ``AdminListUsersFull`` (the newest per device), and the appliance's newest
stored backup whose status is ``completed``. Per device it gives the last good time (to
the second) and a verdict for a 24-hour window: fresh when the last good time is at most
24 hours old, stale otherwise (never backed up included).

The recipes run as written, on three in-process simulators sharing one frozen clock that
starts at a fixed time (never today's date): each docs block is taken from its page and
executed with ``datetime.now(timezone.utc)`` replaced by the simulated now (and, where it
builds a sync engine, the simulated clock passed to it), the simulators' environment set;
the answer is what the block's own ``stale_devices``/``assess_devices`` call returned.
They are judged at the start and three days later, after the fleets have moved on and
the appliance's nightly schedule was switched off (so it goes stale).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import attrs
import pytest

from backup_sdk import staleness
from backup_sdk.cli import EXIT_FAIL_ON, EXIT_OK, main
from backup_sdk.staleness import DeviceStaleness
from backup_sdk.testing import SimClock
from comet_sdk.testing import CometFleetSpec, CometSimulator
from cove_sdk.testing import CoveSimulator, FleetSpec
from npm_backup_sdk.testing import NpmBackupSimulator
from tests.docs.test_docs_code import python_blocks

ROOT = Path(__file__).resolve().parents[2]
START = datetime(2026, 11, 23, 6, 0, tzinfo=timezone.utc).timestamp()
DAY = 86_400
WITHIN = timedelta(hours=24)
NOW_CALL = "datetime.now(timezone.utc)"

#: (vendor, device id) -> (last good time in unix seconds or None, stale?)
Answer = dict[tuple[str, str], tuple[int | None, bool]]


@attrs.define
class World:
    """The three simulators at one simulated moment."""

    clock: SimClock
    cove: CoveSimulator
    comet: CometSimulator
    npm: NpmBackupSimulator

    @property
    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock.time(), timezone.utc)

    def env(self) -> dict[str, str]:
        return {**self.cove.env(), **self.comet.env(), **self.npm.env()}


@pytest.fixture(scope="module", params=["at the start", "three days later"])
def world(request: pytest.FixtureRequest) -> Iterator[World]:
    clock = SimClock(START, frozen=True)
    with (
        CoveSimulator(
            fleet=FleetSpec(devices=150, seed=11, stale_share=0.1, never_share=0.03),
            clock=clock,
        ) as cove,
        CometSimulator(
            fleet=CometFleetSpec(users=24, jobs=500, days=5, running=3, seed=3, jobs_per_day=100),
            clock=clock,
        ) as comet,
        NpmBackupSimulator(seed=4, clock=clock, backup_duration=600) as npm,
    ):
        if request.param == "three days later":
            for schedule in npm.state.schedules.values():
                schedule["active"] = False  # the appliance's nightly backups stop
            clock.advance(3 * DAY + 5 * 3_600)
        yield World(clock, cove, comet, npm)


# -- the vendors' own answer, from their raw APIs --------------------------------------------------


def _verdict(last: int | None, now: datetime) -> tuple[int | None, bool]:
    return last, last is None or now.timestamp() - last > WITHIN.total_seconds()


def cove_answer(world: World) -> Answer:
    """``D9F09`` of every device, from ``EnumerateAccountStatistics`` as the service sends it."""
    found: Answer = {}
    with world.cove.client() as client:
        partner = client.user.partner_id
        start = 0
        while True:
            query = {
                "PartnerId": partner,
                "SelectionMode": "Merged",
                "StartRecordNumber": start,
                "RecordsCount": 100,
                "Columns": ["D09F09"],
            }
            rows = client.call("EnumerateAccountStatistics", {"query": query})
            for row in rows:
                settings = {k: v for item in row["Settings"] for k, v in item.items()}
                text = settings.get("D09F09") or "0"
                last = int(text) or None
                found["cove", str(row["AccountId"])] = _verdict(last, world.now)
            if len(rows) < 100:
                return found
            start += len(rows)


def comet_answer(world: World) -> Answer:
    """The newest ``LastSuccessfulBackupJob.EndTime`` of each device's protected items,
    from ``AdminListUsersFull`` as the server sends it."""
    found: Answer = {}
    with world.comet.client() as client:
        profiles = client.call_raw("AdminListUsersFull").data
    for profile in profiles.values():
        for device_id in profile["Devices"]:
            ends = [
                (item.get("Statistics", {}).get("LastSuccessfulBackupJob") or {}).get("EndTime")
                for item in profile["Sources"].values()
                if item["OwnerDevice"] == device_id
            ]
            good = [end for end in ends if end]
            found["comet", device_id] = _verdict(max(good) if good else None, world.now)
    return found


def npm_answer(world: World) -> Answer:
    """The newest ``completed`` backup stored on any of the appliance's backup servers."""
    with world.npm.client() as client:
        servers = client.call_raw("GET", "servers").data.get("items", [])
        stored = [
            backup
            for server in servers
            for backup in client.call_raw("GET", f"backups/server/{server['id']}").data["completed"]
        ]
    (serial,) = {backup["serial"] for backup in stored}
    good = [b["created_on"] for b in stored if b["status"] == "completed"]
    return {("npm_backup", serial): _verdict(max(good) if good else None, world.now)}


def vendor_answer(world: World, vendors: Iterable[str] = ("cove", "comet", "npm_backup")) -> Answer:
    readers: dict[str, Callable[[World], Answer]] = {
        "cove": cove_answer,
        "comet": comet_answer,
        "npm_backup": npm_answer,
    }
    found: Answer = {}
    for vendor in vendors:
        found.update(readers[vendor](world))
    return found


def _seconds(value: datetime | None) -> int | None:
    return None if value is None else int(value.timestamp())


def sdk_answer(verdicts: Iterable[DeviceStaleness]) -> Answer:
    return {
        v.device.key: (_seconds(v.last_good), v.is_stale)
        for v in verdicts
        if v.verdict is not staleness.Verdict.UNKNOWN
    }


def assert_same(got: Answer, expected: Answer, recipe: str) -> None:
    missing = sorted(set(expected) - set(got))
    extra = sorted(set(got) - set(expected))
    wrong = {
        key: (got[key], expected[key])
        for key in expected
        if key in got and got[key] != expected[key]
    }
    assert not missing, f"{recipe}: {len(missing)} devices not judged, e.g. {missing[:3]}"
    assert not extra, f"{recipe}: {len(extra)} devices the vendor does not have: {extra[:3]}"
    sample = dict(list(wrong.items())[:3])
    assert not wrong, (
        f"{recipe}: {len(wrong)} of {len(expected)} devices differ from the vendor's own "
        f"(last good, stale) -- (recipe, vendor): {sample}"
    )


# -- running a recipe as written ---------------------------------------------------------------------


@attrs.define
class Recorded:
    """The top-level ``stale_devices``/``assess_devices`` calls a recipe made."""

    calls: list[tuple[str, list[Any], dict[str, Any], list[DeviceStaleness]]] = attrs.field(
        factory=list
    )
    depth: int = 0

    def only(self, name: str) -> tuple[list[Any], dict[str, Any], list[DeviceStaleness]]:
        found = [call for call in self.calls if call[0] == name]
        assert len(found) == 1, f"the recipe calls {name} once: {[c[0] for c in self.calls]}"
        _, args, kwargs, result = found[0]
        return args, kwargs, result


def _spy(monkeypatch: pytest.MonkeyPatch) -> Recorded:
    recorded = Recorded()
    originals = {name: getattr(staleness, name) for name in ("stale_devices", "assess_devices")}

    def wrap(name: str) -> Callable[..., list[DeviceStaleness]]:
        def spy(*args: Any, **kwargs: Any) -> list[DeviceStaleness]:
            kept = [list(a) if a is not None else None for a in args]  # iterables, once
            recorded.depth += 1
            try:
                result: list[DeviceStaleness] = originals[name](*kept, **kwargs)
            finally:
                recorded.depth -= 1
            if recorded.depth == 0:
                recorded.calls.append((name, kept, dict(kwargs), result))
            return result

        return spy

    for name in originals:
        monkeypatch.setattr(staleness, name, wrap(name))
    return recorded


def block(page: str, *markers: str) -> str:
    """The one ```python block of ``page`` that contains every marker."""
    found = [
        b.code for b in python_blocks(ROOT / page) if all(marker in b.code for marker in markers)
    ]
    assert len(found) == 1, f"{page}: one block with {markers}, found {len(found)}"
    return found[0]


def run_recipe(
    code: str,
    world: World,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    *,
    where: str,
    replace: Mapping[str, str] | None = None,
) -> tuple[dict[str, Any], str, Recorded]:
    """Execute a recipe at the simulated now, against the simulators; its namespace, what
    it printed and its staleness calls."""
    for old, new in {NOW_CALL: "SIM_NOW", **(replace or {})}.items():
        assert code.count(old) == 1, f"{where}: {old!r} once"
        code = code.replace(old, new)
    for name in [key for key in os.environ if key.startswith(("COVE_", "COMET_", "NPM_BACKUP_"))]:
        monkeypatch.delenv(name)
    for name, value in world.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)
    recorded = _spy(monkeypatch)
    namespace: dict[str, Any] = {
        "__name__": "__recipe__",
        "SIM_NOW": world.now,
        "SIM_CLOCK": world.clock,
    }
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, where, "exec"), namespace)
    return namespace, out.getvalue(), recorded


# -- the fleets are worth judging ------------------------------------------------------------------


def assert_lists_the_stale(
    found: Sequence[DeviceStaleness], printed: str, expected: Answer
) -> None:
    """A recipe's ``stale_devices`` answer lists exactly the devices the vendors say are
    stale, with their last good times, one printed line each."""
    assert {v.device.key for v in found} == {k for k, (_, stale) in expected.items() if stale}
    assert {v.device.key: _seconds(v.last_good) for v in found} == {
        k: last for k, (last, stale) in expected.items() if stale
    }
    assert len(printed.splitlines()) == len(found)


def test_the_fleets_have_fresh_stale_and_never_devices(world: World) -> None:
    answer = vendor_answer(world)
    for vendor in ("cove", "comet"):
        mine = {k: v for k, v in answer.items() if k[0] == vendor}
        assert any(not stale for _, stale in mine.values()), f"{vendor}: fresh devices"
        assert any(stale and last for last, stale in mine.values()), f"{vendor}: stale ones"
        if vendor == "cove" or world.now.timestamp() == START:
            assert any(last is None for last, _ in mine.values()), f"{vendor}: never backed up"
    ((_, appliance_stale),) = [v for k, v in answer.items() if k[0] == "npm_backup"]
    assert appliance_stale is (world.now.timestamp() > START + DAY)


# -- the recipes --------------------------------------------------------------------------------------


def test_the_runs_page_recipe(
    world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """docs/runs.md, "Which devices had no good backup in 24 hours?": every vendor."""
    code = block("docs/runs.md", "stale_devices(devices, runs")
    namespace, printed, recorded = run_recipe(
        code, world, monkeypatch, tmp_path, where="docs/runs.md"
    )
    args, kwargs, found = recorded.only("stale_devices")
    expected = vendor_answer(world)
    assert_lists_the_stale(found, printed, expected)
    # and every device, fresh ones included, as assess_devices judges it with those arguments
    assert_same(sdk_answer(staleness.assess_devices(*args, **kwargs)), expected, "docs/runs.md")
    assert namespace["now"] == world.now


def test_backup_sdk_stale(world: World) -> None:
    """``backup-sdk stale --within 24h --format json`` (and ``--all``)."""
    env = {"HOME": "/nonexistent-home", **world.env()}

    def cli(*argv: str) -> tuple[int, list[dict[str, Any]]]:
        out, err = io.StringIO(), io.StringIO()
        status = main(list(argv), environ=env, stdout=out, stderr=err, clock=lambda: world.now)
        assert status in (EXIT_OK, EXIT_FAIL_ON), err.getvalue()
        assert not err.getvalue(), err.getvalue()
        records: list[dict[str, Any]] = json.loads(out.getvalue())
        return status, records

    expected = vendor_answer(world)
    _, listed = cli("stale", "--within", "24h", "--format", "json")
    assert {(r["vendor"], r["device_id"]) for r in listed} == {
        k for k, (_, stale) in expected.items() if stale
    }
    status, every = cli(
        "stale", "--within", "24h", "--format", "json", "--all", "--fail-on", "stale"
    )
    assert status == EXIT_FAIL_ON
    got: Answer = {
        (r["vendor"], r["device_id"]): (
            _seconds(datetime.fromisoformat(r["last_good"])) if r["last_good"] else None,
            r["verdict"] in ("stale", "never"),
        )
        for r in every
    }
    assert_same(got, expected, "backup-sdk stale")


def test_the_readme_tour(world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """README, "A 30-second tour": its cross-vendor part (every vendor's run source, one
    ``stale_devices`` answer)."""
    code = block("README.md", "stale_devices(devices, runs")
    head = code.split("# Cove: statistics columns", 1)[0]
    _, printed, recorded = run_recipe(head, world, monkeypatch, tmp_path, where="README.md")
    args, kwargs, found = recorded.only("stale_devices")
    expected = vendor_answer(world)
    assert_lists_the_stale(found, printed, expected)
    assert_same(sdk_answer(staleness.assess_devices(*args, **kwargs)), expected, "README")


def test_the_notebooks_verdicts(
    world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """docs/notebooks.md, "Stale devices": Comet's verdicts as a DataFrame."""
    pytest.importorskip("pandas")
    code = block("docs/notebooks.md", "assess_devices(devices, runs")
    namespace, _, recorded = run_recipe(
        code, world, monkeypatch, tmp_path, where="docs/notebooks.md"
    )
    _, _, judged = recorded.only("assess_devices")
    expected = vendor_answer(world, ["comet"])
    assert_same(sdk_answer(judged), expected, "docs/notebooks.md (verdicts)")
    frame = namespace["verdicts"]
    assert len(frame) == len(expected)
    stale = frame[frame.verdict.isin(["stale", "never"])]
    assert {("comet", d) for d in stale.device_id} == {k for k, v in expected.items() if v[1]}


def test_the_notebooks_cove_frame(
    world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """docs/notebooks.md, "Cove statistics": the stale rows of the statistics DataFrame."""
    pytest.importorskip("pandas")
    code = block("docs/notebooks.md", "total_last_successful_session_time")
    namespace, _, _ = run_recipe(code, world, monkeypatch, tmp_path, where="docs/notebooks.md")
    frame, stale = namespace["df"], namespace["stale"]
    got: Answer = {}
    stale_ids = {int(a) for a in stale.account_id}
    import pandas as pd

    times = frame.total_last_successful_session_time
    for account, last in zip(frame.account_id, times, strict=True):
        when = None if pd.isna(last) else int(last.timestamp())  # Cove's "never" is NaT
        got["cove", str(account)] = (when, int(account) in stale_ids)
    assert_same(got, vendor_answer(world, ["cove"]), "docs/notebooks.md (Cove frame)")


def test_the_monitoring_page_run_source(
    world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """docs/monitoring.md, "Writing a run source": a sync into SQLite, then the store."""
    code = block("docs/monitoring.md", "class CometRuns")
    engine = 'SyncEngine({"comet": CometRuns(client)}, store)'
    _, _, recorded = run_recipe(
        code,
        world,
        monkeypatch,
        tmp_path,
        where="docs/monitoring.md",
        replace={engine: engine[:-1] + ", clock=SIM_CLOCK)"},
    )
    args, kwargs, found = recorded.only("stale_devices")
    expected = vendor_answer(world, ["comet"])
    assert {v.device.key for v in found} == {k for k, (_, stale) in expected.items() if stale}
    judged = staleness.assess_devices(*args, **kwargs)
    assert_same(sdk_answer(judged), expected, "docs/monitoring.md")


def test_the_comet_answer_counts_backup_jobs_only(world: World) -> None:
    """The bug this test found: a successful restore, retention pass or deep verify made a
    Comet device look freshly backed up. The simulated server runs all of them."""
    with world.comet.client() as client:
        jobs = client.admin_get_jobs_all()
    others = [j for j in jobs if j.classification != 4001 and 5000 <= int(j.status) < 6000]
    assert others, "successful jobs that are not backups"
    from comet_sdk.runs import to_backup_runs

    assert not {run.run_id for run in to_backup_runs(jobs)} & {j.guid for j in others}
