"""Progress on stderr while long enumerations run: a live counter per vendor.

Shown only when stderr is a terminal (or when asked with ``--progress``), so cron mail and
pipes stay clean. It uses rich (the ``cli`` extra) when it is installed, plain text
otherwise.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import Any, TextIO, TypeVar

__all__ = ["Progress"]

T = TypeVar("T")


def _rich_progress(stream: TextIO) -> Any:
    try:
        from rich.console import Console
        from rich.progress import Progress as RichProgress
        from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn
    except ImportError:
        return None
    console = Console(file=stream, force_terminal=True, soft_wrap=True)
    return RichProgress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed:,} {task.fields[unit]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        auto_refresh=False,
    )


class Progress:
    """Counts items as they are consumed and shows the count on ``stream``.

    Args:
        stream: where to draw (stderr).
        enabled: True or False to decide; None: only when ``stream`` is a terminal.
        use_rich: use rich when it is installed (False forces plain text).
    """

    def __init__(
        self, stream: TextIO, *, enabled: bool | None = None, use_rich: bool = True
    ) -> None:
        self.stream = stream
        if enabled is None:
            isatty = getattr(stream, "isatty", None)
            enabled = bool(isatty()) if callable(isatty) else False
        self.enabled = enabled
        self._rich: Any = _rich_progress(stream) if enabled and use_rich else None
        self._interval = 0.1

    def track(self, items: Iterable[T], label: str, unit: str = "items") -> Iterator[T]:
        """Yield ``items``, updating a counter labelled ``label``."""
        if not self.enabled:
            yield from items
            return
        if self._rich is not None:
            yield from self._track_rich(items, label, unit)
            return
        yield from self._track_plain(items, label, unit)

    def _track_rich(self, items: Iterable[T], label: str, unit: str) -> Iterator[T]:
        progress: Any = self._rich
        with progress:
            task = progress.add_task(label, total=None, unit=unit)
            progress.refresh()
            last = time.monotonic()
            for item in items:
                progress.advance(task)
                if time.monotonic() - last >= self._interval:
                    progress.refresh()
                    last = time.monotonic()
                yield item
            progress.refresh()

    def _track_plain(self, items: Iterable[T], label: str, unit: str) -> Iterator[T]:
        count = 0
        last = 0.0
        self.stream.write(f"\r{label}: 0 {unit}")
        for item in items:
            count += 1
            now = time.monotonic()
            if now - last >= self._interval:
                self.stream.write(f"\r{label}: {count:,} {unit}")
                self.stream.flush()
                last = now
            yield item
        self.stream.write(f"\r{label}: {count:,} {unit}\n")
        self.stream.flush()
