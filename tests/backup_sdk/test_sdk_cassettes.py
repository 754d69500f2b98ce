"""Cassette scrubbing and replay, recorded live against a loopback JSON-RPC server."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import yaml
from vcr.errors import CannotOverwriteExistingCassetteException

from backup_sdk.redaction import register_secret_keys
from backup_sdk.testing import SimRequest, SimResponse, SimulatorServer, json_response
from backup_sdk.testing.cassettes import (
    assert_cassette_clean,
    record_mode,
    use_cassette,
)
from backup_sdk.transport import Transport, json_handler

PASSWORD = "canary-Pa55word!"
# the shared layer names no vendor keys: this test's tiny RPC service declares its own
register_secret_keys(["visa"])


class RotatingVisaRpc(SimulatorServer):
    """A tiny JSON-RPC service whose visa changes on every reply."""

    def __init__(self) -> None:
        super().__init__()
        self.counter = itertools.count(1)

    def handle(self, request: SimRequest) -> SimResponse:
        body = request.json()
        n = next(self.counter)
        result: Any = {"method": body["method"], "n": n}
        if body["method"] == "Login":
            result = {"result": {"PartnerId": 7}}
        return json_response(
            {
                "jsonrpc": "2.0",
                "id": body.get("id"),
                "visa": f"visa-live-{n:06d}",
                "result": result,
            },
            headers={"Set-Cookie": f"session=cookie-{n}"},
        )


def run_session(base_url: str) -> list[Any]:
    t = Transport(base_url, package="backup_sdk")
    out = []
    visa = None
    for i, method in enumerate(["Login", "EnumerateAccounts", "EnumerateAccounts"]):
        params: dict[str, Any] = {"page": i}
        if method == "Login":
            params = {"partner": "Acme (ops@acme.test)", "username": "ops", "password": PASSWORD}
        body = {"jsonrpc": "2.0", "id": f"req-{i}-{id(t)}", "method": method, "params": params}
        if visa:
            body["visa"] = visa
        reply = t.request("POST", "/jsonapi", operation=method, json=body, handler=json_handler)
        visa = reply["visa"]
        out.append(reply["result"])
    return out


def test_record_then_replay_with_rotating_visa(tmp_path: Path) -> None:
    cassette = tmp_path / "rpc.yaml"
    with RotatingVisaRpc() as sim, use_cassette(cassette, mode="all"):
        recorded = run_session(sim.url)
    assert cassette.exists()
    assert_cassette_clean(cassette, canaries=[PASSWORD, "visa-live-000001", "cookie-1"])
    text = cassette.read_text()
    assert "visa-live" not in text
    assert PASSWORD not in text
    # replay: no server at all, ids differ, visas are the placeholder
    with use_cassette(cassette, mode="none") as played:
        replayed = run_session("http://127.0.0.1:9")
    assert replayed == recorded
    assert played.all_played


def test_replay_refuses_an_unrecorded_request(tmp_path: Path) -> None:
    cassette = tmp_path / "rpc.yaml"
    with RotatingVisaRpc() as sim, use_cassette(cassette, mode="all"):
        run_session(sim.url)
    t = Transport("http://127.0.0.1:9", package="backup_sdk")
    with (
        use_cassette(cassette, mode="none"),
        pytest.raises(CannotOverwriteExistingCassetteException),
    ):
        t.request(
            "POST",
            "/jsonapi",
            operation="Other",
            json={"jsonrpc": "2.0", "method": "Other", "params": {}},
        )


def test_assert_cassette_clean_catches_leaks(tmp_path: Path) -> None:
    dirty = {
        "interactions": [
            {
                "request": {
                    "body": json.dumps({"params": {"pass" + "word": "hunter22"}}),
                    "headers": {"Authorization": ["Bearer abc"]},
                },
                "response": {
                    "body": {"string": urlencode({"Username": "a", "SessionKey": "k-123"})},
                    "headers": {},
                },
            }
        ]
    }
    path = tmp_path / "dirty.yaml"
    path.write_text(yaml.safe_dump(dirty))
    with pytest.raises(AssertionError) as info:
        assert_cassette_clean(path, canaries=["hunter22"])
    message = str(info.value)
    assert "canary" in message
    assert "Authorization" in message
    assert "SessionKey" in message


def test_record_mode_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BACKUP_SDK_RECORD", raising=False)
    assert record_mode() == "none"
    monkeypatch.setenv("BACKUP_SDK_RECORD", "1")
    assert record_mode() == "all"
    monkeypatch.setenv("BACKUP_SDK_RECORD", "new_episodes")
    assert record_mode() == "new_episodes"
    monkeypatch.setenv("BACKUP_SDK_RECORD", "bogus")
    with pytest.raises(ValueError, match="BACKUP_SDK_RECORD"):
        record_mode()
