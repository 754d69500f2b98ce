"""Multi-valued columns: lists stay lists; nothing joins or truncates them silently."""

from __future__ import annotations

import pytest

from backup_sdk.errors import ResponseDecodeError
from cove_sdk import CoveClient
from cove_sdk.statistics import StatisticsRow, decode_page
from cove_sdk.testing import CoveSimulator


def _row(value: object) -> StatisticsRow:
    (row,) = decode_page([{"AccountId": 3, "Settings": [{"I19": value}, {"I1": ["pc-3"]}]}])
    return row


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["10.0.0.1", "192.168.1.5"], ["10.0.0.1", "192.168.1.5"]),
        ("10.0.0.1;192.168.1.5", ["10.0.0.1", "192.168.1.5"]),
        ("10.0.0.1, 192.168.1.5,", ["10.0.0.1", "192.168.1.5"]),
        ("10.0.0.1", ["10.0.0.1"]),
        ("", []),
        ([], []),
        (5, ["5"]),
    ],
)
def test_values_reads_every_form(value: object, expected: list[str]) -> None:
    assert _row(value).values("I19") == expected
    assert _row(value).values("I0") == [], "absent"


def test_single_value_accessors_refuse_several_values() -> None:
    row = _row(["10.0.0.1", "192.168.1.5"])
    with pytest.raises(ResponseDecodeError, match=r"I19 is not a single value.*values\(\)"):
        row.text("I19")
    assert row.device_name == "pc-3", "a one-element list gives its element"
    assert row.raw["I19"] == ["10.0.0.1", "192.168.1.5"]
    assert row.to_record()["I19"] == ["10.0.0.1", "192.168.1.5"], "records keep the list"
    (two,) = decode_page([{"AccountId": 1, "Settings": [{"D1F0": ["5", "2"]}, {"I14": ["9"]}]}])
    with pytest.raises(ResponseDecodeError, match="D1F0"):
        _ = two.source(1).last_status
    assert two.used_storage == 9
    assert two.text("I14") == "9"
    assert _row([]).text("I19") is None


def test_multi_valued_columns_from_the_simulator(client: CoveClient, sim: CoveSimulator) -> None:
    rows = client.enumerate_account_statistics(client.user.partner_id, ["I1", "I19", "I20", "I32"])
    servers = [r for r in rows if r.integer("I32") == 2]
    assert servers
    for row in servers:
        device = sim.fleet.by_account[row.account_id]
        assert isinstance(row.raw["I20"], list), "sent as a JSON list"
        assert row.values("I20") == device.external_ips()
        assert ";" in str(row.raw["I19"])
        assert row.values("I19") == device.internal_ips().split(";")
        assert len(row.values("I19")) == 2
