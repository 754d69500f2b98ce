from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import attrs
import pytest

from backup_sdk.errors import ValidationError
from backup_sdk.runs import BackupRun, Device, RunStatus
from backup_sdk.sync import (
    MemoryRunStore,
    RunStore,
    SourceState,
    SqliteRunStore,
    SyncEngine,
    merge_run,
)
from backup_sdk.testing import SimClock
from tests.monitoring.fakes import (
    EPOCH,
    LedgerStore,
    RefreshingSource,
    ScheduledSource,
    StaticSource,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
QUARTER = timedelta(minutes=15)


def run(run_id: str, status: RunStatus, minutes_ago: float, *, vendor: str = "cove") -> BackupRun:
    ended = NOW - timedelta(minutes=minutes_ago)
    return BackupRun(
        vendor=vendor,
        device_id="d1",
        run_id=run_id,
        status=status,
        started=ended - timedelta(minutes=5),
        ended=None if status is RunStatus.RUNNING else ended,
    )


def test_one_hundred_thousand_polls_keep_the_state_bounded_and_store_each_run_once() -> None:
    now = EPOCH
    source = ScheduledSource("cove", lambda: now, rate=0.2)
    store = LedgerStore()
    engine = SyncEngine({"cove": source}, store, open_ttl=timedelta(days=2), inventory_every=None)
    sizes: list[int] = []
    opened: list[int] = []
    given_up: set[str] = set()
    for poll in range(1, 100_001):
        now += QUARTER  # a poll every 15 minutes of simulated time
        report = engine.poll(now)
        if report.sources[0].expired:
            given_up.update(report.sources[0].expired)
        if poll % 1000 == 0:
            assert report.ok, report.summary()
            state = store.states["cove"]
            sizes.append(len(state.to_json()))
            opened.append(len(state.open))

    state = store.states["cove"]
    assert state.polls == 100_000
    assert now - EPOCH > timedelta(days=1000), "the simulation covers years"
    # the state does not grow with time: it is as small after 2.8 years as after 10 days
    assert len(sizes) == 100
    assert max(sizes) < 2_000
    assert max(sizes[50:]) <= max(sizes[:50]) * 1.5
    assert max(opened) <= 10
    # every run that finished visibly is stored once, with its final status
    assert len(source.truth) > 15_000
    finished = {key: status for key, status in store.status.items() if key in source.truth}
    assert finished == source.truth
    assert set(store.final_writes) == set(source.truth)
    assert set(store.final_writes.values()) == {1}
    # runs the vendor never reported finished keep their last status and were given up on
    assert source.vanished
    assert {store.status[key] for key in source.vanished} == {RunStatus.RUNNING}
    assert given_up | set(state.open) >= source.vanished
    assert given_up <= source.vanished, "only runs never seen finishing are given up on"
    assert all(now - seen <= timedelta(days=2) for seen in state.open.values())


def test_a_crash_before_the_commit_loses_nothing() -> None:
    clock = SimClock(EPOCH.timestamp(), frozen=True)
    source = ScheduledSource(
        "cove", lambda: datetime.fromtimestamp(clock.time(), timezone.utc), rate=1.0
    )
    store = LedgerStore()
    engine = SyncEngine({"cove": source}, store, clock=clock, inventory_every=None)
    engine.run(QUARTER, wait=clock.sleep, polls=20)
    before = store.states["cove"]
    clock.advance(QUARTER.total_seconds())
    source.fail_next = 1  # fetch fails halfway
    report = engine.poll()
    assert not report.ok
    assert "the vendor is down" in report.summary()
    assert store.states["cove"] == before, "the state did not move"
    clock.advance(QUARTER.total_seconds())
    store.fail_commit = 1  # fetched, then the process dies before the commit
    assert not engine.poll().ok
    assert store.states["cove"] == before
    # a new engine (a restarted process) on the same store catches up
    restarted = SyncEngine({"cove": source}, store, clock=clock, inventory_every=None)
    for _ in range(10):
        clock.advance(QUARTER.total_seconds())
        assert restarted.poll().ok
    assert set(store.final_writes) == set(source.truth)
    assert set(store.final_writes.values()) == {1}
    assert store.states["cove"].polls == before.polls + 10


def test_a_run_seen_running_then_finished_is_one_row_with_its_final_status() -> None:
    store = MemoryRunStore()
    source = StaticSource("cove", [run("r1", RunStatus.RUNNING, 0)])
    engine = SyncEngine({"cove": source}, store, inventory_every=None)
    first = engine.poll(NOW)
    assert [r.status for r in first.changed] == [RunStatus.RUNNING]
    assert store.load_state("cove") is not None
    assert first.sources[0].open == 1
    source.runs = [run("r1", RunStatus.FAILED, 0)]
    second = engine.poll(NOW + QUARTER)
    assert [r.status for r in second.changed] == [RunStatus.FAILED]
    assert second.sources[0].open == 0
    source.runs = [run("r1", RunStatus.RUNNING, 0), run("r1", RunStatus.FAILED, 0)]
    third = engine.poll(NOW + 2 * QUARTER)
    assert third.changed == []
    assert [(r.key, r.status) for r in store.runs()] == [("cove:r1", RunStatus.FAILED)]


def test_windows_reach_back_by_the_overlap_and_walk_long_gaps() -> None:
    store = MemoryRunStore()
    source = StaticSource("comet")
    engine = SyncEngine(
        {"comet": source}, store, lookback=timedelta(hours=6), max_window=timedelta(days=1)
    )
    engine.poll(NOW)
    assert source.calls == [(NOW - timedelta(hours=6, minutes=30), NOW)]
    source.calls.clear()
    later = NOW + timedelta(days=2, hours=12)
    report = engine.poll(later)
    assert report.sources[0].windows == 3
    assert source.calls == [
        (NOW - timedelta(minutes=30), NOW + timedelta(days=1)),
        (NOW + timedelta(days=1, minutes=-30), NOW + timedelta(days=2)),
        (NOW + timedelta(days=2, minutes=-30), later),
    ]
    state = store.load_state("comet")
    assert state is not None
    assert state.high_water == later
    assert state.history_start == NOW - timedelta(hours=6, minutes=30)
    assert state.polls == 4


def test_a_run_written_late_within_the_overlap_is_found() -> None:
    store = MemoryRunStore()
    source = StaticSource("cove")
    engine = SyncEngine({"cove": source}, store, inventory_every=None)
    engine.poll(NOW)
    # it ended 20 minutes before the last poll, but the vendor shows it only now
    source.runs = [run("late", RunStatus.SUCCESS, 20)]
    engine.poll(NOW + QUARTER)
    assert [r.key for r in store.runs()] == ["cove:late"]


def test_open_runs_are_refreshed_by_id_when_the_source_can() -> None:
    store = MemoryRunStore()
    started = run("long", RunStatus.RUNNING, 0)
    done = attrs.evolve(run("long", RunStatus.SUCCESS, 0), ended=NOW - timedelta(days=3))
    source = RefreshingSource("comet", [attrs.evolve(started, vendor="comet")])
    engine = SyncEngine({"comet": source}, store, inventory_every=None)
    engine.poll(NOW)
    source.runs = []  # it finished, long ago by its end time: outside every window
    source.lookup = {"long": attrs.evolve(done, vendor="comet")}
    engine.poll(NOW + QUARTER)
    assert source.refreshed == [["long"]]
    assert [r.status for r in store.runs()] == [RunStatus.SUCCESS]
    state = store.load_state("comet")
    assert state is not None
    assert state.open == {}


def test_open_runs_expire_and_are_capped() -> None:
    store = MemoryRunStore()
    source = StaticSource("cove", [run(f"r{n}", RunStatus.RUNNING, 0) for n in range(5)])
    engine = SyncEngine(
        {"cove": source}, store, open_ttl=timedelta(hours=1), max_open=3, inventory_every=None
    )
    report = engine.poll(NOW)
    assert report.sources[0].open == 3
    assert len(report.sources[0].expired) == 2
    source.runs = []
    assert engine.poll(NOW + timedelta(minutes=30)).sources[0].open == 3
    late = engine.poll(NOW + timedelta(hours=2))
    assert late.sources[0].open == 0
    assert len(late.sources[0].expired) == 3
    assert "given up on" in late.summary()
    assert {r.status for r in store.runs()} == {RunStatus.RUNNING}, "rows keep the vendor's word"


def test_one_failing_source_does_not_stop_the_others() -> None:
    store = MemoryRunStore()
    broken = StaticSource("comet", [run("x", RunStatus.SUCCESS, 1, vendor="comet")])
    broken.error = ConnectionError("refused")
    fine = StaticSource("cove", [run("y", RunStatus.SUCCESS, 1)])
    report = SyncEngine({"comet": broken, "cove": fine}, store).poll(NOW)
    assert not report.ok
    assert [r.ok for r in report.sources] == [False, True]
    assert report.sources[0].error == "ConnectionError: refused"
    assert store.load_state("comet") is None
    assert [r.key for r in store.runs()] == ["cove:y"]


def test_the_inventory_is_saved_now_and_then() -> None:
    store = MemoryRunStore()
    devices = [Device(vendor="cove", device_id="d1"), Device(vendor="cove", device_id="d2")]
    source = StaticSource("cove", devices=devices)
    engine = SyncEngine({"cove": source}, store, inventory_every=timedelta(hours=1))
    assert engine.poll(NOW).sources[0].devices == 2
    assert store.devices() == devices
    assert engine.poll(NOW + QUARTER).sources[0].devices is None
    source.inventory_error = PermissionError("refused")
    report = engine.poll(NOW + timedelta(hours=2))
    assert report.ok
    assert report.sources[0].warnings == (
        "the inventory could not be read: PermissionError: refused",
    )
    assert "warning" in report.summary()
    assert store.devices(vendors=["cove"]) == devices
    assert store.devices(vendors=["comet"]) == []


def test_a_stop_ends_the_loop_between_polls() -> None:
    clock = SimClock(NOW.timestamp(), frozen=True)
    stop = threading.Event()
    store = MemoryRunStore()
    engine = SyncEngine({"cove": StaticSource("cove")}, store, clock=clock)

    def wait(seconds: float) -> None:
        clock.sleep(seconds)
        if clock.slept >= 3 * QUARTER.total_seconds():
            stop.set()

    assert engine.run(QUARTER, stop=stop, wait=wait) == 3
    stop.clear()
    stop.set()
    assert engine.run(QUARTER, stop=stop) == 0
    assert engine.poll(stop=stop).sources == ()


def test_the_default_wait_wakes_up_for_a_stop_set_elsewhere() -> None:
    from backup_sdk.sync.engine import _wait_in_slices

    stop = threading.Event()
    _wait_in_slices(stop, 0.01)  # short: returns by itself
    threading.Timer(0.05, stop.set).start()
    _wait_in_slices(stop, 60.0)  # returns when the stop is set, well before a minute
    assert stop.is_set()


def test_a_clock_that_went_back_is_survived() -> None:
    store = MemoryRunStore()
    source = StaticSource("cove")
    engine = SyncEngine({"cove": source}, store, inventory_every=None)
    engine.poll(NOW)
    assert engine.poll(NOW - timedelta(hours=1)).ok
    assert source.calls[-1] == (NOW - timedelta(hours=1, minutes=30), NOW - timedelta(hours=1))


def test_bad_settings_are_refused() -> None:
    store = MemoryRunStore()
    with pytest.raises(ValidationError, match="overlap"):
        SyncEngine({}, store, overlap=timedelta(minutes=-1))
    with pytest.raises(ValidationError, match="max_window"):
        SyncEngine({}, store, max_window=timedelta(0))
    with pytest.raises(ValidationError, match="max_open"):
        SyncEngine({}, store, max_open=-1)
    with pytest.raises(ValidationError, match="now"):
        SyncEngine({}, store).poll(datetime(2026, 1, 1))
    with pytest.raises(ValidationError, match="every"):
        SyncEngine({}, store).run(timedelta(0))


def test_the_upsert_rule() -> None:
    running = run("r", RunStatus.RUNNING, 0)
    done = run("r", RunStatus.SUCCESS, 0)
    assert merge_run(None, running) is running
    assert merge_run(running, done) is done
    assert merge_run(done, running) is None
    assert merge_run(done, done) is None
    failed = run("r", RunStatus.FAILED, 0)
    assert merge_run(done, failed) is failed


def test_stores_follow_the_protocol(tmp_path: object) -> None:
    assert isinstance(MemoryRunStore(), RunStore)
    assert isinstance(LedgerStore(), RunStore)
    with SqliteRunStore(":memory:") as db:
        assert isinstance(db, RunStore)


def test_state_round_trip_and_damage() -> None:
    state = SourceState(
        source="cove",
        high_water=NOW,
        open={"cove:r": NOW},
        history_start=NOW,
        inventory_at=NOW,
        polls=3,
        last_poll=NOW,
    )
    assert SourceState.from_json(state.to_json()) == state
    assert SourceState.from_json({"source": "x"}) == SourceState(source="x")
    for bad in [
        "",
        "[]",
        '{"source": "x", "high_water": "2026-01-01T00:00:00"}',
        '{"x": 1}',
        '{"source": "x", "version": 99}',
        '{"source": "x", "open": []}',
    ]:
        with pytest.raises(ValidationError):
            SourceState.from_json(bad)
