"""Benchmark: building Cove statistics rows against the json.loads of the same page.

Run: python benchmarks/cove_rows.py [--devices 10000] [--repeat 5]

The page is what EnumerateAccountStatistics returns for 10,000 devices x 40 columns
(values as strings, Settings as one-key objects). The target (issue 4): decoding the
page costs at most about twice its json.loads. Typed access is measured separately,
since rows convert values only when they are read.
"""

from __future__ import annotations

import argparse
import gc
import json
import time
from collections.abc import Callable, Iterable
from typing import Any

from cove_sdk.columns import column
from cove_sdk.statistics import StatisticsRow, decode_page
from cove_sdk.testing.fleet import Fleet, FleetSpec

PROPERTIES = ["I0", "I1", "I8", "I18", "I32", "I59", "I78", "I4", "I6", "I14"]
COLUMNS = (
    PROPERTIES
    + [column(s, f) for s in (1, 7, 10, 9) for f in (0, 6, 9, 12, 15, 17, 18)]
    + [column(19, 0), column(20, 0)]
)


def make_page(devices: int) -> bytes:
    fleet = Fleet(FleetSpec(devices=devices, seed=1, never_share=0.0), now=1_795_000_000)
    rows = []
    for device in fleet.devices:
        settings = []
        for code in COLUMNS:
            value = device.value(code.replace("D0", "D").replace("F0", "F"))
            settings.append({code: value if value is not None else ""})
        rows.append(
            {
                "AccountId": device.account_id,
                "PartnerId": device.partner_id,
                "Flags": None,
                "Settings": settings,
            }
        )
    reply = {"jsonrpc": "2.0", "id": "1", "visa": "x", "result": {"result": rows}}
    return json.dumps(reply).encode()


def typed_reads(rows: Iterable[StatisticsRow]) -> int:
    """The 5 typed reads per device that the figures name: the total's last status and last
    success, used storage and data sources; returns the failures seen."""
    failures = 0
    for row in rows:
        total = row.total
        if total.last_status is not None and total.last_status.is_failure:
            failures += 1
        _ = total.last_success, row.used_storage, row.data_sources
    return failures


def best_of(repeat: int, fn: Callable[[], Any]) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--devices", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    payload = make_page(args.devices)

    def decode() -> Any:
        reply = json.loads(payload)
        return decode_page(reply["result"]["result"])

    def typed() -> int:
        return typed_reads(decode())

    base = best_of(args.repeat, lambda: json.loads(payload))
    rows = best_of(args.repeat, decode)
    access = best_of(args.repeat, typed)
    print(f"page: {args.devices:,} devices x {len(COLUMNS)} columns, {len(payload) / 1e6:.1f} MB")
    print(f"json.loads                        : {base * 1e3:8.1f} ms  (baseline)")
    print(f"json.loads + rows                 : {rows * 1e3:8.1f} ms  ratio {rows / base:.2f}x")
    print(f"  + typed reads (5 per device)    : {access * 1e3:8.1f} ms  ratio {access / base:.2f}x")
    print("target: rows ratio <= ~2.0x", "(met)" if rows / base <= 2.0 else "(NOT met)")


if __name__ == "__main__":
    main()
