"""use_session: a 401/403 is judged by a probe with the same key, never by its message."""

from __future__ import annotations

import pytest

from backup_sdk import errors as e
from comet_sdk import CometAdminClient, CometUserClient, SessionKeyRefusedError
from comet_sdk._generated.operations import OPERATIONS
from comet_sdk.testing import CometSimulator

LIST_USERS = OPERATIONS["AdminListUsers"].path
PROBE = OPERATIONS["AdminAccountProperties"].path


def _session_client(sim: CometSimulator) -> CometAdminClient:
    return CometAdminClient(sim.url, username=sim.username, password=sim.password, use_session=True)


def _refuse_next(sim: CometSimulator, path: str, message: str) -> None:
    sim.faults.fail_next(1, 200, body={"Status": 403, "Message": message}, path=path)


def test_a_refusal_of_a_working_key_is_permission_denied_whatever_it_says(
    sim: CometSimulator,
) -> None:
    client = _session_client(sim)
    client.admin_list_users()
    _refuse_next(sim, LIST_USERS, "Invalid session key")  # the text of an expired key
    with pytest.raises(e.PermissionDeniedError) as info:
        client.admin_list_users()
    assert not isinstance(info.value, e.AuthenticationError)
    assert "Invalid session key" in str(info.value)
    assert (info.value.code, info.value.operation) == (403, "AdminListUsers")
    assert len(sim.received(PROBE)) == 1, "one probe with the same key"
    assert sim.received(PROBE)[0].form()["AuthType"] == "SessionKey"
    assert len(sim.received("/session-start")) == 1, "the key was kept"
    assert len(sim.received(LIST_USERS)) == 2, "and the call not replayed"


def test_a_key_the_probe_refuses_too_is_renewed_whatever_the_refusal_says(
    sim: CometSimulator,
) -> None:
    client = _session_client(sim)
    client.admin_list_users()
    sim.revoke_all_sessions()
    _refuse_next(sim, LIST_USERS, "You do not have permission to use this function")
    assert client.admin_list_users()
    assert len(sim.received(PROBE)) == 1
    assert len(sim.received("/session-start")) == 2, "a new session"
    assert len(sim.received(LIST_USERS)) == 3, "the call replayed once"


def test_a_refused_key_without_a_password_to_renew_it(sim: CometSimulator) -> None:
    key = _session_client(sim).login()
    only_key = CometAdminClient(sim.url, username=sim.username, session_key=key)
    sim.denied_methods.add("AdminListUsers")
    with pytest.raises(e.PermissionDeniedError, match="permission"):
        only_key.admin_list_users()
    sim.revoke_all_sessions()
    with pytest.raises(e.AuthenticationError, match="no password to start a new session"):
        only_key.admin_list_users()


def test_without_a_session_nothing_is_probed(sim: CometSimulator) -> None:
    client = CometAdminClient(sim.url, username=sim.username, password=sim.password)
    _refuse_next(sim, LIST_USERS, "Invalid session key")
    with pytest.raises(e.AuthenticationError):
        client.admin_list_users()
    assert sim.received(PROBE) == []


def test_the_user_client_follows_the_same_rule(sim: CometSimulator) -> None:
    name, password = next(iter(sim.user_passwords.items()))
    client = CometUserClient(sim.url, username=name, password=password, use_session=True)
    client.user_web_get_jobs()
    path = OPERATIONS["UserWebGetJobs"].path
    _refuse_next(sim, path, "Invalid session key")
    with pytest.raises(e.PermissionDeniedError):
        client.user_web_get_jobs()
    assert sim.user_logins == 1
    sim.revoke_all_sessions()
    _refuse_next(sim, path, "Permission denied")
    client.user_web_get_jobs()
    assert sim.user_logins == 2


def test_session_key_refused_is_an_authentication_error() -> None:
    assert issubclass(SessionKeyRefusedError, e.AuthenticationError)
