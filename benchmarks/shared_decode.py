"""Benchmark: decoding vendor-shaped JSON into models, against json.loads in the same run.

Run: python benchmarks/shared_decode.py [--records 20000] [--repeat 5]

Prints the cost of ``json.loads`` alone (the baseline), of ``json.loads`` + model decoding,
and their ratio; then the peak memory of streaming 200 pages through ``OffsetPaginator``
against holding them all, as a ratio too. Figures are machine-dependent; ratios are what
to compare between versions.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import time
import tracemalloc

from backup_sdk.models import ModelConverter, OpenIntEnum, UnixTime, WireModel, model, wire
from backup_sdk.pagination import OffsetPaginator


class Status(OpenIntEnum):
    SUCCESS = 5000
    RUNNING = 6001
    WARNING = 7001
    FAILED = 7000


@model
class Job(WireModel):
    guid: str = wire("GUID")
    username: str = wire("Username", default="")
    classification: int = wire("Classification", default=0)
    status: Status = wire("Status", default=Status.SUCCESS)
    start_time: UnixTime | None = wire("StartTime", default=None)
    end_time: UnixTime | None = wire("EndTime", default=None)
    total_size: int = wire("TotalSize", default=0)
    upload_size: int = wire("UploadSize", default=0)
    total_files: int = wire("TotalFiles", default=0)
    source_guid: str = wire("SourceGUID", default="")
    destination_guid: str = wire("DestinationGUID", default="")
    device_id: str = wire("DeviceID", default="")
    client_version: str = wire("ClientVersion", default="")
    cancellation_id: str = wire("CancellationID", default="")


def make_payload(n: int, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    jobs = []
    for i in range(n):
        start = 1_790_000_000 + rng.randrange(86_400)
        jobs.append(
            {
                "GUID": f"{i:08x}-0000-4000-8000-{rng.getrandbits(48):012x}",
                "Username": f"user{i % 300}",
                "Classification": 4001,
                "Status": rng.choice([5000, 5000, 5000, 7001, 7000, 6001, 6003]),
                "StartTime": start,
                "EndTime": start + rng.randrange(3_600),
                "TotalSize": rng.randrange(10**12),
                "UploadSize": rng.randrange(10**9),
                "TotalFiles": rng.randrange(10**6),
                "SourceGUID": f"src-{i % 50}",
                "DestinationGUID": f"dst-{i % 7}",
                "DeviceID": f"dev-{i % 1000}",
                "ClientVersion": "20.9.12",
                "CancellationID": "",
                "RetryCount": 0,
            }
        )
    return json.dumps(jobs).encode()


def best_of(repeat: int, fn: object) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    payload = make_payload(args.records)
    conv = ModelConverter("bench")
    conv.structure_list(json.loads(payload)[:10], Job)  # build hooks outside the timing

    base = best_of(args.repeat, lambda: json.loads(payload))
    full = best_of(args.repeat, lambda: conv.structure_list(json.loads(payload), Job))
    per = (full - base) / args.records * 1e6
    print(f"records: {args.records:,}  payload: {len(payload) / 1e6:.1f} MB")
    print(f"json.loads                : {base * 1e3:8.1f} ms  (baseline)")
    print(f"json.loads + models       : {full * 1e3:8.1f} ms  ratio {full / base:.2f}x")
    print(f"model decoding per record : {per:8.2f} us")

    page = json.loads(make_payload(1_000))

    def fetch(offset: int, count: int) -> list[Job]:
        if offset >= 200_000:
            return []
        return conv.structure_list(page[:count], Job)

    tracemalloc.start()
    for _ in OffsetPaginator(fetch, page_size=1_000, limit=200_000):
        pass
    _, streamed_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    tracemalloc.start()
    everything = list(OffsetPaginator(fetch, page_size=1_000, limit=50_000))
    _, held_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del everything
    print(f"streaming 200 pages peak  : {streamed_peak / 1e6:8.1f} MB")
    ratio = held_peak / streamed_peak
    print(f"holding 50 pages peak     : {held_peak / 1e6:8.1f} MB  ratio {ratio:.1f}x")


if __name__ == "__main__":
    main()
