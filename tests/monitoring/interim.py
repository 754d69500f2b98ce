"""Interim run sources for the three bundled vendors, for tests only.

The vendors' own run sources (``Vendor.run_source``) are being written; until they are
registered, the command line and the demo are tested end to end against the real
simulators with these, built on each vendor's ``runs`` mapping. They follow the
:class:`~backup_sdk.runs.RunSource` contract as the monitoring code expects it (see
``docs/monitoring.md``), in the simplest way that works on a small fleet.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime

import attrs

from backup_sdk.runs import BackupRun, Device, RunStatus
from backup_sdk.vendors import Vendor, vendors
from comet_sdk.client import CometAdminClient
from comet_sdk.runs import to_backup_run as comet_run
from cove_sdk import column
from cove_sdk.client import CoveClient
from cove_sdk.columns import list_data_sources
from cove_sdk.runs import to_backup_runs as cove_runs
from npm_backup_sdk.client import NpmBackupClient
from npm_backup_sdk.runs import to_backup_run as npm_run

__all__ = ["CometRunSource", "CoveRunSource", "NpmRunSource", "interim_registry"]


def _in_window(run: BackupRun, since: datetime, until: datetime) -> bool:
    when = run.ended or run.started
    return run.status is RunStatus.RUNNING or (when is not None and since <= when <= until)


class CoveRunSource:
    vendor = "cove"

    def __init__(self, client: CoveClient) -> None:
        self.client = client
        sources = list_data_sources(include_total=False)
        self.columns = ["I1", "I8", "I78", column(9, 9)] + [
            column(ds, f) for ds in sources for f in (0, 3, 5, 6, 12, 15)
        ]

    def iter_runs(self, since: datetime, until: datetime) -> Iterator[BackupRun]:
        for row in self.client.iter_account_statistics(self.client.user.partner_id, self.columns):
            for run in cove_runs(row):
                if _in_window(run, since, until):
                    yield run

    def devices(self) -> Iterator[Device]:
        for row in self.client.iter_account_statistics(self.client.user.partner_id, self.columns):
            yield Device(
                vendor="cove",
                device_id=str(row.account_id),
                device_name=row.device_name or "",
                customer=row.customer,
                data_sources=[ds.name for ds in row.data_sources],
                last_success=row.total.last_success,
            )


class CometRunSource:
    vendor = "comet"

    def __init__(self, client: CometAdminClient) -> None:
        self.client = client

    def iter_runs(self, since: datetime, until: datetime) -> Iterator[BackupRun]:
        profiles = self.client.admin_list_users_full()
        for job in self.client.iter_jobs(since, until):
            yield comet_run(job, profiles.get(job.username))

    def devices(self) -> Iterator[Device]:
        for username, profile in sorted(self.client.admin_list_users_full().items()):
            for device_id, device in sorted(profile.devices.items()):
                yield Device(
                    vendor="comet",
                    device_id=device_id,
                    device_name=device.friendly_name,
                    customer=username,
                )


class NpmRunSource:
    vendor = "npm_backup"

    def __init__(self, client: NpmBackupClient) -> None:
        self.client = client

    def _runs(self) -> Iterator[BackupRun]:
        for server in self.client.servers.list():
            if server.id is None:
                continue
            for backup in self.client.backups.list(server.id):
                yield npm_run(backup, server)

    def iter_runs(self, since: datetime, until: datetime) -> Iterator[BackupRun]:
        return (run for run in self._runs() if _in_window(run, since, until))

    def devices(self) -> Iterator[Device]:
        seen: dict[str, Device] = {}
        for run in self._runs():
            seen.setdefault(
                run.device_id,
                Device(vendor="npm_backup", device_id=run.device_id, device_name=run.device_name),
            )
        return iter(seen.values())


_SOURCES = {
    "cove": "tests.monitoring.interim:CoveRunSource",
    "comet": "tests.monitoring.interim:CometRunSource",
    "npm_backup": "tests.monitoring.interim:NpmRunSource",
}


def interim_registry() -> Mapping[str, Vendor]:
    """The installed vendors, with these run sources where a vendor has none of its own."""
    return {
        name: vendor if vendor.run_source else attrs.evolve(vendor, run_source=_SOURCES[name])
        for name, vendor in vendors().items()
    }
