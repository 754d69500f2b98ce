from __future__ import annotations

from collections.abc import Iterator

import pytest

from npm_backup_sdk import NpmBackupClient
from npm_backup_sdk.testing import NpmBackupSimulator


@pytest.fixture
def sim() -> Iterator[NpmBackupSimulator]:
    with NpmBackupSimulator(
        seed=3, backup_duration=2.0, restore_duration=1.5, reboot_seconds=0.4
    ) as simulator:
        yield simulator


@pytest.fixture
def client(sim: NpmBackupSimulator) -> Iterator[NpmBackupClient]:
    with NpmBackupClient(base_url=sim.url, username=sim.username, password=sim.password) as c:
        yield c
