"""The simulated Comet Server: every read answers, the fleet moves with the clock, the ground
truth matches what the API shows, both versions, and the process entry point."""

from __future__ import annotations

import inspect
import io
import threading
import typing
from collections.abc import Iterator
from typing import Any

import attrs
import pytest

from backup_sdk import errors as e
from backup_sdk.runs import BackupRun, RunStatus
from backup_sdk.testing import SimClock
from backup_sdk.testing.process import serve
from comet_sdk import CometAdminClient, CometUserClient
from comet_sdk._generated.operations import OPERATIONS
from comet_sdk._operation import Operation
from comet_sdk.models import SearchClause, converter
from comet_sdk.testing import CometFleetSpec, CometSimulator
from comet_sdk.testing.__main__ import add_arguments, factory
from comet_sdk.testing.__main__ import main as run_process
from tools.comet_codegen import snake

START = 1_800_000_000
SMALL = CometFleetSpec(users=4, jobs=40, days=2, seed=11)


def _frozen(version: str = "25.9.6", **spec: Any) -> CometSimulator:
    fleet = attrs.evolve(SMALL, **spec) if spec else SMALL
    return CometSimulator(fleet=fleet, clock=SimClock(START, frozen=True), version=version)


@pytest.fixture
def sim() -> Iterator[CometSimulator]:
    with _frozen() as simulator:
        yield simulator


def _argument(sim: CometSimulator, op: Operation, name: str, annotation: Any) -> Any:
    """A plausible value for one parameter of a read."""
    user = "customer-001"
    profile = sim.profiles[user]
    job = next(j for j in sim.jobs if j["Username"] == user and j["SnapshotID"])
    values: dict[str, Any] = {
        "TargetID": "conn-0000",  # customer-001's device, online
        "TargetUser": user,
        "JobID": job["GUID"],
        "SourceID": next(iter(profile["Sources"])),
        "Destination": job["DestinationGUID"],
        "DestinationID": job["DestinationGUID"],
        "SnapshotID": job["SnapshotID"],
        "Snapshot": job["SnapshotID"],
        "SnapshotIDs": [job["SnapshotID"]],
        "Query": SearchClause(
            rule_field="BackupJobDetail.Username", rule_operator="str_eq", rule_value=user
        ),
        "Filter": SearchClause() if "SearchClause" in str(annotation) else "",
        "Log": sim.clock.now() // 86_400 * 86_400,
        "Logs": [sim.clock.now() // 86_400 * 86_400],
        "Path": "C:\\",
    }
    if name in values:
        return values[name]
    if name == "Hash":
        sim.resources["0f" * 32] = b"a resource"
        return "0f" * 32
    if annotation in (str, int, bool):
        return {str: "x", int: 0, bool: False}[annotation]
    origin = typing.get_origin(annotation)
    if origin is list:
        return []
    if origin is dict:
        return {}
    if origin is not None:  # int | datetime
        return 0
    return annotation()


def _call(client: Any, sim: CometSimulator, op: Operation) -> Any:
    method = getattr(client, snake(op.name))
    hints = typing.get_type_hints(method)
    kwargs = {}
    for parameter in list(inspect.signature(method).parameters.values()):
        if parameter.default is not None:  # required
            wire = op.params[list(inspect.signature(method).parameters).index(parameter.name)]
            kwargs[parameter.name] = _argument(sim, op, wire, hints[parameter.name])
    result = method(**kwargs)
    if op.kind == "binary":
        return b"".join(result)
    return result


READS = [name for name in OPERATIONS if OPERATIONS[name].safe]
#: keys the simulator sends on purpose although no reference knows them
FUTURE_KEYS = {"FutureCounters", "FutureSettings"}


def _unknown_keys(value: Any, path: str = "$") -> list[str]:
    """Wire keys no model knew, anywhere in a decoded value (a typo in the simulator)."""
    found: list[str] = []
    if attrs.has(type(value)):
        found += [f"{path}.{k}" for k in getattr(value, "extra_fields", {}) if k not in FUTURE_KEYS]
        for field in attrs.fields(type(value)):
            if field.name != "extra_fields":
                found += _unknown_keys(getattr(value, field.name), f"{path}.{field.name}")
    elif isinstance(value, list):
        for item in value:
            found += _unknown_keys(item, f"{path}[]")
    elif isinstance(value, dict):
        for key, item in value.items():
            found += _unknown_keys(item, f"{path}[{key!r}]")
    return found


@pytest.mark.parametrize("name", READS)
def test_every_read_answers_with_its_type(sim: CometSimulator, name: str) -> None:
    op = OPERATIONS[name]
    if op.auth == "user":
        client: Any = sim.user_client("customer-001", clock=sim.clock.time, sleep=sim.clock.sleep)
    else:
        client = CometAdminClient(
            sim.url, username=sim.username, password=sim.password, sleep=sim.clock.sleep
        )
    with client:
        result = _call(client, sim, op)
    if op.kind in ("json", "message"):
        assert converter.structure(converter.unstructure(result), op.result_type) == result
        assert _unknown_keys(result) == []
    requests = sim.received(op.path)
    assert requests, "sent to the simulator"


def test_reads_use_the_fleet(sim: CometSimulator) -> None:
    client = sim.client(sleep=sim.clock.sleep)
    user = "customer-002"
    source_id = next(iter(sim.profiles[user]["Sources"]))
    item = client.admin_get_protected_item_with_backup_rules(user, source_id)
    assert item.source.description == sim.profiles[user]["Sources"][source_id]["Description"]
    assert item.backup_rules and all(r.source == source_id for r in item.backup_rules.values())
    clause = SearchClause(
        rule_field="BackupJobDetail.Tags", rule_operator="str_eq", rule_value="nightly"
    )
    tagged = client.admin_get_jobs_for_custom_search(clause)
    assert tagged and all(job.tags == "nightly" for job in tagged), "job tags are searchable"
    assert client.admin_count_jobs_for_custom_search(clause).count == len(tagged)
    vault = next(iter(sim.profiles["customer-001"]["Destinations"]))
    snapshots = client.admin_dispatcher_request_vault_snapshots("conn-0000", vault)
    assert snapshots.snapshots and all(s.snapshot for s in snapshots.snapshots)


def test_unimplemented_writes_answer_like_comet(sim: CometSimulator) -> None:
    client = sim.client(sleep=sim.clock.sleep)
    with pytest.raises(e.ServerError, match="not implemented by the simulator") as info:
        client.admin_meta_restart_service()
    assert info.value.code == 500 and info.value.status == 200
    with pytest.raises(e.APIError, match="No live connection"):
        client.admin_dispatcher_request_browse_hyperv("conn-9999")


def test_protected_item_round_trip(sim: CometSimulator) -> None:
    client = sim.client(sleep=sim.clock.sleep)
    user = "customer-003"
    source_id = next(iter(sim.profiles[user]["Sources"]))
    item = client.admin_get_protected_item_with_backup_rules(user, source_id)
    item.source.description = "Renamed by the test"
    client.admin_set_protected_item_with_backup_rules(
        user,
        source_id,
        require_hash=item.profile_hash,
        source=item.source,
        backup_rules=item.backup_rules,
    )
    assert sim.profiles[user]["Sources"][source_id]["Description"] == "Renamed by the test"
    with pytest.raises(e.InvalidRequestError, match="hash mismatch"):
        client.admin_set_protected_item_with_backup_rules(
            user, source_id, require_hash=item.profile_hash, source=item.source
        )
    client.admin_delete_protected_item(user, source_id)
    assert source_id not in sim.profiles[user]["Sources"]
    with pytest.raises(e.NotFoundError):
        client.admin_get_protected_item_with_backup_rules(user, source_id)


# -- time -------------------------------------------------------------------------------------


def test_nothing_ends_in_the_future_and_jobs_move_with_the_clock() -> None:
    with _frozen(jobs_per_day=400, running=4) as sim:
        now = sim.clock.now()
        assert all(j["EndTime"] <= now for j in sim.jobs)
        running = [j for j in sim.jobs if j["EndTime"] == 0]
        assert len(running) == 4
        seen_codes: set[int] = set()
        for _ in range(48):
            sim.clock.advance(1_800)
            now = sim.clock.now()
            public = sim.public_jobs(sim.jobs)
            assert all(j["EndTime"] <= now and j["StartTime"] <= now for j in public)
            seen_codes |= {j["Status"] for j in public if j["EndTime"] == 0}
        assert len(sim.jobs) > 40 + 4 + 300, "about 400 new jobs in a day"
        assert all(j["EndTime"] for j in sim.jobs if j in running), "the first ones finished"
        assert {6001, 6003} <= seen_codes, "running, and running but waiting to retry"


def test_the_ground_truth_is_what_the_api_shows_from_visible_at() -> None:
    with _frozen(jobs_per_day=200) as sim:
        sim.clock.advance(6 * 3_600)
        client = sim.client(sleep=sim.clock.sleep)
        truth = {r["key"]: r for r in sim.ground_truth()["runs"]}
        backups = [j for j in sim.jobs if j["Classification"] == 4001]
        assert len(truth) == len(backups) < len(sim.jobs), "backup jobs are runs, others not"
        now = sim.clock.now()
        for job in client.admin_get_jobs_all():
            if job.classification != 4001:
                assert f"comet:{job.guid}" not in truth
                continue
            record = truth[f"comet:{job.guid}"]
            assert BackupRun.from_record(record).key == record["key"]
            if record["visible_at"] <= now:
                assert int(job.status) == record["raw_status"]
                assert job.end_time is not None
                assert job.end_time.timestamp() == record["visible_at"]
            else:
                assert job.end_time is None, "the final state is not shown early"
        later = max(r["visible_at"] for r in truth.values())
        sim.clock.advance(later - now + 1)
        finished = {j.guid: j for j in client.admin_get_jobs_all()}
        for key, record in truth.items():
            assert int(finished[key.split(":", 1)[1]].status) == record["raw_status"]
            status = RunStatus(record["status"])
            if status in (RunStatus.FAILED, RunStatus.WARNING):
                assert record["messages"], "failed runs carry their log's problem lines"


# -- versions ---------------------------------------------------------------------------------


def test_an_older_server_has_the_older_surface() -> None:
    with _frozen(version="20.9.12") as sim:
        client = CometAdminClient(
            sim.url, username=sim.username, password=sim.password, check_version=False
        )
        assert client.admin_meta_version().version == "20.9.12"
        with pytest.raises(e.NotFoundError):
            client.admin_count_jobs_for_custom_search(SearchClause())
        raw = client.call_raw("AdminGetJobsAll").data
        assert raw and not any("RetryCount" in j or "Tags" in j for j in raw)
        assert not any(j["Status"] in (6003, 6004) for j in raw)
        listing = client.call_raw(
            "AdminDispatcherRequestFilesystemObjects", {"TargetID": "conn-0000"}
        ).data
        assert isinstance(listing, list), "a bare list before 25.9.6"
        typed = client.admin_dispatcher_request_filesystem_objects("conn-0000")
        assert [o.name for o in typed] == [o["name"] for o in listing]
    with _frozen() as sim:
        client = sim.client()
        wrapped = client.call_raw(
            "AdminDispatcherRequestFilesystemObjects", {"TargetID": "conn-0000"}
        ).data
        assert isinstance(wrapped, dict) and "StoredObjects" in wrapped
        typed = client.admin_dispatcher_request_filesystem_objects("conn-0000")
        assert [o.name for o in typed] == [o["name"] for o in wrapped["StoredObjects"]]
        run = client.admin_dispatcher_run_backup(
            "conn-0000", next(iter(sim.profiles["customer-001"]["BackupRules"]))
        )
        assert run.job_id in {j["GUID"] for j in sim.jobs}, "25.9.6 says which job started"


# -- the process ------------------------------------------------------------------------------


class _Output(io.StringIO):
    """The process's output, with an event set once it says READY."""

    def __init__(self) -> None:
        super().__init__()
        self.ready = threading.Event()

    def write(self, text: str) -> int:
        written = super().write(text)
        if "READY" in self.getvalue():
            self.ready.set()
        return written


def test_python_m_comet_sdk_testing_serves_until_stopped() -> None:
    out = _Output()
    stop = threading.Event()
    argv = ["--users", "3", "--jobs", "10", "--jobs-per-day", "50", "--start", str(START)]
    thread = threading.Thread(
        target=serve,
        args=("comet_sdk", factory, argv),
        kwargs={"add_arguments": add_arguments, "out": out, "stop": stop},
        daemon=True,
    )
    thread.start()
    try:
        assert out.ready.wait(timeout=30), out.getvalue()
        lines = dict(line.split("=", 1) for line in out.getvalue().splitlines() if "=" in line)
        client = CometAdminClient.from_env(lines)
        assert len(client.admin_list_users()) == 3
        assert client.admin_meta_version().version == "25.9.6"
        user = CometUserClient(
            lines["COMET_URL"], username="customer-001", password="customer-001-Passw0rd"
        )
        assert isinstance(user.user_web_get_jobs(), list)
        assert lines["GROUND_TRUTH_URL"].endswith("/_sim/ground-truth")
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
    assert run_process is not None
