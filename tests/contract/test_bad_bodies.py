"""Nothing silently short, nothing untyped: whatever bytes a server sends, a call returns
correct data or raises an error of backup_sdk.errors that says what was wrong."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backup_sdk import RetryPolicy
from backup_sdk.errors import BackupSDKError, ResponseDecodeError
from backup_sdk.testing import SimulatorServer
from tests.contract.vendors import VENDORS, Vendor

BODIES = {
    "empty": b"",
    "null": b"null",
    "empty object": b"{}",
    "empty list": b"[]",
    "a string": b'"ok"',
    "html": b"<html><body>maintenance</body></html>",
    "truncated": b'{"result": [1, 2',
    "deep": b"[" * 100_000 + b"]" * 100_000,
    "not utf-8": b"\xff\xfe\x00garbage",
    "infinity": b'{"result": Infinity}',
}


def _answer_next_read_with(sim: SimulatorServer, vendor: Vendor, body: bytes) -> None:
    sim.faults.fail_next(1, 200, body=body, path=vendor.read_path)


@pytest.mark.parametrize("kind", list(BODIES))
def test_a_read_answered_with_a_bad_body_raises_a_decode_error(vendor: Vendor, kind: str) -> None:
    with vendor.running() as sim:
        client = vendor.client(sim, retry=RetryPolicy.none())
        vendor.read(client)
        _answer_next_read_with(sim, vendor, BODIES[kind])
        if kind == "empty object" and vendor.empty_object_is_valid:
            vendor.read(client)  # decodes to defaults: nothing was left out
            return
        with pytest.raises(ResponseDecodeError):
            vendor.read(client)


@pytest.mark.parametrize("kind", ["empty", "null", "empty object", "a string"])
def test_a_multi_page_read_never_ends_silently_short(vendor: Vendor, kind: str) -> None:
    with vendor.running() as sim:
        client = vendor.client(sim, retry=RetryPolicy.none())
        vendor.read(client)
        full = vendor.paged(client)
        assert full, "the simulator has data to page through"
        sim.faults.fail_next(1, 200, body=BODIES[kind], path=vendor.paged_path)
        if kind == "empty object" and vendor.empty_page_object_is_valid:
            assert vendor.paged(client) == [], "an empty collection"
            return
        if kind == "null" and vendor.null_list_is_empty:
            assert vendor.paged(client) == [], "the vendor's own encoding of an empty list"
            return
        with pytest.raises(ResponseDecodeError):
            vendor.paged(client)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    vendor=st.sampled_from(VENDORS),
    status=st.sampled_from([200, 201, 204, 301, 400, 401, 403, 404, 409, 429, 500, 502, 503]),
    body=st.one_of(
        st.binary(max_size=200),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(st.text(max_size=8), inner, max_size=4)
            ),
            max_leaves=12,
        ).map(lambda v: __import__("json").dumps(v, allow_nan=True).encode()),
    ),
    content_type=st.sampled_from(["application/json", "text/html", "text/plain", ""]),
    retry_after=st.sampled_from([None, "1", "-5", "inf", "1e309", "soon", "Wed, 21 Oct 2015"]),
)
def test_only_backup_sdk_errors_escape_whatever_the_server_sends(
    vendor: Vendor,
    status: int,
    body: bytes,
    content_type: str,
    retry_after: str | None,
) -> None:
    with vendor.running() as sim:
        client = vendor.client(sim, retry=RetryPolicy.none())
        sim.faults.fail_next(
            1, status, body=body, content_type=content_type, retry_after=retry_after
        )
        try:
            vendor.read(client)
        except BackupSDKError:
            pass
