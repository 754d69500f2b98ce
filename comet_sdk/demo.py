"""``python -m backup_sdk demo comet``: a simulated Comet Server and a monitor's view of it."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import TextIO

from backup_sdk.runs import stale_devices
from comet_sdk.client import CometAdminClient
from comet_sdk.enums import JobCategory, job_category
from comet_sdk.monitoring import log_entries
from comet_sdk.runs import to_backup_runs
from comet_sdk.testing import CometFleetSpec, CometSimulator

__all__ = ["run_demo"]


def run_demo(stream: TextIO) -> None:
    """Start the simulator with a fleet, import the last 24 h, show what needs attention."""
    stream.write("== comet_sdk: Comet Server admin API (simulated) ==\n")
    fleet = CometFleetSpec(users=25, jobs=1_500, days=3, running=4, seed=3)
    with (
        CometSimulator(fleet=fleet) as sim,
        CometAdminClient(
            sim.url, username=sim.username, password=sim.password, use_session=True
        ) as client,
    ):
        version = client.admin_meta_version()
        users = client.admin_list_users_full()
        online = client.admin_dispatcher_list_active()
        outdated = sum(1 for c in online.values() if c.reported_version != version.version)
        stream.write(
            f"  server {version.version} ({version.version_codename}); {len(users)} users, "
            f"{len(online)} devices online ({outdated} on an older client)\n"
        )
        now = sim.clock.datetime()
        jobs = client.iter_jobs(now - timedelta(hours=24), now).to_list()
        counts = Counter(job_category(job.status) for job in jobs)
        stream.write(
            f"  last 24 h: {len(jobs)} jobs -- "
            + ", ".join(f"{c.value} {n}" for c, n in counts.most_common())
            + "\n"
        )
        runs = to_backup_runs(jobs, users)  # the backup jobs (not restores, retention...)
        stale = stale_devices(runs, now=now)
        names = {r.device_id: f"{r.device_name} ({r.customer})" for r in runs}
        stream.write(
            f"  devices without a successful backup in 24 h: {len(stale)}"
            + (f" -- e.g. {', '.join(names[d] for _, d in stale[:3])}" if stale else "")
            + "\n"
        )
        problems = [
            job
            for job in jobs
            if job_category(job.status).is_failure
            or job_category(job.status) is JobCategory.WARNING
        ]
        stream.write("  latest problems, with their log lines:\n")
        for job in sorted(problems, key=lambda j: j.start_time or now, reverse=True)[:4]:
            when = f"{job.start_time:%d %b %H:%M}" if job.start_time else "?"
            stream.write(f"    {when} {job.username:<13} {job.status.name}\n")
            for entry in log_entries(client, job.guid, min_severity="W")[:1]:
                stream.write(f"        {entry.severity.value}: {entry.message}\n")
        running = [job for job in jobs if job_category(job.status) is JobCategory.RUNNING]
        stream.write(f"  running now: {len(running)}\n")
