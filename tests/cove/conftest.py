from __future__ import annotations

from collections.abc import Iterator

import pytest

from cove_sdk import CoveClient
from cove_sdk.testing import CoveSimulator, FleetSpec


@pytest.fixture
def sim() -> Iterator[CoveSimulator]:
    with CoveSimulator(fleet=FleetSpec(devices=60, seed=2)) as simulator:
        yield simulator


def make_client(sim: CoveSimulator, **kwargs: object) -> CoveClient:
    return CoveClient(
        sim.partner_name,
        sim.username,
        sim.password,
        base_url=f"{sim.url}/jsonapi",
        reporting_url=sim.reporting_url,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture
def client(sim: CoveSimulator) -> Iterator[CoveClient]:
    with make_client(sim) as c:
        yield c
