"""``python -m backup_sdk demo cove``: a simulated Cove tenant and the monitoring answers."""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from cove_sdk.client import CoveClient
from cove_sdk.columns import column
from cove_sdk.enums import SessionStatus
from cove_sdk.testing import CoveSimulator, FleetSpec

__all__ = ["run_demo"]

_COLUMNS = ["I1", "I8", "I18", "I32", "I59", "I78", "I14", "I6"] + [
    column(source, field) for source in (9, 1, 7, 10, 19) for field in (0, 6, 9, 15)
]


def run_demo(stream: TextIO) -> None:
    """Start the simulator with 2,000 devices and answer "did last night's backups work?"."""
    stream.write("== cove_sdk: Cove Data Protection JSON-RPC (simulated) ==\n")
    with (
        CoveSimulator(fleet=FleetSpec(devices=2_000, seed=11)) as sim,
        CoveClient(
            sim.base_url,
            partner=sim.partner_name,
            username=sim.username,
            password=sim.password,
            reporting_url=sim.reporting_url,
        ) as client,
    ):
        user = client.user
        stream.write(
            f"  logged in as {user.name} for partner {user.partner_id}; "
            f"{len(client.enumerate_partners(user.partner_id))} customers\n"
        )
        now = sim.clock.datetime()
        statuses: Counter[SessionStatus] = Counter()
        stale = []
        devices = 0
        for row in client.iter_account_statistics(
            user.partner_id, _COLUMNS, page_size=500, concurrency=2
        ):
            devices += 1
            total = row.total
            if total.last_status is not None:
                statuses[total.last_status] += 1
            if total.is_stale(now):
                stale.append(row)
        stream.write(
            f"  {devices} devices, last session (Total): "
            + ", ".join(f"{s.name.lower()} {n}" for s, n in statuses.most_common(6))
            + "\n"
        )
        stream.write(f"  no successful backup in 24 h: {len(stale)} devices\n")
        for row in stale[:3]:
            success = row.total.last_success
            when = f"{success:%Y-%m-%d %H:%M} UTC" if success else "never"
            stream.write(f"    {row.device_name:<24} {row.customer:<14} last success {when}\n")
        totals = client.account_statistics_totals(
            user.partner_id, ["COUNT(1)", "SUM(I14)", "COUNT(D9F0 == 2)"]
        )
        stream.write(
            f"  totals: {totals['COUNT(1)']} devices, {int(totals['SUM(I14)']) / 1e12:.1f} TB "
            f"stored, {totals['COUNT(D9F0 == 2)']} failing\n"
        )
        failing = next((r for r in stale if r.total.last_status is SessionStatus.FAILED), None)
        if failing is not None:
            reporting = client.reporting(failing.account_id)
            session = next(
                (s for s in reporting.query_sessions(size=10) if s.status.is_failure), None
            )
            if session is not None:
                stream.write(f"  why {failing.device_name} failed (Reporting Service):\n")
                for error in reporting.query_errors(session.id, size=2):
                    stream.write(f"    {error.text}\n")
