"""CometUserClient: the user-web API with a user's own credentials, on the shared core."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from backup_sdk import errors as e
from backup_sdk.client import BaseClient
from backup_sdk.testing import SimClock
from comet_sdk import CometAdminClient, CometUserClient, ServerVersionError
from comet_sdk.testing import CometFleetSpec, CometSimulator
from tests.support.threads import run_together

USER = "customer-002"


@pytest.fixture
def sim() -> Iterator[CometSimulator]:
    clock = SimClock(1_800_000_000, frozen=True)
    with CometSimulator(fleet=CometFleetSpec(users=4, jobs=60, seed=8), clock=clock) as simulator:
        yield simulator


def _user(sim: CometSimulator, **options: Any) -> CometUserClient:
    return CometUserClient(sim.url, username=USER, password=sim.user_passwords[USER], **options)


def test_it_is_a_base_client_built_from_the_environment(sim: CometSimulator) -> None:
    client = CometUserClient.from_env(sim.user_env(USER))
    assert isinstance(client, BaseClient)
    assert (client.vendor, client.package) == ("comet", "comet_sdk")
    assert client.username == USER
    assert "Passw0rd" not in repr(client)
    with pytest.raises(e.ConfigurationError, match="set COMET_PASSWORD"):
        CometUserClient.from_env({"COMET_URL": sim.url, "COMET_USERNAME": USER})


def test_a_user_sees_their_own_jobs_and_nobody_elses(sim: CometSimulator) -> None:
    client = _user(sim)
    mine = client.user_web_get_jobs()
    assert mine and {job.username for job in mine} == {USER}
    other = next(j for j in sim.jobs if j["Username"] != USER)
    with pytest.raises(e.NotFoundError):
        client.user_web_get_job_properties(other["GUID"])
    failed = next(job for job in mine if 7000 <= int(job.status) < 8000)
    entries = client.user_web_get_job_log_entries(failed.guid)
    assert any(entry.severity.value == "E" for entry in entries)
    assert failed.start_time is not None
    started = str(int(failed.start_time.timestamp()))
    assert client.user_web_get_job_log(failed.guid).startswith(started)
    form = sim.received("/user/web/get-jobs")[-1].form()
    assert (form["Username"], form["AuthType"]) == (USER, "Password")


def test_sixteen_threads_share_one_user_session(sim: CometSimulator) -> None:
    client = _user(sim, use_session=True)
    copy = client.with_options(timeout=30)
    errors = run_together(
        16, lambda: [client.user_web_get_user_profile_and_hash() for _ in range(2)]
    )
    assert errors == []
    copy.user_web_news_get_all()
    assert sim.user_logins == 1, "counted at the simulator"
    assert client.logins == copy.logins == 1
    later = [r.form() for r in sim.received("/user/web/")][-1]
    assert later["AuthType"] == "SessionKey" and "Password" not in later
    sim.revoke_all_sessions()
    assert run_together(16, client.user_web_news_get_all) == []
    assert sim.user_logins == 2, "one more login after the server forgot the session"


def test_login_end_session_and_a_given_key(sim: CometSimulator) -> None:
    client = _user(sim)
    key = client.login()
    assert sim.user_session_keys[key] == USER
    only_key = CometUserClient(sim.url, username=USER, session_key=key)
    assert only_key.user_web_get_user_profile_and_hash().profile.username == USER
    client.end_session()
    assert key not in sim.user_session_keys
    with pytest.raises(e.AuthenticationError, match="no password to start a new session"):
        only_key.user_web_news_get_all()


def test_a_user_with_two_factor_login(sim: CometSimulator) -> None:
    sim.require_totp = True
    with pytest.raises(e.AuthenticationError, match="TOTP"):
        _user(sim).user_web_get_jobs()
    client = _user(sim, totp=sim.issue_totp)
    client.user_web_get_jobs()
    start = sim.received("/user/web/session/start")[-1].form()
    assert start["AuthType"] == "PasswordTOTP" and start["TOTP"]
    with pytest.raises(e.AuthenticationError):
        CometUserClient(sim.url, username=USER, password="wrong").user_web_get_jobs()


def test_profile_read_modify_write_keeps_unknown_settings(sim: CometSimulator) -> None:
    client = _user(sim)
    current = client.user_web_get_user_profile_and_hash()
    current.profile.account_name = "Renamed by the user"
    written = client.user_web_set_profile_hash(current.profile, current.profile_hash)
    assert written.profile.account_name == "Renamed by the user"
    assert sim.profiles[USER]["FutureSettings"]["AlwaysKeepMe"] is True
    with pytest.raises(e.InvalidRequestError, match="hash mismatch"):
        client.user_web_set_profile_hash(current.profile, current.profile_hash)
    source_id = next(iter(sim.profiles[USER]["Sources"]))
    item = client.user_web_get_protected_item_with_backup_rules(source_id)
    assert item.source.owner_device in sim.profiles[USER]["Devices"]


def test_only_the_users_own_devices(sim: CometSimulator) -> None:
    client = _user(sim)
    mine = client.user_web_dispatcher_list_active()
    assert mine and {c.username for c in mine.values()} == {USER}
    theirs = next(k for k, v in sim.state.connections().items() if v["Username"] != USER)
    with pytest.raises(e.PermissionDeniedError):
        client.user_web_dispatcher_request_browse_disk_drives(theirs)
    disks = client.user_web_dispatcher_request_browse_disk_drives(next(iter(mine)))
    assert disks.disks and disks.disks[0].partitions


def test_the_version_check_when_told_the_servers_version(sim: CometSimulator) -> None:
    client = _user(sim, server_version="20.9.12")
    with pytest.raises(ServerVersionError) as info:
        client.user_web_get_protected_item_with_backup_rules("x")
    assert info.value.server_version == "20.9.12"
    assert sim.received("/user/web/get-protected-item-with-backup-rules") == []
    assert _user(sim).server_version is None, "the user-web API does not say"


def test_raw_calls_and_public_ones(sim: CometSimulator) -> None:
    client = _user(sim)
    raw = client.call_raw("UserWebGetJobs")
    assert raw.status_code == 200 and all(j["Username"] == USER for j in raw.data)
    props = client.branding_props()
    assert props.brand_name
    request = sim.received("/gen/branding.props")[-1]
    assert request.method == "GET" and request.body == b"", "no credentials for a public call"


def test_the_admin_clients_old_user_web_methods_are_deprecated(sim: CometSimulator) -> None:
    admin = CometAdminClient(sim.url, username=sim.username, password=sim.password)
    with (
        pytest.warns(DeprecationWarning, match="CometUserClient"),
        pytest.raises(e.AuthenticationError),  # admin credentials are no user's
    ):
        admin.user_web_session_revoke()  # type: ignore[deprecated]
