"""Derive a machine-readable spec of the Comet Server API from the Comet Go SDK source.

    python -m tools.comet_go_spec --go-source PATH_OR_GIT_DIR [--output PATH] [--check]

``--go-source`` is one of:

* a directory holding ``cometsdk.go`` (a checkout of ``CometBackup/comet-go-sdk``),
* the ``cometsdk.go`` file itself, or
* a bare git directory of that repository; ``HEAD:cometsdk.go`` is then read with
  ``git show``.

When ``cometsdk_easyjson.go`` sits beside it (or exists at ``HEAD``), the wire name and
``omitempty`` of every structure field are cross-checked against the generated encoders.

The default output is ``comet_sdk/spec/comet_api_<APPLICATION_VERSION>.json``; the Go SDK
v2.6.0 gives ``comet_api_25.9.6.json``. ``--check`` writes nothing and exits 1 when the file
on disk differs from what would be written. The output is deterministic (sorted keys, stable
order, one-space indent, trailing newline), so a re-run against the same source changes
nothing.

Only facts are extracted: names, paths, parameter names, types and optionality, wire names,
``omitempty``, constant values, version notes and units. The SDK's prose is not copied: the
``summary``/``description``/``comment`` keys kept for parity with the 20.9.12 spec are empty.
Any Go construct the extractor does not recognise stops it with a :class:`GoSourceError`
naming the line, rather than being skipped.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.comet_spec import SAFE_NAME

ROOT = Path(__file__).resolve().parents[1]
SPEC_DIR = ROOT / "comet_sdk" / "spec"
GO_FILE = "cometsdk.go"
EASYJSON_FILE = "cometsdk_easyjson.go"
API_NAME = "Comet Server API"
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"

# -- reviewed lists ---------------------------------------------------------------------------
# Each entry below was checked by hand against the Go source. The extractor fails when an entry
# no longer matches anything, so the lists cannot silently go stale.

# Declarations of the Go client itself, not of the Comet API.
SDK_TYPES = frozenset({"CometAPIClient", "ErrCometAPIResponseMessage", "ErrHttpCode"})
SDK_FUNCS = frozenset({"NewCometAPIClient", "Error"})
SDK_CONSTANTS = frozenset({"USER_AGENT_HEADER", "DEFAULT_USER_AGENT"})

# Methods whose doc comment names no credentials: callable without logging in.
PUBLIC_METHODS = frozenset(
    {
        "AdminAddFirstAdminUser",  # bootstraps a server that has no administrator yet
        "BrandingProps",  # GET /gen/branding.props
    }
)

# []byte bodies that are log text (the Go SDK returns every body as raw bytes). All other
# []byte bodies are reported as binary.
TEXT_BODY_METHODS = frozenset(
    {"AdminGetJobLog", "AdminMetaReadLogs", "AdminMetaReadSelectLogs", "UserWebGetJobLog"}
)

# Corrections to the SAFE_NAME rule of tools/comet_spec.py, after reading each method: calls that
# only read (from the server or a live device) although their name does not say so. Each entry
# must change the rule's verdict.
_READS = (
    "AdminConstellationLastReport",  # the cached report
    "AdminDispatcherEmailPreview",
    "UserDispatcherEmailPreview",
    "AdminDispatcherRegisterOfficeApplicationCheck",  # polls a pending registration
    "UserWebDispatcherRegisterOfficeApplicationCheck",
    "AdminDispatcherRequestFilesystemObjects",
    "UserWebRequestFilesystemObjects",
    "AdminDispatcherRequestImportSources",
    "AdminDispatcherRequestOffice365Accounts",
    "UserWebDispatcherRequestOffice365Accounts",
    "AdminDispatcherRequestOffice365Sites",
    "UserWebDispatcherRequestOffice365Sites",
    "AdminDispatcherRequestStoredObjects",
    "UserWebDispatcherRequestStoredObjects",
    "AdminDispatcherRequestVaultSnapshots",
    "UserWebDispatcherRequestVaultSnapshots",
    "AdminDispatcherRequestWindiskSnapshot",
    "UserWebDispatcherRequestWindiskSnapshot",
    "AdminDispatcherSearchSnapshots",
    "UserWebDispatcherSearchSnapshots",
    "AdminMetaServerConfigNetworkInterfaces",
    "AdminPreviewUserEmailReport",  # renders a preview, sends nothing
    "AdminRequestStorageVaultProviders",  # lists the options; AdminRequestStorageVault acts
    "UserWebRequestStorageVaultProviders",
    "BrandingProps",  # GET
)
SAFE_OVERRIDES: dict[str, bool] = dict.fromkeys(_READS, True)

# Field wire names that hold a secret wherever they appear.
SECRET_NAMES = frozenset(
    {
        "Password",
        "TOTPKey",
        "SessionKey",
        "PasswordHash",
        "PasswordRecovery",
        "SecretKey",
        "S3SecretKey",
        "AccessKey",  # half of an S3-style key pair; the project's redaction treats it as secret
        "S3AccessKey",
        "AppKey",
        "AZBAccountKey",
        "APIKey",
        "AuthToken",
        "Passphrase",
        "ClientSecret",
        "BindPassword",
        "SMTPPassword",
        "SFTPPassword",
        "SFTPPrivateKey",
        "SSHPassword",
        "SSHPrivateKey",
        "FTPPassword",
        "SMBPassword",
        "LocalcopyWinSMBPassword",
        "CometBucketKey",
        "NewBucketKey",
        "ReadWriteKey",
        "EncryptedEncryptionKey",
        "EncryptionKey",
        "WindowsCodeSignPKCS12Password",
        "WindowsCodeSignPKCS11Password",
        "WindowsCodeSignAzureAppSecret",
        "AppleIDPass",
        "PfxFilePassword",
        "SSLPfxPassword",
        "SSLClientKeyPassword",
        "PartnerKey",
        "TOTPCode",
        "Token",
    }
)
# (structure, wire name) pairs that hold a secret although the name alone does not say so.
SECRET_FIELDS = frozenset(
    {
        ("B2DestinationLocation", "Key"),  # B2 application key
        ("LicenseOptions", "SerialNumber"),  # the server's licence key
        ("Office365Credential", "Secret"),
        ("Office365Credential", "AppCert"),  # certificate used to authenticate the app
        ("TotpRegeneratedResponse", "Image"),  # QR code of the new TOTP seed
        ("TotpRegeneratedResponse", "URL"),  # otpauth:// URL carrying the TOTP seed
    }
)
# Text fields whose name looks secret (see SECRET_LOOKING) but which hold none.
NOT_SECRET_NAMES: dict[str, str] = {
    "KeyID": "identifier of a key",
    "NotaryAPIKeyID": "identifier of a key",
    "WindowsCodeSignPKCS11KeyID": "identifier of a key",
    "WindowsCodeSignRelicKeyName": "name of a key",
    "WindowsCodeSignRelicKeypairFile": "path of a key file",
    "NotaryAPIKeyFile": "path or resource URI of a key file",
    "SSLCertKey": "path of the key file (set beside SSLCertPath)",
    "SSLCertPath": "path",
    "SslKeyFile": "path",
    "TLSCustomClientKeyPath": "path",
    "WindowsCodeSignPKCS12FilePath": "path",
    "WindowsCodeSignPKCS11Certfile": "path",
    "WindowsCodeSignAzureCertName": "name of a certificate",
    "CertificateName": "path or resource URI of a certificate",
    "AppCertificateName": "path or resource URI of a certificate",
    "CertificateFile": "path or resource URI of a certificate",
    "AppCertificateFile": "path or resource URI of a certificate",
    "ProfileHash": "optimistic-concurrency hash",
    "PolicyHash": "optimistic-concurrency hash",
    "UserGroupHash": "optimistic-concurrency hash",
    "ResourceHash": "content address of a resource",
    "ServerStartHash": "changes on restart",
    "ServerLicenseHash": "hash of licence state",
    "AuthURL": "URL",
    "ChallengeID": "identifier of a challenge",
    "Challenge": "public challenge",
    "ChallengeData": "public challenge",
    "challenge": "public challenge",
    "KeyHandle": "public handle",
    "PublicKey": "public key",
    "Signature": "one-time signature",
    "CredentialJSON": "one-time assertion",
    "ExternalAuthenticationSource": "identifier of an auth source",
    "SFTPCustomAuth_KnownHostsFile": "known-hosts content (public keys)",
    "SSHCustomAuth_KnownHostsFile": "known-hosts content (public keys)",
    "authenticatorAttachment": "WebAuthn option",
    "residentKey": "WebAuthn option",
    "AuthenticationDB": "database name",
    "AuthMode": "enumeration (MSSQL_AUTH_ constants)",
    "VolumeSerial": "disk volume identifier",
    "SerialNumber": "disk serial (the licence serial is listed in SECRET_FIELDS)",
    "WindowsCodeSignPKCS11Engine": "engine name",
    "WindowsCodeSignPKCS11Module": "module path",
    "WindowsCodeSignAzureAppID": "identifier",
    "WindowsCodeSignAzureTenantID": "identifier",
    "WindowsCodeSignAzureVaultName": "name",
    "WindowsCodeSignRelicServerURL": "URL",
}
# Method parameters (wire names) that carry a secret.
SECRET_PARAMS = frozenset(
    {
        "TargetPassword",
        "NewPassword",
        "OldPassword",
        "TOTPCode",
        "TargetTOTPCode",
        "SessionKey",
        "SetKeyHashValue",  # hash of a bucket key
    }
)
NOT_SECRET_PARAMS: dict[str, str] = {
    "ProfileHash": "optimistic-concurrency hash",
    "RequireHash": "optimistic-concurrency hash",
    "CheckPolicyHash": "optimistic-concurrency hash",
    "Hash": "content address of a resource",
    "SetKeyHashFormat": "format code",
    "ChallengeID": "identifier of a challenge",
    "U2FChallengeID": "identifier of a challenge",
    "Credential": "assertion JSON (one-time)",
}
# Names that make a text field or parameter look secret; each hit must be reviewed above.
SECRET_LOOKING = re.compile(
    r"(?i)(pass|secret|token|totp|key|hash|cred|cert|sign|recovery|seed|auth|serial|challenge)"
)

# -- regular expressions for the Go source -----------------------------------------------------

CONST_LINE = re.compile(r"^const (?P<name>\w+) (?P<type>\w+) = (?P<value>.+)$")
STRUCT_OPEN = re.compile(r"^type (?P<name>\w+) struct \{$")
NAMED_TYPE = re.compile(r"^type (?P<name>\w+) (?P<type>[\w\[\]{}.*]+)$")
FUNC_OPEN = re.compile(r"^func (?:\((?P<recv>[^)]*)\) )?(?P<name>\w+)\(.*\{$")
CLIENT_METHOD = re.compile(
    r"^func \(c \*CometAPIClient\) (?P<name>\w+)\(ctx context\.Context(?P<params>(?:, [^()]*)?)\)"
    r" \((?P<ret>[^()]+), error\) \{$"
)
VAR_ASSERT = re.compile(r"^var _ error = \w+\{\} // interface assertion$")
FIELD_LINE = re.compile(r"^\t(?P<name>[A-Za-z_]\w*)\s+(?P<type>\S+)(?:\s+`(?P<tag>[^`]*)`)?$")
JSON_TAG = re.compile(r'^json:"(?P<name>[^",]*)(?P<opts>(?:,\w+)*)"$')
GO_IDENT = re.compile(r"^[A-Za-z_]\w*$")
STRING_LIT = re.compile(r'^"(?P<body>(?:[^"\\]|\\.)*)"$')
INT_LIT = re.compile(r"^-?(?:0|[1-9]\d*|0[xX][0-9a-fA-F]+)$")

VERSION = r"(?P<version>\d+\.(?:\d+|x+)\.(?:\d+|x+))"
# Markers in doc comments, matched on a few words only (no prose is kept).
SINCE = {
    kind: re.compile(rf"\b{kind} is available in Comet {VERSION} and later\b")
    for kind in ("field", "struct", "const", "API")
}
DEPRECATED = re.compile(r"\bDeprecated: .*?\bsince Comet version (?P<v>\S+)")
PARAM_SINCE = re.compile(rf"\(>= {VERSION}\)$")
DEVICE_SINCE = (
    re.compile(rf"\bunderstood by Comet Backup {VERSION} and newer\b"),
    re.compile(rf"\bdevice must be running Comet {VERSION} or later\b"),
)
AUTH_MARKERS = (
    ("admin", re.compile(r"\bmust supply administrator\b")),
    ("admin_optional", re.compile(r"\bunless the server is configured to allow unauthenticated\b")),
    ("user", re.compile(r"\bmust supply user\b")),
)

# Units stated by a comment; the first rule that matches wins.
UNIT_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bUnix timestamp\b|\bTimestamp \(Unix\)", re.IGNORECASE), "unix_seconds"),
    (re.compile(r"\bRFC ?3339\b"), "rfc3339"),
    (re.compile(r"^Bytes\b|\bnumber of bytes\b|\bin bytes\b"), "bytes"),
    (re.compile(r"\bnumber of seconds\b|\bin seconds\b"), "seconds"),
    (re.compile(r"\bnumber of minutes\b|\bin minutes\b"), "minutes"),
    (re.compile(r"\bnumber of hours\b|\bin hours\b|\bX hours\b"), "hours"),
    (re.compile(r"\bnumber of days\b|\bin days\b"), "days"),
)
UNIT_TYPES = {"rfc3339": "string"}  # every other unit is an integer

INT_TYPES = frozenset(
    {"int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64"}
)
SCALARS = {"string": "string", "bool": "bool", "float32": "float32", "float64": "float64"}


class GoSourceError(ValueError):
    """The Go source holds something the extractor does not understand."""


# -- reading the source ------------------------------------------------------------------------


def _git_show(git_dir: Path, name: str) -> str | None:
    done = subprocess.run(
        ["git", f"--git-dir={git_dir}", "show", f"HEAD:{name}"],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8")


def load_go_source(path: Path) -> tuple[str, str | None]:
    """Return the text of ``cometsdk.go`` and, when present, of ``cometsdk_easyjson.go``."""
    if path.is_file():
        easy = path.with_name(EASYJSON_FILE)
        return path.read_text(encoding="utf-8"), (
            easy.read_text(encoding="utf-8") if easy.is_file() else None
        )
    if (path / GO_FILE).is_file():
        easy = path / EASYJSON_FILE
        return (path / GO_FILE).read_text(encoding="utf-8"), (
            easy.read_text(encoding="utf-8") if easy.is_file() else None
        )
    if (path / "HEAD").is_file() and (path / "objects").is_dir():
        text = _git_show(path, GO_FILE)
        if text is None:
            raise GoSourceError(f"{path}: git show HEAD:{GO_FILE} failed")
        return text, _git_show(path, EASYJSON_FILE)
    raise GoSourceError(f"{path}: neither {GO_FILE}, a directory holding it, nor a git directory")


# -- small parsers -----------------------------------------------------------------------------


def _doc_facts(doc: list[str], kind: str) -> dict[str, Any]:
    text = " ".join(line.strip() for line in doc)
    since = SINCE[kind].search(text)
    deprecated = DEPRECATED.search(text)
    version = deprecated.group("v") if deprecated else None
    return {
        "since": since.group("version") if since else None,
        "deprecated": deprecated is not None,
        "deprecated_since": version if version and re.fullmatch(VERSION, version) else None,
    }


def _unit(text: str, spec_type: str) -> str | None:
    """The unit a comment states for a value of this type (a comment on a field of another type
    is about something else, e.g. a sibling field)."""
    for pattern, unit in UNIT_RULES:
        if pattern.search(text) and spec_type == UNIT_TYPES.get(unit, "int"):
            return unit
    return None


def _split_map(go_type: str, where: str) -> tuple[str, str]:
    depth = 0
    for i, ch in enumerate(go_type[3:], start=3):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return go_type[4:i], go_type[i + 1 :]
    raise GoSourceError(f"{where}: unbalanced map type {go_type!r}")


@dataclass
class _Types:
    """Go type names -> spec type names, in the 20.9.12 spec's spelling."""

    structs: set[str] = field(default_factory=set)
    named: dict[str, str] = field(default_factory=dict)

    def spec(self, go_type: str, where: str, depth: int = 0) -> str:
        if depth > 20:
            raise GoSourceError(f"{where}: named type cycle at {go_type!r}")
        if go_type.startswith("[]"):
            inner = go_type[2:]
            if inner == "byte":
                return "List<byte>"
            return f"List<{self.spec(inner, where, depth + 1)}>"
        if go_type.startswith("map["):
            key, value = _split_map(go_type, where)
            return (
                f"Dictionary<{self.spec(key, where, depth + 1)}, "
                f"{self.spec(value, where, depth + 1)}>"
            )
        if go_type == "interface{}":
            return "any"
        if go_type in INT_TYPES:
            return "int"
        if go_type in SCALARS:
            return SCALARS[go_type]
        if go_type in self.structs:
            return go_type
        if go_type in self.named:
            return self.spec(self.named[go_type], where, depth + 1)
        raise GoSourceError(f"{where}: unknown Go type {go_type!r}")


def _go_string(body: str, where: str) -> str:
    if re.search(r'\\[^"\\nt]', body):
        raise GoSourceError(f"{where}: unsupported escape in string literal")
    value = json.loads(f'"{body}"')
    assert isinstance(value, str)
    return value


def _looks_secret(name: str) -> bool:
    return bool(SECRET_LOOKING.search(name))


def _is_text(spec_type: str) -> bool:
    return spec_type == "string" or spec_type in ("List<byte>", "List<string>")


# -- declarations ------------------------------------------------------------------------------


@dataclass
class _Decl:
    kind: str  # const | struct | named | method | request
    name: str
    line_no: int
    doc: list[str]
    lines: list[str]


def _block(lines: list[str], start: int) -> int:
    """Index of the closing ``}`` (at column 0) of the block opened on line ``start``."""
    for i in range(start + 1, len(lines)):
        if lines[i] == "}":
            return i
    raise GoSourceError(f"line {start + 1}: block never closes")


def _declarations(text: str, seen: set[Any]) -> list[_Decl]:
    lines = text.splitlines()
    decls: list[_Decl] = []
    doc: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        where = f"line {i + 1}"
        if line.startswith("//"):
            doc.append(line[2:].removeprefix(" "))
            i += 1
            continue
        if not line.strip():
            doc = []
            i += 1
            continue
        if line.startswith("package "):
            pass
        elif line == "import (":
            while lines[i] != ")":
                i += 1
                if i == len(lines):
                    raise GoSourceError(f"{where}: import block never closes")
        elif found := CONST_LINE.match(line):
            decls.append(_Decl("const", found.group("name"), i + 1, doc, [line]))
        elif found := STRUCT_OPEN.match(line):
            end = _block(lines, i)
            name = found.group("name")
            if "easyjson:skip" in doc:
                if name not in SDK_TYPES:
                    raise GoSourceError(f"{where}: {name} is easyjson:skip but not reviewed")
                seen.add(("sdk", name))
            else:
                decls.append(_Decl("struct", name, i + 1, doc, lines[i + 1 : end]))
            i = end
        elif found := NAMED_TYPE.match(line):
            decls.append(_Decl("named", found.group("name"), i + 1, doc, [found.group("type")]))
        elif found := FUNC_OPEN.match(line):
            end = _block(lines, i)
            name = found.group("name")
            recv = found.group("recv") or ""
            if recv == "c *CometAPIClient" and name == "Request":
                decls.append(_Decl("request", name, i + 1, doc, lines[i : end + 1]))
            elif recv == "c *CometAPIClient":
                decls.append(_Decl("method", name, i + 1, doc, lines[i : end + 1]))
            elif name in SDK_FUNCS:
                seen.add(("sdk", name))
            else:
                raise GoSourceError(f"{where}: unreviewed function {name}")
            i = end
        elif VAR_ASSERT.match(line):
            pass
        else:
            raise GoSourceError(f"{where}: unrecognised declaration {line!r}")
        doc = []
        i += 1
    return decls


# -- structures --------------------------------------------------------------------------------


def _field_secret(struct: str, wire: str, spec_type: str, seen: set[Any]) -> bool:
    listed = wire in SECRET_NAMES or (struct, wire) in SECRET_FIELDS
    if listed and not _is_text(spec_type):
        raise GoSourceError(f"{struct}.{wire}: listed as secret but of type {spec_type}")
    if wire in SECRET_NAMES:
        seen.add(("name", wire))
        return True
    if (struct, wire) in SECRET_FIELDS:
        seen.add(("field", (struct, wire)))
        return True
    if _is_text(spec_type) and _looks_secret(wire):
        if wire not in NOT_SECRET_NAMES:
            seen.add(("unreviewed", f"field {struct}.{wire}"))
        seen.add(("not", wire))
    return False


def _parse_struct(decl: _Decl, types: _Types, seen: set[Any]) -> dict[str, Any]:
    fields: list[dict[str, Any]] = []
    comment: list[str] = []
    wires: set[str] = set()
    for offset, line in enumerate(decl.lines, start=1):
        where = f"line {decl.line_no + offset}: {decl.name}"
        stripped = line.strip()
        if not stripped:
            comment = []
            continue
        if stripped.startswith("//"):
            comment.append(stripped[2:].strip())
            continue
        if stripped == "easyjson.UnknownFieldsProxy":
            comment = []
            continue
        found = FIELD_LINE.match(line)
        if found is None:
            raise GoSourceError(f"{where}: unrecognised struct line {stripped!r}")
        go_name, go_type, tag = found.group("name"), found.group("type"), found.group("tag")
        if not go_name[0].isupper():
            raise GoSourceError(f"{where}: unexported field {go_name}")
        wire, omitempty = go_name, False
        if tag is not None:
            parsed = JSON_TAG.match(tag)
            if parsed is None:
                raise GoSourceError(f"{where}: unrecognised struct tag {tag!r}")
            options = [o for o in parsed.group("opts").split(",") if o]
            if any(o != "omitempty" for o in options):
                raise GoSourceError(f"{where}: unsupported json tag option in {tag!r}")
            omitempty = "omitempty" in options
            if parsed.group("name") == "-":
                comment = []
                continue
            wire = parsed.group("name") or go_name
        if wire in wires:
            raise GoSourceError(f"{where}: wire name {wire} appears twice")
        wires.add(wire)
        spec_type = types.spec(go_type, where)
        text = " ".join(comment)
        fields.append(
            {
                "name": wire,
                "go_name": go_name,
                "type": spec_type,
                "go_type": go_type,
                "omitempty": omitempty,
                **_doc_facts(comment, "field"),
                "unit": _unit(text, spec_type),
                "secret": _field_secret(decl.name, wire, spec_type, seen),
                "comment": "",
                "omitted_default": None,
            }
        )
        comment = []
    return {"name": decl.name, "extends": [], "fields": fields, **_doc_facts(decl.doc, "struct")}


# -- constants ---------------------------------------------------------------------------------


def _prefix_group(name: str) -> str:
    return name.split("_", 1)[0] if "_" in name else name


def _parse_constants(decls: list[_Decl], types: _Types, seen: set[Any]) -> list[dict[str, Any]]:
    raw: dict[str, tuple[str, str, _Decl]] = {}
    order: list[str] = []
    for decl in decls:
        found = CONST_LINE.match(decl.lines[0])
        assert found is not None
        if decl.name in SDK_CONSTANTS:
            seen.add(("sdk", decl.name))
            continue
        if decl.name in raw:
            raise GoSourceError(f"line {decl.line_no}: constant {decl.name} defined twice")
        raw[decl.name] = (found.group("type"), found.group("value").strip(), decl)
        order.append(decl.name)

    def basic(go_type: str, where: str) -> str:
        spec_type = types.spec(go_type, where)
        if spec_type not in ("int", "string"):
            raise GoSourceError(f"{where}: constant of type {spec_type} is not supported")
        return spec_type

    def resolve(name: str, where: str, depth: int = 0) -> int | str:
        if name not in raw:
            raise GoSourceError(f"{where}: reference to unknown constant {name}")
        if depth > 20:
            raise GoSourceError(f"{where}: constant reference cycle at {name}")
        go_type, value, _decl = raw[name]
        if STRING_LIT.match(value) or INT_LIT.match(value):
            return _literal(value, basic(go_type, where), where)
        if GO_IDENT.match(value):
            return resolve(value, where, depth + 1)
        raise GoSourceError(f"{where}: unsupported constant expression {value!r}")

    constants: list[dict[str, Any]] = []
    for name in order:
        go_type, value, decl = raw[name]
        where = f"line {decl.line_no}: {name}"
        spec_type = basic(go_type, where)
        alias_of = value if GO_IDENT.match(value) else ""
        resolved = resolve(name, where)
        if isinstance(resolved, int) != (spec_type == "int"):
            raise GoSourceError(f"{where}: value {resolved!r} does not fit type {go_type}")
        constants.append(
            {
                "name": name,
                "type": spec_type,
                "value": resolved,
                "go_type": go_type if go_type in types.named else "",
                "alias_of": alias_of,
                **_doc_facts(decl.doc, "const"),
                "comment": "",
            }
        )
    return constants


def _literal(value: str, spec_type: str, where: str) -> int | str:
    found = STRING_LIT.match(value)
    if found:
        if spec_type != "string":
            raise GoSourceError(f"{where}: string literal for a {spec_type} constant")
        return _go_string(found.group("body"), where)
    if spec_type != "int":
        raise GoSourceError(f"{where}: integer literal for a {spec_type} constant")
    return int(value, 0)


def group_constants(constants: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Group by Go type where the constant has one, else by name prefix; first-seen order."""
    groups: dict[str, list[dict[str, Any]]] = {}
    origin: dict[str, str] = {}
    for c in constants:
        key, how = (c["go_type"], "type") if c["go_type"] else (_prefix_group(c["name"]), "prefix")
        if origin.setdefault(key, how) != how:
            raise GoSourceError(f"constant group {key} is both a Go type and a name prefix")
        groups.setdefault(key, []).append(c)
    return [{"name": name, "constants": members} for name, members in groups.items()]


# -- methods -----------------------------------------------------------------------------------


@dataclass
class _Param:
    go_name: str
    go_type: str
    pointer: bool
    wire: str | None = None
    as_json: bool = False
    guarded: bool = False
    fallback_key: str | None = None
    doc: list[str] = field(default_factory=list)


def _auth_params(decl: _Decl) -> tuple[list[str], list[str]]:
    body = "\n".join(decl.lines)
    form = list(dict.fromkeys(re.findall(r'\bbody\.Set\("([\w-]+)"', body)))
    header = list(dict.fromkeys(re.findall(r'\breq\.Header\.Add\("(X-Comet-[\w-]+)"', body)))
    if not form or not header:
        raise GoSourceError(f"line {decl.line_no}: cannot read the credentials Request sends")
    return form, header


def _param_docs(decl: _Decl, params: list[_Param]) -> None:
    where = f"line {decl.line_no}: {decl.name}"
    if "- Params" not in decl.doc:
        if params:
            raise GoSourceError(f"{where}: parameters without a '- Params' doc section")
        return
    section = decl.doc[decl.doc.index("- Params") + 1 :]
    expected = iter(params)
    current: _Param | None = None
    upcoming = next(expected, None)
    for line in section:
        if upcoming is not None and line.startswith(f"{upcoming.go_name}: "):
            current, upcoming = upcoming, next(expected, None)
            current.doc.append(line[len(current.go_name) + 2 :])
        elif current is not None:
            current.doc.append(line)
        elif line.strip():
            raise GoSourceError(f"{where}: unexpected doc line {line!r}")
    if upcoming is not None:
        raise GoSourceError(f"{where}: no doc entry for parameter {upcoming.go_name}")


def _split_params(text: str, where: str) -> list[_Param]:
    params: list[_Param] = []
    for part in [p.strip() for p in text.split(", ") if p.strip()]:
        pieces = part.split(" ")
        if len(pieces) != 2 or not GO_IDENT.match(pieces[0]):
            raise GoSourceError(f"{where}: unrecognised parameter {part!r}")
        name, go_type = pieces
        pointer = go_type.startswith("*")
        params.append(_Param(name, go_type.removeprefix("*"), pointer))
    return params


STMT_ASSIGN = re.compile(r'^data\["(?P<key>[^"]+)"\] = \[\]string\{(?P<value>[^{}]+)\}$')
STMT_MARSHAL = re.compile(r"^b, err = json\.Marshal\((?P<name>\w+)\)$")
STMT_IF_SET = re.compile(r"^if (?P<name>\w+) != nil \{$")
STMT_IF_NIL = re.compile(r"^if (?P<name>\w+) == nil \{$")
STMT_REQUEST = re.compile(
    r'^body, err := c\.Request\(ctx, "(?P<ctype>[^"]+)", "(?P<verb>[A-Z]+)", "(?P<path>[^"]+)",'
    r" (?P<data>data|nil)\)$"
)
STMT_RESULT = re.compile(r"^result := (?P<ptr>&?)(?P<type>\S+)\{\}$")
STMT_PLAIN = frozenset(
    {
        "data := map[string][]string{}",
        "var b []byte",
        "var err error",
        "return nil, err",
        "err = json.Unmarshal(body, &result)",
        "c.SessionKey = result.SessionKey",
    }
)


@dataclass
class _Body:
    content_type: str = ""
    verb: str = ""
    path: str = ""
    result: str | None = None
    returns_body: bool = False
    returns_result: bool = False


def _parse_body(decl: _Decl, params: list[_Param]) -> _Body:
    by_name = {p.go_name: p for p in params}
    out = _Body()
    stack: list[tuple[str, str]] = []
    marshalled: str | None = None
    for offset, line in enumerate(decl.lines[1:-1], start=1):
        where = f"line {decl.line_no + offset}: {decl.name}"
        stmt = line.strip()
        guard = next((name for kind, name in reversed(stack) if kind in ("set", "else")), None)
        if not stmt or stmt.startswith("//") or stmt in STMT_PLAIN:
            continue
        if stmt == "if err != nil {":
            stack.append(("err", ""))
        elif stmt == "if c.ReuseSessionKey {":
            stack.append(("reuse", ""))
        elif found := STMT_IF_SET.match(stmt):
            stack.append(("set", _known(by_name, found.group("name"), where).go_name))
        elif found := STMT_IF_NIL.match(stmt):
            stack.append(("nil", _known(by_name, found.group("name"), where).go_name))
        elif stmt == "} else {":
            if not stack or stack[-1][0] != "nil":
                raise GoSourceError(f"{where}: else without a nil check")
            stack[-1] = ("else", stack[-1][1])
        elif stmt == "}":
            if not stack:
                raise GoSourceError(f"{where}: unbalanced brace")
            stack.pop()
        elif found := STMT_MARSHAL.match(stmt):
            marshalled = _known(by_name, found.group("name"), where).go_name
        elif found := STMT_ASSIGN.match(stmt):
            marshalled = _assign(found, by_name, stack, guard, marshalled, where)
        elif found := STMT_REQUEST.match(stmt):
            out.content_type, out.verb = found.group("ctype"), found.group("verb")
            out.path = found.group("path")
            if (found.group("data") == "data") != bool(params):
                raise GoSourceError(f"{where}: request data does not match the parameters")
        elif found := STMT_RESULT.match(stmt):
            out.result = found.group("ptr") + found.group("type")
        elif stmt == "return result, nil":
            out.returns_result = True
        elif stmt == "return body, nil":
            out.returns_body = True
        else:
            raise GoSourceError(f"{where}: unrecognised statement {stmt!r}")
    if stack:
        raise GoSourceError(f"line {decl.line_no}: {decl.name}: unclosed block")
    if not out.path:
        raise GoSourceError(f"line {decl.line_no}: {decl.name}: no request")
    for p in params:
        if p.wire is None:
            raise GoSourceError(f"line {decl.line_no}: parameter {p.go_name} is never sent")
    return out


def _known(by_name: dict[str, _Param], name: str, where: str) -> _Param:
    if name not in by_name:
        raise GoSourceError(f"{where}: {name} is not a parameter")
    return by_name[name]


def _assign(
    found: re.Match[str],
    by_name: dict[str, _Param],
    stack: list[tuple[str, str]],
    guard: str | None,
    marshalled: str | None,
    where: str,
) -> str | None:
    key, value = found.group("key"), found.group("value")
    if value == "c.ServerURL":  # the Go client's own fallback for a nil parameter
        if not stack or stack[-1][0] != "nil":
            raise GoSourceError(f"{where}: ServerURL fallback outside a nil check")
        by_name[stack[-1][1]].fallback_key = key
        return marshalled
    if value == "string(b)":
        if marshalled is None:
            raise GoSourceError(f"{where}: string(b) without json.Marshal")
        param, as_json = by_name[marshalled], True
        marshalled = None
    else:
        param = _known(by_name, value.removeprefix("*"), where)
        as_json = False
        if value.startswith("*") != param.pointer:
            raise GoSourceError(f"{where}: pointer use of {param.go_name} does not match")
        if param.go_type != "string":
            raise GoSourceError(f"{where}: non-string {param.go_name} sent without json")
    if param.wire is not None:
        raise GoSourceError(f"{where}: {param.go_name} is sent twice")
    if guard is not None and guard != param.go_name:
        raise GoSourceError(f"{where}: {param.go_name} sent under the guard of {guard}")
    if param.pointer and guard is None:
        raise GoSourceError(f"{where}: pointer {param.go_name} sent without a nil check")
    if param.fallback_key not in (None, key):
        raise GoSourceError(f"{where}: {param.go_name} falls back under another key")
    param.wire, param.as_json, param.guarded = key, as_json, guard is not None
    return marshalled


def _returns(decl: _Decl, ret: str, body: _Body, types: _Types) -> dict[str, Any]:
    where = f"line {decl.line_no}: {decl.name}"
    if ret == "[]byte":
        if not body.returns_body or body.result is not None:
            raise GoSourceError(f"{where}: []byte return without the raw body")
        if decl.name in TEXT_BODY_METHODS:
            return {"kind": "text", "content_type": "text/plain"}
        return {"kind": "binary", "content_type": "application/octet-stream"}
    expected = "&" + ret[1:] if ret.startswith("*") else ret
    if not body.returns_result or body.result != expected:
        raise GoSourceError(f"{where}: result {body.result!r} does not match return {ret!r}")
    spec_type = types.spec(ret.removeprefix("*"), where)
    if spec_type == "CometAPIResponseMessage":
        return {"kind": "message", "type": spec_type}
    return {"kind": "json", "type": spec_type}


def _auth(decl: _Decl, path: str, text: str) -> str:
    where = f"line {decl.line_no}: {decl.name}"
    phrases = [kind for kind, marker in AUTH_MARKERS if marker.search(text)]
    if len(phrases) > 1:
        raise GoSourceError(f"{where}: more than one credential statement")
    if path.startswith("/api/v1/hybrid/"):
        if phrases:
            raise GoSourceError(f"{where}: hybrid path with a credential statement")
        return "hybrid"
    if not phrases:
        if decl.name not in PUBLIC_METHODS:
            raise GoSourceError(f"{where}: no credential statement; review into PUBLIC_METHODS")
        return "public"
    if decl.name in PUBLIC_METHODS:
        raise GoSourceError(f"{where}: listed in PUBLIC_METHODS but names credentials")
    auth = phrases[0]
    prefix = "/api/v1/user/" if auth == "user" else "/api/v1/admin/"
    if not path.startswith(prefix):
        raise GoSourceError(f"{where}: {auth} credentials on path {path}")
    return auth


def _param_secret(p: _Param, spec_type: str, seen: set[Any], where: str) -> bool:
    wire = p.wire or p.go_name
    if wire in SECRET_PARAMS:
        seen.add(("param", wire))
        return True
    if _is_text(spec_type) and _looks_secret(wire):
        if wire not in NOT_SECRET_PARAMS:
            seen.add(("unreviewed", f"parameter {where}.{wire}"))
        seen.add(("not-param", wire))
    return False


def _parse_method(
    decl: _Decl,
    types: _Types,
    auth_params: dict[str, list[str]],
    seen: set[Any],
) -> dict[str, Any]:
    where = f"line {decl.line_no}: {decl.name}"
    sig = CLIENT_METHOD.match(decl.lines[0])
    if sig is None:
        raise GoSourceError(f"{where}: unrecognised client method signature")
    if not decl.doc or not decl.doc[0].startswith(f"{decl.name}:"):
        raise GoSourceError(f"{where}: doc comment does not open with the method name")
    params = _split_params(sig.group("params").removeprefix(","), where)
    _param_docs(decl, params)
    body = _parse_body(decl, params)
    text = " ".join(line.strip() for line in decl.doc)
    out_params: list[dict[str, Any]] = []
    for p in params:
        doc = " ".join(line.strip() for line in p.doc)
        nilable = p.pointer or p.go_type.startswith(("[]", "map["))
        if doc.startswith("(Optional)") != p.guarded or (p.pointer and not p.guarded):
            raise GoSourceError(f"{where}: optionality of {p.go_name} is inconsistent")
        if p.guarded and not nilable:
            raise GoSourceError(f"{where}: nil check on non-nilable {p.go_name}")
        if p.wire != p.go_name:
            raise GoSourceError(f"{where}: {p.go_name} is sent as {p.wire}")
        spec_type = types.spec(p.go_type, where)
        since = PARAM_SINCE.search(doc)
        out_params.append(
            {
                "name": p.wire,
                "type": spec_type,
                "go_type": ("*" if p.pointer else "") + p.go_type,
                "optional": p.guarded,
                "json": p.as_json,
                "since": since.group("version") if since else None,
                "unit": _unit(doc, spec_type),
                "secret": _param_secret(p, spec_type, seen, where),
                "description": "",
            }
        )
    if body.content_type not in (FORM, MULTIPART):
        raise GoSourceError(f"{where}: unsupported content type {body.content_type}")
    returns = _returns(decl, sig.group("ret"), body, types)
    auth = _auth(decl, body.path, text)
    device = [m.group("version") for marker in DEVICE_SINCE for m in marker.finditer(text)]
    if len(set(device)) > 1:
        raise GoSourceError(f"{where}: conflicting device versions {device}")
    since = SINCE["API"].search(text)
    safe = bool(SAFE_NAME.search(decl.name)) and returns["kind"] != "message"
    if decl.name in SAFE_OVERRIDES:
        seen.add(("safe", decl.name))
        if SAFE_OVERRIDES[decl.name] == safe:
            raise GoSourceError(f"{where}: SAFE_OVERRIDES entry agrees with the naming rule")
        safe = SAFE_OVERRIDES[decl.name]
    header = body.content_type == MULTIPART
    return {
        "name": decl.name,
        "path": body.path,
        "http_method": body.verb,
        "params": out_params,
        "returns": returns,
        "auth": auth,
        "auth_params": [] if auth == "public" else auth_params["header" if header else "form"],
        "header_auth": header,
        "encoding": body.content_type,
        "safe": safe,
        "since": since.group("version") if since else None,
        "device_since": device[0] if device else None,
        "aliases": [],
        "summary": "",
        "description": "",
    }


# -- easyjson cross-check ----------------------------------------------------------------------

ENCODER_OPEN = re.compile(
    r"^func easyjson\w+Encode\w*\(out \*jwriter\.Writer, in (?P<type>\w+)\) \{$"
)
ENCODER_FIELD = re.compile(r'^\t\tconst prefix string = ",\\"(?P<wire>[^"\\]+)\\":"$')


def easyjson_fields(text: str) -> dict[str, list[tuple[str, bool]]]:
    """Type name -> [(wire name, written only when non-empty)] from the generated encoders."""
    lines = text.splitlines()
    out: dict[str, list[tuple[str, bool]]] = {}
    i = 0
    while i < len(lines):
        found = ENCODER_OPEN.match(lines[i])
        if not found:
            i += 1
            continue
        end = _block(lines, i)
        entries: list[tuple[str, bool]] = []
        for j in range(i + 1, end):
            field_match = ENCODER_FIELD.match(lines[j])
            if field_match is None:
                continue
            opener = lines[j - 1]
            if opener == "\t{":
                entries.append((field_match.group("wire"), False))
            elif opener.startswith("\tif ") and opener.endswith(" {"):
                entries.append((field_match.group("wire"), True))
            else:
                raise GoSourceError(f"easyjson line {j}: unrecognised field opener {opener!r}")
        if found.group("type") in out:
            raise GoSourceError(f"easyjson: two encoders for {found.group('type')}")
        out[found.group("type")] = entries
        i = end + 1
    return out


def check_easyjson(structures: list[dict[str, Any]], text: str) -> None:
    encoders = easyjson_fields(text)
    for s in structures:
        want = [(f["name"], f["omitempty"]) for f in s["fields"]]
        if encoders.get(s["name"]) != want:
            raise GoSourceError(f"{s['name']}: fields disagree with the easyjson encoder")


# -- the spec ----------------------------------------------------------------------------------


def _stale(seen: set[Any]) -> list[str]:
    expected: list[tuple[str, Iterable[Any]]] = [
        ("SECRET_NAMES", (("name", n) for n in SECRET_NAMES)),
        ("SECRET_FIELDS", (("field", pair) for pair in SECRET_FIELDS)),
        ("NOT_SECRET_NAMES", (("not", n) for n in NOT_SECRET_NAMES)),
        ("SECRET_PARAMS", (("param", n) for n in SECRET_PARAMS)),
        ("NOT_SECRET_PARAMS", (("not-param", n) for n in NOT_SECRET_PARAMS)),
        ("SAFE_OVERRIDES", (("safe", n) for n in SAFE_OVERRIDES)),
        ("SDK_TYPES", (("sdk", n) for n in SDK_TYPES)),
        ("SDK_FUNCS", (("sdk", n) for n in SDK_FUNCS)),
        ("SDK_CONSTANTS", (("sdk", n) for n in SDK_CONSTANTS)),
    ]
    return [
        f"{label}: {entry[1]}"
        for label, entries in expected
        for entry in entries
        if entry not in seen
    ]


def build_spec(
    go_text: str, easyjson_text: str | None = None, *, check_lists: bool = True
) -> dict[str, Any]:
    """Build the spec from the text of ``cometsdk.go``.

    ``check_lists`` also fails when a reviewed list names something the source lacks (turn it
    off for fragments of the source).
    """
    seen: set[Any] = set()  # reviewed-list entries that matched, and unreviewed look-alikes
    decls = _declarations(go_text, seen)
    types = _Types()
    types.structs = {d.name for d in decls if d.kind == "struct"}
    for d in decls:
        if d.kind == "named":
            if d.name in types.named or d.name in types.structs:
                raise GoSourceError(f"line {d.line_no}: type {d.name} defined twice")
            types.named[d.name] = d.lines[0]
    structures = [_parse_struct(d, types, seen) for d in decls if d.kind == "struct"]
    constants = _parse_constants([d for d in decls if d.kind == "const"], types, seen)
    requests = [d for d in decls if d.kind == "request"]
    if len(requests) != 1:
        raise GoSourceError("expected exactly one CometAPIClient.Request function")
    form, header = _auth_params(requests[0])
    auth_params = {"form": form, "header": header}
    methods = [_parse_method(d, types, auth_params, seen) for d in decls if d.kind == "method"]
    unreviewed = sorted(entry for kind, entry in seen if kind == "unreviewed")
    if unreviewed:
        raise GoSourceError(
            "these names look secret; review each into the SECRET_* or NOT_SECRET_* lists: "
            + ", ".join(unreviewed)
        )
    names = [m["name"] for m in methods]
    if len(set(names)) != len(names):
        raise GoSourceError("a client method is defined twice")
    method_names = set(names)
    for label, listed in (
        ("PUBLIC_METHODS", PUBLIC_METHODS),
        ("TEXT_BODY_METHODS", TEXT_BODY_METHODS),
    ):
        if check_lists and listed - method_names:
            raise GoSourceError(f"{label} entries not found: {sorted(listed - method_names)}")
    if check_lists and (stale := _stale(seen)):
        raise GoSourceError("reviewed list entries not found: " + "; ".join(stale))
    if easyjson_text is not None:
        check_easyjson(structures, easyjson_text)
    version = next((c["value"] for c in constants if c["name"] == "APPLICATION_VERSION"), None)
    if not isinstance(version, str):
        raise GoSourceError("no APPLICATION_VERSION string constant")
    groups = group_constants(constants)
    referenced: set[str] = set()
    for m in methods:
        referenced.update(re.findall(r"[A-Z]\w+", m["returns"].get("type", "")))
        for p in m["params"]:
            referenced.update(re.findall(r"[A-Z]\w+", p["type"]))
    for s in structures:
        for f in s["fields"]:
            referenced.update(re.findall(r"[A-Z]\w+", f["type"]))
    undefined = sorted(referenced - types.structs - {"List", "Dictionary"})
    return {
        "api": API_NAME,
        "version": version,
        "counts": {
            "methods": len(methods),
            "constant_groups": len(groups),
            "constants": len(constants),
            "structures": len(structures),
        },
        "undefined_structures": undefined,
        "methods": methods,
        "constant_groups": groups,
        "structures": structures,
        "named_types": {name: types.spec(name, f"type {name}") for name in sorted(types.named)},
    }


def render(spec: dict[str, Any]) -> str:
    return json.dumps(spec, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def summary(spec: dict[str, Any]) -> str:
    counts = spec["counts"]
    by_auth = Counter(m["auth"] for m in spec["methods"])
    secrets = sum(f["secret"] for s in spec["structures"] for f in s["fields"])
    secret_params = sum(p["secret"] for m in spec["methods"] for p in m["params"])
    return (
        f"Comet {spec['version']}: {counts['methods']} methods "
        f"({', '.join(f'{k} {v}' for k, v in sorted(by_auth.items()))}), "
        f"{counts['structures']} structures, {counts['constant_groups']} constant groups "
        f"({counts['constants']} constants), {len(spec['named_types'])} named types; "
        f"secret fields {secrets}, secret parameters {secret_params}; "
        f"undefined: {', '.join(spec['undefined_structures']) or 'none'}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.comet_go_spec", description=__doc__)
    parser.add_argument("--go-source", type=Path, required=True)
    parser.add_argument("--output", type=Path, default=None)
    parser.add_argument("--check", action="store_true", help="exit 1 if the output would change")
    args = parser.parse_args(argv)
    go_text, easyjson_text = load_go_source(args.go_source)
    spec = build_spec(go_text, easyjson_text)
    output: Path = args.output or SPEC_DIR / f"comet_api_{spec['version']}.json"
    text = render(spec)
    if args.check:
        current = output.read_text(encoding="utf-8") if output.exists() else None
        print(f"{output}: {'up to date' if current == text else 'would change'}")
        print(summary(spec))
        return 0 if current == text else 1
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(f"{output}: written")
    print(summary(spec))
    if easyjson_text is None:
        print("note: no cometsdk_easyjson.go beside the source; wire names were not cross-checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
