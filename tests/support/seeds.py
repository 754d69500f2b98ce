"""Find the vendor documents in ``shared/seeds`` (beside the checkout, or ``BACKUP_SDK_SEEDS``).

A test that needs one calls :func:`seed_file`. Where the documents are missing it skips with
a message that says how to provide them -- except under CI (``CI`` set to a true value),
where the documents are always beside the checkout, so a missing one fails the test.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

__all__ = ["SEEDS_ENV", "seed_file", "seeds_dir"]

SEEDS_ENV = "BACKUP_SDK_SEEDS"
_DEFAULT = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def seeds_dir() -> Path:
    """Where the seeds are looked for."""
    override = os.environ.get(SEEDS_ENV)
    return Path(override).expanduser() if override else _DEFAULT


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def seed_file(name: str) -> Path:
    """The path of one seed document; skips (fails under CI) when it is not there."""
    path = seeds_dir() / name
    if path.is_file():
        return path
    message = (
        f"vendor document {name} not found in {path.parent}. These tests compare the SDK "
        "with the vendor's own reference: check out the steering repository's shared/ "
        f"folder beside this repository, or set {SEEDS_ENV}=/path/to/shared/seeds."
    )
    if _in_ci():
        pytest.fail(f"{message} (under CI the documents must be present)", pytrace=False)
    pytest.skip(message)
