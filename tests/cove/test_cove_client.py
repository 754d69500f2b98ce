"""CoveClient against the simulated service (real HTTP on loopback)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from backup_sdk import errors as e
from cove_sdk import (
    AccountType,
    ColumnsRefusedError,
    CoveClient,
    MethodNotFoundError,
    PartnerLevel,
    SessionStatus,
    column,
    quote,
)
from cove_sdk.columns import LegacyColumnWarning
from cove_sdk.testing import CoveSimulator, FleetSpec
from tests.support.cove import make_client, user_client


def _bodies(sim: CoveSimulator, method: str) -> list[dict[str, Any]]:
    return [r.json() for r in sim.received("/jsonapi") if r.json().get("method") == method]


def test_login_is_lazy_and_the_visa_chains(client: CoveClient, sim: CoveSimulator) -> None:
    assert sim.logins == 0
    client.get_server_info()
    client.get_server_info()
    assert sim.logins == 1
    login, first, second = [r.json() for r in sim.received("/jsonapi")]
    assert "visa" not in login
    assert first["visa"] != second["visa"], "each reply's visa is used for the next call"
    assert "visa" not in first["params"], "the visa travels at the top level"


def test_visa_is_adopted_from_error_replies(client: CoveClient, sim: CoveSimulator) -> None:
    client.get_server_info()
    with pytest.raises(MethodNotFoundError):
        client.call("EnumerateStatistics")
    before_error = _bodies(sim, "EnumerateStatistics")[-1]["visa"]
    client.get_server_info()
    after = _bodies(sim, "GetServerInfo")[-1]["visa"]
    assert after != before_error


def test_expired_visa_never_surfaces(client: CoveClient, sim: CoveSimulator) -> None:
    client.get_server_info()
    sim.clock.advance(sim.visa_lifetime + 60)
    assert client.get_server_info().version
    assert sim.logins == 2
    sim.expire_visas()
    assert client.enumerate_locations()
    assert sim.logins == 3


def test_relogin_before_the_visa_lifetime_ends(sim: CoveSimulator) -> None:
    now = [0.0]
    client = make_client(sim, clock=lambda: now[0])
    client.get_server_info()
    now[0] += 13 * 60
    client.get_server_info()
    assert sim.logins == 1
    now[0] += 14 * 60 + 1
    client.get_server_info()
    assert sim.logins == 2, "logged in again before the 15 minutes ran out"


def test_wrong_partner_form_explains_the_fix(sim: CoveSimulator) -> None:
    short_name = sim.partner_name.split(" (")[0]
    client = CoveClient(
        sim.base_url, partner=short_name, username=sim.username, password=sim.password
    )
    with pytest.raises(e.AuthenticationError) as info:
        client.get_server_info()
    assert info.value.code == 2100
    assert "Company Name (admin@company.example)" in str(info.value)


def test_refused_columns_are_named_and_left_out_afterwards(sim: CoveSimulator) -> None:
    sim.add_user("scoped", "Scoped-pw-1", partner=sim.partner_name)
    sim.allow_columns("scoped", ["I1", "I18", "D09F00", "D01F00"])
    scoped = user_client(sim, "scoped", "Scoped-pw-1")
    partner = scoped.user.partner_id
    columns = ["I1", "I18", "I14", "D9F0", "D1F0", "D02F00", "D03F00"]
    before = len(_bodies(sim, "EnumerateAccountStatistics"))
    with (
        pytest.warns(LegacyColumnWarning, match="is a legacy data source"),
        pytest.raises(ColumnsRefusedError) as info,
    ):
        scoped.enumerate_account_statistics(partner, columns)
    probes = len(_bodies(sim, "EnumerateAccountStatistics")) - before - 1
    assert info.value.columns == ["I14", "D02F00", "D03F00"]
    assert "I14, D02F00, D03F00" in str(info.value)
    assert info.value.code == 13501
    assert isinstance(info.value, e.PermissionDeniedError)
    assert probes == 8
    with pytest.warns(LegacyColumnWarning):
        page = scoped.enumerate_account_statistics(partner, columns)
    assert page.dropped_columns == ["I14", "D02F00", "D03F00"]
    sent = _bodies(sim, "EnumerateAccountStatistics")[-1]["params"]["query"]["Columns"]
    assert sent == ["I1", "I18", "D9F0", "D1F0"], "known refusals are not asked for again"
    assert len(page) == len(sim.fleet.devices)


def test_a_refusal_that_is_not_about_columns_blames_none(client: CoveClient) -> None:
    with pytest.raises(e.PermissionDeniedError) as info:
        client.enumerate_account_statistics(1, ["I1", "I14"])  # the root: out of scope
    assert not isinstance(info.value, ColumnsRefusedError)


def test_out_of_scope_partner_is_permission_denied(client: CoveClient) -> None:
    with pytest.raises(e.PermissionDeniedError):
        client.get_partner_info_by_id(1)  # the root, above the user's partner


def test_codes_are_sent_as_given_and_found_whatever_the_echo(
    client: CoveClient, sim: CoveSimulator
) -> None:
    partner = client.user.partner_id
    columns = ["I1", "D9F0", "D01F09", column(1, 15, style="minimal")]
    page = client.enumerate_account_statistics(partner, columns, count=5)
    sent = _bodies(sim, "EnumerateAccountStatistics")[-1]["params"]["query"]["Columns"]
    assert sent == columns
    row = page[0]
    assert row.get("D09F00") == row.raw["D9F0"]
    assert row.source(1).last_success == row.time("D1F9")


def test_paging_stops_at_a_short_page(client: CoveClient, sim: CoveSimulator) -> None:
    rows = list(client.iter_account_statistics(client.user.partner_id, ["I1"], page_size=25))
    assert len(rows) == 60
    assert len({r.account_id for r in rows}) == 60
    starts = [
        b["params"]["query"]["StartRecordNumber"]
        for b in _bodies(sim, "EnumerateAccountStatistics")
    ]
    assert starts == [0, 25, 50]


def test_concurrent_paging_and_threads_share_one_client(
    client: CoveClient, sim: CoveSimulator
) -> None:
    partner = client.user.partner_id
    rows = list(client.iter_account_statistics(partner, ["I1"], page_size=10, concurrency=4))
    assert [r.account_id for r in rows] == sorted(d.account_id for d in sim.fleet.devices)
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(5):
                client.get_server_info()
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert sim.logins == 1


def test_filters_order_and_totals(client: CoveClient, sim: CoveSimulator) -> None:
    partner = client.user.partner_id
    servers = [d for d in sim.fleet.devices if d.os_type == 2]
    page = client.enumerate_account_statistics(
        partner,
        ["I1", "I14"],
        filter="I32 == 2",
        order_by="I14 DESC",
        totals=["COUNT(1)", "SUM(I14)", "COUNT(I59 == 2)"],
    )
    assert {r.account_id for r in page} == {d.account_id for d in servers}
    sizes = [r.used_storage or 0 for r in page]
    assert sizes == sorted(sizes, reverse=True)
    assert page.totals["COUNT(1)"] == len(servers)
    assert page.totals["SUM(I14)"] == sum(d.used_storage for d in servers)
    assert page.raw_totals["COUNT(1)"] == str(len(servers)), "as the service sent it"
    name = sim.fleet.devices[3].name
    one = client.enumerate_account_statistics(partner, ["I1"], filter=f"I1 == {quote(name)}")
    assert [r.device_name for r in one] == [name]
    with pytest.raises(e.InvalidRequestError, match="filter"):
        client.enumerate_account_statistics(partner, ["I1"], filter="I1 in (1, 2)")


def test_partners_accounts_and_generic_calls(client: CoveClient, sim: CoveSimulator) -> None:
    me = client.user.partner_id
    customers = client.enumerate_partners(me)
    assert customers and all(p.level is PartnerLevel.END_CUSTOMER for p in customers)
    tree = client.enumerate_child_partners(me)
    assert tree.info.id == me and tree.actual_child_count == len(customers)
    ancestors = client.enumerate_ancestor_partners(customers[0].id)
    assert [p.id for p in ancestors][:1] == [me]
    assert client.get_partner_info(customers[0].name).id == customers[0].id
    accounts = client.enumerate_accounts(me)
    assert len(accounts) == 60
    lookup = client.get_account_info_by_id(accounts[0].id)
    assert lookup.home_node.host == f"127.0.0.1:{sim.port}"
    assert lookup.account.token and lookup.account.token not in repr(lookup)
    assert client.call("GetServerInfo")["Version"] == "25.4"
    new_id = client.add_partner({"ParentId": me, "Name": "New Co (it@new.example)"})
    assert client.get_partner_info_by_id(new_id).name == "New Co (it@new.example)"
    client.remove_partner(new_id)
    client.update_account_custom_column_values(accounts[0].id, {2045: "Gold"})
    assert client.get_account_custom_column_values(accounts[0].id) == [[2045, "Gold"]]
    assert client.enumerate_columns(me)[0]["Code"] == "I0"
    assert client.enumerate_storage_nodes_by_account_id([accounts[0].id])
    assert client.enumerate_account_remote_access_endpoints(accounts[0].id)


def test_reporting_sessions_and_error_texts(client: CoveClient, sim: CoveSimulator) -> None:
    device = next(d for d in sim.fleet.devices if any(s.status == 2 for s in d.sources))
    reporting = client.reporting(device.account_id)
    sessions = reporting.query_sessions(size=100)
    assert sessions
    assert [s.start_time for s in sessions] == sorted(
        [s.start_time for s in sessions], key=lambda t: t.timestamp() if t else 0, reverse=True
    )
    failed = [s for s in sessions if s.status is SessionStatus.FAILED]
    assert failed
    errors = reporting.query_errors(failed[0].id)
    assert errors and all(err.session_id == failed[0].id for err in errors)
    assert errors[0].text
    only_files = reporting.query_sessions("Plugin == 1", size=100)
    assert all(s.data_source_number == 1 for s in only_files)
    sent = [r.json() for r in sim.received("/repserv_json")][-1]["params"]
    assert sent["account"] == device.name


def test_m365_devices_and_account_type(client: CoveClient, sim: CoveSimulator) -> None:
    rows = client.enumerate_account_statistics(client.user.partner_id, ["I59", "I78"])
    types = {r.account_type for r in rows}
    assert AccountType.BACKUP_MANAGER in types


def test_from_env_and_configuration() -> None:
    with pytest.raises(e.ConfigurationError) as missing:
        CoveClient.from_env({})
    assert str(missing.value) == "set COVE_PARTNER, COVE_USERNAME, COVE_PASSWORD"
    env = {"COVE_PARTNER": "Acme (a@b.example)", "COVE_USERNAME": "u", "COVE_PASSWORD": "p"}
    client = CoveClient.from_env({**env, "COVE_URL": "https://cove.example/jsonapi"})
    assert client.base_url == "https://cove.example/jsonapi"
    with pytest.warns(DeprecationWarning, match="COVE_API_URL is deprecated: set COVE_URL"):
        legacy = CoveClient.from_env({**env, "COVE_API_URL": "https://old.example/jsonapi"})
    assert legacy.base_url == "https://old.example/jsonapi"
    assert (
        CoveClient(partner="P", username="u", password="p").base_url
        == "https://api.backup.management/jsonapi"
    )
    with pytest.raises(e.ConfigurationError, match="CoveClient needs password"):
        CoveClient(partner="P", username="u", password="")


def test_positional_credentials_still_work_with_a_warning() -> None:
    with pytest.warns(DeprecationWarning, match="pass them as keywords"):
        client = CoveClient("P", "u", "p", base_url="https://cove.example/jsonapi")  # type: ignore[deprecated]
    assert client.partner == "P"
    assert client.base_url == "https://cove.example/jsonapi"


def test_vendor_errors_pickle_with_their_details() -> None:
    import pickle

    err = ColumnsRefusedError(
        "refused",
        vendor="cove_sdk",
        code=13501,
        operation="EnumerateAccountStatistics",
        columns=["I14"],
    )
    back = pickle.loads(pickle.dumps(err))
    assert back.columns == ["I14"]
    assert back.code == 13501
    assert str(back) == str(err)


def test_http_errors_from_proxies_are_typed(client: CoveClient, sim: CoveSimulator) -> None:
    client.get_server_info()
    sim.faults.fail_next(1, 500, body={"message": "upstream failed"})
    with pytest.raises(e.ServerError) as info:
        client.call("GetServerInfo", idempotent=False)
    assert info.value.status == 500
    sim.faults.fail_next(1, 502, body="<html>bad gateway</html>")
    with pytest.raises(e.ServerError, match="bad gateway"):
        client.call("GetServerInfo", idempotent=False)


def test_a_base_url_without_the_endpoint_says_what_a_right_one_looks_like(
    sim: CoveSimulator,
) -> None:
    client = CoveClient(sim.url, partner=sim.partner_name, username="u", password="p")
    with pytest.raises(e.NotFoundError) as info:
        client.get_server_info()
    assert "does not look like the Cove JSON-RPC endpoint" in str(info.value)
    assert "https://api.backup.management/jsonapi" in str(info.value)


@pytest.mark.parametrize("attempt", range(4))
def test_a_racing_server_that_accepts_only_the_newest_visa_costs_one_login_per_revocation(
    attempt: int,
) -> None:
    """Concurrent calls with one visa are all accepted and each gets a successor; the
    server then accepts only the one it issued last (not necessarily the one adopted)."""
    from tests.support.threads import run_together

    with CoveSimulator(
        fleet=FleetSpec(devices=5, seed=attempt), old_visas_valid=False, visa_race=0.003
    ) as sim:
        client = sim.client()
        client.get_server_info()
        for expiry in range(1, 3):
            sim.expire_visas()
            errors = run_together(16, lambda: [client.get_server_info() for _ in range(3)])
            assert errors == []
            assert sim.logins == 1 + expiry
