"""Building Cove clients against the Cove simulator."""

from __future__ import annotations

from typing import Any

from cove_sdk import CoveClient
from cove_sdk.testing import CoveSimulator

__all__ = ["make_client", "user_client"]


def make_client(sim: CoveSimulator, **options: Any) -> CoveClient:
    """A client logged in as the simulator's API user, Reporting Service included."""
    return sim.client(**options)


def user_client(sim: CoveSimulator, username: str, password: str, **options: Any) -> CoveClient:
    """A client for another user added to the simulator."""
    return CoveClient(
        sim.base_url,
        partner=sim.partner_name,
        username=username,
        password=password,
        reporting_url=sim.reporting_url,
        **options,
    )
