from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from backup_sdk.errors import ValidationError
from backup_sdk.pagination import Paginator
from backup_sdk.runs import RunStatus, SyncCursor
from comet_sdk import CometAdminClient, Severity, monitoring
from comet_sdk.monitoring import JobPoller, failed_jobs, log_entries
from comet_sdk.runs import to_backup_run
from comet_sdk.testing import CometSimulator

UTC_2026 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _now(sim: CometSimulator) -> datetime:
    return sim.clock.datetime()


def test_iter_jobs_covers_the_range_once(client: CometAdminClient, sim: CometSimulator) -> None:
    now = _now(sim)
    pager = client.iter_jobs(now - timedelta(days=4), now, window=timedelta(hours=5))
    assert isinstance(pager, Paginator)
    guids = [j.guid for j in pager]
    assert len(guids) == len(set(guids)), "no duplicates across overlapping windows"
    assert set(guids) == {j["GUID"] for j in sim.jobs}
    assert len(sim.received("/get-jobs-for-date-range")) == 20, "96 h in windows of 5 h"


@pytest.mark.parametrize(
    ("since", "until", "window", "overlap", "message"),
    [
        (
            datetime(2026, 1, 1),
            None,
            timedelta(hours=6),
            timedelta(0),
            "since must be timezone-aware",
        ),
        (
            UTC_2026,
            UTC_2026 - timedelta(hours=1),
            timedelta(hours=6),
            timedelta(0),
            "is after until",
        ),
        (
            UTC_2026,
            UTC_2026,
            timedelta(minutes=1),
            timedelta(minutes=5),
            "must be longer than overlap",
        ),
        (
            UTC_2026,
            UTC_2026,
            timedelta(hours=1),
            timedelta(hours=-3),
            "overlap must not be negative",
        ),
    ],
)
def test_iter_jobs_refuses_bad_ranges_before_sending(
    client: CometAdminClient,
    sim: CometSimulator,
    since: datetime,
    until: datetime | None,
    window: timedelta,
    overlap: timedelta,
    message: str,
) -> None:
    with pytest.raises(ValidationError, match=message):
        client.iter_jobs(since, until or UTC_2026, window=window, overlap=overlap)
    assert sim.received("/get-jobs-for-date-range") == []


def test_the_old_free_function_still_works_with_a_warning(
    client: CometAdminClient, sim: CometSimulator
) -> None:
    now = _now(sim)
    with pytest.warns(DeprecationWarning, match="use client.iter_jobs"):
        jobs = list(monitoring.iter_jobs(client, now - timedelta(hours=6), now))  # type: ignore[deprecated]
    assert {j.guid for j in jobs} == {
        j.guid for j in client.iter_jobs(now - timedelta(hours=6), now)
    }


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
