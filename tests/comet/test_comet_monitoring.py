from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from backup_sdk.errors import ValidationError
from backup_sdk.runs import RunStatus, SyncCursor
from comet_sdk import CometAdminClient, Severity
from comet_sdk.monitoring import JobPoller, failed_jobs, iter_jobs, log_entries, to_backup_run
from comet_sdk.testing import CometSimulator


def _now(sim: CometSimulator) -> datetime:
    return datetime.fromtimestamp(sim.clock.now(), timezone.utc)


def test_iter_jobs_covers_the_range_once(client: CometAdminClient, sim: CometSimulator) -> None:
    now = _now(sim)
    jobs = list(iter_jobs(client, now - timedelta(days=4), now, window=timedelta(hours=5)))
    guids = [j.guid for j in jobs]
    assert len(guids) == len(set(guids)), "no duplicates across overlapping windows"
    assert set(guids) == {j["GUID"] for j in sim.jobs}
    assert len(sim.received("/get-jobs-for-date-range")) >= 4 * 24 // 5


def test_iter_jobs_validates(client: CometAdminClient) -> None:
    with pytest.raises(ValidationError):
        list(iter_jobs(client, datetime(2026, 1, 1)))
    with pytest.raises(ValidationError):
        list(
            iter_jobs(
                client,
                datetime(2026, 1, 1, tzinfo=timezone.utc),
                window=timedelta(minutes=1),
                overlap=timedelta(minutes=5),
            )
        )


def test_log_entries_by_severity(client: CometAdminClient, sim: CometSimulator) -> None:
    failed = next(j for j in sim.jobs if j["Status"] == 7002)
    everything = log_entries(client, failed["GUID"])
    problems = log_entries(client, failed["GUID"], min_severity="W")
    assert len(everything) > len(problems) >= 1
    assert all(e.severity in (Severity.WARNING, Severity.ERROR) for e in problems)


def test_poller_delivers_each_finished_job_once_and_running_ones_later(
    client: CometAdminClient, sim: CometSimulator
) -> None:
    now = _now(sim)
    poller = JobPoller(client, lookback=timedelta(days=4), now=now)
    first = poller.poll(now)
    running = [j for j in sim.jobs if j["EndTime"] == 0]
    assert running
    assert {j.guid for j in first} == {j["GUID"] for j in sim.jobs if j["EndTime"]}
    assert len(poller.cursor.pending) == len(running)
    saved = poller.cursor.dumps()

    sim.clock.advance(900)
    sim.finish_running_jobs(status=7001)
    resumed = JobPoller(client, cursor=SyncCursor.loads(saved))
    second = resumed.poll(_now(sim))
    assert {j.guid for j in second} == {j["GUID"] for j in running}
    assert all(int(j.status) == 7001 for j in second)
    assert resumed.poll(_now(sim)) == [], "nothing twice"


def test_backup_run_mapping(client: CometAdminClient, sim: CometSimulator) -> None:
    raw = next(j for j in sim.jobs if j["Status"] == 7004)
    job = client.admin_get_job_properties(raw["GUID"])
    profile = client.admin_get_user_profile(raw["Username"])
    run = to_backup_run(job, profile)
    assert run.status is RunStatus.MISSED
    assert run.device_name.startswith("PC-")
    assert run.customer == raw["Username"]
    assert run.data_source and "backup" in run.data_source
    assert failed_jobs([job]) == [job]
