"""The one definition of a good backup, the last good backup and staleness.

Every recipe, adapter and command of the SDK answers "which devices had no good backup in
the last 24 hours?" with this module, so they all agree:

* a run is **good** when it succeeded; a run that completed with warnings is good only
  where warnings count as success (:func:`is_good`). By default that is the vendor's own
  notion (:attr:`backup_sdk.vendors.Vendor.warning_counts_as_success`): for Cove, Comet and
  the appliance a completed-with-warnings run is *not* a success (Cove's last-success
  column F09 leaves it out, Comet's success range 5xxx does not contain 7001);
* a run counts from when it **ended** (from when it started if the vendor gives no end);
* a device is **fresh** when it has a good run within ``within`` of ``now``; **stale**
  when its last good run is older; **never** backed up when no good run is known at all;
  **unknown** when every data source it has is one whose state cannot be read
  (:attr:`~backup_sdk.runs.Device.unknown_sources`: columns the tenant refuses). Unknown is
  not stale: the SDK does not know.

:func:`stale_devices` answers the question; :func:`assess_devices` gives the verdict for
every device, fresh ones included.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs

from backup_sdk.errors import ValidationError
from backup_sdk.runs import BackupRun, Device, RunStatus
from backup_sdk.validate import check_aware

__all__ = [
    "DeviceStaleness",
    "Verdict",
    "assess_devices",
    "good_time",
    "is_good",
    "last_good",
    "last_good_by_device",
    "stale_devices",
    "vendor_counts_warning_as_success",
]


class Verdict(str, enum.Enum):
    """What is known about a device's backups."""

    FRESH = "fresh"
    STALE = "stale"
    NEVER = "never"
    UNKNOWN = "unknown"

    @property
    def is_stale(self) -> bool:
        """Stale or never backed up: the devices a technician has to look at."""
        return self in (Verdict.STALE, Verdict.NEVER)


def vendor_counts_warning_as_success(vendor: str) -> bool:
    """The vendor's own notion: does a completed-with-warnings run count as a success?

    Read from the vendor registry; a vendor that is not installed counts warnings as
    failures (the stricter answer).
    """
    from backup_sdk.vendors import vendors

    found = vendors().get(vendor)
    return found.warning_counts_as_success if found is not None else False


def _warning_ok(vendor: str, choice: bool | None) -> bool:
    return vendor_counts_warning_as_success(vendor) if choice is None else choice


def is_good(run: BackupRun, *, warning_counts_as_success: bool | None = None) -> bool:
    """Whether ``run`` backed the data up.

    ``warning_counts_as_success``: True or False decides for every vendor; None (the
    default) uses the run's vendor's own notion.
    """
    if run.status is RunStatus.SUCCESS:
        return True
    return run.status is RunStatus.WARNING and _warning_ok(run.vendor, warning_counts_as_success)


def good_time(run: BackupRun) -> datetime | None:
    """The time a run counts from: when it ended, or when it started if no end is known
    (None for a run with neither, or one still running)."""
    if run.status is RunStatus.RUNNING:
        return None
    return run.ended or run.started


def _newer(candidate: BackupRun, current: BackupRun | None) -> bool:
    if current is None:
        return True
    when, then = good_time(candidate), good_time(current)
    if when is None or then is None:
        return then is None and when is not None
    return when > then


def last_good(
    runs: Iterable[BackupRun], *, warning_counts_as_success: bool | None = None
) -> BackupRun | None:
    """The newest good run of ``runs`` (whatever device it belongs to), or None."""
    best: BackupRun | None = None
    for run in runs:
        if (
            is_good(run, warning_counts_as_success=warning_counts_as_success)
            and good_time(run) is not None
            and _newer(run, best)
        ):
            best = run
    return best


def last_good_by_device(
    runs: Iterable[BackupRun], *, warning_counts_as_success: bool | None = None
) -> dict[tuple[str, str], BackupRun]:
    """The newest good run of each ``(vendor, device_id)``."""
    best: dict[tuple[str, str], BackupRun] = {}
    for run in runs:
        if not is_good(run, warning_counts_as_success=warning_counts_as_success):
            continue
        if good_time(run) is None:
            continue
        key = (run.vendor, run.device_id)
        if _newer(run, best.get(key)):
            best[key] = run
    return best


@attrs.frozen(kw_only=True)
class DeviceStaleness:
    """The verdict on one device, with what it rests on.

    Attributes:
        device: the device (from the inventory, or made up from its runs).
        verdict: fresh, stale, never or unknown.
        last_good: when it was last backed up well (None: never, as far as is known).
        reason: one human sentence saying why (for tickets and the command line).
        last_good_run: the run ``last_good`` comes from (None when it comes from the
            vendor's own last-success time, or there is none).
        last_run: the newest run of any status (what happened most recently).
        sources: the last good time of each data source seen (None: never good).
        unknown_sources: the device's data sources whose state cannot be read.
    """

    device: Device
    verdict: Verdict
    last_good: datetime | None
    reason: str
    last_good_run: BackupRun | None = None
    last_run: BackupRun | None = None
    sources: Mapping[str, datetime | None] = attrs.field(factory=dict, hash=False)
    unknown_sources: tuple[str, ...] = ()

    @property
    def is_stale(self) -> bool:
        """Stale or never backed up."""
        return self.verdict.is_stale

    @property
    def never_backed_up(self) -> bool:
        return self.verdict is Verdict.NEVER

    def to_record(self) -> dict[str, Any]:
        """A flat, JSON-friendly dict (times as ISO 8601 strings)."""
        last = self.last_run
        return {
            "vendor": self.device.vendor,
            "device_id": self.device.device_id,
            "device_name": self.device.device_name,
            "customer": self.device.customer,
            "verdict": self.verdict.value,
            "last_good": _iso(self.last_good),
            "reason": self.reason,
            "last_run_status": last.status.value if last is not None else None,
            "last_run_at": _iso((last.ended or last.started) if last is not None else None),
            "unknown_sources": list(self.unknown_sources),
        }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _stamp(value: datetime) -> str:
    return f"{value.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC"


def _ago(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 0:
        return "in the future"
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes = rest // 60
    if days:
        text = f"{days} d {hours} h" if hours else f"{days} d"
    elif hours:
        text = f"{hours} h {minutes} min" if minutes else f"{hours} h"
    else:
        text = f"{minutes} min"
    return f"{text} ago"


def _span(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds >= 2 * 86_400 and seconds % 86_400 == 0:
        return f"{seconds // 86_400} d"
    if seconds and seconds % 3_600 == 0:
        return f"{seconds // 3_600} h"
    return _ago(delta).removesuffix(" ago")


def _device_from_runs(runs: list[BackupRun]) -> Device:
    newest = max(runs, key=lambda r: r.ended or r.started or _EPOCH)
    return Device(
        vendor=newest.vendor,
        device_id=newest.device_id,
        device_name=newest.device_name,
        customer=newest.customer,
    )


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _assess(
    device: Device,
    runs: list[BackupRun],
    *,
    cutoff: datetime,
    now: datetime,
    within: timedelta,
    warning_ok: bool | None,
    runs_since: datetime | None,
) -> DeviceStaleness:
    counts_warning = _warning_ok(device.vendor, warning_ok)
    best = last_good(runs, warning_counts_as_success=counts_warning)
    newest: BackupRun | None = None
    for run in runs:
        when = run.ended or run.started
        if when is not None and (newest is None or when > (newest.ended or newest.started or when)):
            newest = run
    last_time = good_time(best) if best is not None else None
    # The vendor's own last-success time is evidence too, when its notion of success is
    # no wider than the one asked for (a warning it counts must count here as well).
    vendor_time = device.last_success
    usable = counts_warning or not vendor_counts_warning_as_success(device.vendor)
    if vendor_time is not None and usable and (last_time is None or vendor_time > last_time):
        last_time, best = vendor_time, None
    unknown = tuple(device.unknown_sources)
    sources: dict[str, datetime | None] = {}
    for name in device.data_sources:
        if name not in unknown:
            sources[name] = None
    for run in runs:
        if run.data_source is None or run.data_source in unknown:
            continue
        when = good_time(run) if is_good(run, warning_counts_as_success=counts_warning) else None
        previous = sources.get(run.data_source)
        if when is not None and (previous is None or when > previous):
            sources[run.data_source] = when
        else:
            sources.setdefault(run.data_source, previous)
    known = [name for name in device.data_sources if name not in unknown]
    all_unknown = bool(unknown) and not known
    last_note = ""
    if (
        newest is not None
        and newest is not best
        and not is_good(newest, warning_counts_as_success=counts_warning)
    ):
        when = newest.ended or newest.started
        state = "is running" if newest.status is RunStatus.RUNNING else newest.status.value
        if when is not None:
            last_note = f"; last run {state} ({_stamp(when)})"
    unknown_note = ""
    if unknown and not all_unknown:
        unknown_note = f"; state unknown for {', '.join(unknown)}"

    def result(verdict: Verdict, reason: str) -> DeviceStaleness:
        return DeviceStaleness(
            device=device,
            verdict=verdict,
            last_good=last_time,
            reason=reason,
            last_good_run=best,
            last_run=newest,
            sources=sources,
            unknown_sources=unknown,
        )

    if last_time is not None and last_time >= cutoff:
        return result(
            Verdict.FRESH, f"last good backup {_stamp(last_time)} ({_ago(now - last_time)})"
        )
    if all_unknown:
        return result(
            Verdict.UNKNOWN,
            f"the state of every data source is unknown ({', '.join(unknown)} cannot be read)",
        )
    if last_time is not None:
        return result(
            Verdict.STALE,
            f"no good backup in the last {_span(within)}; last good {_stamp(last_time)} "
            f"({_ago(now - last_time)}){last_note}{unknown_note}",
        )
    if runs_since is not None:
        return result(
            Verdict.STALE,
            f"no good backup since {_stamp(runs_since)} (the history looked at)"
            f"{last_note}{unknown_note}",
        )
    return result(Verdict.NEVER, f"never backed up{last_note}{unknown_note}")


def assess_devices(
    devices: Iterable[Device] | None,
    runs: Iterable[BackupRun],
    *,
    within: timedelta = timedelta(hours=24),
    now: datetime,
    warning_counts_as_success: bool | None = None,
    runs_since: datetime | None = None,
) -> list[DeviceStaleness]:
    """The verdict on every device, sorted by vendor and device id.

    Args:
        devices: the inventory, of the vendors it has devices of. A device in it with no
            runs at all is "never backed up" (unless its vendor's own last-success time
            says otherwise); runs of that vendor's devices not in it are left out (the
            inventory says which devices exist). For a vendor it does not cover, or with
            None, the devices are those the runs name.
        runs: the runs to judge by (any order, any vendors, duplicates allowed).
        within: how recent a good run must be (inclusive).
        now: the time to judge at (aware). Pass it: nothing here reads the clock.
        warning_counts_as_success: True or False for every vendor; None: each vendor's
            own notion (see :func:`is_good`).
        runs_since: the start of the history ``runs`` covers, when it is not the whole
            history: a device with no good run is then "stale since ``runs_since``"
            rather than "never backed up".

    Raises:
        ValidationError: a naive ``now``/``runs_since``, or a negative ``within``.
    """
    check_aware("now", now)
    if runs_since is not None:
        check_aware("runs_since", runs_since)
    if not isinstance(within, timedelta) or within < timedelta(0):
        raise ValidationError(
            f"within must be a timedelta >= 0, got {within!r}", parameter="within"
        )
    grouped: dict[tuple[str, str], list[BackupRun]] = {}
    for run in runs:
        grouped.setdefault((run.vendor, run.device_id), []).append(run)
    inventory: dict[tuple[str, str], Device] = {}
    for device in devices or ():
        inventory.setdefault(device.key, device)
    covered = {vendor for vendor, _ in inventory}
    for key, found in grouped.items():
        if key[0] not in covered:
            inventory[key] = _device_from_runs(found)
    cutoff = now - within
    return [
        _assess(
            inventory[key],
            grouped.get(key, []),
            cutoff=cutoff,
            now=now,
            within=within,
            warning_ok=warning_counts_as_success,
            runs_since=runs_since,
        )
        for key in sorted(inventory)
    ]


def stale_devices(
    devices: Iterable[Device] | None,
    runs: Iterable[BackupRun],
    *,
    within: timedelta = timedelta(hours=24),
    now: datetime,
    warning_counts_as_success: bool | None = None,
    runs_since: datetime | None = None,
) -> list[DeviceStaleness]:
    """The devices with no good backup within ``within`` of ``now``: stale ones and those
    never backed up (devices whose state is unknown are not among them; see
    :func:`assess_devices`, which takes the same arguments and judges every device)."""
    return [
        verdict
        for verdict in assess_devices(
            devices,
            runs,
            within=within,
            now=now,
            warning_counts_as_success=warning_counts_as_success,
            runs_since=runs_since,
        )
        if verdict.is_stale
    ]
