"""The vendor's "never" sentinels (0, empty, 2147483647) decode as None, and re-encode."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from cove_sdk import CoveClient
from cove_sdk.models import (
    AccountInfo,
    ChildPartner,
    ReportingSession,
    converter,
    is_never_time,
    raw_time,
)
from cove_sdk.statistics import decode_page
from cove_sdk.testing import CoveSimulator
from cove_sdk.testing.fleet import NEVER


@pytest.mark.parametrize(
    ("value", "never"),
    [
        (None, True),
        (0, True),
        ("0", True),
        ("", True),
        ("  ", True),
        (2147483647, True),
        ("2147483647", True),
        (2147483647.0, True),
        (1700000000, False),
        ("1700000000", False),
        (False, False),
        ("soon", False),
        ([], False),
    ],
)
def test_never_sentinels(value: object, never: bool) -> None:
    assert is_never_time(value) is never


def test_expiration_never_is_none_and_written_back() -> None:
    wire = {"Id": 7, "CreationTime": 1700000000, "ExpirationTime": 2147483647, "RemovalTime": 0}
    account = converter.structure(wire, AccountInfo)
    assert account.expiration_time is None, "not 2038-01-19"
    assert account.removal_time is None
    assert account.creation_time == datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)
    assert raw_time(account, "expiration_time") == 2147483647
    assert raw_time(account, "removal_time") is None
    assert raw_time(account, "creation_time") == 1700000000
    out = converter.unstructure(account)
    assert out["ExpirationTime"] == 2147483647 and out["RemovalTime"] == 0
    assert out["CreationTime"] == 1700000000


def test_sentinels_as_text_and_after_an_edit() -> None:
    account = converter.structure({"Id": 1, "ExpirationTime": "2147483647"}, AccountInfo)
    assert account.expiration_time is None
    assert converter.unstructure(account)["ExpirationTime"] == "2147483647"
    blank = converter.structure({"Id": 1, "ExpirationTime": ""}, AccountInfo)
    assert converter.unstructure(blank)["ExpirationTime"] == "", "written back as it came"
    real = datetime(2030, 1, 1, tzinfo=timezone.utc)
    account.expiration_time = real  # type: ignore[assignment]
    assert converter.unstructure(account)["ExpirationTime"] == int(real.timestamp())


def test_nested_and_other_models() -> None:
    tree = converter.structure(
        {
            "Info": {"Id": 1, "TrialExpirationTime": 2147483647},
            "Children": [{"Info": {"Id": 2, "TrialExpirationTime": "1800000000"}}],
        },
        ChildPartner,
    )
    assert tree.info.trial_expiration_time is None
    assert tree.children[0].info.trial_expiration_time is not None
    back = converter.unstructure(tree)
    assert back["Info"]["TrialExpirationTime"] == 2147483647
    session = converter.structure({"Id": 1, "EndTime": 2147483647}, ReportingSession)
    assert session.end_time is None


def test_statistics_time_columns() -> None:
    settings = [{"I5": "2147483647"}, {"D01F09": "2147483647"}, {"I4": "1700000000"}]
    (row,) = decode_page([{"AccountId": 1, "Settings": settings}])
    assert row.expiration is None
    assert row.source(1).last_success is None
    assert row.raw["I5"] == "2147483647", "the raw value is kept"
    assert row.created == datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)


def test_never_from_the_simulator(client: CoveClient, sim: CoveSimulator) -> None:
    accounts = client.enumerate_accounts(client.user.partner_id)
    assert accounts and all(a.expiration_time is None for a in accounts)
    assert raw_time(accounts[0], "expiration_time") == NEVER
    rows = client.enumerate_account_statistics(client.user.partner_id, ["I1", "I5"])
    expiring = {d.account_id: d.expiration() for d in sim.fleet.devices}
    for row in rows:
        if expiring[row.account_id] == NEVER:
            assert row.expiration is None
        else:
            assert row.expiration is not None
            assert row.expiration.timestamp() == expiring[row.account_id]
    assert any(r.expiration for r in rows) and any(r.expiration is None for r in rows)
