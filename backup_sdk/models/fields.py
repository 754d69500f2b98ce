"""Model fields: :func:`wire` names a field's exact wire key, :func:`model` makes a class a
vendor model, :class:`WireModel` keeps the keys a model does not know.

Also what callers ask of a model's fields: :func:`wire_name`, :func:`iter_wire_names`,
:func:`to_record` and :func:`unchanged_secrets`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Final, TypeVar, overload

import attrs

from backup_sdk._compat import dataclass_transform
from backup_sdk.redaction import REDACTED, register_secret_keys

__all__ = [
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


def iter_wire_names(cls: type[Any]) -> Iterable[tuple[str, str]]:
    """``(python_name, wire_name)`` pairs of a model, in declaration order."""
    for a in attrs.fields(cls):
        if a.name != _EXTRA:
            yield a.name, str(a.metadata.get(_WIRE, a.name))
