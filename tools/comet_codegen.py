"""Generate ``comet_sdk/_generated/`` from both committed specs: the whole Comet API.

    python -m tools.comet_codegen          # write the files
    python -m tools.comet_codegen --check  # exit 1 if the files differ from what it would write

The generated surface is the **union** of ``comet_sdk/spec/comet_api_20.9.12.json`` (the
vendor's reference text) and ``comet_sdk/spec/comet_api_25.9.6.json`` (the official Go SDK);
nothing else is read (no network). Every method, structure, field, parameter and constant
of either is generated, and each records the first Comet version known to have it.

Merge rules, where the two specs say different things:

* **Versions** (``since``). An item of the 20.9.12 spec is known since the version its
  reference note gives, else ``"20.9.12"``. An item only in the 25.9.6 spec is known since
  the version its ``since`` gives ("available in Comet X"), else since the version in
  :data:`KNOWN_SINCE` (facts from the research notes, with their source), else ``"25.9.6"``.
  ``"24.12.x"``-style versions are kept as written; comparisons read ``x`` as 0.
* **Order.** 20.9.12 order first, then what only 25.9.6 has, in its order: fields and
  parameters are appended, so positional use keeps working.
* **Parameters.** Optional when either spec says so (a newer server accepts it left out; an
  older one answers with its own error); the generator checks that this moves no parameter
  out of its place. JSON-ness from 25.9.6, except for ``int`` parameters, which are the
  same decimal text either way and are sent as such (so datetimes can be given for unix
  times). Names, types and secrets agree in both specs (checked).
* **Types** of fields and return values: when the two differ, the structure that has every
  wire field of the other wins (a smaller answer decodes into it with defaults): so
  ``AdminDispatcherRunBackup`` returns ``DispatchWithJobIDResponse`` (the 20.9.12 message
  plus ``JobID``), ``AdminOrganizationDelete`` keeps ``OrganizationResponse`` and
  ``Organization.Email`` becomes ``EmailOptions``. Where 25.9.6 wraps the list the 20.9.12
  method returned in an object (``AdminDispatcherRequestFilesystemObjects``), the list type
  is kept and the client unwraps a newer server's object (``Operation.unwrap``). Any other
  disagreement stops the generator. The response kind follows the chosen type; a method
  that returned only a ``CometAPIResponseMessage`` in either spec keeps the strict check
  (a ``Status`` outside 200-299 fails).
* **Retry safety** (``safe``) from 25.9.6 (its reviewed corrections); **auth** from 25.9.6.
* **Constants.** Values from 25.9.6 where they differ (``APPLICATION_VERSION``, and range
  bounds such as ``RETENTIONRANGE__HIGHEST`` that grew). ``CONSTANT_GROUPS`` holds the groups
  of both specs (20.9.12 groups by name prefix, 25.9.6 groups by Go type; same-named groups
  are merged), so a constant may be listed in two groups.
* **Unix times.** An ``int`` field is a :class:`~backup_sdk.models.UnixTime` when 25.9.6 says
  ``unit: unix_seconds``, or, without a unit, when its name ends in ``Time``/``Timestamp``
  or is in :data:`TIME_FIELDS_EXTRA` and not in :data:`NOT_TIME_FIELDS`. A field with a
  duration unit (``minutes``...) is never a time. ``int`` parameters with ``unit:
  unix_seconds`` (or "Timestamp" in their 20.9.12 description) accept an aware datetime.
* **Secrets.** A field or parameter is secret when 25.9.6 marks it, when its name is a
  generic or declared secret key (``backup_sdk.redaction.SECRET_KEYS``,
  ``comet_sdk.vendor.SECRET_WIRE_KEYS``), or when it is in :data:`SECRET_20_9_12` (reviewed
  names found only in 20.9.12). :data:`NOT_SECRET` lists the names that look secret but
  are not; a test fails for any other.
* **Enums.** One open enum per Go type with constants, named by :data:`ENUM_PREFIXES`.
  Member names drop the prefix; a value's name is its real constant (``MOST_RECENT_X_JOBS``)
  and range markers (``__LOWEST``), ``alias_of`` constants and names of earlier SDK
  versions (``REPLICATOR_STATE_NONE``) are aliases of it.

The output is formatted with the ruff of this environment, which must be the version
pinned in ``constraints.txt`` (a different ruff formats differently, and the drift check
would fail for the wrong reason): the generator stops with a clear message otherwise.
"""

from __future__ import annotations

import json
import keyword
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tools.comet_summaries import summary

ROOT = Path(__file__).resolve().parents[1]
SPEC_DIR = ROOT / "comet_sdk" / "spec"
OLD_SPEC = SPEC_DIR / "comet_api_20.9.12.json"
NEW_SPEC = SPEC_DIR / "comet_api_25.9.6.json"
# kept for callers of the previous single-spec generator
SPEC = OLD_SPEC
OUT = ROOT / "comet_sdk" / "_generated"
#: The API reference page of every model (mkdocstrings cannot see lazily imported classes
#: through the package, so each is named by its module).
DOCS_PAGE = ROOT / "docs" / "reference" / "comet_models.md"
CONSTRAINTS = ROOT / "constraints.txt"
BASELINE = "20.9.12"
LATEST = "25.9.6"

HEADER = (
    '"""{what}\n\nGenerated by ``python -m tools.comet_codegen`` from the Comet {old} and {new} '
    'specs in ``comet_sdk/spec/``; do not edit by hand.\n"""\n\n'
)

# -- reviewed facts ---------------------------------------------------------------------------

# Fields whose wire value is unix seconds although neither spec gives a unit.
TIME_FIELD = re.compile(r"(Time|Timestamp)$")
TIME_FIELDS_EXTRA = frozenset(
    {
        "LicenseValidUntil",
        "CheckStarted",
        "CheckCompleted",
        "MeasureStarted",
        "MeasureCompleted",
        "LastCheckStart",
        "ScheduledEmailThreadWaitingUntil",
        "mtime",
    }
)
# Named like a time but not one (the Go SDK gives no unit; it sits beside retry settings).
NOT_TIME_FIELDS = frozenset({("UserPolicy", "ModeLastJobFailDoRetryTime")})
DURATION_UNITS = frozenset({"seconds", "minutes", "hours", "days"})

# First versions known from the research notes (shared/research/comet.md), for items the
# 25.9.6 spec gives no version for. Keys: method, "Method.Param", "Struct.Field", CONSTANT.
KNOWN_SINCE: dict[str, str] = {
    "AdminCountJobsForCustomSearch": "22.12.2",  # research §3.2 (PHP changelog 4.4.0)
    "AdminJobAbandon": "23.9.2",  # research §3.2
    "AdminGetJobLogEntries.MinSeverity": "23.3.1",  # research §3.2
    "AdminGetJobLogEntries.MessageContains": "23.3.1",  # research §3.2
    "AdminDispatcherListActive.UserNameFilter": "22.6.7",  # research §3.2
    "BackupJobDetail.DestinationSizeStart": "21.12.4",  # research §3.2
    "BackupJobDetail.DestinationSizeEnd": "21.12.4",
    "BackupJobDetail.TotalVmCount": "22.3.5",
    "BackupJobDetail.RetryCount": "24.6.6",
    "BackupJobProgress.ItemsTotal": "24.9.6",
    "SourceStatistics.LastSuccessfulBackupJob": "21.6.6",
    "SourceStatistics.LastStartTime": "24.3.8",
    "JOB_STATUS_RUNNING_TRYAGAIN": "24.6.6",  # research §4.2
    "JOB_STATUS_NOT_YET_STARTED": "25.9.6",
    "SEVERITY_DEBUG": "24.3.5",  # research §4.3
}

# Structure fields and parameters found only in the 20.9.12 spec whose values are secret
# (reviewed: every 20.9.12 name is also in 25.9.6 today, so the list is empty; a future
# 20.9.12-only name that looks secret fails the secrets test until it is listed here or
# in NOT_SECRET).
SECRET_20_9_12: frozenset[str] = frozenset()

# Names that look secret (password, key, token, secret, hash, totp, private, passphrase)
# but hold no secret, with the reason. Non-text values (flags, format codes, counts) hold
# none by their type; they are listed too, so that every hit is a reviewed decision.
NOT_SECRET: dict[str, str] = {
    "AllowPasswordAndTOTPLogin": "flag",
    "AllowPasswordAndU2FLogin": "flag",
    "AllowPasswordAndWebAuthnLogin": "flag",
    "AllowPasswordLogin": "flag",
    "PreventChangeAccountPassword": "flag",
    "PreventChangePassword": "flag",
    "RequirePasswordChange": "flag (an int code as a parameter)",
    "RequirePasswordOpenAppUI": "flag",
    "OnDiskIndexesKey": "flag",
    "requireResidentKey": "WebAuthn option (flag)",
    "residentKey": "WebAuthn option",
    "ModeAdminResetPassword": "setting mode",
    "ModeRequireUserResetPassword": "setting mode",
    "EncryptionKeyEncryptionMethod": "format code",
    "EncryptionKeyFormat": "format code",
    "LocalcopyWinSMBPasswordFormat": "format code",
    "PasswordFormat": "format code",
    "PfxFilePasswordFormat": "format code",
    "ReadWriteKeyFormat": "format code",
    "TOTPKeyEncryptionFormat": "format code",
    "WindowsCodeSignAzureAppSecretFormat": "format code",
    "WindowsCodeSignPKCS11PasswordFormat": "format code",
    "WindowsCodeSignPKCS12PasswordFormat": "format code",
    "SetKeyHashFormat": "format code",
    "RotateStorageVaultKeysHours": "a number of hours",
    "KeyID": "identifier of a key",
    "NotaryAPIKeyID": "identifier of a key",
    "WindowsCodeSignPKCS11KeyID": "identifier of a key",
    "WindowsCodeSignRelicKeyName": "name of a key",
    "KeyHandle": "public handle of a U2F key",
    "PublicKey": "public key",
    "publicKey": "public WebAuthn options",
    "pubKeyCredParams": "public WebAuthn options",
    "RegisteredKeys": "public descriptions of registered keys",
    "NotaryAPIKeyFile": "path or resource URI of a key file",
    "SSLCertKey": "path of a key file (beside SSLCertPath)",
    "SslKeyFile": "path of a key file",
    "TLSCustomClientKeyPath": "path of a key file",
    "WindowsCodeSignRelicKeypairFile": "path of a key file",
    "ProfileHash": "optimistic-concurrency hash",
    "PolicyHash": "optimistic-concurrency hash",
    "UserGroupHash": "optimistic-concurrency hash",
    "CheckPolicyHash": "optimistic-concurrency hash",
    "RequireHash": "optimistic-concurrency hash",
    "ResourceHash": "content address of a resource",
    "Hash": "content address of a resource",
    "ServerStartHash": "changes when the server restarts",
    "ServerLicenseHash": "hash of the licence state",
}

# Enum classes: Go type -> prefix removed from member names.
ENUM_PREFIXES: dict[str, str] = {
    "JobStatus": "JOB_STATUS_",
    "JobClassification": "JOB_CLASSIFICATION_",
    "Severity": "SEVERITY_",
    "StreamableEventType": "SEVT_",
    "RestoreType": "RESTORETYPE_",
    "StoredObjectType": "STOREDOBJECTTYPE_",
    "RetentionRangeType": "RETENTIONRANGE_",
    "RetentionMode": "RETENTIONMODE_",
    "UpdateStatus": "UPDATESTATUS_",
    "EmailDeliveryType": "EMAIL_DELIVERY_",
    "ReplicatorState": "REPLICATOR_STATE_",
    "SearchClauseType": "SEARCHCLAUSE_",
    "RemoteServerType": "REMOTESERVER_",
    "RestoreArchiveFormat": "RESTOREARCHIVEFORMAT_",
    "SftpAuthMode": "DESTINATION_SFTP_AUTHMODE_",
    "SSHAuthMode": "SSHCONNECTION_AUTHMODE_",
    "FtpsModeType": "FTPS_MODE_",
    "MSSQLAuthMode": "MSSQL_AUTH_",
    "MSSQLMethod": "MSSQL_METHOD_",
    "EmailReportType": "EMAILREPORTTYPE_",
    "DefaultSettingMode": "SETTING_",
    "ExtraFileExclusionOSRestriction": "OS_",
    "MacOSCodesignLevel": "MACOSCODESIGN_LEVEL_",
    "ReplicatorDisplayClass": "REPLICATOR_DISPLAYCLASS_",
    "AutoRetentionLevel": "BACKUPJOBAUTORETENTION_",
    "ClientBrandingBuildMode": "CLIENTBRANDINGBUILD_",
    "CompressMode": "COMPRESS_",
    "CustomRemoteBucketCustomBodyType": "CUSTOMREMOTEBUCKET_CUSTOMBODY_",
    "HypervMethod": "HYPERV_METHOD_",
    "LDAPSecurityMethod": "LDAPSECURITYMETHOD_",
    "MSSQLRestoreOpt": "MSSQL_RESTORE_",
    "OidcProvider": "PROVIDER_",
    "PSAType": "PSA_TYPE_",
    "PveBackupMethod": "PVE_BACKUP_METHOD_",
    "StreamLevel": "STREAM_LEVEL_",
    "StreamerType": "STREAMER_TYPE_",
    "VMwareConnectionType": "VMWARE_CONNECTION_",
    "VmwareBackupType": "VMWARE_BACKUP_",
    "VmwareSnapshotType": "VMWARE_SNAPSHOT_",
    "WebAuthnDeviceType": "WEBAUTHN_DEVICE_TYPE_",
    "WindowsCodesignMethod": "WINDOWSCODESIGN_METHOD_",
}
# Go types with constants that get no enum class (a single value that names a default).
NO_ENUM = frozenset({"LanguageCode"})
# Enums whose members an earlier SDK version named with a prefix that did not match: the
# old names are kept as aliases.
FORMER_PREFIXES: dict[str, str] = {"ReplicatorState": "REPLICATORSTATE_"}
# (structure, field) -> enum class, for the codes monitoring reads.
ENUM_FIELDS = {
    ("BackupJobDetail", "Status"): "JobStatus",
    ("BackupJobDetail", "Classification"): "JobClassification",
    ("JobEntry", "Severity"): "Severity",
}
ENUM_DEFAULTS = {
    "JobStatus": "JobStatus(0)",
    "JobClassification": "JobClassification.UNKNOWN",
    "Severity": "Severity.INFO",
}
# Where a newer server wraps a 20.9.12 list answer in an object: method -> list key.
UNWRAP = {"AdminDispatcherRequestFilesystemObjects": "StoredObjects"}
# Methods of the user-web API that the admin client has had since the 20.9.12 SDK; kept
# there, deprecated, for compatibility.
ADMIN_CLIENT_LEGACY = frozenset({"UserWebSessionStart", "UserWebSessionRevoke"})

# What the most common parameters mean, for their docstrings.
PARAM_MEANINGS = {
    "TargetID": "the device's live connection id (see the dispatcher's list-active)",
    "TargetUser": "the username of the user account",
    "SelfAddress": "the server's own external URL, for links it hands out",
    "TargetOrganization": "the id of the organization (tenant) to act in",
    "JobID": "the job's GUID",
    "Destination": "the Storage Vault id (a key of the profile's Destinations)",
    "DestinationID": "the Storage Vault id (a key of the profile's Destinations)",
    "Source": "the protected item id (a key of the profile's Sources)",
    "SourceID": "the protected item id (a key of the profile's Sources)",
    "Snapshot": "the snapshot id",
    "SnapshotID": "the snapshot id",
    "SnapshotIDs": "the snapshot ids",
    "ProfileHash": "the profile's hash as last read, to detect concurrent changes",
    "RequireHash": "the hash as last read; the write fails if it changed meanwhile",
    "BackupRule": "the backup rule id (a key of the profile's BackupRules)",
    "Query": "the search clause the server evaluates",
    "ProfileData": "the whole profile to store",
    "NewPassword": "the new password",
    "OldPassword": "the current password",
    "TargetPassword": "the password to set",
    "Options": "the options of the operation",
    "Path": "a path on the device",
    "Paths": "paths inside the snapshot",
    "Filter": "a filter the device applies",
}

UNIT_WORDS = {
    "unix_seconds": "unix seconds (or an aware datetime)",
    "bytes": "bytes",
    "seconds": "seconds",
    "minutes": "minutes",
    "hours": "hours",
    "days": "days",
    "rfc3339": "an RFC 3339 timestamp",
}


class SpecError(ValueError):
    """The specs disagree in a way no merge rule covers, or a reviewed list is incomplete."""


# -- helpers ------------------------------------------------------------------------------------


def snake(name: str) -> str:
    """``SourceGUID`` -> ``source_guid``; ``S3AccessKey`` -> ``s3_access_key``."""
    out = re.sub(r"([A-Z0-9]+)([A-Z][a-z])", r"\1_\2", name)
    out = re.sub(r"([a-z])([A-Z])", r"\1_\2", out)
    out = re.sub(r"_+", "_", out.replace("-", "_")).lower().strip("_")
    if keyword.iskeyword(out) or out in {"extra_fields"}:
        out += "_"
    return out


def version_key(version: str) -> tuple[int, ...]:
    """``"24.12.x"`` -> ``(24, 12, 0)``: a wildcard part counts as the series' first release."""
    parts = []
    for part in version.split("."):
        digits = re.match(r"\d+", part)
        parts.append(int(digits.group()) if digits else 0)
    return tuple(parts)


def _is_secret_name(name: str) -> bool:
    """Generic secret names plus Comet's declared secret wire keys (never the runtime
    registry, whose contents depend on what else was imported)."""
    from backup_sdk.redaction import SECRET_KEYS
    from comet_sdk.vendor import SECRET_WIRE_KEYS

    def norm(text: str) -> str:
        return text.replace("_", "").replace("-", "").lower()

    return norm(name) in SECRET_KEYS or norm(name) in {norm(k) for k in SECRET_WIRE_KEYS}


# kept under its former name
_is_secret = _is_secret_name


def load(path: Path) -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return spec


# -- the union ----------------------------------------------------------------------------------


class Surface:
    """The merged view of both specs that the renderers read."""

    def __init__(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        self.old = old
        self.new = new
        self.old_version = old["version"]
        self.new_version = new["version"]
        self._old_structs = {s["name"]: s for s in old["structures"]}
        self._new_structs = {s["name"]: s for s in new["structures"]}
        self.undefined = sorted(
            (set(old["undefined_structures"]) | set(new["undefined_structures"]))
            - set(self._old_structs)
            - set(self._new_structs)
        )
        self.structures = self._merge_structures()
        self.struct_names = set(self.structures) | set(self.undefined)
        self.methods = self._merge_methods()
        self.constants, self.groups = self._merge_constants()

    # structures ------------------------------------------------------------------------------

    def _flat(self, by_name: dict[str, Any], name: str) -> list[dict[str, Any]]:
        merged: dict[str, dict[str, Any]] = {}
        for base in by_name[name]["extends"]:
            for field in self._flat(by_name, base):
                merged.setdefault(field["name"], field)
        for field in by_name[name]["fields"]:
            merged[field["name"]] = field
        return list(merged.values())

    def _merge_structures(self) -> dict[str, dict[str, Any]]:
        names = list(self._old_structs) + [
            n for n in self._new_structs if n not in self._old_structs
        ]
        out: dict[str, dict[str, Any]] = {}
        for name in names:
            old = self._flat(self._old_structs, name) if name in self._old_structs else []
            new = self._flat(self._new_structs, name) if name in self._new_structs else []
            new_by = {f["name"]: f for f in new}
            old_by = {f["name"]: f for f in old}
            in_new = self._new_structs.get(name)
            if name in self._old_structs:
                since = BASELINE
            else:
                since = (in_new or {}).get("since") or KNOWN_SINCE.get(name) or LATEST
            fields = []
            for wire_name in list(old_by) + [n for n in new_by if n not in old_by]:
                o, n = old_by.get(wire_name), new_by.get(wire_name)
                fields.append(self._merge_field(name, wire_name, o, n, since))
            out[name] = {
                "name": name,
                "since": since,
                "deprecated": bool((in_new or {}).get("deprecated")),
                "fields": fields,
                "extends": (self._old_structs.get(name) or {}).get("extends", []),
            }
        return out

    def _merge_field(
        self,
        struct: str,
        wire_name: str,
        old: dict[str, Any] | None,
        new: dict[str, Any] | None,
        struct_since: str,
    ) -> dict[str, Any]:
        if old is not None and new is not None and old["type"] != new["type"]:
            spec_type = self._wider(old["type"], new["type"], f"{struct}.{wire_name}")
        else:
            spec_type = (new or old or {})["type"]
        if old is not None:
            since = BASELINE
        else:
            assert new is not None
            newer_struct = struct not in self._old_structs
            since = (
                new.get("since")
                or KNOWN_SINCE.get(f"{struct}.{wire_name}")
                or (struct_since if newer_struct else LATEST)
            )
        unit = (new or {}).get("unit")
        secret = bool((new or {}).get("secret")) or _is_secret_name(wire_name)
        if new is None and wire_name in SECRET_20_9_12:
            secret = True
        return {
            "name": wire_name,
            "type": spec_type,
            "since": since,
            "unit": unit,
            "secret": secret,
            "deprecated": bool((new or {}).get("deprecated")),
            "deprecated_since": (new or {}).get("deprecated_since"),
            "omitempty": bool((new or {}).get("omitempty")),
        }

    def _fields_of(self, name: str) -> set[str]:
        return (
            {f["name"] for f in self.structures[name]["fields"]}
            if name in self.structures
            else set()
        )

    def _wider(self, old_type: str, new_type: str, where: str) -> str:
        """The structure (or list of one) that holds every field of the other."""
        o = re.fullmatch(r"List<(\w+)>", old_type)
        n = re.fullmatch(r"List<(\w+)>", new_type)
        a, b = (o.group(1), n.group(1)) if o and n else (old_type, new_type)
        if (o is None) != (n is None) or a not in self._new_structs or b not in self._new_structs:
            raise SpecError(f"{where}: {old_type} in {BASELINE} but {new_type} in {LATEST}")
        fa = {f["name"] for f in self._flat(self._new_structs, a)}
        fb = {f["name"] for f in self._flat(self._new_structs, b)}
        if fa >= fb:
            return old_type
        if fb >= fa:
            return new_type
        raise SpecError(f"{where}: neither {old_type} nor {new_type} holds the other's fields")

    # methods ---------------------------------------------------------------------------------

    def _merge_methods(self) -> dict[str, dict[str, Any]]:
        old_methods = {m["name"]: m for m in self.old["methods"]}
        new_methods = {m["name"]: m for m in self.new["methods"]}
        names = list(old_methods) + [n for n in new_methods if n not in old_methods]
        out: dict[str, dict[str, Any]] = {}
        for name in names:
            out[name] = self._merge_method(name, old_methods.get(name), new_methods.get(name))
        return out

    def _merge_method(
        self, name: str, old: dict[str, Any] | None, new: dict[str, Any] | None
    ) -> dict[str, Any]:
        base = new or old
        assert base is not None
        if old is not None and new is not None and old["path"] != new["path"]:
            raise SpecError(f"{name}: path {old['path']} vs {new['path']}")
        if old is not None:
            since = old.get("since") or BASELINE
        else:
            since = base.get("since") or KNOWN_SINCE.get(name) or LATEST
        returns, kind, unwrap = self._merge_returns(name, old, new)
        params = self._merge_params(name, old, new, since)
        return {
            "name": name,
            "path": base["path"],
            "auth": (new or old or {})["auth"],
            "safe": bool((new or old or {})["safe"]),
            "http_method": (new or {}).get("http_method", "POST"),
            "multipart": base["encoding"].startswith("multipart"),
            "since": since,
            "returns": returns,
            "kind": kind,
            "unwrap": unwrap,
            "params": params,
            "device_since": (new or {}).get("device_since"),
            "in_old": old is not None,
        }

    def _merge_returns(
        self, name: str, old: dict[str, Any] | None, new: dict[str, Any] | None
    ) -> tuple[dict[str, Any], str, str]:
        if old is None or new is None or old["returns"] == new["returns"]:
            chosen = (new or old or {})["returns"]
            return chosen, chosen["kind"], ""
        if name in UNWRAP:
            key = UNWRAP[name]
            wrapper = {f["name"]: f for f in self._new_structs[new["returns"]["type"]]["fields"]}
            if wrapper.get(key, {}).get("type") != old["returns"]["type"]:
                raise SpecError(f"{name}: {key} of {new['returns']['type']} is not the old list")
            return old["returns"], old["returns"]["kind"], key
        wider = self._wider(old["returns"]["type"], new["returns"]["type"], f"{name} returns")
        chosen = old["returns"] if wider == old["returns"]["type"] else new["returns"]
        strict = "message" in (old["returns"]["kind"], new["returns"]["kind"])
        kind = "message" if strict else chosen["kind"]
        return {"kind": kind, "type": chosen["type"]}, kind, ""

    def _merge_params(
        self, name: str, old: dict[str, Any] | None, new: dict[str, Any] | None, since: str
    ) -> list[dict[str, Any]]:
        old_by = {p["name"]: p for p in (old or {}).get("params", [])}
        new_by = {p["name"]: p for p in (new or {}).get("params", [])}
        merged: list[dict[str, Any]] = []
        for wire_name in list(old_by) + [n for n in new_by if n not in old_by]:
            o, n = old_by.get(wire_name), new_by.get(wire_name)
            first = n or o
            assert first is not None
            if o is not None and n is not None and o["type"] != n["type"]:
                raise SpecError(f"{name}.{wire_name}: {o['type']} vs {n['type']}")
            spec_type = first["type"]
            if o is not None:
                p_since = since
            else:
                assert n is not None
                p_since = (
                    n.get("since")
                    or KNOWN_SINCE.get(f"{name}.{wire_name}")
                    or (since if old is None else LATEST)
                )
            optional = any(p["optional"] for p in (o, n) if p is not None)
            as_json = bool((n or o or {})["json"]) and spec_type != "int"
            description = (o or {}).get("description", "")
            unit = (n or {}).get("unit")
            if unit is None and spec_type == "int" and "timestamp" in description.lower():
                unit = "unix_seconds"
            secret = any(bool(p.get("secret")) for p in (o, n) if p is not None)
            secret = (
                secret or _is_secret_name(wire_name) or (n is None and wire_name in SECRET_20_9_12)
            )
            merged.append(
                {
                    "name": wire_name,
                    "type": spec_type,
                    "optional": optional,
                    "json": as_json,
                    "unit": unit,
                    "since": p_since,
                    "secret": secret,
                }
            )
        ordered = [p for p in merged if not p["optional"]] + [p for p in merged if p["optional"]]
        if old is not None:
            before = [p["name"] for p in old["params"] if not p["optional"]]
            before += [p["name"] for p in old["params"] if p["optional"]]
            if [p["name"] for p in ordered[: len(before)]] != before:
                raise SpecError(f"{name}: the merged parameters move one out of its place")
        return ordered

    # constants -------------------------------------------------------------------------------

    def _merge_constants(
        self,
    ) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]]]:
        old = {c["name"]: c for g in self.old["constant_groups"] for c in g["constants"]}
        new = {c["name"]: c for g in self.new["constant_groups"] for c in g["constants"]}
        constants: dict[str, dict[str, Any]] = {}
        for cname in list(old) + [n for n in new if n not in old]:
            o, n = old.get(cname), new.get(cname)
            chosen = n or o
            assert chosen is not None
            if o is not None:
                since = BASELINE
            else:
                assert n is not None
                since = n.get("since") or KNOWN_SINCE.get(cname) or LATEST
            constants[cname] = {
                "name": cname,
                "type": chosen["type"],
                "value": chosen["value"],
                "go_type": (n or o or {}).get("go_type", ""),
                "alias_of": (n or {}).get("alias_of") or (o or {}).get("alias_of") or "",
                "since": since,
                "in_old": o is not None,
                "deprecated": bool((n or {}).get("deprecated")),
            }
        groups: dict[str, list[str]] = {}
        for spec in (self.old, self.new):
            for group in spec["constant_groups"]:
                members = groups.setdefault(group["name"], [])
                members.extend(c["name"] for c in group["constants"] if c["name"] not in members)
        return constants, groups

    # counts ----------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        return {
            "methods": len(self.methods),
            "structures": len(self.structures),
            "fields": sum(len(s["fields"]) for s in self.structures.values()),
            "parameters": sum(len(m["params"]) for m in self.methods.values()),
            "constants": len(self.constants),
            "constant_groups": len(self.groups),
            "enums": len(enum_members(self)),
        }


def build_union(old_path: Path = OLD_SPEC, new_path: Path = NEW_SPEC) -> Surface:
    return Surface(load(old_path), load(new_path))


# -- types ----------------------------------------------------------------------------------------


class Types:
    def __init__(self, union: Surface, prefix: str = "") -> None:
        self.structures = union.struct_names
        self.prefix = prefix

    def py(self, wire_type: str) -> str:
        t = wire_type.strip()
        if t.startswith("List<") and t.endswith(">"):
            inner = t[5:-1].strip()
            if inner == "byte":
                return "bytes"  # base64 text or an array of byte values on the wire
            return f"list[{self.py(inner)}]"
        if t.startswith("Dictionary<") and t.endswith(">"):
            key, _, value = t[11:-1].partition(",")
            return f"dict[{self.py(key)}, {self.py(value)}]"
        simple = {
            "string": "str",
            "int": "int",
            "bool": "bool",
            "float32": "float",
            "float64": "float",
            "any": "Any",
            "byte": "int",
        }
        if t in simple:
            return simple[t]
        if t in self.structures:
            return self.prefix + t
        raise SpecError(f"unknown type {wire_type!r}")

    def referenced(self, wire_type: str) -> set[str]:
        return {w for w in re.findall(r"\w+", wire_type) if w in self.structures}


def _default(py_type: str, undefined: list[str]) -> str:
    if py_type.startswith("list["):
        return "factory=list"
    if py_type.startswith("dict["):
        return "factory=dict"
    simple = {"str": '""', "int": "0", "bool": "False", "float": "0.0", "Any": "None"}
    if py_type in simple:
        return f"default={simple[py_type]}"
    if py_type == "bytes":
        return 'default=b""'
    if py_type in undefined:
        return "factory=dict"
    return f"factory=lambda: {py_type}()"


def _is_time(struct: str, field: dict[str, Any]) -> bool:
    if field["type"] != "int" or (struct, field["name"]) in NOT_TIME_FIELDS:
        return False
    if field["unit"] == "unix_seconds":
        return True
    if field["unit"] is not None:
        return False
    return bool(TIME_FIELD.search(field["name"])) or field["name"] in TIME_FIELDS_EXTRA


def _field_unit(struct: str, field: dict[str, Any]) -> str | None:
    if _is_time(struct, field):
        return "unix seconds"
    unit = field["unit"]
    if unit in (None, "unix_seconds"):
        return None
    return str(UNIT_WORDS.get(unit, unit))


# -- enums ----------------------------------------------------------------------------------------


def enum_members(union: Surface) -> dict[str, list[tuple[str, Any, bool]]]:
    """``{enum: [(member, value, is_alias)]}``: canonical members first, then aliases."""
    by_type: dict[str, list[dict[str, Any]]] = {}
    for constant in union.constants.values():
        go_type = constant["go_type"]
        if go_type and go_type not in NO_ENUM:
            by_type.setdefault(go_type, []).append(constant)
    missing = sorted(set(by_type) - set(ENUM_PREFIXES))
    if missing:
        raise SpecError(f"no ENUM_PREFIXES entry for {', '.join(missing)}")
    out: dict[str, list[tuple[str, Any, bool]]] = {}
    for go_type in sorted(by_type):
        prefix = ENUM_PREFIXES[go_type]
        canonical: list[tuple[str, Any, bool]] = []
        aliases: list[tuple[str, Any, bool]] = []
        values: dict[Any, str] = {}
        used: set[str] = set()

        def name_of(cname: str, prefix: str = prefix) -> str:
            member = cname[len(prefix) :] if cname.startswith(prefix) else cname
            member = member.strip("_") or cname
            return "V_" + member if member[0].isdigit() else member

        ordered = sorted(
            by_type[go_type],
            key=lambda c: bool(c["alias_of"]) or c["name"][len(prefix) :].startswith("_"),
        )
        for constant in ordered:
            cname = constant["name"]
            if "__MIN" in cname or "__MAX" in cname:
                continue
            member = name_of(cname)
            if member in used:
                continue
            used.add(member)
            value = constant["value"]
            if value in values:
                aliases.append((member, value, True))
            else:
                values[value] = member
                canonical.append((member, value, False))
        former = FORMER_PREFIXES.get(go_type)
        if former is not None:
            for constant in ordered:
                old_name = name_of(constant["name"], former)
                if old_name not in used and constant["value"] in values:
                    used.add(old_name)
                    aliases.append((old_name, constant["value"], True))
        out[go_type] = canonical + aliases
    return out


# -- rendering: constants and enums ----------------------------------------------------------------


def _header(union: Surface, what: str) -> str:
    return HEADER.format(what=what, old=union.old_version, new=union.new_version)


def gen_constants(union: Surface) -> str:
    enums = enum_members(union)
    lines = [
        _header(
            union,
            "Comet constants: every constant by name, the groups of both references, and the\n"
            "first version known to have each. The open enums live in ``enums``; they are\n"
            "importable from here too (loaded on first use).",
        ),
        "from __future__ import annotations",
        "",
        "from typing import TYPE_CHECKING, Any, Final",
        "",
        "if TYPE_CHECKING:",
        "    from comet_sdk._generated.enums import (",
    ]
    lines.extend(f"        {name} as {name}," for name in sorted(enums))
    lines.append("    )")
    lines.append("")
    exported = [*union.constants, "CONSTANT_GROUPS", "CONSTANT_SINCE", "ENUMS"]
    lines.append("__all__ = [")
    lines.extend(f'    "{n}",' for n in sorted(exported))
    lines.append("]")
    lines.append("")
    for cname, constant in union.constants.items():
        py_type = "int" if constant["type"] == "int" else "str"
        lines.append(f"{cname}: Final[{py_type}] = {json.dumps(constant['value'])}")
    lines.append("")
    lines.append(
        "#: Constant names by group: the 20.9.12 groups (by name prefix), then the 25.9.6 ones"
    )
    lines.append("#: (by Go type); same-named groups are merged, 20.9.12 names first.")
    lines.append("CONSTANT_GROUPS: Final[dict[str, tuple[str, ...]]] = {")
    for group, members in union.groups.items():
        names = ", ".join(f'"{c}"' for c in members)
        lines.append(f'    "{group}": ({names},),')
    lines.append("}")
    lines.append("")
    lines.append("#: Constants newer than 20.9.12, with the first version known to have each.")
    lines.append("CONSTANT_SINCE: Final[dict[str, str]] = {")
    for cname, constant in union.constants.items():
        if constant["since"] != BASELINE:
            lines.append(f'    "{cname}": "{constant["since"]}",')
    lines.append("}")
    lines.append("")
    lines.append("#: The open enum classes (in ``comet_sdk._generated.enums``).")
    lines.append("ENUMS: Final[tuple[str, ...]] = (")
    lines.extend(f'    "{name}",' for name in sorted(enums))
    lines.append(")")
    lines.append("")
    lines.append("")
    # hidden from type checkers, so that a misspelt name is still an error for them
    lines.append("if not TYPE_CHECKING:")
    lines.append("")
    lines.append("    def __getattr__(name: str) -> Any:")
    lines.append('        """The enum classes, imported on first use."""')
    lines.append("        if name in ENUMS:")
    lines.append("            from comet_sdk._generated import enums")
    lines.append("")
    lines.append("            value = getattr(enums, name)")
    lines.append("            globals()[name] = value")
    lines.append("            return value")
    lines.append('        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")')
    return "\n".join(lines) + "\n"


def gen_enums(union: Surface) -> str:
    enums = enum_members(union)
    lines = [
        _header(union, "Comet's typed codes as open enums: values from newer servers are kept."),
        "from __future__ import annotations",
        "",
        "from backup_sdk.models import OpenIntEnum, OpenStrEnum",
        "",
        "__all__ = [",
    ]
    lines.extend(f'    "{name}",' for name in sorted(enums))
    lines.append("]")
    lines.append("")
    for name, members in enums.items():
        is_int = isinstance(members[0][1], int)
        base = "OpenIntEnum" if is_int else "OpenStrEnum"
        aliases = [m for m, _, alias in members if alias]
        note = f" Aliases: {', '.join(aliases)}." if aliases else ""
        lines.append("")
        lines.append(f"class {name}({base}):")
        lines.append(
            f'    """Comet ``{name}`` codes (an unknown code is kept, not refused).{note}"""'
        )
        lines.append("")
        for member, value, _ in members:
            lines.append(f"    {member} = {json.dumps(value)}")
        lines.append("")
    return "\n".join(lines) + "\n"


# -- rendering: models ----------------------------------------------------------------------------


def model_module(name: str) -> str:
    return snake(name)


def _field_doc(struct: str, field: dict[str, Any], py_type: str) -> str:
    bits = [f"``{field['name']}``"]
    unit = _field_unit(struct, field)
    if unit:
        bits.append(unit)
    if field["type"] == "List<byte>":
        bits.append("bytes (base64 text or a byte array on the wire)")
    if field["secret"]:
        bits.append("secret")
    if field["since"] != BASELINE:
        bits.append(f"since {field['since']}")
    if field["deprecated"]:
        when = field["deprecated_since"]
        bits.append(f"deprecated since {when}" if when else "deprecated")
    return ", ".join(bits) + "."


def gen_model(union: Surface, name: str) -> str:
    struct = union.structures[name]
    types = Types(union)
    refs: set[str] = set()
    enums_used: set[str] = set()
    body: list[str] = []
    docs: list[str] = []
    seen: set[str] = set()
    uses_time = uses_any = False
    for field in struct["fields"]:
        wire_name = field["name"]
        attr = snake(wire_name)
        if attr in seen:
            raise SpecError(f"{name}: two fields map to {attr}")
        seen.add(attr)
        enum = ENUM_FIELDS.get((name, wire_name))
        if enum:
            py_type = enum
            default = f"default={ENUM_DEFAULTS[enum]}"
            enums_used.add(enum)
        elif _is_time(name, field):
            py_type = "UnixTime | None"
            default = "default=None"
            uses_time = True
        else:
            py_type = types.py(field["type"])
            default = _default(py_type, union.undefined)
            refs |= types.referenced(field["type"])
            uses_any = uses_any or "Any" in py_type
        secret = ", secret=True" if field["secret"] else ""
        body.append(f'    {attr}: {py_type} = wire("{wire_name}", {default}{secret})')
        docs.append(f"        {attr}: {_field_doc(name, field, py_type)}")
    refs.discard(name)
    since = f"Known since Comet {struct['since']}."
    flattened = (
        f" Inherits the fields of {', '.join(struct['extends'])} (flattened, as on the wire)."
        if struct["extends"]
        else ""
    )
    deprecated = " Deprecated by Comet." if struct["deprecated"] else ""
    lines = [
        _header(union, f"The Comet ``{name}`` structure."),
        "from __future__ import annotations",
        "",
    ]
    typing_names = ["TYPE_CHECKING"] if refs else []
    if uses_any:
        typing_names.append("Any")
    if typing_names:
        lines.append(f"from typing import {', '.join(typing_names)}")
        lines.append("")
    shared = ["UnixTime"] if uses_time else []
    lines.append(
        f"from backup_sdk.models import {', '.join([*shared, 'WireModel', 'model', 'wire'])}"
    )
    if enums_used:
        lines.append(f"from comet_sdk._generated.enums import {', '.join(sorted(enums_used))}")
    if refs:
        lines.append("from comet_sdk._lazy import link")
        lines.append("")
        lines.append("if TYPE_CHECKING:")
        for ref in sorted(refs):
            lines.append(f"    from comet_sdk._generated.models.{model_module(ref)} import {ref}")
    lines.append("")
    lines.append(f'__all__ = ["{name}"]')
    lines.append("")
    lines.append("")
    lines.append("@model")
    lines.append(f"class {name}(WireModel):")
    lines.append(f'    """Comet ``{name}``. {since}{flattened}{deprecated}')
    if docs:
        lines.append("")
        lines.append("    Attributes:")
        lines.extend(doc.replace("        ", "        ", 1) for doc in docs)
    lines.append('    """')
    if body:
        lines.append("")
        lines.extend(body)
    lines.append("")
    if refs:
        lines.append("")
        names = ", ".join(f'"{r}"' for r in sorted(refs))
        lines.append(f"link(globals(), {names})")
    return "\n".join(lines) + "\n"


def gen_models_init(union: Surface) -> str:
    names = sorted(union.structures)
    lines = [
        _header(
            union,
            "Every Comet data structure as an attrs model, each imported on first use.\n\n"
            "``from comet_sdk._generated.models import X`` and ``models.X`` import the module of\n"
            "``X`` only (see ``comet_sdk._lazy``).",
        ),
        "from __future__ import annotations",
        "",
        "from typing import TYPE_CHECKING, Any, Final",
        "",
        "from backup_sdk._lazy import LazyNamespace",
        "",
        "if TYPE_CHECKING:",
    ]
    for name in names:
        lines.append(
            f"    from comet_sdk._generated.models.{model_module(name)} import {name} as {name}"
        )
    lines.append("")
    lines.append("__all__ = [")
    lines.extend(
        f'    "{n}",' for n in sorted(names + union.undefined + ["STRUCTURE_SINCE", "FIELD_SINCE"])
    )
    lines.append("]")
    lines.append("")
    for undefined in union.undefined:
        lines.append("#: Named by a reference but never defined there: kept as an open mapping.")
        lines.append(f"{undefined} = dict[str, Any]")
        lines.append("")
    lines.append("#: The first Comet version known to have each structure.")
    lines.append("STRUCTURE_SINCE: Final[dict[str, str]] = {")
    for name in names:
        lines.append(f'    "{name}": "{union.structures[name]["since"]}",')
    lines.append("}")
    lines.append("")
    lines.append("#: Fields newer than their structure: ``{structure: {wire name: version}}``.")
    lines.append("FIELD_SINCE: Final[dict[str, dict[str, str]]] = {")
    for name in names:
        struct = union.structures[name]
        newer = {f["name"]: f["since"] for f in struct["fields"] if f["since"] != struct["since"]}
        if newer:
            items = ", ".join(f'"{k}": "{v}"' for k, v in newer.items())
            lines.append(f'    "{name}": {{{items}}},')
    lines.append("}")
    lines.append("")
    lines.append("_LAZY = LazyNamespace(")
    lines.append("    __name__,")
    lines.append("    {")
    for name in names:
        lines.append(f'        "{name}": "{model_module(name)}",')
    lines.append("    },")
    lines.append("    globals(),")
    lines.append(")")
    lines.append("")
    lines.append("")
    # hidden from type checkers, so that a misspelt name is still an error for them
    lines.append("if not TYPE_CHECKING:")
    lines.append("")
    lines.append("    def __getattr__(name: str) -> Any:")
    lines.append("        return _LAZY.load(name)")
    lines.append("")
    lines.append("")
    lines.append("def __dir__() -> list[str]:")
    lines.append("    return sorted(set(globals()) | set(__all__))")
    return "\n".join(lines) + "\n"


# -- rendering: operations and methods ------------------------------------------------------------


def _param_py(types: Types, op: dict[str, Any], p: dict[str, Any]) -> str:
    if op["multipart"] and p["name"] == "upload":
        return "bytes | BinaryIO"
    if p["type"] == "int" and p["unit"] == "unix_seconds":
        return "int | datetime"  # unix seconds, or an aware datetime
    return types.py(p["type"])


def _return_py(types: Types, op: dict[str, Any]) -> str:
    kind = op["kind"]
    if kind == "text":
        return "str"
    if kind == "binary":
        return "Iterator[bytes]"
    return types.py(op["returns"]["type"])


def gen_operations(union: Surface) -> str:
    types = Types(union, prefix="m.")
    lines = [
        _header(
            union,
            "Every Comet API method (admin, user-web, hybrid and public) by its Comet name:\n"
            "path, response kind and Python result type, retry safety, auth, versions.",
        ),
        "from __future__ import annotations",
        "",
        "from collections.abc import Iterator",
        "from typing import Any",
        "",
        "from comet_sdk._generated import models as m",
        "from comet_sdk._operation import OperationTable, Row",
        "",
        '__all__ = ["OPERATIONS", "Row"]',
        "",
        "# name: (path, kind, returns, safe, auth, multipart, json params, since, params,",
        "#        parameters newer than the method, HTTP method, key to unwrap)",
        "_ROWS: dict[str, Row] = {",
    ]
    for name, op in union.methods.items():
        returns = op["returns"].get("type", op["returns"].get("content_type", ""))
        json_params = sorted(p["name"] for p in op["params"] if p["json"])
        params = tuple(p["name"] for p in op["params"])
        newer = {
            p["name"]: p["since"]
            for p in op["params"]
            if p["since"] != op["since"] and version_key(p["since"]) > version_key(BASELINE)
        }
        lines.append(
            f'    "{name}": ("{op["path"]}", "{op["kind"]}", "{returns}", {op["safe"]}, '
            f'"{op["auth"]}", {op["multipart"]}, frozenset({json_params!r}), "{op["since"]}", '
            f"{params!r}, {newer!r}, "
            f'"{op["http_method"]}", "{op["unwrap"]}"),'
        )
    lines.append("}")
    lines.append("")
    lines.append("# name: the Python type of the answer (built when the operation is first used)")
    lines.append("_RESULT_TYPES: dict[str, Any] = {")
    for name, op in union.methods.items():
        lines.append(f'    "{name}": lambda: {_return_py(types, op)},')
    lines.append("}")
    lines.append("")
    lines.append("#: Every method of both references, by its Comet name.")
    lines.append("OPERATIONS = OperationTable(_ROWS, _RESULT_TYPES)")
    return "\n".join(lines) + "\n"


def _doc_type(py: str) -> str:
    return py.replace("m.", "")


def _param_doc(types: Types, op: dict[str, Any], p: dict[str, Any]) -> str:
    py = _param_py(types, op, p)
    what = UNIT_WORDS.get(p["unit"], p["unit"]) if p["unit"] else _doc_type(py)
    if p["json"]:
        what += " as JSON"
    meaning = PARAM_MEANINGS.get(p["name"])
    if meaning:
        what += f"; {meaning}"
    notes = [f"sent as ``{p['name']}``"]
    if p["secret"]:
        notes.append("secret")
    if p["optional"]:
        notes.append("left out when None")
    if p["since"] != op["since"] and version_key(p["since"]) > version_key(BASELINE):
        notes.append(f"needs Comet {p['since']}")
    return f"{what}, {'; '.join(notes)}."


def _returns_doc(op: dict[str, Any], ret: str) -> str:
    kind = op["kind"]
    if kind == "text":
        return "plain text"
    if kind == "binary":
        return "the body in chunks (``backup_sdk.downloads.save_stream`` writes them)"
    if kind == "message":
        return f"{_doc_type(ret)}, raising unless its Status is 2xx"
    if op["unwrap"]:
        return f"{_doc_type(ret)} (newer servers' wrapper object is unwrapped)"
    return _doc_type(ret)


def _method(types: Types, op: dict[str, Any], *, legacy: str | None = None) -> list[str]:
    required, optional, body = [], [], []
    docs: list[str] = []
    for p in op["params"]:
        attr = snake(p["name"])
        py = _param_py(types, op, p)
        if p["optional"]:
            optional.append(f"{attr}: {py} | None = None")
        else:
            required.append(f"{attr}: {py}")
        body.append(f'"{p["name"]}": {attr}')
        docs.append(f"            {attr}: {_param_doc(types, op, p)}")
    ret = _return_py(types, op)
    name = snake(op["name"])
    args = ", ".join(["self", *required, *optional])
    where = f"``{op['http_method']} {op['path']}``"
    notes = []
    if op["safe"]:
        notes.append("read-only, retried after timeouts and 5xx")
    if version_key(op["since"]) > version_key(BASELINE):
        notes.append(f"needs Comet {op['since']}")
    elif op["since"] != BASELINE:
        notes.append(f"Comet {op['since']} and later")
    if op["device_since"]:
        notes.append(f"the device needs Comet {op['device_since']}")
    if op["auth"] == "public":
        notes.append("no credentials are sent")
    answer = _returns_doc(op, ret)
    line2 = f"{where} -> {answer}" + (f" ({'; '.join(notes)})." if notes else ".")
    out = [""]
    if legacy:
        out.append(f'    @deprecated("{legacy}")')
    out.append(f"    def {name}({args}) -> {ret}:")
    out.append(f'        """{summary(op["name"])}')
    out.append("")
    out.append(f"        {line2}")
    if docs:
        out.append("")
        out.append("        Args:")
        out.extend(docs)
    out.append('        """')
    params = "{" + ", ".join(body) + "}"
    out.append(f'        result: {ret} = self._invoke(OPERATIONS["{op["name"]}"], {params})')
    out.append("        return result")
    return out


def _mixin(
    union: Surface, *, cls: str, what: str, doc: str, audience: Iterable[str], legacy: Iterable[str]
) -> str:
    types = Types(union, prefix="m.")
    wanted = set(audience)
    legacy_names = set(legacy)
    chosen = [
        op for op in union.methods.values() if op["auth"] in wanted or op["name"] in legacy_names
    ]
    source = "\n".join(
        line
        for op in chosen
        for line in _method(
            types,
            op,
            legacy="use CometUserClient (user credentials) for the user-web API"
            if op["name"] in legacy_names
            else None,
        )
    )
    imports = ["from collections.abc import Iterator"] if "Iterator[" in source else []
    if "| datetime" in source:
        imports.append("from datetime import datetime")
    typing_names = ["Any"] + (["BinaryIO"] if "BinaryIO" in source else [])
    imports.append(f"from typing import {', '.join(typing_names)}")
    lines = [
        _header(union, what),
        "from __future__ import annotations",
        "",
        *imports,
        "",
    ]
    if legacy_names:
        lines.append("from backup_sdk._compat import deprecated")
        lines.append("")
    lines += [
        "from comet_sdk._generated import models as m",
        "from comet_sdk._generated.operations import OPERATIONS",
        "from comet_sdk._operation import Operation",
        "",
        f'__all__ = ["OPERATIONS", "{cls}"]',
        "",
        "",
        f"class {cls}:",
        f'    """{doc}"""',
        "",
        "    def _invoke(self, operation: Operation, params: dict[str, Any]) -> Any:",
        "        raise NotImplementedError",
        source,
    ]
    return "\n".join(lines) + "\n"


def gen_methods(union: Surface) -> str:
    return _mixin(
        union,
        cls="GeneratedMethods",
        what="Every Comet admin API method (and the hybrid and public ones), as typed methods.",
        doc=(
            "One method per admin, hybrid and public Comet method; ``CometAdminClient`` sends "
            "them.\n\n    Errors are the ``backup_sdk.errors`` hierarchy (``comet_sdk.errors`` "
            "maps Comet's answers onto it);\n    a method or parameter newer than the server "
            "raises ``comet_sdk.errors.ServerVersionError``\n    before anything is sent.\n    "
        ),
        audience=("admin", "admin_optional", "hybrid", "public"),
        legacy=sorted(ADMIN_CLIENT_LEGACY),
    )


def gen_user_methods(union: Surface) -> str:
    return _mixin(
        union,
        cls="GeneratedUserMethods",
        what="Every Comet user-web API method (and the hybrid and public ones), as typed methods.",
        doc=(
            "One method per user-web, hybrid and public Comet method; ``CometUserClient`` "
            "sends them\n    with the user's own credentials."
        ),
        audience=("user", "hybrid", "public"),
        legacy=(),
    )


def gen_secrets(union: Surface) -> str:
    fields = sorted(
        (s["name"], f["name"])
        for s in union.structures.values()
        for f in s["fields"]
        if f["secret"]
    )
    params = sorted(
        (m["name"], p["name"]) for m in union.methods.values() for p in m["params"] if p["secret"]
    )
    names = sorted({w for _, w in fields} | {w for _, w in params})
    lines = [
        _header(union, "The secret fields and parameters of the Comet API."),
        "from __future__ import annotations",
        "",
        "from typing import Final",
        "",
        '__all__ = ["SECRET_FIELDS", "SECRET_NAMES", "SECRET_PARAMS"]',
        "",
        "#: ``(structure, wire name)`` of every secret field.",
        "SECRET_FIELDS: Final[frozenset[tuple[str, str]]] = frozenset(",
        "    {",
    ]
    lines.extend(f'        ("{s}", "{f}"),' for s, f in fields)
    lines += ["    }", ")", "", "#: ``(method, wire name)`` of every secret parameter."]
    lines += ["SECRET_PARAMS: Final[frozenset[tuple[str, str]]] = frozenset(", "    {"]
    lines.extend(f'        ("{m}", "{p}"),' for m, p in params)
    lines += [
        "    }",
        ")",
        "",
        "#: Their wire names (registered as secret keys when comet_sdk loads).",
    ]
    lines.append("SECRET_NAMES: Final[tuple[str, ...]] = (")
    lines.extend(f'    "{n}",' for n in names)
    lines.append(")")
    return "\n".join(lines) + "\n"


def gen_init(union: Surface) -> str:
    counts = union.counts()
    lines = [
        _header(union, "Generated Comet API surface (the union of both references)."),
        "from typing import Final",
        "",
        '__all__ = ["BASELINE", "COUNTS", "LATEST", "SPEC_VERSIONS"]',
        "",
        "#: The versions of the references the surface is generated from, oldest first.",
        f'SPEC_VERSIONS: Final = ("{union.old_version}", "{union.new_version}")',
        "#: The oldest reference: items known since it are treated as always present.",
        f'BASELINE: Final = "{BASELINE}"',
        "#: The newest reference.",
        f'LATEST: Final = "{LATEST}"',
        "#: Size of the generated surface.",
        "COUNTS: Final[dict[str, int]] = {",
    ]
    lines.extend(f'    "{k}": {v},' for k, v in counts.items())
    lines.append("}")
    return "\n".join(lines) + "\n"


# -- formatting --------------------------------------------------------------------------------


def pinned_ruff() -> str:
    """The ruff version ``constraints.txt`` pins."""
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        found = re.match(r"\s*ruff\s*==\s*([\w.]+)", line)
        if found:
            return found.group(1)
    raise SpecError(f"{CONSTRAINTS.name} pins no ruff version")


def _ruff() -> str:
    beside = Path(sys.executable).with_name("ruff")
    return str(beside) if beside.exists() else (shutil.which("ruff") or "ruff")


def check_ruff(ruff: str | None = None, pinned: str | None = None) -> str:
    """The path of the environment's ruff, after checking it is the pinned version.

    Raises:
        SystemExit: ruff is missing or another version (the message says which and how to fix).
    """
    command = ruff or _ruff()
    want = pinned or pinned_ruff()
    try:
        done = subprocess.run([command, "--version"], capture_output=True, text=True, check=False)
    except OSError:
        raise SystemExit(
            f"comet_codegen formats its output with ruff {want}, and no ruff was found: "
            f"pip install -c constraints.txt ruff=={want}"
        ) from None
    have = done.stdout.strip().split()[-1] if done.stdout.strip() else "unknown"
    if have != want:
        raise SystemExit(
            f"comet_codegen formats its output with ruff {want} (pinned in constraints.txt), "
            f"but {command} is ruff {have}: install the pinned one "
            f"(pip install -c constraints.txt ruff=={want}) so that the generated files "
            "come out byte for byte as committed"
        )
    return command


def _ruff_format_all(files: dict[str, str]) -> dict[str, str]:
    ruff = check_ruff()
    with tempfile.TemporaryDirectory(prefix="comet-codegen-") as tmp:
        base = Path(tmp) / "comet_sdk" / "_generated"
        for rel, source in files.items():
            target = base / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(source, encoding="utf-8")
        command = [ruff, "format", "--config", str(ROOT / "pyproject.toml"), "--quiet", str(base)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"ruff format failed:\n{done.stderr}")
        return {rel: (base / rel).read_text(encoding="utf-8") for rel in files}


# -- entry points ------------------------------------------------------------------------------


def generate(old_path: Path = OLD_SPEC, new_path: Path = NEW_SPEC) -> dict[str, str]:
    """``{path relative to comet_sdk/_generated: source}`` for every generated file."""
    union = build_union(old_path, new_path)
    files = {
        "__init__.py": gen_init(union),
        "constants.py": gen_constants(union),
        "enums.py": gen_enums(union),
        "operations.py": gen_operations(union),
        "methods.py": gen_methods(union),
        "user_methods.py": gen_user_methods(union),
        "secrets.py": gen_secrets(union),
        "models/__init__.py": gen_models_init(union),
    }
    for name in union.structures:
        files[f"models/{model_module(name)}.py"] = gen_model(union, name)
    return _ruff_format_all(files)


def gen_docs_page(union: Surface) -> str:
    """``docs/reference/comet_models.md``: every model and enum, by its defining module."""
    lines = [
        "# `comet_sdk` models",
        "",
        "Every Comet data structure of both references (generated; import them from",
        "`comet_sdk.models`, where each is loaded on first use), then the open enums",
        "(`comet_sdk.enums`). Each class says the first Comet version known to have it, and",
        "each field its wire name, unit and version where they matter.",
        "",
        "<!-- Generated by python -m tools.comet_codegen; do not edit by hand. -->",
        "",
        "## Enums",
        "",
        "::: comet_sdk._generated.enums",
        "    options:",
        "      show_root_heading: false",
        "      show_if_no_docstring: true",
        "",
        "## Structures",
        "",
    ]
    for name in sorted(union.structures):
        lines.append(f"::: comet_sdk._generated.models.{model_module(name)}.{name}")
        lines.append("")
    return "\n".join(lines)


def generate_docs(old_path: Path = OLD_SPEC, new_path: Path = NEW_SPEC) -> str:
    return gen_docs_page(build_union(old_path, new_path))


def _committed() -> set[str]:
    return {
        str(p.relative_to(OUT)).replace(os.sep, "/")
        for p in OUT.rglob("*.py")
        if "__pycache__" not in p.parts
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    files = generate()
    if "--check" in args:
        stale = sorted(
            n
            for n, src in files.items()
            if not (OUT / n).exists() or (OUT / n).read_text(encoding="utf-8") != src
        )
        extra = sorted(_committed() - set(files))
        page = generate_docs()
        if not DOCS_PAGE.exists() or DOCS_PAGE.read_text(encoding="utf-8") != page:
            stale.append(str(DOCS_PAGE.relative_to(ROOT)))
        if stale or extra:
            if stale:
                print(f"out of date: {', '.join(stale)}")
            if extra:
                print(f"not generated any more: {', '.join(extra)}")
            print("run python -m tools.comet_codegen")
            return 1
        print("comet_sdk/_generated is up to date")
        return 0
    for rel in _committed() - set(files):
        (OUT / rel).unlink()
    for rel, src in files.items():
        target = OUT / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_text(encoding="utf-8") != src:
            target.write_text(src, encoding="utf-8")
    DOCS_PAGE.write_text(generate_docs(), encoding="utf-8")
    print(f"wrote {len(files)} files to {OUT.relative_to(ROOT)} and {DOCS_PAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
