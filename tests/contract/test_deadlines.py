"""Nothing hangs: every call ends by its deadline, even against a server that trickles its
answer one byte at a time (a read timeout alone never fires then). These tests wait real
time -- a socket cannot be simulated -- so they are kept short."""

from __future__ import annotations

import time

import pytest

from backup_sdk import RetryPolicy
from backup_sdk.errors import ConfigurationError, RequestTimeoutError
from tests.contract.vendors import Vendor


def test_a_trickling_server_cannot_hold_a_call_past_its_deadline(vendor: Vendor) -> None:
    with vendor.running() as sim:
        client = vendor.client(sim, timeout=(1, 1), retry=RetryPolicy.none())
        vendor.read(client)
        quick = client.with_options(deadline=0.6)
        sim.faults.trickle_next(1, interval=0.2, path=vendor.read_path)
        started = time.monotonic()
        with pytest.raises(RequestTimeoutError, match=r"within the 0\.6 s deadline"):
            vendor.read(quick)
        took = time.monotonic() - started
        assert 0.5 <= took < 1.5, f"ended after {took:.2f} s"


def test_deadlines_and_timeouts_are_checked_when_given(vendor: Vendor) -> None:
    with vendor.running() as sim:
        for bad in (0, -1, float("nan"), float("inf"), 1e300):
            with pytest.raises(ConfigurationError):
                vendor.client(sim, deadline=bad)
            with pytest.raises(ConfigurationError):
                vendor.client(sim, timeout=bad)
        assert sim.received() == []
