"""The monitoring modules' public names exist, and the old names keep working."""

from __future__ import annotations

import importlib

import pytest

MODULES = [
    "backup_sdk.staleness",
    "backup_sdk.sync",
    "backup_sdk.sync.engine",
    "backup_sdk.sync.sqlite",
    "backup_sdk.sync.state",
    "backup_sdk.sync.store",
    "backup_sdk.cli",
    "backup_sdk.cli.config",
    "backup_sdk.cli.output",
    "backup_sdk.cli.progress",
    "backup_sdk.cli.times",
    "backup_sdk.demo",
    "backup_sdk.frames",
    "cove_sdk.frames",
]


@pytest.mark.parametrize("name", MODULES)
def test_all_names_exist(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert exported, f"{name} has no __all__"
    assert [n for n in exported if not hasattr(module, n)] == []


def test_the_old_names_stay() -> None:
    runs = importlib.import_module("backup_sdk.runs")
    for name in (
        "BackupRun",
        "Device",
        "RunSource",
        "RunStatus",
        "SyncCursor",
        "latest_success_by_device",
        "stale_devices",
    ):
        assert hasattr(runs, name)
    cli = importlib.import_module("backup_sdk.cli")
    assert callable(cli.main)
    demo = importlib.import_module("backup_sdk.demo")
    assert callable(demo.run_all)
    assert callable(demo.run_demo)
