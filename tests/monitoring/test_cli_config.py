from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from backup_sdk.cli import EXIT_CONFIG, EXIT_OK, main
from backup_sdk.cli.config import default_config_path, load_settings, load_toml
from backup_sdk.cli.times import format_duration, parse_duration, parse_time
from backup_sdk.errors import ConfigurationError, MissingDependencyError
from backup_sdk.runs import BackupRun, RunStatus
from tests.monitoring.clifakes import WORLD, fake_registry
from tests.monitoring.fakes import StaticSource

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)

CONFIG = """
default_profile = "acme"

[profiles.acme.alpha]
url = "http://127.0.0.1:1"
username = "acme-ops"
password = "acme-Secret-1"

[profiles.other.alpha]
url = "http://127.0.0.1:9"
username = "other-ops"
password = "other-Secret-2"

[profiles.other.beta]
url = "http://127.0.0.1:8"
username = "other-beta"
password = "other-Secret-3"
port = 8080
"""


@pytest.fixture
def world() -> Iterator[None]:
    WORLD.clear()
    for name in ("alpha", "beta"):
        WORLD[name] = StaticSource(
            name,
            [
                BackupRun(
                    vendor=name,
                    device_id="d",
                    run_id="r",
                    status=RunStatus.SUCCESS,
                    ended=NOW - timedelta(hours=1),
                )
            ],
        )
    yield
    WORLD.clear()


def write_config(path: Path, text: str = CONFIG, mode: int = 0o600) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def cli(*argv: str, env: dict[str, str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(
        list(argv), environ=env, stdout=out, stderr=err, clock=lambda: NOW, registry=fake_registry()
    )
    return status, out.getvalue(), err.getvalue()


def test_the_default_file_and_profile(tmp_path: Path, world: None) -> None:
    write_config(tmp_path / "xdg" / "backup-sdk" / "config.toml")
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    status, out, err = cli("runs", "--format", "ndjson", env=env)
    assert status == EXIT_OK, err
    assert [json.loads(line)["vendor"] for line in out.splitlines()] == ["alpha"]
    settings = load_settings(fake_registry(), env)
    assert settings.profile == "acme"
    assert settings.environ["alpha"]["ALPHA_USERNAME"] == "acme-ops"
    assert settings.origin["alpha"].startswith("profile acme (")


def test_an_explicit_profile_wins_and_env_fills_in(tmp_path: Path, world: None) -> None:
    path = write_config(tmp_path / "config.toml")
    env = {
        "BETA_URL": "http://127.0.0.1:7",
        "BETA_USERNAME": "env-beta",
        "BETA_PASSWORD": "env-Secret",
        "ALPHA_URL": "http://127.0.0.1:6",
        "ALPHA_USERNAME": "env-alpha",
        "ALPHA_PASSWORD": "env-Secret",
    }
    chosen = load_settings(fake_registry(), env, config=path, profile="other")
    assert chosen.environ["alpha"]["ALPHA_USERNAME"] == "other-ops"
    assert chosen.environ["beta"]["BETA_PORT"] == "8080"
    implicit = load_settings(fake_registry(), env, config=path)
    assert implicit.environ["alpha"]["ALPHA_USERNAME"] == "env-alpha", "env beats the default"
    assert implicit.origin["beta"] == "environment"
    by_env = load_settings(fake_registry(), {**env, "BACKUP_SDK_PROFILE": "other"}, config=path)
    assert by_env.profile == "other"
    status, out, _ = cli("--config", str(path), "--profile", "other", "runs", env={})
    assert status == EXIT_OK
    assert "alpha" in out
    assert "beta" in out


def test_a_file_others_can_read_is_refused(tmp_path: Path, world: None) -> None:
    if os.name == "nt":
        pytest.skip("POSIX permissions")
    path = write_config(tmp_path / "config.toml", mode=0o644)
    status, _, err = cli("--config", str(path), "runs", env={})
    assert status == EXIT_CONFIG
    assert str(path) in err
    assert f"chmod 600 {path}" in err
    assert "acme-Secret" not in err


def test_config_mistakes_are_named(tmp_path: Path, world: None) -> None:
    registry = fake_registry()
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigurationError, match="does not exist"):
        load_settings(registry, {}, config=missing)
    with pytest.raises(ConfigurationError, match="no config file"):
        load_settings(registry, {"HOME": str(tmp_path)}, profile="acme")
    path = write_config(tmp_path / "config.toml")
    with pytest.raises(ConfigurationError, match="has no profile 'prod' \\(it has: acme, other\\)"):
        load_settings(registry, {}, config=path, profile="prod")
    bad = write_config(tmp_path / "bad.toml", "[profiles.acme.gamma]\nurl = 'x'\n")
    with pytest.raises(ConfigurationError, match="names no installed vendor"):
        load_settings(registry, {}, config=bad, profile="acme")
    typed = write_config(tmp_path / "typed.toml", "[profiles.default.alpha]\nurl = ['x']\n")
    with pytest.raises(ConfigurationError, match="must be a string"):
        load_settings(registry, {}, config=typed)
    broken = write_config(tmp_path / "broken.toml", "[profiles\n")
    with pytest.raises(ConfigurationError, match="not valid TOML"):
        load_settings(registry, {}, config=broken)
    for text in ("profiles = 1\n", "[profiles]\ndefault = 1\n", "[profiles.default]\nalpha = 1\n"):
        odd = write_config(tmp_path / "odd.toml", text)
        with pytest.raises(ConfigurationError, match="must be a table"):
            load_settings(registry, {}, config=odd)


def test_no_toml_parser_is_a_typed_error_naming_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tomllib", None)
    monkeypatch.setitem(sys.modules, "tomli", None)
    with pytest.raises(MissingDependencyError, match=r"backup-sdk\[cli\]"):
        load_toml("a = 1", path=Path("config.toml"))


def test_tomli_is_used_where_tomllib_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    parser = pytest.importorskip("tomllib" if sys.version_info >= (3, 11) else "tomli")
    monkeypatch.setitem(sys.modules, "tomllib", None)
    monkeypatch.setitem(sys.modules, "tomli", parser)
    assert load_toml("a = 1", path=Path("config.toml")) == {"a": 1}


def test_where_the_file_is_looked_for() -> None:
    assert default_config_path({"XDG_CONFIG_HOME": "/x"}) == Path("/x/backup-sdk/config.toml")
    assert default_config_path({"HOME": "/home/ops"}) == Path(
        "/home/ops/.config/backup-sdk/config.toml"
    )


def test_durations_and_times() -> None:
    assert parse_duration("15m") == timedelta(minutes=15)
    assert parse_duration("1h30m") == timedelta(minutes=90)
    assert parse_duration("2w") == timedelta(days=14)
    assert parse_duration(" 1.5h ") == timedelta(minutes=90)
    for bad in ("", "15", "m", "15 minutes", "1h-5m"):
        with pytest.raises(ValueError, match="not a duration"):
            parse_duration(bad)
    assert parse_time("24h", now=NOW) == NOW - timedelta(hours=24)
    assert parse_time("2026-11-20", now=NOW) == datetime(2026, 11, 20, tzinfo=timezone.utc)
    assert parse_time("2026-11-20T08:00Z", now=NOW) == datetime(
        2026, 11, 20, 8, tzinfo=timezone.utc
    )
    assert parse_time("2026-11-20T08:00+02:00", now=NOW) == datetime(
        2026, 11, 20, 6, tzinfo=timezone.utc
    )
    with pytest.raises(ValueError, match="not a time"):
        parse_time("yesterday", now=NOW)
    assert format_duration(None) == ""
    assert format_duration(timedelta(seconds=3723)) == "1:02:03"
    assert format_duration(timedelta(days=2, seconds=5)) == "2d 0:00:05"
    assert format_duration(timedelta(seconds=-61)) == "-0:01:01"
