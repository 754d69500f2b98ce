from __future__ import annotations

import pytest

from tests.contract.vendors import VENDORS, Vendor


@pytest.fixture(params=VENDORS, ids=lambda v: v.name)
def vendor(request: pytest.FixtureRequest) -> Vendor:
    """Each contract test runs once per vendor (and variant)."""
    found: Vendor = request.param
    return found


@pytest.fixture(params=[v for v in VENDORS if v.lifetime is not None], ids=lambda v: v.name)
def vendor_with_lifetime(request: pytest.FixtureRequest) -> Vendor:
    """The vendors whose credentials have a stated lifetime the client renews ahead of."""
    found: Vendor = request.param
    return found
