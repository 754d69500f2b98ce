"""A base for the vendor simulators: a real HTTP server on loopback with fault injection."""

from __future__ import annotations

import heapq
import itertools
import json
import logging
import math
import re
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

import attrs

from backup_sdk._compat import Self

__all__ = [
    "CLOCK_ENV",
    "GROUND_TRUTH_PATH",
    "FaultInjector",
    "Router",
    "SimClock",
    "SimRequest",
    "SimResponse",
    "SimulatorServer",
    "bytes_response",
    "json_response",
    "simulator_fixture",
    "text_response",
]

log = logging.getLogger("backup_sdk.testing")

#: Where every simulator serves its ground truth (after its base URL's path, if any).
GROUND_TRUTH_PATH = "/_sim/ground-truth"

#: The environment variable with a simulator's clock (:meth:`SimClock.spec`): the
#: simulator processes print it, and the ``backup-sdk`` command line, when it is set,
#: reads the time from that clock instead of the wall clock, so that ``backup-sdk sync``
#: asks a simulator running at ``--speed 900`` for the windows of its simulated time.
CLOCK_ENV = "BACKUP_SDK_CLOCK"

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_CLOCK_SPEC = re.compile(
    rf"^\s*(?P<start>{_NUMBER})@(?P<anchor>{_NUMBER})(?:x(?P<speed>{_NUMBER}))?\s*$"
)


class SimClock:
    """The simulators' notion of time: wall-clock time plus a controllable offset.

    ``advance(seconds)`` jumps forward (visa/token expiry, jobs finishing). With
    ``frozen=True`` time only moves when advanced, which makes tests deterministic: pass
    ``sleep=clock.sleep`` to a client and its waits move the simulated time instead of
    taking real time. With ``speed=N`` a running clock goes N times as fast as real time
    (a simulated day in 96 s at ``speed=900``).

    A running clock reads ``start`` at the real unix time ``anchor`` (default: when it is
    made), so clocks in several processes made with the same ``start``, ``anchor`` and
    ``speed`` agree. :meth:`spec` describes the clock as text, and :meth:`from_spec` makes
    the same clock from it in another process: the simulators print it as
    ``BACKUP_SDK_CLOCK``, which the ``backup-sdk`` command line follows (see
    :data:`CLOCK_ENV`).
    """

    def __init__(
        self,
        start: float | None = None,
        *,
        frozen: bool = False,
        speed: float = 1.0,
        anchor: float | None = None,
    ) -> None:
        if not 0 < speed < float("inf"):
            raise ValueError(f"speed must be a positive number, got {speed!r}")
        if anchor is not None and (start is None or not math.isfinite(anchor)):
            raise ValueError(f"anchor must be a finite unix time, with a start: got {anchor!r}")
        self._lock = threading.Lock()
        self._frozen = frozen
        self.speed = float(speed)
        self._mono = time.monotonic()
        real = time.time()
        self._base = real if start is None else float(start)
        if anchor is not None and not frozen:
            self._base += (real - anchor) * self.speed
        self._offset = 0.0
        self._pending: list[tuple[float, int, Callable[[], object]]] = []
        self._order = itertools.count()
        #: seconds waited through :meth:`sleep` so far.
        self.slept = 0.0

    @property
    def frozen(self) -> bool:
        """True when time moves only through :meth:`advance`."""
        return self._frozen

    def _time_locked(self) -> float:
        running = 0.0 if self._frozen else (time.monotonic() - self._mono) * self.speed
        return self._base + running + self._offset

    def time(self) -> float:
        """Seconds since the epoch, as the simulator sees it."""
        with self._lock:
            return self._time_locked()

    def now(self) -> int:
        """Whole seconds since the epoch."""
        return int(self.time())

    def datetime(self) -> datetime:
        """:meth:`now` as an aware UTC datetime (what "now" is for code the simulator
        serves)."""
        return datetime.fromtimestamp(self.now(), timezone.utc)

    def spec(self) -> str:
        """This clock as text, ``<simulated time>@<real time>x<speed>`` (unix seconds):
        it read the simulated time at that real time and runs ``speed`` times real time.

        :meth:`from_spec` makes a clock that keeps agreeing with this one (as long as
        neither is advanced). A frozen clock has none (``ValueError``).
        """
        if self._frozen:
            raise ValueError("a frozen clock cannot be followed from another process")
        with self._lock:
            real = time.time()
            simulated = self._time_locked()
        return f"{simulated!r}@{real!r}x{self.speed!r}"

    @classmethod
    def from_spec(cls, text: str) -> SimClock:
        """The running clock :meth:`spec` described (``ValueError`` when it is not one)."""
        found = _CLOCK_SPEC.match(text)
        if found is None:
            raise ValueError(
                f"a clock is <simulated unix time>@<real unix time>x<speed>, not {text!r}"
            )
        start, anchor = float(found.group("start")), float(found.group("anchor"))
        speed = float(found.group("speed") or 1.0)
        if not (math.isfinite(start) and math.isfinite(anchor) and 0 < speed < float("inf")):
            raise ValueError(f"a clock needs finite times and a positive speed, not {text!r}")
        return cls(start, speed=speed, anchor=anchor)

    def advance(self, seconds: float) -> None:
        """Move the clock forward (and run what :meth:`call_later` scheduled meanwhile)."""
        if not seconds >= 0:
            raise ValueError(f"the simulator clock does not go backwards (got {seconds!r})")
        with self._lock:
            self._offset += seconds
        self._run_due()

    def sleep(self, seconds: float) -> None:
        """A stand-in for ``time.sleep`` that advances the clock instead of waiting."""
        self.advance(max(0.0, seconds))
        self.slept += max(0.0, seconds)

    def call_later(self, delay: float, callback: Callable[[], object]) -> None:
        """Run ``callback`` once ``delay`` simulated seconds have passed.

        It runs in the thread whose :meth:`advance` crosses the deadline or, for a clock
        that is not frozen, after that much real time on a background timer.
        """
        with self._lock:
            deadline = self._time_locked() + max(0.0, delay)
            heapq.heappush(self._pending, (deadline, next(self._order), callback))
        if not self._frozen and delay > 0:
            timer = threading.Timer(delay / self.speed, self._run_due)
            timer.daemon = True
            timer.start()
        self._run_due()

    def _run_due(self) -> None:
        while True:
            with self._lock:
                if not self._pending or self._pending[0][0] > self._time_locked():
                    return
                _, _, callback = heapq.heappop(self._pending)
            callback()


class _Headers(dict[str, str]):
    """Case-insensitive header mapping (keys stored lower-case)."""

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())


@attrs.frozen
class SimRequest:
    """One request as the simulator received it."""

    method: str
    path: str
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]
    body: bytes
    received_at: float = 0.0

    def json(self) -> Any:
        """The body decoded as JSON (raises ``ValueError`` when it is not)."""
        return json.loads(self.body.decode("utf-8"))

    def form(self) -> dict[str, str]:
        """An ``x-www-form-urlencoded`` body as a dict (last value wins)."""
        parsed = parse_qs(self.body.decode("utf-8"), keep_blank_values=True)
        return {k: v[-1] for k, v in parsed.items()}

    def query_value(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else default


@attrs.define
class SimResponse:
    """What the simulator sends back. ``body`` may be an iterator of chunks (streamed)."""

    status: int = 200
    body: bytes | Iterable[bytes] = b""
    headers: dict[str, str] = attrs.field(factory=dict)
    content_type: str | None = "application/json"


def json_response(
    obj: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> SimResponse:
    """A JSON response (compact encoding)."""
    return SimResponse(
        status=status,
        body=json.dumps(obj, separators=(",", ":")).encode("utf-8"),
        headers=dict(headers or {}),
        content_type="application/json",
    )


def text_response(
    text: str,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
    content_type: str = "text/plain; charset=utf-8",
) -> SimResponse:
    """A text response."""
    return SimResponse(
        status=status,
        body=text.encode("utf-8"),
        headers=dict(headers or {}),
        content_type=content_type,
    )


def bytes_response(
    body: bytes | Iterable[bytes],
    status: int = 200,
    headers: Mapping[str, str] | None = None,
    content_type: str = "application/octet-stream",
) -> SimResponse:
    """A binary response; an iterable body is sent chunked."""
    return SimResponse(
        status=status, body=body, headers=dict(headers or {}), content_type=content_type
    )


@attrs.define
class _Fault:
    kind: str  # fail | drop | truncate | garbage | lose_reply | trickle | redirect
    status: int = 503
    retry_after: str | None = None
    body: bytes | None = None
    content_type: str = "application/json"
    location: str = ""
    interval: float = 1.0


class FaultInjector:
    """Faults applied to the next requests, in the order they were queued.

    All methods are thread-safe. ``path`` restricts a fault to requests whose path -- or
    body, for JSON-RPC APIs that post every call to one URL -- contains the given text.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: deque[tuple[_Fault, str | None]] = deque()
        self._latency: float = 0.0
        self._latency_left: int | None = None

    def add_latency(self, seconds: float, count: int | None = None) -> None:
        """Delay responses by ``seconds`` (real time); ``count`` limits how many."""
        with self._lock:
            self._latency = seconds
            self._latency_left = count

    def fail_next(
        self,
        n: int = 1,
        status: int = 503,
        *,
        retry_after: float | str | None = None,
        body: bytes | str | Mapping[str, Any] | None = None,
        path: str | None = None,
        content_type: str = "application/json",
    ) -> None:
        """Answer the next ``n`` requests with ``status`` (and ``Retry-After`` if given)."""
        raw: bytes | None
        if isinstance(body, Mapping):
            raw = json.dumps(body).encode()
        elif isinstance(body, str):
            raw = body.encode()
        else:
            raw = body
        ra = None if retry_after is None else str(retry_after)
        fault = _Fault("fail", status=status, retry_after=ra, body=raw, content_type=content_type)
        self._push(n, fault, path)

    def drop_next(self, n: int = 1, *, path: str | None = None) -> None:
        """Close the connection without answering the next ``n`` requests."""
        self._push(n, _Fault("drop"), path)

    def truncate_next(self, n: int = 1, *, path: str | None = None) -> None:
        """Send only half of the next ``n`` response bodies, then close the connection."""
        self._push(n, _Fault("truncate"), path)

    def garbage_next(self, n: int = 1, *, path: str | None = None) -> None:
        """Answer the next ``n`` requests with HTTP 200 and a body that is not JSON."""
        self._push(n, _Fault("garbage"), path)

    def lose_reply_next(self, n: int = 1, *, path: str | None = None) -> None:
        """Carry out the next ``n`` requests, then close the connection without answering
        (the server acted; the client never hears of it)."""
        self._push(n, _Fault("lose_reply"), path)

    def trickle_next(self, n: int = 1, *, interval: float = 1.0, path: str | None = None) -> None:
        """Answer the next ``n`` requests properly but send the body one byte every
        ``interval`` real seconds (a read timeout longer than that never fires)."""
        self._push(n, _Fault("trickle", interval=interval), path)

    def redirect_next(
        self, n: int = 1, *, location: str, status: int = 307, path: str | None = None
    ) -> None:
        """Answer the next ``n`` requests with a redirect to ``location``."""
        self._push(n, _Fault("redirect", status=status, location=location), path)

    def reset(self) -> None:
        """Forget every queued fault and latency."""
        with self._lock:
            self._queue.clear()
            self._latency = 0.0
            self._latency_left = None

    def _push(self, n: int, fault: _Fault, path: str | None) -> None:
        with self._lock:
            for _ in range(n):
                self._queue.append((fault, path))

    def _take(self, request: SimRequest) -> tuple[_Fault | None, float]:
        with self._lock:
            delay = 0.0
            if self._latency and (self._latency_left is None or self._latency_left > 0):
                delay = self._latency
                if self._latency_left is not None:
                    self._latency_left -= 1
            for i, (fault, only) in enumerate(self._queue):
                if only is None or only in request.path or only.encode() in request.body:
                    del self._queue[i]
                    return fault, delay
            return None, delay


class Router:
    """Path-pattern routing for REST simulators: ``add("GET", "/x/{id}", fn)``.

    Handlers are called as ``fn(request, **path_params)``. Unmatched paths get
    ``not_found(request)``; a matched path with another method gets ``not_allowed``.
    """

    def __init__(
        self,
        *,
        not_found: Callable[[SimRequest], SimResponse] | None = None,
        not_allowed: Callable[[SimRequest], SimResponse] | None = None,
    ) -> None:
        self._routes: list[tuple[str, re.Pattern[str], Callable[..., SimResponse]]] = []
        self._not_found = not_found or (
            lambda r: json_response({"error": f"no route for {r.path}"}, 404)
        )
        self._not_allowed = not_allowed or (
            lambda r: json_response({"error": f"{r.method} not allowed on {r.path}"}, 405)
        )

    def add(self, method: str, pattern: str, handler: Callable[..., SimResponse]) -> None:
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern.rstrip("/") or "/")
        self._routes.append((method.upper(), re.compile(f"^{regex}/?$"), handler))

    def route(self, method: str, pattern: str) -> Callable[[Callable[..., SimResponse]], Any]:
        """Decorator form of :meth:`add`."""

        def register(fn: Callable[..., SimResponse]) -> Callable[..., SimResponse]:
            self.add(method, pattern, fn)
            return fn

        return register

    def dispatch(self, request: SimRequest) -> SimResponse:
        path_matched = False
        for method, regex, handler in self._routes:
            found = regex.match(request.path)
            if found is None:
                continue
            path_matched = True
            if method == request.method:
                return handler(request, **found.groupdict())
        return self._not_allowed(request) if path_matched else self._not_found(request)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without TCP_NODELAY the second waits
        # for the client's delayed ACK, and every request costs about 40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("simulator: " + format, *args)

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size_line = self.rfile.readline().strip()
                size = int(size_line.split(b";")[0] or b"0", 16)
                if size == 0:
                    while self.rfile.readline().strip():
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self) -> None:
        sim = self.server.simulator
        split = urlsplit(self.path)
        body = self._read_body()
        headers = _Headers({k.lower(): v for k, v in self.headers.items()})
        request = SimRequest(
            method=self.command,
            path=split.path,
            query=parse_qs(split.query, keep_blank_values=True),
            headers=headers,
            body=body,
            received_at=sim.clock.time(),
        )
        if request.path.endswith(GROUND_TRUTH_PATH) and request.method == "GET":
            self._send(json_response(sim.ground_truth()), truncate=False)
            return
        sim._record(request)
        fault, delay = sim.faults._take(request)
        if delay:
            time.sleep(delay)
        if fault is not None and fault.kind == "drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault is not None and fault.kind == "fail":
            extra = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            response = SimResponse(
                status=fault.status,
                body=fault.body if fault.body is not None else b'{"error":"injected fault"}',
                headers=extra,
                content_type=fault.content_type,
            )
        elif fault is not None and fault.kind == "garbage":
            response = SimResponse(
                status=200,
                body=b"<html><body>502 Bad Gateway</body></html>",
                content_type="text/html",
            )
        elif fault is not None and fault.kind == "redirect":
            response = SimResponse(
                status=fault.status, headers={"Location": fault.location}, content_type=None
            )
        else:
            sim._record_handled(request)
            try:
                response = sim.handle(request)
            except Exception as exc:
                log.exception("simulator handler failed")
                response = json_response({"error": f"simulator bug: {exc!r}"}, 500)
            if fault is not None and fault.kind == "lose_reply":
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if fault is not None and fault.kind == "trickle":
                self._trickle(response, fault.interval)
                return
        self._send(response, truncate=fault is not None and fault.kind == "truncate")

    def _trickle(self, response: SimResponse, interval: float) -> None:
        body = response.body if isinstance(response.body, bytes) else b"".join(response.body)
        self.send_response(response.status)
        if response.content_type:
            self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.flush()
        try:
            for index in range(len(body)):
                self.wfile.write(body[index : index + 1])
                self.wfile.flush()
                time.sleep(interval)
        except OSError:
            self.close_connection = True

    def _send(self, response: SimResponse, *, truncate: bool) -> None:
        body = response.body
        self.send_response(response.status)
        if response.content_type:
            self.send_header("Content-Type", response.content_type)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if isinstance(body, bytes | bytearray):
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body[: len(body) // 2] if truncate else body)
            if truncate:
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for chunk in _iter_chunks(body):
            self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            if truncate:
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
        self.wfile.write(b"0\r\n\r\n")

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _serve


def _iter_chunks(body: Iterable[bytes]) -> Iterator[bytes]:
    for chunk in body:
        if chunk:
            yield bytes(chunk)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # many clients connect at once (16 threads, concurrent pages): the default listen
    # backlog of 5 makes the rest wait a whole second for a SYN retry
    request_queue_size = 128
    simulator: SimulatorServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-answer is normal (timeouts, deadlines): no traceback."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            log.debug("simulator: client %s went away: %r", client_address, error)
            return
        super().handle_error(request, client_address)


class SimulatorServer:
    """A real HTTP server on ``127.0.0.1`` (ephemeral port) for one vendor's API.

    Subclasses implement :meth:`handle`. Use as a context manager (or ``start``/``stop``).
    ``faults`` queues failures, ``clock`` is the simulated time, ``requests`` logs what
    arrived (the last 10,000), ``lock`` guards the subclass's state.
    """

    def __init__(self, *, clock: SimClock | None = None, port: int = 0) -> None:
        self.clock = clock or SimClock()
        self.faults = FaultInjector()
        self.lock = threading.RLock()
        self.requests: deque[SimRequest] = deque(maxlen=10_000)
        self.handled_requests: deque[SimRequest] = deque(maxlen=10_000)
        self._requests_lock = threading.Lock()
        self._port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._outages = 0
        self._stopped = False
        self._state_lock = threading.Lock()

    # -- to implement ---------------------------------------------------------------------

    def handle(self, request: SimRequest) -> SimResponse:
        """Answer one request. Called from server threads: guard shared state with ``lock``."""
        raise NotImplementedError

    def ground_truth(self) -> dict[str, Any]:
        """What really happened, served at ``GET <base>/_sim/ground-truth``:
        ``{"now": <simulated unix time>, "runs": [...]}``.

        Each run is a :class:`~backup_sdk.runs.BackupRun` record (``to_record()``) with its
        ``key``, its final ``status`` and ``visible_at`` (simulated unix time from which the
        vendor's API shows that final state). Simulators with runs override
        :meth:`truth_runs`.
        """
        return {"now": self.clock.time(), "runs": self.truth_runs()}

    def truth_runs(self) -> list[dict[str, Any]]:
        """The runs of :meth:`ground_truth` (none by default)."""
        return []

    def env(self) -> dict[str, str]:
        """The environment variables that point the vendor's client at this simulator."""
        return {}

    # -- lifecycle ------------------------------------------------------------------------

    @property
    def port(self) -> int:
        if not self._port:
            raise RuntimeError("the simulator has not been started")
        return self._port

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>`` (no trailing slash)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def is_online(self) -> bool:
        return self._server is not None

    def start(self) -> Self:
        with self._state_lock:
            self._stopped = False
            if self._server is None:
                self._bind()
        return self

    def _bind(self) -> None:
        server = _Server(("127.0.0.1", self._port), _Handler)
        server.simulator = self
        self._port = server.server_address[1]
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.002},
            name=f"{type(self).__name__}:{self._port}",
            daemon=True,
        )
        thread.start()
        self._server, self._thread = server, thread

    def _unbind(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def stop(self) -> None:
        with self._state_lock:
            self._stopped = True
            self._unbind()

    def go_offline(self, seconds: float | None = None) -> None:
        """Stop listening: new connections are refused (a reboot). Back after ``seconds``
        on the simulator clock (see :meth:`SimClock.call_later`), or when
        :meth:`go_online` is called."""
        with self._state_lock:
            self._unbind()
            self._outages += 1
            outage = self._outages
        if seconds is not None:
            self.clock.call_later(seconds, lambda: self._end_outage(outage))

    def _end_outage(self, outage: int) -> None:
        with self._state_lock:
            if outage == self._outages and not self._stopped and self._server is None:
                self._bind()

    def go_online(self) -> None:
        """Listen again on the same port."""
        with self._state_lock:
            if self._server is None and not self._stopped:
                self._bind()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- request log ----------------------------------------------------------------------

    def _record(self, request: SimRequest) -> None:
        with self._requests_lock:
            self.requests.append(request)

    def received(self, path_contains: str = "") -> list[SimRequest]:
        """Requests received so far (optionally only those whose path contains some text)."""
        with self._requests_lock:
            return [r for r in self.requests if path_contains in r.path]

    def _record_handled(self, request: SimRequest) -> None:
        with self._requests_lock:
            self.handled_requests.append(request)

    def handled(self, contains: str = "") -> list[SimRequest]:
        """Requests the simulator carried out (not answered by an injected fault instead),
        optionally only those whose path or body contains some text."""
        needle = contains.encode()
        with self._requests_lock:
            return [r for r in self.handled_requests if contains in r.path or needle in r.body]


S = TypeVar("S", bound=SimulatorServer)


def simulator_fixture(factory: Callable[[], S], *, scope: str = "function") -> Any:
    """Make a pytest fixture that runs a simulator for each test (or module/session).

    ``cove = simulator_fixture(lambda: CoveSimulator(fleet=FleetSpec(devices=50)))`` in a
    conftest gives tests a started simulator as the ``cove`` argument, stopped afterwards.
    """
    import pytest

    @pytest.fixture(scope=scope)  # type: ignore[call-overload,untyped-decorator]
    def _simulator() -> Iterator[S]:
        with factory() as sim:
            yield sim

    return _simulator
