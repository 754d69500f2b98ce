"""Enforcing a call's deadline on the socket itself.

A read timeout bounds each wait for data, not the whole response: a server that sends one
byte a second never trips it. The transport therefore arms a :class:`Watchdog` for every
attempt; when the deadline passes it shuts the connection's socket down, and the blocked
read fails at once. :class:`DeadlineAdapter` is the ``requests`` adapter that tells the
watchdog which connection an attempt uses (a session the caller supplied without it still
gets the deadline checked between body chunks, but a trickle of headers is not cut short).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

__all__ = ["DeadlineAdapter", "Watchdog"]

_local = threading.local()


class Watchdog:
    """Shuts down the current attempt's socket after ``seconds`` (use as a context manager)."""

    def __init__(self, seconds: float) -> None:
        self.fired = False
        self._conn: Any = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True

    def __enter__(self) -> Watchdog:
        _local.watchdog = self
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.disarm()

    def disarm(self) -> None:
        """Stop watching (idempotent)."""
        self._timer.cancel()
        with self._lock:
            self._conn = None
        if getattr(_local, "watchdog", None) is self:
            _local.watchdog = None

    def _watch(self, conn: Any) -> None:
        with self._lock:
            self._conn = conn

    def _fire(self) -> None:
        with self._lock:
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
