"""Fake vendors for the command-line tests: a client built from the environment and a run
source reading a shared, test-controlled world (no network at all)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from typing_extensions import Self

from backup_sdk.client import read_env
from backup_sdk.runs import BackupRun, Device
from backup_sdk.vendors import Vendor
from tests.monitoring.fakes import StaticSource

__all__ = ["WORLD", "FakeClient", "FakeRunSource", "fake_registry"]

#: vendor name -> what that vendor's "service" holds right now
WORLD: dict[str, StaticSource] = {}


class FakeClient:
    """Reads ``<PREFIX>_URL``, ``<PREFIX>_USERNAME``, ``<PREFIX>_PASSWORD``."""

    prefix = "FAKE"

    def __init__(self, vendor: str, settings: Mapping[str, str]) -> None:
        self.vendor = vendor
        self.settings = dict(settings)
        self.closed = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **options: Any) -> Self:
        found = read_env(environ, cls.prefix, required=("URL", "USERNAME", "PASSWORD"))
        return cls(cls.prefix.lower(), found)

    def close(self) -> None:
        self.closed = True


class AlphaClient(FakeClient):
    prefix = "ALPHA"


class BetaClient(FakeClient):
    prefix = "BETA"


class FakeRunSource:
    def __init__(self, client: FakeClient) -> None:
        self.client = client
        self.vendor = client.vendor

    def iter_runs(self, since: datetime, until: datetime) -> Iterator[BackupRun]:
        return WORLD[self.vendor].iter_runs(since, until)

    def devices(self) -> list[Device]:
        return WORLD[self.vendor].devices()


def _vendor(name: str, client: str) -> Vendor:
    return Vendor(
        name=name,
        title=f"{name.title()} Backup",
        package="tests",
        env_prefix=name.upper(),
        client=f"tests.monitoring.clifakes:{client}",
        simulator="",
        runs="",
        run_source="tests.monitoring.clifakes:FakeRunSource",
    )


def fake_registry(*, without_source: str | None = None) -> dict[str, Vendor]:
    """Two fake vendors, ``alpha`` and ``beta``."""
    found = {"alpha": _vendor("alpha", "AlphaClient"), "beta": _vendor("beta", "BetaClient")}
    if without_source is not None:
        vendor = found[without_source]
        found[without_source] = Vendor(
            name=vendor.name,
            title=vendor.title,
            package=vendor.package,
            env_prefix=vendor.env_prefix,
            client=vendor.client,
            simulator="",
            runs="",
        )
    return found
