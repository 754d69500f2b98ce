"""No secret leaks: canary secrets planted in every credential and secret field are
searched for, independently of any list of secret names, in DEBUG logs, reprs, error
messages, pickles, tracebacks, exception chains and recorded cassettes."""

from __future__ import annotations

import pickle
import traceback
from pathlib import Path

import pytest

from backup_sdk import RetryPolicy
from backup_sdk.errors import BackupSDKError
from backup_sdk.testing import SimClock
from backup_sdk.testing.cassettes import use_cassette
from tests.contract.vendors import Vendor
from tests.support.logs import quiet_logs

CANARY = "Canary-Pw&with=odd%chars-7f3a9c"


def _everything_about(error: BaseException) -> str:
    """Every way an error can be looked at."""
    parts = [str(error), repr(error), "".join(traceback.format_exception(error))]
    parts.append(pickle.dumps(error).decode("latin-1"))
    seen: BaseException | None = error
    while seen is not None:
        parts += [str(seen), repr(seen), repr(getattr(seen, "__dict__", {}))]
        seen = seen.__cause__ or seen.__context__
    return "\n".join(parts)


def _package(vendor: Vendor) -> str:
    return {"cove": "cove_sdk", "comet": "comet_sdk", "npm_backup": "npm_backup_sdk"}[vendor.vendor]


def test_no_secret_reaches_logs_reprs_errors_or_cassettes(vendor: Vendor, tmp_path: Path) -> None:
    clock = SimClock(frozen=True)
    cassette = tmp_path / "secrets.yaml"
    texts: list[str] = []
    with (
        quiet_logs(_package(vendor), "backup_sdk") as logs,
        vendor.with_password(clock, CANARY) as sim,
    ):
        client = vendor.client(sim, retry=RetryPolicy.none())
        with use_cassette(cassette, mode="all"):
            secrets = [CANARY, *vendor.secret_calls(client, sim)]
            texts += [repr(client), repr(vars(client))]
            # a gateway that echoes the request, password included
            sim.faults.fail_next(1, 500, body=f'{{"error": "rejected {CANARY} for {secrets[-1]}"}}')
            with pytest.raises(BackupSDKError) as echoed:
                vendor.read(client)
            texts.append(_everything_about(echoed.value))
            # a body that is not JSON, secrets inside
            sim.faults.fail_next(
                1, 200, body=f"<html>{CANARY} {secrets[-1]}", content_type="text/html"
            )
            with pytest.raises(BackupSDKError) as garbage:
                vendor.read(client)
            texts.append(_everything_about(garbage.value))
    everything = "\n".join([*texts, logs.text, cassette.read_text()])
    assert logs.records, "DEBUG logging was on"
    leaked = [s for s in secrets if s and s in everything]
    assert leaked == [], f"{len(leaked)} secret(s) leaked"


def test_a_clients_password_stays_redacted_however_many_secrets_come_and_go(
    vendor: Vendor,
) -> None:
    clock = SimClock(frozen=True)
    with vendor.with_password(clock, CANARY) as sim:
        client = vendor.client(sim, retry=RetryPolicy.none())
        # every reply of a chain brings a new secret (a visa) to scrub: more than the 512
        # short-lived values kept; the client's own password must outlast them all
        for _ in range(600 if vendor.vendor == "cove" else 3):
            vendor.read(client)
        sim.faults.fail_next(1, 500, body=f'{{"error": "bad password {CANARY}"}}')
        with pytest.raises(BackupSDKError) as info:
            vendor.read(client)
    assert CANARY not in _everything_about(info.value)
