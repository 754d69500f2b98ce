"""The documented monitoring run, replayed from a cassette recorded against the simulator.

Re-record (against the simulator; the assertions are for its fleet):
    BACKUP_SDK_RECORD=all python -m pytest tests/cove/test_cove_cassettes.py
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from backup_sdk.testing import SimClock
from backup_sdk.testing.cassettes import assert_cassette_clean, use_cassette
from cove_sdk import CoveClient
from cove_sdk.testing import CoveSimulator, FleetSpec
from examples import cove_monitor
from tests.support.logs import quiet_logs

HERE = Path(__file__).parent
CASSETTE = HERE / "cassettes" / "cove_monitoring_run.yaml"
PASSWORD = "Cove-Canary-Pw-5512"
#: The simulated "now" the cassette was recorded at (2026-11-18 08:13 UTC).
RECORDED_AT = 1_795_000_000


def test_monitoring_run_replays() -> None:
    clock = SimClock(start=RECORDED_AT, frozen=True)
    now = datetime.fromtimestamp(RECORDED_AT, timezone.utc)
    with (
        quiet_logs("cove_sdk") as logs,
        CoveSimulator(fleet=FleetSpec(devices=150, seed=12), clock=clock) as sim,
    ):
        sim.add_user("cassette", PASSWORD, partner=sim.partner_name)
        client = CoveClient(
            sim.base_url,
            partner=sim.partner_name,
            username="cassette",
            password=PASSWORD,
            reporting_url=sim.reporting_url,
        )
        with use_cassette(CASSETTE):
            lines = cove_monitor.monitor(client, now=now, page_size=100, max_error_lookups=2)
    assert lines[0] == "150 devices, 40 columns; last sessions per data source:"
    assert lines[2] == "37 devices need attention", lines[:3]
    assert lines[3] == "- customer004-ws00004 (Customer 004)", "\n".join(lines)
    error_lines = [line for line in lines if line.lstrip().startswith("session ")]
    assert len(error_lines) == 9, "error texts of the failed sessions of 2 devices"
    assert_cassette_clean(CASSETTE, canaries=[PASSWORD])
    assert logs.records, "DEBUG logging was on"
    assert PASSWORD not in logs.text
