"""Cove runs against the evolving simulated fleet: nothing lost between polls, one key
per session, the vendor's own last-success field agrees."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from backup_sdk.runs import BackupRun, RunStatus
from backup_sdk.testing import SimClock
from cove_sdk.runs import CoveRunSource
from cove_sdk.testing import CoveSimulator, FleetSpec

START = 1_795_000_000


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc)


def test_the_fleet_evolves_with_the_clock_and_nothing_ends_in_the_future() -> None:
    clock = SimClock(start=START, frozen=True)
    with CoveSimulator(fleet=FleetSpec(devices=40, seed=7), clock=clock) as sim:
        before = sim.ground_truth()
        clock.advance(86_400)
        after = sim.ground_truth()
    assert all(r["visible_at"] <= before["now"] for r in before["runs"])
    assert all(r["visible_at"] <= after["now"] for r in after["runs"])
    new = {r["key"] for r in after["runs"]} - {r["key"] for r in before["runs"]}
    assert len(new) > 30, "a day later every active source has run again"


def test_polling_every_15_minutes_for_a_day_misses_no_session() -> None:
    clock = SimClock(start=START, frozen=True)
    with CoveSimulator(fleet=FleetSpec(devices=30, seed=5), clock=clock) as sim:
        source = CoveRunSource(sim.client(clock=clock.time, sleep=clock.sleep))
        first_poll = _at(clock.time())
        seen: dict[str, BackupRun] = {}
        since = first_poll - timedelta(minutes=30)
        for _ in range(96):
            now = _at(clock.time())
            for run in source.iter_runs(since, now):
                assert seen.setdefault(run.key, run) == run, "the same session, the same run"
            since = now - timedelta(minutes=30)
            clock.advance(15 * 60)
        truth = sim.ground_truth()
        last_poll = clock.time() - 15 * 60
    expected = {
        r["key"]: r
        for r in truth["runs"]
        if first_poll.timestamp() - 1_800 <= r["visible_at"] <= last_poll
    }
    assert len(expected) > 40
    missing = sorted(set(expected) - set(seen))
    assert missing == [], f"{len(missing)} of {len(expected)} sessions were never delivered"
    for key, record in expected.items():
        assert seen[key].status is RunStatus(record["status"]), key


def test_devices_carry_the_vendors_own_last_success() -> None:
    clock = SimClock(start=START, frozen=True)
    with CoveSimulator(fleet=FleetSpec(devices=25, seed=3), clock=clock) as sim:
        devices = list(CoveRunSource(sim.client()).devices())
        fleet = {d.account_id: d for d in sim.fleet.devices}
    assert len(devices) == 25
    for device in devices:
        expected = fleet[int(device.device_id)].total().last_success
        got = device.last_success.timestamp() if device.last_success else 0
        assert got == expected, device.device_id
