"""The documented monitoring run, replayed from a cassette recorded against the simulator.

Re-record against the simulator:
    BACKUP_SDK_RECORD=all python -m pytest tests/cove/test_cove_cassettes.py
Against a real tenant (the answers will differ; the assertions here are for the simulator):
    COVE_PARTNER=... COVE_USERNAME=... COVE_PASSWORD=... BACKUP_SDK_RECORD=all \\
        python -m pytest tests/cove/test_cove_cassettes.py
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import pytest

from backup_sdk.testing import SimClock
from backup_sdk.testing.cassettes import assert_cassette_clean, record_mode, use_cassette
from cove_sdk import CoveClient
from cove_sdk.testing import CoveSimulator, FleetSpec

HERE = Path(__file__).parent
CASSETTE = HERE / "cassettes" / "cove_monitoring_run.yaml"
PASSWORD = "Cove-Canary-Pw-5512"


def test_monitoring_run_replays(load_example: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="cove_sdk")
    example = load_example("cove_monitor.py")
    real_tenant = record_mode() != "none" and os.environ.get("COVE_PARTNER")
    if real_tenant:
        client = CoveClient.from_env()
        with use_cassette(CASSETTE):
            example.monitor(client, page_size=100, max_error_lookups=2)
        assert_cassette_clean(CASSETTE, canaries=[os.environ["COVE_PASSWORD"]])
        return
    clock = SimClock(start=1_795_000_000, frozen=True)
    with CoveSimulator(fleet=FleetSpec(devices=150, seed=12), clock=clock) as sim:
        sim.add_user("cassette", PASSWORD, partner=sim.partner_name)
        client = CoveClient(
            sim.partner_name,
            "cassette",
            PASSWORD,
            base_url=f"{sim.url}/jsonapi",
            reporting_url=sim.reporting_url,
        )
        with use_cassette(CASSETTE):
            lines = example.monitor(client, page_size=100, max_error_lookups=2)
    assert lines[0] == "150 devices, 40 columns; last sessions per data source:"
    assert "need attention" in lines[2]
    assert any("session" in line for line in lines[3:]), "error texts were fetched"
    assert_cassette_clean(CASSETTE, canaries=[PASSWORD])
    assert PASSWORD not in "\n".join(r.getMessage() for r in caplog.records)
