"""Where the command line finds credentials: environment variables, or profiles in a file.

Each vendor's client reads ``<PREFIX>_URL``, ``<PREFIX>_USERNAME``, ``<PREFIX>_PASSWORD``...
(``from_env()``). A profile in the config file gives the same settings without the
environment::

    # ~/.config/backup-sdk/config.toml   (chmod 600: it holds passwords)
    default_profile = "acme"

    [profiles.acme.cove]
    partner = "Acme IT (ops@acme.example)"
    username = "api-monitor"
    password = "..."

    [profiles.acme.comet]
    url = "https://backup.acme.example:8060"
    username = "admin"
    password = "..."

A key ``name`` under ``[profiles.<profile>.<vendor>]`` stands for the variable
``<PREFIX>_<NAME>`` (``partner`` -> ``COVE_PARTNER``).

Which settings a vendor gets, per vendor (never mixed between sources):

1. the profile named by ``--profile`` (or ``BACKUP_SDK_PROFILE``), if it has the vendor;
2. otherwise the environment, if any of the vendor's ``_URL``/``_HOST``/``_USERNAME``/
   ``_PARTNER`` variables is set;
3. otherwise the default profile (``default_profile``, else ``default``).

The file is ``--config``, else ``$BACKUP_SDK_CONFIG``, else
``$XDG_CONFIG_HOME/backup-sdk/config.toml`` (``~/.config/backup-sdk/config.toml``;
``%APPDATA%\\backup-sdk\\config.toml`` on Windows). It is refused if other users can read or
change it.
"""

from __future__ import annotations

import importlib
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from backup_sdk.errors import ConfigurationError, MissingDependencyError
from backup_sdk.vendors import Vendor

__all__ = [
    "CONFIG_ENV",
    "PROFILE_ENV",
    "Settings",
    "default_config_path",
    "load_settings",
    "load_toml",
]

CONFIG_ENV = "BACKUP_SDK_CONFIG"
PROFILE_ENV = "BACKUP_SDK_PROFILE"
#: Variables whose presence means a vendor is configured in the environment.
_MARKERS = ("URL", "HOST", "USERNAME", "PARTNER")


def default_config_path(environ: Mapping[str, str]) -> Path:
    """Where the config file is looked for when none is named."""
    if os.name == "nt" and environ.get("APPDATA"):
        return Path(environ["APPDATA"]) / "backup-sdk" / "config.toml"
    base = environ.get("XDG_CONFIG_HOME") or str(Path(environ.get("HOME") or "~") / ".config")
    return Path(base).expanduser() / "backup-sdk" / "config.toml"


def load_toml(text: str, *, path: Path) -> dict[str, Any]:
    """Parse TOML with ``tomllib`` (Python 3.11+) or ``tomli`` (the ``cli`` extra).

    Raises:
        MissingDependencyError: neither is available.
        ConfigurationError: the text is not TOML (the file and the problem named).
    """
    parser: Any = None
    for name in ("tomllib", "tomli"):
        try:
            parser = importlib.import_module(name)
            break
        except ImportError:
            continue
    if parser is None:
        raise MissingDependencyError(
            f"reading {path} needs a TOML parser, which Python 3.10 does not have: "
            "pip install 'backup-sdk[cli]' (it brings tomli)"
        )
    try:
        data: dict[str, Any] = parser.loads(text)
    except ValueError as exc:  # tomllib.TOMLDecodeError is a ValueError
        raise ConfigurationError(f"{path} is not valid TOML: {exc}") from None
    return data


def _check_private(path: Path) -> None:
    if os.name == "nt":
        return
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigurationError(
            f"{path} can be read or changed by other users (mode {stat.filemode(mode)}) and "
            f"it holds passwords; refusing to use it. Run: chmod 600 {path}"
        )


@attrs.frozen
class Settings:
    """The settings each vendor gets, as the environment its ``from_env()`` reads.

    Attributes:
        environ: ``{vendor name: {variable: value}}`` for the configured vendors.
        origin: ``{vendor name: where it came from}`` (``"environment"``,
            ``"profile acme (/path/config.toml)"``), for messages.
        path: the config file read, if any.
        profile: the profile used, if any.
    """

    environ: Mapping[str, Mapping[str, str]]
    origin: Mapping[str, str]
    path: Path | None = None
    profile: str | None = None

    def configured(self) -> list[str]:
        return list(self.environ)


def _read_file(path: Path) -> dict[str, Any]:
    _check_private(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError(f"cannot read {path}: {exc.strerror or exc}") from None
    return load_toml(text, path=path)


def _profile_env(
    data: Mapping[str, Any], name: str, known: Mapping[str, Vendor], path: Path
) -> dict[str, dict[str, str]]:
    profiles = data.get("profiles", {})
    if not isinstance(profiles, Mapping):
        raise ConfigurationError(f"{path}: [profiles] must be a table")
    profile = profiles.get(name)
    if profile is None:
        return {}
    if not isinstance(profile, Mapping):
        raise ConfigurationError(f"{path}: [profiles.{name}] must be a table")
    out: dict[str, dict[str, str]] = {}
    for vendor_name, section in profile.items():
        vendor = known.get(vendor_name)
        if vendor is None:
            choices = ", ".join(known) or "none"
            raise ConfigurationError(
                f"{path}: [profiles.{name}.{vendor_name}] names no installed vendor "
                f"(installed: {choices})"
            )
        if not isinstance(section, Mapping):
            raise ConfigurationError(f"{path}: [profiles.{name}.{vendor_name}] must be a table")
        values: dict[str, str] = {}
        for key, value in section.items():
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                raise ConfigurationError(
                    f"{path}: profiles.{name}.{vendor_name}.{key} must be a string"
                )
            values[f"{vendor.env_prefix}_{str(key).upper()}"] = str(value)
        out[vendor_name] = values
    return out


def _from_environment(vendor: Vendor, environ: Mapping[str, str]) -> dict[str, str] | None:
    prefix = f"{vendor.env_prefix}_"
    if not any(environ.get(prefix + marker) for marker in _MARKERS):
        return None
    return {key: value for key, value in environ.items() if key.startswith(prefix)}


def load_settings(
    known: Mapping[str, Vendor],
    environ: Mapping[str, str],
    *,
    config: str | os.PathLike[str] | None = None,
    profile: str | None = None,
) -> Settings:
    """Work out each vendor's settings (see the module docstring for the order).

    Raises:
        ConfigurationError: a named config file or profile that does not exist, a file
            others can read, bad TOML, a profile naming an unknown vendor.
        MissingDependencyError: a config file on Python 3.10 without ``tomli``.
    """
    named = config if config is not None else environ.get(CONFIG_ENV)
    path = Path(named).expanduser() if named else default_config_path(environ)
    data: dict[str, Any] = {}
    if path.is_file():
        data = _read_file(path)
    elif named:
        raise ConfigurationError(f"config file {path} does not exist")
    explicit = profile or environ.get(PROFILE_ENV) or None
    default = str(data.get("default_profile") or "default")
    chosen: dict[str, dict[str, str]] = {}
    fallback: dict[str, dict[str, str]] = {}
    if data:
        if explicit is not None:
            profiles = data.get("profiles", {})
            if not isinstance(profiles, Mapping) or explicit not in profiles:
                found = ", ".join(profiles) if isinstance(profiles, Mapping) else ""
                raise ConfigurationError(
                    f"{path} has no profile {explicit!r} (it has: {found or 'none'})"
                )
            chosen = _profile_env(data, explicit, known, path)
        else:
            fallback = _profile_env(data, default, known, path)
    elif explicit is not None:
        raise ConfigurationError(
            f"profile {explicit!r} was asked for, but there is no config file ({path})"
        )
    settings: dict[str, Mapping[str, str]] = {}
    origin: dict[str, str] = {}
    for name, vendor in known.items():
        if name in chosen:
            settings[name], origin[name] = chosen[name], f"profile {explicit} ({path})"
            continue
        from_env = _from_environment(vendor, environ)
        if from_env is not None:
            settings[name], origin[name] = from_env, "environment"
        elif name in fallback:
            settings[name], origin[name] = fallback[name], f"profile {default} ({path})"
    used = explicit if explicit is not None else (default if fallback else None)
    return Settings(environ=settings, origin=origin, path=path if data else None, profile=used)
