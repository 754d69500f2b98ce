"""How ``backup_sdk`` finds this package (entry point ``backup_sdk.vendors``: ``npm_backup``).

Importing this module is cheap: the parts are named, not imported.
"""

from backup_sdk.redaction import register_secret_keys
from backup_sdk.vendors import Vendor

__all__ = ["SECRET_WIRE_KEYS", "VENDOR"]

#: Wire keys whose values are secret in this vendor's API (beyond the generic names).
SECRET_WIRE_KEYS: tuple[str, ...] = (
    "new_private_key",
    "session_key",
)
register_secret_keys(SECRET_WIRE_KEYS)

VENDOR = Vendor(
    name="npm_backup",
    title="Backup and Restore v2.0 appliance",
    package="npm_backup_sdk",
    env_prefix="NPM_BACKUP",
    client="npm_backup_sdk.client:NpmBackupClient",
    simulator="npm_backup_sdk.testing.simulator:NpmBackupSimulator",
    runs="npm_backup_sdk.runs:to_backup_runs",
    run_source="npm_backup_sdk.runs:NpmRunSource",
    demo="npm_backup_sdk.demo:run_demo",
)
