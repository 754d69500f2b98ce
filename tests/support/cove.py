"""Building Cove clients against the Cove simulator."""

from __future__ import annotations

from typing import Any

from cove_sdk import CoveClient
from cove_sdk.testing import CoveSimulator

__all__ = ["make_client"]


def make_client(sim: CoveSimulator, **options: Any) -> CoveClient:
    """A client logged in as the simulator's API user, Reporting Service included."""
    return CoveClient(
        sim.partner_name,
        sim.username,
        sim.password,
        base_url=f"{sim.url}/jsonapi",
        reporting_url=sim.reporting_url,
        **options,
    )
