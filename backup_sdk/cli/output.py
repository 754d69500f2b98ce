"""Writing runs, devices and verdicts as a table, JSON, NDJSON or CSV.

JSON is a list of records (:meth:`BackupRun.to_record` for runs, which
:meth:`BackupRun.from_record` reads back); NDJSON is one record per line; CSV has one
column per record key (lists as JSON text).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timezone
from typing import Any, TextIO

from backup_sdk.cli.times import format_duration
from backup_sdk.runs import BackupRun, Device
from backup_sdk.staleness import DeviceStaleness

__all__ = ["FORMATS", "device_record", "write_devices", "write_runs", "write_verdicts"]

FORMATS = ("table", "json", "ndjson", "csv")
_WIDEST = 48


def _stamp(value: datetime | None) -> str:
    return f"{value.astimezone(timezone.utc):%Y-%m-%d %H:%M}" if value is not None else ""


def _size(value: int | None) -> str:
    if value is None:
        return ""
    amount = float(value)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if amount < 1024 or unit == "TB":
            return f"{amount:.0f} {unit}" if unit == "B" else f"{amount:.1f} {unit}"
        amount /= 1024
    return ""  # pragma: no cover - the loop always returns


def _cell(value: Any, *, cut: bool = True) -> str:
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    return text if not cut or len(text) <= _WIDEST else text[: _WIDEST - 1] + "…"


def write_table(stream: TextIO, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Aligned columns, one header line (cells cut at 48 characters, but the last)."""
    last = len(headers) - 1
    cells = [[_cell(value, cut=i < last) for i, value in enumerate(row)] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    for row in [list(headers), *cells]:
        stream.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        stream.write("\n")


def _csv_value(value: Any) -> Any:
    return json.dumps(value) if isinstance(value, list | tuple | dict) else value


def _write_records(
    stream: TextIO, records: list[dict[str, Any]], fmt: str, fields: Sequence[str]
) -> None:
    if fmt == "json":
        stream.write(json.dumps(records, indent=2))
        stream.write("\n")
    elif fmt == "ndjson":
        for record in records:
            stream.write(json.dumps(record, separators=(",", ":")))
            stream.write("\n")
    elif fmt == "csv":
        writer = csv.DictWriter(stream, fieldnames=list(fields), lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow({key: _csv_value(value) for key, value in record.items()})
    else:
        raise ValueError(f"unknown format {fmt!r}")


_RUN_FIELDS = (
    "key",
    "vendor",
    "device_id",
    "device_name",
    "run_id",
    "status",
    "started",
    "ended",
    "bytes_processed",
    "bytes_uploaded",
    "errors",
    "customer",
    "data_source",
    "raw_status",
    "messages",
)


def write_runs(stream: TextIO, runs: Sequence[BackupRun], fmt: str) -> None:
    """Runs in ``fmt`` (table: newest last)."""
    if fmt != "table":
        _write_records(stream, [run.to_record() for run in runs], fmt, _RUN_FIELDS)
        return
    if not runs:
        stream.write("No runs.\n")
        return
    write_table(
        stream,
        ["WHEN (UTC)", "VENDOR", "CUSTOMER", "DEVICE", "SOURCE", "STATUS", "DURATION", "SIZE"],
        (
            [
                _stamp(run.ended or run.started),
                run.vendor,
                run.customer,
                run.device_name or run.device_id,
                run.data_source,
                run.status.value,
                format_duration(run.duration),
                _size(run.bytes_processed),
            ]
            for run in runs
        ),
    )


_VERDICT_FIELDS = (
    "vendor",
    "device_id",
    "device_name",
    "customer",
    "verdict",
    "last_good",
    "reason",
    "last_run_status",
    "last_run_at",
    "unknown_sources",
)


def write_verdicts(stream: TextIO, verdicts: Sequence[DeviceStaleness], fmt: str) -> None:
    """Device verdicts in ``fmt``."""
    if fmt != "table":
        _write_records(stream, [v.to_record() for v in verdicts], fmt, _VERDICT_FIELDS)
        return
    if not verdicts:
        stream.write("No stale devices.\n")
        return
    write_table(
        stream,
        ["VERDICT", "VENDOR", "CUSTOMER", "DEVICE", "LAST GOOD (UTC)", "WHY"],
        (
            [
                v.verdict.value,
                v.device.vendor,
                v.device.customer,
                v.device.device_name or v.device.device_id,
                _stamp(v.last_good) or ("never" if v.never_backed_up else "-"),
                v.reason,
            ]
            for v in verdicts
        ),
    )


def device_record(device: Device) -> dict[str, Any]:
    """A device as a flat, JSON-friendly dict."""
    return {
        "vendor": device.vendor,
        "device_id": device.device_id,
        "device_name": device.device_name,
        "customer": device.customer,
        "data_sources": list(device.data_sources),
        "last_success": device.last_success.isoformat() if device.last_success else None,
        "unknown_sources": list(device.unknown_sources),
    }


_DEVICE_FIELDS = (
    "vendor",
    "device_id",
    "device_name",
    "customer",
    "data_sources",
    "last_success",
    "unknown_sources",
)


def write_devices(stream: TextIO, devices: Sequence[Device], fmt: str) -> None:
    """Devices in ``fmt``."""
    if fmt != "table":
        _write_records(stream, [device_record(d) for d in devices], fmt, _DEVICE_FIELDS)
        return
    if not devices:
        stream.write("No devices.\n")
        return
    joined: Callable[[Iterable[str]], str] = ", ".join
    write_table(
        stream,
        ["VENDOR", "CUSTOMER", "DEVICE", "ID", "DATA SOURCES", "LAST SUCCESS (UTC)"],
        (
            [
                d.vendor,
                d.customer,
                d.device_name,
                d.device_id,
                joined(d.data_sources),
                _stamp(d.last_success),
            ]
            for d in devices
        ),
    )
