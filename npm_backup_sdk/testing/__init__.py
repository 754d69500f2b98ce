"""A simulated Backup and Restore v2.0 appliance for tests, demos and dashboards.

``python -m npm_backup_sdk.testing`` runs it as a process (see
``npm_backup_sdk.testing.__main__``); its state lives in ``npm_backup_sdk.testing.fleet``.
"""

from npm_backup_sdk.testing.fleet import NpmFleet, NpmOperation, NpmState
from npm_backup_sdk.testing.simulator import NpmBackupSimulator

__all__ = ["NpmBackupSimulator", "NpmFleet", "NpmOperation", "NpmState"]
