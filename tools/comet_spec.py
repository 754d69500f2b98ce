"""Derive a machine-readable spec of the Comet Server admin API from its reference text.

    python -m tools.comet_spec [REFERENCE] [OUTPUT]

Defaults: the reference at ``../shared/seeds/003_75b93ec58c282d02.txt`` and the spec at
``comet_sdk/spec/comet_api_20.9.12.json``. The output is deterministic (sorted keys, stable
order), so a re-run that changes nothing leaves the file identical.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = ROOT.parent / "shared" / "seeds" / "003_75b93ec58c282d02.txt"
DEFAULT_OUTPUT = ROOT / "comet_sdk" / "spec" / "comet_api_20.9.12.json"

AUTH_PARAMS = frozenset(
    {"Username", "AuthType", "Password", "SessionKey", "TOTP", "U2FSign", "LKey"}
)
HEADING = re.compile(r"^(?P<name>[A-Za-z0-9_]+)(?:: (?P<summary>.*?))? ¶$")
PARAM_NAME = re.compile(r"^(?P<header>Header )?(?P<name>[A-Za-z0-9_-]+) \|$")
PARAM_TYPE = re.compile(r"^(?P<type>.+?) \| (?P<desc>.*?) ?\|$")
CONST_VALUE = re.compile(r"^(?P<type>int|string) \| (?P<value>.*?) \|$")
CLASS_OPEN = re.compile(r"^class (?P<name>\w+)(?: extends (?P<bases>[\w, ]+))? \{$")
FIELD = re.compile(r"^(?P<type>.+?) (?P<name>[A-Za-z0-9_]+)(?: // (?P<comment>.*))?$")
SINCE = re.compile(r"\(>= (?P<version>[\d.]+)\)")

# Methods that only read state: safe to retry after a read timeout or a 5xx.
SAFE_NAME = re.compile(
    r"(Get|List|Count|Read|Browse|Properties$|Version$|Stats$|Status$|FreeSpace$|News$|"
    r"AvailablePlatforms$|ReplicationState$|CheckReport|BucketProperties$)"
)


def _split_sections(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    methods_at = lines.index("API Methods ¶")
    constants_at = lines.index("Constant values ¶")
    structures_at = lines.index("Data structures ¶")
    return (
        lines[methods_at + 1 : constants_at],
        lines[constants_at + 1 : structures_at],
        lines[structures_at + 1 :],
    )


def _blocks(lines: list[str]) -> list[tuple[str, str | None, list[str]]]:
    """Split a section into (heading name, summary, body lines)."""
    blocks: list[tuple[str, str | None, list[str]]] = []
    for line in lines:
        found = HEADING.match(line)
        if found:
            blocks.append((found.group("name"), found.group("summary"), []))
        elif blocks:
            blocks[-1][2].append(line)
    return blocks


def _param_type(raw: str) -> tuple[str, bool]:
    raw = raw.strip()
    if raw.endswith(" (JSON)"):
        return raw[: -len(" (JSON)")].strip(), True
    return raw, False


def parse_method(name: str, summary: str | None, body: list[str]) -> dict[str, Any]:
    description: list[str] = []
    path = None
    since = None
    returns: dict[str, Any] = {}
    params: list[dict[str, Any]] = []
    auth_params: list[str] = []
    aliases: list[dict[str, str]] = []
    encoding = "application/x-www-form-urlencoded"
    i = 0
    while i < len(body):
        line = body[i]
        if line == "- Encoding:":
            encoding = body[i + 1].strip()
            i += 2
            continue
        if line == "- Endpoint:":
            path = body[i + 1].split(" ", 1)[1].strip()
            i += 2
            continue
        if "Return type:" in line:
            found = SINCE.search(line)
            since = found.group("version") if found else None
            text = line.split("Return type:", 1)[1].strip()
            if text == "Body in":
                returns = {
                    "kind": "text" if "text/" in body[i + 1] else "binary",
                    "content_type": body[i + 1].strip().split(",")[0].strip(),
                }
                i += 2
                continue
            type_text = text.split(" (JSON)")[0].strip()
            if type_text == "CometAPIResponseMessage":
                returns = {"kind": "message", "type": "CometAPIResponseMessage"}
            else:
                returns = {"kind": "json", "type": type_text}
            i += 1
            continue
        if line.startswith("Parameter | Type"):
            i += 2
            while i + 1 < len(body) and PARAM_NAME.match(body[i]):
                pmatch = PARAM_NAME.match(body[i])
                assert pmatch is not None
                pname = pmatch.group("name")
                if pmatch.group("header"):  # multipart: credentials travel in headers
                    auth_params.append(pname)
                    i += 2
                    continue
                typed = PARAM_TYPE.match(body[i + 1])
                if typed is None:
                    raise ValueError(f"{name}: cannot read the type of parameter {pname}")
                ptype, as_json = _param_type(typed.group("type"))
                desc = typed.group("desc").strip()
                optional = desc.endswith("(Optional)")
                if optional:
                    desc = desc[: -len("(Optional)")].strip()
                if pname in AUTH_PARAMS:
                    auth_params.append(pname)
                else:
                    params.append(
                        {
                            "name": pname,
                            "type": ptype,
                            "json": as_json,
                            "optional": optional,
                            "description": desc,
                        }
                    )
                i += 2
            continue
        if line.startswith("POST /api/") and path is not None:
            alias_name = None
            if i + 1 < len(body) and body[i + 1].startswith('("'):
                alias_name = body[i + 1].strip()[2:-2]
                i += 1
            aliases.append({"path": line.split(" ", 1)[1].strip(), "name": alias_name or ""})
            i += 1
            continue
        if path is None:
            description.append(line.strip())
        i += 1
    if path is None or not returns:
        raise ValueError(f"{name}: no endpoint or return type")
    text = " ".join(description)
    if path.startswith("/api/v1/hybrid/"):
        auth = "hybrid"
    elif path.startswith("/api/v1/user/"):
        auth = "user"
    elif "unless the server is configured to allow unauthenticated" in text:
        auth = "admin_optional"
    else:
        auth = "admin"
    return {
        "name": name,
        "summary": (summary or "").strip(),
        "description": " ".join(d for d in description if d),
        "path": path,
        "since": since,
        "returns": returns,
        "params": params,
        "auth": auth,
        "auth_params": auth_params,
        "encoding": encoding,
        "safe": bool(SAFE_NAME.search(name)) and returns.get("kind") != "message",
        "header_auth": any(p.startswith("X-Comet-") for p in auth_params),
        "aliases": aliases,
    }


def parse_constants(name: str, body: list[str]) -> dict[str, Any]:
    constants: list[dict[str, Any]] = []
    i = 0
    rows = [b for b in body if not b.startswith(("Name | Type", "---|"))]
    while i < len(rows):
        found = PARAM_NAME.match(rows[i])
        if found is None:
            i += 1
            continue
        typed = CONST_VALUE.match(rows[i + 1]) if i + 1 < len(rows) else None
        if typed is None:
            raise ValueError(f"constant {found.group('name')}: no type/value row")
        comment = ""
        step = 2
        next_is_constant = (
            i + 3 < len(rows) and PARAM_NAME.match(rows[i + 2]) and CONST_VALUE.match(rows[i + 3])
        )
        if i + 2 < len(rows) and not next_is_constant:
            comment = rows[i + 2].rstrip("|").strip()
            step = 3
        raw = typed.group("value").strip()
        alias_of = ""
        value: int | str
        if re.fullmatch(r"[A-Z][A-Z0-9_]+", raw):  # the value names another constant
            alias_of = raw
            value = next(c["value"] for c in constants if c["name"] == raw)
        else:
            value = int(raw) if typed.group("type") == "int" else json.loads(raw)
        kind, _, note = comment.partition(":")
        constants.append(
            {
                "alias_of": alias_of,
                "name": found.group("name"),
                "type": typed.group("type"),
                "value": value,
                "go_type": kind.strip() if kind.strip() and " " not in kind.strip() else "",
                "comment": note.strip() if kind.strip() and " " not in kind.strip() else comment,
            }
        )
        i += step
    return {"name": name, "constants": constants}


DEFAULT_TEXT = re.compile(r"Omission from JSON document implies (?P<what>.+)$")


def _default_of(comment: str | None) -> str | None:
    if not comment:
        return None
    found = DEFAULT_TEXT.search(comment)
    return found.group("what").strip() if found else None


def parse_structure(name: str, body: list[str]) -> dict[str, Any]:
    header = CLASS_OPEN.match(body[0]) if body else None
    if header is None or header.group("name") != name:
        raise ValueError(f"structure {name}: no class header")
    bases = [b.strip() for b in (header.group("bases") or "").split(",") if b.strip()]
    fields: list[dict[str, Any]] = []
    for line in body[1:]:
        if line.strip() == "}":
            break
        found = FIELD.match(line.strip())
        if found is None:
            raise ValueError(f"structure {name}: cannot read field line {line!r}")
        comment = found.group("comment")
        fields.append(
            {
                "name": found.group("name"),
                "type": found.group("type").strip(),
                "comment": (comment or "").strip(),
                "omitted_default": _default_of(comment),
            }
        )
    return {"name": name, "extends": bases, "fields": fields}


def build_spec(text: str) -> dict[str, Any]:
    lines = [line.rstrip() for line in text.splitlines()]
    method_lines, constant_lines, structure_lines = _split_sections(lines)
    methods = [parse_method(n, s, b) for n, s, b in _blocks(method_lines)]
    groups = [parse_constants(n, b) for n, _s, b in _blocks(constant_lines)]
    structures = [parse_structure(n, b) for n, _s, b in _blocks(structure_lines)]
    version = next(
        c["value"] for g in groups for c in g["constants"] if c["name"] == "APPLICATION_VERSION"
    )
    defined = {s["name"] for s in structures}
    referenced: set[str] = set()
    for method in methods:
        referenced.update(re.findall(r"[A-Z]\w+", method["returns"].get("type", "")))
        for p in method["params"]:
            referenced.update(re.findall(r"[A-Z]\w+", p["type"]))
    for s in structures:
        for f in s["fields"]:
            referenced.update(re.findall(r"[A-Z]\w+", f["type"]))
    builtin = {"List", "Dictionary"}
    undefined = sorted(referenced - defined - builtin)
    return {
        "api": "Comet Server admin API",
        "version": version,
        "counts": {
            "methods": len(methods),
            "constant_groups": len(groups),
            "constants": sum(len(g["constants"]) for g in groups),
            "structures": len(structures),
        },
        "undefined_structures": undefined,
        "methods": methods,
        "constant_groups": groups,
        "structures": structures,
    }


def render(spec: dict[str, Any]) -> str:
    return json.dumps(spec, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    reference = Path(args[0]) if args else DEFAULT_REFERENCE
    output = Path(args[1]) if len(args) > 1 else DEFAULT_OUTPUT
    spec = build_spec(reference.read_text(encoding="utf-8"))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(spec), encoding="utf-8")
    counts = spec["counts"]
    print(
        f"{output}: {counts['methods']} methods, {counts['constant_groups']} constant groups "
        f"({counts['constants']} constants), {counts['structures']} structures; "
        f"undefined: {', '.join(spec['undefined_structures']) or 'none'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
