"""Password, TOTP codes and session keys never reach logs, reprs or exception messages."""

from __future__ import annotations

import logging

import pytest

from backup_sdk import errors as e
from comet_sdk import CometAdminClient
from comet_sdk.testing import CometSimulator

PASSWORD = "Comet-Secret-Canary-42"


def test_no_secret_in_logs_reprs_or_errors(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="comet_sdk")
    texts: list[str] = []
    with CometSimulator(password=PASSWORD, require_totp=True) as sim:
        code = sim.issue_totp()
        client = CometAdminClient(sim.url, username=sim.username, password=PASSWORD, totp=code)
        version = client.admin_meta_version()
        key = client._credentials.current
        assert key is not None
        session_key = key.get_secret_value()
        texts += [repr(client), repr(version)]
        props = client.admin_account_properties()
        texts.append(repr(props))
        wrong = CometAdminClient(sim.url, username=sim.username, password=PASSWORD + "x")
        with pytest.raises(e.AuthenticationError) as info:
            wrong.admin_list_users()
        texts += [str(info.value), repr(info.value)]
    logs = [r.getMessage() for r in caplog.records]
    assert any("session-start" in line for line in logs), "DEBUG logs show the calls"
    everything = "\n".join(texts + logs)
    for secret in (PASSWORD, code, session_key):
        assert secret not in everything
