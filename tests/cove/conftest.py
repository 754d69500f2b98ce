from __future__ import annotations

from collections.abc import Iterator

import pytest

from cove_sdk import CoveClient
from cove_sdk.testing import CoveSimulator, FleetSpec
from tests.support.cove import make_client


@pytest.fixture
def sim() -> Iterator[CoveSimulator]:
    with CoveSimulator(fleet=FleetSpec(devices=60, seed=2)) as simulator:
        yield simulator


@pytest.fixture
def client(sim: CoveSimulator) -> Iterator[CoveClient]:
    with make_client(sim) as c:
        yield c
