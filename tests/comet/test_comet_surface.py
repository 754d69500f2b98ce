"""The 25.9.6 reference, item by item, against the generated surface: every method (path,
parameters, kind of answer, client), structure (wire names, types) and constant (value), the
version each records, the secrets, and the generated docstrings."""

from __future__ import annotations

import collections
import inspect
import json
import re
import typing
from pathlib import Path
from typing import Any

import attrs
import pytest

import comet_sdk
from backup_sdk.models import UnixTime, iter_wire_names
from comet_sdk import CometAdminClient, CometUserClient
from comet_sdk._generated import constants as generated_constants
from comet_sdk._generated import enums as generated_enums
from comet_sdk._generated import models as generated_models
from comet_sdk._generated.methods import GeneratedMethods
from comet_sdk._generated.operations import OPERATIONS
from comet_sdk._generated.secrets import SECRET_FIELDS, SECRET_NAMES, SECRET_PARAMS
from comet_sdk._generated.user_methods import GeneratedUserMethods
from comet_sdk.versions import is_newer
from tools import comet_codegen
from tools.comet_codegen import NOT_SECRET, snake

ROOT = Path(__file__).resolve().parents[2]
SPEC = json.loads((ROOT / "comet_sdk" / "spec" / "comet_api_25.9.6.json").read_text("utf-8"))
OLD = json.loads((ROOT / "comet_sdk" / "spec" / "comet_api_20.9.12.json").read_text("utf-8"))
OLD_METHODS = {m["name"]: m for m in OLD["methods"]}
OLD_STRUCTURES = {s["name"] for s in OLD["structures"]}
#: 20.9.12 methods whose answer the merge rules type otherwise (see test_comet_codegen).
MERGED_RETURNS = {
    "AdminDispatcherRequestFilesystemObjects",
    "AdminOrganizationDelete",
}


def _client_for(method: dict[str, Any]) -> type[Any]:
    return CometUserClient if method["auth"] == "user" else CometAdminClient


@pytest.mark.parametrize("method", SPEC["methods"], ids=lambda m: m["name"])
def test_every_25_9_6_method(method: dict[str, Any]) -> None:
    operation = OPERATIONS[method["name"]]
    assert operation.path == method["path"]
    assert operation.http_method == method["http_method"]
    assert operation.auth == method["auth"]
    assert operation.safe == method["safe"]
    assert operation.multipart == method["encoding"].startswith("multipart")
    if method["name"] not in MERGED_RETURNS:
        assert operation.kind == method["returns"]["kind"] or (
            operation.kind == "message" and method["name"] in OLD_METHODS
        )
        assert operation.returns == method["returns"].get(
            "type", method["returns"].get("content_type")
        )
    bound = getattr(_client_for(method), snake(method["name"]))
    signature = inspect.signature(bound)
    names = list(signature.parameters)[1:]
    assert sorted(names) == sorted(snake(p["name"]) for p in method["params"])
    assert set(operation.params) == {p["name"] for p in method["params"]}
    for p in method["params"]:
        parameter = signature.parameters[snake(p["name"])]
        old = {q["name"]: q for q in OLD_METHODS.get(method["name"], {}).get("params", [])}
        optional = p["optional"] or old.get(p["name"], {}).get("optional", False)
        assert (parameter.default is None) == optional, p["name"]
        if p["json"] and p["type"] != "int":
            assert p["name"] in operation.json_params
        if p["since"]:
            assert operation.param_since.get(p["name"], operation.since) in (
                p["since"],
                operation.since,
            )
    if method["name"] in OLD_METHODS:
        assert operation.since == (OLD_METHODS[method["name"]]["since"] or "20.9.12")
    else:
        assert is_newer(operation.since, "20.9.12"), "newer than the baseline"


def test_the_result_types_are_python_types() -> None:
    assert (
        OPERATIONS["AdminGetJobsForDateRange"].result_type == list[generated_models.BackupJobDetail]
    )
    assert OPERATIONS["AdminMetaVersion"].result_type is generated_models.ServerMetaVersionInfo
    assert OPERATIONS["AdminGetJobLog"].result_type is str
    assert typing.get_origin(OPERATIONS["AdminMetaResourceGet"].result_type) is not None
    platforms = OPERATIONS["AdminBrandingAvailablePlatforms"].result_type
    assert platforms == dict[int, generated_models.AvailableDownload]
    client_source = (ROOT / "comet_sdk" / "client.py").read_text() + (
        ROOT / "comet_sdk" / "_base.py"
    ).read_text()
    assert "_python_type" not in client_source and "_return_type" not in client_source
    assert "List<" not in client_source, "no reference type strings parsed at run time"


def test_each_client_has_its_audience() -> None:
    admin = {n for n in vars(GeneratedMethods) if not n.startswith("_")}
    user = {n for n in vars(GeneratedUserMethods) if not n.startswith("_")}
    for name in OPERATIONS:
        auth = OPERATIONS[name].auth
        python = snake(name)
        assert (python in admin) == (auth != "user" or name in comet_codegen.ADMIN_CLIENT_LEGACY)
        assert (python in user) == (auth in ("user", "hybrid", "public"))
    assert len(admin) == 172 + 15 + 1 + 2 + 2, "admin, admin-optional, hybrid, public, legacy"
    assert len(user) == 57 + 1 + 2, "user-web, hybrid, public"


def _spec_fields(structure: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in structure["fields"]}


@pytest.mark.parametrize("structure", SPEC["structures"], ids=lambda s: s["name"])
def test_every_25_9_6_structure(structure: dict[str, Any]) -> None:
    cls = getattr(comet_sdk.models, structure["name"])
    assert attrs.has(cls)
    wire = {w: attr for attr, w in iter_wire_names(cls)}
    fields = _spec_fields(structure)
    assert set(fields) <= set(wire)
    hints = typing.get_type_hints(cls)
    since = generated_models.STRUCTURE_SINCE[structure["name"]]
    if structure["name"] in OLD_STRUCTURES:
        assert since == "20.9.12"
    else:
        assert since == (structure["since"] or "25.9.6")
    newer = generated_models.FIELD_SINCE.get(structure["name"], {})
    for name, field in fields.items():
        hint = hints[wire[name]]
        spec_type = field["type"]
        if field["unit"] == "unix_seconds":
            assert UnixTime in typing.get_args(hint), name
        elif UnixTime in typing.get_args(hint):
            assert spec_type == "int" and field["unit"] is None, "a time by its name"
        elif spec_type == "List<byte>":
            assert hint is bytes
        elif spec_type.startswith("List<"):
            assert typing.get_origin(hint) is list
        elif spec_type.startswith("Dictionary<"):
            assert typing.get_origin(hint) is dict
        elif spec_type in ("string", "bool", "int", "float32"):
            python = {"string": str, "bool": bool, "int": int, "float32": float}[spec_type]
            assert hint is python or issubclass(hint, python)
        elif spec_type == "any":
            assert hint is Any
        else:
            assert attrs.has(hint), (name, hint)
        if field["since"]:
            assert newer.get(name, since) in (field["since"], "20.9.12", since)
        secret = attrs.fields_dict(cls)[wire[name]].metadata["backup_sdk.secret"]
        if field["secret"]:
            assert secret, f"{structure['name']}.{name} must be wire(..., secret=True)"


def test_every_25_9_6_constant() -> None:
    for group in SPEC["constant_groups"]:
        names = generated_constants.CONSTANT_GROUPS[group["name"]]
        assert {c["name"] for c in group["constants"]} <= set(names)
        for constant in group["constants"]:
            assert getattr(comet_sdk.enums, constant["name"]) == constant["value"]
            since = generated_constants.CONSTANT_SINCE.get(constant["name"], "20.9.12")
            if constant["since"]:
                assert since == constant["since"]


def _same(a: object, b: object) -> bool:
    return a is b


def test_new_job_codes_and_enum_names() -> None:
    JobStatus = generated_enums.JobStatus
    assert JobStatus(6003).name == "RUNNING_TRYAGAIN"
    assert JobStatus(6004).name == "NOT_YET_STARTED"
    assert generated_constants.CONSTANT_SINCE["JOB_STATUS_RUNNING_TRYAGAIN"] == "24.6.6"
    RetentionRangeType = generated_enums.RetentionRangeType
    assert RetentionRangeType(900) is RetentionRangeType.MOST_RECENT_X_JOBS
    # (mypy takes an alias for another member: compare as objects)
    assert _same(RetentionRangeType.LOWEST, RetentionRangeType.MOST_RECENT_X_JOBS), "an alias"
    assert _same(RetentionRangeType.HIGHEST, RetentionRangeType.FIRST_JOB_FOR_LAST_X_YEARS)
    ReplicatorState = generated_enums.ReplicatorState
    assert ReplicatorState(0).name == "NONE", "the prefix is stripped like everywhere else"
    assert _same(ReplicatorState.REPLICATOR_STATE_NONE, ReplicatorState.NONE), "old names kept"
    members = ReplicatorState.__members__
    assert members["REPLICATOR_STATE_WORKERS_STARTED"] is members["WORKERS_STARTED"]
    assert generated_enums.Severity("D") is generated_enums.Severity.DEBUG
    for name in generated_constants.ENUMS:
        enum = getattr(generated_enums, name)
        prefix = comet_codegen.ENUM_PREFIXES[name]
        stripped = [m for m in enum.__members__ if not m.startswith(prefix.rstrip("_"))]
        assert stripped, name


# -- secrets ----------------------------------------------------------------------------------

LOOKS_SECRET = re.compile(r"(?i)(password|key|token|secret|hash|totp|private|passphrase)")


def test_every_secret_looking_name_is_marked_or_reviewed() -> None:
    unreviewed: set[str] = set()
    for name in generated_models.STRUCTURE_SINCE:
        cls = getattr(generated_models, name)
        for field in attrs.fields(cls):
            wire_name = field.metadata.get("backup_sdk.wire")
            if wire_name is None or not LOOKS_SECRET.search(wire_name):
                continue
            if not field.metadata["backup_sdk.secret"] and wire_name not in NOT_SECRET:
                unreviewed.add(f"{name}.{wire_name}")
    for name in OPERATIONS:
        for parameter in OPERATIONS[name].params:
            if not LOOKS_SECRET.search(parameter):
                continue
            if (name, parameter) not in SECRET_PARAMS and parameter not in NOT_SECRET:
                unreviewed.add(f"{name}({parameter})")
    assert unreviewed == set(), "mark these secret, or list them in NOT_SECRET with a reason"


def test_secrets_are_redacted_wherever_they_appear() -> None:
    from backup_sdk.redaction import is_secret_key

    assert all(is_secret_key(name) for name in SECRET_NAMES), "registered when comet_sdk loads"
    assert ("B2DestinationLocation", "Key") in SECRET_FIELDS
    assert ("AdminResetUserPassword", "OldPassword") in SECRET_PARAMS
    location = comet_sdk.models.B2DestinationLocation(key="b2-app-key-canary")
    assert "b2-app-key-canary" not in repr(location)
    assert set(NOT_SECRET) & set(SECRET_NAMES) == set(), "a name is one or the other"


# -- docstrings -------------------------------------------------------------------------------


def _docstrings(cls: type[Any]) -> dict[str, str]:
    return {
        name: inspect.getdoc(function) or ""
        for name, function in vars(cls).items()
        if callable(function) and not name.startswith("_")
    }


@pytest.mark.parametrize("cls", [GeneratedMethods, GeneratedUserMethods])
def test_generated_docstrings_say_what_each_call_does(cls: type[Any]) -> None:
    docs = _docstrings(cls)
    firsts = collections.Counter(doc.splitlines()[0] for doc in docs.values())
    assert [line for line, n in firsts.items() if n > 1] == [], "every summary is its own"
    lines = collections.Counter(
        line.strip() for doc in docs.values() for line in set(doc.split("Args:")[0].splitlines())
    )
    boilerplate = [line for line, n in lines.items() if n > len(docs) // 4 and line]
    assert boilerplate == [], "no line repeated across the methods"
    unix = docs["admin_get_jobs_for_date_range"] if cls is GeneratedMethods else None
    if unix is not None:
        assert "start: unix seconds (or an aware datetime), sent as ``Start``." in unix
        restore = docs["admin_dispatcher_run_restore_custom"]
        assert "known_byte_count: bytes, sent as ``KnownByteCount``" in restore
        assert "needs Comet 22.3.7" in docs["admin_add_user"]
