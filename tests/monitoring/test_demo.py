from __future__ import annotations

import io
from datetime import datetime, timezone
from typing import TextIO

import attrs

from backup_sdk.cli import main
from backup_sdk.demo import run_unified
from backup_sdk.vendors import Vendor, vendors

START = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc).timestamp()


def quick_demo(stream: TextIO) -> None:
    stream.write("== the vendor's own demo ==\n")


def test_one_table_for_every_vendor_and_the_stale_devices() -> None:
    out = io.StringIO()
    assert run_unified(out, start=START, limit=5) == 0
    text = out.getvalue()
    assert "simulated time 2026-11-23 12:00 UTC" in text
    for title in ("N-able Cove Data Protection", "Comet Server", "Backup and Restore v2.0"):
        assert title in text
    assert "The 5 latest of" in text
    table = text.split("all vendors in one table:\n\n")[1].split("\n\n")[0].splitlines()
    assert table[0].startswith("WHEN (UTC)")
    assert len(table) == 6
    assert "devices had no good backup in the last 24 hours (the first 5):" in text
    assert "backup-sdk sync --db runs.sqlite --every 15m" in text
    rows = table[1:]
    assert len(set(rows)) == len(rows), "a run reported twice is shown once"
    again = io.StringIO()
    run_unified(again, start=START, limit=5)
    assert again.getvalue() == text, "a frozen clock: the same output every time"


def test_only_the_vendors_named() -> None:
    out = io.StringIO()
    status = main(["demo", "cove", "--limit", "3"], stdout=out)
    assert status == 0
    text = out.getvalue()
    assert "(cove)" in text
    assert "(comet)" not in text


def test_without_run_sources_the_vendor_demos_run_instead() -> None:
    bare = {
        "echo": Vendor(
            name="echo",
            title="Echo",
            package="tests",
            env_prefix="ECHO",
            client="",
            simulator="tests.support.echo:EchoSimulator",
            runs="",
            demo="tests.monitoring.test_demo:quick_demo",
        )
    }
    out = io.StringIO()
    assert run_unified(out, ["echo"], registry=bare, start=START) == 0
    text = out.getvalue()
    assert "echo: no run source in this version" in text
    assert "No vendor offers a run source yet" in text
    assert "== the vendor's own demo ==" in text


def test_vendor_demos_after_the_table() -> None:
    registry = {
        "cove": attrs.evolve(vendors()["cove"], demo="tests.monitoring.test_demo:quick_demo")
    }
    out = io.StringIO()
    assert main(["demo", "cove", "--vendor-demos"], stdout=out, registry=registry) == 0
    text = out.getvalue()
    assert text.index("all vendors in one table") < text.index("== the vendor's own demo ==")


def test_every_installed_vendor_has_a_run_source() -> None:
    assert all(vendor.run_source for vendor in vendors().values())
