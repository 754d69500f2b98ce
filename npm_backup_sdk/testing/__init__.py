"""A simulated Backup and Restore v2.0 appliance for tests, demos and dashboards."""

from npm_backup_sdk.testing.simulator import NpmBackupSimulator, NpmState

__all__ = ["NpmBackupSimulator", "NpmState"]
