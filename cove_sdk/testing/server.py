"""Deprecated: the simulator moved to :mod:`cove_sdk.testing.simulator`."""

import warnings

from cove_sdk.testing.simulator import CoveSimulator

__all__ = ["CoveSimulator"]

warnings.warn(
    "cove_sdk.testing.server is deprecated: import CoveSimulator from cove_sdk.testing",
    DeprecationWarning,
    stacklevel=2,
)
