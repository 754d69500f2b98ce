"""The generated surface matches the committed specs, and the 20.9.12 spec matches the reference.

The 20.9.12 surface is kept whole inside the union of both specs: every method at its path
with its parameters in their places, every structure with its wire fields, every constant.
Where the union legitimately differs (parameters and fields added by 25.9.6, a few return
types and constant values the newer reference changed), the test names the difference.
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
import typing
from pathlib import Path

import attrs
import pytest

import comet_sdk
from backup_sdk.models import UnixTime, iter_wire_names
from comet_sdk import CometAdminClient
from comet_sdk._generated import constants as generated_constants
from comet_sdk._generated import enums as generated_enums
from comet_sdk._generated import models as generated_models
from comet_sdk._generated.methods import OPERATIONS
from tests.support.seeds import seed_file
from tools import comet_codegen, comet_spec

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = ROOT / "comet_sdk" / "spec" / "comet_api_20.9.12.json"
SPEC = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
NEW = json.loads((ROOT / "comet_sdk" / "spec" / "comet_api_25.9.6.json").read_text("utf-8"))
NEW_CONSTANTS = {c["name"]: c for g in NEW["constant_groups"] for c in g["constants"]}

#: 20.9.12 methods whose answer the union types by the wider 25.9.6 structure.
WIDER_RETURNS = {
    "AdminDispatcherRunBackup": "DispatchWithJobIDResponse",
    "AdminDispatcherRunBackupCustom": "DispatchWithJobIDResponse",
    "AdminDispatcherRunRestore": "DispatchWithJobIDResponse",
    "AdminDispatcherRunRestoreCustom": "DispatchWithJobIDResponse",
    "AdminSetUserProfileHash": "GetProfileAndHashResponseMessage",
}


def test_generated_code_has_not_drifted_from_the_specs() -> None:
    files = comet_codegen.generate()
    for name, source in files.items():
        committed = (ROOT / "comet_sdk" / "_generated" / name).read_text(encoding="utf-8")
        assert committed == source, f"{name} drifted: run python -m tools.comet_codegen"
    on_disk = {
        str(p.relative_to(ROOT / "comet_sdk" / "_generated")).replace("\\", "/")
        for p in (ROOT / "comet_sdk" / "_generated").rglob("*.py")
    }
    assert on_disk == set(files), "files the generator no longer writes"
    page = comet_codegen.DOCS_PAGE.read_text(encoding="utf-8")
    assert page == comet_codegen.generate_docs(), "run python -m tools.comet_codegen"


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
    # the union: every 20.9.12 item is also in 25.9.6, so the union has 25.9.6's counts
    assert len(OPERATIONS) == 247
    assert len(generated_models.STRUCTURE_SINCE) == 249
    every = {n for names in generated_constants.CONSTANT_GROUPS.values() for n in names}
    assert len(every) == 401
    assert len(generated_constants.CONSTANT_GROUPS) == 89, "34 by prefix + 69 by Go type - 14"


def test_the_generator_stops_on_another_ruff(tmp_path: Path) -> None:
    fake = tmp_path / "ruff"
    fake.write_text("#!/bin/sh\necho 'ruff 0.0.1'\n", encoding="utf-8")
    fake.chmod(0o755)
    with pytest.raises(SystemExit, match=r"ruff 0\.17\.6 \(pinned in constraints.txt\).*0\.0\.1"):
        comet_codegen.check_ruff(str(fake), pinned="0.17.6")
    with pytest.raises(SystemExit, match="no ruff was found"):
        comet_codegen.check_ruff(str(tmp_path / "missing"), pinned="0.17.6")
    assert comet_codegen.pinned_ruff() == "0.17.6"
    assert comet_codegen.check_ruff()  # the environment's ruff is the pinned one


def test_check_mode_reports_up_to_date() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tools.comet_codegen", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "up to date" in done.stdout


@pytest.mark.parametrize("method", SPEC["methods"], ids=lambda m: m["name"])
def test_every_method_exists_at_its_canonical_path(method: dict) -> None:  # type: ignore[type-arg]
    operation = OPERATIONS[method["name"]]
    assert operation.path == method["path"]
    assert all(operation.path != alias["path"] for alias in method["aliases"])
    if method["name"] in WIDER_RETURNS:
        assert operation.returns == WIDER_RETURNS[method["name"]]
    elif method["name"] == "AdminOrganizationDelete":
        # 25.9.6 answers a bare message, 20.9.12 an OrganizationResponse: the wider type,
        # with the stricter check of a message (a Status outside 2xx fails)
        assert (operation.returns, operation.kind) == ("OrganizationResponse", "message")
    elif method["name"] == "AdminDispatcherRequestFilesystemObjects":
        assert operation.unwrap == "StoredObjects", "a 25.9.6 wrapper object is unwrapped"
        assert operation.returns == method["returns"]["type"]
    else:
        assert operation.kind == method["returns"]["kind"]
    python_name = comet_codegen.snake(method["name"])
    bound = getattr(CometAdminClient, python_name)
    signature = inspect.signature(bound)
    parameters = list(signature.parameters)[1:]
    expected = [comet_codegen.snake(p["name"]) for p in method["params"] if not p["optional"]]
    expected += [comet_codegen.snake(p["name"]) for p in method["params"] if p["optional"]]
    assert parameters[: len(expected)] == expected, "20.9.12 parameters keep their places"
    for p in method["params"]:
        default = signature.parameters[comet_codegen.snake(p["name"])].default
        newly_optional = (method["name"], p["name"]) in {
            ("AdminAccountU2fSubmitChallengeResponse", "Description"),
            ("AdminResetUserPassword", "OldPassword"),
        }
        assert (default is None) == (p["optional"] or newly_optional)
    for added in parameters[len(expected) :]:
        assert signature.parameters[added].default is None, "25.9.6 parameters are optional"
    json_params = {p["name"] for p in method["params"] if p["json"] and p["type"] != "int"}
    assert json_params <= operation.json_params
    assert operation.since == (method["since"] or "20.9.12")


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
    assert set(expected) <= set(wire), "every 20.9.12 field (25.9.6 may add more)"
    assert list(wire)[: len(expected)] == list(expected), "20.9.12 fields first, in order"
    hints = typing.get_type_hints(cls)
    for wire_name, wire_type in expected.items():
        hint = hints[wire[wire_name]]
        origin = typing.get_origin(hint)
        if wire_type == "List<byte>":
            assert hint is bytes, (wire_name, hint)
        elif wire_type.startswith("List<"):
            assert origin is list, (wire_name, hint)
        elif wire_type.startswith("Dictionary<"):
            assert origin is dict, (wire_name, hint)
        elif wire_type == "bool":
            assert hint is bool, (wire_name, hint)
        elif wire_type == "string":
            assert hint in (str, generated_enums.Severity), (wire_name, hint)
        elif wire_type == "int":
            allowed = (int, generated_enums.JobStatus, generated_enums.JobClassification)
            assert hint in allowed or UnixTime in typing.get_args(hint), (wire_name, hint)
        elif wire_type in ("float32", "float64"):
            assert hint is float, (wire_name, hint)
        elif wire_type == "any":
            assert hint is typing.Any, (wire_name, hint)
        elif wire_type in ("AllowedAdminUser", "ServerConfigOptions"):
            assert attrs.has(hint), "defined by 25.9.6"
        elif wire_type == "AdminEmailOptions" and structure["name"] == "Organization":
            assert hint is generated_models.EmailOptions, "the wider 25.9.6 type"
        else:
            assert hint is getattr(generated_models, wire_type), (wire_name, hint)


@pytest.mark.parametrize("name", ["AllowedAdminUser", "ServerConfigOptions"])
def test_the_two_structures_20_9_12_left_undefined_are_models_now(name: str) -> None:
    cls: typing.Any = getattr(generated_models, name)
    assert hasattr(cls, "__attrs_attrs__"), "25.9.6 defines them"
    payload = {"Anything": 1, "Nested": {"Deep": [1, "two", None]}}
    decoded = comet_sdk.models.converter.structure(payload, cls)
    assert decoded.extra_fields == payload
    written = comet_sdk.models.converter.unstructure(decoded)
    assert {k: written[k] for k in payload} == payload


@pytest.mark.parametrize("group", SPEC["constant_groups"], ids=lambda g: g["name"])
def test_every_constant_exists_with_its_value(group: dict) -> None:  # type: ignore[type-arg]
    names = generated_constants.CONSTANT_GROUPS[group["name"]]
    old_names = [c["name"] for c in group["constants"]]
    assert list(names[: len(old_names)]) == old_names, "20.9.12 names first, in order"
    for constant in group["constants"]:
        value = getattr(comet_sdk.enums, constant["name"])
        newer = NEW_CONSTANTS[constant["name"]]["value"]
        assert value == newer, "the 25.9.6 value where the references differ"
        if value != constant["value"]:
            assert constant["name"] in {
                "APPLICATION_VERSION",
                "APPLICATION_VERSION_MAJOR",
                "APPLICATION_VERSION_REVISION",
                "RETENTIONRANGE__HIGHEST",
                "SCHEDULE_FREQUENCY_HIGHEST",
            }


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
