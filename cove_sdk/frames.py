"""Cove statistics rows as a DataFrame with readable column names and real dtypes.

:func:`statistics_frame` names each column after the column catalogue
(:mod:`cove_sdk.columns`): ``I1`` is ``device_name``, ``D09F00`` is
``total_last_session_status``, ``D1F09`` is ``files_and_folders_last_successful_session_time``.
Values are typed by the catalogue's :class:`~cove_sdk.columns.ValueType`:

============================  =========================================================
value type                    dtype
============================  =========================================================
time                          ``datetime64[ns, UTC]`` ("never" sentinels are NaT)
int, size (bytes)             nullable ``Int64``
number                        nullable ``Float64``
status                        categorical of :class:`~cove_sdk.enums.SessionStatus`
                              names in lower case (``"completed"``, ``"failed"``...)
data sources (``I78``)        ``string``: the active sources' codes, ``"D1,D19"``
text, colour bar, unknown     ``string`` (several values are joined with ``", "``)
============================  =========================================================

The first two columns are ``account_id`` and ``partner_id``. ``df.attrs["columns"]`` maps
each code (as the server echoed it) to its column name, so the codes stay at hand:
``{v: k for k, v in df.attrs["columns"].items()}["device_name"] == "I1"``.

``client.iter_account_statistics(...).to_dataframe()`` builds this frame (through
``FRAME_BUILDERS``, see :mod:`backup_sdk.frames`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from backup_sdk.errors import ResponseDecodeError
from backup_sdk.frames import (
    category_column,
    datetime_column,
    import_pandas,
    int_column,
)
from cove_sdk.columns import ValueType, canonical, describe, parse_active_sources, value_type
from cove_sdk.enums import SessionStatus
from cove_sdk.statistics import StatisticsRow

if TYPE_CHECKING:
    import pandas

__all__ = ["FRAME_BUILDERS", "column_name", "statistics_frame"]

_WORD = re.compile(r"[^0-9a-z]+")


def _snake(text: str) -> str:
    return _WORD.sub("_", text.lower()).strip("_")


def column_name(code: str) -> str:
    """The frame's name for a column code: the catalogue title in snake case
    (``"I6"`` -> ``"time_stamp_last_contact"``, ``"D9F0"`` -> ``"total_last_session_status"``);
    a code the catalogue does not know (custom ``AA`` columns) is its lower-cased code."""
    title = describe(code)
    if title == code:
        return _snake(code) or code
    return _snake(title)


def _status_name(status: SessionStatus | None) -> str | None:
    return None if status is None else status.name.lower()


def _text(row: StatisticsRow, code: str) -> str | None:
    value = row.get(code)
    if isinstance(value, list):
        items = row.values(code)
        return ", ".join(items) if items else None
    return row.text(code)


def _number(row: StatisticsRow, code: str) -> float | None:
    text = _text(row, code)
    if text is None or not text.strip():
        return None
    try:
        return float(text)
    except ValueError:
        raise ResponseDecodeError(
            f"column {code} is not a number: {text!r}"[:200],
            vendor="cove",
            model="StatisticsRow",
            path=f"$[AccountId={row.account_id}].Settings.{code}",
        ) from None


def _sources(row: StatisticsRow, code: str) -> str | None:
    value = row.get(code)
    if value is None:
        return None
    active = parse_active_sources(value)
    codes = [source.code for source in active.sources] + active.unknown
    return ",".join(codes)


def _column(rows: Sequence[StatisticsRow], code: str) -> Any:
    kind = value_type(code)
    if kind is ValueType.TIME:
        return datetime_column([row.time(code) for row in rows])
    if kind in (ValueType.INT, ValueType.SIZE):
        return int_column([row.integer(code) for row in rows])
    if kind is ValueType.NUMBER:
        return import_pandas().array([_number(row, code) for row in rows], dtype="Float64")
    if kind is ValueType.STATUS:
        names = [_status_name(row.status(code)) for row in rows]
        known = [member.name.lower() for member in SessionStatus]
        extra = sorted({name for name in names if name is not None and name not in known})
        return category_column(names, known + extra)
    if kind is ValueType.DATA_SOURCES:
        return import_pandas().array([_sources(row, code) for row in rows], dtype="string")
    return import_pandas().array([_text(row, code) for row in rows], dtype="string")


_STAT = re.compile(r"^D(\d+)F(\d+)$")
_PROP = re.compile(r"^I(\d+)$")


def _order(key: str) -> tuple[int, int, int, str]:
    """Device properties by number, then statistics by data source and field, then the rest."""
    prop = _PROP.match(key)
    if prop:
        return (0, int(prop.group(1)), 0, "")
    stat = _STAT.match(key)
    if stat:
        return (1, int(stat.group(1)), int(stat.group(2)), "")
    return (2, 0, 0, key)


def statistics_frame(rows: Iterable[StatisticsRow]) -> pandas.DataFrame:
    """Statistics rows as a DataFrame (see the module docstring for names and dtypes).

    Every column any row has becomes a column (rows without it hold a missing value);
    spellings of one code (``D09F00``, ``D9F0``) are one column.

    Raises:
        MissingDependencyError: pandas is not installed (``pip install 'backup-sdk[pandas]'``).
        ResponseDecodeError: a value is not what its column promises (device and column named).
    """
    pd = import_pandas()
    items = list(rows)
    found: dict[str, str] = {}
    for row in items:
        for code in row.raw:
            found.setdefault(canonical(code), code)
    codes = {key: found[key] for key in sorted(found, key=_order)}
    names: dict[str, str] = {"AccountId": "account_id", "PartnerId": "partner_id"}
    taken = set(names.values())
    for code in codes.values():
        name = column_name(code)
        if name in taken:
            name = f"{name}_{_snake(code)}"
        names[code] = name
        taken.add(name)
    data: dict[str, Any] = {
        "account_id": int_column([row.account_id for row in items]),
        "partner_id": int_column([row.partner_id for row in items]),
    }
    for code in codes.values():
        data[names[code]] = pd.Series(_column(items, code))
    frame: pandas.DataFrame = pd.DataFrame(data)
    frame.attrs["columns"] = names
    return frame


#: Frame builders of this package's types (found by :func:`backup_sdk.frames.to_dataframe`).
FRAME_BUILDERS = {StatisticsRow: statistics_frame}
