"""Without pandas, every DataFrame export says which extra to install (these tests run
whether pandas is installed or not: they hide it)."""

from __future__ import annotations

import sys
from datetime import datetime, timezone

import pytest

from backup_sdk.errors import MissingDependencyError
from backup_sdk.frames import runs_frame, to_dataframe
from backup_sdk.runs import BackupRun, RunList, RunStatus
from cove_sdk.frames import statistics_frame
from cove_sdk.statistics import decode_page

RUN = BackupRun(
    vendor="cove",
    device_id="1",
    run_id="r",
    status=RunStatus.SUCCESS,
    ended=datetime(2026, 11, 23, tzinfo=timezone.utc),
)


@pytest.fixture(autouse=True)
def _no_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)


def test_runs() -> None:
    with pytest.raises(MissingDependencyError, match=r"pip install 'backup-sdk\[pandas\]'"):
        runs_frame([RUN])
    with pytest.raises(MissingDependencyError, match=r"backup-sdk\[pandas\]"):
        RunList([RUN]).to_dataframe()
    with pytest.raises(MissingDependencyError, match=r"backup-sdk\[pandas\]"):
        to_dataframe([RUN])


def test_statistics() -> None:
    page = decode_page([{"AccountId": 1, "Settings": [{"I1": "pc"}]}])
    with pytest.raises(MissingDependencyError, match=r"backup-sdk\[pandas\]"):
        statistics_frame(page)
    with pytest.raises(ImportError):  # it is an ImportError too
        to_dataframe(page)
