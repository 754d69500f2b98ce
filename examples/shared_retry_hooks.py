"""Retry policy, timeouts and hooks from user code (type-checked with mypy --strict in CI).

Runs against a tiny local simulator, so it needs no account:
    python examples/shared_retry_hooks.py
"""

from __future__ import annotations

from collections import Counter

from backup_sdk import (
    BackupSDKError,
    BaseClient,
    Hooks,
    RateLimitError,
    ResponseEvent,
    RetryPolicy,
    Timeout,
)
from backup_sdk.testing import SimRequest, SimResponse, SimulatorServer, json_response
from backup_sdk.transport import json_handler


class Inventory(SimulatorServer):
    def handle(self, request: SimRequest) -> SimResponse:
        return json_response({"devices": ["fs-01", "sql-02"]})


class InventoryClient(BaseClient):
    package = "backup_sdk"

    def devices(self) -> list[str]:
        body = self._transport.request(
            "GET", "/devices", operation="ListDevices", idempotent=True, handler=json_handler
        )
        return [str(name) for name in body["devices"]]


def main() -> None:
    outcomes: Counter[str] = Counter()

    def count(event: ResponseEvent) -> None:
        outcomes[str(event.status or type(event.error).__name__)] += 1

    with Inventory() as sim:
        sim.faults.fail_next(2, 503)
        with InventoryClient(
            base_url=sim.url,
            timeout=Timeout(connect=2, read=10),
            retry=RetryPolicy(max_attempts=3, backoff_base=0.01),
            hooks=Hooks(on_response=[count]),
        ) as client:
            try:
                print(client.devices())
            except RateLimitError as exc:
                print(f"rate limited, retry in {exc.retry_after} s")
            except BackupSDKError as exc:
                print(f"failed: {exc}")
    print(dict(outcomes))


if __name__ == "__main__":
    main()
