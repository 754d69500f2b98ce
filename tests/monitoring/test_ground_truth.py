"""The acceptance test of a vendor's run source: a first sync (24 hours back), then three
simulated hours of 15-minute syncs against the vendor's simulator, store exactly what the
simulator says happened.

It runs for every installed vendor that has a run source and a simulator with ground truth
(``SimulatorServer.truth_runs()``); until a vendor has both it is skipped, saying which is
missing.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from backup_sdk.staleness import assess_devices
from backup_sdk.sync import SqliteRunStore, SyncEngine
from backup_sdk.testing import SimClock
from backup_sdk.vendors import vendors

START = datetime(2026, 11, 23, 6, 0, tzinfo=timezone.utc).timestamp()
QUARTER = 900.0


@pytest.mark.parametrize("name", sorted(vendors()))
def test_syncs_every_15_minutes_match_the_ground_truth(name: str, tmp_path: Path) -> None:
    vendor = vendors()[name]
    if not vendor.run_source:
        pytest.skip(f"{name} has no run source yet (Vendor.run_source)")
    clock = SimClock(START, frozen=True)
    with vendor.load("simulator")(clock=clock) as simulator:
        if not simulator.truth_runs():
            pytest.skip(f"{name}'s simulator has no ground truth yet (truth_runs)")
        with (
            simulator.client(sleep=clock.sleep) as client,
            SqliteRunStore(tmp_path / "runs.sqlite") as store,
        ):
            engine = SyncEngine(
                {name: vendor.load("run_source")(client)},
                store,
                clock=clock,
                inventory_every=timedelta(hours=6),
            )
            for _ in range(12):  # three hours of polls every 15 minutes
                report = engine.poll()
                assert report.ok, report.summary()
                clock.advance(QUARTER)
            report = engine.poll()
            assert report.ok, report.summary()
            state = store.load_state(name)
            assert state is not None
            assert state.history_start is not None
            truth = simulator.ground_truth()
            stored = {run.key: run for run in store.runs()}
            devices = store.devices()
    now = truth["now"]
    start = state.history_start.timestamp()
    expected = {}
    for record in truth["runs"]:
        ended = record.get("ended")
        when = datetime.fromisoformat(ended).timestamp() if ended else None
        if record["visible_at"] <= now and when is not None and when >= start:
            expected[record["key"]] = record["status"]
    assert expected, "the simulated hours have finished runs"
    assert {key: stored[key].status.value for key in expected if key in stored} == expected
    assert set(expected) <= set(stored), "every run that finished visibly was stored"
    assert len(state.to_json()) < 10_000 + 200 * len(state.open)
    # and every stored run belongs to a device of the inventory (when there is one)
    if devices:
        known = {device.key for device in devices}
        assert {(run.vendor, run.device_id) for run in stored.values()} <= known
        assess_devices(devices, stored.values(), now=datetime.fromtimestamp(now, timezone.utc))
