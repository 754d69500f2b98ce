from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import datetime, timezone

import pytest
import requests

from backup_sdk.testing import (
    Router,
    SimClock,
    SimRequest,
    SimResponse,
    SimulatorServer,
    bytes_response,
    json_response,
    text_response,
)
from tests.support.echo import EchoSimulator


class RestSim(SimulatorServer):
    def __init__(self) -> None:
        super().__init__()
        self.router = Router()
        self.router.add("GET", "/items/{item_id}", self.get_item)
        self.router.add("GET", "/blob", lambda r: bytes_response(iter([b"ab", b"cd", b"ef"])))
        self.router.add("GET", "/log", lambda r: text_response("line 1\nline 2\n"))
        self.counter = 0

    def get_item(self, request: SimRequest, item_id: str) -> SimResponse:
        with self.lock:
            self.counter += 1
        return json_response({"id": item_id})

    def handle(self, request: SimRequest) -> SimResponse:
        return self.router.dispatch(request)


@pytest.fixture
def rest() -> Iterator[RestSim]:
    with RestSim() as sim:
        yield sim


def test_listens_on_loopback_with_an_ephemeral_port(echo: EchoSimulator) -> None:
    assert echo.url.startswith("http://127.0.0.1:")
    assert echo.port > 0


def test_router_matches_paths_and_methods(rest: RestSim) -> None:
    assert requests.get(f"{rest.url}/items/42", timeout=5).json() == {"id": "42"}
    assert requests.get(f"{rest.url}/nothing", timeout=5).status_code == 404
    assert requests.post(f"{rest.url}/items/42", timeout=5).status_code == 405


def test_streamed_and_text_bodies(rest: RestSim) -> None:
    assert requests.get(f"{rest.url}/blob", timeout=5).content == b"abcdef"
    response = requests.get(f"{rest.url}/log", timeout=5)
    assert response.headers["Content-Type"].startswith("text/plain")
    assert response.text == "line 1\nline 2\n"


def test_chunked_uploads_are_read_whole(echo: EchoSimulator) -> None:
    def gen() -> Iterator[bytes]:
        yield b"x" * 1000
        yield b"y" * 24

    body = requests.post(f"{echo.url}/up", data=gen(), timeout=5).json()
    assert body["size"] == 1024


def test_requests_are_logged(echo: EchoSimulator) -> None:
    requests.post(f"{echo.url}/a?x=1", json={"k": "v"}, timeout=5)
    (seen,) = echo.received("/a")
    assert seen.method == "POST"
    assert seen.query == {"x": ["1"]}
    assert seen.json() == {"k": "v"}
    assert seen.headers["Content-Type"] == "application/json"


def test_faults_apply_in_order_and_then_stop(echo: EchoSimulator) -> None:
    echo.faults.fail_next(1, 502)
    echo.faults.garbage_next(1)
    assert requests.get(f"{echo.url}/x", timeout=5).status_code == 502
    assert requests.get(f"{echo.url}/x", timeout=5).text.startswith("<html>")
    assert requests.get(f"{echo.url}/x", timeout=5).json()["path"] == "/x"


def test_fault_limited_to_a_path(echo: EchoSimulator) -> None:
    echo.faults.fail_next(1, 500, path="/b")
    assert requests.get(f"{echo.url}/a", timeout=5).status_code == 200
    assert requests.get(f"{echo.url}/b", timeout=5).status_code == 500


def test_drop_closes_without_answer(echo: EchoSimulator) -> None:
    echo.faults.drop_next(1)
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{echo.url}/x", timeout=5)


def test_retry_after_header(echo: EchoSimulator) -> None:
    echo.faults.fail_next(1, 429, retry_after=12)
    assert requests.get(f"{echo.url}/x", timeout=5).headers["Retry-After"] == "12"


def test_offline_refuses_connections_then_recovers(echo: EchoSimulator) -> None:
    port = echo.port
    echo.go_offline()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{echo.url}/x", timeout=2)
    echo.go_online()
    assert echo.port == port
    assert requests.get(f"{echo.url}/x", timeout=5).status_code == 200


def test_offline_until_the_simulated_clock_has_moved_on() -> None:
    clock = SimClock(frozen=True)
    with EchoSimulator(clock=clock) as sim:
        sim.go_offline(30)
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{sim.url}/x", timeout=2)
        clock.advance(29)
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{sim.url}/x", timeout=2)
        clock.advance(1)
        assert requests.get(f"{sim.url}/x", timeout=2).status_code == 200


def test_a_stopped_simulator_does_not_come_back_online() -> None:
    clock = SimClock(frozen=True)
    sim = EchoSimulator(clock=clock).start()
    url = sim.url
    sim.go_offline(5)
    sim.stop()
    clock.advance(10)
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/x", timeout=2)


def test_handler_bug_becomes_a_500(rest: RestSim) -> None:
    def boom(request: SimRequest) -> SimResponse:
        raise ZeroDivisionError("division by zero")

    rest.router.add("GET", "/boom", boom)
    response = requests.get(f"{rest.url}/boom", timeout=5)
    assert response.status_code == 500
    assert "ZeroDivisionError" in response.json()["error"]


def test_concurrent_requests_are_thread_safe(rest: RestSim) -> None:
    def worker() -> None:
        with requests.Session() as s:
            for i in range(20):
                assert s.get(f"{rest.url}/items/{i}", timeout=5).status_code == 200

    threads = [threading.Thread(target=worker) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert rest.counter == 100


def test_clock_advances_and_can_be_frozen() -> None:
    clock = SimClock(start=1_000_000, frozen=True)
    assert clock.now() == 1_000_000
    clock.advance(901)
    assert clock.now() == 1_000_901
    assert clock.datetime() == datetime(1970, 1, 12, 14, 1, 41, tzinfo=timezone.utc)
    with pytest.raises(ValueError, match="backwards"):
        clock.advance(-1)
    live = SimClock()
    first = live.time()
    live.advance(60)
    assert live.time() - first >= 60


def test_clocks_with_one_start_anchor_and_speed_agree_and_a_spec_is_followed() -> None:
    """Simulator processes share a clock through ``--start``/``--anchor``, and the command
    line follows it through ``BACKUP_SDK_CLOCK`` (the spec)."""
    real = time.time()
    early = SimClock(1_795_000_000, speed=900, anchor=real)
    time.sleep(0.05)
    late = SimClock(1_795_000_000, speed=900, anchor=real)  # made later, reads the same
    assert abs(late.time() - early.time()) < 5
    assert late.time() >= 1_795_000_000 + 0.05 * 900
    follower = SimClock.from_spec(early.spec())
    assert follower.speed == 900
    assert abs(follower.time() - early.time()) < 5
    assert SimClock.from_spec("1795000000@1796000000.5").speed == 1  # x1 when not said
    assert SimClock.from_spec(" 1.5e9@1.7e9x2 ").speed == 2
    for bad in ("", "1795000000", "1795000000@", "a@b", "1@2x0", "1@2x-3", "1@nan", "1@2xinf"):
        with pytest.raises(ValueError, match="clock"):
            SimClock.from_spec(bad)
    with pytest.raises(ValueError, match="frozen"):
        SimClock(1_000_000, frozen=True).spec()
    with pytest.raises(ValueError, match="anchor"):
        SimClock(anchor=real)
    assert SimClock(1_000_000, frozen=True, anchor=real).now() == 1_000_000


from backup_sdk.testing import simulator_fixture  # noqa: E402

echo_sim = simulator_fixture(EchoSimulator)


def test_simulator_fixture_starts_and_stops(echo_sim: EchoSimulator) -> None:
    assert echo_sim.is_online
    assert requests.get(f"{echo_sim.url}/f", timeout=5).json()["path"] == "/f"
