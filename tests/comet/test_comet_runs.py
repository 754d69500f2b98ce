"""Comet jobs as cross-vendor runs: the status table, and CometRunSource against the ground
truth of a simulator whose jobs start and finish as its clock moves."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

from backup_sdk.errors import ValidationError
from backup_sdk.runs import BackupRun, Device, RunSource, RunStatus
from backup_sdk.testing import SimClock
from backup_sdk.vendors import get_vendor
from comet_sdk import CometAdminClient
from comet_sdk.enums import JobCategory
from comet_sdk.runs import RUN_STATUS, CometRunSource, run_status
from comet_sdk.testing import CometFleetSpec, CometSimulator
from tests.support.comet_statuses import EXPECTED, documented_job_statuses

START = 1_800_000_000


def test_every_documented_job_status_maps_to_exactly_one_run_status() -> None:
    documented = documented_job_statuses()
    assert set(documented) == set(EXPECTED), "classify every new code here"
    assert len(documented) == 20
    for name, code in documented.items():
        assert run_status(code) is EXPECTED[name], name
    assert set(RUN_STATUS) == set(JobCategory), "every category has its run status"
    assert run_status(6042) is RunStatus.RUNNING, "an unknown code classifies by range"
    assert run_status(7042) is RunStatus.FAILED
    assert run_status(0) is RunStatus.UNKNOWN


@pytest.fixture
def sim() -> Iterator[CometSimulator]:
    fleet = CometFleetSpec(users=5, jobs=60, days=2, running=3, seed=21, jobs_per_day=120)
    with CometSimulator(fleet=fleet, clock=SimClock(START, frozen=True)) as simulator:
        yield simulator


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc)


def test_it_is_the_vendors_run_source(sim: CometSimulator) -> None:
    source = CometRunSource(sim.client())
    assert isinstance(source, RunSource)
    assert source.vendor == "comet"
    assert get_vendor("comet").load("run_source") is CometRunSource


def test_runs_match_the_ground_truth(sim: CometSimulator) -> None:
    sim.clock.advance(12 * 3_600)
    now = sim.clock.now()
    since, until = _at(now - 86_400), _at(now)
    source = CometRunSource(sim.client(sleep=sim.clock.sleep))
    runs = {run.key: run for run in source.iter_runs(since, until)}
    assert len(runs) == len(list(source.iter_runs(since, until))), "each once"
    truth = {r["key"]: r for r in sim.truth_runs()}
    expected = {
        key
        for key, record in truth.items()
        if record["visible_at"] > now or since.timestamp() <= record["visible_at"] <= now
    }
    assert set(runs) == expected
    for key, run in runs.items():
        record = truth[key]
        if record["visible_at"] <= now:
            assert run.status.value == record["status"]
            assert list(run.messages) == record["messages"], key
            assert run.ended is not None and run.ended.timestamp() == record["visible_at"]
        else:
            assert run.status is RunStatus.RUNNING
            assert run.ended is None
        assert run.device_name.startswith("PC-") and run.data_source
    assert any(r.status is RunStatus.FAILED and r.messages for r in runs.values())
    assert any(r.status is RunStatus.RUNNING for r in runs.values())


def test_a_run_keeps_its_key_from_running_to_finished(sim: CometSimulator) -> None:
    source = CometRunSource(sim.client(sleep=sim.clock.sleep))
    now = sim.clock.now()
    running = {
        r.key: r for r in source.iter_runs(_at(now - 3_600), _at(now)) if not r.status.is_final
    }
    assert running
    sim.clock.advance(6 * 3_600)
    later = sim.clock.now()
    finished = {r.key: r for r in source.iter_runs(_at(now - 3_600), _at(later))}
    for key, before in running.items():
        after = finished[key]
        assert after.status.is_final, key
        assert after.run_id == before.run_id
        assert BackupRun.from_json(after.to_json()) == after


def test_messages_are_bounded(sim: CometSimulator) -> None:
    source = CometRunSource(sim.client(), max_messages=1)
    now = sim.clock.now()
    runs = list(source.iter_runs(_at(now - 3 * 86_400), _at(now)))
    assert all(len(r.messages) <= 1 for r in runs)
    assert any(r.messages for r in runs)
    fetched = len(sim.received("/get-job-log-entries"))
    problems = [r for r in runs if r.status not in (RunStatus.SUCCESS, RunStatus.RUNNING)]
    assert fetched == len(problems), "logs are read for failed and warning runs only"
    with pytest.raises(ValidationError):
        list(source.iter_runs(datetime(2026, 1, 1), _at(now)))


def test_devices_are_every_device_of_every_profile(sim: CometSimulator) -> None:
    devices = list(CometRunSource(sim.client()).devices())
    assert all(isinstance(d, Device) and d.vendor == "comet" for d in devices)
    assert len(devices) == sum(len(p["Devices"]) for p in sim.profiles.values())
    for device in devices:
        profile = sim.profiles[device.customer or ""]
        assert device.device_id in profile["Devices"]
        sources = [s for s in profile["Sources"].values() if s["OwnerDevice"] == device.device_id]
        assert sorted(device.data_sources) == sorted(s["Description"] for s in sources)
        successes = [
            j["EndTime"]
            for j in sim.jobs
            if j["DeviceID"] == device.device_id
            and 5000 <= j["Status"] < 6000
            and j["Classification"] == 4001
        ]
        if successes:
            assert device.last_success == _at(max(successes))
        else:
            assert device.last_success is None


def test_to_backup_runs_accepts_one_or_many(sim: CometSimulator) -> None:
    from comet_sdk import to_backup_runs

    client: CometAdminClient = sim.client()
    jobs = client.admin_get_jobs_recent()
    backups = [job for job in jobs if job.classification == 4001]
    assert 0 < len(backups) < len(jobs), "the simulated server also runs restores, retention..."
    assert [run.run_id for run in to_backup_runs(jobs)] == [job.guid for job in backups]
    assert to_backup_runs(backups[0])[0].key == f"comet:{backups[0].guid}"
    other = next(job for job in jobs if job.classification != 4001)
    assert to_backup_runs(other) == [], "a restore or a retention pass is not a backup run"
    assert timedelta(0) <= (jobs[0].end_time or _at(START)) - _at(0)
