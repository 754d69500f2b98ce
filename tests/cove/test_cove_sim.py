"""The simulator speaks the Cove envelope (checked with plain requests, no SDK client)."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from cove_sdk.testing import CoveSimulator, FilterError, Fleet, FleetSpec, parse_filter


def rpc(sim: CoveSimulator, method: str, params: dict[str, Any], visa: str | None = None) -> Any:
    body: dict[str, Any] = {"jsonrpc": "2.0", "id": "jsonrpc", "method": method, "params": params}
    if visa:
        body["visa"] = visa
    response = requests.post(f"{sim.url}/jsonapi", json=body, timeout=10)
    assert response.status_code == 200, "errors travel over HTTP 200"
    return response.json()


def login(sim: CoveSimulator) -> Any:
    return rpc(
        sim,
        "Login",
        {"partner": sim.partner_name, "username": sim.username, "password": sim.password},
    )


@pytest.fixture
def sim() -> Any:
    with CoveSimulator(fleet=FleetSpec(devices=30, seed=7)) as s:
        yield s


def test_login_gives_a_top_level_visa(sim: CoveSimulator) -> None:
    reply = login(sim)
    assert reply["visa"].startswith(f"{sim.fleet.msp.id}-")
    assert reply["result"]["result"]["PartnerId"] == sim.fleet.msp.id


def test_bad_credentials_and_visa_errors(sim: CoveSimulator) -> None:
    bad = rpc(sim, "Login", {"partner": "Acme MSP", "username": sim.username, "password": "x"})
    assert bad["error"] == {
        "code": -32603,
        "message": "Unknown partner/username or bad password",
        "data": 2100,
    }
    assert rpc(sim, "GetServerInfo", {})["error"]["data"] == 1701
    visa = login(sim)["visa"]
    inside = rpc(sim, "GetServerInfo", {"visa": visa}, visa=None)
    assert inside["error"]["data"] == 1701, "a visa inside params is rejected"


def test_visa_rotation_and_expiry_on_the_clock(sim: CoveSimulator) -> None:
    first = login(sim)["visa"]
    second = rpc(sim, "GetServerInfo", {}, first)["visa"]
    assert second != first
    assert "result" in rpc(sim, "GetServerInfo", {}, first), "older visas keep the chain"
    sim.old_visas_valid = False
    assert rpc(sim, "GetServerInfo", {}, first)["error"]["data"] == 1701
    latest = rpc(sim, "GetServerInfo", {}, login(sim)["visa"])["visa"]
    sim.clock.advance(sim.visa_lifetime + 1)
    expired = rpc(sim, "GetServerInfo", {}, latest)
    assert expired["error"]["data"] == 1701


def test_statistics_rows_paging_and_string_values(sim: CoveSimulator) -> None:
    visa = login(sim)["visa"]
    query = {
        "PartnerId": sim.fleet.msp.id,
        "SelectionMode": "Merged",
        "StartRecordNumber": 20,
        "RecordsCount": 20,
        "Columns": ["I1", "I14", "D09F00", "D9F0", "NOSUCHCODE"],
    }
    reply = rpc(sim, "EnumerateAccountStatistics", {"query": query}, visa)
    rows = reply["result"]["result"]
    assert len(rows) == 10
    settings = {k: v for s in rows[0]["Settings"] for k, v in s.items()}
    assert {"I1", "I14"} <= set(settings)
    assert "NOSUCHCODE" not in settings, "unknown codes are silently left out"
    assert settings["D09F00"] == settings["D9F0"], "echoed as requested, each spelling"
    assert all(isinstance(v, str) for v in settings.values())
    no_columns = dict(query, Columns=None)
    del no_columns["Columns"]
    assert (
        rpc(sim, "EnumerateAccountStatistics", {"query": no_columns}, visa)["result"]["result"]
        is None
    )


def test_column_allow_list(sim: CoveSimulator) -> None:
    sim.allow_columns(sim.username, ["I1"])
    visa = login(sim)["visa"]
    query = {"PartnerId": sim.fleet.msp.id, "Columns": ["I1", "D01F00"], "RecordsCount": 5}
    reply = rpc(sim, "EnumerateAccountStatistics", {"query": query}, visa)
    assert reply["error"]["data"] == 13501
    assert "visa" in reply, "error replies carry a visa too"


def test_unknown_method(sim: CoveSimulator) -> None:
    visa = login(sim)["visa"]
    reply = rpc(sim, "EnumerateStatistics", {}, visa)
    assert reply["error"]["code"] == -32601


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("I1 == 'pc'", {"I1": "pc"}, True),
        ("I1 != 'pc'", {"I1": "pc"}, False),
        ("I1 =~ 'P?*'", {"I1": "pc-1"}, True),
        ("I14 > 10 AND I14 <= 20", {"I14": "15"}, True),
        ("I14 > 10 && (I1 == 'a' || I1 == 'b')", {"I14": "15", "I1": "b"}, True),
        ("NOT I1 == 'a'", {"I1": "a"}, False),
        ("!(I1 == 'a') or I14 == 1", {"I1": "a", "I14": "1"}, True),
        ("I1 == 'O''Brien'", {"I1": "O'Brien"}, True),
        ("D9F0 == Session.Completed", {"D9F0": "5"}, True),
        ("I6 > 1.days().ago()", {"I6": "1795000000"}, True),
        ("ANY =~ '*srv*'", {"ANY": ["ws-1", "srv-2"]}, True),
        ("0 != 1", {}, True),
        ("", {}, True),
    ],
)
def test_filter_language(text: str, values: dict[str, Any], expected: bool) -> None:
    test = parse_filter(text, now=1_795_000_100)
    assert test(values.get) is expected


@pytest.mark.parametrize("text", ["I1 in (1,2)", "I1 ==", "(I1 == 1", "I1 == 1 junk", "I1 ~ 'x'"])
def test_unsupported_filters_are_clear_errors(text: str) -> None:
    with pytest.raises(FilterError):
        parse_filter(text, now=0)


def test_fleet_is_deterministic_by_seed() -> None:
    a = Fleet(FleetSpec(devices=50, seed=3), now=1_795_000_000)
    b = Fleet(FleetSpec(devices=50, seed=3), now=1_795_000_000)
    c = Fleet(FleetSpec(devices=50, seed=4), now=1_795_000_000)
    assert [d.value("D9F0") for d in a.devices] == [d.value("D9F0") for d in b.devices]
    assert [d.name for d in a.devices] == [d.name for d in b.devices]
    assert [d.value("I14") for d in a.devices] != [d.value("I14") for d in c.devices]
    statuses = {d.value("D9F0") for d in Fleet(FleetSpec(devices=2000), now=0).devices}
    assert {"5", "8", "2", "1"} <= statuses, "a realistic status mix"


def test_active_sources_come_in_all_three_formats() -> None:
    fleet = Fleet(FleetSpec(devices=30, seed=1), now=1_795_000_000)
    formats = {d.value("I78") for d in fleet.devices if d.sources and len(d.sources) > 1}
    assert any("," in f for f in formats if f)
    assert any(f.startswith("D0") and "," not in f for f in formats if f)


def test_refused_logins_and_visas_carry_no_visa_but_other_errors_do(sim: CoveSimulator) -> None:
    bad_login = rpc(sim, "Login", {"partner": sim.partner_name, "username": "x", "password": "y"})
    assert bad_login["error"]["data"] == 2100
    assert "visa" not in bad_login
    refused = rpc(sim, "EnumerateAccounts", {"partnerId": sim.fleet.msp.id}, visa="not-a-visa")
    assert refused["error"]["data"] == 1701
    assert "visa" not in refused
    visa = login(sim)["visa"]
    bad_params = rpc(sim, "GetPartnerInfoById", {"partnerId": "not a number"}, visa=visa)
    assert "error" in bad_params
    assert bad_params["visa"] != visa
