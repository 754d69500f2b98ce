"""Password, tokens and private keys never reach logs, reprs or exception messages."""

from __future__ import annotations

import logging

import pytest

from backup_sdk import errors as e
from npm_backup_sdk import NpmBackupClient, Server
from npm_backup_sdk.testing import NpmBackupSimulator

PASSWORD = "Npm-Secret-Canary-551"


def test_no_secret_in_logs_reprs_or_errors(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="npm_backup_sdk")
    texts: list[str] = []
    with NpmBackupSimulator(password=PASSWORD) as sim:
        client = NpmBackupClient(base_url=sim.url, username=sim.username, password=PASSWORD)
        token = client.login()
        texts += [repr(client), repr(token), str(token)]
        created = client.servers.create(Server(name="f", host="h", path="/p", user="u"))
        private_key = created.new_private_key
        assert private_key is not None
        texts.append(repr(created))
        sim.expire_tokens()
        client.servers.list()  # re-login logged at INFO
        wrong = NpmBackupClient(base_url=sim.url, username=sim.username, password=PASSWORD + "x")
        with pytest.raises(e.AuthenticationError) as info:
            wrong.servers.list()
        texts += [str(info.value), repr(info.value)]
        access = client._credentials.current
        assert access is not None
        secrets = [PASSWORD, access.get_secret_value(), token.access_token, private_key]
        if token.refresh_token:
            secrets.append(token.refresh_token)
    logs = [r.getMessage() for r in caplog.records]
    assert any("mgmt.aaa" in line for line in logs), "DEBUG logs are on and show the calls"
    everything = "\n".join(texts + logs)
    for secret in secrets:
        assert secret not in everything
