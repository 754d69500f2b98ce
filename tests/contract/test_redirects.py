"""Credentials never follow a redirect to another origin; same-origin redirects work."""

from __future__ import annotations

import pytest

from backup_sdk.errors import RedirectError
from tests.contract.vendors import Vendor
from tests.support.echo import EchoSimulator


def test_a_redirect_to_another_origin_is_refused_and_nothing_is_sent_there(
    vendor: Vendor,
) -> None:
    with vendor.running() as sim, EchoSimulator() as elsewhere:
        client = vendor.client(sim)
        target = f"{elsewhere.url}/steal"
        sim.faults.redirect_next(1, location=target)  # the very first call: the login
        with pytest.raises(RedirectError) as info:
            vendor.read(client)
        assert info.value.location == target
        assert elsewhere.received() == [], "no credentials, no body, nothing at all"
        sim.faults.redirect_next(1, location=target, status=308, path=vendor.read_path)
        with pytest.raises(RedirectError):
            vendor.read(client)
        assert elsewhere.received() == []


def test_a_same_origin_redirect_is_followed(vendor: Vendor) -> None:
    with vendor.running() as sim:
        client = vendor.client(sim)
        vendor.read(client)
        path = sim.received()[-1].path
        sim.faults.redirect_next(1, location=path, status=307, path=vendor.read_path)
        vendor.read(client)
        assert sim.received()[-1].path == path
