"""Bad arguments and settings are refused with typed errors before anything is sent."""

from __future__ import annotations

import warnings

import pytest

from backup_sdk import RetryPolicy
from backup_sdk.config import InsecureTransportWarning
from backup_sdk.errors import ConfigurationError, RateLimitError, ValidationError
from tests.contract.vendors import Vendor


def test_bad_arguments_are_refused_before_sending(vendor: Vendor) -> None:
    with vendor.running() as sim:
        client = vendor.client(sim)
        vendor.read(client)
        before = len(sim.received())
        for call in vendor.bad_calls:
            with pytest.raises(ValidationError) as info:
                call(client)
            assert info.value.parameter, "the error names the parameter"
        assert len(sim.received()) == before, "nothing was sent"


@pytest.mark.parametrize(
    "settings",
    [
        {"verify": 0},
        {"verify": ""},
        {"timeout": -1},
        {"retry": "3"},
        {"deadline": float("inf")},
    ],
    ids=["verify=0", "verify=empty", "negative timeout", "retry as text", "infinite deadline"],
)
def test_bad_settings_are_configuration_errors(vendor: Vendor, settings: dict[str, object]) -> None:
    with vendor.running() as sim, pytest.raises(ConfigurationError):
        vendor.client(sim, **settings)


@pytest.mark.parametrize(
    "policy",
    [
        {"backoff_base": -1},
        {"backoff_cap": float("nan")},
        {"max_attempts": 0},
        {"max_retry_after": float("inf")},
        {"budget": -1},
    ],
)
def test_retry_policies_are_checked_when_built(policy: dict[str, float]) -> None:
    with pytest.raises(ConfigurationError):
        RetryPolicy(**policy)  # type: ignore[arg-type]


def test_turning_off_certificate_checks_warns(vendor: Vendor) -> None:
    with vendor.running() as sim, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        vendor.client(sim, verify=False)
    assert [w.category for w in caught] == [InsecureTransportWarning]


@pytest.mark.parametrize(
    ("header", "expected"),
    [("3600", 3600.0), ("inf", None), ("1e309", None), ("-5", None), ("soon", None)],
)
def test_a_429_says_how_long_to_wait(vendor: Vendor, header: str, expected: float | None) -> None:
    with vendor.running() as sim:
        client = vendor.client(sim, retry=RetryPolicy.none())
        vendor.read(client)
        sim.faults.fail_next(
            1,
            429,
            retry_after=header,
            body=b'{"error": "too many requests"}',
            path=vendor.read_path,
        )
        with pytest.raises(RateLimitError) as info:
            vendor.read(client)
        assert info.value.retry_after == expected
        if expected is not None:
            assert "wait 3600 s" in str(info.value)
