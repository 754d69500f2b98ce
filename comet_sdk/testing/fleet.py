"""The state of a simulated Comet Server: users, their profiles and passwords, jobs with their
logs, live connections, and how all of it moves on as the simulator's clock advances.

A job is planned when it is created: when it starts, when it ends and how (its final
status). The API shows it as the plan says *at the current simulated time*: running
(``EndTime`` 0, ``Progress`` moving, on a 25.9.6 server ``6003`` while it waits to retry)
until its end, then finished. Nothing ends in the future. With ``jobs_per_day`` new jobs
start as time passes; :meth:`CometFleet.truth` is every job with its final outcome and the
simulated time from which the API shows it.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import uuid
from collections.abc import Iterator
from typing import Any

import attrs

from comet_sdk._generated.models import FIELD_SINCE
from comet_sdk.versions import is_newer

__all__ = ["STATUS_MIX", "CometFleet", "CometFleetSpec"]

#: Final statuses of finished jobs, with their weights.
STATUS_MIX = [
    (5000, 78),
    (7001, 6),
    (7002, 5),
    (7004, 2),
    (7006, 2),
    (7003, 1),
    (7005, 1),
    (7007, 1),
    (7000, 1),
]
_CLASSIFICATIONS = [
    (4001, 850),
    (4002, 40),
    (4003, 60),
    (4010, 30),
    (4006, 20),
    (4000, 1),
    (4004, 3),
    (4005, 2),
    (4007, 5),
    (4008, 1),
    (4009, 3),
    (4011, 1),
]
_ERRORS = [
    "Couldn't access 'C:\\Users\\Public\\locked.pst': The process cannot access the file",
    "Storage vault is over quota",
    "Connection to the storage vault was lost: i/o timeout",
    "VSS snapshot failed: the shadow copy provider had an unexpected error",
    "Skipped: a previous job for this Protected Item is still running",
]
_RETRY_WAIT = 600  # seconds a failed attempt waits before it is tried again (6003)
_NOT_STARTED = 30  # seconds a new job waits for its device (6004, 25.9.6 servers)
_ENGINES = ["engine1/file", "engine1/windowssystem", "engine1/mssql"]


@attrs.frozen
class CometFleetSpec:
    """Size and shape of the simulated fleet (deterministic for a given ``seed``).

    Attributes:
        users: user accounts, each with one device and 1-3 protected items.
        jobs: finished jobs in the history before the simulator starts.
        days: how far back that history reaches.
        running: jobs running when the simulator starts (they end hours later).
        seed: the random seed.
        jobs_per_day: new jobs started per simulated day once the simulator runs (0: the
            fleet gets no new jobs; running ones still finish at their planned end).
    """

    users: int = 20
    jobs: int = 500
    days: float = 7.0
    running: int = 3
    seed: int = 1
    jobs_per_day: float = 0.0


def _weighted(rng: random.Random, table: list[tuple[int, int]]) -> int:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def _guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


@attrs.frozen
class _Item:
    username: str
    device: str
    item: str
    vault: str
    rule: str
    tags: str


class CometFleet:
    """Users, profiles, jobs and connections of one simulated server.

    ``jobs`` holds the jobs the API can show now, as wire dicts (plan keys start with
    ``_`` and are never sent); :meth:`advance` moves them to a later simulated time.
    """

    def __init__(self, spec: CometFleetSpec, *, now: int, version: str) -> None:
        self.spec = spec
        self.version = version
        self.started_at = now
        self.now = now
        self.profiles: dict[str, dict[str, Any]] = {}
        self.passwords: dict[str, str] = {}
        self.jobs: list[dict[str, Any]] = []
        self.jobs_by_id: dict[str, dict[str, Any]] = {}
        self._active: list[dict[str, Any]] = []
        self._items: list[_Item] = []
        self._rng = random.Random(spec.seed)
        self._spawn_rng = random.Random(spec.seed * 7919 + 1)
        self._next_spawn: float | None = None
        newer = FIELD_SINCE.get("BackupJobDetail", {})
        self._unknown_here = frozenset(k for k, since in newer.items() if is_newer(since, version))
        self._generate(now)
        if spec.jobs_per_day > 0:
            self._next_spawn = now + self._spawn_gap()

    # -- versions ------------------------------------------------------------------------------

    @property
    def is_25(self) -> bool:
        """True when the simulated server is 25.9.6 or later (newer fields and codes)."""
        return not is_newer("25.9.6", self.version)

    # -- generation ----------------------------------------------------------------------------

    def _generate(self, now: int) -> None:
        rng = self._rng
        for n in range(self.spec.users):
            username = f"customer-{n + 1:03d}"
            device_id = _guid(rng)
            vault = _guid(rng)
            sources: dict[str, Any] = {}
            rules: dict[str, Any] = {}
            for k in range(rng.randint(1, 3)):
                source_id = _guid(rng)
                engine = rng.choice(_ENGINES)
                sources[source_id] = {
                    "Description": f"{engine.split('/')[1]} backup {k + 1}",
                    "Engine": engine,
                    "OwnerDevice": device_id,
                    "Statistics": {"LastBackupJob": {}, "LastSuccessfulBackupJob": {}},
                    "EngineProps": {"INCLUDE0": "C:\\Users"},
                }
                rule = _guid(rng)
                tags = "nightly" if k == 0 else ""
                rules[rule] = {
                    "Description": "Nightly" if k == 0 else f"Every 6 hours ({k + 1})",
                    "Source": source_id,
                    "Destination": vault,
                    "Schedules": [
                        {"FrequencyType": 8011, "SecondsPast": 7_200, "RandomDelaySecs": 300}
                    ],
                    "EventTriggers": {},
                    "Tags": tags,
                }
                self._items.append(_Item(username, device_id, source_id, vault, rule, tags))
            self.passwords[username] = f"{username}-Passw0rd"
            self.profiles[username] = {
                "Username": username,
                "AccountName": f"Customer {n + 1}",
                "LocalTimezone": "UTC",
                "Emails": [f"it@customer{n + 1}.example"],
                "Devices": {
                    device_id: {
                        "FriendlyName": f"PC-{n + 1:03d}",
                        "PlatformVersion": {
                            "version": "10.0",
                            "distribution": "Windows 10 Pro",
                            "build": "19045",
                        },
                    }
                },
                "Sources": sources,
                "Destinations": {
                    vault: {"Description": "Cloud vault", "DestinationType": 1003, "Statistics": {}}
                },
                "BackupRules": rules,
                "CreateTime": now - 90 * 86_400,
                # a setting newer than this SDK: a read-modify-write must keep it
                "FutureSettings": {"AlwaysKeepMe": True, "Tiers": [], "Limits": {}},
            }
        span = max(int(self.spec.days * 86_400), 1)
        for i in range(self.spec.jobs):
            item = self._items[i % len(self._items)]
            status = _weighted(rng, STATUS_MIX)
            if int(item.username.rsplit("-", 1)[1]) % 8 == 0:  # a customer whose backups fail
                status = rng.choice([7002, 7003, 7004])
            duration = rng.randrange(30, 4 * 3_600)
            end = now - rng.randrange(1, span)
            start = end - duration  # finished before the simulator started: nothing ends later
            job = self._job(item, start, end, status, retries=rng.randrange(3) if i % 7 == 0 else 0)
            if i % 7 == 0:
                job["FutureCounters"] = {"Dedup": 0.42, "Shards": [1, 2]}
            self._finish(job)
            self._add(job)
        for i in range(self.spec.running):
            item = self._items[i % len(self._items)]
            start = now - rng.randrange(60, 3_600)
            end = now + rng.randrange(3_600, 5 * 3_600)
            job = self._job(item, start, end, _weighted(rng, STATUS_MIX))
            job["_revived"] = i % 4 == 3  # "revived" after looking abandoned
            self._add(job)
        self.advance(now)

    def _job(
        self, item: _Item, start: int, end: int, status: int, *, retries: int = 0
    ) -> dict[str, Any]:
        rng = self._rng
        size = rng.randrange(10**6, 5 * 10**11)
        upload = size // rng.randrange(20, 200)
        job: dict[str, Any] = {
            "GUID": _guid(rng),
            "Username": item.username,
            "Classification": _weighted(rng, _CLASSIFICATIONS),
            "Status": 6001,
            "StartTime": start,
            "EndTime": 0,
            "SourceGUID": item.item,
            "DestinationGUID": item.vault,
            "DeviceID": item.device,
            "SnapshotID": "",
            "ClientVersion": self.version if self.is_25 else "20.9.12",
            "TotalDirectories": rng.randrange(10, 10_000),
            "TotalFiles": rng.randrange(100, 500_000),
            "TotalSize": size,
            "TotalChunks": size // 4_000_000,
            "UploadSize": upload,
            "DownloadSize": 0,
            "CancellationID": _guid(rng),
            "Progress": {
                "Counter": 1,
                "SentTime": start,
                "RecievedTime": start + 1,
                "BytesDone": 0,
                "ItemsDone": 0,
            },
            "RetryCount": retries,
            "BackupRuleGUID": item.rule,
            "ConflictingJobID": "",
            "Tags": item.tags,
            "DestinationSizeStart": {"Size": 10**9, "MeasureStarted": start},
            "DestinationSizeEnd": {"Size": 10**9 + upload, "MeasureStarted": end},
            "_end": end,
            "_status": status,
            "_snapshot": f"{rng.getrandbits(64):016x}",
        }
        duration = max(end - start, 1)
        failing = 7000 <= status < 8000 and status not in (7004, 7006)
        if self.is_25 and failing and duration > 3 * _RETRY_WAIT:  # retries: 24.6.6 and later
            fail_at = start + int(duration * 0.4)
            job["_retry"] = (fail_at, fail_at + _RETRY_WAIT)
            job["_failed_at"] = fail_at
        return job

    def _add(self, job: dict[str, Any]) -> None:
        self.jobs.append(job)
        self.jobs_by_id[job["GUID"]] = job
        if "_end" in job:
            self._active.append(job)

    # -- time ----------------------------------------------------------------------------------

    def _spawn_gap(self) -> float:
        return self._spawn_rng.expovariate(self.spec.jobs_per_day / 86_400)

    def advance(self, now: int) -> None:
        """Move the fleet to simulated time ``now``: new jobs start, running ones progress
        and finish."""
        now = max(now, self.now)
        self.now = now
        while self._next_spawn is not None and self._next_spawn <= now:
            start = int(self._next_spawn)
            item = self._items[self._spawn_rng.randrange(len(self._items))]
            duration = self._spawn_rng.randrange(60, 3 * 3_600)
            job = self._job(item, start, start + duration, _weighted(self._spawn_rng, STATUS_MIX))
            job["_created"] = start
            self._add(job)
            self._next_spawn += self._spawn_gap()
        still: list[dict[str, Any]] = []
        for job in self._active:
            if now >= job["_end"]:
                self._finish(job)
            else:
                self._progress(job, now)
                still.append(job)
        self._active = still

    def _progress(self, job: dict[str, Any], now: int) -> None:
        start, end = job["StartTime"], job["_end"]
        status = 6002 if job.get("_revived") else 6001
        retry = job.get("_retry")
        if self.is_25:
            if job.get("_created") is not None and now < job["_created"] + _NOT_STARTED:
                status = 6004
            elif retry is not None and retry[0] <= now < retry[1]:
                status = 6003
        job["Status"] = status
        done = min(1.0, max(0.0, (now - start) / max(end - start, 1)))
        progress = job["Progress"]
        progress["Counter"] = max(1, (now - start) // 10)
        progress["SentTime"] = now
        progress["RecievedTime"] = now
        progress["BytesDone"] = int(job["UploadSize"] * done)
        progress["ItemsDone"] = int(job["TotalFiles"] * done)

    def _finish(self, job: dict[str, Any]) -> None:
        end = job.pop("_end")
        status = job.pop("_status")
        job.pop("_retry", None)
        job.pop("_revived", None)
        job.pop("_created", None)
        snapshot = job.pop("_snapshot", "")
        job["EndTime"] = end
        job["Status"] = status
        job["SnapshotID"] = snapshot if status in (5000, 7001) else ""
        job["CancellationID"] = ""
        job["Progress"].update(
            {
                "Counter": max(1, (end - job["StartTime"]) // 10),
                "SentTime": end,
                "RecievedTime": end,
                "BytesDone": job["UploadSize"],
                "ItemsDone": job["TotalFiles"],
            }
        )
        self._record_statistics(job)

    def _record_statistics(self, job: dict[str, Any]) -> None:
        """The protected item's statistics in the profile: its last job, and its last
        successful one (as the server keeps them)."""
        profile = self.profiles.get(job["Username"], {})
        source = profile.get("Sources", {}).get(job["SourceGUID"])
        if source is None or job["Classification"] != 4001:
            return
        stats = source.setdefault("Statistics", {})
        for key, wanted in (
            ("LastBackupJob", True),
            ("LastSuccessfulBackupJob", 5000 <= job["Status"] < 6000),
        ):
            previous = stats.get(key) or {}
            if wanted and job["EndTime"] >= previous.get("EndTime", 0):
                stats[key] = self.public(job)

    def finish_running(self, status: int, at: int) -> int:
        """Make every running job end at ``at`` with ``status``; returns how many."""
        count = 0
        for job in self._active:
            job["_end"] = max(at, job["StartTime"])
            job["_status"] = status
            job.pop("_retry", None)
            if job.get("_failed_at", math.inf) > self.now:
                job.pop("_failed_at", None)  # the failed attempt never happened
            count += 1
        self.advance(self.now)
        return count

    def cancel(self, job: dict[str, Any]) -> None:
        """End a running job now as cancelled (7005)."""
        job["_end"] = self.now
        job["_status"] = 7005
        job.pop("_retry", None)
        if job.get("_failed_at", math.inf) > self.now:
            job.pop("_failed_at", None)
        self.advance(self.now)

    def start_job(self, item_rule: str, username: str) -> dict[str, Any] | None:
        """Start a job for a backup rule now (the dispatcher's run-backup)."""
        for item in self._items:
            if item.username == username and item.rule == item_rule:
                rng = self._spawn_rng
                duration = rng.randrange(60, 3_600)
                job = self._job(item, self.now, self.now + duration, _weighted(rng, STATUS_MIX))
                job["_created"] = self.now
                self._add(job)
                self.advance(self.now)
                return job
        return None

    def running(self) -> list[dict[str, Any]]:
        """The jobs running now."""
        return list(self._active)

    # -- what the API shows ----------------------------------------------------------------------

    def public(self, job: dict[str, Any]) -> dict[str, Any]:
        """A job as this server version sends it (no plan keys, no fields it does not know)."""
        return {
            k: v
            for k, v in job.items()
            if not k.startswith("_")
            and k not in self._unknown_here
            and (self.is_25 or k != "FutureCounters")
        }

    def public_jobs(self, jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [self.public(j) for j in jobs]

    def log_entries(
        self, job: dict[str, Any], *, until: float | None = None
    ) -> list[dict[str, Any]]:
        """The job's log up to ``until`` (default: now), derived deterministically from it."""
        horizon = self.now if until is None else until
        rng = random.Random(job["GUID"])
        start = job["StartTime"]
        end = job.get("_end", job["EndTime"])
        status = job.get("_status", job["Status"])
        entries = [
            {"Time": start, "Severity": "I", "Message": "Starting backup"},
            {"Time": start + 2, "Severity": "I", "Message": "Taking snapshot"},
        ]
        failed_at = job.get("_failed_at")
        if failed_at is not None:
            entries.append(
                {"Time": failed_at, "Severity": "W", "Message": "Attempt failed; will retry"}
            )
        if status == 7001:
            entries.append(
                {"Time": min(start + 30, end), "Severity": "W", "Message": rng.choice(_ERRORS[:1])}
            )
        elif 7000 <= status < 8000:
            entries.append(
                {"Time": min(start + 40, end), "Severity": "E", "Message": rng.choice(_ERRORS)}
            )
        if end:
            entries.append({"Time": end, "Severity": "I", "Message": "Job finished"})
        return [e for e in sorted(entries, key=lambda e: e["Time"]) if e["Time"] <= horizon]

    def connections(self) -> dict[str, dict[str, Any]]:
        """Live connections by id: two users in three are online."""
        active: dict[str, dict[str, Any]] = {}
        for n, (username, profile) in enumerate(sorted(self.profiles.items())):
            if n % 3 == 2:
                continue  # offline
            for device_id in profile.get("Devices", {}):
                active[f"conn-{n:04d}"] = {
                    "Username": username,
                    "DeviceID": device_id,
                    "ReportedVersion": self.version if n % 5 else "20.3.1",
                    "ReportedPlatform": "windows",
                    "ReportedPlatformVersion": {"version": "10.0", "distribution": "Windows"},
                    "IPAddress": f"192.0.2.{n % 250 + 1}",
                    "ConnectionTime": self.now - 3_600,
                    "AllowsFilenames": True,
                }
        return active

    @staticmethod
    def profile_hash(profile: dict[str, Any]) -> str:
        return hashlib.sha256(json.dumps(profile, sort_keys=True).encode()).hexdigest()[:32]

    # -- ground truth --------------------------------------------------------------------------

    def truth(self, max_messages: int = 5) -> Iterator[dict[str, Any]]:
        """Every backup job that has started, as a ``BackupRun`` record of its final
        outcome, with ``visible_at``: the simulated time from which the API shows that
        outcome. Jobs of other classifications (restores, retention passes...) are not
        runs (:func:`comet_sdk.runs.is_backup_job`)."""
        from comet_sdk.models import BackupJobDetail, UserProfileConfig, converter
        from comet_sdk.runs import to_backup_run

        profiles = {
            name: converter.structure(profile, UserProfileConfig)
            for name, profile in self.profiles.items()
        }
        for job in self.jobs:
            if job["Classification"] != 4001:
                continue
            final = self.public(job)
            final["Status"] = job.get("_status", job["Status"])
            final["EndTime"] = job.get("_end", job["EndTime"])
            messages = [
                e["Message"]
                for e in self.log_entries(job, until=math.inf)
                if e["Severity"] in ("W", "E")
            ][:max_messages]
            run = to_backup_run(
                converter.structure(final, BackupJobDetail),
                profiles.get(job["Username"]),
                messages=messages if not 5000 <= final["Status"] < 6000 else (),
            )
            record = run.to_record()
            record["visible_at"] = final["EndTime"]
            yield record
