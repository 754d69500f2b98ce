from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone

import attrs
import pytest

import backup_sdk.vendors
from backup_sdk.errors import ValidationError
from backup_sdk.runs import BackupRun, Device, RunStatus, latest_success_by_device
from backup_sdk.runs import stale_devices as old_stale_devices
from backup_sdk.staleness import (
    DeviceStaleness,
    Verdict,
    assess_devices,
    good_time,
    is_good,
    last_good,
    last_good_by_device,
    stale_devices,
    vendor_counts_warning_as_success,
)
from backup_sdk.vendors import Vendor, vendors

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


def run(
    device: str,
    status: RunStatus,
    hours_ago: float,
    *,
    vendor: str = "cove",
    source: str | None = None,
    run_id: str = "",
) -> BackupRun:
    ended = NOW - timedelta(hours=hours_ago)
    return BackupRun(
        vendor=vendor,
        device_id=device,
        device_name=f"name-{device}",
        run_id=run_id or f"{device}-{source}-{hours_ago}-{status.value}",
        status=status,
        started=ended - timedelta(minutes=10),
        ended=None if status is RunStatus.RUNNING else ended,
        data_source=source,
    )


def by_id(results: list[DeviceStaleness]) -> dict[str, DeviceStaleness]:
    return {r.device.device_id: r for r in results}


def test_every_bundled_vendor_says_a_warning_is_not_a_success() -> None:
    assert {name: v.warning_counts_as_success for name, v in vendors().items()} == {
        "comet": False,
        "cove": False,
        "npm_backup": False,
    }
    assert vendor_counts_warning_as_success("no-such-vendor") is False


def test_is_good_follows_the_vendor_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    warning = run("a", RunStatus.WARNING, 1)
    assert is_good(run("a", RunStatus.SUCCESS, 1))
    assert not is_good(warning)
    assert is_good(warning, warning_counts_as_success=True)
    assert not is_good(run("a", RunStatus.FAILED, 1), warning_counts_as_success=True)
    lenient = Vendor("lenient", "L", "x", "L", "x:C", "x:S", "x:r", warning_counts_as_success=True)
    registry: Mapping[str, Vendor] = {**vendors(), "lenient": lenient}
    monkeypatch.setattr(backup_sdk.vendors, "vendors", lambda: registry)
    assert is_good(attrs.evolve(warning, vendor="lenient"))
    assert not is_good(attrs.evolve(warning, vendor="lenient"), warning_counts_as_success=False)


def test_a_run_counts_from_its_end_or_else_its_start() -> None:
    done = run("a", RunStatus.SUCCESS, 2)
    assert good_time(done) == NOW - timedelta(hours=2)
    assert good_time(attrs.evolve(done, ended=None)) == NOW - timedelta(hours=2, minutes=10)
    assert good_time(run("a", RunStatus.RUNNING, 0)) is None
    assert good_time(attrs.evolve(done, started=None, ended=None)) is None


def test_last_good_is_the_newest_good_run() -> None:
    runs = [
        run("a", RunStatus.SUCCESS, 5),
        run("a", RunStatus.SUCCESS, 1),
        run("a", RunStatus.WARNING, 0.5),
        run("b", RunStatus.FAILED, 0.1),
        attrs.evolve(run("a", RunStatus.SUCCESS, 0), started=None, ended=None),
    ]
    best = last_good(runs)
    assert best is not None
    assert best.ended == NOW - timedelta(hours=1)
    lenient = last_good(runs, warning_counts_as_success=True)
    assert lenient is not None
    assert lenient.status is RunStatus.WARNING
    assert last_good([run("b", RunStatus.FAILED, 1)]) is None
    per_device = last_good_by_device(runs)
    assert list(per_device) == [("cove", "a")]
    assert per_device[("cove", "a")].ended == NOW - timedelta(hours=1)


def test_the_24h_question_with_reasons() -> None:
    inventory = [Device(vendor="cove", device_id=d, device_name=f"name-{d}") for d in "abcdef"] + [
        Device(vendor="comet", device_id="a")
    ]
    runs = [
        run("a", RunStatus.SUCCESS, 2),
        run("b", RunStatus.FAILED, 1),
        run("b", RunStatus.SUCCESS, 30),
        run("c", RunStatus.WARNING, 23),
        run("d", RunStatus.RUNNING, 0.1),
        run("e", RunStatus.SUCCESS, 24),  # exactly at the cutoff: within
        run("a", RunStatus.SUCCESS, 2, vendor="comet"),
        run("zzz", RunStatus.FAILED, 1),  # not in the inventory: left out
    ]
    results = assess_devices(inventory, runs, now=NOW)
    assert [(r.device.vendor, r.device.device_id) for r in results] == [
        ("comet", "a"),
        *[("cove", d) for d in "abcdef"],
    ]
    verdicts = {(r.device.vendor, r.device.device_id): r.verdict for r in results}
    assert verdicts == {
        ("comet", "a"): Verdict.FRESH,
        ("cove", "a"): Verdict.FRESH,
        ("cove", "b"): Verdict.STALE,
        ("cove", "c"): Verdict.NEVER,  # a warning is not a success for Cove
        ("cove", "d"): Verdict.NEVER,
        ("cove", "e"): Verdict.FRESH,
        ("cove", "f"): Verdict.NEVER,
    }
    found = by_id(stale_devices(inventory, runs, now=NOW))
    assert sorted(found) == ["b", "c", "d", "f"]
    assert found["b"].last_good == NOW - timedelta(hours=30)
    assert found["b"].reason == (
        "no good backup in the last 24 h; last good 2026-11-22 06:00 UTC (1 d 6 h ago); "
        "last run failed (2026-11-23 11:00 UTC)"
    )
    assert found["f"].last_good is None
    assert found["f"].never_backed_up
    assert found["f"].reason == "never backed up"
    assert found["d"].reason.startswith("never backed up; last run is running")
    assert found["c"].reason == "never backed up; last run warning (2026-11-22 13:00 UTC)"
    lenient = by_id(stale_devices(inventory, runs, now=NOW, warning_counts_as_success=True))
    assert sorted(lenient) == ["b", "d", "f"]
    assert sorted(by_id(stale_devices(inventory, runs, now=NOW, within=timedelta(hours=48)))) == [
        "c",
        "d",
        "f",
    ]


def test_without_an_inventory_the_runs_name_the_devices() -> None:
    runs = [run("a", RunStatus.SUCCESS, 2), run("b", RunStatus.FAILED, 1)]
    results = assess_devices(None, runs, now=NOW)
    assert [(r.device.device_id, r.verdict) for r in results] == [
        ("a", Verdict.FRESH),
        ("b", Verdict.NEVER),
    ]
    assert results[1].device.device_name == "name-b"
    assert results[1].last_run == runs[1]
    assert stale_devices(None, [], now=NOW) == []


def test_an_inventory_covers_the_vendors_it_names() -> None:
    inventory = [Device(vendor="cove", device_id="a"), Device(vendor="cove", device_id="b")]
    runs = [
        run("a", RunStatus.SUCCESS, 1),
        run("zzz", RunStatus.SUCCESS, 1),  # cove, not in cove's inventory: left out
        run("c1", RunStatus.FAILED, 1, vendor="comet"),  # no comet inventory: from runs
    ]
    results = assess_devices(inventory, runs, now=NOW)
    assert [(r.device.vendor, r.device.device_id, r.verdict) for r in results] == [
        ("comet", "c1", Verdict.NEVER),
        ("cove", "a", Verdict.FRESH),
        ("cove", "b", Verdict.NEVER),
    ]


def test_unknown_sources_are_unknown_not_stale() -> None:
    refused = Device(vendor="cove", device_id="r", data_sources=["D1"], unknown_sources=["D1"])
    only_unknown = Device(vendor="cove", device_id="u", unknown_sources=["D19", "D20"])
    partly = Device(
        vendor="cove", device_id="p", data_sources=["D1", "D19"], unknown_sources=["D19"]
    )
    runs = [run("p", RunStatus.SUCCESS, 40, source="D1")]
    results = by_id(assess_devices([refused, only_unknown, partly], runs, now=NOW))
    assert results["r"].verdict is Verdict.UNKNOWN
    assert results["u"].verdict is Verdict.UNKNOWN
    assert results["u"].reason == (
        "the state of every data source is unknown (D19, D20 cannot be read)"
    )
    assert not results["u"].is_stale
    assert results["p"].verdict is Verdict.STALE
    assert results["p"].reason.endswith("; state unknown for D19")
    assert results["p"].sources == {"D1": NOW - timedelta(hours=40)}
    assert results["p"].unknown_sources == ("D19",)
    assert sorted(by_id(stale_devices([refused, only_unknown, partly], runs, now=NOW))) == ["p"]


def test_per_source_last_good_times() -> None:
    device = Device(vendor="cove", device_id="a", data_sources=["D1", "D10", "D19"])
    runs = [
        run("a", RunStatus.SUCCESS, 3, source="D1"),
        run("a", RunStatus.SUCCESS, 1, source="D1"),
        run("a", RunStatus.FAILED, 1, source="D10"),
        run("a", RunStatus.SUCCESS, 5, source="D7"),  # seen in runs, not in the inventory
    ]
    (result,) = assess_devices([device], runs, now=NOW)
    assert result.verdict is Verdict.FRESH
    assert result.sources == {
        "D1": NOW - timedelta(hours=1),
        "D10": None,
        "D19": None,
        "D7": NOW - timedelta(hours=5),
    }


def test_the_vendors_own_last_success_is_evidence() -> None:
    device = Device(vendor="cove", device_id="a", last_success=NOW - timedelta(hours=3))
    (fresh,) = assess_devices([device], [], now=NOW)
    assert fresh.verdict is Verdict.FRESH
    assert fresh.last_good == NOW - timedelta(hours=3)
    assert fresh.last_good_run is None
    assert fresh.reason == "last good backup 2026-11-23 09:00 UTC (3 h ago)"
    old = attrs.evolve(device, last_success=NOW - timedelta(days=3))
    newer_run = run("a", RunStatus.SUCCESS, 50)
    (stale,) = assess_devices([old], [newer_run], now=NOW)
    assert stale.verdict is Verdict.STALE
    assert stale.last_good_run == newer_run


def test_a_lenient_vendors_last_success_is_no_evidence_for_a_strict_question(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lenient = Vendor("lenient", "L", "x", "L", "x:C", "x:S", "x:r", warning_counts_as_success=True)
    registry: Mapping[str, Vendor] = {"lenient": lenient}
    monkeypatch.setattr(backup_sdk.vendors, "vendors", lambda: registry)
    device = Device(vendor="lenient", device_id="a", last_success=NOW - timedelta(hours=1))
    (strict,) = assess_devices([device], [], now=NOW, warning_counts_as_success=False)
    assert strict.verdict is Verdict.NEVER
    (default,) = assess_devices([device], [], now=NOW)
    assert default.verdict is Verdict.FRESH


def test_a_partial_history_says_since_when() -> None:
    device = Device(vendor="cove", device_id="a")
    since = NOW - timedelta(days=7)
    (result,) = assess_devices([device], [], now=NOW, runs_since=since)
    assert result.verdict is Verdict.STALE
    assert result.last_good is None
    assert result.reason == "no good backup since 2026-11-16 12:00 UTC (the history looked at)"


def test_records_are_json_friendly() -> None:
    (result,) = assess_devices(
        [Device(vendor="cove", device_id="a", device_name="pc", customer="Acme")],
        [run("a", RunStatus.FAILED, 1)],
        now=NOW,
    )
    assert result.to_record() == {
        "vendor": "cove",
        "device_id": "a",
        "device_name": "pc",
        "customer": "Acme",
        "verdict": "never",
        "last_good": None,
        "reason": "never backed up; last run failed (2026-11-23 11:00 UTC)",
        "last_run_status": "failed",
        "last_run_at": "2026-11-23T11:00:00+00:00",
        "unknown_sources": [],
    }


def test_bad_arguments_are_named() -> None:
    with pytest.raises(ValidationError, match="now"):
        stale_devices(None, [], now=datetime(2026, 1, 1))
    with pytest.raises(ValidationError, match="within"):
        stale_devices(None, [], now=NOW, within=timedelta(hours=-1))
    with pytest.raises(ValidationError, match="runs_since"):
        stale_devices(None, [], now=NOW, runs_since=datetime(2026, 1, 1))


def test_the_old_helpers_keep_their_rule_on_the_new_definition() -> None:
    runs = [run("c", RunStatus.WARNING, 23), run("b", RunStatus.SUCCESS, 30)]
    assert old_stale_devices(runs, now=NOW, devices=[("npm_backup", "n")]) == [
        ("cove", "b"),
        ("npm_backup", "n"),
    ]
    assert list(latest_success_by_device(runs)) == [("cove", "c"), ("cove", "b")]


def test_durations_read_naturally() -> None:
    device = Device(vendor="cove", device_id="a")
    for minutes, text in [
        (5, "5 min ago"),
        (60, "1 h ago"),
        (61, "1 h 1 min ago"),
        (1440, "1 d ago"),
    ]:
        good = attrs.evolve(run("a", RunStatus.SUCCESS, 0), ended=NOW - timedelta(minutes=minutes))
        (result,) = assess_devices([device], [good], now=NOW, within=timedelta(days=2))
        assert result.reason.endswith(f"({text})")
    future = attrs.evolve(run("a", RunStatus.SUCCESS, 0), ended=NOW + timedelta(minutes=5))
    (result,) = assess_devices([device], [future], now=NOW)
    assert result.reason.endswith("(in the future)")
