"""A secret given to a client appears in none of: DEBUG logs, reprs, exceptions, cassettes."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
import requests

from backup_sdk import errors as e
from backup_sdk.client import BaseClient
from backup_sdk.models import ModelConverter, WireModel, model, wire
from backup_sdk.redaction import Secret
from backup_sdk.testing import SimRequest, SimResponse, SimulatorServer, json_response
from backup_sdk.testing.cassettes import assert_cassette_clean, use_cassette
from backup_sdk.transport import CallInfo, RetryPolicy, json_handler

PASSWORD = "Tr0ub4dor&3-canary"
TOKEN = "tok-5f1c2e9a8b7d-canary"


class AuthSim(SimulatorServer):
    def handle(self, request: SimRequest) -> SimResponse:
        if request.path == "/login":
            return json_response({"access_token": TOKEN, "user": "ops"}, status=201)
        if request.path == "/fail":
            # a careless server that echoes the credentials in its error text
            return json_response(
                {"error_text": f"bad password {PASSWORD} for token {TOKEN}"}, status=401
            )
        return json_response({"ok": True, "echo": request.headers.get("Authorization")})


class SecretClient(BaseClient):
    package = "backup_sdk"

    def __init__(self, base_url: str, password: str) -> None:
        super().__init__(base_url=base_url, retry=RetryPolicy.none())
        self._password = Secret(password)
        self._token: Secret | None = None

    def login(self) -> None:
        body = self._transport.request(
            "POST",
            "/login",
            operation="Login",
            json={"username": "ops", "password": self._password.get_secret_value()},
            handler=json_handler,
        )
        self._token = Secret(body["access_token"])

    def get(self, path: str) -> Any:
        assert self._token is not None
        return self._transport.request(
            "GET",
            path,
            operation="Get",
            headers={"Authorization": f"Bearer {self._token.get_secret_value()}"},
            handler=json_handler,
        )


@model
class Creds(WireModel):
    user: str = wire("user")
    token: str = wire("access_token", secret=True)


def _exercise(client: SecretClient) -> list[str]:
    texts = []
    client.login()
    client.get("/data")
    with pytest.raises(e.AuthenticationError) as info:
        client.get("/fail")
    texts += [str(info.value), repr(info.value), str(info.value.body_excerpt)]
    texts.append(repr(client))
    creds = ModelConverter("backup_sdk").structure({"user": "ops", "access_token": TOKEN}, Creds)
    texts.append(repr(creds))
    with pytest.raises(e.ResponseDecodeError) as decode:
        ModelConverter("backup_sdk").structure({"user": [1], "access_token": TOKEN}, Creds)
    texts += [str(decode.value), repr(decode.value)]
    return texts


def test_secret_never_leaks(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    cassette = tmp_path / "secrets.yaml"
    caplog.set_level(logging.DEBUG)
    with AuthSim() as sim, use_cassette(cassette, mode="all"):
        client = SecretClient(sim.url, PASSWORD)
        texts = _exercise(client)
    # our own loggers only: vcrpy and urllib3 log raw traffic at DEBUG in this test run
    debug_lines = [r.getMessage() for r in caplog.records if r.name.startswith("backup_sdk")]
    assert any("/login" in line for line in debug_lines), "DEBUG logging is on and shows calls"
    assert any("HTTP 201" in line for line in debug_lines)
    everything = "\n".join([*texts, *debug_lines, cassette.read_text()])
    assert PASSWORD not in everything
    assert TOKEN not in everything
    assert_cassette_clean(cassette, canaries=[PASSWORD, TOKEN])


def test_transport_errors_do_not_echo_url_credentials() -> None:
    client = BaseClient(base_url=f"http://ops:{PASSWORD}@127.0.0.1:9", retry=RetryPolicy.none())
    with pytest.raises(e.ConnectError) as info:
        client._transport.request("GET", "/x", operation="X")
    assert PASSWORD not in str(info.value)
    assert PASSWORD not in repr(client)


def test_call_info_urls_are_redacted() -> None:
    seen: list[CallInfo] = []

    def handler(response: requests.Response, call: CallInfo) -> None:
        seen.append(call)

    with AuthSim() as sim:
        client = BaseClient(base_url=sim.url)
        client._transport.request(
            "GET", f"/data?access_token={TOKEN}", operation="X", handler=handler
        )
    assert TOKEN not in seen[0].url
