"""The generated surface matches the committed spec, and the spec matches the reference."""

from __future__ import annotations

import inspect
import json
import typing
from pathlib import Path

import attrs
import pytest

import comet_sdk
from backup_sdk.models import UnixTime, iter_wire_names
from comet_sdk import CometAdminClient
from comet_sdk._generated import constants as generated_constants
from comet_sdk._generated import models as generated_models
from comet_sdk._generated.methods import OPERATIONS
from tests.support.seeds import seed_file
from tools import comet_codegen, comet_spec

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = ROOT / "comet_sdk" / "spec" / "comet_api_20.9.12.json"
SPEC = json.loads(SPEC_PATH.read_text(encoding="utf-8"))


def test_generated_code_has_not_drifted_from_the_spec() -> None:
    for name, source in comet_codegen.generate().items():
        committed = (ROOT / "comet_sdk" / "_generated" / name).read_text(encoding="utf-8")
        assert committed == source, f"{name} drifted: run python -m tools.comet_codegen"


def test_spec_is_what_the_reference_says() -> None:
    reference = seed_file(comet_spec.DEFAULT_REFERENCE.name)
    rebuilt = comet_spec.render(comet_spec.build_spec(reference.read_text(encoding="utf-8")))
    assert rebuilt == SPEC_PATH.read_text(encoding="utf-8")


def test_counts() -> None:
    assert SPEC["counts"] == {
        "methods": 124,
        "constant_groups": 34,
        "constants": 208,
        "structures": 128,
    }
    assert SPEC["undefined_structures"] == ["AllowedAdminUser", "ServerConfigOptions"]


@pytest.mark.parametrize("method", SPEC["methods"], ids=lambda m: m["name"])
def test_every_method_exists_at_its_canonical_path(method: dict) -> None:  # type: ignore[type-arg]
    operation = OPERATIONS[method["name"]]
    assert operation.path == method["path"]
    assert all(operation.path != alias["path"] for alias in method["aliases"])
    assert operation.kind == method["returns"]["kind"]
    python_name = comet_codegen.snake(method["name"])
    bound = getattr(CometAdminClient, python_name)
    parameters = list(inspect.signature(bound).parameters)[1:]
    expected = [comet_codegen.snake(p["name"]) for p in method["params"] if not p["optional"]]
    expected += [comet_codegen.snake(p["name"]) for p in method["params"] if p["optional"]]
    assert parameters == expected
    for p in method["params"]:
        default = inspect.signature(bound).parameters[comet_codegen.snake(p["name"])].default
        assert (default is None) == p["optional"]
    assert operation.json_params == frozenset(p["name"] for p in method["params"] if p["json"])


def _flat_fields(name: str) -> dict[str, str]:
    by_name = {s["name"]: s for s in SPEC["structures"]}
    out: dict[str, str] = {}
    for base in by_name[name]["extends"]:
        out.update(_flat_fields(base))
    for f in by_name[name]["fields"]:
        out[f["name"]] = f["type"]
    return out


@pytest.mark.parametrize("structure", SPEC["structures"], ids=lambda s: s["name"])
def test_every_structure_has_its_wire_fields(structure: dict) -> None:  # type: ignore[type-arg]
    cls = getattr(comet_sdk.models, structure["name"])
    assert attrs.has(cls)
    wire = {w: attr for attr, w in iter_wire_names(cls)}
    expected = _flat_fields(structure["name"])
    assert set(wire) == set(expected)
    hints = typing.get_type_hints(cls, vars(generated_models))
    for wire_name, wire_type in expected.items():
        hint = hints[wire[wire_name]]
        origin = typing.get_origin(hint)
        if wire_type.startswith("List<") and wire_type != "List<byte>":
            assert origin is list, (wire_name, hint)
        elif wire_type.startswith("Dictionary<"):
            assert origin is dict, (wire_name, hint)
        elif wire_type == "bool":
            assert hint is bool, (wire_name, hint)
        elif wire_type == "string":
            assert hint in (str, generated_constants.Severity), (wire_name, hint)
        elif wire_type == "int":
            allowed = (int, generated_constants.JobStatus, generated_constants.JobClassification)
            assert hint in allowed or UnixTime in typing.get_args(hint), (wire_name, hint)


@pytest.mark.parametrize("name", ["AllowedAdminUser", "ServerConfigOptions"])
def test_the_two_undefined_structures_are_open_mappings(name: str) -> None:
    alias = getattr(generated_models, name)
    assert alias == dict[str, typing.Any]
    payload = {"Anything": 1, "Nested": {"Deep": [1, "two", None]}}
    decoded = comet_sdk.models.converter.structure(payload, alias)
    assert decoded == payload
    assert comet_sdk.models.converter.unstructure(decoded) == payload


@pytest.mark.parametrize("group", SPEC["constant_groups"], ids=lambda g: g["name"])
def test_every_constant_exists_with_its_value(group: dict) -> None:  # type: ignore[type-arg]
    names = generated_constants.CONSTANT_GROUPS[group["name"]]
    assert list(names) == [c["name"] for c in group["constants"]]
    for constant in group["constants"]:
        assert getattr(comet_sdk.enums, constant["name"]) == constant["value"]


def test_wire_names_are_irregular_and_kept() -> None:
    wires = dict(iter_wire_names(comet_sdk.models.BackupJobProgress))
    assert wires["recieved_time"] == "RecievedTime"
    os_info = dict(iter_wire_names(comet_sdk.models.OSInfo))
    assert os_info["version"] == "version"
    stored = {w for _, w in iter_wire_names(comet_sdk.models.StoredObject)}
    assert {"r", "f", "b", "d", "mtime"} <= stored


def test_omission_defaults_follow_the_reference() -> None:
    detail = comet_sdk.models.converter.structure({}, comet_sdk.models.AdminSecurityOptions)
    assert detail.totp_key == ""
    assert detail.u2f_registrations == []
    assert detail.totp_key_encryption_format == 0
