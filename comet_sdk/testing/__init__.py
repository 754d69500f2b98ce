"""A simulated Comet Server for tests, demos and dashboards."""

from comet_sdk.testing.simulator import CometFleetSpec, CometSimulator

__all__ = ["CometFleetSpec", "CometSimulator"]
