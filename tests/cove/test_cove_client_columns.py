"""The client's column checks, refused-column search and 13501 messages at the simulator."""

from __future__ import annotations

from typing import Any

import pytest

from backup_sdk import errors as e
from cove_sdk import ColumnsRefusedError, CoveClient
from cove_sdk.columns import UnknownColumnWarning, statistics_columns
from cove_sdk.errors import error_from_rpc
from cove_sdk.testing import CoveSimulator
from tests.support.cove import user_client

#: 30 columns: 8 properties and 7 fields of three data sources, and Total's last status.
COLUMNS = [
    *["I1", "I8", "I14", "I18", "I32", "I59", "I78", "I6"],
    *statistics_columns([0, 6, 9, 15, 17, 18, 12], [1, 7, 10]),
    "D09F00",
]
REFUSAL = {"code": -32603, "message": "Operation failed because of security reasons"}


def _statistics_calls(sim: CoveSimulator) -> list[dict[str, Any]]:
    bodies = [r.json() for r in sim.received("/jsonapi")]
    return [b for b in bodies if b.get("method") == "EnumerateAccountStatistics"]


def _scoped(sim: CoveSimulator, refused: list[str]) -> CoveClient:
    sim.add_user("scoped", "Scoped-pw-1", partner=sim.partner_name)
    sim.allow_columns("scoped", [c for c in COLUMNS if c not in refused])
    return user_client(sim, "scoped", "Scoped-pw-1")


@pytest.mark.parametrize(
    ("refused", "calls"),
    [
        (["I14"], 8),  # the bisection it replaced: 12
        (["I14", "D01F15", "D10F00"], 21),  # was 26
        ([c for c in COLUMNS if c.startswith("D07")][:5], 14),  # was 16
    ],
)
def test_refused_columns_among_thirty_cost_these_calls_once(
    sim: CoveSimulator, refused: list[str], calls: int
) -> None:
    client = _scoped(sim, refused)
    partner = client.user.partner_id
    with pytest.raises(ColumnsRefusedError) as info:
        client.enumerate_account_statistics(partner, COLUMNS)
    assert info.value.columns == [c for c in COLUMNS if c in refused]
    assert len(_statistics_calls(sim)) == calls, "the call itself and its probes"
    page = client.enumerate_account_statistics(partner, COLUMNS)
    assert len(_statistics_calls(sim)) == calls + 1, "remembered: no search again"
    assert page.dropped_columns == info.value.columns
    assert len(page) == len(sim.fleet.devices)


def test_the_memory_belongs_to_one_client(sim: CoveSimulator) -> None:
    first = _scoped(sim, ["I14"])
    partner = first.user.partner_id
    with pytest.raises(ColumnsRefusedError):
        first.enumerate_account_statistics(partner, COLUMNS)
    other = user_client(sim, "scoped", "Scoped-pw-1")
    with pytest.raises(e.PermissionDeniedError):
        other.enumerate_account_statistics(partner, COLUMNS, diagnose_refusals=False)
    assert _statistics_calls(sim)[-1]["params"]["query"]["Columns"] == COLUMNS


def test_unknown_codes_warn_at_the_caller_and_are_still_sent(
    client: CoveClient, sim: CoveSimulator
) -> None:
    partner = client.user.partner_id
    with pytest.warns(UnknownColumnWarning, match="'I131'") as w:
        page = client.enumerate_account_statistics(partner, ["I1", "I131"], count=1)
    assert w[0].filename == __file__
    assert _statistics_calls(sim)[-1]["params"]["query"]["Columns"] == ["I1", "I131"]
    assert "I131" not in page[0].raw, "the service drops it silently"


def test_strict_columns_raise_before_anything_is_sent(
    client: CoveClient, sim: CoveSimulator
) -> None:
    partner = client.user.partner_id
    with pytest.raises(e.ValidationError, match="Do9F00") as info:
        client.enumerate_account_statistics(partner, ["I1", "Do9F00"], strict_columns=True)
    assert info.value.parameter == "columns"
    rows = client.iter_account_statistics(partner, ["I1", "I131"], strict_columns=True)
    with pytest.raises(e.ValidationError, match="I131"):
        next(iter(rows))
    assert _statistics_calls(sim) == []


def test_13501_for_enumerate_accounts_points_at_the_statistics_call(sim: CoveSimulator) -> None:
    customer = next(p for p in sim.fleet.partners.values() if p.level == "EndCustomer")
    sim.add_user("customer-api", "Customer-pw-1", partner=customer.name)
    client = CoveClient(
        sim.base_url, partner=customer.name, username="customer-api", password="Customer-pw-1"
    )
    with pytest.raises(e.PermissionDeniedError) as info:
        client.enumerate_accounts(sim.fleet.msp.id)
    text = str(info.value)
    assert info.value.code == 13501 and not isinstance(info.value, ColumnsRefusedError)
    assert "customer-scoped" in text and "EnumerateAccountStatistics" in text
    assert "column" not in text
    rows = client.enumerate_account_statistics(customer.id, ["I1"])
    assert {r.account_id for r in rows} == {
        d.account_id for d in sim.fleet.devices if d.partner_id == customer.id
    }


@pytest.mark.parametrize(
    ("operation", "says", "never"),
    [
        ("EnumerateAccounts", "EnumerateAccountStatistics instead", "column"),
        ("EnumerateAccountStatistics", "one restricted column", "EnumerateAccounts"),
        ("GetAccountInfoById", "does not allow GetAccountInfoById", "column"),
    ],
)
def test_each_13501_message_fits_its_method(operation: str, says: str, never: str) -> None:
    error = error_from_rpc({**REFUSAL, "data": 13501}, operation=operation)
    assert isinstance(error, e.PermissionDeniedError)
    assert says in str(error) and never not in str(error)


def test_docs_say_which_error_replies_carry_no_visa() -> None:
    from pathlib import Path

    text = " ".join((Path(__file__).parents[2] / "docs" / "cove.md").read_text().split())
    assert "a failed login (2100) and a refused visa (1701) carry none" in text
    assert "errors included" not in text
