"""Every resource, type and field of the reference (seed 004) is modelled, with its wire name."""

from __future__ import annotations

import re

import attrs
import pytest

from backup_sdk.models import WireModel, iter_wire_names
from npm_backup_sdk import models as m
from npm_backup_sdk.enums import Frequency, OperationType, Status, Weekday
from tests.support.seeds import seed_file

SEED = "004_9d8b581f49cd2c98.txt"

# seed name (and nested path) -> model class
MODELS: dict[str, type[WireModel]] = {
    "backups": m.Backups,
    "completed_backup": m.CompletedBackup,
    "device_status": m.DeviceStatus,
    "device_status.current_operation": m.CurrentOperation,
    "device_status.current_operation.progress": m.Progress,
    "scheduled_backup": m.ScheduledBackup,
    "scheduled_backups": m.ScheduledBackups,
    "server": m.Server,
    "servers": m.Servers,
    "backup_size": m.BackupSize,
    "backup_size.data_size[items]": m.ModuleSize,
    "backup_status": m.BackupOperation,
    "content_info": m.ContentInfo,
    "factory_reset_status": m.FactoryResetOperation,
    "module": m.Module,
    "module_list[items]": m.ModuleSelection,
    "module_list[items].options[items]": m.ModuleOption,
    "operation_details_backup": m.OperationDetailsBackup,
    "operation_details_restore": m.OperationDetailsRestore,
    "operation_info": m.OperationInfo,
    "recurrence_rule": m.RecurrenceRule,
    "restore_status": m.RestoreOperation,
}


def _seed_text() -> str:
    return seed_file(SEED).read_text(encoding="utf-8")


def seed_sections() -> dict[str, list[str]]:
    """``{resource or type name: [dotted property paths]}`` parsed from the seed."""
    text = _seed_text()
    # join property paths that the page wrapped over several lines
    text = re.sub(r"\.\n\s*", ".", text)
    text = re.sub(r"\n\s*(\[items\])", r"\1", text)
    sections: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        header = re.match(r"\s*(?:Resource|Type): (\w+)\s*$", line)
        if header:
            current = header.group(1)
            sections[current] = []
            continue
        if current is None:
            continue
        prop = re.match(rf"\s*({re.escape(current)}(?:[.\w\[\]<>]*))\s*<", line)
        if prop and prop.group(1) != current:
            sections[current].append(prop.group(1))
    return sections


def test_the_seed_parses_into_all_its_types() -> None:
    sections = seed_sections()
    assert set(sections) == {
        "backups",
        "completed_backup",
        "device_status",
        "scheduled_backup",
        "scheduled_backups",
        "server",
        "servers",
        "backup_size",
        "backup_status",
        "content_info",
        "factory_reset_status",
        "module",
        "module_list",
        "operation_details_backup",
        "operation_details_restore",
        "operation_info",
        "recurrence_rule",
        "restore_status",
        "status",
    }


def _owner_and_field(path: str) -> tuple[str, str] | None:
    if "<prop>" in path or "oneOf" in path or path.endswith("[items]"):
        return None
    owner, _, field = path.rpartition(".")
    return owner, field


def test_every_seed_field_is_modelled_with_its_wire_name() -> None:
    missing: list[str] = []
    checked = 0
    for name, paths in seed_sections().items():
        if name == "status":
            continue
        for path in paths:
            split = _owner_and_field(path)
            if split is None:
                continue
            owner, field = split
            model = MODELS.get(owner)
            if model is None:
                missing.append(f"{path}: no model for {owner}")
                continue
            wires = {w for _, w in iter_wire_names(model)}
            checked += 1
            if field not in wires:
                missing.append(f"{path}: {model.__name__} has no wire field {field!r}")
    assert missing == []
    assert checked >= 75


def test_enums_carry_every_documented_value() -> None:
    text = _seed_text()
    status_values = re.search(r"status <string> Status description Values: ([\w, ]+);", text)
    assert status_values is not None
    for value in status_values.group(1).split(", "):
        assert not Status(value).is_unknown
    assert {o.value for o in OperationType} >= {"backup", "restore", "reset-factory"}
    assert {f.value for f in Frequency} == {
        "YEARLY",
        "QUARTERLY",
        "MONTHLY",
        "WEEKLY",
        "DAILY",
        "HOURLY",
        "ONETIME",
    }
    assert {d.value for d in Weekday} == {"SU", "MO", "TU", "WE", "TH", "FR", "SA"}


def _name(cls: type[WireModel]) -> str:
    return cls.__name__


MODEL_CLASSES: list[type[WireModel]] = sorted(set(MODELS.values()), key=_name)


@pytest.mark.parametrize("model", MODEL_CLASSES, ids=_name)
def test_every_model_keeps_unknown_fields(model: type[WireModel]) -> None:
    assert attrs.has(model)
    assert issubclass(model, WireModel)
