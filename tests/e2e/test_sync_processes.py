"""``backup-sdk sync`` every few seconds against the three simulators as separate processes
at ``--speed 900``, for one simulated day.

The acceptance test of issue 12 ("Done when", first point), end to end: the simulators
run as ``python -m <vendor>_sdk.testing`` processes sharing one simulated clock (the first
one's ``BACKUP_SDK_CLOCK`` is given to the others as ``--start``/``--anchor``), and
``python -m backup_sdk sync --db runs.sqlite`` runs as a process of its own every
``EVERY`` real seconds (37.5 simulated minutes), following that clock through the same
``BACKUP_SDK_CLOCK`` in its environment. After a simulated day, every run each simulator's
ground truth shows as finished and visible before the last sync began is in the ``runs``
table exactly once, with its final status, and no row says what the ground truth
contradicts.

The comparison rules are those of the in-process test
(``tests/monitoring/test_ground_truth.py``): the runs that count are the finished ones
(with an end time) that ended inside the store's history (from the source's
``history_start``) and were visible (``visible_at``) by the time the last sync began; a
finished run that shows up late is within the contract's ``overlap`` by construction of
``visible_at``, so no further allowance is taken off. Cove names a run by how it ended and
leaves running sessions out (the RunSource contract, point 4), so it never has running rows.

Nothing here reads the wall clock (only ``time.monotonic`` to pace the syncs), so the test
runs the same on any date. It takes about 100 real seconds, by design: it is marked
``e2e`` and left out of the default run.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs
import pytest

from backup_sdk.testing import CLOCK_ENV, SimClock

pytestmark = pytest.mark.e2e

#: The root of the checkout under test: the processes import the packages from here.
ROOT = Path(__file__).resolve().parents[2]
#: The simulated unix time the first simulator starts at (2026-11-18 20:26:40 UTC).
START = 1_795_000_000
SPEED = 900
DAY = 86_400.0
#: Real seconds from the start of one sync to the start of the next (37.5 simulated
#: minutes); a sync that takes longer is followed at once by the next.
EVERY = 2.5
READY_TIMEOUT = 30.0
SYNC_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
HTTP_TIMEOUT = 30.0

#: vendor name -> (module, its fleet options): small fleets, so that a poll is fast.
SIMULATORS: dict[str, tuple[str, tuple[str, ...]]] = {
    "cove": ("cove_sdk.testing", ("--devices", "20", "--seed", "12")),
    "comet": (
        "comet_sdk.testing",
        ("--users", "6", "--jobs", "60", "--jobs-per-day", "120", "--seed", "12"),
    ),
    "npm_backup": ("npm_backup_sdk.testing", ("--servers", "3", "--seed", "12")),
}
#: Variables of the outer environment that would configure the command line otherwise.
_FOREIGN = ("COVE_", "COMET_", "NPM_BACKUP_", "BACKUP_SDK_")


@attrs.define
class Simulator:
    """One simulator process: its output so far and the variables it printed."""

    vendor: str
    process: subprocess.Popen[str]
    stderr_path: Path
    lines: queue.Queue[str | None] = attrs.field(factory=queue.Queue)
    env: dict[str, str] = attrs.field(factory=dict)

    def errors(self) -> str:
        try:
            text = self.stderr_path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            return f"(its stderr could not be read: {exc})"
        return text[-4000:] or "(nothing on stderr)"

    def wait_ready(self, timeout: float) -> None:
        """Read ``NAME=value`` lines until ``READY``; fail with its stderr otherwise."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            try:
                line = self.lines.get(timeout=max(0.0, left)) if left > 0 else None
            except queue.Empty:
                line = None
            if line is None:
                state = "exited" if self.process.poll() is not None else "is still silent"
                raise AssertionError(
                    f"the {self.vendor} simulator {state} without READY (waited up to {timeout:.0f} s) "
                    f"(exit status {self.process.returncode}); it printed {self.env}; "
                    f"stderr:\n{self.errors()}"
                )
            line = line.strip()
            if line == "READY":
                return
            name, sep, value = line.partition("=")
            if sep:
                self.env[name] = value

    def truth(self) -> dict[str, Any]:
        """``GET <base>/_sim/ground-truth``."""
        try:
            with urllib.request.urlopen(self.env["GROUND_TRUTH_URL"], timeout=HTTP_TIMEOUT) as r:
                found: dict[str, Any] = json.load(r)
        except (OSError, urllib.error.URLError) as exc:
            raise AssertionError(
                f"the {self.vendor} simulator's ground truth could not be read ({exc}); "
                f"exit status {self.process.poll()}; stderr:\n{self.errors()}"
            ) from exc
        return found


def _pump(stream: Any, lines: queue.Queue[str | None]) -> None:
    """Copy a process's stdout into a queue (None at its end): reading never blocks."""
    try:
        for line in stream:
            lines.put(line)
    finally:
        lines.put(None)


def _launch(vendor: str, tmp_path: Path, clock: Sequence[str]) -> Simulator:
    module, options = SIMULATORS[vendor]
    stderr_path = tmp_path / f"{vendor}.stderr"
    with stderr_path.open("w", encoding="utf-8") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", module, "--port", "0", "--speed", str(SPEED), *clock, *options],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            cwd=tmp_path,
            env=_environment(tmp_path),
        )
    simulator = Simulator(vendor, process, stderr_path)
    threading.Thread(
        target=_pump, args=(process.stdout, simulator.lines), name=f"{vendor}-stdout", daemon=True
    ).start()
    return simulator


def _stop(simulators: Sequence[Simulator]) -> None:
    """SIGTERM to every one still running, then kill whichever has not exited in time."""
    for simulator in simulators:
        if simulator.process.poll() is None:
            simulator.process.send_signal(signal.SIGTERM)
    for simulator in simulators:
        try:
            simulator.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            simulator.process.kill()
            simulator.process.wait(timeout=STOP_TIMEOUT)
        if simulator.process.stdout is not None:
            simulator.process.stdout.close()


def _environment(tmp_path: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The outer environment without vendor settings, importing the checkout under test."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(_FOREIGN)}
    env["PYTHONPATH"] = str(ROOT)
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")  # no user's config file
    env.update(extra or {})
    return env


@pytest.fixture
def simulators(tmp_path: Path) -> Iterator[dict[str, Simulator]]:
    """The three simulators as processes, on one simulated clock; stopped however the
    test ends."""
    started: list[Simulator] = []
    try:
        first = _launch("cove", tmp_path, ("--start", str(START)))
        started.append(first)
        first.wait_ready(READY_TIMEOUT)
        spec = first.env.get(CLOCK_ENV, "")
        simulated, _, rest = spec.partition("@")
        real, _, _ = rest.partition("x")
        assert simulated and real, f"cove printed no {CLOCK_ENV}: {first.env}"
        # the others run on the same clock: it read `simulated` at the real time `real`
        shared = ("--start", simulated, "--anchor", real)
        for vendor in ("comet", "npm_backup"):
            started.append(_launch(vendor, tmp_path, shared))
        for simulator in started[1:]:
            simulator.wait_ready(READY_TIMEOUT)
        yield {simulator.vendor: simulator for simulator in started}
    finally:
        _stop(started)


def _sync(env: Mapping[str, str], db: Path, number: int) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "backup_sdk", "sync", "--db", str(db)]
    try:
        result = subprocess.run(
            command,
            env=dict(env),
            cwd=db.parent,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=SYNC_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:  # run() has killed it
        pytest.fail(f"sync {number} took more than {SYNC_TIMEOUT:.0f} s; stderr:\n{exc.stderr!r}")
    assert result.returncode == 0, (
        f"sync {number} exited {result.returncode}\nstderr:\n{result.stderr}\n"
        f"stdout:\n{result.stdout}"
    )
    return result


def _when(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


@attrs.frozen
class Check:
    """What the database holds of one vendor, against its ground truth."""

    vendor: str
    expected: int
    stored: int
    running: int
    missing: list[str]
    wrong: dict[str, tuple[str, str]]
    contradicted: dict[str, str]
    strangers: list[str]
    state_size: int
    open_runs: int


def _check(
    vendor: str,
    truth: Mapping[str, Any],
    last_began: float,
    rows: Mapping[str, tuple[str, str]],
    state: Mapping[str, Any],
    state_size: int,
    devices: set[str],
) -> Check:
    history_start = _when(state["history_start"])
    known = {record["key"]: record for record in truth["runs"]}
    # the in-process test's rule: finished, visible by then, ended inside the history
    expected = {
        key: record["status"]
        for key, record in known.items()
        if record["visible_at"] <= last_began
        and record.get("ended")
        and _when(record["ended"]) >= history_start
    }
    stored = {key: status for key, (status, _) in rows.items()}
    missing = sorted(set(expected) - set(stored))
    wrong = {
        key: (stored[key], status)
        for key, status in expected.items()
        if key in stored and stored[key] != status
    }
    contradicted: dict[str, str] = {}
    for key, status in stored.items():
        record = known.get(key)
        if record is None:
            contradicted[key] = f"{status}, a run the ground truth does not know"
        elif status == "running":
            if record["visible_at"] <= last_began:
                contradicted[key] = (
                    f"still running, while it showed as {record['status']} from "
                    f"{record['visible_at']} (before the last sync began, at {last_began})"
                )
        elif status != record["status"]:
            contradicted[key] = f"{status}, the ground truth says {record['status']}"
        elif record["visible_at"] > truth["now"]:
            contradicted[key] = f"{status} before the vendor showed it ({record['visible_at']})"
    strangers = (
        sorted(key for key, (_, device) in rows.items() if device not in devices) if devices else []
    )
    return Check(
        vendor=vendor,
        expected=len(expected),
        stored=len(stored),
        running=sum(status == "running" for status in stored.values()),
        missing=missing,
        wrong=wrong,
        contradicted=contradicted,
        strangers=strangers,
        state_size=state_size,
        open_runs=len(state.get("open", {})),
    )


def test_a_simulated_day_of_syncs_stores_every_visible_run_once(
    simulators: dict[str, Simulator], tmp_path: Path
) -> None:
    began = time.monotonic()
    db = tmp_path / "runs.sqlite"
    env = _environment(tmp_path)
    for simulator in simulators.values():
        env.update({k: v for k, v in simulator.env.items() if k != "GROUND_TRUTH_URL"})
    clocks = {name: SimClock.from_spec(s.env[CLOCK_ENV]).time() for name, s in simulators.items()}
    assert max(clocks.values()) - min(clocks.values()) < 5, f"one clock for all: {clocks}"

    # the simulated time of each vendor just before each sync began
    starts: list[dict[str, float]] = []
    while True:
        slot = time.monotonic()
        nows = {name: simulator.truth()["now"] for name, simulator in simulators.items()}
        last = bool(starts) and min(nows.values()) - min(starts[0].values()) >= DAY
        starts.append(nows)
        result = _sync(env, db, len(starts))
        if len(starts) == 1:
            reported = {line.partition(":")[0] for line in result.stdout.splitlines()}
            assert set(simulators) <= reported, f"every vendor polled:\n{result.stdout}"
        if last:
            break
        pause = EVERY - (time.monotonic() - slot)
        if pause > 0:
            time.sleep(pause)

    truths = {name: simulator.truth() for name, simulator in simulators.items()}
    with sqlite3.connect(db) as connection:
        duplicates = connection.execute(
            "SELECT key, COUNT(*) FROM runs GROUP BY key HAVING COUNT(*) > 1"
        ).fetchall()
        rows: dict[str, dict[str, tuple[str, str]]] = {name: {} for name in simulators}
        for key, vendor, status, device in connection.execute(
            "SELECT key, vendor, status, device_id FROM runs"
        ):
            rows.setdefault(vendor, {})[key] = (status, device)
        states = {
            source: (json.loads(text), len(text))
            for source, text in connection.execute("SELECT source, state FROM sync_state")
        }
        inventory: dict[str, set[str]] = {}
        for vendor, device in connection.execute("SELECT vendor, device_id FROM devices"):
            inventory.setdefault(vendor, set()).add(device)
    connection.close()
    assert not duplicates, f"keys stored more than once: {duplicates}"
    assert set(rows) == set(simulators), f"rows of unknown vendors: {set(rows) - set(simulators)}"

    checks = []
    for name in simulators:
        assert name in states, f"{name} has no sync state: {sorted(states)}"
        state, size = states[name]
        checks.append(
            _check(
                name,
                truths[name],
                starts[-1][name],
                rows[name],
                state,
                size,
                inventory.get(name, set()),
            )
        )
    span = min(starts[-1].values()) - min(starts[0].values())
    report = [
        f"{len(starts)} syncs over {span / 3600:.1f} simulated hours in "
        f"{time.monotonic() - began:.0f} real seconds"
    ] + [
        f"{c.vendor}: {c.expected} runs checked, {c.stored} rows ({c.running} running), "
        f"{len(c.missing)} missing, {len(c.wrong)} with another status, "
        f"{len(c.contradicted)} contradicted; state {c.state_size} bytes, {c.open_runs} open"
        for c in checks
    ]
    print("\n".join(report))
    for c in checks:
        assert c.expected, f"{c.vendor}: the simulated day has finished runs\n" + "\n".join(report)
        assert not c.missing, f"{c.vendor}: runs never stored: {c.missing[:20]}"
        assert not c.wrong, f"{c.vendor}: stored with another status (stored, truth): {c.wrong}"
        assert not c.contradicted, (
            f"{c.vendor}: rows the ground truth contradicts: {c.contradicted}"
        )
        assert not c.strangers, f"{c.vendor}: runs of devices not in the inventory: {c.strangers}"
        assert c.state_size < 10_000 + 200 * c.open_runs, f"{c.vendor}: the sync state stays small"
