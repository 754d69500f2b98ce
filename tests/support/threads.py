"""Running the same work in many threads at once, collecting what they raise."""

from __future__ import annotations

import threading
from collections.abc import Callable

__all__ = ["run_together"]


def run_together(
    threads: int, work: Callable[[], object], *, timeout: float = 60.0
) -> list[BaseException]:
    """Start ``threads`` threads that call ``work`` at the same moment; return the errors.

    Raises:
        AssertionError: a thread did not finish within ``timeout`` seconds.
    """
    gate = threading.Barrier(threads)
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            gate.wait(timeout)
            work()
        except BaseException as exc:
            with lock:
                errors.append(exc)

    workers = [threading.Thread(target=run, name=f"worker-{n}") for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout)
    stuck = [w.name for w in workers if w.is_alive()]
    assert not stuck, f"threads still running after {timeout:g} s: {stuck}"
    return errors
