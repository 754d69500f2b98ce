"""Test support: the simulator server base, its clock and fault injection, cassette helpers.

The cassette helpers (``backup_sdk.testing.cassettes``) need the ``dev`` extra (vcrpy).
"""

from backup_sdk.testing.server import (
    CLOCK_ENV,
    FaultInjector,
    Router,
    SimClock,
    SimRequest,
    SimResponse,
    SimulatorServer,
    bytes_response,
    json_response,
    simulator_fixture,
    text_response,
)

__all__ = [
    "CLOCK_ENV",
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
