"""``with_options()`` copies: their settings apply to every call they make, resources
included; the original keeps its own; both share connections and credentials."""

from __future__ import annotations

import pytest

from backup_sdk import RetryPolicy
from backup_sdk.errors import RequestTimeoutError
from tests.contract.vendors import Vendor


def test_a_copys_timeout_applies_to_its_calls_and_not_the_originals(vendor: Vendor) -> None:
    with vendor.running() as sim:
        client = vendor.client(sim)
        vendor.read(client)  # logged in
        quick = client.with_options(timeout=0.03, retry=RetryPolicy.none())
        sim.faults.add_latency(0.3, count=1)
        with pytest.raises(RequestTimeoutError, match=r"0\.03 s read timeout"):
            vendor.read(quick)
        sim.faults.add_latency(0.3, count=1)
        vendor.read(client)
        sim.faults.add_latency(0.3, count=1)
        with pytest.raises(RequestTimeoutError):
            vendor.paged(quick)
        vendor.read(client)
        # the timed-out calls reached the server; where only the newest visa counts, the
        # lost reply carried it, and the client must log in again
        assert vendor.logins(sim) == (2 if vendor.lost_reply_relogs else 1)


def test_closing_a_copy_leaves_the_original_working(vendor: Vendor) -> None:
    with vendor.running() as sim:
        client = vendor.client(sim)
        with client.with_options(timeout=5) as copy:
            vendor.read(copy)
        vendor.read(client)
        assert vendor.logins(sim) == 1
