"""The documented round trip, replayed from a cassette recorded against the simulator.

Re-record (against the simulator):
    BACKUP_SDK_RECORD=all python -m pytest tests/npm_backup/test_npm_cassettes.py
"""

from __future__ import annotations

from pathlib import Path

from backup_sdk.testing import SimClock
from backup_sdk.testing.cassettes import assert_cassette_clean, record_mode, use_cassette
from examples import npm_backup_restore
from npm_backup_sdk import NpmBackupClient
from npm_backup_sdk.testing import NpmBackupSimulator
from tests.support.logs import quiet_logs

HERE = Path(__file__).parent
CASSETTE = HERE / "cassettes" / "npm_backup_restore_round_trip.yaml"
PASSWORD = "Cassette-Canary-Pw-8841"
#: The simulated "now" the cassette was recorded at.
RECORDED_AT = 1_795_000_000


def test_round_trip_replays_from_cassette(tmp_path: Path) -> None:
    clock = SimClock(start=RECORDED_AT, frozen=True)
    recording = record_mode() != "none"
    with (
        quiet_logs("npm_backup_sdk") as logs,
        NpmBackupSimulator(
            seed=11,
            password=PASSWORD,
            clock=clock,
            backup_duration=6,
            restore_duration=6,
            reboot_seconds=3,
            file_size=4096,
        ) as sim,
        use_cassette(CASSETTE),
    ):
        # The simulator's clock moves only when the client sleeps between polls; on replay
        # nothing needs to wait.
        client = NpmBackupClient(
            base_url=sim.url,
            username=sim.username,
            password=PASSWORD,
            sleep=clock.advance if recording else (lambda _s: None),
        )
        report = npm_backup_restore.backup_and_restore(client, tmp_path, poll_interval=1.0)
    assert report[0] == "servers: 1:filer-01, 2:filer-02"
    assert report[1].startswith("backup: completed")
    assert report[3] == "downloaded pre-change: 4,096 bytes"
    assert report[4] == "restore: completed; appliance back: True"
    assert (tmp_path / "appliance.tgz").stat().st_size == 4096
    assert_cassette_clean(CASSETTE, canaries=[PASSWORD])
    assert logs.records, "DEBUG logging was on"
    assert PASSWORD not in logs.text
