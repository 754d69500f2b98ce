"""DataFrame export, behind the optional ``pandas`` extra.

:func:`to_dataframe` turns any list of SDK objects into a DataFrame. Some kinds of object
know a better frame than one column per attribute; they have a **frame builder**, a
function from the list of items to a DataFrame with real dtypes:

* :class:`~backup_sdk.runs.BackupRun`: :func:`runs_frame` (aware UTC times, nullable
  integers, statuses as a categorical of their names);
* a vendor's own types: a package ``pkg`` may define ``FRAME_BUILDERS`` in ``pkg.frames``,
  a mapping from its classes to builders (Cove's statistics rows use this), found the
  first time an item of ``pkg`` is exported. :func:`register_frame_builder` registers one
  directly.

The builders use only what pandas 1.5 to 3.x all have.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, TypeVar

from backup_sdk.errors import MissingDependencyError

if TYPE_CHECKING:
    import pandas

    from backup_sdk.runs import BackupRun

__all__ = [
    "RUN_COLUMNS",
    "FrameBuilder",
    "category_column",
    "datetime_column",
    "import_pandas",
    "int_column",
    "register_frame_builder",
    "runs_frame",
    "to_dataframe",
]

T = TypeVar("T")
#: Builds one DataFrame from a list of items of one kind.
FrameBuilder = Callable[[Sequence[Any]], "pandas.DataFrame"]

_builders: dict[type, FrameBuilder] = {}
_searched: set[str] = set()


def import_pandas() -> Any:
    """The pandas module.

    Raises:
        MissingDependencyError: pandas is not installed (the message names the extra).
    """
    try:
        import pandas
    except ImportError:
        raise MissingDependencyError(
            "DataFrame export needs pandas: pip install 'backup-sdk[pandas]'"
        ) from None
    return pandas


def register_frame_builder(cls: type, builder: FrameBuilder) -> None:
    """Use ``builder`` for lists whose items are instances of ``cls`` (or a subclass)."""
    _builders[cls] = builder


def _package_builders(module: str) -> None:
    package = module.partition(".")[0]
    if package in _searched:
        return
    _searched.add(package)
    name = f"{package}.frames"
    try:
        found = importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        return
    table = getattr(importlib.import_module(name), "FRAME_BUILDERS", None)
    if isinstance(table, Mapping):
        for cls, builder in table.items():
            _builders.setdefault(cls, builder)


def _builder_for(item: Any) -> FrameBuilder | None:
    kind = type(item)
    _package_builders(kind.__module__)
    for cls in kind.__mro__:
        builder = _builders.get(cls)
        if builder is not None:
            return builder
    return None


def to_dataframe(
    items: Iterable[T], record: Callable[[T], dict[str, Any]] | None = None
) -> pandas.DataFrame:
    """Build a DataFrame, one row per item.

    With ``record`` given, each item becomes the row ``record(item)``. Without it, items
    of one kind that has a frame builder go through it (runs get :func:`runs_frame`);
    other models become rows via :func:`backup_sdk.models.to_record`.

    Raises:
        MissingDependencyError: pandas is not installed.
    """
    pd = import_pandas()
    rows = list(items)
    if record is None and rows:
        builder = _builder_for(rows[0])
        if builder is not None and all(type(row) is type(rows[0]) for row in rows):
            return builder(rows)
    if record is None:
        from backup_sdk.models import to_record

        record = to_record
    frame: pandas.DataFrame = pd.DataFrame.from_records([record(item) for item in rows])
    return frame


# -- typed columns (pandas 1.5 .. 3.x) ---------------------------------------------------------


#: The range a ``datetime64[ns]`` holds; times outside it become NaT.
_NS_MIN = datetime(1678, 1, 1, tzinfo=timezone.utc)
_NS_MAX = datetime(2262, 4, 11, tzinfo=timezone.utc)


def datetime_column(values: Sequence[datetime | None]) -> Any:
    """Aware datetimes (or None) as a ``datetime64[ns, UTC]`` array (pandas 3 would
    choose microseconds by itself; the unit is fixed so frames compare across versions).
    Times outside what nanoseconds can hold (before 1678, after 2262) become NaT."""
    pd = import_pandas()
    kept = [
        value if value is not None and _NS_MIN <= value <= _NS_MAX else None for value in values
    ]
    index = pd.to_datetime(pd.Series(kept, dtype=object), utc=True)
    return index.astype("datetime64[ns, UTC]").array


def int_column(values: Sequence[int | None]) -> Any:
    """Integers (or None) as a nullable ``Int64`` array."""
    return import_pandas().array(list(values), dtype="Int64")


def category_column(values: Sequence[str | None], categories: Sequence[str]) -> Any:
    """Names as a categorical with a fixed list of categories (None for missing)."""
    pd = import_pandas()
    return pd.Categorical(list(values), categories=list(categories))


#: The columns of :func:`runs_frame`, in order.
RUN_COLUMNS: tuple[str, ...] = (
    "vendor",
    "customer",
    "device_name",
    "device_id",
    "data_source",
    "status",
    "started",
    "ended",
    "duration",
    "bytes_processed",
    "bytes_uploaded",
    "errors",
    "raw_status",
    "run_id",
    "key",
    "messages",
)


def runs_frame(runs: Iterable[BackupRun]) -> pandas.DataFrame:
    """Runs as a DataFrame with real dtypes, one row per run.

    ``started``/``ended`` are ``datetime64[ns, UTC]``, ``duration`` ``timedelta64[ns]``,
    ``bytes_processed``/``bytes_uploaded``/``errors`` nullable ``Int64``, ``status`` a
    categorical of the :class:`~backup_sdk.runs.RunStatus` values (so
    ``df[df.status == "failed"]`` works), ``vendor`` a categorical too. Text columns are
    the nullable ``string`` dtype (missing is ``pd.NA``, as in the ``Int64`` columns),
    ``raw_status`` holds the vendor's value as it was, ``messages`` a tuple per run.

    Raises:
        MissingDependencyError: pandas is not installed.
    """
    from backup_sdk.runs import RunStatus

    pd = import_pandas()
    items = list(runs)
    vendors = sorted({run.vendor for run in items})
    started = datetime_column([run.started for run in items])
    ended = datetime_column([run.ended for run in items])
    columns: dict[str, Any] = {
        "vendor": category_column([run.vendor for run in items], vendors),
        "customer": [run.customer for run in items],
        "device_name": [run.device_name for run in items],
        "device_id": [run.device_id for run in items],
        "data_source": [run.data_source for run in items],
        "status": category_column(
            [run.status.value for run in items], [status.value for status in RunStatus]
        ),
        "started": started,
        "ended": ended,
        "duration": pd.Series(ended) - pd.Series(started),
        "bytes_processed": int_column([run.bytes_processed for run in items]),
        "bytes_uploaded": int_column([run.bytes_uploaded for run in items]),
        "errors": int_column([run.errors for run in items]),
        "raw_status": pd.array([run.raw_status for run in items], dtype=object),
        "run_id": [run.run_id for run in items],
        "key": [run.key for run in items],
        "messages": pd.array([run.messages for run in items], dtype=object),
    }
    frame: pandas.DataFrame = pd.DataFrame(
        {
            name: pd.Series(columns[name], dtype="string" if name in _TEXT else None)
            for name in RUN_COLUMNS
        }
    )
    return frame


_TEXT = frozenset({"customer", "device_name", "device_id", "data_source", "run_id", "key"})


def _register_runs() -> None:
    from backup_sdk.runs import BackupRun

    register_frame_builder(BackupRun, runs_frame)


_register_runs()
