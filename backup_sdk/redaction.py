"""The one place that knows what is secret, and how to scrub it.

Two mechanisms work together:

* **By key.** A field, header or parameter whose name is a secret key has its value
  replaced: the generic names of :data:`SECRET_KEYS` (``password``, ``token``,
  ``Authorization``, cookies...), the wire keys each vendor package declares with
  :func:`register_secret_keys`, and every model field marked ``wire(..., secret=True)``.
  Keys are compared ignoring case, ``_`` and ``-``.
* **By value.** Every :class:`Secret` (a client's password, the current visa, session key
  or token) is scrubbed from any text for as long as it lives -- an echoed error message,
  a URL, a log line -- and :func:`remember_secret` adds short-lived values (the last 512).

Logging, ``repr`` of clients and models, exception messages and cassette recording all
go through this module.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any, Final
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from backup_sdk.jsonutil import too_deep

__all__ = [
    "REDACTED",
    "SECRET_KEYS",
    "Secret",
    "forget_secrets",
    "is_secret_key",
    "redact_body",
    "redact_form",
    "redact_headers",
    "redact_json",
    "redact_text",
    "redact_url",
    "register_secret_keys",
    "remember_secret",
]

REDACTED: Final = "<REDACTED>"


def _norm(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


#: Keys that hold a secret in any API: generic names only. Vendor packages add their own
#: wire keys with :func:`register_secret_keys`, and every model field declared with
#: ``wire(..., secret=True)`` registers its wire key.
SECRET_KEYS: Final[frozenset[str]] = frozenset(
    _norm(k)
    for k in (
        "password",
        "passwd",
        "pass",
        "passphrase",
        "secret",
        "client_secret",
        "api_key",
        "apikey",
        "token",
        "access_token",
        "refresh_token",
        "id_token",
        "auth_token",
        "private_key",
        "secret_key",
        "session_key",
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-api-key",
    )
)

_registered: set[str] = set()
_registered_lock = threading.Lock()

# Values shorter than this are never scrubbed by value (a 2-character "password" would
# otherwise blank out half of every log line).
_MIN_SECRET_LEN: Final = 4
_MAX_REMEMBERED: Final = 512

_known: OrderedDict[str, None] = OrderedDict()
_pinned: dict[str, int] = {}
_known_lock = threading.RLock()
_ordered: tuple[str, ...] | None = None

# What :func:`redact_url` needs to tell whether a result it cached still holds: a count of
# changes to the scrubbed values (removals too), the values added lately (in order; the
# first ``_added_base`` of all additions were dropped) and a count of key registrations.
_MAX_ADDED: Final = 1024
_changes = 0
_added: list[str] = []
_added_base = 0
_keys_changes = 0


def _note_change(added: str | None = None) -> None:
    """Record a change of the scrubbed values (call with ``_known_lock`` held)."""
    global _ordered, _changes, _added_base
    _ordered = None
    _changes += 1
    if added is not None:
        _added.append(added)
        if len(_added) > _MAX_ADDED:
            del _added[: _MAX_ADDED // 2]
            _added_base += _MAX_ADDED // 2


def register_secret_keys(names: Iterable[str]) -> None:
    """Declare more field, header or parameter names whose values are secret (any case;
    ``_`` and ``-`` are ignored)."""
    global _keys_changes
    with _registered_lock:
        _registered.update(_norm(n) for n in names if isinstance(n, str) and n)
        _keys_changes += 1


def is_secret_key(name: str) -> bool:
    """True if a field/header/parameter of this name holds a secret."""
    key = _norm(name)
    return key in SECRET_KEYS or key in _registered


def remember_secret(value: str | Secret | None) -> None:
    """Register a live secret value so :func:`redact_text` scrubs it everywhere.

    Keeps the most recent 512 such values (visas rotate on every call; memory stays
    bounded). Values held in a :class:`Secret` are kept for as long as the ``Secret`` lives,
    however many others come and go. Values shorter than 4 characters are ignored.
    """
    if isinstance(value, Secret):
        value = value.get_secret_value()
    if not isinstance(value, str) or len(value) < _MIN_SECRET_LEN:
        return
    with _known_lock:
        if value in _known:
            _known.move_to_end(value)
            return
        _known[value] = None
        while len(_known) > _MAX_REMEMBERED:
            _known.popitem(last=False)
        _note_change(value)


def _pin(value: str) -> None:
    if len(value) < _MIN_SECRET_LEN:
        return
    with _known_lock:
        count = _pinned.get(value, 0)
        _pinned[value] = count + 1
        if not count and value not in _known:
            _note_change(value)


def _unpin(value: str) -> None:
    with _known_lock:
        count = _pinned.get(value, 0) - 1
        if count > 0:
            _pinned[value] = count
        elif value in _pinned:
            del _pinned[value]
            _note_change()


def forget_secrets() -> None:
    """Drop every remembered secret value (tests use this to start clean); values held by
    live :class:`Secret` objects stay."""
    with _known_lock:
        _known.clear()
        _note_change()


def _secret_values() -> tuple[str, ...]:
    """Every value to scrub, longest first (a secret containing another goes whole)."""
    global _ordered
    with _known_lock:
        if _ordered is None:
            _ordered = tuple(sorted({*_known, *_pinned}, key=len, reverse=True))
        return _ordered


# key=value or "key": "value" pairs inside free text (log lines, error messages).
_KV_TEXT = re.compile(
    r"""(?P<key>["']?(?P<name>[A-Za-z][A-Za-z0-9_\-]{1,40})["']?\s*[:=]\s*)"""
    r"""(?P<q>["']?)(?P<val>[^"'&,;\s}]+)(?P=q)"""
)


# ``?name=value`` / ``&name=value`` inside URLs embedded in text (checked before the
# pairs above, whose value would otherwise swallow the whole URL).
_QUERY_PARAM = re.compile(
    r"(?P<sep>[?&;])(?P<name>[A-Za-z][A-Za-z0-9_.\-]{0,40})=(?P<val>[^&#\s\"'<>]*)"
)

_AUTH_SCHEME = re.compile(r"\b(Bearer|Basic)\s+(?!<REDACTED>)[A-Za-z0-9._~+/=\-]{4,}")


def redact_text(text: str) -> str:
    """Scrub remembered secret values and ``key=value`` secrets from free text."""
    if not text:
        return text
    for value in _secret_values():
        if value in text:
            text = text.replace(value, REDACTED)

    def _kv(match: re.Match[str]) -> str:
        if is_secret_key(match.group("name")) and match.group("val") != REDACTED:
            return f"{match.group('key')}{match.group('q')}{REDACTED}{match.group('q')}"
        return match.group(0)

    def _param(match: re.Match[str]) -> str:
        if is_secret_key(match.group("name")) and match.group("val"):
            return f"{match.group('sep')}{match.group('name')}={REDACTED}"
        return match.group(0)

    if "=" in text:
        text = _QUERY_PARAM.sub(_param, text)
    text = _AUTH_SCHEME.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    return _KV_TEXT.sub(_kv, text)


#: Deeper structures are not walked; what lies below is replaced by a marker.
_MAX_DEPTH: Final = 64
_TOO_DEEP: Final = "<nested too deeply to show>"


def redact_json(value: Any, _depth: int = 0) -> Any:
    """Return a copy of a decoded JSON value with every secret-keyed value replaced.

    Cove's ``{"Settings": [{"visa": ...}]}`` style is covered too: any mapping key is checked,
    at any depth (up to 64 levels; anything deeper is replaced by a marker, not shown).
    Strings elsewhere are passed through :func:`redact_text`.
    """
    if _depth > _MAX_DEPTH:
        return _TOO_DEEP
    if isinstance(value, Mapping):
        return {
            k: (
                REDACTED
                if isinstance(k, str) and is_secret_key(k) and value[k] not in (None, "")
                else redact_json(value[k], _depth + 1)
            )
            for k in value
        }
    if isinstance(value, list | tuple):
        return [redact_json(v, _depth + 1) for v in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


def redact_headers(headers: Mapping[str, Any] | None) -> dict[str, str]:
    """Copy headers with secret ones (``Authorization``, cookies, vendor auth) replaced."""
    if not headers:
        return {}
    return {
        str(k): (REDACTED if is_secret_key(str(k)) else redact_text(str(v)))
        for k, v in headers.items()
    }


def redact_form(text: str | bytes) -> str:
    """Scrub an ``application/x-www-form-urlencoded`` body (Comet's request format)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    pairs = parse_qsl(text, keep_blank_values=True)
    cleaned = [(k, REDACTED if is_secret_key(k) and v else redact_text(v)) for k, v in pairs]
    return urlencode(cleaned, safe="<>")


#: ``url -> (result, key registrations, value changes, additions seen, plain)`` of
#: :func:`redact_url`; ``plain`` is the URL it scrubbed when no secret value was in it.
_URL_CACHE_SIZE: Final = 512
_url_cache: dict[str, tuple[str, int, int, int, str | None]] = {}


def redact_url(url: str) -> str:
    """Scrub user-info and secret query parameters from a URL.

    The result is cached per URL until the secret keys or values change; a URL without a
    query, user-info or any secret value in it is only checked against the values added
    since (a client's URLs are redacted once, however often its visa rotates).
    """
    if not url:
        return url
    entry = _url_cache.get(url)
    if entry is not None and entry[1] == _keys_changes:
        if entry[2] == _changes:
            return entry[0]
        plain = entry[4]
        if plain is not None:
            with _known_lock:
                start = entry[3] - _added_base
                if start >= 0 and not any(value in plain for value in _added[start:]):
                    seen = _added_base + len(_added)
                    _url_cache[url] = (entry[0], entry[1], _changes, seen, plain)
                    return entry[0]
    with _known_lock:  # the state the result is computed from, before computing it
        keys, changes, seen = _keys_changes, _changes, _added_base + len(_added)
    result, plain = _scrub_url(url)
    if plain is not None and any(value in plain for value in _secret_values()):
        plain = None
    if len(_url_cache) >= _URL_CACHE_SIZE:
        _url_cache.clear()
    _url_cache[url] = (result, keys, changes, seen, plain)
    return result


def _scrub_url(url: str) -> tuple[str, str | None]:
    """:func:`redact_url` uncached, and the text it scrubbed by value when that was the
    only text (no query, no user-info)."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{REDACTED}@{netloc.rsplit('@', 1)[1]}"
    query = redact_form(parts.query) if parts.query else ""
    whole = urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    plain = whole if not parts.query and netloc == parts.netloc else None
    return redact_text(whole), plain


def _looks_like_json(text: str) -> bool:
    stripped = text.lstrip()
    return stripped.startswith(("{", "["))


def redact_body(
    body: str | bytes | None,
    content_type: str | None = None,
    *,
    limit: int | None = 2000,
) -> str:
    """Return a printable, scrubbed rendering of a request or response body.

    JSON and form bodies are parsed and scrubbed by key; anything else by value. Bodies
    longer than ``limit`` characters are cut (with a marker saying how much was left out).
    """
    if not body:
        return ""
    if isinstance(body, bytes):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return f"<{len(body)} bytes of binary data>"
    else:
        text = body
    ctype = (content_type or "").lower()
    rendered: str
    if ("json" in ctype or (not ctype and _looks_like_json(text))) and not too_deep(text):
        try:
            rendered = json.dumps(redact_json(json.loads(text)), separators=(",", ":"))
        except (ValueError, RecursionError):
            rendered = redact_text(text)
    elif "x-www-form-urlencoded" in ctype:
        rendered = redact_form(text)
    else:
        rendered = redact_text(text)
    if limit is not None and len(rendered) > limit:
        rendered = f"{rendered[:limit]}... [{len(rendered) - limit} more characters]"
    return rendered


class Secret:
    """A string that never shows itself in ``str``, ``repr``, f-strings or logs.

    ``get_secret_value()`` returns the real value. Equality compares the real values.
    """

    __slots__ = ("__weakref__", "_pinned", "_value")

    def __init__(self, value: str | Secret) -> None:
        raw = value.get_secret_value() if isinstance(value, Secret) else value
        if not isinstance(raw, str):
            raise TypeError("Secret takes a str")
        self._value = raw
        self._pinned = False
        _pin(raw)
        self._pinned = True

    def __del__(self) -> None:
        # unpinned when the Secret goes (cheaper than a weakref.finalize per Secret: Cove
        # makes one per call); an interrupted __init__ pinned nothing
        try:
            pinned = self._pinned
        except AttributeError:
            return
        if pinned:
            with contextlib.suppress(Exception):  # at interpreter exit, say
                _unpin(self._value)

    def get_secret_value(self) -> str:
        """The real secret. Do not log it."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({REDACTED!r})"

    def __str__(self) -> str:
        return REDACTED

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Secret):
            return self._value == other._value
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Secret, (self._value,))
