"""The documented 24-hour import, replayed from a cassette recorded against the simulator.

Re-record (against the simulator):
    BACKUP_SDK_RECORD=all python -m pytest tests/comet/test_comet_cassettes.py
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from backup_sdk.testing import SimClock
from backup_sdk.testing.cassettes import assert_cassette_clean, use_cassette
from comet_sdk import CometAdminClient
from comet_sdk.testing import CometFleetSpec, CometSimulator
from examples import comet_import
from tests.support.logs import quiet_logs

HERE = Path(__file__).parent
CASSETTE = HERE / "cassettes" / "comet_24h_import.yaml"
PASSWORD = "Comet-Canary-Pw-7731"
#: The simulated "now" the cassette was recorded at.
RECORDED_AT = 1_795_000_000


def test_24h_import_replays() -> None:
    clock = SimClock(start=RECORDED_AT, frozen=True)
    fleet = CometFleetSpec(users=4, jobs=40, days=1.5, seed=9)
    with (
        quiet_logs("comet_sdk") as logs,
        CometSimulator(fleet=fleet, password=PASSWORD, clock=clock) as sim,
        use_cassette(CASSETTE),
    ):
        client = CometAdminClient(sim.url, username=sim.username, password=PASSWORD)
        lines = comet_import.import_last_day(
            client, datetime.fromtimestamp(RECORDED_AT, timezone.utc)
        )
    assert lines[0].split()[1:5] == ["jobs", "in", "24", "h:"]
    assert int(lines[0].split()[0]) > 0
    assert any("FAILED_" in line for line in lines)
    assert any(line.startswith(("    E ", "    W ")) for line in lines)
    assert_cassette_clean(CASSETTE, canaries=[PASSWORD])
    assert logs.records, "DEBUG logging was on"
    assert PASSWORD not in logs.text
