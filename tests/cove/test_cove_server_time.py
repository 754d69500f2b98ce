"""ServerTime read typed (aware UTC) from a decoded reply at any level."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from backup_sdk.errors import ResponseDecodeError
from cove_sdk import CoveClient
from cove_sdk.models import ServerInfo, converter, server_time
from cove_sdk.testing import CoveSimulator

WHEN = datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "payload",
    [
        {"jsonrpc": "2.0", "result": {"result": {"ServerTime": 1700000000}}, "visa": "v"},
        {"ServerTime": "1700000000", "result": {"ServerTime": 1}},
        {"result": {"result": [], "ServerTime": 1700000000}},
        {"Version": "25.4", "ServerTime": "2023-11-14T22:13:20Z"},
        {"ServerTime": "2023-11-14T22:13:20"},
    ],
)
def test_server_time_at_every_level(payload: dict[str, Any]) -> None:
    found = server_time(payload)
    assert found == WHEN
    assert found is not None and found.tzinfo is not None


@pytest.mark.parametrize("payload", [None, [], {}, {"result": None}, {"ServerTime": 0}, "x"])
def test_no_server_time(payload: Any) -> None:
    assert server_time(payload) is None


def test_a_bad_server_time_names_its_place() -> None:
    with pytest.raises(ResponseDecodeError) as info:
        server_time({"result": {"result": {"ServerTime": "noon"}}})
    assert info.value.path == "$.result.result.ServerTime"


def test_server_info_has_it_typed() -> None:
    info = converter.structure({"Version": "25.4", "ServerTime": "1700000000"}, ServerInfo)
    assert info.server_time == WHEN
    assert "ServerTime" not in info.extra_fields
    assert converter.unstructure(info)["ServerTime"] == "1700000000"


def test_server_time_from_the_simulator(client: CoveClient, sim: CoveSimulator) -> None:
    expected = sim.clock.now()
    info = client.get_server_info()
    assert info.server_time is not None
    assert abs(info.server_time.timestamp() - expected) <= 2
    raw = client.call_raw("GetServerInfo")
    found = server_time(raw.data)
    assert found is not None and abs(found.timestamp() - expected) <= 2
