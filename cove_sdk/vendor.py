"""How ``backup_sdk`` finds this package (entry point ``backup_sdk.vendors``: ``cove``).

Importing this module is cheap: the parts are named, not imported.
"""

from backup_sdk.redaction import register_secret_keys
from backup_sdk.vendors import Vendor

__all__ = ["SECRET_WIRE_KEYS", "VENDOR"]

#: Wire keys whose values are secret in this vendor's API (beyond the generic names).
SECRET_WIRE_KEYS: tuple[str, ...] = (
    "visa",
    "accountToken",
    "EncryptionKey",
    "SecurityCode",
    "ProductKey",
)
register_secret_keys(SECRET_WIRE_KEYS)

VENDOR = Vendor(
    name="cove",
    title="N-able Cove Data Protection",
    package="cove_sdk",
    env_prefix="COVE",
    client="cove_sdk.client:CoveClient",
    simulator="cove_sdk.testing.simulator:CoveSimulator",
    runs="cove_sdk.runs:to_backup_runs",
    run_source="cove_sdk.runs:CoveRunSource",
    demo="cove_sdk.demo:run_demo",
)
