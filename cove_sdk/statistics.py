"""Rows of ``EnumerateAccountStatistics``, with typed access to their columns.

A row arrives as ``{"AccountId", "PartnerId", "Flags", "Settings": [{"I1": "pc-01"}, ...]}``
with every value a string. :class:`StatisticsRow` keeps the flattened settings as they came
(``row.raw``) and converts a value only when it is asked for: building a page of
10,000 rows x 40 columns costs about half the ``json.loads`` that produced it, and five
typed reads per row about as much again (``benchmarks/cove_rows.py``).

Values are found whatever padding the server echoes: ``row.get("D9F0")`` finds a value
that came back under ``D09F00`` and vice versa.

A multi-valued column may arrive as a JSON list or as one ``,``/``;``-separated string:
:meth:`StatisticsRow.values` reads every form; the single-value accessors (``text``,
``integer``...) refuse a list of several values rather than join or truncate it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from backup_sdk.errors import ResponseDecodeError
from backup_sdk.models import UnixTime
from backup_sdk.models._gcpause import paused_for
from backup_sdk.models.times import MAX_SECONDS, MIN_SECONDS, unix_time_from_int
from cove_sdk.columns import (
    TOTAL,
    DataSource,
    ValueType,
    _parse_active_text,
    canonical,
    data_source,
    parse_active_sources,
    value_type,
)
from cove_sdk.enums import AccountFlag, AccountType, OSType, SessionStatus
from cove_sdk.never import NEVER_SECONDS, is_never_time

__all__ = [
    "DataSourceStats",
    "StatisticsPage",
    "StatisticsRow",
    "TotalValue",
    "decode_page",
    "decode_total",
    "decode_totals",
    "type_totals",
]

Value = str | int | float | list[str] | None
#: A typed ``Totals`` result (see :class:`StatisticsPage`).
TotalValue = str | int | float | UnixTime | list[str] | None
_SPLIT = re.compile(r"[,;]")


def _fail(what: str, code: str, value: Any, account: Any = None) -> ResponseDecodeError:
    return ResponseDecodeError(
        f"column {code} is not {what}: {value!r}"[:200],
        vendor="cove",
        model="StatisticsRow",
        path=f"$[AccountId={account}].Settings.{code}",
        excerpt=None,
    )


class StatisticsRow:
    """One device of ``EnumerateAccountStatistics`` (``SelectionMode`` Merged).

    Attributes:
        account_id: the device's account id.
        partner_id: the partner (customer/site) it belongs to.
        flags: row flags (``AutoDeployed``...), empty when the server sends null.
        raw: the settings flattened to ``{code as echoed: value}``, exactly as received.
    """

    __slots__ = ("_canon", "account_id", "extra_fields", "flags", "partner_id", "raw")

    def __init__(
        self,
        account_id: int,
        partner_id: int,
        flags: list[AccountFlag],
        raw: dict[str, Value],
        extra_fields: dict[str, Any] | None = None,
    ) -> None:
        self.account_id = account_id
        self.partner_id = partner_id
        self.flags = flags
        self.raw = raw
        self.extra_fields = extra_fields or {}
        # code asked -> code as echoed (_Aliases), built on the first code not echoed as
        # asked; until then None, or the page's _Layout, which may share its own
        self._canon: _Aliases | _Layout | None = None

    def __repr__(self) -> str:
        name = self.raw.get("I1") or self.raw.get("AN") or ""
        return (
            f"StatisticsRow(account_id={self.account_id}, name={name!r}, columns={len(self.raw)})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            StatisticsRow,
            (self.account_id, self.partner_id, self.flags, self.raw, self.extra_fields),
        )

    # -- raw access --------------------------------------------------------------------------

    def get(self, code: str, default: Value = None) -> Value:
        """The raw value of a column, found whatever padding either side used."""
        raw = self.raw
        value: Value = raw.get(code, _MISSING)
        if value is not _MISSING:
            return value
        aliases = self._canon
        if type(aliases) is not _Aliases:
            aliases = self._aliases()
        key = aliases[code]
        return default if key is None else raw.get(key, default)

    def _aliased(self, code: str) -> Value:
        """The value of a code not echoed as asked (None when absent): the rest of
        :meth:`get`, for the readers, which look ``code`` up themselves first."""
        aliases = self._canon
        if type(aliases) is not _Aliases:
            aliases = self._aliases()
        key = aliases[code]
        return None if key is None else self.raw.get(key)

    def _aliases(self) -> _Aliases:
        """The row's map from codes as asked to codes as echoed: the page's shared one when
        the row has the page's keys."""
        layout = self._canon
        raw = self.raw
        aliases = (
            layout.aliases_for(raw)
            if type(layout) is _Layout
            else _Aliases({canonical(k): k for k in raw})
        )
        self._canon = aliases
        return aliases

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self.get(code, _MISSING) is not _MISSING

    def _one(self, code: str, value: list[Any]) -> Value:
        """The single value of a list value: its element, None when empty."""
        if len(value) > 1:
            raise _fail("a single value (read it with row.values())", code, value, self.account_id)
        return value[0] if value else None

    def _single(self, code: str) -> Value:
        value = self.raw.get(code, _MISSING)
        if value is _MISSING:
            value = self._aliased(code)
        return self._one(code, value) if isinstance(value, list) else value

    def text(self, code: str) -> str | None:
        """A single-valued column as text; a one-element list gives its element.

        Raises:
            ResponseDecodeError: the column holds several values (use :meth:`values`).
        """
        value = self._single(code)
        if value is None:
            return None
        return str(value)

    def values(self, code: str) -> list[str]:
        """A multi-valued column as a list: a JSON list stays a list; a string is split on
        ``,`` and ``;``. Items are stripped, empty ones dropped; absent -> ``[]``."""
        value = self.get(code)
        if value is None:
            return []
        items = value if isinstance(value, list) else _SPLIT.split(str(value))
        return [text for text in (str(v).strip() for v in items if v is not None) if text]

    # The typed readers below take decimal text (what the service sends) in a few steps
    # and hand anything else to the general code after them, which gives the same results.

    def integer(self, code: str) -> int | None:
        """A numeric column as int (empty -> None).

        Raises:
            ResponseDecodeError: the value is not a number, or is several values.
        """
        value = self.raw.get(code, _MISSING)
        if value is _MISSING:
            value = self._aliased(code)
        if type(value) is str and value:
            try:
                return int(value)
            except ValueError:
                pass
        return self._integer(code, value)

    def _integer(self, code: str, value: Value) -> int | None:
        if isinstance(value, list):
            value = self._one(code, value)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise _fail("a number", code, value, self.account_id)
        if isinstance(value, int):
            return value
        try:
            return int(value)  # type: ignore[arg-type]
        except (TypeError, ValueError, OverflowError):  # OverflowError: a float infinity
            try:
                number = float(value)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                raise _fail("a number", code, value, self.account_id) from None
            if number.is_integer():
                return int(number)
            raise _fail("a whole number", code, value, self.account_id) from None

    def time(self, code: str) -> UnixTime | None:
        """A timestamp column as an aware UTC datetime. The "never" sentinels (0, empty,
        2147483647) and an empty ``F15`` while a session runs give None; ``row.raw`` keeps
        the value as received.

        Raises:
            ResponseDecodeError: the value is not a timestamp.
        """
        value = self.raw.get(code, _MISSING)
        if value is _MISSING:
            value = self._aliased(code)
        if type(value) is str and value:
            try:
                seconds = int(value)
            except ValueError:
                pass
            else:
                if seconds in NEVER_SECONDS:
                    return None
                if MIN_SECONDS <= seconds <= MAX_SECONDS:
                    return unix_time_from_int(seconds)  # what from_raw builds, directly
        return self._time(code, value)

    def _time(self, code: str, value: Value) -> UnixTime | None:
        seconds = self._integer(code, value)
        if seconds is None or is_never_time(seconds):
            return None
        try:
            return UnixTime.from_raw(seconds)
        except ValueError:
            raise _fail("a timestamp", code, seconds, self.account_id) from None

    def status(self, code: str) -> SessionStatus | None:
        """A session-status column (``F00``, ``F16``, ``F17``) as :class:`SessionStatus`."""
        value = self.raw.get(code, _MISSING)
        if value is _MISSING:
            value = self._aliased(code)
        if type(value) is str:
            known = _STATUS_OF_TEXT.get(value)
            if known is not None:
                return known
        return self._status(code, value)

    def _status(self, code: str, value: Value) -> SessionStatus | None:
        if isinstance(value, list):
            value = self._one(code, value)
        if value is None or value == "":
            return None
        try:
            status = SessionStatus(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise _fail("a session status", code, value, self.account_id) from None
        if type(value) is str:
            if len(_STATUS_OF_TEXT) >= _STATUS_CACHE_SIZE:
                _STATUS_OF_TEXT.clear()
            _STATUS_OF_TEXT[value] = status
        return status

    # -- device properties -------------------------------------------------------------------

    @property
    def device_name(self) -> str | None:
        """``I1`` device (account) name."""
        return self.text("I1")

    @property
    def computer_name(self) -> str | None:
        """``I18`` computer name."""
        return self.text("I18")

    @property
    def customer(self) -> str | None:
        """``I8`` customer (partner) name."""
        return self.text("I8")

    @property
    def used_storage(self) -> int | None:
        """``I14`` used storage, in bytes."""
        return self.integer("I14")

    @property
    def last_contact(self) -> UnixTime | None:
        """``I6`` last time the device was in touch (UTC)."""
        return self.time("I6")

    @property
    def created(self) -> UnixTime | None:
        """``I4`` creation date (UTC)."""
        return self.time("I4")

    @property
    def expiration(self) -> UnixTime | None:
        """``I5`` expiration date (UTC); None = never expires."""
        return self.time("I5")

    @property
    def os_type(self) -> OSType | None:
        """``I32`` workstation/server."""
        value = self.integer("I32")
        return None if value is None else OSType(value)

    @property
    def account_type(self) -> AccountType | None:
        """``I59`` Backup Manager or Microsoft 365."""
        value = self.integer("I59")
        return None if value is None else AccountType(value)

    @property
    def data_sources(self) -> list[DataSource]:
        """Active data sources from ``I78`` (``D`` codes, any format) or the legacy ``AP``
        (letters such as ``FSZ``; ``S`` is read as D7)."""
        value = self.get("I78")
        if type(value) is str:
            return list(_parse_active_text(value)[0])  # what parse_active_sources reads
        return parse_active_sources(value).sources

    @property
    def unknown_data_source_codes(self) -> list[str]:
        """Codes or letters of ``I78``/``AP`` that the catalogue does not know (``D13``,
        ``R``): kept here instead of being dropped."""
        return parse_active_sources(self.get("I78")).unknown

    # -- statistics --------------------------------------------------------------------------

    def source(self, source: int | str | DataSource) -> DataSourceStats:
        """Statistics of one data source of this device (``D1``, ``"D01"``, ``19``...);
        legacy sources are readable without a warning."""
        return DataSourceStats(self, data_source(source, allow_legacy=True))

    @property
    def total(self) -> DataSourceStats:
        """The ``D9`` "Total" view (newest results across the device's sources)."""
        stats: DataSourceStats = _new_stats(DataSourceStats)  # __init__, without its call
        stats._row = self
        stats.source = TOTAL
        stats._codes = _TOTAL_CODES
        return stats

    def per_source(self) -> dict[str, DataSourceStats]:
        """A view per active data source (``I78``), keyed by ``D`` code."""
        return {ds.code: DataSourceStats(self, ds) for ds in self.data_sources}

    def to_record(self) -> dict[str, Any]:
        """A flat dict for DataFrames: ids plus every column as received."""
        return {"AccountId": self.account_id, "PartnerId": self.partner_id, **self.raw}


_MISSING: Any = object()
_new_row: Callable[[type[StatisticsRow]], Any] = object.__new__
_new_stats: Callable[[type[DataSourceStats]], Any] = object.__new__
#: Status text as received -> the member ``SessionStatus(text)`` gives (unknown codes'
#: pseudo-members included: the enum keeps one per value); bounded, not an LRU.
_STATUS_OF_TEXT: dict[str, SessionStatus] = {}
_STATUS_CACHE_SIZE = 1_024


class _Aliases(dict[str, str | None]):
    """Code as asked -> code as echoed, or None when absent: what ``{canonical(k): k for k
    in raw}.get(canonical(code))`` gives, remembered for each code asked."""

    __slots__ = ("canon",)

    def __init__(self, canon: dict[str, str]) -> None:
        super().__init__()
        self.canon = canon

    def __missing__(self, code: str) -> str | None:
        key = self.canon.get(canonical(code))
        if len(self) < _ALIASES_SIZE:
            self[code] = key
        return key


_ALIASES_SIZE = 4_096


class _Layout:
    """The keys of a page's first row, and their aliases, shared by every row of the page
    that has the same keys (the server echoes the same columns for every device)."""

    __slots__ = ("_aliases", "_ordered", "keys", "order")

    def __init__(self, raw: dict[str, Value]) -> None:
        self.order = tuple(raw)
        self.keys = frozenset(self.order)
        self._aliases: _Aliases | None = None
        self._ordered = False  # two spellings of one code: the later one wins, order matters

    def aliases_for(self, raw: dict[str, Value]) -> _Aliases:
        """The aliases of ``raw``: the shared ones when it has the page's keys."""
        aliases = self._aliases
        if aliases is None:
            canon = {canonical(k): k for k in self.order}
            aliases = self._aliases = _Aliases(canon)
            self._ordered = len(canon) != len(self.order)
        if (
            len(raw) == len(self.order)
            and raw.keys() == self.keys
            and (not self._ordered or tuple(raw) == self.order)
        ):
            return aliases
        return _Aliases({canonical(k): k for k in raw})


#: ``D<n>F<f>`` for fields 0..31 of each source number, spelled as ``_code`` spells them.
_FIELD_CODE_COUNT = 32
_FIELD_CODES: dict[int, tuple[str, ...]] = {}


def _field_codes(number: int) -> tuple[str, ...]:
    codes = tuple(f"D{number}F{field}" for field in range(_FIELD_CODE_COUNT))
    if len(_FIELD_CODES) < 256:
        _FIELD_CODES[number] = codes
    return codes


_TOTAL_CODES = _field_codes(TOTAL.number)


class DataSourceStats:
    """The statistics fields (``F`` codes) of one data source of one device."""

    __slots__ = ("_codes", "_row", "source")

    def __init__(self, row: StatisticsRow, source: DataSource) -> None:
        self._row = row
        self.source = source
        number = source.number
        self._codes = _FIELD_CODES.get(number) or _field_codes(number)

    def __repr__(self) -> str:
        return (
            f"DataSourceStats({self.source.code} {self.source.name}, status={self.last_status!r})"
        )

    def _code(self, field: int) -> str:
        if type(field) is int and 0 <= field < _FIELD_CODE_COUNT:
            return self._codes[field]
        return f"D{self.source.number}F{field}"

    def value(self, field: int) -> Value:
        """The raw value of field ``F<field>`` for this source."""
        return self._row.get(self._code(field))

    @property
    def last_status(self) -> SessionStatus | None:
        """``F00`` status of the last session."""
        return self._row.status(self._codes[0])

    @property
    def last_session(self) -> UnixTime | None:
        """``F15`` time of the last session (None while a session is running)."""
        return self._row.time(self._codes[15])

    @property
    def last_success(self) -> UnixTime | None:
        """``F09`` time of the last successful session."""
        return self._row.time(self._codes[9])

    @property
    def last_completed(self) -> UnixTime | None:
        """``F18`` time of the last completed session."""
        return self._row.time(self._codes[18])

    @property
    def last_completed_status(self) -> SessionStatus | None:
        """``F17`` status of the last completed session."""
        return self._row.status(self._codes[17])

    @property
    def errors(self) -> int | None:
        """``F06`` error count of the last session."""
        return self._row.integer(self._codes[6])

    @property
    def duration(self) -> timedelta | None:
        """``F12`` duration of the last session."""
        seconds = self._row.integer(self._codes[12])
        if seconds is None:
            return None
        try:
            return timedelta(seconds=seconds)
        except OverflowError:
            raise _fail(
                "a duration in seconds", self._codes[12], seconds, self._row.account_id
            ) from None

    @property
    def selected_size(self) -> int | None:
        """``F03`` bytes selected in the last session."""
        return self._row.integer(self._codes[3])

    @property
    def processed_size(self) -> int | None:
        """``F04`` bytes processed in the last session."""
        return self._row.integer(self._codes[4])

    @property
    def sent_size(self) -> int | None:
        """``F05`` bytes sent in the last session."""
        return self._row.integer(self._codes[5])

    @property
    def protected_size(self) -> int | None:
        """``F07`` protected bytes."""
        return self._row.integer(self._codes[7])

    @property
    def selected_count(self) -> int | None:
        """``F01`` items selected in the last session."""
        return self._row.integer(self._codes[1])

    @property
    def colour_bar(self) -> str | None:
        """``F08`` colour bar of the last 28 days (undocumented encoding, kept as text)."""
        return self._row.text(self._codes[8])

    def is_stale(self, now: datetime, max_age: timedelta = timedelta(hours=24)) -> bool:
        """No successful session within ``max_age`` of ``now`` (never counts as stale)."""
        success = self.last_success
        return success is None or now - success > max_age


class StatisticsPage(list[StatisticsRow]):
    """A page of rows, with the ``Totals`` results keyed by expression.

    Attributes:
        totals: typed results. ``COUNT(...)`` -> int. ``SUM``/``MIN``/``MAX`` of one column
            by the column's type: counts, sizes (bytes), statuses and numbers -> int (float
            when fractional); ``MIN``/``MAX`` of a time column -> aware UTC
            :class:`~backup_sdk.models.UnixTime`, or None for a "never" sentinel; ``SUM``
            of a time column -> int seconds; text columns stay text. Other expressions
            (``SUM((AT!=2)*T3)``) -> int or float when numeric. A value that does not
            read as expected is kept as received.
        raw_totals: the results exactly as received (the service sends strings).
        dropped_columns: codes left out of the query because they were proven refused
            earlier (see :class:`cove_sdk.refusals.RefusedColumns`); empty otherwise.
    """

    totals: dict[str, TotalValue]
    raw_totals: dict[str, Value]
    dropped_columns: list[str]

    def __init__(
        self,
        rows: Iterable[StatisticsRow] = (),
        totals: Mapping[str, Value] | None = None,
        *,
        dropped_columns: Iterable[str] = (),
    ) -> None:
        super().__init__(rows)
        self.raw_totals = dict(totals or {})
        self.totals = type_totals(self.raw_totals)
        self.dropped_columns = list(dropped_columns)


def _flags(value: Any, account: Any) -> list[AccountFlag]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ResponseDecodeError(
            f"Flags is not a list: {value!r}"[:200],
            vendor="cove",
            model="StatisticsRow",
            path=f"$[AccountId={account}].Flags",
        )
    return [AccountFlag(str(v)) for v in value]


def _row(item: Any, index: int) -> StatisticsRow:
    if not isinstance(item, Mapping):
        raise ResponseDecodeError(
            f"a statistics row is not an object: {item!r}"[:200],
            vendor="cove",
            model="StatisticsRow",
            path=f"$[{index}]",
        )
    settings = item.get("Settings")
    raw: dict[str, Value] = {}
    if settings is not None:
        if not isinstance(settings, list):
            raise ResponseDecodeError(
                "Settings is not a list of one-key objects",
                vendor="cove",
                model="StatisticsRow",
                path=f"$[{index}].Settings",
            )
        try:
            for entry in settings:
                raw.update(entry)  # later wins, as every known client does
        except (TypeError, ValueError):
            raise ResponseDecodeError(
                "Settings holds something other than one-key objects",
                vendor="cove",
                model="StatisticsRow",
                path=f"$[{index}].Settings",
            ) from None
    account = item.get("AccountId")
    try:
        account_id = _whole(account)
        partner_id = _whole(item.get("PartnerId") or 0)
    except (TypeError, ValueError, OverflowError):
        raise ResponseDecodeError(
            f"AccountId/PartnerId are not numbers: {account!r}",
            vendor="cove",
            model="StatisticsRow",
            path=f"$[{index}].AccountId",
        ) from None
    extra = {k: v for k, v in item.items() if k not in _ROW_KEYS}
    return StatisticsRow(account_id, partner_id, _flags(item.get("Flags"), account), raw, extra)


def _whole(value: Any) -> int:
    """An id as sent (a number or decimal text); fractions, booleans and non-finite values
    are refused."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not an id")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"{value!r} is not a whole number")
        return int(value)
    return int(value)


_ROW_KEYS = frozenset({"AccountId", "PartnerId", "Flags", "Settings"})


def decode_totals(value: Any) -> dict[str, Value]:
    """``totalStatistics`` (a list of one-key objects, or null) keyed by expression."""
    if value is None:
        return {}
    if not isinstance(value, list):
        raise ResponseDecodeError(
            "totalStatistics is not a list", vendor="cove", model="Totals", path="$"
        )
    out: dict[str, Value] = {}
    for entry in value:
        if not isinstance(entry, Mapping):
            raise ResponseDecodeError(
                f"a total is not an object: {entry!r}"[:200],
                vendor="cove",
                model="Totals",
                path="$",
            )
        out.update(entry)
    return out


_AGGREGATE = re.compile(r"^\s*(COUNT|SUM|MIN|MAX)\s*\((.*)\)\s*$", re.IGNORECASE | re.DOTALL)
_TEXT_TYPES = frozenset({ValueType.STRING, ValueType.COLOUR_BAR, ValueType.DATA_SOURCES})


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    number: float
    if isinstance(value, float):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            pass
        try:
            number = float(text)
        except ValueError:
            return None
    else:
        return None
    if not math.isfinite(number):
        return None
    return int(number) if number.is_integer() else number


def decode_total(expression: str, value: Value) -> TotalValue:
    """One ``Totals`` result, typed as :class:`StatisticsPage` describes."""
    found = _AGGREGATE.match(expression)
    number = _number(value)
    if found is None:
        return value if number is None else number
    name, inner = found.group(1).upper(), found.group(2).strip()
    if name == "COUNT":
        return number if isinstance(number, int) else value
    kind = value_type(inner)
    if kind in _TEXT_TYPES:
        return value
    if kind is ValueType.TIME and name in ("MIN", "MAX"):
        if value is None or is_never_time(value):
            return None
        if number is None or isinstance(value, list):
            return value
        try:
            return UnixTime.from_raw(value)
        except ValueError:
            return value
    return value if number is None else number


def type_totals(raw: Mapping[str, Value]) -> dict[str, TotalValue]:
    """Every ``Totals`` result of a page, typed (see :class:`StatisticsPage`)."""
    return {expression: decode_total(expression, value) for expression, value in raw.items()}


Merge = Callable[[list[Any]], dict[str, Value]]
#: Settings length -> its merge function (see :func:`_merger`).
_MERGERS: dict[int, Merge] = {}
_MERGER_MAX = 512


def _merge_by_update(settings: list[Any]) -> dict[str, Value]:
    raw: dict[str, Value] = {}
    any(map(raw.update, settings))  # later wins, as in _row
    return raw


def _merger(count: int) -> Merge:
    """The function merging a list of ``count`` mappings, later wins, cached: the dict
    display ``{**s[0], ..., **s[count - 1]}`` (a quarter cheaper than ``count`` calls of
    ``dict.update``). It refuses (TypeError) what is not a mapping, such as the lists of
    pairs ``dict.update`` takes: :func:`_row` decides those rows."""
    if count == 0 or count > _MERGER_MAX:
        return _merge_by_update
    names = ", ".join(f"e{i}" for i in range(count))
    stars = ", ".join(f"**e{i}" for i in range(count))
    namespace: dict[str, Any] = {}
    exec(f"def merge(s):\n    {names}, = s\n    return {{{stars}}}\n", namespace)
    merge: Merge = namespace["merge"]
    _MERGERS[count] = merge
    return merge


def _fast_rows(rows: list[Any]) -> list[StatisticsRow]:
    """The rows of a page, each well-formed row in one pass (exact ``int`` ids, a list of
    ``dict`` settings, null or list ``Flags``); any other row goes through :func:`_row`,
    which decodes it, or raises, exactly as before."""
    out: list[StatisticsRow] = []
    append = out.append
    row_keys = _ROW_KEYS
    layout: _Layout | None = None
    mergers = _MERGERS
    new_row = _new_row
    for index, item in enumerate(rows):
        if type(item) is dict:
            account = item.get("AccountId")
            partner = item.get("PartnerId")
            settings = item.get("Settings")
            flags = item.get("Flags")
            if (
                type(account) is int
                and (type(partner) is int or partner is None)
                and type(settings) is list
                and (flags is None or type(flags) is list)
            ):
                merge = mergers.get(len(settings)) or _merger(len(settings))
                try:
                    raw = merge(settings)
                except (TypeError, ValueError):
                    pass  # _row decodes the row as dict.update reads it, or raises
                else:
                    if layout is None:
                        layout = _Layout(raw)
                    row = new_row(StatisticsRow)  # what __init__ does, without its call
                    row.account_id = account
                    row.partner_id = partner or 0
                    row.flags = [AccountFlag(str(v)) for v in flags] if flags else []
                    row.raw = raw
                    row.extra_fields = (
                        {}
                        if item.keys() <= row_keys
                        else {k: v for k, v in item.items() if k not in row_keys}
                    )
                    row._canon = layout
                    append(row)
                    continue
        append(_row(item, index))
    return out


def decode_page(rows: Any, totals: Any = None) -> StatisticsPage:
    """Build a page from ``result.result`` and ``result.totalStatistics``.

    Raises:
        ResponseDecodeError: the payload does not have the documented shape.
    """
    if rows is None:
        return StatisticsPage([], decode_totals(totals))
    if not isinstance(rows, list):
        raise ResponseDecodeError(
            f"statistics are not a list: {type(rows).__name__}",
            vendor="cove",
            model="StatisticsRow",
            path="$",
        )
    with paused_for(len(rows)):  # the rows form no cycles: collections would find nothing
        decoded = _fast_rows(rows)
    return StatisticsPage(decoded, decode_totals(totals))
