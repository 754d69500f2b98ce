"""Enforcing a call's deadline on the socket itself.

A read timeout bounds each wait for data, not the whole response: a server that sends one
byte a second never trips it. The transport therefore arms a :class:`Watchdog` for every
attempt; when the deadline passes it shuts the connection's socket down, and the blocked
read fails at once. :class:`DeadlineAdapter` is the ``requests`` adapter that tells the
watchdog which connection an attempt uses (a session the caller supplied without it still
gets the deadline checked between body chunks, but a trickle of headers is not cut short).

One daemon thread serves every watchdog of the process (a heap of deadlines), so arming
one costs a heap push, not a thread.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import os
import socket
import threading
import time
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

__all__ = ["DeadlineAdapter", "Watchdog"]

_local = threading.local()


class _Scheduler:
    """Fires watchdogs whose deadline has passed (one thread, started on first use)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, Watchdog]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None
        self._pid = 0

    def arm(self, watchdog: Watchdog, deadline: float) -> None:
        with self._cond:
            heap = self._heap
            if len(heap) > 1024:
                # most entries belong to calls that finished long before their deadline
                live = [entry for entry in heap if not entry[2].disarmed]
                if len(live) * 4 < len(heap):
                    heapq.heapify(live)
                    self._heap = heap = live
            heapq.heappush(heap, (deadline, next(self._order), watchdog))
            # the thread never ends but with the process; a forked child starts its own
            if self._thread is None or self._pid != os.getpid():
                self._pid = os.getpid()
                self._thread = threading.Thread(
                    target=self._run, name="backup-sdk-watchdog", daemon=True
                )
                self._thread.start()
            elif heap[0][2] is watchdog:
                self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._heap and self._heap[0][2].disarmed:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._cond.wait(timeout=30.0)
                    continue
                deadline, _, watchdog = self._heap[0]
                delay = deadline - time.monotonic()
                if delay > 0:
                    self._cond.wait(timeout=delay)
                    continue
                heapq.heappop(self._heap)
            # one connection that cannot be cut must not stop the watchdog of every other call
            with contextlib.suppress(Exception):
                watchdog._fire()


_scheduler = _Scheduler()


class Watchdog:
    """Shuts down the current attempt's socket after ``seconds`` (use as a context manager)."""

    def __init__(self, seconds: float) -> None:
        self.fired = False
        self.disarmed = False
        self._conn: Any = None
        self._lock = threading.Lock()
        self._seconds = max(seconds, 0.0)

    def __enter__(self) -> Watchdog:
        _local.watchdog = self
        _scheduler.arm(self, time.monotonic() + self._seconds)
        return self

    def __exit__(self, *exc: object) -> None:
        self.disarm()

    def disarm(self) -> None:
        """Stop watching (idempotent)."""
        with self._lock:
            self.disarmed = True
            self._conn = None
        if getattr(_local, "watchdog", None) is self:
            _local.watchdog = None

    def _watch(self, conn: Any) -> None:
        with self._lock:
            self._conn = conn

    def _fire(self) -> None:
        with self._lock:
            if self.disarmed:
                return
            self.fired = True
            conn = self._conn
        sock = getattr(conn, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def _note_connection(conn: Any) -> None:
    watchdog = getattr(_local, "watchdog", None)
    if watchdog is not None:
        watchdog._watch(conn)


class _WatchedHTTPConnectionPool(HTTPConnectionPool):
    def _make_request(self, conn: Any, *args: Any, **kwargs: Any) -> Any:
        _note_connection(conn)
        return super()._make_request(conn, *args, **kwargs)


class _WatchedHTTPSConnectionPool(HTTPSConnectionPool):
    def _make_request(self, conn: Any, *args: Any, **kwargs: Any) -> Any:
        _note_connection(conn)
        return super()._make_request(conn, *args, **kwargs)


class DeadlineAdapter(HTTPAdapter):
    """An ``HTTPAdapter`` whose connections a :class:`Watchdog` can cut (no urllib3 retries)."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _WatchedHTTPConnectionPool,
            "https": _WatchedHTTPSConnectionPool,
        }
