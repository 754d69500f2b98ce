"""A simulated Comet Server (admin and user-web API) for tests, demos and dashboards.

``python -m comet_sdk.testing`` runs it as a process (see ``comet_sdk.testing.__main__``).
"""

from comet_sdk.testing.fleet import CometFleet, CometFleetSpec
from comet_sdk.testing.simulator import CometSimulator

__all__ = ["CometFleet", "CometFleetSpec", "CometSimulator"]
