"""Run the whole suite with the wall clock moved ahead (a pytest plugin).

    BACKUP_SDK_CLOCK_OFFSET=10y python -m pytest       # or: python -m pytest --clock-offset=10y

Offsets are a number with a unit: ``s``, ``m``, ``h``, ``d`` or ``y`` (365.25 days), e.g.
``400d``. ``time.time()``, ``datetime.now()`` and friends are moved for every thread from the
start of the session to its end (time-machine patches them at the C level); monotonic clocks
and ``time.sleep`` are untouched, so timeouts and waits behave as usual. A test that passes
today but fails here reads the wall clock where it should take "now" as an argument.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

__all__ = [
    "OFFSET_ENV",
    "parse_offset",
    "pytest_addoption",
    "pytest_configure",
    "pytest_report_header",
    "pytest_unconfigure",
]

OFFSET_ENV = "BACKUP_SDK_CLOCK_OFFSET"
_UNITS = {"s": 1.0, "m": 60.0, "h": 3_600.0, "d": 86_400.0, "y": 365.25 * 86_400.0}
_OFFSET = re.compile(r"^\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>[smhdy])\s*$")
_KEY = pytest.StashKey[Any]()
_SHIFT = pytest.StashKey[timedelta]()


def parse_offset(text: str) -> timedelta:
    """``"400d"`` -> 400 days; raises ``ValueError`` for anything else."""
    found = _OFFSET.match(text)
    if found is None:
        raise ValueError(f"clock offset must look like 400d or 10y, not {text!r}")
    return timedelta(seconds=float(found.group("n")) * _UNITS[found.group("unit")])


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--clock-offset",
        default=os.environ.get(OFFSET_ENV, ""),
        help=f"move the wall clock ahead for the whole run, e.g. 400d or 10y (env {OFFSET_ENV})",
    )


def pytest_configure(config: pytest.Config) -> None:
    text = str(config.getoption("--clock-offset") or "").strip()
    if not text:
        return
    try:
        shift = parse_offset(text)
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None
    import time_machine

    traveller = time_machine.travel(datetime.now(timezone.utc) + shift, tick=True)
    traveller.start()
    config.stash[_KEY] = traveller
    config.stash[_SHIFT] = shift


def pytest_unconfigure(config: pytest.Config) -> None:
    traveller = config.stash.get(_KEY, None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config: pytest.Config) -> str | None:
    shift = config.stash.get(_SHIFT, None)
    if shift is None:
        return None
    now = datetime.now(timezone.utc)
    return f"wall clock moved ahead by {shift.days} days: now reads {now:%Y-%m-%d %H:%M} UTC"
