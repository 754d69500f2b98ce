"""Per-model structure functions for the fast converter, written as Python source.

cattrs' generated structure function calls one hook per field and collects the results in a
dict before calling the class with ``**kwargs``. For a model decoded from JSON almost every
value already has its exact type (a ``str`` for a ``str`` field, an ``int`` for an ``int``
field), so the function written here checks that case inline and calls the field's hook only
for everything else: a numeric string, a float, ``None``, a nested model. Because the hook is
the one cattrs would have called, every value the inline check does not take is decoded
exactly as before, errors included.

Only the converter's own hooks are inlined (they are recognised by identity, see
:class:`InlineHooks`); a hook a vendor registers for a type is always called. Unknown keys
are found without set arithmetic: the function counts the known keys that are missing, and
the record has unknown keys exactly when ``len(data) + missing`` exceeds the number of known
keys.
"""

from __future__ import annotations

import enum
import itertools
import linecache
import operator
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, cast

import attrs

from backup_sdk.models.times import MAX_AUTO_SECONDS, MAX_SECONDS, MIN_SECONDS, unix_time_lines

if TYPE_CHECKING:
    import cattrs

__all__ = ["InlineHooks", "compilable", "compile_structure_fn", "is_being_compiled"]

StructureHook = Callable[[Any, Any], Any]

_EXTRA: Final = "extra_fields"
_MISSING: Final = object()
_FACTORY: Final = cast("type[Any]", attrs.Factory)  # a class, typed as a function by attrs
_counter = itertools.count()
_OBJECT_SETATTR: Final = object.__setattr__
_generating = threading.local()


@dataclass
class InlineHooks:
    """The hooks of one converter whose common case a compiled function may inline.

    A field is inlined only when ``conv.get_structure_hook(type)`` *is* one of these
    functions; ``optional`` maps each ``X | None`` hook the converter made to ``X`` and the
    hook it hands other values to.
    """

    s_int: StructureHook
    s_float: StructureHook
    s_str: StructureHook
    s_bool: StructureHook
    s_unixtime: StructureHook
    s_opt_unixtime: StructureHook
    s_enum: StructureHook
    auto_time_units: bool
    optional: dict[StructureHook, tuple[Any, StructureHook]] = field(default_factory=dict)

    def time_bounds(self) -> tuple[int, int]:
        """The ints that :func:`unix_time_from_int` decodes exactly as ``from_raw`` does."""
        if self.auto_time_units:
            return -MAX_AUTO_SECONDS, MAX_AUTO_SECONDS
        return MIN_SECONDS, MAX_SECONDS


def compilable(cls: type[Any]) -> bool:
    """Whether :func:`compile_structure_fn` can write a function for ``cls``: every field
    is set by ``__init__`` from a typed wire key, wire keys are distinct, no converters and
    no factory that needs ``self``."""
    keys: set[str] = set()
    for a in attrs.fields(cls):
        if a.name == _EXTRA:
            continue
        if not a.init or a.converter is not None or a.type is None:
            return False
        if isinstance(a.default, _FACTORY) and a.default.takes_self:
            return False
        keys.add(_wire_key(a))
    return len(keys) == len(attrs.fields(cls)) - 1


@dataclass
class _Source:
    """The source text of one function and the names it refers to."""

    lines: list[str] = field(default_factory=list)
    names: dict[str, Any] = field(default_factory=dict)

    def bind(self, prefix: str, value: Any) -> str:
        name = f"{prefix}{len(self.names)}"
        self.names[name] = value
        return name

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)


def compile_structure_fn(
    cls: type[Any],
    conv: cattrs.Converter,
    hooks: InlineHooks,
    finish: Callable[[Any], Any] | None,
    not_a_dict: Callable[[Any, StructureHook], Any],
) -> StructureHook:
    """Write and compile the structure function of the model ``cls`` (see the module doc).

    ``finish(obj)`` is called on every model built, when given (secrets are remembered
    there); ``not_a_dict(data, fn)`` handles anything but a ``dict`` (``None``, other
    mappings, errors) and may call ``fn`` back with a dict.
    """
    attrs.resolve_types(cls)
    fields = [a for a in attrs.fields(cls) if a.name != _EXTRA]
    src = _Source()
    fn_name = f"structure_{cls.__name__}"
    src.names.update(
        {"__cls": cls, "__missing": _MISSING, "__not_a_dict": not_a_dict, "__finish": finish}
    )
    src.add(
        f"def {fn_name}(data, _=None):",
        "    if type(data) is not dict:",
        f"        return __not_a_dict(data, {fn_name})",
    )
    # positional where ``__init__`` allows it (in field order, as attrs declares them):
    # keywords cost about twice as much for 30 fields
    arguments = [f"a{index}" for index, a in enumerate(fields) if not a.kw_only]
    arguments += [f"{a.alias}=a{index}" for index, a in enumerate(fields) if a.kw_only]
    construct = f"    obj = __cls({', '.join(arguments)})"
    known = src.bind("__known", frozenset(_wire_key(a) for a in fields))
    with _generating_model(cls):
        hooks_of = [_field_hook(conv, a.type) for a in fields]
        if fields:
            if _plain_init(cls):
                construct_all = _direct_construct(src, fields, known)
            else:
                construct_all = [
                    "        " + construct,
                    f"            if len(data) != {len(fields)}:",
                    f"                obj.extra_fields = "
                    f"__extras(data, {known}, len(data) - {len(fields)})",
                ]
            _all_keys_lines(src, fields, hooks_of, hooks, construct_all, finish is not None)
        src.add("    get = data.get", "    missing = 0")
        for index, a in enumerate(fields):
            _field_lines(src, a, f"a{index}", hooks_of[index], hooks)
    src.add(
        construct,
        f"    if len(data) + missing != {len(fields)}:",
        f"        obj.extra_fields = {{k: v for k, v in data.items() if k not in {known}}}",
    )
    if finish is not None:
        src.add("    __finish(obj)")
    src.add("    return obj")
    return _compile(cls, fn_name, src)


def _all_keys_lines(
    src: _Source,
    fields: list[attrs.Attribute[Any]],
    hooks_of: list[StructureHook],
    hooks: InlineHooks,
    construct: list[str],
    finish: bool,
) -> None:
    """The path for a record carrying every known key (how most servers send them): all
    values fetched by one ``itemgetter`` call, no defaults, no counting; a record missing
    a key falls through to the per-key path after it."""
    targets = [f"a{index}" for index in range(len(fields))]
    getter = src.bind("__getall", operator.itemgetter(*(_wire_key(a) for a in fields)))
    unpack = targets[0] if len(targets) == 1 else ", ".join(targets)
    src.add(
        f"    if (size := len(data)) >= {len(fields)}:",
        "        try:",
        f"            {unpack} = {getter}(data)",
        "        except KeyError:",
        "            pass",
        "        else:",
    )
    for target, a, hook in zip(targets, fields, hooks_of, strict=True):
        cases = list(_inline_cases(src, a.type, hook, hooks, target, target))
        src.add(*("            " + line for line in _field_cases(src, target, a, hook, cases)))
    src.add(*construct)
    if finish:
        src.add("            __finish(obj)")
    src.add("            return obj")
    src.names["__extras"] = _extras


def _plain_init(cls: type[Any]) -> bool:
    """Whether ``cls``'s ``__init__`` is the one attrs wrote and does nothing but set
    each field (no validators, no pre/post-init, no ``__setattr__`` hooks), so a compiled
    function may set the slots itself."""
    init = cls.__dict__.get("__init__")
    code = getattr(init, "__code__", None)
    return (
        code is not None
        and code.co_filename.startswith("<attrs generated")
        and getattr(cls, "__setattr__", None) is _OBJECT_SETATTR
        and not hasattr(cls, "__attrs_pre_init__")
        and not hasattr(cls, "__attrs_post_init__")
        and all(a.validator is None and a.on_setattr is None for a in attrs.fields(cls))
    )


def _direct_construct(src: _Source, fields: list[attrs.Attribute[Any]], known: str) -> list[str]:
    """Lines building the model as its ``__init__`` would, without calling it (about a
    tenth of a small model's decoding): a bare instance, each field set, the unknown keys
    (or a new empty dict) last."""
    new = src.bind("__new", object.__new__)
    lines = [f"            obj = {new}(__cls)"]
    lines += [f"            obj.{a.name} = a{index}" for index, a in enumerate(fields)]
    # Without a call: no unknown keys; or one, which is first looked for under the
    # previous such record's key (a newer server adds the same field to every record),
    # then at the end of the record. Anything else goes to ``_extras``.
    n = len(fields)
    seen = src.bind("__seen_unknown", [None])
    lines += [
        f"            if size == {n}:",
        "                obj.extra_fields = {}",
        f"            elif size == {n + 1} and (last := {seen}[0]) in data:",
        "                obj.extra_fields = {last: data[last]}",
        f"            elif size == {n + 1} and (last := __next(__reversed(data))) not in {known}:",
        f"                {seen}[0] = last",
        "                obj.extra_fields = {last: data[last]}",
        "            else:",
        f"                obj.extra_fields = __extras(data, {known}, size - {n})",
    ]
    src.names["__reversed"] = reversed
    src.names["__next"] = next
    return lines


def _extras(data: dict[str, Any], known: frozenset[str], count: int) -> dict[str, Any]:
    """The ``count`` unknown keys of a record that carries every known one, in the
    record's order. A single one is looked for at the end first (where a newer server's
    field usually is)."""
    if count == 1:
        last = next(reversed(data))
        if last not in known:
            return {last: data[last]}
    unknown = data.keys() - known
    return {k: v for k, v in data.items() if k in unknown}


def _field_lines(
    src: _Source, a: attrs.Attribute[Any], target: str, hook: StructureHook, hooks: InlineHooks
) -> None:
    """Append the lines that decode one field (missing keys included) into the local
    variable ``target``; ``hook`` is the one cattrs would call for the field."""
    tp = a.type
    src.add(f"    v = get({_wire_key(a)!r}, __missing)", "    if v is __missing:")
    default = a.default
    if default is attrs.NOTHING:
        src.add(f"        raise KeyError({_wire_key(a)!r})")
    elif isinstance(default, _FACTORY):
        factory = src.bind("__factory", default.factory)
        src.add("        missing += 1", f"        {target} = {factory}()")
    else:
        src.add("        missing += 1", f"        {target} = {_constant(src, default)}")
    for condition, value in _inline_cases(src, tp, hook, hooks, "v", target):
        src.add(f"    elif {condition}:", *_assignment("        ", target, value))
    src.add(
        "    else:",
        f"        {target} = {src.bind('__hook', hook)}(v, {src.bind('__type', tp)})",
    )


def _field_cases(
    src: _Source,
    target: str,
    a: attrs.Attribute[Any],
    hook: StructureHook,
    cases: list[tuple[str, str | list[str]]],
) -> list[str]:
    """The ``if``/``elif``/``else`` lines decoding the variable ``target`` in place: its
    inline cases, then the hook."""
    lines: list[str] = []
    keyword = "if"
    for condition, value in cases:
        lines.append(f"{keyword} {condition}:")
        lines.extend(_assignment("    ", target, value))
        keyword = "elif"
    call = f"{src.bind('__hook', hook)}({target}, {src.bind('__type', a.type)})"
    if keyword == "if":
        return [f"{target} = {call}"]
    return [*lines, "else:", f"    {target} = {call}"]


def _assignment(indent: str, target: str, value: str | list[str]) -> list[str]:
    """The lines setting ``target`` to an inline case's value: an expression, or lines
    that set it themselves."""
    if isinstance(value, list):
        return [indent + line for line in value]
    return [f"{indent}{target} = {value}" if value != target else f"{indent}pass"]


def _constant(src: _Source, value: Any) -> str:
    """A default value as source: a literal for str, int, bool and None, else a bound name
    (the very object attrs would use)."""
    if value is None or type(value) in (str, int, bool):
        return repr(value)
    return src.bind("__default", value)


def _field_hook(conv: cattrs.Converter, tp: Any) -> StructureHook:
    """The hook cattrs would call for a field of type ``tp``; late-bound
    (``conv.structure``) when the type refers back to a model being compiled."""
    try:
        hook: StructureHook = conv.get_structure_hook(tp)
    except RecursionError:
        hook = conv.structure
    return hook


def _inline_cases(
    src: _Source, tp: Any, hook: StructureHook, hooks: InlineHooks, v: str, target: str
) -> Iterator[tuple[str, str | list[str]]]:
    """``(condition on v, value)`` pairs (``v`` the variable's name) that decode the value
    as ``hook(value, tp)`` would, for the values the condition takes; the rest go to the
    hook. A value is an expression, or lines that set ``target`` (see :func:`_assignment`)."""
    inner = hooks.optional.get(hook)
    if inner is not None:
        yield f"{v} is None", "None"
        tp, hook = inner
    if hook is hooks.s_str:
        yield f"type({v}) is str", v
    elif hook is hooks.s_int:
        yield f"type({v}) is int", v
    elif hook is hooks.s_float:
        yield f"type({v}) is float or type({v}) is int", v
    elif hook is hooks.s_bool:
        yield f"{v} is True or {v} is False", v
    elif hook is hooks.s_unixtime or hook is hooks.s_opt_unixtime:
        # built inline (a call is about a fifth of the cost); 0 is "never" when optional
        low, high = hooks.time_bounds()
        lines = unix_time_lines(v, target, src.bind)
        if hook is hooks.s_opt_unixtime:
            lines = [f"if {v}:", *(f"    {line}" for line in lines)]
            lines += ["else:", f"    {target} = None"]
        yield f"type({v}) is int and {low} <= {v} <= {high}", lines
    elif hook is hooks.s_enum and isinstance(tp, type) and issubclass(tp, enum.Enum):
        exact = int if issubclass(tp, int) else str if issubclass(tp, str) else None
        if exact is not None:
            # ``tp(v)`` finds a known (or already seen) value in this very dict first
            members = src.bind("__members", tp._value2member_map_)
            yield (
                f"type({v}) is {exact.__name__} and (m := {members}.get({v})) is not None",
                "m",
            )


def _compile(cls: type[Any], fn_name: str, src: _Source) -> StructureHook:
    text = "\n".join(src.lines) + "\n"
    filename = (
        f"<backup_sdk compiled structure {cls.__module__}.{cls.__qualname__} #{next(_counter)}>"
    )
    # in the line cache, so tracebacks and profiles show the source
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    namespace = dict(src.names)
    exec(compile(text, filename, "exec"), namespace)
    fn: StructureHook = namespace[fn_name]
    return fn


class _generating_model:
    """Marks ``cls`` as being compiled on this thread, so that a field referring back to it
    (directly or inside a list) gets a late-bound hook instead of endless recursion."""

    def __init__(self, cls: type[Any]) -> None:
        self.cls = cls

    def __enter__(self) -> None:
        working: set[type[Any]] = _generating.__dict__.setdefault("working", set())
        working.add(self.cls)

    def __exit__(self, *_: object) -> None:
        _generating.working.discard(self.cls)


def is_being_compiled(cls: type[Any]) -> bool:
    """Whether ``cls`` is being compiled on this thread (its hook must be late-bound)."""
    working: set[type[Any]] = _generating.__dict__.get("working", set())
    return cls in working


def _wire_key(a: attrs.Attribute[Any]) -> str:
    return str(a.metadata.get("backup_sdk.wire", a.name))
