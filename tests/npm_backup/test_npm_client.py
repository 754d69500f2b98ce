"""NpmBackupClient against the simulated appliance (real HTTP on loopback)."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import pytest

from backup_sdk import errors as e
from backup_sdk.models import UnixTime
from backup_sdk.transport import InsecureTransportWarning
from npm_backup_sdk import (
    BackupOperation,
    ContentInfo,
    Frequency,
    ModuleSelection,
    NpmBackupClient,
    OperationType,
    Progress,
    RecurrenceRule,
    RestoreOperation,
    ScheduledBackup,
    Server,
    Status,
    Weekday,
)
from npm_backup_sdk.testing import NpmBackupSimulator


def test_discovery_needs_no_login(client: NpmBackupClient, sim: NpmBackupSimulator) -> None:
    info = client.info()
    assert info.model == "SIM-8180"
    assert client.ping() is True
    services = {s.id: s for s in client.services()}
    assert services["npm.probe.reports"].latest() == "1.10", "versions compare as numbers"
    assert client.supports_backup_v2()
    assert sim.state.token_requests == 0


def test_lazy_login_and_bearer_on_every_call(
    client: NpmBackupClient, sim: NpmBackupSimulator
) -> None:
    assert client.servers.list()
    assert client.scheduled_backups.list()
    assert sim.state.token_requests == 1
    calls = sim.received("/api/npm.backup/2.0/")
    assert all(r.headers["Authorization"].startswith("Bearer tok-") for r in calls)


def test_token_is_refreshed_before_expiry(sim: NpmBackupSimulator) -> None:
    sim.token_lifetime = 30  # shorter than the default refresh margin of 60 s
    client = NpmBackupClient(base_url=sim.url, username=sim.username, password=sim.password)
    client.servers.list()
    client.servers.list()
    token_calls = [r.json() for r in sim.received("/token")]
    assert len(token_calls) == 2
    assert "refresh_token" in token_calls[1], "the refresh token is used, not the password"


def test_relogin_once_on_auth_error_and_replay(
    client: NpmBackupClient, sim: NpmBackupSimulator
) -> None:
    client.servers.list()
    sim.expire_tokens()
    assert client.servers.list()
    assert sim.state.token_requests == 2


def test_wrong_password_is_an_authentication_error(sim: NpmBackupSimulator) -> None:
    client = NpmBackupClient(base_url=sim.url, username=sim.username, password="wrong-pass")
    with pytest.raises(e.AuthenticationError) as info:
        client.servers.list()
    assert info.value.code == "AUTH_INVALID_CREDENTIALS"
    assert info.value.status == 401
    assert sim.state.token_requests == 1, "bad credentials are not retried"


def test_falls_back_to_mgmt_aaa_1_0() -> None:
    with NpmBackupSimulator(legacy_auth_only=True) as sim:
        client = NpmBackupClient(base_url=sim.url, username=sim.username, password=sim.password)
        assert client.servers.list()
        paths = [r.path for r in sim.received("/token")]
        assert paths == ["/api/mgmt.aaa/2.0/token", "/api/mgmt.aaa/1.0/token"]
        client.scheduled_backups.list()
        sim.expire_tokens()
        client.servers.list()
        assert [r.path for r in sim.received("/token")][-1] == "/api/mgmt.aaa/1.0/token"


def test_http_basic_option(sim: NpmBackupSimulator) -> None:
    client = NpmBackupClient(
        base_url=sim.url, username=sim.username, password=sim.password, basic_auth=True
    )
    assert client.servers.list()
    assert sim.state.token_requests == 0
    assert sim.received("/servers")[0].headers["Authorization"].startswith("Basic ")


def test_existing_access_token(sim: NpmBackupSimulator) -> None:
    issuer = NpmBackupClient(base_url=sim.url, username=sim.username, password=sim.password)
    token = issuer.login()
    reuse = NpmBackupClient(base_url=sim.url, access_token=token.access_token)
    assert reuse.servers.list()
    sim.expire_tokens()
    with pytest.raises(e.AuthenticationError):
        reuse.servers.list()


def test_configuration_errors() -> None:
    with pytest.raises(e.ConfigurationError, match="give the appliance"):
        NpmBackupClient(username="a", password="b")
    with pytest.warns(DeprecationWarning, match=r"host=\.\.\.\) is deprecated"):
        legacy = NpmBackupClient(host="ar11.example", username="a", password="b")
    assert legacy.base_url == "https://ar11.example"
    with pytest.raises(e.ConfigurationError, match="no way to log in"):
        NpmBackupClient("host")
    with pytest.raises(e.ConfigurationError):
        NpmBackupClient("host", username="a", password="b", paths={"nonsense": "/x"})
    with pytest.raises(e.ConfigurationError) as missing:
        NpmBackupClient.from_env({})
    assert str(missing.value) == "set NPM_BACKUP_URL, NPM_BACKUP_USERNAME, NPM_BACKUP_PASSWORD"


def test_https_by_default_and_from_env() -> None:
    client = NpmBackupClient("appliance.example", username="a", password="b")
    assert client.base_url == "https://appliance.example"
    env = {
        "NPM_BACKUP_URL": "ar11.example",
        "NPM_BACKUP_USERNAME": "admin",
        "NPM_BACKUP_PASSWORD": "pw",
        "NPM_BACKUP_CA_BUNDLE": "/etc/ssl/appliance.pem",
    }
    from_env = NpmBackupClient.from_env(env)
    assert from_env.base_url == "https://ar11.example"
    assert from_env._transport.verify == "/etc/ssl/appliance.pem"
    legacy_env = {**env, "NPM_BACKUP_HOST": "old.example"}
    del legacy_env["NPM_BACKUP_URL"]
    with pytest.warns(DeprecationWarning, match="NPM_BACKUP_HOST is deprecated"):
        assert NpmBackupClient.from_env(legacy_env).base_url == "https://old.example"


def test_turning_off_verification_warns() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        NpmBackupClient("self-signed.example.invalid", username="a", password="b", verify=False)
    assert any(issubclass(w.category, InsecureTransportWarning) for w in caught)


def test_not_found_maps_error_id(client: NpmBackupClient) -> None:
    with pytest.raises(e.NotFoundError) as info:
        client.servers.get(999)
    assert info.value.code == "RESOURCE_NOT_FOUND"
    assert "999" in str(info.value)


def test_html_and_empty_error_bodies_still_give_clear_errors(
    client: NpmBackupClient, sim: NpmBackupSimulator
) -> None:
    client.servers.list()
    page = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    sim.faults.fail_next(1, 502, body=page, content_type="text/html")
    with pytest.raises(e.ServerError) as info:
        client.backups.start(1, "x")
    assert str(info.value) == (
        f"npm_backup backups.start: Bad Gateway (text/html body: {page}) (HTTP 502)"
    )
    sim.faults.fail_next(1, 500, body=b"")
    with pytest.raises(e.ServerError) as empty:
        client.backups.start(1, "x")
    assert str(empty.value) == (
        "npm_backup backups.start: Internal Server Error (empty body) (HTTP 500)"
    )


def test_server_crud_and_generated_key(client: NpmBackupClient) -> None:
    created = client.servers.create(
        Server(name="offsite", host="offsite.example", path="/b", user="bk", desc="Offsite")
    )
    assert created.id is not None
    assert created.public_key and created.public_key.startswith("ssh-rsa ")
    assert created.new_private_key and "PRIVATE KEY" in created.new_private_key
    assert "PRIVATE KEY" not in repr(created)
    created.port = 2222
    updated = client.servers.update(created)
    assert updated.port == 2222
    assert client.servers.get(created.id).port == 2222
    client.servers.delete(created.id)
    with pytest.raises(e.NotFoundError):
        client.servers.get(created.id)


def test_schedule_crud_round_trips_unknown_fields(
    client: NpmBackupClient, sim: NpmBackupSimulator
) -> None:
    rule = RecurrenceRule(freq=Frequency.WEEKLY, byday=[Weekday.MO, Weekday.TH], byhour=[1])
    created = client.scheduled_backups.create(
        ScheduledBackup(name="weekly", server_id=1, rrule=rule, retention=4, desc="w")
    )
    assert created.id
    assert created.next_backup is not None
    sim.state.schedules[created.id]["vendor_future_field"] = {"keep": True}
    fetched = client.scheduled_backups.get(created.id)
    assert fetched.extra_fields == {"vendor_future_field": {"keep": True}}
    fetched.retention = 9
    client.scheduled_backups.update(fetched)
    stored = sim.state.schedules[created.id]
    assert stored["retention"] == 9
    assert stored["vendor_future_field"] == {"keep": True}
    put = sim.received(f"/scheduled_backups/items/{created.id}")[-1].json()
    assert "id" not in put and "next_backup" not in put, "read-only fields are not sent"
    client.scheduled_backups.delete(created.id)
    assert created.id not in sim.state.schedules


def test_invalid_schedule_is_refused_before_sending(
    client: NpmBackupClient, sim: NpmBackupSimulator
) -> None:
    bad = ScheduledBackup(
        name="bad",
        server_id=1,
        rrule=RecurrenceRule(
            freq="DAILY",  # type: ignore[arg-type]  # a plain string from a caller still validates
            count=3,
            until=UnixTime.from_raw("1800000000"),
            byhour=[25],
        ),
        retention=0,
    )
    with pytest.raises(e.ValidationError) as info:
        client.scheduled_backups.create(bad)
    text = str(info.value)
    assert "count or until" in text
    assert "byhour value 25" in text
    assert "retention" in text
    assert sim.received("/scheduled_backups") == []


def test_backup_lifecycle_with_progress(client: NpmBackupClient, sim: NpmBackupSimulator) -> None:
    seen: list[Progress] = []
    op = client.backups.start(
        1, "adhoc", "before upgrade", ContentInfo(modules=[ModuleSelection(module="config")])
    )
    assert isinstance(op, BackupOperation)
    assert op.status is Status.STARTED
    started = [b for b in client.backups.list(1) if b.id == op.backup_id]
    assert started[0].status is Status.STARTED
    final = client.wait_for_operation(
        op, poll_interval=0.2, on_progress=lambda p, _i: seen.append(p)
    )
    assert final.status is Status.COMPLETED
    assert seen, "progress was reported"
    assert all(p.total == 10 for p in seen)
    assert [p.completed for p in seen] == sorted(p.completed for p in seen)
    stored = client.completed_backups.get(1, op.backup_id)
    assert stored.status is Status.COMPLETED
    assert stored.size_bytes > 0


def test_failed_backup_is_reported(client: NpmBackupClient, sim: NpmBackupSimulator) -> None:
    sim.next_outcomes.append("failed")
    op = client.backups.start(1, "doomed")
    final = client.wait_for_operation(op, poll_interval=0.2)
    assert final.status is Status.FAILED
    assert final.status.is_terminal
    assert not final.status.is_success


def test_second_operation_conflicts(client: NpmBackupClient) -> None:
    client.backups.start(1, "first")
    with pytest.raises(e.ConflictError):
        client.backups.start(1, "second")


def test_wait_times_out(client: NpmBackupClient, sim: NpmBackupSimulator) -> None:
    sim.backup_duration = 3600
    op = client.backups.start(1, "long")
    with pytest.raises(e.OperationTimeoutError) as info:
        client.wait_for_operation(op, poll_interval=0.05, timeout=0.3)
    assert info.value.operation == "backup"


def test_download_streams_to_a_file_and_upload_streams_back(
    client: NpmBackupClient, sim: NpmBackupSimulator, tmp_path: Path
) -> None:
    backup = client.backups.list(1)[0]
    target = tmp_path / "appliance.backup.tgz"
    written = client.completed_backups.download(1, backup.id, target)
    assert written == backup.size_bytes == target.stat().st_size
    assert target.read_bytes() == sim.state.files[backup.id]
    assert [p.name for p in tmp_path.iterdir()] == ["appliance.backup.tgz"]
    buffer = io.BytesIO()
    assert client.completed_backups.download(1, backup.id, buffer) == written
    uploaded = client.backups.upload(2, target)
    assert uploaded.size_bytes == written
    assert sim.state.files[uploaded.id] == target.read_bytes()
    upload_request = sim.received("/upload")[-1]
    assert upload_request.headers["Content-Type"] == "application/octet-stream"


def test_failed_download_leaves_no_partial_file(
    client: NpmBackupClient, sim: NpmBackupSimulator, tmp_path: Path
) -> None:
    backup = client.backups.list(1)[0]
    sim.faults.truncate_next(1, path="/file")
    with pytest.raises(e.TransportError):
        client.completed_backups.download(1, backup.id, tmp_path / "x.tgz")
    assert list(tmp_path.iterdir()) == []


def test_restore_survives_the_reboot(client: NpmBackupClient, sim: NpmBackupSimulator) -> None:
    backup = client.backups.list(1)[0]
    op = client.completed_backups.restore(1, backup.id, ContentInfo(config_only=True))
    assert isinstance(op, RestoreOperation)
    assert sim.received("/restore")[-1].json() == {"contents": {"config_only": True, "modules": []}}
    final = client.wait_for_operation(op, poll_interval=0.2, timeout=30)
    assert isinstance(final, RestoreOperation)
    assert final.status is Status.COMPLETED
    assert final.backup_id == backup.id
    assert sim.state.token_requests == 2, "logged in again after the reboot"


def test_operation_type_from_string(client: NpmBackupClient) -> None:
    op = client.backups.start(1, "typed")
    final = client.wait_for_operation(operation_type=OperationType.BACKUP, poll_interval=0.2)
    assert final.operation_type is OperationType.BACKUP
    assert isinstance(final, BackupOperation)
    assert final.backup_id == op.backup_id  # type: ignore[attr-defined]


def test_bad_arguments_are_validation_errors(client: NpmBackupClient) -> None:
    with pytest.raises(e.ValidationError):
        client.backups.list("1")  # type: ignore[arg-type]
    with pytest.raises(e.ValidationError):
        client.completed_backups.get(1, "../../etc")
    with pytest.raises(e.ValidationError):
        client.backups.start(1, "")


def test_a_read_modify_write_does_not_send_back_the_key_it_read(
    client: NpmBackupClient, sim: NpmBackupSimulator
) -> None:
    created = client.servers.create(Server(name="k", host="k.example", path="/p", user="u"))
    assert created.new_private_key, "the appliance generated a key and sent it once"
    assert created.id is not None
    created.port = 2200
    client.servers.update(created)
    put = sim.received(f"/servers/items/{created.id}")[-1].json()
    assert "new_private_key" not in put, "not changed by the caller: not sent back"
    assert put["port"] == 2200
    replacement = "-----BEGIN RSA PRIVATE KEY-----\nnew\n-----END RSA PRIVATE KEY-----"
    created.new_private_key = replacement
    client.servers.update(created)
    assert sim.received(f"/servers/items/{created.id}")[-1].json()["new_private_key"] == replacement
