"""Did last night's backup of each device succeed, and if not, why?

Logs in, reads every device with 40 columns in pages of 1,000, reports each device's last
session status per data source, and fetches the error texts of failed sessions from the
storage node's Reporting Service. Runs against the bundled simulator (10,000 devices):
    python examples/cove_monitor.py
Against a real tenant, build the client with CoveClient.from_env() instead.
Type-checked with mypy --strict in CI.
"""

from __future__ import annotations

import sys
from collections import Counter
from datetime import datetime, timedelta

from cove_sdk import CoveClient, SessionStatus, StatisticsRow, column
from cove_sdk.testing import CoveSimulator, FleetSpec

PROPERTIES = ["I0", "I1", "I8", "I18", "I32", "I59", "I78", "I4", "I6", "I14"]
SOURCES = [1, 7, 10, 9]  # files, system state, SQL Server, and the Total
FIELDS = [0, 6, 9, 12, 15, 17, 18]  # status, errors, last success, duration, times
COLUMNS = (
    PROPERTIES + [column(s, f) for s in SOURCES for f in FIELDS] + [column(19, 0), column(20, 0)]
)


def needs_attention(row: StatisticsRow, now: datetime) -> list[str]:
    """One line per data source whose last session was not a clean success in 24 h."""
    problems = []
    for code, stats in row.per_source().items():
        status = stats.last_status
        if status is None or status.is_running:
            continue  # no columns for this source, or a session is running now
        if status is SessionStatus.COMPLETED and not (stats.last_success and stats.is_stale(now)):
            continue
        when = stats.last_success
        since = f"last success {when:%Y-%m-%d %H:%M}" if when else "never succeeded"
        problems.append(f"{code} {stats.source.name}: {status.name} ({since})")
    return problems


def monitor(
    client: CoveClient, *, now: datetime, page_size: int = 1000, max_error_lookups: int = 5
) -> list[str]:
    """The report as of ``now`` (an aware datetime), one line each; error texts for the
    first few failed devices."""
    partner_id = client.user.partner_id
    statuses: Counter[str] = Counter()
    failing: list[StatisticsRow] = []
    total = 0
    for row in client.iter_account_statistics(partner_id, COLUMNS, page_size=page_size):
        total += 1
        for stats in row.per_source().values():
            statuses[stats.last_status.name if stats.last_status else "NO_DATA"] += 1
        if needs_attention(row, now):
            failing.append(row)
    lines = [f"{total} devices, {len(COLUMNS)} columns; last sessions per data source:"]
    lines.append("  " + ", ".join(f"{k} {v}" for k, v in statuses.most_common()))
    lines.append(f"{len(failing)} devices need attention")
    for row in failing[:max_error_lookups]:
        lines.append(f"- {row.device_name} ({row.customer})")
        lines.extend(f"    {problem}" for problem in needs_attention(row, now))
        reporting = client.reporting(row.account_id)
        since = now - timedelta(days=7)
        for session in reporting.query_sessions(size=20):
            if session.status.is_failure and session.start_time and session.start_time > since:
                for error in reporting.query_errors(session.id, size=3):
                    lines.append(f"      session {session.id}: {error.text}")
    return lines


def main() -> int:
    with CoveSimulator(fleet=FleetSpec(devices=10_000, seed=4)) as sim:
        client = CoveClient(
            sim.base_url,
            partner=sim.partner_name,
            username=sim.username,
            password=sim.password,
            reporting_url=sim.reporting_url,
        )
        with client:
            now = sim.clock.datetime()
            for line in monitor(client, now=now):
                print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
