"""One login however many threads share a client, and exactly one more per expiry.

Logins are counted at the simulator (what a real server would see), for every vendor:
Cove (also with a server that accepts only the newest visa), Comet admin sessions (also
with a TOTP code per login) and appliance tokens.
"""

from __future__ import annotations

from backup_sdk.hooks import Hooks, LoginEvent
from backup_sdk.testing import SimClock
from tests.contract.vendors import Vendor
from tests.support.threads import run_together

THREADS = 16


def test_sixteen_threads_share_one_login(vendor: Vendor) -> None:
    with vendor.running() as sim:
        client = vendor.client(sim)
        errors = run_together(THREADS, lambda: [vendor.read(client) for _ in range(3)])
        assert errors == []
        assert vendor.logins(sim) == 1
        assert client.logins == 1


def test_one_login_per_server_side_revocation(vendor: Vendor) -> None:
    events: list[LoginEvent] = []
    with vendor.running() as sim:
        client = vendor.client(sim, hooks=Hooks(on_login=[events.append]))
        vendor.read(client)
        for expiry in range(1, 4):
            vendor.revoke(sim)
            errors = run_together(THREADS, lambda: [vendor.read(client) for _ in range(3)])
            reasons = [e.reason for e in events]
            assert errors == [], (expiry, reasons, client._credentials.serialised)
            assert vendor.logins(sim) == 1 + expiry, (expiry, reasons)


def test_one_login_per_credential_lifetime(vendor_with_lifetime: Vendor) -> None:
    vendor = vendor_with_lifetime
    assert vendor.lifetime is not None
    clock = SimClock(frozen=True)
    events: list[LoginEvent] = []
    with vendor.running(clock) as sim:
        client = vendor.client(
            sim, clock=clock.time, sleep=clock.sleep, hooks=Hooks(on_login=[events.append])
        )
        assert run_together(THREADS, lambda: vendor.read(client)) == []
        for lifetime in range(1, 4):
            clock.advance(vendor.lifetime + 1)
            errors = run_together(THREADS, lambda: [vendor.read(client) for _ in range(2)])
            assert errors == [], f"after lifetime {lifetime}"
            assert vendor.logins(sim) == 1 + lifetime, (lifetime, [e.reason for e in events])


def test_a_copy_shares_the_login(vendor: Vendor) -> None:
    with vendor.running() as sim:
        client = vendor.client(sim)
        copy = client.with_options(timeout=30)
        vendor.read(client)
        vendor.read(copy)
        vendor.revoke(sim)
        vendor.read(copy)
        vendor.read(client)
        assert vendor.logins(sim) == 2
        assert copy.logins == client.logins == 2
