"""What the contract suite needs from each vendor: one adapter per vendor (and variant).

Every contract test is written once, against :class:`Vendor`, and runs for all three
vendors. An adapter says how to start the vendor's simulator on a frozen clock, build a
client for it, make a safe read, a write and a paginated read, count logins at the server,
and make the server drop or expire the credentials it issued.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs

from backup_sdk.client import BaseClient
from backup_sdk.testing import SimClock, SimulatorServer
from comet_sdk import CometAdminClient
from comet_sdk.testing import CometFleetSpec, CometSimulator
from cove_sdk import CoveClient
from cove_sdk.testing import CoveSimulator, FleetSpec
from npm_backup_sdk import NpmBackupClient, Server
from npm_backup_sdk.testing import NpmBackupSimulator

__all__ = ["VENDORS", "Vendor"]

UTC_2026 = datetime(2026, 1, 1, tzinfo=timezone.utc)


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
        writes_applied: how many times the server carried the write out.
        paged: a multi-page read; returns the items.
        logins: logins the server has seen.
        revoke: makes the server forget every credential it issued.
        lifetime: seconds after which the client must renew its credentials by itself
            (None when the vendor states no lifetime).
        lost_reply_relogs: a reply lost after the server acted costs a new login (a chain
            whose server accepts only the newest credential: the lost reply carried it).
        read_path: a text in the path (or body) of the read's request (to aim faults at it).
        paged_path: the same for the paginated read.
        empty_object_is_valid: ``{}`` is a legitimate answer to the read (Comet omits
            empty fields; the appliance's collections may omit ``items``), so it decodes to
            defaults instead of failing.
        empty_page_object_is_valid: the same for the paginated read.
        null_list_is_empty: the vendor sends an empty list as ``null`` (Comet's servers
            are written in Go: a nil slice encodes as null), so null decodes to ``[]``.
        with_password: starts the simulator with a given password (for canaries).
        secret_calls: calls that carry secrets (logins, secret fields); returns the
            secret values the server handed out, to search for as well.
        bad_calls: calls with arguments the SDK must refuse before sending anything.
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
    read_path: str
    paged_path: str
    with_password: Callable[[SimClock, str], Any]
    secret_calls: Callable[[Any, Any], list[str]]
    bad_calls: tuple[Callable[[Any], object], ...] = ()
    lost_reply_relogs: bool = False
    empty_object_is_valid: bool = False
    empty_page_object_is_valid: bool = False
    null_list_is_empty: bool = False

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
    return len(sim.handled("UpdateAccountCustomColumnValues"))


def _cove_with_password(clock: SimClock, password: str) -> CoveSimulator:
    sim = CoveSimulator(fleet=FleetSpec(devices=12, seed=3), clock=clock)
    sim.password = password
    sim.add_user(sim.username, password, partner=sim.partner_name)
    return sim


def _cove_secrets(client: CoveClient, sim: CoveSimulator) -> list[str]:
    found: list[str] = []
    for _ in range(3):
        client.get_server_info()
        visa = client._credentials.current
        assert visa is not None
        found.append(visa.get_secret_value())
    account = client.enumerate_account_statistics(client.user.partner_id, ["I1"], count=1)[0]
    lookup = client.get_account_info_by_id(account.account_id)
    if lookup.account.token:
        found.append(lookup.account.token)
    if lookup.account.password:
        found.append(lookup.account.password)
    client.reporting(account.account_id).query_sessions(size=2)
    for endpoint in client.enumerate_account_remote_access_endpoints(account.account_id):
        url = str(endpoint.get("WebRcgUrl", ""))
        if "auth_token=" in url:
            found.append(url.split("auth_token=", 1)[1])
    return found


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
    bad_calls=(
        lambda c: c.enumerate_account_statistics(1, []),
        lambda c: c.enumerate_account_statistics(1, "I1"),
        lambda c: c.enumerate_account_statistics(1, ["I1"], count=0),
        lambda c: c.enumerate_account_statistics("1", ["I1"]),
        lambda c: c.enumerate_account_history_statistics(datetime(2026, 1, 1), 1, ["I1"]),
        lambda c: c.iter_account_statistics(1, ["I1"], page_size=0),
    ),
    read_path="GetServerInfo",
    paged_path="EnumerateAccountStatistics",
    with_password=_cove_with_password,
    secret_calls=_cove_secrets,
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


def _comet_secrets(client: CometAdminClient, sim: CometSimulator) -> list[str]:
    client.admin_meta_version()
    key = client._credentials.current
    found = [key.get_secret_value()] if key is not None else []
    users = client.admin_list_users()
    profile = client.admin_get_user_profile(users[0])
    found += [v for v in (profile.password_hash, profile.totp_key) if v]
    client.admin_account_properties()
    return found


COMET = Vendor(
    name="comet",
    vendor="comet",
    start=lambda clock: CometSimulator(fleet=CometFleetSpec(users=4, jobs=40, seed=3), clock=clock),
    client=_comet_client,
    read=lambda client: client.admin_meta_version(),
    write=lambda client: client.admin_add_user(f"contract-{id(client)}", "Contract-pw-1"),
    write_path="/add-user",
    writes_applied=lambda sim: len(sim.handled("/add-user")),
    paged=lambda client: list(client.admin_list_users()),
    logins=lambda sim: sim.logins,
    revoke=lambda sim: sim.revoke_all_sessions(),
    lifetime=None,
    bad_calls=(
        lambda c: c.iter_jobs(datetime(2026, 1, 1)),
        lambda c: c.iter_jobs(UTC_2026, UTC_2026 - timedelta(hours=1)),
        lambda c: c.iter_jobs(UTC_2026, UTC_2026, overlap=timedelta(hours=-3)),
        lambda c: c.admin_get_jobs_for_date_range(datetime(2026, 1, 1), UTC_2026),
    ),
    read_path="/meta/version",
    paged_path="/list-users",
    empty_object_is_valid=True,
    null_list_is_empty=True,
    with_password=lambda clock, password: CometSimulator(
        fleet=CometFleetSpec(users=2, jobs=10, seed=3), clock=clock, password=password
    ),
    secret_calls=_comet_secrets,
)

COMET_TOTP = attrs.evolve(
    COMET, name="comet-totp", start=_comet_totp_sim, client=_comet_totp_client
)

# -- the appliance ---------------------------------------------------------------------------


def _npm_write(client: NpmBackupClient) -> object:
    return client.servers.create(Server(name="contract", host="h.example", path="/p", user="u"))


def _npm_secrets(client: NpmBackupClient, sim: NpmBackupSimulator) -> list[str]:
    token = client.login()
    created = client.servers.create(Server(name="c", host="h.example", path="/p", user="u"))
    found = [token.access_token]
    if token.refresh_token:
        found.append(token.refresh_token)
    if created.new_private_key:
        found.append(created.new_private_key)
    sim.expire_tokens()
    client.servers.list()
    return found


NPM = Vendor(
    name="npm_backup",
    vendor="npm_backup",
    start=lambda clock: NpmBackupSimulator(seed=3, clock=clock),
    client=lambda sim, **options: sim.client(**options),
    read=lambda client: client.servers.list(),
    write=_npm_write,
    write_path="/servers",
    writes_applied=lambda sim: sum(
        1 for r in sim.handled("/api/npm.backup/2.0/servers") if r.method == "POST"
    ),
    paged=lambda client: client.scheduled_backups.list(),
    logins=lambda sim: sim.logins,
    revoke=lambda sim: sim.expire_tokens(),
    lifetime=3600.0,
    bad_calls=(
        lambda c: c.wait_for_operation(operation_type="backup", poll_interval=-1),
        lambda c: c.wait_for_operation(operation_type="backup", timeout=float("nan")),
        lambda c: c.wait_for_operation(operation_type=42),
        lambda c: c.completed_backups.iter_download(1, "b", chunk_size=0),
        lambda c: c.completed_backups.get(1, "../../etc"),
        lambda c: c.backups.list("1"),
        lambda c: c.backups.upload(1, 42),
    ),
    read_path="/servers",
    paged_path="/scheduled_backups",
    empty_object_is_valid=True,
    empty_page_object_is_valid=True,
    with_password=lambda clock, password: NpmBackupSimulator(
        seed=3, clock=clock, password=password
    ),
    secret_calls=_npm_secrets,
)

VENDORS = [COVE, COVE_NEWEST_VISA_ONLY, COMET, COMET_TOTP, NPM]
