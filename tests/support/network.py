"""Keep tests off the network: sockets may connect to loopback (and unix sockets) only."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

__all__ = ["block_network", "unblock_network"]

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _allowed(address: Any) -> bool:
    if not isinstance(address, tuple):
        return True  # unix sockets
    host = address[0]
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_connect(self: socket.socket, address: Any) -> None:
    if not _allowed(address):
        raise ConnectionRefusedError(f"network access blocked in tests: {address!r}")
    _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    if not _allowed(address):
        raise ConnectionRefusedError(f"network access blocked in tests: {address!r}")
    return _real_connect_ex(self, address)


def block_network() -> None:
    """Refuse every connection that is not to loopback."""
    socket.socket.connect = _guarded_connect  # type: ignore[assignment,method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[assignment,method-assign]


def unblock_network() -> None:
    socket.socket.connect = _real_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _real_connect_ex  # type: ignore[method-assign]
