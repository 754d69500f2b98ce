"""DataFrame export, behind the optional ``pandas`` extra."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from backup_sdk.errors import MissingDependencyError

if TYPE_CHECKING:
    import pandas

__all__ = ["to_dataframe"]

T = TypeVar("T")


def _import_pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise MissingDependencyError(
            "DataFrame export needs pandas: pip install 'backup-sdk[pandas]'"
        ) from None
    return pandas


def to_dataframe(
    items: Iterable[T], record: Callable[[T], dict[str, Any]] | None = None
) -> pandas.DataFrame:
    """Build a DataFrame, one row per item (models become rows via ``to_record``).

    Raises:
        MissingDependencyError: pandas is not installed.
    """
    pd = _import_pandas()
    if record is None:
        from backup_sdk.models import to_record

        record = to_record
    frame: pandas.DataFrame = pd.DataFrame.from_records([record(item) for item in items])
    return frame
