"""Version awareness: a method or parameter newer than the server fails before it is sent."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from typing import Any

import pytest

from backup_sdk import errors as e
from backup_sdk.testing import SimClock
from comet_sdk import CometAdminClient, ServerVersionError
from comet_sdk._generated.operations import OPERATIONS
from comet_sdk.models import SearchClause
from comet_sdk.testing import CometFleetSpec, CometSimulator
from comet_sdk.versions import is_newer, parse_version
from tests.support.threads import run_together

FLEET = CometFleetSpec(users=3, jobs=20, days=1, seed=4)
QUERY = SearchClause(rule_field="BackupJobDetail.Status", rule_operator="int_eq", rule_value="5000")


@pytest.fixture
def old_sim() -> Iterator[CometSimulator]:
    clock = SimClock(1_800_000_000, frozen=True)
    with CometSimulator(fleet=FLEET, clock=clock, version="20.9.12") as simulator:
        yield simulator


def _client(sim: CometSimulator, **options: Any) -> CometAdminClient:
    return CometAdminClient(sim.url, username=sim.username, password=sim.password, **options)


def test_a_newer_method_fails_before_it_is_sent(old_sim: CometSimulator) -> None:
    client = _client(old_sim)
    with pytest.raises(ServerVersionError) as info:
        client.admin_count_jobs_for_custom_search(QUERY)
    error = info.value
    assert isinstance(error, e.InvalidRequestError)
    assert (error.operation, error.parameter) == ("AdminCountJobsForCustomSearch", None)
    assert (error.required_version, error.server_version) == ("22.12.2", "20.9.12")
    assert "22.12.2" in str(error) and "20.9.12" in str(error)
    assert old_sim.received("/count-jobs-for-custom-search") == [], "never sent"
    assert len(old_sim.received("/meta/version")) == 1, "the version was asked once"
    with pytest.raises(ServerVersionError):
        client.admin_get_protected_item_with_backup_rules("customer-001", "x")
    assert len(old_sim.received("/meta/version")) == 1, "and remembered"
    assert client.server_version == "20.9.12"
    restored = pickle.loads(pickle.dumps(error))
    assert (restored.required_version, restored.server_version) == ("22.12.2", "20.9.12")


def test_a_newer_parameter_fails_only_when_given(old_sim: CometSimulator) -> None:
    client = _client(old_sim)
    job = old_sim.jobs[0]["GUID"]
    assert client.admin_get_job_log_entries(job), "without the newer parameter it is sent"
    assert old_sim.received("/meta/version") == [], "20.9.12 calls need no version"
    with pytest.raises(ServerVersionError) as info:
        client.admin_get_job_log_entries(job, min_severity="W")
    assert info.value.parameter == "MinSeverity"
    assert info.value.required_version == "23.3.1"
    assert len(old_sim.received("/get-job-log-entries")) == 1


def test_the_check_can_be_turned_off_or_told_the_version(old_sim: CometSimulator) -> None:
    unchecked = _client(old_sim, check_version=False)
    with pytest.raises(e.NotFoundError):  # the old server does not have the method
        unchecked.admin_count_jobs_for_custom_search(QUERY)
    assert len(old_sim.received("/count-jobs-for-custom-search")) == 1
    told = _client(old_sim, server_version="20.9.12")
    with pytest.raises(ServerVersionError):
        told.admin_count_jobs_for_custom_search(QUERY)
    assert old_sim.received("/meta/version") == [], "no need to ask"


def test_raw_calls_are_checked_too(old_sim: CometSimulator) -> None:
    client = _client(old_sim)
    with pytest.raises(ServerVersionError):
        client.call_raw("AdminCountJobsForCustomSearch", {"Query": QUERY})
    assert old_sim.received("/count-jobs-for-custom-search") == []


def test_a_current_server_is_asked_once_however_many_threads() -> None:
    with CometSimulator(fleet=FLEET, clock=SimClock(frozen=True)) as sim:
        client = _client(sim, use_session=True)
        copy = client.with_options(timeout=30)
        errors = run_together(16, lambda: client.admin_count_jobs_for_custom_search(QUERY))
        assert errors == []
        copy.admin_count_jobs_for_custom_search(QUERY)
        assert len(sim.received("/meta/version")) == 1, "learned once, shared by the copy"
        assert len(sim.received("/count-jobs-for-custom-search")) == 17
        assert sim.logins == 1


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("25.9.6", (25, 9, 6)),
        ("24.12.x", (24, 12, 0)),
        ("21.9.xx", (21, 9, 0)),
        ("25.9.6-beta", (25, 9, 6)),
        ("23.x.x", (23, 0, 0)),
        ("22", (22, 0, 0)),
    ],
)
def test_version_parsing(text: str, parsed: tuple[int, ...]) -> None:
    assert parse_version(text) == parsed


def test_version_order_and_garbage() -> None:
    assert is_newer("25.9.6", "24.12.2")
    assert not is_newer("20.9.12", "20.9.12")
    assert is_newer("20.9.12", "20.9.9")
    with pytest.raises(ValueError, match="not a Comet version"):
        parse_version("unknown")


def test_every_recorded_version_is_readable() -> None:
    for name in OPERATIONS:
        operation = OPERATIONS[name]
        parse_version(operation.since)
        for since in operation.param_since.values():
            assert is_newer(since, "20.9.12") or since == "20.9.12", (name, since)
