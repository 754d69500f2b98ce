"""Collect log records without echoing them into pytest's failure report.

``caplog`` prints every captured record when a test fails; at DEBUG that is pages of
request bodies that hide the assertion. :func:`quiet_logs` keeps the records for the test
to search and shows none of them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["CollectedLogs", "quiet_logs"]


class CollectedLogs(logging.Handler):
    """The records a logger emitted, as formatted messages."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    @property
    def text(self) -> str:
        """Every message (arguments applied), one per line."""
        return "\n".join(record.getMessage() for record in self.records)


@contextmanager
def quiet_logs(*names: str, level: int = logging.DEBUG) -> Iterator[CollectedLogs]:
    """Capture the named loggers at ``level`` (restored afterwards), silently."""
    handler = CollectedLogs()
    loggers = [logging.getLogger(name) for name in names]
    saved = [(lg.level, lg.propagate) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(level)
        lg.propagate = False
    try:
        yield handler
    finally:
        for lg, (old_level, old_propagate) in zip(loggers, saved, strict=True):
            lg.removeHandler(handler)
            lg.setLevel(old_level)
            lg.propagate = old_propagate
