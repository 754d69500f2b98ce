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
* ints reject floats with a fraction and booleans (no silent truncation); a float field
  sent as an integer (``50``) keeps it as that int, so it is written back as ``50``;
* ``null`` where a nested model is expected decodes to the model's default (and is
  written back as ``null`` while that default is left unchanged);
* ``bytes`` fields accept base64 text or a JSON array of byte values and are written back
  in the form received (see :class:`WireBytes`);
* :class:`UnixTime` fields turn unix seconds into aware UTC datetimes, ``0`` into ``None``;
* open enums (:class:`OpenIntEnum`, :class:`OpenStrEnum`) keep values they do not know;
* any failure becomes :class:`~backup_sdk.errors.ResponseDecodeError` with a field path.
"""

from __future__ import annotations

from backup_sdk.models.converter import ModelConverter
from backup_sdk.models.enums import OpenIntEnum, OpenStrEnum
from backup_sdk.models.fields import (
    WireModel,
    iter_wire_names,
    model,
    to_record,
    unchanged_secrets,
    wire,
    wire_name,
)
from backup_sdk.models.times import UnixTime
from backup_sdk.models.times import _unixtime_from_raw as _unixtime_from_raw  # old pickles
from backup_sdk.models.wirebytes import WireBytes
from backup_sdk.models.wirebytes import _wirebytes as _wirebytes  # old pickles

__all__ = [
    "ModelConverter",
    "OpenIntEnum",
    "OpenStrEnum",
    "UnixTime",
    "WireBytes",
    "WireModel",
    "iter_wire_names",
    "model",
    "to_record",
    "unchanged_secrets",
    "wire",
    "wire_name",
]
