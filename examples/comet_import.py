"""Import the last 24 hours of Comet jobs, with the log's error lines for failed jobs.

Runs against the bundled simulator (no server needed):
    python examples/comet_import.py
Against a real server, build the client with CometAdminClient.from_env() instead.
Type-checked with mypy --strict in CI.
"""

from __future__ import annotations

import sys
from collections import Counter
from datetime import datetime, timedelta

from comet_sdk import CometAdminClient, JobCategory, job_category
from comet_sdk.monitoring import log_entries
from comet_sdk.testing import CometFleetSpec, CometSimulator


def import_last_day(client: CometAdminClient, now: datetime) -> list[str]:
    """One line per finding; the job import itself is ``client.iter_jobs``."""
    lines: list[str] = []
    jobs = client.iter_jobs(now - timedelta(hours=24), now).to_list()
    counts = Counter(job_category(job.status) for job in jobs)
    lines.append(
        f"{len(jobs)} jobs in 24 h: "
        + ", ".join(f"{category.value} {count}" for category, count in counts.most_common())
    )
    for job in sorted(jobs, key=lambda j: j.start_time or now):
        category = job_category(job.status)
        if not (category.is_failure or category is JobCategory.WARNING):
            continue
        started = f"{job.start_time:%Y-%m-%d %H:%M}" if job.start_time else "?"
        lines.append(f"{started} {job.username} {job.status.name} ({int(job.status)})")
        for entry in log_entries(client, job.guid, min_severity="W"):
            lines.append(f"    {entry.severity.value} {entry.message}")
    return lines


def main() -> int:
    with CometSimulator(fleet=CometFleetSpec(users=10, jobs=200, days=2)) as sim:
        client = CometAdminClient(sim.url, username=sim.username, password=sim.password)
        with client:
            now = sim.clock.datetime()
            for line in import_last_day(client, now):
                print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
