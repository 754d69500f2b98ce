"""Models and the cattrs converter every vendor package uses.

A vendor model is an attrs class built with :func:`model`, deriving from :class:`WireModel`,
whose fields name their exact wire key with :func:`wire`::

    @model
    class Job(WireModel):
        guid: str = wire("GUID")
        received: UnixTime | None = wire("RecievedTime", default=None)  # sic: the vendor's spelling
        status: JobStatus = wire("Status", default=JobStatus.UNKNOWN)

:class:`ModelConverter` turns decoded JSON into such models and back:

* wire names are taken from the field metadata; nothing is guessed from case;
* keys the model does not know are kept in ``extra_fields`` and written back on the way out;
* ``null`` for a list or mapping field decodes as an empty one;
* ints reject floats with a fraction and booleans (no silent truncation);
* :class:`UnixTime` fields turn unix seconds into aware UTC datetimes, ``0`` into ``None``;
* open enums (:class:`OpenIntEnum`, :class:`OpenStrEnum`) keep values they do not know;
* any failure becomes :class:`~backup_sdk.errors.ResponseDecodeError` with a field path.
"""

from __future__ import annotations

import contextlib
import enum
import json
import math
import weakref
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Final, TypeVar, Union, cast, get_args, get_origin, overload

import attrs
import cattrs
from cattrs.cols import list_structure_factory, mapping_structure_factory
from cattrs.gen import make_dict_structure_fn, override
from typing_extensions import Self, dataclass_transform

from backup_sdk.errors import ResponseDecodeError
from backup_sdk.redaction import REDACTED, redact_body, register_secret_keys, remember_secret

__all__ = [
    "ModelConverter",
    "OpenIntEnum",
    "OpenStrEnum",
    "UnixTime",
    "WireModel",
    "iter_wire_names",
    "model",
    "to_record",
    "unchanged_secrets",
    "wire",
    "wire_name",
]

T = TypeVar("T")
_NOTHING: Any = attrs.NOTHING
_WIRE: Final = "backup_sdk.wire"
_SECRET: Final = "backup_sdk.secret"
_EXTRA: Final = "extra_fields"


def _redacted_repr(value: object) -> str:
    return "None" if value is None else REDACTED


@overload
def wire(name: str, *, secret: bool = ..., repr: bool = ..., eq: bool = ...) -> Any: ...
@overload
def wire(name: str, *, default: T, secret: bool = ..., repr: bool = ..., eq: bool = ...) -> T: ...
@overload
def wire(
    name: str,
    *,
    factory: Callable[[], T],
    secret: bool = ...,
    repr: bool = ...,
    eq: bool = ...,
) -> T: ...
def wire(
    name: str,
    *,
    default: Any = _NOTHING,
    factory: Callable[[], Any] | None = None,
    secret: bool = False,
    repr: bool = True,
    eq: bool = True,
) -> Any:
    """Declare a model field and the exact key it has on the wire.

    ``secret=True`` shows the field as ``<REDACTED>`` in ``repr`` (passwords, keys) and
    registers its wire key as secret, so logs, errors and cassettes scrub it too.
    """
    if secret:
        register_secret_keys([name])
    field_repr: bool | Callable[[Any], str] = _redacted_repr if secret else repr
    return attrs.field(
        default=default,
        factory=factory,
        repr=field_repr,
        eq=eq,
        metadata={_WIRE: name, _SECRET: secret},
    )


if TYPE_CHECKING:
    # Type checkers see attrs' own decorator, so models are attrs classes to them too
    # (``attrs.evolve(model, ...)``, ``attrs.fields(type(model))`` type-check).
    from attrs import define as model
else:

    @dataclass_transform(field_specifiers=(attrs.field, wire))
    def model(cls: type[T]) -> type[T]:
        """Class decorator for vendor models: an attrs class with ``__slots__``."""
        return attrs.define(cls, slots=True)


@model
class WireModel:
    """Base of every vendor model.

    ``extra_fields`` holds wire keys this version of the SDK does not know, exactly as
    received; they are written back out when the model is encoded, so a read-modify-write
    never drops settings a newer server added.
    """

    extra_fields: dict[str, Any] = attrs.field(factory=dict, kw_only=True, repr=False)


# id(model) -> the secret values it was decoded with (models are unhashable; each entry
# goes when its model does)
_received_secrets: dict[int, dict[str, Any]] = {}


def unchanged_secrets(obj: Any) -> frozenset[str]:
    """The secret fields of a decoded model that still hold the value the server sent.

    A read-modify-write should not send those back: the caller did not change them.
    Empty for a model built in code.
    """
    received = _received_secrets.get(id(obj))
    if not received:
        return frozenset()
    return frozenset(name for name, value in received.items() if getattr(obj, name) == value)


def wire_name(cls: type[Any], field_name: str) -> str:
    """The wire key of a model field (``wire_name(Job, "guid") == "GUID"``)."""
    for a in attrs.fields(cls):
        if a.name == field_name:
            return str(a.metadata.get(_WIRE, a.name))
    raise AttributeError(f"{cls.__name__} has no field {field_name!r}")


def to_record(obj: Any) -> dict[str, Any]:
    """A flat ``{python_name: value}`` dict of a model (for DataFrames and CSV).

    Nested models are left as objects; unknown wire fields are not included. Objects that
    are not attrs models but have a ``to_record()`` method (Cove statistics rows, backup
    runs) are asked for their own.
    """
    if not attrs.has(type(obj)):
        own = getattr(obj, "to_record", None)
        if callable(own):
            record: dict[str, Any] = own()
            return record
        raise TypeError(f"cannot make a record of a {type(obj).__name__}")
    return {a.name: getattr(obj, a.name) for a in attrs.fields(type(obj)) if a.name != _EXTRA}


# --------------------------------------------------------------------------- timestamps


class UnixTime(datetime):
    """An aware UTC ``datetime`` decoded from unix seconds; ``.raw`` is the wire value.

    It *is* a datetime (compare it, format it, subtract it); encoding writes ``.raw`` back,
    so nothing is lost in a round trip.
    """

    __slots__ = ("raw",)
    raw: int | float | str

    @classmethod
    def from_unix(cls, raw: float) -> Self:
        """Build from seconds since the epoch (UTC)."""
        obj = cls.fromtimestamp(raw, timezone.utc)
        obj.raw = raw
        return obj

    @classmethod
    def from_raw(cls, raw: int | float | str, *, auto_units: bool = False) -> Self:
        """Build from a wire value: a number or a decimal string of epoch seconds.

        With ``auto_units``, values too large to be seconds are read by magnitude as
        milliseconds (>= 1e11), microseconds (>= 1e14) or nanoseconds (>= 1e17) -- a
        heuristic for APIs that do not state their unit. ``.raw`` keeps the value exactly
        as given (a string stays a string), so it is written back unchanged.

        Raises:
            ValueError: not a number, or out of the datetime range.
        """
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise ValueError(f"expected epoch seconds, got {_describe(raw)}")
        number: int | float
        if isinstance(raw, str):
            text = raw.strip()
            try:
                number = int(text)
            except ValueError:
                try:
                    number = float(text)
                except ValueError:
                    raise ValueError(f"expected epoch seconds, got {_describe(raw)}") from None
        else:
            number = raw
        seconds: float = number
        if auto_units:
            magnitude = abs(number)
            if magnitude >= 1e17:
                seconds = number / 1e9
            elif magnitude >= 1e14:
                seconds = number / 1e6
            elif magnitude >= 1e11:
                seconds = number / 1e3
        try:
            obj = cls.fromtimestamp(seconds, timezone.utc)
        except (OverflowError, OSError, ValueError):
            raise ValueError(f"epoch time {raw!r} is out of range") from None
        obj.raw = raw
        return obj

    @classmethod
    def from_datetime(cls, value: datetime) -> Self:
        """Convert an aware datetime (naive ones are refused: their zone is unknown)."""
        if value.tzinfo is None:
            raise ValueError("naive datetime: give it a time zone (e.g. timezone.utc)")
        ts = value.timestamp()
        return cls.from_unix(int(ts) if ts.is_integer() else ts)

    def __reduce_ex__(self, protocol: Any) -> tuple[Any, ...]:
        return (_unixtime_from_raw, (self.raw,))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_unixtime_from_raw, (self.raw,))

    def __repr__(self) -> str:
        return f"UnixTime({self.isoformat()!r}, raw={self.raw!r})"


def _unixtime_from_raw(raw: float | str) -> UnixTime:
    value = UnixTime.from_raw(raw, auto_units=True)
    value.raw = raw
    return value


# --------------------------------------------------------------------------- open enums


class _OpenEnumMixin:
    _name_: str

    @property
    def is_unknown(self) -> bool:
        """True for a value this SDK version does not know (kept as-is, not rejected)."""
        return self._name_ not in type(self).__members__  # type: ignore[attr-defined]


def _pseudo_member(cls: Any, base: type, value: Any) -> Any:
    member: Any = base.__new__(cls, value)
    member._name_ = f"UNKNOWN_{value}"
    member._value_ = value
    return cls._value2member_map_.setdefault(value, member)


class OpenIntEnum(_OpenEnumMixin, enum.IntEnum):
    """An ``IntEnum`` that keeps unknown codes (as ``UNKNOWN_<code>`` pseudo-members).

    Numeric strings (``"5000"``) are accepted, booleans and fractions are not.
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if isinstance(value, bool):
            return None
        if isinstance(value, str):
            try:
                value = int(value.strip())
            except ValueError:
                return None
            known = cls._value2member_map_.get(value)
            if known is not None:
                return known
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int):
            return None
        return _pseudo_member(cls, int, value)


class OpenStrEnum(_OpenEnumMixin, str, enum.Enum):
    """A string enum that keeps unknown values (as ``UNKNOWN_<value>`` pseudo-members)."""

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        return _pseudo_member(cls, str, value)


# --------------------------------------------------------------------------- converter


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


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."


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

    The fast path runs without cattrs' detailed validation; when it fails, the payload is
    decoded once more with detailed validation to name the failing field.
    """

    def __init__(
        self,
        vendor: str,
        *,
        numeric_strings: bool = False,
        auto_time_units: bool = False,
        never_time: int | None = 0,
    ) -> None:
        self.vendor = vendor
        self.numeric_strings = numeric_strings
        self.auto_time_units = auto_time_units
        self.never_time = never_time
        self.cattrs = self._build(detailed=False)
        self._detailed: cattrs.Converter | None = None
        self._extra_hooks: list[Callable[[cattrs.Converter], None]] = []

    # -- public ----------------------------------------------------------------------

    def register(self, configure: Callable[[cattrs.Converter], None]) -> None:
        """Add vendor hooks; ``configure`` is applied to the fast and the detailed converter."""
        self._extra_hooks.append(configure)
        configure(self.cattrs)
        if self._detailed is not None:
            configure(self._detailed)

    @overload
    def structure(self, data: Any, cls: type[T], *, excerpt_of: Any = None) -> T: ...
    @overload
    def structure(self, data: Any, cls: Any, *, excerpt_of: Any = None) -> Any: ...
    def structure(self, data: Any, cls: Any, *, excerpt_of: Any = None) -> Any:
        """Build ``cls`` from decoded JSON; raises :class:`ResponseDecodeError`."""
        try:
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

    def _detailed_converter(self) -> cattrs.Converter:
        if self._detailed is None:
            conv = self._build(detailed=True)
            for configure in self._extra_hooks:
                configure(conv)
            self._detailed = conv
        return self._detailed

    # -- hooks -----------------------------------------------------------------------

    def _build(self, *, detailed: bool) -> cattrs.Converter:
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

        # Optional[X]: None stays None (0 for timestamps is handled above).
        def optional_factory(tp: Any) -> Callable[[Any, Any], Any]:
            inner = _optional_inner(tp)
            hook = conv.get_structure_hook(inner)

            def s_optional(value: Any, _: Any) -> Any:
                if value is None:
                    return None
                return hook(value, inner)

            return s_optional

        conv.register_structure_hook_factory(
            lambda tp: _optional_inner(tp) is not None and _optional_inner(tp) is not UnixTime,
            optional_factory,
        )

        # Lists: ``null`` is empty; a string or mapping is an error, never split into pieces.
        def list_factory(tp: Any, c: cattrs.Converter) -> Callable[[Any, Any], Any]:
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
        def dict_factory(tp: Any, c: cattrs.Converter) -> Callable[[Any, Any], Any]:
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
            _is_model, lambda cls: _model_structure_hook(cls, conv, detailed)
        )
        never = self.never_time
        conv.register_unstructure_hook_factory(
            _is_model, lambda cls: _model_unstructure_hook(cls, conv, never)
        )
        return conv


def _model_structure_hook(
    cls: type[Any], conv: cattrs.Converter, detailed: bool
) -> Callable[[Any, Any], Any]:
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
    name = cls.__name__
    secrets = tuple(a.name for a in fields if a.metadata.get(_SECRET))

    def structure_model(data: Any, _: Any) -> Any:
        if not isinstance(data, Mapping):
            raise ValueError(f"expected an object for {name}, got {_describe(data)}")
        obj = base(data, cls)
        if len(data) > len(known_keys) or not known_keys.issuperset(data):
            extra = {k: v for k, v in data.items() if k not in known_keys}
            if extra:
                obj.extra_fields = extra
        if secrets:
            received = {}
            for field_name in secrets:
                # a secret a server sent is scrubbed wherever it shows up later (an echo)
                value = getattr(obj, field_name)
                if isinstance(value, str):
                    remember_secret(value)
                if value is not None:
                    received[field_name] = value
            if received:
                key = id(obj)
                _received_secrets[key] = received
                weakref.finalize(obj, _received_secrets.pop, key, None)
        return obj

    return structure_model


def _model_unstructure_hook(
    cls: type[Any], conv: cattrs.Converter, never: int | None
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

    def unstructure_model(obj: Any) -> dict[str, Any]:
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


def _encode_time(value: Any) -> Any:
    if isinstance(value, UnixTime):
        return value.raw
    if isinstance(value, datetime):
        return UnixTime.from_datetime(value).raw
    return value


def _plain_message(error: BaseException) -> str:
    if isinstance(error, cattrs.BaseValidationError):
        inner = error.exceptions[0] if error.exceptions else error
        return _plain_message(inner) if inner is not error else str(error)
    return str(error) or type(error).__name__


def _first_path(error: BaseException) -> tuple[str, str] | None:
    """Walk a detailed cattrs error down to its first leaf; path in *wire* names."""
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


def iter_wire_names(cls: type[Any]) -> Iterable[tuple[str, str]]:
    """``(python_name, wire_name)`` pairs of a model, in declaration order."""
    for a in attrs.fields(cls):
        if a.name != _EXTRA:
            yield a.name, str(a.metadata.get(_WIRE, a.name))
