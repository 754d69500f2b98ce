from __future__ import annotations

from collections.abc import Iterator

import pytest

from backup_sdk.testing import SimClock
from npm_backup_sdk import NpmBackupClient
from npm_backup_sdk.testing import NpmBackupSimulator


@pytest.fixture
def sim() -> Iterator[NpmBackupSimulator]:
    """An appliance whose clock moves only when a client waits (no real time passes)."""
    with NpmBackupSimulator(
        seed=3,
        backup_duration=2.0,
        restore_duration=1.5,
        reboot_seconds=0.4,
        clock=SimClock(frozen=True),
    ) as simulator:
        yield simulator


@pytest.fixture
def client(sim: NpmBackupSimulator) -> Iterator[NpmBackupClient]:
    """A client whose waits (polls, retry backoff) advance the simulator's clock."""
    with NpmBackupClient(
        base_url=sim.url,
        username=sim.username,
        password=sim.password,
        sleep=sim.clock.sleep,
        clock=sim.clock.time,
    ) as c:
        yield c
