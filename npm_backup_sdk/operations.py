"""Which appliance operations are safe to send twice.

The table is by operation, not by HTTP verb: ``PUT`` and ``DELETE`` are idempotent in
principle, but a ``DELETE`` of a completed backup that the appliance carried out before the
reply was lost answers 404 when sent again, and a ``PUT`` may race another writer. Only the
reads below are retried after a timeout, a dropped connection or a 5xx/429; every other
operation is retried only when the request provably never reached the appliance.
"""

from __future__ import annotations

from typing import Final

__all__ = ["SAFE_TO_REPEAT", "is_safe_to_repeat"]

SAFE_TO_REPEAT: Final[frozenset[str]] = frozenset(
    {
        "backups.get",
        "common.info",
        "common.ping",
        "common.services",
        "completed_backup.download",
        "completed_backup.get",
        "device_status.get",
        "scheduled_backup.get",
        "scheduled_backups.get",
        "server.get",
        "servers.get",
    }
)


def is_safe_to_repeat(operation: str) -> bool:
    """True if the appliance operation ``operation`` only reads."""
    return operation in SAFE_TO_REPEAT
