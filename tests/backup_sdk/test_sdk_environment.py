"""Proxy, CA-bundle and netrc settings from the environment, against real servers.

A transport with its own session reads the environment once, when it is made; one given a
caller's session leaves the environment to that session (``requests`` reads it per request).
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
import requests

from backup_sdk import errors as e
from backup_sdk.transport import Transport, json_handler
from tests.support.echo import EchoSimulator

#: a host that never resolves: an answer can only have come through the proxy
UNREACHABLE = "http://devices.invalid"


def get(transport: Transport, **kw: Any) -> Any:
    return transport.request("GET", "/op", operation="Op", handler=json_handler, **kw)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "REQUESTS_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)


def test_the_environment_proxy_is_read_when_the_transport_is_made(
    echo: EchoSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", echo.url)
    transport = Transport(UNREACHABLE, package="backup_sdk")
    monkeypatch.delenv("HTTP_PROXY")  # read once: a later change is not seen
    answer = get(transport)
    assert answer["headers"]["host"] == "devices.invalid"
    assert len(echo.received()) == 1


def test_a_proxy_set_after_the_transport_was_made_is_not_used(
    echo: EchoSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    transport = Transport(echo.url, package="backup_sdk")
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{closed_port()}")
    assert get(transport)["path"] == "/op"


def test_explicit_proxies_win_over_the_environment(
    echo: EchoSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{closed_port()}")
    transport = Transport(UNREACHABLE, package="backup_sdk", proxies={"http": echo.url})
    assert get(transport)["headers"]["host"] == "devices.invalid"


def test_no_proxy_keeps_its_hosts_direct(
    echo: EchoSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{closed_port()}")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    assert get(Transport(echo.url, package="backup_sdk"))["path"] == "/op"


def test_without_no_proxy_the_environment_proxy_is_used_for_every_host(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with EchoSimulator() as target:
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{closed_port()}")
        transport = Transport(target.url, package="backup_sdk")
        with pytest.raises(e.ConnectError):
            get(transport, idempotent=False)
        assert target.received() == []


def test_a_callers_session_reads_the_environment_on_every_request(
    echo: EchoSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    with requests.Session() as session:
        transport = Transport(UNREACHABLE, package="backup_sdk", session=session)
        monkeypatch.setenv("HTTP_PROXY", echo.url)
        assert get(transport)["headers"]["host"] == "devices.invalid"
        assert session.trust_env is True


def test_the_ca_bundle_variable_is_what_verify_true_means(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-bundle.pem"
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(missing))
    transport = Transport(f"https://127.0.0.1:{closed_port()}", package="backup_sdk")
    with pytest.raises(e.TransportError) as caught:
        get(transport, idempotent=False)
    assert "CA certificate bundle" in str(caught.value.__cause__ or caught.value)


def test_an_explicit_ca_bundle_wins_over_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "from-the-environment.pem"))
    transport = Transport(
        f"https://127.0.0.1:{closed_port()}",
        package="backup_sdk",
        verify=str(tmp_path / "given.pem"),
    )
    with pytest.raises(e.TransportError) as caught:
        get(transport, idempotent=False)
    text = str(caught.value.__cause__ or caught.value)
    assert "given.pem" in text and "from-the-environment" not in text


def test_a_netrc_entry_never_replaces_the_clients_credentials(
    echo: EchoSimulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password NETRC-CANARY\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    transport = Transport(echo.url, package="backup_sdk")
    answer = get(transport, headers={"Authorization": "Bearer the-clients-token"})
    assert answer["headers"]["authorization"] == "Bearer the-clients-token"
    without = get(transport)
    assert "authorization" not in without["headers"]
