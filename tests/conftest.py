"""Suite-wide set-up: loopback-only sockets, a clean secret registry per test, the
``--clock-offset`` plugin (see ``tests/support/clock_shift.py``), and property tests that
never fail for taking long (a loaded CI machine is no reason to fail)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from backup_sdk.redaction import forget_secrets
from tests.support.clock_shift import (
    pytest_addoption,
    pytest_configure,
    pytest_report_header,
    pytest_unconfigure,
)
from tests.support.network import block_network, unblock_network

settings.register_profile("backup_sdk", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("backup_sdk")

__all__ = ["pytest_addoption", "pytest_configure", "pytest_report_header", "pytest_unconfigure"]


@pytest.fixture(autouse=True)
def _clean_secrets() -> Iterator[None]:
    """Each test starts with no remembered secret values (see backup_sdk.redaction)."""
    forget_secrets()
    yield
    forget_secrets()


@pytest.fixture(autouse=True, scope="session")
def _block_network() -> Iterator[None]:
    block_network()
    yield
    unblock_network()
