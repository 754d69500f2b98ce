"""Pausing the cyclic garbage collector while a large list of models is built.

Every model, and every ``UnixTime`` in it, is an object the collector tracks. Building
50,000 of them triggers collections by allocation count alone, and each full collection
walks the whole (growing) heap: for a list of Comet jobs that costs more than building the
models. The objects built form no reference cycles, so those collections find nothing to
free; reference counting frees the models as usual.

:func:`gc_paused` turns the collector off for the duration and back on afterwards, with
three rules that make it safe to use from a library:

* it only ever turns the collector back on if it was on when the first pause began (a
  program that runs with ``gc.disable()`` keeps it off);
* pauses are counted across threads: with two threads decoding at once, the collector comes
  back when the last of them finishes, not when the first does;
* a child process forked during a pause starts with the collector as it was before.

The collector is process-wide, so another thread's cyclic garbage waits for the pause to
end (it is collected then, the work is only deferred); and a ``gc.disable()`` called by
another thread *during* a pause is undone when the pause ends. A program for which either
matters sets ``pause_gc=False`` on its converters.
"""

from __future__ import annotations

import contextlib
import gc
import os
import threading
from types import TracebackType
from typing import Final

__all__ = ["PAUSE_AT", "gc_paused", "paused_for"]

#: The number of records from which a decode pauses the collector: below it, the
#: collections a decode triggers are young-generation ones, which cost little.
PAUSE_AT: Final = 256

_lock = threading.Lock()
_depth = 0  # pauses in progress, all threads
_turned_off = False  # whether the first of them turned the collector off
_forks = 0  # forks seen by this process: a pause begun before one ends as a no-op


class gc_paused:
    """Context manager: the cyclic collector is off inside (see the module doc)."""

    __slots__ = ("_forks",)

    def __enter__(self) -> None:
        global _depth, _turned_off
        with _lock:
            if _depth == 0 and gc.isenabled():
                gc.disable()
                _turned_off = True
            _depth += 1
            self._forks = _forks

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        global _depth, _turned_off
        with _lock:
            if self._forks != _forks:
                return  # begun in the parent; the child started afresh
            _depth -= 1
            if _depth == 0 and _turned_off:
                _turned_off = False
                gc.enable()


def _after_fork_in_child() -> None:
    """The forking thread may have been inside a pause, other threads certainly are gone:
    start over, with the collector as it was before the pause."""
    global _lock, _depth, _turned_off, _forks
    _lock = threading.Lock()
    if _turned_off:
        gc.enable()
    _depth = 0
    _turned_off = False
    _forks += 1


if hasattr(os, "register_at_fork"):  # not on Windows
    os.register_at_fork(after_in_child=_after_fork_in_child)


def paused_for(records: int) -> contextlib.AbstractContextManager[None]:
    """:class:`gc_paused` for a decode of ``records`` records when there are at least
    :data:`PAUSE_AT`, else a context that does nothing."""
    return gc_paused() if records >= PAUSE_AT else contextlib.nullcontext()
