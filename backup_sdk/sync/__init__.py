"""Import every backup run of every vendor into one store, every 15 minutes, for years.

* :class:`SyncEngine` polls ``{vendor: RunSource}`` and commits each poll's runs together
  with the sync state, so a crash loses nothing and nothing is stored twice;
* :class:`SqliteRunStore` is the built-in store (one SQLite file, WAL mode);
* :class:`RunStore` is the protocol for writing into your own database instead
  (:func:`merge_run` is the upsert rule, :class:`MemoryRunStore` a reference);
* :class:`SourceState` is what is remembered per source: a high-water mark and a bounded,
  expiring set of runs still running.

See ``docs/monitoring.md`` for the cron recipe.
"""

from backup_sdk.sync.engine import (
    Clock,
    SourceReport,
    SyncEngine,
    SyncReport,
    clock_function,
    utc_clock,
)
from backup_sdk.sync.sqlite import SCHEMA_VERSION, SqliteRunStore
from backup_sdk.sync.state import STATE_VERSION, SourceState
from backup_sdk.sync.store import MemoryRunStore, RunStore, merge_run, run_time

__all__ = [
    "SCHEMA_VERSION",
    "STATE_VERSION",
    "Clock",
    "MemoryRunStore",
    "RunStore",
    "SourceReport",
    "SourceState",
    "SqliteRunStore",
    "SyncEngine",
    "SyncReport",
    "clock_function",
    "merge_run",
    "run_time",
    "utc_clock",
]
