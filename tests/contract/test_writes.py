"""Nothing sent twice: a write whose reply was lost is not repeated, a read is; a request
that provably never reached the server is retried for writes too. Counted at the server."""

from __future__ import annotations

import pytest

from backup_sdk import RetryPolicy
from backup_sdk.errors import ConnectError
from backup_sdk.testing import SimClock, SimulatorServer
from tests.contract.vendors import Vendor

RETRY = RetryPolicy(max_attempts=4, backoff_base=0.5, budget=None)


def sent(sim: SimulatorServer, text: str) -> int:
    """Requests that reached the server whose path or body contains ``text``."""
    needle = text.encode()
    return sum(1 for r in sim.received() if text in r.path or needle in r.body)


def test_a_write_whose_reply_was_lost_is_not_sent_again(vendor: Vendor) -> None:
    clock = SimClock(frozen=True)
    with vendor.running(clock) as sim:
        client = vendor.client(sim, retry=RETRY, sleep=clock.sleep)
        vendor.read(client)
        before = vendor.writes_applied(sim)
        sim.faults.lose_reply_next(1, path=vendor.write_path)
        with pytest.raises(ConnectError, match="dropped before a full answer"):
            vendor.write(client)
        assert vendor.writes_applied(sim) == before + 1, "sent once, carried out once"


def test_a_write_whose_connection_dropped_unanswered_is_not_sent_again(vendor: Vendor) -> None:
    clock = SimClock(frozen=True)
    with vendor.running(clock) as sim:
        client = vendor.client(sim, retry=RETRY, sleep=clock.sleep)
        vendor.read(client)
        before = vendor.writes_applied(sim)
        attempts = sent(sim, vendor.write_path)
        sim.faults.drop_next(1, path=vendor.write_path)
        with pytest.raises(ConnectError):
            vendor.write(client)
        # the server never carried it out, but the client cannot know that: it does not guess
        assert sent(sim, vendor.write_path) == attempts + 1, "sent once"
        assert vendor.writes_applied(sim) == before


def test_a_read_whose_reply_was_lost_is_retried(vendor: Vendor) -> None:
    clock = SimClock(frozen=True)
    with vendor.running(clock) as sim:
        client = vendor.client(sim, retry=RETRY, sleep=clock.sleep)
        vendor.read(client)
        sim.faults.lose_reply_next(2, path=vendor.read_path)
        vendor.read(client)
        assert clock.slept > 0, "it waited (on the simulated clock) between attempts"


def test_a_write_to_a_server_that_refuses_connections_is_retried(vendor: Vendor) -> None:
    clock = SimClock(frozen=True)
    with vendor.running(clock) as sim:
        client = vendor.client(sim, retry=RETRY, sleep=clock.sleep)
        vendor.read(client)
        before = vendor.writes_applied(sim)
        sim.go_offline(0.2)  # back once the client's backoff has moved the clock on
        vendor.write(client)
        assert vendor.writes_applied(sim) == before + 1


def test_retryable_statuses_are_retried_for_reads_only(vendor: Vendor) -> None:
    clock = SimClock(frozen=True)
    with vendor.running(clock) as sim:
        client = vendor.client(sim, retry=RETRY, sleep=clock.sleep)
        vendor.read(client)
        sim.faults.fail_next(2, 503, path=vendor.read_path)
        vendor.read(client)
        before = vendor.writes_applied(sim)
        sim.faults.fail_next(1, 503, path=vendor.write_path)
        with pytest.raises(Exception) as info:
            vendor.write(client)
        assert getattr(info.value, "status", None) == 503
        assert vendor.writes_applied(sim) == before, "the server answered 503 without acting"
