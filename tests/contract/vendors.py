"""What the contract suite needs from each vendor: one adapter per vendor (and variant).

Every contract test is written once, against :class:`Vendor`, and runs for all three
vendors. An adapter says how to start the vendor's simulator on a frozen clock, build a
client for it, make a safe read, a write and a paginated read, count logins at the server,
and make the server drop or expire the credentials it issued.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import attrs

from backup_sdk.client import BaseClient
from backup_sdk.testing import SimClock, SimulatorServer
from comet_sdk import CometAdminClient, CometUserClient
from comet_sdk.testing import CometFleetSpec, CometSimulator
from cove_sdk import CoveClient
from cove_sdk.testing import CoveSimulator, FleetSpec
from npm_backup_sdk import NpmBackupClient, Server
from npm_backup_sdk.testing import NpmBackupSimulator

__all__ = ["VENDORS", "Vendor"]


@attrs.frozen
class Vendor:
    """One vendor (or variant) as the contract suite drives it.

    Attributes:
        name: the test id.
        vendor: the vendor id the SDK reports (``APIError.vendor``...).
        start: starts the simulator on a clock (a context manager).
        client: builds a client for a running simulator (``**options`` are ClientOptions).
        read: a call that only reads (safe to repeat).
        write: a call that changes state (not safe to repeat); returns a description.
        write_path: a text in the path (or body, for JSON-RPC) of the write's request.
        writes_applied: how many times the write took effect at the server.
        paged: a multi-page read; returns the items.
        logins: logins the server has seen.
        revoke: makes the server forget every credential it issued.
        lifetime: seconds after which the client must renew its credentials by itself
            (None when the vendor states no lifetime).
        lost_reply_relogs: a reply lost after the server acted costs a new login (a chain
            whose server accepts only the newest credential: the lost reply carried it).
    """

    name: str
    vendor: str
    start: Callable[[SimClock], Any]
    client: Callable[..., BaseClient]
    read: Callable[[Any], object]
    write: Callable[[Any], object]
    write_path: str
    writes_applied: Callable[[Any], int]
    paged: Callable[[Any], list[Any]]
    logins: Callable[[Any], int]
    revoke: Callable[[Any], None]
    lifetime: float | None
    lost_reply_relogs: bool = False

    @contextmanager
    def running(self, clock: SimClock | None = None) -> Iterator[SimulatorServer]:
        """The simulator, started on ``clock`` (frozen at the wall time by default)."""
        with self.start(clock or SimClock(frozen=True)) as sim:
            yield sim


# -- Cove --------------------------------------------------------------------------------


def _cove_write(client: CoveClient) -> object:
    partner = client.user.partner_id
    account = client.enumerate_account_statistics(partner, ["I1"], count=1)[0].account_id
    client.update_account_custom_column_values(account, {1: "contract"})
    return account


def _cove_writes(sim: CoveSimulator) -> int:
    return sum(
        1
        for request in sim.received("/jsonapi")
        if b"UpdateAccountCustomColumnValues" in request.body
    )


COVE = Vendor(
    name="cove",
    vendor="cove",
    start=lambda clock: CoveSimulator(fleet=FleetSpec(devices=30, seed=3), clock=clock),
    client=lambda sim, **options: sim.client(**options),
    read=lambda client: client.get_server_info(),
    write=_cove_write,
    write_path="UpdateAccountCustomColumnValues",
    writes_applied=_cove_writes,
    paged=lambda client: list(
        client.iter_account_statistics(client.user.partner_id, ["I1"], page_size=7)
    ),
    logins=lambda sim: sim.logins,
    revoke=lambda sim: sim.expire_visas(),
    lifetime=15 * 60.0,
)

COVE_NEWEST_VISA_ONLY = attrs.evolve(
    COVE,
    name="cove-newest-visa-only",
    start=lambda clock: CoveSimulator(
        fleet=FleetSpec(devices=30, seed=3), clock=clock, old_visas_valid=False
    ),
    lost_reply_relogs=True,
)

# -- Comet -------------------------------------------------------------------------------


def _comet_client(sim: CometSimulator, **options: Any) -> CometAdminClient:
    return CometAdminClient(
        sim.base_url, username=sim.username, password=sim.password, use_session=True, **options
    )


def _comet_totp_client(sim: CometSimulator, **options: Any) -> CometAdminClient:
    return CometAdminClient(
        sim.base_url, username=sim.username, password=sim.password, totp=sim.issue_totp, **options
    )


def _comet_totp_sim(clock: SimClock) -> CometSimulator:
    sim = CometSimulator(fleet=CometFleetSpec(users=4, jobs=40, seed=3), clock=clock)
    sim.require_totp = True
    return sim


COMET = Vendor(
    name="comet",
    vendor="comet",
    start=lambda clock: CometSimulator(fleet=CometFleetSpec(users=4, jobs=40, seed=3), clock=clock),
    client=_comet_client,
    read=lambda client: client.admin_meta_version(),
    write=lambda client: client.admin_add_user(f"contract-{id(client)}", "Contract-pw-1"),
    write_path="/add-user",
    writes_applied=lambda sim: len(sim.received("/add-user")),
    paged=lambda client: list(client.admin_list_users()),
    logins=lambda sim: sim.logins,
    revoke=lambda sim: sim.revoke_all_sessions(),
    lifetime=None,
)

COMET_TOTP = attrs.evolve(
    COMET, name="comet-totp", start=_comet_totp_sim, client=_comet_totp_client
)


def _comet_user_client(sim: CometSimulator, **options: Any) -> CometUserClient:
    user = "customer-001"
    return CometUserClient(
        sim.base_url,
        username=user,
        password=sim.user_passwords[user],
        use_session=True,
        **options,
    )


def _comet_user_write(client: CometUserClient) -> object:
    current = client.user_web_get_user_profile_and_hash()
    return client.user_web_set_profile_hash(current.profile, current.profile_hash)


# the user-web API: a user's own session, shared the same way
COMET_USER = attrs.evolve(
    COMET,
    name="comet-user",
    client=_comet_user_client,
    read=lambda client: client.user_web_news_get_all(),
    write=_comet_user_write,
    write_path="/user/web/set-profile-hash",
    writes_applied=lambda sim: len(sim.received("/user/web/set-profile-hash")),
    paged=lambda client: list(client.user_web_get_jobs()),
    logins=lambda sim: sim.user_logins,
)

# -- the appliance ---------------------------------------------------------------------------


def _npm_write(client: NpmBackupClient) -> object:
    return client.servers.create(Server(name="contract", host="h.example", path="/p", user="u"))


NPM = Vendor(
    name="npm_backup",
    vendor="npm_backup",
    start=lambda clock: NpmBackupSimulator(seed=3, clock=clock),
    client=lambda sim, **options: sim.client(**options),
    read=lambda client: client.servers.list(),
    write=_npm_write,
    write_path="/servers",
    writes_applied=lambda sim: sum(
        1 for r in sim.received("/api/npm.backup/2.0/servers") if r.method == "POST"
    ),
    paged=lambda client: client.scheduled_backups.list(),
    logins=lambda sim: sim.logins,
    revoke=lambda sim: sim.expire_tokens(),
    lifetime=3600.0,
)

VENDORS = [COVE, COVE_NEWEST_VISA_ONLY, COMET, COMET_TOTP, COMET_USER, NPM]
