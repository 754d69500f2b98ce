"""Totals come back as strings; the page types them and keeps the strings."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from backup_sdk.models import UnixTime
from cove_sdk import CoveClient
from cove_sdk.statistics import StatisticsPage, decode_page, decode_total
from cove_sdk.testing import CoveSimulator

RAW: list[dict[str, str | int]] = [
    {"COUNT(1)": "2500"},
    {"COUNT(AT==1)": "2380"},
    {"SUM(I14)": "586755749630"},
    {"SUM(T3)": "1.5E+3"},
    {"SUM(D09F12)": "7200"},
    {"MAX(I6)": "1700000000"},
    {"MIN(D09F09)": "0"},
    {"MAX(I5)": "2147483647"},
    {"SUM(I6)": "3400000000"},
    {"MAX(I1)": "pc-99"},
    {"SUM((AT!=2)*T3)": "123.5"},
    {"COUNT(TL>1.day().ago())": 17},
    {"COUNT(1 )": "lots"},
    {"MAX(D1F15)": ""},
]


def test_totals_are_typed_and_the_raw_strings_kept() -> None:
    page = decode_page([], RAW)
    t = page.totals
    assert t["COUNT(1)"] == 2500 and isinstance(t["COUNT(1)"], int)
    assert t["COUNT(AT==1)"] == 2380
    assert t["SUM(I14)"] == 586_755_749_630
    assert t["SUM(T3)"] == 1500 and isinstance(t["SUM(T3)"], int), "legacy code, size column"
    assert t["SUM(D09F12)"] == 7200
    newest = t["MAX(I6)"]
    assert isinstance(newest, UnixTime)
    assert newest == datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)
    assert newest.raw == "1700000000"
    assert t["MIN(D09F09)"] is None, "0 is never"
    assert t["MAX(I5)"] is None, "2147483647 is never"
    assert t["SUM(I6)"] == 3_400_000_000, "a sum of times is seconds, not a time"
    assert t["MAX(I1)"] == "pc-99", "text columns stay text"
    assert t["SUM((AT!=2)*T3)"] == 123.5
    assert t["COUNT(TL>1.day().ago())"] == 17
    assert t["COUNT(1 )"] == "lots", "what does not read as expected is kept"
    assert t["MAX(D1F15)"] is None
    assert page.raw_totals["COUNT(1)"] == "2500"
    assert page.raw_totals == {k: v for entry in RAW for k, v in entry.items()}


@pytest.mark.parametrize(
    ("expression", "value", "expected"),
    [
        ("count(1)", "3", 3),
        ("SUM(US)", 10.0, 10),
        ("MIN(D1F9)", "nan", "nan"),
        ("AVG(I14)", "2.5", 2.5),
        ("COUNT(1)", None, None),
    ],
)
def test_decode_total(expression: str, value: str | float | None, expected: object) -> None:
    assert decode_total(expression, value) == expected


def test_a_page_built_by_hand_types_its_totals() -> None:
    page = StatisticsPage([], {"COUNT(1)": "4"}, dropped_columns=["D02F00"])
    assert page.totals == {"COUNT(1)": 4}
    assert page.dropped_columns == ["D02F00"]
    assert StatisticsPage().totals == {} and StatisticsPage().dropped_columns == []


def test_totals_from_the_simulator(client: CoveClient, sim: CoveSimulator) -> None:
    partner = client.user.partner_id
    totals = client.account_statistics_totals(
        partner, ["COUNT(1)", "SUM(I14)", "MAX(I6)", "MIN(I4)", "MAX(I5)"]
    )
    devices = sim.fleet.devices
    assert totals["COUNT(1)"] == len(devices)
    assert totals["SUM(I14)"] == sum(d.used_storage for d in devices)
    assert totals["MAX(I6)"] == datetime.fromtimestamp(
        max(d.last_contact for d in devices), timezone.utc
    )
    assert isinstance(totals["MIN(I4)"], datetime)
    assert totals["MAX(I5)"] is None, "most devices never expire"
    sent = [r.json() for r in sim.received("/jsonapi")][-1]
    assert sent["params"]["query"]["Totals"][0] == "COUNT(1)"
