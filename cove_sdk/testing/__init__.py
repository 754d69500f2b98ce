"""A simulated Cove service (JSON-RPC Management Service and a storage node's Reporting
Service) with a seeded fleet, for tests, demos and dashboards."""

from cove_sdk.testing.filters import FilterError, parse_filter
from cove_sdk.testing.fleet import Device, Fleet, FleetSpec, Partner, SourceStats
from cove_sdk.testing.simulator import CoveSimulator

__all__ = [
    "CoveSimulator",
    "Device",
    "FilterError",
    "Fleet",
    "FleetSpec",
    "Partner",
    "SourceStats",
    "parse_filter",
]
