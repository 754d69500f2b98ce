from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from backup_sdk.cli import EXIT_CONFIG, EXIT_FAIL_ON, EXIT_OK, EXIT_VENDOR, main
from backup_sdk.runs import BackupRun, Device, RunStatus
from backup_sdk.sync import SqliteRunStore
from backup_sdk.testing import SimClock
from tests.monitoring.clifakes import WORLD, fake_registry
from tests.monitoring.fakes import StaticSource

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
ENV = {
    "ALPHA_URL": "http://127.0.0.1:1",
    "ALPHA_USERNAME": "ops",
    "ALPHA_PASSWORD": "alpha-Secret-1",
    "BETA_URL": "http://127.0.0.1:2",
    "BETA_USERNAME": "ops",
    "BETA_PASSWORD": "beta-Secret-2",
    "HOME": "/nonexistent-home",
}


def run(vendor: str, device: str, run_id: str, status: RunStatus, hours_ago: float) -> BackupRun:
    ended = NOW - timedelta(hours=hours_ago)
    return BackupRun(
        vendor=vendor,
        device_id=device,
        device_name=f"{device}-name",
        run_id=run_id,
        status=status,
        started=ended - timedelta(minutes=20),
        ended=None if status is RunStatus.RUNNING else ended,
        bytes_processed=5 * 1024**3,
        customer="Acme",
        data_source="files",
        raw_status=7 if status is RunStatus.FAILED else 5,
        messages=["line one", "line, two"] if status is RunStatus.FAILED else [],
    )


@pytest.fixture
def world() -> Iterator[dict[str, StaticSource]]:
    WORLD.clear()
    WORLD["alpha"] = StaticSource(
        "alpha",
        [
            run("alpha", "a1", "r1", RunStatus.SUCCESS, 2),
            run("alpha", "a2", "r2", RunStatus.FAILED, 1),
            run("alpha", "a2", "r0", RunStatus.SUCCESS, 30),
            run("alpha", "a3", "r3", RunStatus.RUNNING, 0),
        ],
        [
            Device(vendor="alpha", device_id=d, device_name=f"{d}-name")
            for d in ("a1", "a2", "a3", "a4")
        ]
        + [Device(vendor="alpha", device_id="a5", unknown_sources=["mail"])],
    )
    WORLD["beta"] = StaticSource(
        "beta",
        [
            run("beta", "b1", "r1", RunStatus.MISSED, 3),
            run("beta", "b1", "r9", RunStatus.WARNING, 4),
        ],
        [Device(vendor="beta", device_id="b1", device_name="b1-name")],
    )
    yield WORLD
    WORLD.clear()


def cli(*argv: str, env: dict[str, str] | None = None, **options: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(
        list(argv),
        environ=ENV if env is None else env,
        stdout=out,
        stderr=err,
        clock=options.pop("clock", lambda: NOW),  # type: ignore[arg-type]
        registry=options.pop("registry", fake_registry()),  # type: ignore[arg-type]
        **options,  # type: ignore[arg-type]
    )
    return status, out.getvalue(), err.getvalue()


def test_runs_table(world: dict[str, StaticSource]) -> None:
    status, out, err = cli("runs", "--since", "24h")
    assert status == EXIT_OK, err
    lines = out.splitlines()
    assert lines[0].split() == [
        "WHEN",
        "(UTC)",
        "VENDOR",
        "CUSTOMER",
        "DEVICE",
        "SOURCE",
        "STATUS",
        "DURATION",
        "SIZE",
    ]
    assert len(lines) == 6  # r0 is older than 24 h
    assert "failed" in out
    assert "5.0 GB" in out
    assert "0:20:00" in out
    assert err == "", "no progress when stderr is not a terminal"


def test_runs_json_parses_back_into_the_same_runs(world: dict[str, StaticSource]) -> None:
    status, out, _ = cli("runs", "--since", "7d", "--format", "json")
    assert status == EXIT_OK
    parsed = [BackupRun.from_record(record) for record in json.loads(out)]
    expected = sorted(
        [*world["alpha"].runs, *world["beta"].runs], key=lambda r: (r.ended or r.started, r.key)
    )
    assert parsed == expected


def test_runs_ndjson_and_csv(world: dict[str, StaticSource]) -> None:
    _, out, _ = cli("runs", "--format", "ndjson", "--vendor", "beta")
    assert [BackupRun.from_json(line).key for line in out.splitlines()] == ["beta:r9", "beta:r1"]
    _, out, _ = cli("runs", "--format", "csv", "--status", "failed")
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert row["key"] == "alpha:r2"
    assert row["status"] == "failed"
    assert json.loads(row["messages"]) == ["line one", "line, two"]


def test_status_filter_and_fail_on(world: dict[str, StaticSource]) -> None:
    status, out, _ = cli("runs", "--status", "failed,missed", "--format", "ndjson")
    assert status == EXIT_OK
    assert {json.loads(line)["status"] for line in out.splitlines()} == {"failed", "missed"}
    assert cli("runs", "--fail-on", "failed")[0] == EXIT_FAIL_ON
    assert cli("runs", "--vendor", "beta", "--fail-on", "failed")[0] == EXIT_OK
    status, _, err = cli("runs", "--status", "broken")
    assert status == 2
    assert "--status: unknown broken" in err


def test_vendor_selection_and_errors(world: dict[str, StaticSource]) -> None:
    status, _, err = cli("runs", "--vendor", "gamma")
    assert status == 2
    assert "installed: alpha, beta" in err
    only_alpha = {k: v for k, v in ENV.items() if not k.startswith("BETA")}
    status, out, err = cli("runs", "--vendor", "alpha,beta", env=only_alpha)
    assert status == EXIT_CONFIG
    assert "beta is not configured" in err
    assert "alpha" in out
    status, _, err = cli("runs", env={"HOME": "/nonexistent-home"})
    assert status == EXIT_CONFIG
    assert "no vendor is configured" in err
    partial = {**only_alpha, "BETA_URL": "http://127.0.0.1:2"}
    status, _, err = cli("runs", env=partial)
    assert status == EXIT_CONFIG
    assert "beta (environment): set BETA_USERNAME, BETA_PASSWORD" in err
    assert "beta-Secret" not in err


def test_a_failing_vendor_does_not_hide_the_others(world: dict[str, StaticSource]) -> None:
    world["beta"].error = ConnectionError("connection refused")
    status, out, err = cli("runs", "--format", "ndjson")
    assert status == EXIT_VENDOR
    assert "beta: ConnectionError: connection refused" in err
    assert {json.loads(line)["vendor"] for line in out.splitlines()} == {"alpha"}
    status, _, err = cli("runs", registry=fake_registry(without_source="beta"))
    assert status == EXIT_VENDOR
    assert "beta: tests has no run source in this version" in err
    for name in ("alpha", "beta"):
        world[name].error = world[name].inventory_error = ConnectionError("refused")
    for command in ("runs", "stale", "devices"):
        status, out, err = cli(command)
        assert status == EXIT_VENDOR
        assert out == "", (
            f"{command}: nothing answered, so no empty table that looks like good news"
        )
    assert cli("runs", "--format", "json")[1] == "[]\n"


def test_stale_devices(world: dict[str, StaticSource]) -> None:
    status, out, err = cli("stale", "--within", "24h")
    assert status == EXIT_OK, err
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["VERDICT", "VENDOR", "CUSTOMER", "DEVICE"]
    assert [line.split()[0] for line in lines[1:-1]] == ["stale"] * 4 + ["unknown"]
    assert "a2-name" in lines[1]
    assert "2026-11-22 06:00" in lines[1]
    assert "last run failed" in lines[1]
    assert lines[-1] == (
        "4 of 6 devices had no good backup in the window (0 never backed up); "
        "1 unknown (their state cannot be read)."
    )
    assert cli("stale", "--fail-on", "stale")[0] == EXIT_FAIL_ON
    assert cli("stale", "--fail-on", "never")[0] == EXIT_OK
    assert cli("stale", "--vendor", "beta", "--fail-on", "unknown")[0] == EXIT_OK
    _, out, _ = cli("stale", "--format", "json", "--all", "--warnings-count-as-success")
    verdicts = {r["device_id"]: r["verdict"] for r in json.loads(out)}
    assert verdicts == {
        "a1": "fresh",
        "a2": "stale",
        "a3": "stale",
        "a4": "stale",
        "a5": "unknown",
        "b1": "fresh",
    }
    status, _, err = cli("stale", "--within", "a day")
    assert status == 2
    assert "--within: not a duration" in err


def test_stale_lookback_sets_what_never_means(world: dict[str, StaticSource]) -> None:
    _, out, _ = cli("stale", "--format", "json", "--lookback", "7d")
    reasons = {r["device_id"]: r for r in json.loads(out)}
    assert reasons["a2"]["last_good"] == "2026-11-22T06:00:00+00:00"
    assert reasons["a4"]["reason"] == (
        "no good backup since 2026-11-16 12:00 UTC (the history looked at)"
    )


def test_devices(world: dict[str, StaticSource]) -> None:
    status, out, _ = cli("devices", "--format", "json")
    assert status == EXIT_OK
    assert [d["device_id"] for d in json.loads(out)] == ["a5", "a1", "a2", "a3", "a4", "b1"]
    _, out, _ = cli("devices")
    assert out.splitlines()[0].split()[:3] == ["VENDOR", "CUSTOMER", "DEVICE"]


def test_sync_once_then_query_the_store(world: dict[str, StaticSource], tmp_path: Path) -> None:
    db = str(tmp_path / "runs.sqlite")
    status, out, err = cli("sync", "--db", db)
    assert status == EXIT_OK, err
    assert out.splitlines() == [  # r0 ended 30 h ago: before the first poll's 24 h
        "alpha: 3 runs read, 3 stored or updated, 1 running, inventory of 5 devices",
        "beta: 2 runs read, 2 stored or updated, 0 running, inventory of 1 devices",
    ]
    with SqliteRunStore(db) as store:
        assert store.count() == 5
    world["alpha"].runs[3] = run("alpha", "a3", "r3", RunStatus.FAILED, 0)
    later = NOW + timedelta(minutes=15)
    status, out, _ = cli("sync", "--db", db, "--fail-on", "failed", clock=lambda: later)
    assert status == EXIT_FAIL_ON
    assert out.splitlines()[0] == "alpha: 1 runs read, 1 stored or updated, 0 running"
    _, out, _ = cli("runs", "--db", db, "--format", "json", "--since", "7d", clock=lambda: later)
    stored = {r["key"]: r["status"] for r in json.loads(out)}
    assert stored["alpha:r3"] == "failed"
    assert len(stored) == 5
    _, out, _ = cli("stale", "--db", db, "--format", "json", clock=lambda: later)
    assert {r["device_id"] for r in json.loads(out)} == {"a2", "a3", "a4", "a5", "b1"}
    _, out, _ = cli("devices", "--db", db, "--vendor", "beta", "--format", "json")
    assert [d["device_id"] for d in json.loads(out)] == ["b1"]
    assert cli("sync", "--db", db, "--quiet", clock=lambda: later)[1] == ""
    status, _, err = cli("runs", "--db", str(tmp_path / "missing.sqlite"))
    assert status == EXIT_CONFIG
    assert "no run store at" in err


def test_sync_every_stops_cleanly(world: dict[str, StaticSource], tmp_path: Path) -> None:
    clock = SimClock(NOW.timestamp(), frozen=True)
    stop = threading.Event()

    def wait(seconds: float) -> None:
        clock.sleep(seconds)
        if clock.slept >= 3600:
            stop.set()

    status, out, _ = cli(
        "sync",
        "--db",
        str(tmp_path / "r.sqlite"),
        "--every",
        "15m",
        "--retain",
        "400d",
        clock=clock,
        stop=stop,
        wait=wait,
    )
    assert status == EXIT_OK
    stamps = sorted({line[:19] for line in out.splitlines()})
    assert stamps == [
        "2026-11-23 12:00:00",
        "2026-11-23 12:15:00",
        "2026-11-23 12:30:00",
        "2026-11-23 12:45:00",
    ]


def test_sync_every_stops_on_sigterm(world: dict[str, StaticSource], tmp_path: Path) -> None:
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals are delivered to the main thread only")

    # a SIGTERM that came too early must not kill the test process: hold it until the
    # command's own handler is in place, and only then send it
    def guard(signum: int, frame: object) -> None:
        return None

    previous = signal.signal(signal.SIGTERM, guard)
    sent = threading.Event()

    def send_when_handled() -> None:
        for _ in range(1000):
            if signal.getsignal(signal.SIGTERM) is not guard:
                os.kill(os.getpid(), signal.SIGTERM)
                sent.set()
                return
            threading.Event().wait(0.01)

    sender = threading.Thread(target=send_when_handled, daemon=True)
    sender.start()
    # the worst case, made certain: the signal lands on another thread than the one
    # waiting between polls (the kernel picks any thread that does not block it)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        status, out, _ = cli("sync", "--db", str(tmp_path / "r.sqlite"), "--every", "15m")
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
        sender.join(timeout=10)
        handler_after = signal.getsignal(signal.SIGTERM)
        signal.signal(signal.SIGTERM, previous)
    assert sent.is_set()
    assert status == EXIT_OK
    assert out.count("alpha:") == 1, "one poll, then a clean stop while waiting"
    assert handler_after is guard, "the command put the previous handler back"


def test_a_vendor_failure_in_sync_is_exit_4(world: dict[str, StaticSource], tmp_path: Path) -> None:
    world["alpha"].error = ConnectionError("refused")
    status, out, err = cli("sync", "--db", str(tmp_path / "r.sqlite"))
    assert status == EXIT_VENDOR
    assert "alpha: sync failed: ConnectionError: refused" in err
    assert "beta: 2 runs read" in out


def test_progress_when_asked(world: dict[str, StaticSource]) -> None:
    status, _, err = cli("runs", "--progress")
    assert status == EXIT_OK
    assert "alpha" in err
    assert "beta" in err


def test_bad_arguments_exit_2(world: dict[str, StaticSource]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli("runs", "--format", "xml")
    assert exit_info.value.code == 2
    assert cli("runs", "--since", "yesterday")[0] == 2
    assert cli("sync", "--db", "x.sqlite", "--every", "0m")[0] == 2


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["version"]) == 0
    assert capsys.readouterr().out.startswith("backup-sdk ")


def test_python_m_backup_sdk_help_has_examples_and_exit_codes() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "backup_sdk", "--help"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0
    assert "backup-sdk runs --since 24h --status failed,missed" in result.stdout
    assert "exit status:" in result.stdout
    for command in ("demo", "runs", "stale", "devices", "sync"):
        assert command in result.stdout


def test_progress_plain_and_rich() -> None:
    from backup_sdk.cli.progress import Progress

    plain = io.StringIO()
    assert list(Progress(plain, enabled=True, use_rich=False).track(range(3), "cove", "runs")) == [
        0,
        1,
        2,
    ]
    assert plain.getvalue().endswith("\rcove: 3 runs\n")
    silent = io.StringIO()
    assert list(Progress(silent).track(range(3), "cove")) == [0, 1, 2]
    assert silent.getvalue() == "", "not a terminal: nothing is drawn"
    pytest.importorskip("rich")
    drawn = io.StringIO()
    assert list(Progress(drawn, enabled=True).track(range(5), "comet", "runs")) == list(range(5))
    assert "comet" in drawn.getvalue()


def test_sync_follows_a_simulators_clock_from_the_environment(
    world: dict[str, StaticSource], tmp_path: Path
) -> None:
    """``BACKUP_SDK_CLOCK`` (printed by ``python -m <vendor>.testing``) is the time the
    command line polls for: against a simulator at ``--speed 900`` the wall clock asks
    for windows the simulated fleet is nowhere near, and nothing is stored."""
    db = str(tmp_path / "runs.sqlite")
    simulated = SimClock(NOW.timestamp(), speed=900)
    env = {**ENV, "BACKUP_SDK_CLOCK": simulated.spec()}
    out, err = io.StringIO(), io.StringIO()
    status = main(
        ["sync", "--db", db], environ=env, stdout=out, stderr=err, registry=fake_registry()
    )
    assert status == EXIT_OK, err.getvalue()
    assert out.getvalue().splitlines()[0].startswith("alpha: 3 runs read, 3 stored")
    since, until = world["alpha"].calls[-1]
    assert abs((until - NOW).total_seconds()) < 900 * 30  # the simulated now, not the wall's
    assert since == until - timedelta(hours=24, minutes=30)
    # a clock passed in wins over the environment's
    assert cli("sync", "--db", db, env=env, clock=lambda: NOW + timedelta(days=3))[0] == EXIT_OK
    assert world["alpha"].calls[-1][1] == NOW + timedelta(days=3)
    err = io.StringIO()
    status = main(
        ["runs"],
        environ={**ENV, "BACKUP_SDK_CLOCK": "yesterday"},
        stdout=io.StringIO(),
        stderr=err,
        registry=fake_registry(),
    )
    assert status == EXIT_CONFIG
    assert "BACKUP_SDK_CLOCK" in err.getvalue() and "yesterday" in err.getvalue()
