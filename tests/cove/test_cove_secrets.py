"""Password, visas and device tokens never reach logs, reprs or exception messages."""

from __future__ import annotations

import logging

import pytest

from backup_sdk import errors as e
from cove_sdk import CoveClient
from cove_sdk.testing import CoveSimulator, FleetSpec

PASSWORD = "Cove-Secret-Canary-77"


def test_no_secret_in_logs_reprs_or_errors(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="cove_sdk")
    texts: list[str] = []
    with CoveSimulator(fleet=FleetSpec(devices=10)) as sim:
        sim.add_user("watcher", PASSWORD, partner=sim.partner_name)
        client = CoveClient(
            sim.base_url,
            partner=sim.partner_name,
            username="watcher",
            password=PASSWORD,
            reporting_url=sim.reporting_url,
        )
        texts += [repr(client), repr(client.user)]
        visas = []
        for _ in range(3):
            client.get_server_info()
            chain = client._credentials.current
            assert chain is not None
            visas.append(chain.get_secret_value())
        account = client.enumerate_accounts(client.user.partner_id)[0]
        texts.append(repr(account))
        reporting = client.reporting(account.id)
        texts.append(repr(reporting.account))
        reporting.query_sessions(size=2)
        sim.expire_visas()
        client.get_server_info()
        wrong = CoveClient(
            sim.base_url, partner=sim.partner_name, username="watcher", password=PASSWORD + "!"
        )
        with pytest.raises(e.AuthenticationError) as info:
            wrong.get_server_info()
        texts += [str(info.value), repr(info.value)]
        token = account.token
        assert token
    logs = [r.getMessage() for r in caplog.records]
    assert any("Login" in line for line in logs), "DEBUG logs show the calls"
    everything = "\n".join(texts + logs)
    for secret in [PASSWORD, token, *visas]:
        assert secret not in everything
