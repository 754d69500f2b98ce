"""Cove column codes: device properties (``I`` codes), data sources (``D``) and statistic
fields (``F``), with their legacy short codes, titles and value types.

A statistics column is a data source x a field: ``D09F00`` is "Total, last session status".
Sources disagree on zero padding (``D09F00``, ``D9F00``, ``D9F0``, ``D19F0`` are all seen in
working code), so:

* codes are **sent exactly as the caller wrote them** (:func:`column` lets you choose the
  style; plain strings are accepted everywhere);
* results are **found again whatever padding the server echoes**: lookups go through
  :func:`canonical`, which maps every spelling of a code to one key.
"""

from __future__ import annotations

import difflib
import enum
import functools
import re
import warnings
from collections.abc import Iterable
from typing import Any, Final, NamedTuple

import attrs

from backup_sdk.errors import ValidationError

__all__ = [
    "DATA_SOURCES",
    "FIELDS",
    "PROPERTIES",
    "ActiveSources",
    "DataSource",
    "Field",
    "LegacyColumnWarning",
    "Property",
    "UnknownColumnWarning",
    "ValueType",
    "canonical",
    "column",
    "data_source",
    "describe",
    "field",
    "list_data_sources",
    "parse_active_sources",
    "parse_data_source_list",
    "statistics_columns",
    "validate_columns",
    "value_type",
]


class LegacyColumnWarning(UserWarning):
    """A legacy data source (``D2``, ``D3``) was asked for. N-able support reports that
    queries naming them are refused (13501); the message names the replacement."""


class UnknownColumnWarning(UserWarning):
    """A column code is not in the catalogue; the service would leave it out silently."""


class ValueType(str, enum.Enum):
    """How a column's text value is to be read."""

    STRING = "string"
    INT = "int"
    SIZE = "size"  # bytes
    TIME = "time"  # unix seconds, UTC; 0/empty = never
    STATUS = "status"  # SessionStatus
    COLOUR_BAR = "colour_bar"
    NUMBER = "number"
    DATA_SOURCES = "data_sources"


@attrs.frozen
class Property:
    """A device property column (``I`` code)."""

    code: str
    legacy: str
    title: str
    type: ValueType
    documented: bool = True


@attrs.frozen
class DataSource:
    """A data source (``D`` code).

    Attributes:
        number: the ``D`` number.
        legacy: its legacy letter (``F``, ``S``...), empty when it has none.
        name: the name N-able's column list gives it.
        is_legacy: a legacy code that N-able says not to use (queries naming it were
            refused with 13501); :func:`column` warns about it and the "all sources"
            helpers leave it out unless asked with ``allow_legacy=True``.
        replaced_by: the number of the data source to use instead, if there is one.
    """

    number: int
    legacy: str
    name: str
    is_legacy: bool = False
    replaced_by: int | None = None

    @property
    def code(self) -> str:
        """``D1`` ... ``D23`` (unpadded)."""
        return f"D{self.number}"

    @property
    def padded(self) -> str:
        """``D01`` ... ``D23``."""
        return f"D{self.number:02d}"


@attrs.frozen
class Field:
    """A statistic field (``F`` code) of a data source."""

    number: int
    legacy: str
    title: str
    type: ValueType
    documented: bool = True

    @property
    def code(self) -> str:
        return f"F{self.number:02d}"


_T = ValueType
PROPERTIES: Final[dict[str, Property]] = {
    p.code: p
    for p in [
        Property("I0", "AU", "Device ID", _T.INT),
        Property("I1", "AN", "Device name", _T.STRING),
        Property("I2", "AL", "Device name alias", _T.STRING),
        Property("I3", "QW", "Password", _T.STRING),
        Property("I4", "CD", "Creation date", _T.TIME),
        Property("I5", "ED", "Expiration date", _T.TIME),
        Property("I6", "TS", "Time stamp (last contact)", _T.TIME),
        Property("I8", "AR", "Customer", _T.STRING),
        Property("I9", "PD", "Product ID", _T.INT),
        Property("I10", "PN", "Product", _T.STRING),
        Property("I11", "LN", "Storage location", _T.STRING),
        Property("I12", "AG", "Device group name", _T.STRING),
        Property("I13", "OU", "Own user name", _T.STRING),
        Property("I14", "US", "Used storage", _T.SIZE),
        Property("I15", "EM", "Email", _T.STRING),
        Property("I16", "OS", "OS version", _T.STRING),
        Property("I17", "VN", "Client version", _T.STRING),
        Property("I18", "MN", "Computer name", _T.STRING),
        Property("I19", "IP", "Internal IPs", _T.STRING),
        Property("I20", "EI", "External IPs", _T.STRING),
        Property("I21", "MA", "MAC address", _T.STRING),
        Property("I22", "DF", "Dashboard frequency", _T.INT),
        Property("I23", "DL", "Dashboard language", _T.STRING),
        Property("I24", "TZ", "Time offset", _T.NUMBER),
        Property("I26", "SE", "Cabinet storage efficiency", _T.INT),
        Property("I27", "CC", "Total cabinets count", _T.INT),
        Property("I28", "E0", "Efficient cabinet count 0-25", _T.INT),
        Property("I29", "E1", "Efficient cabinet count 26-50", _T.INT),
        Property("I30", "E2", "Efficient cabinet count 50-75", _T.INT),
        Property("I31", "UV", "Used virtual storage", _T.SIZE),
        Property("I32", "OT", "OS type", _T.INT),
        Property("I33", "IS", "Seeding mode", _T.INT),
        Property("I34", "AC", "Anti-crypto enabled", _T.INT),
        Property("I35", "VE", "LocalSpeedVault enabled", _T.INT),
        Property("I36", "YS", "Storage status", _T.INT),
        Property("I37", "YV", "LocalSpeedVault status", _T.INT),
        Property("I38", "AS", "Archived size", _T.STRING),
        Property("I39", "RU", "Retention units", _T.STRING),
        Property("I40", "DS", "Activity description", _T.STRING),
        Property("I41", "HN", "Number of Hyper-V VMs", _T.STRING),
        Property("I42", "EN", "Number of ESX VMs", _T.STRING),
        Property("I43", "ES", "Encryption status", _T.STRING),
        Property("I44", "MF", "Computer manufacturer", _T.STRING),
        Property("I45", "MO", "Computer model", _T.STRING),
        Property("I46", "II", "Installation ID", _T.STRING),
        Property("I47", "IM", "Installation mode", _T.INT),
        Property("I48", "REM", "Restore email", _T.STRING),
        Property("I49", "RDF", "Restore dashboard frequency", _T.INT),
        Property("I50", "RDL", "Restore dashboard language", _T.STRING),
        Property("I54", "OI", "Profile ID", _T.INT),
        Property("I55", "OV", "Profile version", _T.STRING),
        Property("I56", "OP", "Profile", _T.STRING),
        Property("I57", "KU", "Stock keeping unit (current month)", _T.STRING),
        Property("I58", "PU", "Stock keeping unit (previous month)", _T.STRING),
        Property("I59", "AT", "Account type", _T.INT),
        Property("I60", "PT", "Proxy type", _T.INT),
        Property("I62", "RP", "Most recent restore plug-in", _T.STRING),
        Property("I63", "NC", "Company name", _T.STRING),
        Property("I64", "AD", "Address", _T.STRING),
        Property("I65", "ZP", "Zip code", _T.STRING),
        Property("I66", "CY", "Country", _T.STRING),
        Property("I67", "CT", "City", _T.STRING),
        Property("I68", "PH", "Phone number", _T.STRING),
        Property("I69", "FX", "Fax number", _T.STRING),
        Property("I70", "CP", "Contract name", _T.STRING),
        Property("I71", "GN", "Group name", _T.STRING),
        Property("I72", "DE", "Demo", _T.INT),
        Property("I73", "EU", "Edu", _T.INT),
        Property("I74", "AI", "Unattended installation account ID", _T.STRING),
        Property("I75", "IF", "First installation flag", _T.INT),
        Property("I76", "MV", "Maximum allowed version", _T.STRING),
        Property("I77", "PF", "Customer reference", _T.STRING),
        Property("I78", "AP", "Active data sources", _T.DATA_SOURCES),
        Property("I80", "", "Recovery testing", _T.STRING),
        Property("I81", "", "Physicality", _T.STRING),
        Property("I82", "", "Passphrase", _T.STRING),
        Property("I84", "", "CPU cores", _T.INT, documented=False),
        Property("I85", "", "RAM bytes", _T.SIZE, documented=False),
        Property("I86", "", "FIPS status", _T.STRING, documented=False),
        Property("I87", "", "FIPS details", _T.STRING, documented=False),
        Property("I88", "", "mTLS status", _T.STRING, documented=False),
        Property("I89", "", "mTLS details", _T.STRING, documented=False),
        Property("I90", "", "DRaaS", _T.STRING, documented=False),
    ]
}

DATA_SOURCES: Final[dict[int, DataSource]] = {
    d.number: d
    for d in [
        DataSource(1, "F", "Files and Folders"),
        # N-able support calls D2/D3 legacy (13501 when used); one integrator reads D2
        # as macOS System State, so it stays readable with allow_legacy=True.
        DataSource(2, "S", "System State", is_legacy=True, replaced_by=7),
        DataSource(3, "Q", "MsSql", is_legacy=True, replaced_by=10),
        DataSource(4, "X", "VssExchange"),
        DataSource(5, "", "Microsoft 365 SharePoint"),
        DataSource(6, "N", "Network Shares"),
        DataSource(7, "S", "VssSystemState"),
        DataSource(8, "W", "VMware Virtual Machines"),
        DataSource(9, "T", "Total"),
        DataSource(10, "Z", "VssMsSql"),
        DataSource(11, "P", "VssSharePoint"),
        DataSource(12, "Y", "Oracle"),
        DataSource(14, "H", "Hyper-V"),
        DataSource(15, "L", "MySql"),
        DataSource(16, "V", "Virtual Disaster Recovery"),
        DataSource(17, "B", "Bare Metal Restore"),
        DataSource(19, "G", "Microsoft 365 Exchange"),
        DataSource(20, "J", "Microsoft 365 OneDrive"),
        DataSource(23, "", "Microsoft 365 Teams"),
    ]
}
TOTAL: Final = DATA_SOURCES[9]

FIELDS: Final[dict[int, Field]] = {
    f.number: f
    for f in [
        Field(0, "0", "Last session status", _T.STATUS),
        Field(1, "1", "Last session selected count", _T.INT),
        Field(2, "2", "Last session processed count", _T.INT),
        Field(3, "3", "Last session selected size", _T.SIZE),
        Field(4, "4", "Last session processed size", _T.SIZE),
        Field(5, "5", "Last session sent size", _T.SIZE),
        Field(6, "7", "Last session errors count", _T.INT),
        Field(7, "6", "Protected size", _T.SIZE),
        Field(8, "B", "Colour bar, last 28 days", _T.COLOUR_BAR),
        Field(9, "L", "Last successful session time", _T.TIME),
        Field(10, "8", "Pre-recent session selected count", _T.INT),
        Field(11, "9", "Pre-recent session selected size", _T.SIZE),
        Field(12, "A", "Session duration (seconds)", _T.INT),
        Field(13, "I", "Last session licence items count", _T.INT),
        Field(14, "R", "Retention", _T.INT),
        Field(15, "G", "Last session time", _T.TIME),
        Field(16, "Q", "Last successful session status", _T.STATUS),
        Field(17, "J", "Last completed session status", _T.STATUS),
        Field(18, "O", "Last completed session time", _T.TIME),
        Field(19, "K", "Last session verification data", _T.STRING),
        Field(20, "M", "Last session user mailboxes count", _T.INT),
        Field(21, "@", "Last session shared mailboxes count", _T.INT),
        Field(22, "", "SharePoint sites count", _T.INT, documented=False),
        Field(27, "", "Microsoft 365 offboarded", _T.STRING, documented=False),
    ]
}

_LEGACY_PROPERTY = {p.legacy: p.code for p in PROPERTIES.values() if p.legacy}
#: Legacy letter -> data source number. ``S`` belongs to both D2 (System State, a legacy
#: code) and D7 (VssSystemState); it is read as D7, the source N-able says to use.
_LEGACY_SOURCE = {d.legacy: d.number for d in DATA_SOURCES.values() if d.legacy and d.number != 2}
_LEGACY_FIELD = {f.legacy: f.number for f in FIELDS.values() if f.legacy}
#: Legacy-only codes seen in N-able's own scripts, with no new-notation equivalent.
_LEGACY_ONLY: Final = frozenset({"RTG"})
_STAT = re.compile(r"^D(\d{1,2})F(\d{1,2})$", re.I)
_PROP = re.compile(r"^I(\d{1,3})$", re.I)
_CUSTOM = re.compile(r"^AA\d+$", re.I)
_STYLES: Final = ("padded", "short", "minimal")


def _lookup_source(value: int | str | DataSource) -> DataSource:
    if isinstance(value, DataSource):
        return value
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        text = value.strip().upper()
        if re.fullmatch(r"D\d{1,2}", text):
            number = int(text[1:])
        elif text in _LEGACY_SOURCE:
            number = _LEGACY_SOURCE[text]
    found = DATA_SOURCES.get(number) if number is not None else None
    if found is None:
        raise ValidationError(f"unknown data source {value!r}", parameter="data_source")
    return found


def _legacy_message(source: DataSource, codes: Iterable[str] = ()) -> str:
    named = ", ".join(codes)
    text = (
        f"{named + ': ' if named else ''}{source.code} ({source.name}) is a legacy data "
        "source; N-able support reports that queries naming it are refused (13501)"
    )
    replacement = DATA_SOURCES.get(source.replaced_by) if source.replaced_by else None
    if replacement is not None:
        text += f"; use {replacement.code} ({replacement.name}) instead"
    if source.number == 2:
        text += " (one integrator reads D2 as macOS System State)"
    return text + ". Pass allow_legacy=True to ask for it anyway."


def _warn_legacy(source: DataSource, stacklevel: int, codes: Iterable[str] = ()) -> None:
    warnings.warn(LegacyColumnWarning(_legacy_message(source, codes)), stacklevel=stacklevel + 1)


def data_source(value: int | str | DataSource, *, allow_legacy: bool = False) -> DataSource:
    """A data source from its number, ``D``-code (any padding) or legacy letter.

    A legacy source (:attr:`DataSource.is_legacy`: D2, D3, letter ``Q``) emits a
    :class:`LegacyColumnWarning` naming its replacement, unless ``allow_legacy=True``.
    The letter ``S`` is read as D7 (VssSystemState).

    Raises:
        ValidationError: not a known data source.
    """
    found = _lookup_source(value)
    if found.is_legacy and not allow_legacy:
        _warn_legacy(found, 2)
    return found


def field(value: int | str | Field) -> Field:
    """A statistic field from its number or ``F``-code (any padding).

    Raises:
        ValidationError: not a known field.
    """
    if isinstance(value, Field):
        return value
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and re.fullmatch(r"[Ff]\d{1,2}", value.strip()):
        number = int(value.strip()[1:])
    found = FIELDS.get(number) if number is not None else None
    if found is None:
        raise ValidationError(f"unknown statistic field {value!r}", parameter="field")
    return found


def _spell(source: DataSource, stat: Field, style: str) -> str:
    if style == "padded":
        return f"D{source.number:02d}F{stat.number:02d}"
    if style == "short":
        return f"D{source.number}F{stat.number:02d}"
    if style == "minimal":
        return f"D{source.number}F{stat.number}"
    raise ValidationError(
        f"style must be padded, short or minimal, not {style!r}", parameter="style"
    )


def column(
    source: int | str | DataSource,
    stat: int | str | Field,
    *,
    style: str = "padded",
    allow_legacy: bool = False,
) -> str:
    """The code of a data source x field, spelled in ``style``.

    ``padded`` -> ``D09F00`` (N-able's own samples), ``short`` -> ``D9F00``,
    ``minimal`` -> ``D9F0``. A legacy source (D2, D3) emits a
    :class:`LegacyColumnWarning` naming its replacement unless ``allow_legacy=True``.

    Raises:
        ValidationError: unknown source, field or style.
    """
    ds, fd = _lookup_source(source), field(stat)
    code = _spell(ds, fd, style)
    if ds.is_legacy and not allow_legacy:
        _warn_legacy(ds, 2, [code])
    return code


def list_data_sources(
    *, allow_legacy: bool = False, include_total: bool = True
) -> list[DataSource]:
    """The catalogue's data sources in ``D`` order: legacy ones (D2, D3) only with
    ``allow_legacy=True``, the synthetic Total (D9) unless ``include_total=False``."""
    return [
        ds
        for ds in DATA_SOURCES.values()
        if (allow_legacy or not ds.is_legacy) and (include_total or ds is not TOTAL)
    ]


def statistics_columns(
    fields: Iterable[int | str | Field],
    sources: Iterable[int | str | DataSource] | None = None,
    *,
    style: str = "padded",
    allow_legacy: bool = False,
) -> list[str]:
    """Every ``source x field`` column code, source by source.

    With ``sources=None`` all catalogue sources are used, Total included, legacy ones
    (D2, D3) only with ``allow_legacy=True``. Sources named explicitly are used as given;
    a legacy one warns (:class:`LegacyColumnWarning`) unless ``allow_legacy=True``.

    Raises:
        ValidationError: unknown source, field or style.
    """
    wanted = [field(f) for f in fields]
    if sources is None:
        chosen = list_data_sources(allow_legacy=allow_legacy)
    else:
        chosen = [_lookup_source(s) for s in sources]
    codes: list[str] = []
    for ds in chosen:
        spelled = [_spell(ds, fd, style) for fd in wanted]
        if ds.is_legacy and not allow_legacy and spelled:
            _warn_legacy(ds, 2, spelled)
        codes.extend(spelled)
    return codes


@functools.lru_cache(maxsize=8192)
def canonical(code: str) -> str:
    """One key for every spelling of a column code (padding and case ignored).

    ``D09F00``, ``D9F00``, ``D9F0`` and ``d9f0`` -> ``D9F0``; ``I014`` -> ``I14``; legacy
    property codes map to their ``I`` code (``AN`` -> ``I1``) and legacy statistics codes
    to the ``DxF`` key (``T0`` -> ``D9F0``). Anything else comes back upper-cased.
    """
    text = code.strip()
    found = _STAT.match(text)
    if found:
        return f"D{int(found.group(1))}F{int(found.group(2))}"
    found = _PROP.match(text)
    if found:
        return f"I{int(found.group(1))}"
    upper = text.upper()
    if upper in _LEGACY_PROPERTY:
        return _LEGACY_PROPERTY[upper]
    if len(text) == 2 and text[0].upper() in _LEGACY_SOURCE and text[1] in _LEGACY_FIELD:
        return f"D{_LEGACY_SOURCE[text[0].upper()]}F{_LEGACY_FIELD[text[1]]}"
    return upper


def _stat_parts(key: str) -> tuple[DataSource, Field] | None:
    found = _STAT.match(key)
    if not found:
        return None
    ds = DATA_SOURCES.get(int(found.group(1)))
    fd = FIELDS.get(int(found.group(2)))
    return (ds, fd) if ds is not None and fd is not None else None


def describe(code: str) -> str:
    """A human title for a code (``D09F00`` -> ``Total: Last session status``)."""
    key = canonical(code)
    if key in PROPERTIES:
        return PROPERTIES[key].title
    parts = _stat_parts(key)
    if parts:
        return f"{parts[0].name}: {parts[1].title}"
    return code


def value_type(code: str) -> ValueType | None:
    """How a column's values read (any spelling, legacy codes too); None when the code is
    not in the catalogue (custom ``AA`` columns included)."""
    key = canonical(code)
    if key in PROPERTIES:
        return PROPERTIES[key].type
    parts = _stat_parts(key)
    return parts[1].type if parts else None


# -- validation ------------------------------------------------------------------------------


def _known_key(code: str) -> str | None:
    """The canonical key of a code the catalogue knows, else None."""
    if not code or code != code.strip():
        return None  # the service compares codes as sent: " I1" is not I1
    key = canonical(code)
    if key in PROPERTIES or _stat_parts(key) is not None:
        return key
    upper = code.upper()
    if _CUSTOM.match(code) or upper in _LEGACY_ONLY:
        return upper
    if len(code) == 2 and _stat_parts(canonical(upper)) is not None:
        return canonical(upper)  # a legacy statistics code in lower case (``tl``)
    return None


@functools.lru_cache(maxsize=1)
def _candidates() -> tuple[str, ...]:
    names: list[str] = list(PROPERTIES) + list(_LEGACY_PROPERTY) + sorted(_LEGACY_ONLY)
    for ds in DATA_SOURCES.values():
        for fd in FIELDS.values():
            names.extend(_spell(ds, fd, style) for style in _STYLES)
            if ds.legacy and fd.legacy:
                names.append(ds.legacy + fd.legacy)
    return tuple(dict.fromkeys(names))


_LOOKALIKE = str.maketrans("OIL", "011")


def _fold(text: str) -> str:
    """Read look-alike letters after the first character as digits (``DO9F00`` ->
    ``D09F00``), the commonest typo in column codes."""
    return text[:1] + text[1:].translate(_LOOKALIKE)


def _suggest(code: str) -> str | None:
    stripped = code.strip()
    if stripped != code and _known_key(stripped) is not None:
        return stripped
    text = stripped.upper()
    if len(text) < 2:
        return None
    folded = _fold(text)
    pool = difflib.get_close_matches(text, _candidates(), n=10, cutoff=0.7)
    pool += difflib.get_close_matches(folded, _candidates(), n=5, cutoff=0.7)
    if not pool:
        return None

    def score(candidate: str) -> float:
        plain = difflib.SequenceMatcher(None, text, candidate).ratio()
        alike = difflib.SequenceMatcher(None, folded, _fold(candidate)).ratio()
        return plain + alike - 0.1 * abs(len(candidate) - len(text))

    return max(pool, key=score)


def validate_columns(
    codes: Iterable[str],
    *,
    strict: bool = False,
    allow_legacy: bool = False,
    stacklevel: int = 1,
) -> list[str]:
    """Check column codes against the catalogue before they are sent.

    Known: ``I`` codes, ``D..F..`` combinations of known sources and fields (any
    padding, any case), legacy property and statistics codes (``AN``, ``T0``), custom
    columns (``AA843``, any ``AA<n>``). The service silently leaves out codes it does not
    know, so each unknown one is reported, with the nearest known code where one is close.
    Codes of a legacy data source (D2, D3) emit a :class:`LegacyColumnWarning` unless
    ``allow_legacy=True``. Warnings point at the caller, or ``stacklevel - 1`` frames
    above it (a client passes 2 to point at its own caller).

    Returns:
        the unknown codes, once each, in input order (empty when all are known).

    Raises:
        ValidationError: ``strict=True`` and some codes are unknown
            (``parameter="columns"``; the message names all of them).

    Warns:
        UnknownColumnWarning: some codes are unknown (``strict=False``).
    """
    unknown: list[str] = []
    legacy: dict[int, list[str]] = {}
    for code in codes:
        key = _known_key(code) if isinstance(code, str) else None
        if key is None:
            name = code if isinstance(code, str) else repr(code)
            if name not in unknown:
                unknown.append(name)
            continue
        parts = _stat_parts(key)
        if parts is not None and parts[0].is_legacy and not allow_legacy:
            legacy.setdefault(parts[0].number, []).append(code)
    for number, named in legacy.items():
        _warn_legacy(DATA_SOURCES[number], stacklevel + 1, named)
    if not unknown:
        return unknown
    described = []
    for name in unknown:
        hint = _suggest(name)
        described.append(f"{name!r} (did you mean {hint!r}?)" if hint else repr(name))
    message = (
        f"unknown column code{'s' if len(unknown) > 1 else ''} {', '.join(described)}: the "
        "service leaves out codes it does not know without saying so"
    )
    if strict:
        raise ValidationError(message, parameter="columns")
    warnings.warn(UnknownColumnWarning(message), stacklevel=stacklevel + 1)
    return unknown


# -- active data sources (I78, legacy AP) -----------------------------------------------------


class ActiveSources(NamedTuple):
    """The active data sources of a device (``I78``, or the legacy ``AP``).

    Attributes:
        sources: the known sources, in the order given, without duplicates.
        unknown: codes or letters the catalogue does not know (``D13``, ``R``), kept
            rather than dropped.
    """

    sources: list[DataSource]
    unknown: list[str]


_DS_TOKEN = re.compile(r"D(\d{1,2})", re.I)
_SEPARATORS = re.compile(r"[\s,;|/]+")


def parse_active_sources(value: Any) -> ActiveSources:
    """Read an active-data-sources value in any reported form.

    ``I78`` sends ``D`` codes: ``"D01D02D10"``, ``"D1,D2"``, ``"D1D01"`` mixes. The legacy
    ``AP`` column sends one letter per source: ``"FSZ"`` (``F`` files, ``S`` system state,
    ``Z`` VssMsSql...). A value holding any ``D<n>`` token is read as codes, anything else
    as letters. Letter ``S`` is read as D7 (VssSystemState), not the legacy D2. Lists of
    strings work too. Unknown codes, letters and stray text go to ``unknown``.
    """
    if value is None:
        return ActiveSources([], [])
    if isinstance(value, list | tuple):
        text = ",".join(str(v) for v in value if v is not None)
    else:
        text = str(value)
    sources, unknown = _parse_active_text(text)
    return ActiveSources(list(sources), list(unknown))


@functools.lru_cache(maxsize=1_024)
def _parse_active_text(text: str) -> tuple[tuple[DataSource, ...], tuple[str, ...]]:
    """:func:`parse_active_sources` of a text, cached (a page repeats a few values)."""
    sources: list[DataSource] = []
    unknown: list[str] = []

    def add(found: DataSource | None, token: str) -> None:
        if found is None:
            if token not in unknown:
                unknown.append(token)
        elif found not in sources:
            sources.append(found)

    def stray(chunk: str) -> None:
        for piece in _SEPARATORS.split(chunk):
            if piece:
                add(None, piece)

    if _DS_TOKEN.search(text):
        position = 0
        for match in _DS_TOKEN.finditer(text):
            stray(text[position : match.start()])
            add(DATA_SOURCES.get(int(match.group(1))), match.group(0).upper())
            position = match.end()
        stray(text[position:])
    else:
        for letter in _SEPARATORS.sub("", text).upper():
            number = _LEGACY_SOURCE.get(letter)
            add(DATA_SOURCES.get(number) if number is not None else None, letter)
    return tuple(sources), tuple(unknown)


def parse_data_source_list(value: str | list[str] | None) -> list[DataSource]:
    """The known sources of an ``I78`` or ``AP`` value (see :func:`parse_active_sources`,
    which also returns the codes it did not know)."""
    return parse_active_sources(value).sources
