from __future__ import annotations

import pickle

import pytest

from backup_sdk import errors as e
from backup_sdk.redaction import remember_secret


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, e.InvalidRequestError),
        (401, e.AuthenticationError),
        (403, e.PermissionDeniedError),
        (404, e.NotFoundError),
        (409, e.ConflictError),
        (422, e.InvalidRequestError),
        (429, e.RateLimitError),
        (418, e.InvalidRequestError),
        (500, e.ServerError),
        (503, e.ServerError),
        (302, e.APIError),
    ],
)
def test_status_maps_to_class(status: int, cls: type[e.APIError]) -> None:
    assert e.error_class_for_status(status) is cls


def test_every_error_is_a_backup_sdk_error() -> None:
    for name in e.__all__:
        obj = getattr(e, name)
        if isinstance(obj, type):
            assert issubclass(obj, e.BackupSDKError), name


def test_api_error_pickles_with_all_details() -> None:
    err = e.RateLimitError(
        "slow down",
        vendor="cove_sdk",
        status=429,
        code=1234,
        operation="EnumerateAccounts",
        request_id="r-1",
        body_excerpt="{}",
        retry_after=3.5,
    )
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is e.RateLimitError
    assert (back.vendor, back.status, back.code, back.operation) == (
        "cove_sdk",
        429,
        1234,
        "EnumerateAccounts",
    )
    assert back.retry_after == 3.5
    assert back.retryable is True
    assert str(back) == str(err)


def test_str_is_useful_to_a_human() -> None:
    err = e.PermissionDeniedError(
        "column I78 is not allowed", vendor="cove_sdk", code=13501, operation="X", status=200
    )
    text = str(err)
    assert "cove_sdk X" in text
    assert "column I78 is not allowed" in text
    assert "code 13501" in text
    assert "PermissionDeniedError" in repr(err)


def test_retryable_defaults_from_status_and_can_be_overridden() -> None:
    assert e.ServerError("x", status=503).retryable is True
    assert e.ServerError("x", status=500).retryable is False
    assert e.ServerError("x", status=500, retryable=True).retryable is True


def test_messages_never_carry_remembered_secrets() -> None:
    remember_secret("s3cr3t-visa-value")
    err = e.AuthenticationError("visa s3cr3t-visa-value expired", vendor="cove_sdk")
    assert "s3cr3t-visa-value" not in str(err)
    assert "s3cr3t-visa-value" not in repr(err)
    assert "<REDACTED>" in str(err)


def test_decode_error_names_model_and_path() -> None:
    err = e.ResponseDecodeError(
        "bad value", vendor="comet_sdk", model="Job", path="$.Jobs[3].Status", excerpt="{...}"
    )
    assert "Job" in str(err)
    assert "$.Jobs[3].Status" in str(err)
    back = pickle.loads(pickle.dumps(err))
    assert back.path == "$.Jobs[3].Status"


def test_validation_error_is_also_a_value_error() -> None:
    err = e.ValidationError("count must be > 0", parameter="count")
    assert isinstance(err, ValueError)
    assert err.parameter == "count"
    assert pickle.loads(pickle.dumps(err)).parameter == "count"
