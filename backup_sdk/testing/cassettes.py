"""vcrpy configuration shared by the vendor test suites (needs the ``dev`` extra).

* Secrets are scrubbed from requests *and* responses before anything is written, using
  :mod:`backup_sdk.redaction` (so the same key list governs logs, reprs and cassettes).
* The scrubbing is deterministic and also applied to live requests during replay, so a
  rotating Cove visa or a fresh token still matches the recorded request.
* Bodies are part of the match (JSON-RPC posts everything to one URL); the JSON-RPC ``id``
  is ignored; host and port are not matched (simulators listen on random ports).
* Record mode comes from ``BACKUP_SDK_RECORD``: unset means ``none`` (replay only, CI);
  ``BACKUP_SDK_RECORD=all`` re-records every cassette a test run touches.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from backup_sdk.errors import MissingDependencyError
from backup_sdk.redaction import (
    REDACTED,
    is_secret_key,
    redact_form,
    redact_json,
    redact_text,
    redact_url,
)

__all__ = [
    "DEFAULT_MATCH_ON",
    "RECORD_ENV",
    "assert_cassette_clean",
    "record_mode",
    "scrub_request",
    "scrub_response",
    "use_cassette",
]

RECORD_ENV = "BACKUP_SDK_RECORD"
DEFAULT_MATCH_ON: tuple[str, ...] = ("method", "path", "query", "scrubbed_body")

_DROP_REQUEST_HEADERS = frozenset({"user-agent", "content-length", "accept-encoding", "connection"})
_DROP_RESPONSE_HEADERS = frozenset(
    {"date", "server", "content-length", "set-cookie", "connection", "keep-alive"}
)
# JSON-RPC request ids differ between runs and say nothing about the call.
_IGNORED_BODY_KEYS = frozenset({"id"})


def record_mode() -> str:
    """The vcrpy record mode chosen by ``BACKUP_SDK_RECORD`` (default ``none``)."""
    value = os.environ.get(RECORD_ENV, "").strip().lower()
    if value in ("", "0", "none", "false", "no"):
        return "none"
    if value in ("1", "true", "yes", "all", "rewrite"):
        return "all"
    if value in ("once", "new_episodes"):
        return value
    raise ValueError(f"{RECORD_ENV} must be one of: none, all, once, new_episodes (got {value!r})")


def _content_type(headers: Any) -> str:
    for key, value in dict(headers or {}).items():
        if str(key).lower() == "content-type":
            if isinstance(value, list):
                value = value[0] if value else ""
            return str(value).lower()
    return ""


def _scrub_text_body(raw: bytes | str, ctype: str, *, drop_ids: bool) -> bytes | str | None:
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    stripped = text.lstrip()
    if "json" in ctype or stripped.startswith(("{", "[")):
        try:
            data = json.loads(text)
        except ValueError:
            return redact_text(text)
        if drop_ids and isinstance(data, dict):
            data = {k: v for k, v in data.items() if k not in _IGNORED_BODY_KEYS}
        return json.dumps(redact_json(data), separators=(",", ":"))
    if "x-www-form-urlencoded" in ctype or (
        not ctype and "=" in text and " " not in text and "\n" not in text
    ):
        return redact_form(text)
    if ctype.startswith("text/") or not ctype:
        return redact_text(text)
    return None


def scrub_request(request: Any) -> Any:
    """vcrpy ``before_record_request``: scrub URL, headers and body of a request."""
    request.uri = redact_url(request.uri)
    for name in list(request.headers):
        lowered = name.lower()
        if lowered in _DROP_REQUEST_HEADERS:
            del request.headers[name]
        elif is_secret_key(name):
            request.headers[name] = REDACTED
    body = request.body
    if body:
        try:
            scrubbed = _scrub_text_body(body, _content_type(request.headers), drop_ids=True)
        except UnicodeDecodeError:
            scrubbed = None  # binary upload: kept as is
        if scrubbed is not None:
            request.body = scrubbed.encode("utf-8") if isinstance(scrubbed, str) else scrubbed
    return request


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """vcrpy ``before_record_response``: scrub headers and a JSON/form/text body."""
    headers = response.get("headers") or {}
    for name in list(headers):
        lowered = name.lower()
        if lowered in _DROP_RESPONSE_HEADERS:
            del headers[name]
        elif is_secret_key(name):
            headers[name] = [REDACTED]
    body = response.get("body") or {}
    raw = body.get("string")
    if raw:
        try:
            scrubbed = _scrub_text_body(raw, _content_type(headers), drop_ids=False)
        except UnicodeDecodeError:
            scrubbed = None
        if scrubbed is not None:
            body["string"] = scrubbed.encode("utf-8") if isinstance(scrubbed, str) else scrubbed
    return response


def _normalised(request: Any) -> Any:
    body = request.body
    if not body:
        return None
    if isinstance(body, bytes):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return body
    else:
        text = body
    try:
        data = json.loads(text)
    except ValueError:
        return sorted(parse_qsl(text, keep_blank_values=True)) or text
    if isinstance(data, dict):
        data = {k: v for k, v in data.items() if k not in _IGNORED_BODY_KEYS}
    return data


def _scrubbed_body_matcher(r1: Any, r2: Any) -> None:
    left, right = _normalised(r1), _normalised(r2)
    if left != right:
        raise AssertionError(f"bodies differ: {left!r} != {right!r}")


@contextmanager
def use_cassette(
    path: str | Path,
    *,
    match_on: Iterable[str] = DEFAULT_MATCH_ON,
    mode: str | None = None,
) -> Iterator[Any]:
    """Record or replay the HTTP traffic inside the ``with`` block.

    ``mode`` overrides ``BACKUP_SDK_RECORD``. In ``none`` mode a request with no recorded
    match raises vcrpy's ``CannotOverwriteExistingCassetteException``.
    """
    try:
        import vcr
    except ImportError:
        raise MissingDependencyError(
            "cassette support needs vcrpy: pip install 'backup-sdk[dev]'"
        ) from None
    recorder = vcr.VCR(
        record_mode=mode or record_mode(),
        match_on=tuple(match_on),
        before_record_request=scrub_request,
        before_record_response=scrub_response,
        decode_compressed_response=True,
        record_on_exception=False,
        serializer="yaml",
    )
    recorder.register_matcher("scrubbed_body", _scrubbed_body_matcher)
    with recorder.use_cassette(str(path)) as cassette:
        yield cassette


def assert_cassette_clean(path: str | Path, canaries: Iterable[str] = ()) -> None:
    """Fail if a cassette holds a secret.

    Checks that every secret-keyed JSON/form/header value is the placeholder, that no
    JSON, form or text body is stored as opaque binary (gzip would hide secrets from the
    check; real binary downloads are allowed), and that none of ``canaries`` (the real
    secrets used while recording) appears anywhere.
    """
    text = Path(path).read_text(encoding="utf-8")
    problems: list[str] = [
        f"canary secret #{i} appears in {path}"
        for i, canary in enumerate(canaries)
        if canary and canary in text
    ]
    import yaml

    data = yaml.safe_load(text) or {}
    for n, interaction in enumerate(data.get("interactions", [])):
        for side in ("request", "response"):
            part = interaction.get(side, {})
            for name, value in (part.get("headers") or {}).items():
                values = value if isinstance(value, list) else [value]
                if is_secret_key(name) and any(v != REDACTED for v in values):
                    problems.append(f"interaction {n} {side} header {name} is not redacted")
            body = part.get("body")
            raw = body.get("string") if isinstance(body, dict) else body
            if isinstance(raw, bytes):
                try:
                    raw = raw.decode("utf-8")
                except UnicodeDecodeError:
                    ctype = _content_type(part.get("headers"))
                    if not ctype or any(t in ctype for t in ("json", "text", "form")):
                        problems.append(
                            f"interaction {n} {side} stores a {ctype or 'untyped'} body as "
                            "binary; scrubbing cannot see inside it"
                        )
                    continue
            if not raw:
                continue
            for key, value in _secret_values(raw):
                problems.append(f"interaction {n} {side} body field {key!r} holds {value!r}")
    if problems:
        raise AssertionError("cassette not clean:\n" + "\n".join(problems))


def _secret_values(raw: str) -> Iterator[tuple[str, Any]]:
    try:
        data = json.loads(raw)
    except ValueError:
        for key, value in parse_qsl(raw, keep_blank_values=True):
            if is_secret_key(key) and value not in ("", REDACTED):
                yield key, value
        return
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if (
                    isinstance(key, str)
                    and is_secret_key(key)
                    and value not in (None, "", REDACTED)
                    and not isinstance(value, dict | list)
                ):
                    yield key, value
                else:
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
