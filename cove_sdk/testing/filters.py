"""The subset of Cove's filter language the simulator understands.

Comparisons ``==``, ``!=``, ``>``, ``<``, ``>=``, ``<=`` and wildcard match ``=~`` (``*``,
``?``) between column codes, numbers, single-quoted strings (``''`` escapes a quote),
relative times (``7.days().ago()``) and ``Session.<Status>`` constants; ``AND``/``OR``
(also ``&&``/``||`` and lower case), ``NOT``/``!`` and parentheses; ``ANY`` matches any
column. Anything else is a :class:`FilterError` naming the position.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from typing import Any

__all__ = ["Expression", "FilterError", "parse_filter"]

_TOKEN = re.compile(
    r"\s*(?:"
    r"(?P<string>'(?:[^']|'')*')"
    r"|(?P<reltime>\d+(?:\.\d+)?\.(?:day|days|hour|hours|minute|minutes)\(\)\.ago\(\))"
    r"|(?P<number>-?\d+(?:\.\d+)?)"
    r"|(?P<op>==|!=|=~|>=|<=|>|<|&&|\|\||!|\(|\)|\*)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_.@]*)"
    r")"
)
_STATUS = {
    "undefined": 0,
    "inprocess": 1,
    "failed": 2,
    "aborted": 3,
    "completed": 5,
    "interrupted": 6,
    "notstarted": 7,
    "completedwitherrors": 8,
    "inprocesswithfaults": 9,
    "overquota": 10,
    "noselection": 11,
    "restarted": 12,
}
_UNIT = {"day": 86_400, "days": 86_400, "hour": 3_600, "hours": 3_600, "minute": 60, "minutes": 60}

#: ``lookup(code)`` returns a column's text value (or None); ``lookup("ANY")`` all values.
Lookup = Callable[[str], Any]
Expression = Callable[[Lookup], bool]


class FilterError(ValueError):
    """The filter uses syntax the simulator does not support (or is malformed)."""


def _tokens(text: str) -> list[tuple[str, str, int]]:
    out: list[tuple[str, str, int]] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        found = _TOKEN.match(text, position)
        if found is None or found.end() == position:
            raise FilterError(f"cannot read the filter at position {position}: {text[position:]!r}")
        kind = found.lastgroup or ""
        out.append((kind, found.group(kind), found.start(kind)))
        position = found.end()
    return out


class _Parser:
    def __init__(self, text: str, now: float) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.i = 0
        self.now = now

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str, int]:
        token = self.peek()
        if token is None:
            raise FilterError(f"the filter ends too early: {self.text!r}")
        self.i += 1
        return token

    def is_word(self, *words: str) -> bool:
        token = self.peek()
        return token is not None and token[1].lower() in words and token[0] in ("name", "op")

    def parse(self) -> Expression:
        expr = self.or_()
        if self.peek() is not None:
            _kind, value, at = self.peek()  # type: ignore[misc]
            raise FilterError(f"unsupported syntax at position {at}: {value!r}")
        return expr

    def or_(self) -> Expression:
        parts = [self.and_()]
        while self.is_word("or", "||"):
            self.take()
            parts.append(self.and_())
        if len(parts) == 1:
            return parts[0]
        return lambda lookup: any(p(lookup) for p in parts)

    def and_(self) -> Expression:
        parts = [self.not_()]
        while self.is_word("and", "&&"):
            self.take()
            parts.append(self.not_())
        if len(parts) == 1:
            return parts[0]
        return lambda lookup: all(p(lookup) for p in parts)

    def not_(self) -> Expression:
        if self.is_word("not", "!"):
            self.take()
            inner = self.not_()
            return lambda lookup: not inner(lookup)
        return self.primary()

    def primary(self) -> Expression:
        token = self.peek()
        if token is not None and token[1] == "(":
            self.take()
            inner = self.or_()
            closing = self.take()
            if closing[1] != ")":
                raise FilterError(f"expected ')' at position {closing[2]}")
            return inner
        left = self.operand()
        op = self.take()
        if op[0] != "op" or op[1] not in ("==", "!=", "=~", ">", "<", ">=", "<="):
            raise FilterError(f"expected a comparison at position {op[2]}, got {op[1]!r}")
        right = self.operand()
        return _comparison(left, op[1], right)

    def operand(self) -> tuple[str, Any]:
        kind, value, at = self.take()
        if kind == "string":
            return ("value", value[1:-1].replace("''", "'"))
        if kind == "number":
            return ("value", float(value))
        if kind == "reltime":
            amount, unit = re.match(r"([\d.]+)\.(\w+)", value).groups()  # type: ignore[union-attr]
            return ("value", self.now - float(amount) * _UNIT[unit])
        if kind == "name":
            if value.lower().startswith("session."):
                status = _STATUS.get(value.split(".", 1)[1].lower())
                if status is None:
                    raise FilterError(f"unknown session status {value!r} at position {at}")
                return ("value", float(status))
            if value.lower() in ("and", "or", "not"):
                raise FilterError(f"unexpected {value!r} at position {at}")
            return ("column", value)
        raise FilterError(f"unexpected {value!r} at position {at}")


def _number(value: Any) -> float | None:
    if isinstance(value, float | int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _compare(a: Any, op: str, b: Any) -> bool:
    if a is None or b is None:
        return op == "!=" and (a is None) != (b is None)
    if op == "=~":
        return fnmatch.fnmatchcase(str(a).lower(), str(b).lower())
    na, nb = _number(a), _number(b)
    left: Any
    right: Any
    if na is not None and nb is not None:
        left, right = na, nb
    else:
        left, right = str(a), str(b)
        if op not in ("==", "!="):
            return False
    outcome: bool = {
        "==": left == right,
        "!=": left != right,
        ">": left > right,
        "<": left < right,
        ">=": left >= right,
        "<=": left <= right,
    }[op]
    return outcome


def _comparison(left: tuple[str, Any], op: str, right: tuple[str, Any]) -> Expression:
    def resolve(side: tuple[str, Any], lookup: Lookup) -> Any:
        return lookup(side[1]) if side[0] == "column" else side[1]

    def test(lookup: Lookup) -> bool:
        if left[0] == "column" and left[1].upper() == "ANY":
            values = lookup("ANY") or []
            target = resolve(right, lookup)
            return any(_compare(v, op, target) for v in values)
        return _compare(resolve(left, lookup), op, resolve(right, lookup))

    return test


def parse_filter(text: str, *, now: float) -> Expression:
    """Compile a filter; an empty filter matches everything.

    Raises:
        FilterError: unsupported or malformed syntax.
    """
    if not text or not text.strip():
        return lambda lookup: True
    return _Parser(text, now).parse()
