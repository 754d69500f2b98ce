"""The converter: decoded JSON to models and back, with typed errors naming the field."""

from __future__ import annotations

import contextlib
import enum
import functools
import json
import math
import threading
import weakref
from collections.abc import Callable, Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    TypeVar,
    Union,
    cast,
    get_args,
    get_origin,
    overload,
)

import attrs

from backup_sdk.errors import ResponseDecodeError
from backup_sdk.models._compiled import (
    InlineHooks,
    compilable,
    compile_structure_fn,
    is_being_compiled,
)
from backup_sdk.models._gcpause import PAUSE_AT, gc_paused
from backup_sdk.models._text import describe as _describe
from backup_sdk.models.enums import OpenIntEnum, OpenStrEnum
from backup_sdk.models.fields import _EXTRA, _SECRET, _WIRE, WireModel, _received_secrets, wire_name
from backup_sdk.models.times import UnixTime
from backup_sdk.models.times import encode_time as _encode_time
from backup_sdk.models.wirebytes import WireBytes
from backup_sdk.models.wirebytes import encode_bytes as _encode_bytes
from backup_sdk.redaction import redact_body, remember_secret

if TYPE_CHECKING:  # cattrs is imported when the first model is decoded, not with the SDK
    from cattrs import Converter as _Converter

__all__ = ["ModelConverter"]

T = TypeVar("T")

# Models decoded from a JSON ``null`` (by id, with a weak reference to tell a reused id
# apart): they are written back as ``null`` for as long as they equal their default.
_NULL_BORN: dict[int, weakref.ref[Any]] = {}


def _remember_null(obj: Any) -> None:
    key = id(obj)
    _NULL_BORN[key] = weakref.ref(obj, lambda _: _NULL_BORN.pop(key, None))


def _born_null(obj: Any) -> bool:
    ref = _NULL_BORN.get(id(obj))
    if ref is None or ref() is not obj:
        return False
    cls: Any = type(obj)
    try:
        return bool(obj == cls())
    except TypeError:
        return False


def _is_union(tp: Any) -> bool:
    import types

    return get_origin(tp) in (Union, types.UnionType)


def _optional_inner(tp: Any) -> Any | None:
    """``X`` for ``X | None``, else None."""
    if not _is_union(tp):
        return None
    args = [a for a in get_args(tp) if a is not type(None)]
    if len(args) == 1 and len(get_args(tp)) == 2:
        return args[0]
    return None


def _is_list_type(tp: Any) -> bool:
    return tp is list or get_origin(tp) is list


def _is_dict_type(tp: Any) -> bool:
    return tp is dict or get_origin(tp) is dict


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and attrs.has(tp) and issubclass(tp, WireModel)


class ModelConverter:
    """Decode/encode vendor JSON to/from models, with typed errors.

    Args:
        vendor: the vendor package name, used in error messages.
        numeric_strings: accept ``"123"`` where an int/float/bool is expected (Cove
            sends most numbers as strings).
        auto_time_units: read ``UnixTime`` values too large for seconds as ms/µs/ns
            (see :meth:`UnixTime.from_raw`), for APIs that do not state the unit.
        never_time: what an unset (``None``) ``UnixTime`` field encodes to: ``0`` for
            APIs where 0 means "never", ``None`` for APIs that leave the key empty.
        pause_gc: pause the cyclic garbage collector while a list of at least
            ``PAUSE_GC_AT`` records is decoded (about half the cost of a large list; see
            :mod:`backup_sdk.models._gcpause` for when to turn it off). Also an attribute.

    The fast path runs each model's compiled structure function (see
    :mod:`backup_sdk.models._compiled`), without detailed validation; when it fails, the
    payload is decoded once more by cattrs with detailed validation, to name the failing
    field.
    """

    #: The list length from which ``pause_gc`` applies (``_gcpause.PAUSE_AT``).
    PAUSE_GC_AT: ClassVar[int] = PAUSE_AT

    def __init__(
        self,
        vendor: str,
        *,
        numeric_strings: bool = False,
        auto_time_units: bool = False,
        never_time: int | None = 0,
        pause_gc: bool = True,
    ) -> None:
        self.vendor = vendor
        self.pause_gc = pause_gc
        self.numeric_strings = numeric_strings
        self.auto_time_units = auto_time_units
        self.never_time = never_time
        self._fast: _Converter | None = None
        self._detailed: _Converter | None = None
        self._extra_hooks: list[Callable[[_Converter], None]] = []
        self._building = threading.RLock()  # a hook may ask for the converter

    # -- public ----------------------------------------------------------------------

    @property
    def cattrs(self) -> _Converter:
        """The cattrs converter of the fast path, built on first use (with every hook
        :meth:`register` was given)."""
        conv = self._fast
        if conv is None:
            with self._building:
                if self._fast is None:
                    self._fast = self._configured(detailed=False)
                conv = self._fast
        return conv

    def register(self, configure: Callable[[_Converter], None]) -> None:
        """Add vendor hooks; ``configure`` is applied to the fast and the detailed converter
        (now if they are built, else when they are)."""
        with self._building:
            self._extra_hooks.append(configure)
            for conv in (self._fast, self._detailed):
                if conv is not None:
                    configure(conv)

    @overload
    def structure(self, data: Any, cls: type[T], *, excerpt_of: Any = None) -> T: ...
    @overload
    def structure(self, data: Any, cls: Any, *, excerpt_of: Any = None) -> Any: ...
    def structure(self, data: Any, cls: Any, *, excerpt_of: Any = None) -> Any:
        """Build ``cls`` from decoded JSON; raises :class:`ResponseDecodeError`."""
        try:
            if self.pause_gc and type(data) is list and len(data) >= self.PAUSE_GC_AT:
                with gc_paused():
                    return self.cattrs.structure(data, cls)
            return self.cattrs.structure(data, cls)
        except Exception as fast_error:
            raise self._decode_error(data, cls, fast_error, excerpt_of) from None

    def structure_list(self, data: Any, cls: type[T]) -> list[T]:
        """Build a list of ``cls``; ``None`` gives ``[]``."""
        if data is None:
            return []
        result: list[T] = self.structure(data, list[cls])  # type: ignore[valid-type]
        return result

    def unstructure(self, obj: Any) -> Any:
        """Encode a model (or list/dict of models) back to JSON-ready data."""
        return self.cattrs.unstructure(obj)

    # -- errors ----------------------------------------------------------------------

    def _decode_error(
        self, data: Any, cls: Any, fast_error: BaseException, excerpt_of: Any
    ) -> ResponseDecodeError:
        name = getattr(cls, "__name__", None) or repr(cls)
        path, message = "$", _plain_message(fast_error)
        try:
            self._detailed_converter().structure(data, cls)
        except Exception as detailed_error:
            found = _first_path(detailed_error)
            if found is not None:
                path, message = found
        try:
            sample = json.dumps(excerpt_of if excerpt_of is not None else data, default=str)
        except (TypeError, ValueError):
            sample = repr(data)
        return ResponseDecodeError(
            f"unexpected value in response: {message}",
            vendor=self.vendor,
            model=name,
            path=path,
            excerpt=redact_body(sample, "application/json", limit=300),
        )

    def _detailed_converter(self) -> _Converter:
        with self._building:
            if self._detailed is None:
                self._detailed = self._configured(detailed=True)
            return self._detailed

    def _configured(self, *, detailed: bool) -> _Converter:
        """A new converter with every hook :meth:`register` was given (call with
        ``_building`` held)."""
        conv = self._build(detailed=detailed)
        for configure in self._extra_hooks:
            configure(conv)
        return conv

    # -- hooks -----------------------------------------------------------------------

    def _build(self, *, detailed: bool) -> _Converter:
        import cattrs
        from cattrs.cols import list_structure_factory, mapping_structure_factory

        conv = cattrs.Converter(detailed_validation=detailed, forbid_extra_keys=False)
        numeric_strings = self.numeric_strings

        def s_int(value: Any, _: Any) -> int:
            if type(value) is int:
                return value
            if isinstance(value, bool):
                raise ValueError(f"expected an integer, got boolean {value!r}")
            if isinstance(value, float):
                if value.is_integer():
                    return int(value)
                raise ValueError(f"expected an integer, got {value!r} (would lose the fraction)")
            if isinstance(value, int):
                return int(value)
            if isinstance(value, str) and numeric_strings:
                try:
                    return int(value.strip())
                except ValueError:
                    pass
                try:
                    as_float = float(value)
                except ValueError:
                    as_float = math.nan
                if as_float.is_integer():
                    return int(as_float)
            raise ValueError(f"expected an integer, got {_describe(value)}")

        def s_float(value: Any, _: Any) -> float:
            if isinstance(value, bool):
                raise ValueError(f"expected a number, got boolean {value!r}")
            if type(value) is int:
                # kept as the int it was sent as (an int is a valid float value), so that
                # ``50`` is written back as ``50``, not ``50.0``
                return value
            if isinstance(value, int | float):
                return float(value)
            if isinstance(value, str) and numeric_strings:
                try:
                    return float(value.strip())
                except ValueError:
                    pass
            raise ValueError(f"expected a number, got {_describe(value)}")

        def s_str(value: Any, _: Any) -> str:
            if isinstance(value, str):
                return value
            if isinstance(value, int | float) and not isinstance(value, bool):
                return str(value)
            raise ValueError(f"expected a string, got {_describe(value)}")

        def s_bool(value: Any, _: Any) -> bool:
            if isinstance(value, bool):
                return value
            if type(value) is int and value in (0, 1):
                return bool(value)
            if isinstance(value, str) and numeric_strings:
                lowered = value.strip().lower()
                if lowered in ("true", "1", "yes"):
                    return True
                if lowered in ("false", "0", "no", ""):
                    return False
            raise ValueError(f"expected true/false, got {_describe(value)}")

        conv.register_structure_hook(int, s_int)
        conv.register_structure_hook(float, s_float)
        conv.register_structure_hook(str, s_str)
        conv.register_structure_hook(bool, s_bool)
        conv.register_structure_hook(bytes, lambda value, _: WireBytes.from_wire(value))
        conv.register_structure_hook(WireBytes, lambda value, _: WireBytes.from_wire(value))
        conv.register_unstructure_hook(bytes, _encode_bytes)
        conv.register_unstructure_hook(WireBytes, _encode_bytes)

        auto_units = self.auto_time_units

        def s_unixtime(value: Any, _: Any) -> UnixTime:
            if isinstance(value, UnixTime):
                return value
            return UnixTime.from_raw(value, auto_units=auto_units)

        def s_opt_unixtime(value: Any, _: Any) -> UnixTime | None:
            if value is None or value in (0, "", "0"):
                return None
            return s_unixtime(value, UnixTime)

        conv.register_structure_hook(UnixTime, s_unixtime)
        conv.register_structure_hook(UnixTime | None, s_opt_unixtime)
        conv.register_structure_hook(Union[UnixTime, None], s_opt_unixtime)  # noqa: UP007
        conv.register_unstructure_hook(UnixTime, lambda v: v.raw)

        # Open enums: structure by calling the class (``_missing_`` keeps unknown values).
        # Registered by class (singledispatch), so IntEnum/str enums do not fall to the
        # int/str hooks through their MRO.
        def s_enum(value: Any, tp: Any) -> Any:
            try:
                return tp(value)
            except ValueError:
                raise ValueError(f"{_describe(value)} is not a valid {tp.__name__}") from None

        for enum_base in (OpenIntEnum, OpenStrEnum, enum.IntEnum, enum.Enum):
            conv.register_structure_hook(enum_base, s_enum)
            conv.register_unstructure_hook(enum_base, lambda v: v.value)

        inline = InlineHooks(
            s_int=s_int,
            s_float=s_float,
            s_str=s_str,
            s_bool=s_bool,
            s_unixtime=s_unixtime,
            s_opt_unixtime=s_opt_unixtime,
            s_enum=s_enum,
            auto_time_units=auto_units,
        )

        # Optional[X]: None stays None (0 for timestamps is handled above).
        def optional_factory(tp: Any) -> Callable[[Any, Any], Any]:
            inner = _optional_inner(tp)
            hook = conv.get_structure_hook(inner)

            def s_optional(value: Any, _: Any) -> Any:
                if value is None:
                    return None
                return hook(value, inner)

            inline.optional[s_optional] = (inner, hook)
            return s_optional

        conv.register_structure_hook_factory(
            lambda tp: _optional_inner(tp) is not None and _optional_inner(tp) is not UnixTime,
            optional_factory,
        )

        # Lists: ``null`` is empty; a string or mapping is an error, never split into pieces.
        def list_factory(tp: Any, c: _Converter) -> Callable[[Any, Any], Any]:
            inner_hook = list_structure_factory(tp, c)

            def s_list(value: Any, t: Any) -> Any:
                if value is None:
                    return []
                if not isinstance(value, list | tuple):
                    raise ValueError(f"expected a list, got {_describe(value)}")
                return inner_hook(value, t)

            return s_list

        conv.register_structure_hook_factory(_is_list_type, cast(Any, list_factory))

        # Mappings: ``null`` is empty; JSON object keys arrive as strings, so int keys are parsed.
        def dict_factory(tp: Any, c: _Converter) -> Callable[[Any, Any], Any]:
            args = get_args(tp)
            key_type = args[0] if args else Any
            inner_hook = mapping_structure_factory(tp, c)

            def s_dict(value: Any, t: Any) -> Any:
                if value is None:
                    return {}
                if not isinstance(value, Mapping):
                    raise ValueError(f"expected an object, got {_describe(value)}")
                if key_type is int:
                    try:
                        value = {int(k): v for k, v in value.items()}
                    except (TypeError, ValueError):
                        raise ValueError("expected integer keys") from None
                return inner_hook(value, t)

            return s_dict

        conv.register_structure_hook_factory(_is_dict_type, cast(Any, dict_factory))

        conv.register_structure_hook_factory(
            _is_model, lambda cls: _model_structure_hook(cls, conv, None if detailed else inline)
        )
        never = self.never_time
        conv.register_unstructure_hook_factory(
            _is_model, lambda cls: _model_unstructure_hook(cls, conv, never)
        )
        return conv


def _model_structure_hook(
    cls: type[Any], conv: _Converter, inline: InlineHooks | None
) -> Callable[[Any, Any], Any]:
    """The structure hook of a model: compiled (see :mod:`backup_sdk.models._compiled`) for
    the fast converter, cattrs' own for the detailed one (``inline`` None), which names the
    failing field."""
    fields = attrs.fields(cls)
    secrets = tuple(a.name for a in fields if a.metadata.get(_SECRET))
    finish = functools.partial(_remember_received_secrets, secrets=secrets) if secrets else None
    if inline is not None and compilable(cls):
        if is_being_compiled(cls):
            raise RecursionError  # a field refers back to cls: cattrs binds it late
        return compile_structure_fn(cls, conv, inline, finish, functools.partial(_not_a_dict, cls))
    return _cattrs_model_hook(cls, conv, detailed=inline is None, finish=finish)


def _cattrs_model_hook(
    cls: type[Any],
    conv: _Converter,
    *,
    detailed: bool,
    finish: Callable[[Any], Any] | None,
) -> Callable[[Any, Any], Any]:
    """A model's structure hook built on cattrs' generated function (with detailed
    validation, it says which field failed)."""
    from cattrs.gen import make_dict_structure_fn, override

    fields = attrs.fields(cls)
    overrides: dict[str, Any] = {}
    known: set[str] = set()
    for a in fields:
        if a.name == _EXTRA:
            overrides[a.name] = override(omit=True)
            continue
        wire_key = str(a.metadata.get(_WIRE, a.name))
        known.add(wire_key)
        overrides[a.name] = override(rename=wire_key)
    base = make_dict_structure_fn(
        cls,
        conv,
        _cattrs_forbid_extra_keys=False,
        _cattrs_detailed_validation=detailed,
        **overrides,
    )
    known_keys = frozenset(known)

    def structure_model(data: Any, _: Any) -> Any:
        if not isinstance(data, Mapping):
            return _not_a_dict(cls, data, None)
        obj = base(data, cls)
        if len(data) > len(known_keys) or not known_keys.issuperset(data):
            extra = {k: v for k, v in data.items() if k not in known_keys}
            if extra:
                obj.extra_fields = extra
        if finish is not None:
            finish(obj)
        return obj

    return structure_model


def _not_a_dict(cls: type[Any], data: Any, structure: Callable[[Any, Any], Any] | None) -> Any:
    """A model from anything but a ``dict``: ``None`` gives the model's default (remembered,
    so that an unchanged default is written back as ``null``, as ``null`` lists decode to
    ``[]``); another mapping is copied to a dict for ``structure``; the rest is an error."""
    if data is None:
        try:
            default = cls()
        except TypeError:
            raise ValueError(f"expected an object for {cls.__name__}, got None") from None
        _remember_null(default)
        return default
    if structure is not None and isinstance(data, Mapping):
        return structure(dict(data), cls)
    raise ValueError(f"expected an object for {cls.__name__}, got {_describe(data)}")


def _remember_received_secrets(obj: Any, secrets: tuple[str, ...]) -> None:
    """Note the secret values a server sent: they are scrubbed wherever they show up later
    (an echo), and :func:`unchanged_secrets` can tell which the caller left alone."""
    received = {}
    for field_name in secrets:
        value = getattr(obj, field_name)
        if isinstance(value, str):
            remember_secret(value)
        if value is not None:
            received[field_name] = value
    if received:
        key = id(obj)
        _received_secrets[key] = received
        weakref.finalize(obj, _received_secrets.pop, key, None)


def _model_unstructure_hook(
    cls: type[Any], conv: _Converter, never: int | None
) -> Callable[[Any], Any]:
    plan: list[tuple[str, str, Any, bool]] = []
    # Models are written with postponed annotations: turn the strings into types first
    # (structuring does this too, but a model may be encoded before it is ever decoded).
    attrs.resolve_types(cls)
    for a in attrs.fields(cls):
        if a.name == _EXTRA:
            continue
        wire_key = str(a.metadata.get(_WIRE, a.name))
        tp = a.type
        is_time = tp is UnixTime or _optional_inner(tp) is UnixTime
        plan.append((a.name, wire_key, tp, is_time))
    # Field hooks are looked up on first use, not here: models may refer to themselves
    # (a search clause holds search clauses), and eager lookup would recurse forever.
    hooks: dict[str, Callable[[Any], Any]] = {}

    def unstructure_model(obj: Any) -> dict[str, Any] | None:
        if _NULL_BORN and _born_null(obj):
            return None
        out: dict[str, Any] = {}
        for attr_name, wire_key, tp, is_time in plan:
            value = getattr(obj, attr_name)
            if is_time:
                out[wire_key] = never if value is None else _encode_time(value)
            elif value is None:
                out[wire_key] = None
            elif isinstance(value, WireModel):
                # by the runtime class: a field typed as a base model may hold a subclass
                out[wire_key] = conv.unstructure(value)
            else:
                hook = hooks.get(attr_name)
                if hook is None:
                    hook = hooks[attr_name] = conv.get_unstructure_hook(tp)
                out[wire_key] = hook(value)
        extra = obj.extra_fields
        if extra:
            for key, value in extra.items():
                out.setdefault(key, value)
        return out

    return unstructure_model


def _plain_message(error: BaseException) -> str:
    import cattrs

    if isinstance(error, cattrs.BaseValidationError):
        inner = error.exceptions[0] if error.exceptions else error
        return _plain_message(inner) if inner is not error else str(error)
    return str(error) or type(error).__name__


def _first_path(error: BaseException) -> tuple[str, str] | None:
    """Walk a detailed cattrs error down to its first leaf; path in *wire* names."""
    import cattrs

    if not isinstance(error, cattrs.BaseValidationError):
        return None
    path = "$"
    current: BaseException = error
    while isinstance(current, cattrs.BaseValidationError) and current.exceptions:
        child = current.exceptions[0]
        for note in getattr(child, "__notes__", ()):
            if isinstance(note, cattrs.AttributeValidationNote):
                owner = getattr(current, "cl", None)
                key = note.name
                if isinstance(owner, type) and attrs.has(owner):
                    with contextlib.suppress(AttributeError):
                        key = wire_name(owner, note.name)
                path += f".{key}"
                break
            if isinstance(note, cattrs.IterableValidationNote):
                path += f"[{note.index!r}]"
                break
        current = child
    if isinstance(current, KeyError):
        return path, "required field is missing"
    return path, _plain_message(current)
