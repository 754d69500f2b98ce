"""Comet's documented job status codes and the run status each must map to (shared by
the Comet run tests and the status tables of docs/runs.md)."""

from __future__ import annotations

import json
from pathlib import Path

from backup_sdk.runs import RunStatus

__all__ = ["EXPECTED", "documented_job_statuses"]

ROOT = Path(__file__).resolve().parents[2]

#: Every documented job status code (both references) and the one run status it means.
EXPECTED = {
    "JOB_STATUS_STOP_SUCCESS__MIN": RunStatus.SUCCESS,
    "JOB_STATUS_STOP_SUCCESS": RunStatus.SUCCESS,
    "JOB_STATUS_STOP_SUCCESS__MAX": RunStatus.SUCCESS,
    "JOB_STATUS_RUNNING__MIN": RunStatus.RUNNING,
    "JOB_STATUS_RUNNING_INDETERMINATE": RunStatus.RUNNING,
    "JOB_STATUS_RUNNING_ACTIVE": RunStatus.RUNNING,
    "JOB_STATUS_RUNNING_REVIVED": RunStatus.RUNNING,
    "JOB_STATUS_RUNNING_TRYAGAIN": RunStatus.RUNNING,
    "JOB_STATUS_NOT_YET_STARTED": RunStatus.RUNNING,
    "JOB_STATUS_RUNNING__MAX": RunStatus.RUNNING,
    "JOB_STATUS_FAILED__MIN": RunStatus.FAILED,
    "JOB_STATUS_FAILED_TIMEOUT": RunStatus.FAILED,
    "JOB_STATUS_FAILED_WARNING": RunStatus.WARNING,
    "JOB_STATUS_FAILED_ERROR": RunStatus.FAILED,
    "JOB_STATUS_FAILED_QUOTA": RunStatus.FAILED,
    "JOB_STATUS_FAILED_SCHEDULEMISSED": RunStatus.MISSED,
    "JOB_STATUS_FAILED_CANCELLED": RunStatus.CANCELLED,
    "JOB_STATUS_FAILED_SKIPALREADYRUNNING": RunStatus.SKIPPED,
    "JOB_STATUS_FAILED_ABANDONED": RunStatus.FAILED,
    "JOB_STATUS_FAILED__MAX": RunStatus.FAILED,
}


def documented_job_statuses() -> dict[str, int]:
    """``JOB_STATUS_*`` constants of both Comet references (20.9.12 and 25.9.6), by name."""
    codes: dict[str, int] = {}
    for version in ("20.9.12", "25.9.6"):
        spec = json.loads((ROOT / "comet_sdk" / "spec" / f"comet_api_{version}.json").read_text())
        for group in spec["constant_groups"]:
            for constant in group["constants"]:
                if constant["name"].startswith("JOB_STATUS_"):
                    codes[constant["name"]] = constant["value"]
    return codes
