"""The watchdog's one thread: it fires deadlines, in a forked child too."""

from __future__ import annotations

import os
import sys
import threading
import time

import pytest

from backup_sdk.watchdog import Watchdog, _scheduler


def _wait_fired(watchdog: Watchdog) -> bool:
    for _ in range(1000):  # up to 10 s on a loaded machine; fires within milliseconds
        if watchdog.fired:
            return True
        time.sleep(0.01)
    return False


def test_a_passed_deadline_fires() -> None:
    watchdog = Watchdog(0.0)
    with watchdog:
        assert _wait_fired(watchdog)


def test_a_disarmed_watchdog_never_fires() -> None:
    fired = Watchdog(0.0)
    quiet = Watchdog(0.0)
    quiet.__enter__()
    quiet.disarm()
    with fired:
        assert _wait_fired(fired)
    assert not quiet.fired


@pytest.mark.skipif(sys.platform == "win32", reason="no fork")
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_forked_child_starts_its_own_watchdog_thread() -> None:
    with Watchdog(300.0):
        pass  # the parent's thread runs
    assert _scheduler._thread is not None and _scheduler._thread.is_alive()
    pid = os.fork()
    if pid == 0:  # the child: the parent's thread is not running here
        code = 1
        try:
            watchdog = Watchdog(0.0)
            with watchdog:
                code = 0 if _wait_fired(watchdog) else 2
            code = code or (0 if threading.active_count() >= 2 else 3)
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
