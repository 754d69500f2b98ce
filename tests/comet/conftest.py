from __future__ import annotations

from collections.abc import Iterator

import pytest

from comet_sdk import CometAdminClient
from comet_sdk.testing import CometFleetSpec, CometSimulator


@pytest.fixture
def sim() -> Iterator[CometSimulator]:
    with CometSimulator(fleet=CometFleetSpec(users=6, jobs=120, days=3, seed=5)) as simulator:
        yield simulator


@pytest.fixture
def client(sim: CometSimulator) -> Iterator[CometAdminClient]:
    with CometAdminClient(sim.url, username=sim.username, password=sim.password) as c:
        yield c
