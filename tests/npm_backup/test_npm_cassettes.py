"""The documented round trip, replayed from a cassette recorded against the simulator.

Re-record (against the simulator):
    BACKUP_SDK_RECORD=all python -m pytest tests/npm_backup/test_npm_cassettes.py
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from backup_sdk.testing import SimClock
from backup_sdk.testing.cassettes import assert_cassette_clean, record_mode, use_cassette
from npm_backup_sdk import NpmBackupClient
from npm_backup_sdk.testing import NpmBackupSimulator

HERE = Path(__file__).parent
CASSETTE = HERE / "cassettes" / "npm_backup_restore_round_trip.yaml"
PASSWORD = "Cassette-Canary-Pw-8841"


def test_round_trip_replays_from_cassette(
    load_example: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="npm_backup_sdk")
    example = load_example("npm_backup_restore.py")
    clock = SimClock(start=1_795_000_000, frozen=True)
    recording = record_mode() != "none"
    with (
        NpmBackupSimulator(
            seed=11,
            password=PASSWORD,
            clock=clock,
            token_lifetime=10 * 365 * 86_400,  # replay years later must not look expired
            backup_duration=6,
            restore_duration=6,
            reboot_seconds=0.3,
            file_size=4096,
        ) as sim,
        use_cassette(CASSETTE),
    ):
        # The simulator's clock moves only when the client sleeps between polls.
        client = NpmBackupClient(
            base_url=sim.url,
            username=sim.username,
            password=PASSWORD,
            sleep=clock.advance if recording else (lambda _s: None),
        )
        report = example.backup_and_restore(client, tmp_path, poll_interval=1.0)
    assert report[0] == "servers: 1:filer-01, 2:filer-02"
    assert report[1].startswith("backup: completed")
    assert report[3] == "downloaded pre-change: 4,096 bytes"
    assert report[4] == "restore: completed; appliance back: True"
    assert (tmp_path / "appliance.tgz").stat().st_size == 4096
    assert_cassette_clean(CASSETTE, canaries=[PASSWORD])
    logs = "\n".join(r.getMessage() for r in caplog.records)
    assert PASSWORD not in logs
