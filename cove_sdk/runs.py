"""Cove sessions as cross-vendor :class:`~backup_sdk.runs.BackupRun` records.

A run is one session of one data source of one device. Its identity -- the same whichever
call reported it -- is the device, the data source and the session's end time:
``run_id = "<account id>:D<n>:<end, unix seconds>"``. Statistics rows report the last
*completed* session of each source (``F17`` status, ``F18`` end time, ``F12`` duration);
the Reporting Service reports every session, so :class:`CoveRunSource` fills the gaps when
more than one session of a source ended between two polls. A session still running has no
end yet: it becomes a run when it ends.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Final

from backup_sdk.errors import PermissionDeniedError, ResponseDecodeError
from backup_sdk.runs import BackupRun, Device, RunStatus
from cove_sdk.columns import DATA_SOURCES, TOTAL, DataSource, statistics_columns
from cove_sdk.enums import SessionStatus
from cove_sdk.errors import ColumnsRefusedError
from cove_sdk.statistics import DataSourceStats, StatisticsRow

if TYPE_CHECKING:
    from cove_sdk.client import CoveClient

__all__ = ["RUN_STATUS", "CoveRunSource", "session_run", "to_backup_runs"]

log = logging.getLogger("cove_sdk")

#: Every Cove session status, and the run status it maps to (one each; the table in
#: docs/runs.md, "Vendor statuses", is this one). ``RESTARTED`` is a final status: a
#: session reported restarted has stopped (it is the status of a *completed* session in
#: ``F17``), so it is not running; like ``INTERRUPTED`` it stopped before it finished.
RUN_STATUS: Final[Mapping[SessionStatus, RunStatus]] = {
    SessionStatus.NO_STATUS: RunStatus.UNKNOWN,
    SessionStatus.IN_PROCESS: RunStatus.RUNNING,
    SessionStatus.FAILED: RunStatus.FAILED,
    SessionStatus.ABORTED: RunStatus.CANCELLED,
    SessionStatus.UNKNOWN: RunStatus.UNKNOWN,
    SessionStatus.COMPLETED: RunStatus.SUCCESS,
    SessionStatus.INTERRUPTED: RunStatus.CANCELLED,
    SessionStatus.NOT_STARTED: RunStatus.MISSED,
    SessionStatus.COMPLETED_WITH_ERRORS: RunStatus.WARNING,
    SessionStatus.IN_PROGRESS_WITH_FAULTS: RunStatus.RUNNING,
    SessionStatus.OVER_QUOTA: RunStatus.FAILED,
    SessionStatus.NO_SELECTION: RunStatus.SKIPPED,
    SessionStatus.RESTARTED: RunStatus.CANCELLED,
}
#: The fields a run needs: last session status and time, the last completed session
#: (status, end, duration, errors) and its sizes.
RUN_FIELDS: Final = (0, 3, 5, 6, 9, 12, 15, 17, 18)


def _status(code: int | SessionStatus | None) -> RunStatus:
    if code is None:
        return RunStatus.UNKNOWN
    return RUN_STATUS.get(SessionStatus(code), RunStatus.UNKNOWN)


def _utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc)


def session_run(
    *,
    account_id: int,
    source: int,
    status: int | SessionStatus,
    ended: float,
    started: float | None = None,
    device_name: str = "",
    customer: str | None = None,
    errors: int | None = None,
    selected_size: int | None = None,
    sent_size: int | None = None,
    messages: Iterable[str] = (),
) -> BackupRun:
    """The run of one finished session (times are unix seconds)."""
    ds = DATA_SOURCES.get(source)
    return BackupRun(
        vendor="cove",
        device_id=str(account_id),
        device_name=device_name,
        run_id=f"{account_id}:D{source}:{int(ended)}",
        status=_status(status),
        started=_utc(started) if started else None,
        ended=_utc(ended),
        bytes_processed=selected_size,
        bytes_uploaded=sent_size,
        errors=errors,
        customer=customer,
        data_source=ds.name if ds is not None else f"D{source}",
        raw_status=int(status),
        messages=messages,
    )


def _sources_of(row: StatisticsRow) -> list[DataSource]:
    """The data sources a row reports on: those in ``I78`` plus any whose ``F`` columns
    were asked for (so no ``I78`` is needed); the synthetic Total is not one."""
    found = {ds.number: ds for ds in row.data_sources}
    for key in row.raw:
        text = key.upper()
        if text.startswith("D") and "F" in text:
            number = text[1:].split("F", 1)[0]
            if number.isdigit() and int(number) in DATA_SOURCES:
                found.setdefault(int(number), DATA_SOURCES[int(number)])
    found.pop(TOTAL.number, None)
    return [found[n] for n in sorted(found)]


def _completed_run(row: StatisticsRow, stats: DataSourceStats) -> BackupRun | None:
    """The last completed session of one source, from ``F17``/``F18``/``F12`` -- or,
    when those columns were not asked for, the last session (``F00``/``F15``/``F12``) if
    it has finished (its end is then its start plus its duration)."""
    duration = stats.duration
    ended = stats.last_completed
    status = stats.last_completed_status
    started = ended - duration if ended is not None and duration is not None else None
    if ended is None or status is None:
        last = stats.last_status
        started = stats.last_session
        if last is None or started is None or duration is None or last.is_running:
            return None
        status, ended = last, started + duration
    if status is SessionStatus.NO_STATUS:
        return None
    return session_run(
        account_id=row.account_id,
        source=stats.source.number,
        status=status,
        started=started.timestamp() if started is not None else None,
        ended=ended.timestamp(),
        device_name=row.device_name or "",
        customer=row.customer,
        errors=stats.errors,
        selected_size=stats.selected_size,
        sent_size=stats.sent_size,
    )


def to_backup_runs(rows: StatisticsRow | Iterable[StatisticsRow]) -> list[BackupRun]:
    """The last completed session of every data source of each device (one row or many).

    The sources are those of ``I78`` and those whose columns were asked for (``I78`` is
    not needed); a source with no completed session yet gives no run.
    """
    runs = []
    for row in [rows] if isinstance(rows, StatisticsRow) else rows:
        for ds in _sources_of(row):
            run = _completed_run(row, row.source(ds))
            if run is not None:
                runs.append(run)
    return runs


class CoveRunSource:
    """Runs and devices of one Cove partner (see :class:`backup_sdk.runs.RunSource`).

    Args:
        client: a :class:`~cove_sdk.CoveClient`.
        partner_id: the partner whose devices to read (default: the user's own).
        reporting: fill gaps from each device's Reporting Service when more than one
            session of a source may have ended within the window (needs the tenant to
            allow it; refused once, it is not asked again).
        page_size: devices per statistics page.
    """

    vendor = "cove"

    def __init__(
        self,
        client: CoveClient,
        *,
        partner_id: int | None = None,
        reporting: bool = True,
        page_size: int = 1000,
    ) -> None:
        self.client = client
        self._partner_id = partner_id
        self.reporting = reporting
        self.page_size = page_size
        self.columns = [
            "I1",
            "I8",
            "I78",
            "D9F09",
            *statistics_columns(
                RUN_FIELDS,
                sources=[ds for ds in DATA_SOURCES.values() if ds is not TOTAL],
                allow_legacy=True,
            ),
        ]

    @property
    def partner_id(self) -> int:
        return self._partner_id if self._partner_id is not None else self.client.user.partner_id

    def _rows(self) -> Iterator[StatisticsRow]:
        for _ in range(2):
            try:
                yield from self.client.iter_account_statistics(
                    self.partner_id, self.columns, page_size=self.page_size, allow_legacy=True
                )
                return
            except ColumnsRefusedError as exc:
                # the client now leaves those columns out; their sources become unknown
                log.warning("cove: %s; their data sources are reported as unknown", exc)
        raise ResponseDecodeError(
            "the statistics query kept being refused", vendor="cove", model="StatisticsRow"
        )

    def _refused_sources(self) -> set[int]:
        known = self.client._refused.known(self.partner_id)
        numbers = set()
        for code in known:
            text = code.upper()
            if text.startswith("D") and "F" in text:
                numbers.add(int(text[1:].split("F", 1)[0]))
        return numbers

    def devices(self) -> Iterator[Device]:
        """Every device of the partner, with the vendor's own last-success time (``D9F09``)."""
        for row in self._rows():
            refused = self._refused_sources()
            sources = [ds for ds in row.data_sources if ds is not TOTAL]
            yield Device(
                vendor="cove",
                device_id=str(row.account_id),
                device_name=row.device_name or "",
                customer=row.customer,
                data_sources=[ds.name for ds in sources],
                last_success=row.total.last_success,
                unknown_sources=[ds.name for ds in sources if ds.number in refused],
            )

    def iter_runs(self, since: datetime, until: datetime) -> Iterator[BackupRun]:
        """Sessions that ended in ``[since, until]`` (aware datetimes)."""
        for row in self._rows():
            gap = False
            for ds in _sources_of(row):
                stats = row.source(ds)
                run = _completed_run(row, stats)
                if run is None or run.ended is None:
                    continue
                if since <= run.ended <= until:
                    yield run
                    # another session of this source may have ended in the window before
                    # this one: only the Reporting Service can tell
                    started = run.started or run.ended
                    gap = gap or started - timedelta(seconds=1) > since
            if gap and self.reporting:
                yield from self._reported(row, since, until)

    def _reported(
        self, row: StatisticsRow, since: datetime, until: datetime
    ) -> Iterator[BackupRun]:
        try:
            reporting = self.client.reporting(row.account_id)
            sessions = reporting.query_sessions(size=50)
        except PermissionDeniedError as exc:
            log.warning(
                "cove: the Reporting Service is refused (%s); gaps between polls cannot be filled",
                exc,
            )
            self.reporting = False
            return
        for session in sessions:
            if session.end_time is None or not since <= session.end_time <= until:
                continue
            number = session.data_source_number
            if number is None:
                continue
            yield session_run(
                account_id=row.account_id,
                source=number,
                status=session.status,
                started=session.start_time.timestamp() if session.start_time else None,
                ended=session.end_time.timestamp(),
                device_name=row.device_name or "",
                customer=row.customer,
                errors=session.errors_count,
                selected_size=session.selected_size,
                sent_size=session.sent_size,
            )
