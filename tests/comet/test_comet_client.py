"""CometAdminClient against the simulated Comet Server (real HTTP on loopback)."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path
from typing import Any

import pytest

from backup_sdk import errors as e
from backup_sdk.downloads import save_stream
from comet_sdk import (
    BackupJobDetail,
    CometAdminClient,
    JobCategory,
    JobClassification,
    JobStatus,
    job_category,
)
from comet_sdk.models import SearchClause, UserProfileConfig, converter
from comet_sdk.testing import CometSimulator


def _forms(sim: CometSimulator, path: str) -> list[dict[str, str]]:
    return [r.form() for r in sim.received(path)]


def test_password_auth_and_form_encoding(client: CometAdminClient, sim: CometSimulator) -> None:
    now = int(time.time())
    jobs = client.admin_get_jobs_for_date_range(now - 86_400, now)
    assert jobs
    assert all(isinstance(j, BackupJobDetail) for j in jobs)
    form = _forms(sim, "/get-jobs-for-date-range")[-1]
    assert form["Username"] == "admin"
    assert form["AuthType"] == "Password"
    assert form["Start"] == str(now - 86_400), "ints as decimal text"
    request = sim.received("/get-jobs-for-date-range")[-1]
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"


def test_optional_params_are_omitted_and_json_params_compact(
    client: CometAdminClient, sim: CometSimulator
) -> None:
    client.admin_account_session_start()
    assert "SelfAddress" not in _forms(sim, "/session-start")[-1]
    cutoff = sim.clock.now() - 86_400
    clause = SearchClause(
        clause_type="and",
        clause_children=[
            SearchClause(
                rule_field="BackupJobDetail.Username",
                rule_operator="str_eq",
                rule_value="customer-001",
            ),
            SearchClause(
                rule_field="BackupJobDetail.StartTime",
                rule_operator="int_gt",
                rule_value=str(cutoff),
            ),
        ],
    )
    jobs = client.admin_get_jobs_for_custom_search(clause)
    expected = {
        j["GUID"] for j in sim.jobs if j["Username"] == "customer-001" and j["StartTime"] > cutoff
    }
    assert {j.guid for j in jobs} == expected
    assert expected
    sent = _forms(sim, "/get-jobs-for-custom-search")[-1]["Query"]
    assert ": " not in sent and ", " not in sent, "compact JSON"
    assert json.loads(sent)["ClauseChildren"][0]["RuleField"] == "BackupJobDetail.Username"


def test_wrong_password_is_an_authentication_error(sim: CometSimulator) -> None:
    bad = CometAdminClient(sim.url, username=sim.username, password="not-the-password")
    with pytest.raises(e.AuthenticationError) as info:
        bad.admin_meta_version()
    assert info.value.code == 403
    assert info.value.status == 200, "Comet reports errors inside HTTP 200"


def test_totp_code_is_used_once_then_a_session_key(sim: CometSimulator) -> None:
    sim.require_totp = True
    code = sim.issue_totp()
    client = CometAdminClient(sim.url, username=sim.username, password=sim.password, totp=code)
    client.admin_meta_version()
    client.admin_list_users()
    start_form = _forms(sim, "/session-start")[-1]
    assert start_form["AuthType"] == "PasswordTOTP"
    assert start_form["TOTP"] == code
    later = _forms(sim, "/list-users")[-1]
    assert later["AuthType"] == "SessionKey"
    assert "TOTP" not in later and "Password" not in later


def test_totp_required_error_explains_itself(sim: CometSimulator) -> None:
    sim.require_totp = True
    client = CometAdminClient(sim.url, username=sim.username, password=sim.password)
    with pytest.raises(e.AuthenticationError, match="needs a TOTP code"):
        client.admin_meta_version()


def test_session_is_started_again_when_it_stops_working(
    client: CometAdminClient, sim: CometSimulator
) -> None:
    session_client = CometAdminClient(
        sim.url, username=sim.username, password=sim.password, use_session=True
    )
    session_client.admin_list_users()
    assert len(sim.received("/session-start")) == 1
    sim.revoke_all_sessions()
    assert session_client.admin_list_users()
    assert len(sim.received("/session-start")) == 2


def test_existing_session_key(sim: CometSimulator, client: CometAdminClient) -> None:
    key = client.login()
    only_key = CometAdminClient(sim.url, username=sim.username, session_key=key)
    assert only_key.admin_meta_version().version == sim.version == "25.9.6"
    assert only_key.logins == 0, "the key given was used as it is"
    sim.revoke_all_sessions()
    with pytest.raises(e.AuthenticationError, match="no password to start a new session"):
        only_key.admin_meta_version()


def test_unknown_user_is_not_found(client: CometAdminClient) -> None:
    with pytest.raises(e.NotFoundError) as info:
        client.admin_get_user_profile("nobody")
    assert info.value.code == 500
    assert "nobody" in str(info.value)


def test_message_only_methods_fail_outside_2xx(client: CometAdminClient) -> None:
    result = client.admin_add_user("new-user", "S3cure-pass!")
    assert 200 <= result.status <= 299
    with pytest.raises(e.InvalidRequestError, match="already exists"):
        client.admin_add_user("new-user", "S3cure-pass!")


def test_job_status_is_not_mistaken_for_an_error(
    client: CometAdminClient, sim: CometSimulator
) -> None:
    failed = next(j for j in sim.jobs if j["Status"] == 7002)
    job = client.admin_get_job_properties(failed["GUID"])
    assert job.status is JobStatus.FAILED_ERROR
    assert job_category(job.status) is JobCategory.ERROR


def test_null_list_is_empty(client: CometAdminClient) -> None:
    assert client.admin_get_jobs_for_date_range(1, 2) == []


def test_int_keyed_dictionary(client: CometAdminClient) -> None:
    platforms = client.admin_branding_available_platforms()
    assert set(platforms) == {0, 3}


def test_newer_job_fields_decode_and_round_trip(
    client: CometAdminClient, sim: CometSimulator
) -> None:
    raw = sim.public_jobs([next(j for j in sim.jobs if "FutureCounters" in j and j["Tags"])])[0]
    job = client.admin_get_job_properties(raw["GUID"])
    assert job.retry_count == raw["RetryCount"], "a 25.9.6 field, typed"
    assert job.tags == "nightly"
    assert job.extra_fields == {"FutureCounters": {"Dedup": 0.42, "Shards": [1, 2]}}
    written = converter.unstructure(job)
    assert _contains(written, raw), "everything received is written back"
    added = {k: v for k, v in written.items() if k not in raw}
    assert converter.structure(added, BackupJobDetail) == BackupJobDetail(), "the rest: defaults"


def test_unknown_job_status_classifies_by_range() -> None:
    job = converter.structure(
        {"GUID": "g", "Status": 6042, "Classification": 4999}, BackupJobDetail
    )
    assert job.status.is_unknown, "a code no reference knows"
    assert job_category(job.status) is JobCategory.RUNNING
    assert job_category(6003) is JobCategory.RUNNING
    assert job_category(6004) is JobCategory.RUNNING
    assert JobStatus(6003) is JobStatus.RUNNING_TRYAGAIN, "known since 25.9.6"
    assert JobStatus(6004) is JobStatus.NOT_YET_STARTED
    assert job_category(7042) is JobCategory.ERROR
    assert job_category(5123) is JobCategory.SUCCESS
    assert job_category(0) is JobCategory.UNKNOWN
    assert job_category(7004) is JobCategory.MISSED
    assert job_category(7006) is JobCategory.SKIPPED
    assert job.classification == 4999
    assert JobClassification(4001) is JobClassification.BACKUP


def test_profile_read_modify_write_keeps_unknown_fields(
    client: CometAdminClient, sim: CometSimulator
) -> None:
    before = json.loads(json.dumps(sim.profiles["customer-001"]))

    def rename(profile: UserProfileConfig) -> None:
        profile.account_name = "Renamed Ltd"

    client.admin_update_user_profile("customer-001", rename)
    after = sim.profiles["customer-001"]
    assert after["AccountName"] == "Renamed Ltd"
    assert after["FutureSettings"] == before["FutureSettings"]
    assert _contains(after["Sources"], before["Sources"]), "nothing nested was lost"
    assert after["FutureSettings"]["Limits"] == {}, "an empty object stays an object"
    assert after["FutureSettings"]["Tiers"] == [], "an empty list stays a list"
    rule = next(iter(after["BackupRules"].values()))
    assert isinstance(rule["EventTriggers"], dict)


def _contains(big: Any, small: Any) -> bool:
    """Every key and value of ``small`` is in ``big`` (defaults may have been added)."""
    if isinstance(small, dict):
        return isinstance(big, dict) and all(
            k in big and (_contains(big[k], v) or (v == {} and isinstance(big[k], dict)))
            for k, v in small.items()
        )
    return bool(big == small)


def test_profile_write_retries_on_a_hash_conflict(
    client: CometAdminClient, sim: CometSimulator
) -> None:
    calls: list[int] = []

    def change(profile: UserProfileConfig) -> None:
        calls.append(1)
        if len(calls) == 1:  # someone else edits between our read and our write
            sim.modify_profile_behind_the_scenes("customer-002")
        profile.account_name = "Mine"

    client.admin_update_user_profile("customer-002", change)
    assert len(calls) == 2
    assert sim.profiles["customer-002"]["AccountName"] == "Mine"


def test_text_endpoint_never_goes_through_the_json_decoder(
    client: CometAdminClient, sim: CometSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    import requests

    def no_json(self: Any, **_: Any) -> Any:
        raise AssertionError("the JSON decoder was used on a text body")

    job = sim.jobs[0]
    monkeypatch.setattr(requests.Response, "json", no_json)
    log = client.admin_get_job_log(job["GUID"])
    assert log.startswith(f"{job['StartTime']}\tI\tStarting backup")
    assert '{"Status": 7002' in log, "JSON-looking lines stay text"
    days = sim._log_days({}, None)  # type: ignore[arg-type]
    assert days.status == 200
    text = client.admin_meta_read_logs(int(json.loads(days.body)[0]))  # type: ignore[arg-type]
    assert "\r\n" in text


def test_binary_download_streams_without_json(
    client: CometAdminClient, sim: CometSimulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import requests

    monkeypatch.setattr(requests.Response, "json", lambda self, **_: pytest.fail("json used"))
    chunks = client.admin_branding_generate_client_windows_x8664_exe()
    first = next(chunks)
    assert len(first) < sim.download_size, "arrives in chunks, not all at once"
    written = save_stream(chunks, tmp_path / "installer.exe")
    assert written + len(first) == sim.download_size
    buffer = io.BytesIO()
    assert (
        save_stream(client.admin_branding_generate_client_linuxgeneric(), buffer)
        == sim.download_size
    )


def test_multipart_upload_puts_credentials_in_headers(
    client: CometAdminClient, sim: CometSimulator
) -> None:
    uploaded = client.admin_meta_resource_new(b"logo bytes")
    request = sim.received("/meta/resource/new")[-1]
    assert request.headers["X-Comet-Admin-Username"] == "admin"
    assert request.headers["X-Comet-Admin-AuthType"] == "Password"
    assert request.headers["Content-Type"].startswith("multipart/form-data")
    assert sim.resources[uploaded.resource_hash] == b"logo bytes"
    assert b"".join(client.admin_meta_resource_get(uploaded.resource_hash)) == b"logo bytes"


def test_reads_retry_writes_do_not(sim: CometSimulator) -> None:
    sleeps: list[float] = []
    client = CometAdminClient(
        sim.url, username=sim.username, password=sim.password, sleep=sleeps.append
    )
    sim.faults.fail_next(1, 503, path="/meta/version")
    assert client.admin_meta_version().version == sim.version
    assert len(sleeps) == 1
    sim.faults.fail_next(1, 503, path="/add-user")
    with pytest.raises(e.ServerError):
        client.admin_add_user("someone", "pw-123456")
    assert len(sleeps) == 1


def test_proxy_error_pages_are_clear(client: CometAdminClient, sim: CometSimulator) -> None:
    sim.faults.fail_next(1, 502, body="<html>Bad Gateway</html>", path="/list-users")
    with pytest.raises(e.ServerError) as info:
        client.with_options(retry=__import__("backup_sdk").RetryPolicy.none()).admin_list_users()
    assert info.value.status == 502
    assert "Bad Gateway" in (info.value.body_excerpt or "")


def test_configuration_errors() -> None:
    with pytest.raises(e.ConfigurationError, match="needs a password or a session key"):
        CometAdminClient("https://x.example", username="admin")
    with pytest.raises(e.ConfigurationError) as missing:
        CometAdminClient.from_env({})
    assert str(missing.value) == "set COMET_URL, COMET_USERNAME"
    with pytest.warns(DeprecationWarning, match="pass the credentials as keywords"):
        legacy = CometAdminClient("https://x.example", "admin", "pw")  # type: ignore[deprecated]
    assert legacy.username == "admin"
    client = CometAdminClient.from_env(
        {"COMET_URL": "https://x.example", "COMET_USERNAME": "a", "COMET_PASSWORD": "b"}
    )
    assert client.base_url == "https://x.example"
