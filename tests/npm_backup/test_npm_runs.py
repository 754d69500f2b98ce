"""Appliance runs against the simulated appliance: scheduled backups run as its clock
moves, every finished backup is delivered once with its final status."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from backup_sdk.runs import BackupRun, RunStatus
from backup_sdk.testing import SimClock
from npm_backup_sdk.enums import Status
from npm_backup_sdk.runs import RUN_STATUS, NpmRunSource
from npm_backup_sdk.testing import NpmBackupSimulator

START = 1_795_000_000


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc)


def test_every_status_maps_to_exactly_one_run_status() -> None:
    assert {s for s in Status if not s.is_unknown} == set(RUN_STATUS)


def test_scheduled_backups_run_as_the_clock_moves_and_are_all_delivered() -> None:
    clock = SimClock(start=START, frozen=True)
    with NpmBackupSimulator(seed=4, clock=clock, backup_duration=600) as sim:
        source = NpmRunSource(sim.client(clock=clock.time, sleep=clock.sleep))
        before = {r["key"] for r in sim.ground_truth()["runs"]}
        seen: dict[str, BackupRun] = {}
        since = _at(clock.time()) - timedelta(minutes=30)
        first_poll = clock.time()
        for _ in range(3 * 96):  # three days, every 15 minutes
            now = _at(clock.time())
            for run in source.iter_runs(since, now):
                seen[run.key] = run  # upsert: the running form is replaced by the final one
            since = now - timedelta(minutes=30)
            clock.advance(15 * 60)
        truth = sim.ground_truth()
        last_poll = clock.time() - 15 * 60
    new = [r for r in truth["runs"] if r["key"] not in before]
    assert len(new) == 3, "the nightly schedule ran once a day"
    finished = [r for r in truth["runs"] if first_poll - 1_800 <= r["visible_at"] <= last_poll]
    assert finished
    for record in finished:
        assert seen[record["key"]].status is RunStatus(record["status"])
    assert all(r["visible_at"] <= truth["now"] for r in truth["runs"]), "nothing in the future"


def test_the_device_is_the_appliance_and_its_servers_are_its_sources() -> None:
    with NpmBackupSimulator(seed=4, clock=SimClock(start=START, frozen=True)) as sim:
        (device,) = list(NpmRunSource(sim.client()).devices())
        stored = [b for backups in sim.state.backups.values() for b in backups]
    assert device.vendor == "npm_backup"
    assert device.data_sources == ("filer-01", "filer-02")
    # its own last success: the newest completed backup on any server (failed ones do not count)
    good = max(b["created_on"] for b in stored if b["status"] == "completed")
    assert device.last_success == _at(good)
    assert any(b["status"] == "failed" for b in stored)
