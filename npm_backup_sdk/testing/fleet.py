"""The state of a simulated Backup and Restore v2.0 appliance, apart from its HTTP routes.

:class:`NpmFleet` holds the backup servers, schedules, stored backups with their files and
the operations (backups, restores) the appliance runs, and moves them on as the simulator's
clock advances: an operation stays ``started`` until its duration has passed, then ends
``completed`` or ``failed``; an active daily schedule starts a backup at each of its times
(skipped when another operation is running then). :meth:`NpmFleet.truth_runs` is every
finished backup with the simulated time from which the appliance shows its final status.

Records are kept as the wire dicts the appliance sends; nothing here knows about requests,
responses or status codes (that is :mod:`npm_backup_sdk.testing.simulator`).
"""

from __future__ import annotations

import base64
import hashlib
import random
import uuid
from typing import Any

import attrs

from backup_sdk.testing import SimClock

__all__ = ["PROGRESS_STEPS", "NpmFleet", "NpmOperation", "NpmState"]

#: How many steps an operation's progress is reported in.
PROGRESS_STEPS = 10


@attrs.define
class NpmOperation:
    """One backup, restore or factory reset the appliance runs (times: simulator clock)."""

    op_id: str
    kind: str  # backup | restore | reset-factory
    started: float
    duration: float
    outcome: str  # completed | failed
    extra: dict[str, Any]
    finished: bool = False


@attrs.define
class NpmState:
    """Everything the simulated appliance stores (inspect it in tests)."""

    servers: dict[int, dict[str, Any]] = attrs.field(factory=dict)
    schedules: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    backups: dict[int, list[dict[str, Any]]] = attrs.field(factory=dict)
    files: dict[str, bytes] = attrs.field(factory=dict)
    operations: list[NpmOperation] = attrs.field(factory=list)
    tokens: dict[str, float] = attrs.field(factory=dict)
    refresh_tokens: set[str] = attrs.field(factory=set)
    latest: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    next_server_id: int = 1
    token_requests: int = 0
    tokens_issued: int = 0
    scheduled_until: float = 0.0
    visible_at: dict[str, float] = attrs.field(factory=dict)


class NpmFleet:
    """The appliance's servers, schedules, backups and operations, seeded from ``seed``.

    Args:
        clock: the simulator's clock (operations and schedules follow it).
        seed: makes ids, names and file contents reproducible.
        servers: how many backup servers are seeded.
        backups_per_server: how many completed backups each seeded server holds.
        backup_duration: seconds (simulator clock) a backup runs.
        restore_duration: seconds (simulator clock) a restore runs.
        file_size: bytes in the file of every backup the appliance writes.

    Attributes:
        state: the stored records (:class:`NpmState`).
        next_outcomes: outcome of the next operations started ("completed" or "failed"),
            consumed in order.
        system_id, sw_version: the appliance's identity, as it reports it.
    """

    def __init__(
        self,
        clock: SimClock,
        *,
        seed: int = 1,
        servers: int = 2,
        backups_per_server: int = 3,
        backup_duration: float = 4.0,
        restore_duration: float = 3.0,
        file_size: int = 200_000,
    ) -> None:
        self.clock = clock
        self.backup_duration = backup_duration
        self.restore_duration = restore_duration
        self.file_size = file_size
        self.next_outcomes: list[str] = []
        self.system_id = f"SIM-{seed:04d}-NPM"
        self.sw_version = "11.14.0"
        self.state = NpmState()
        self._rng = random.Random(seed)
        self._seed(servers, backups_per_server)
        self.state.scheduled_until = self.clock.time()

    # -- ids ---------------------------------------------------------------------------------

    def uuid(self) -> str:
        """A fresh id from the seeded generator (every id the appliance hands out, tokens
        included, comes from here, in the order asked for)."""
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    @staticmethod
    def _blob(backup_id: str, size: int) -> bytes:
        seed = hashlib.sha256(backup_id.encode()).digest()
        return (seed * (size // len(seed) + 1))[:size]

    # -- seeding -----------------------------------------------------------------------------

    def _seed(self, servers: int, per_server: int) -> None:
        now = self.clock.now()
        for n in range(servers):
            server_id = self.add_server(
                {
                    "name": f"filer-{n + 1:02d}",
                    "desc": f"Backup filer {n + 1}",
                    "host": f"filer{n + 1}.backup.example",
                    "port": 22,
                    "path": f"/srv/backups/appliance{n + 1}",
                    "user": "backup",
                }
            )
            # the newest backup is 2 h, 20 h or 3 days old; the middle server's one failed
            newest_age = (2, 20, 75)[n % 3] * 3_600
            for k in range(per_server):
                created = now - newest_age - (per_server - 1 - k) * 86_400
                failed = n % 3 == 1 and k == per_server - 1
                self.add_completed(
                    server_id,
                    f"nightly-{k + 1}",
                    "Nightly backup",
                    created,
                    "failed" if failed else "completed",
                    sid=None,
                )
        schedule_id = self.uuid()
        self.state.schedules[schedule_id] = {
            "id": schedule_id,
            "name": "nightly",
            "desc": "Every night at 02:30",
            "active": True,
            "retry_attempts": 2,
            "retry_delay": 15,
            "retention": 7,
            "server_id": 1,
            "contents": {"config_only": False, "modules": [{"module": "config", "options": []}]},
            "rrule": {
                "freq": "DAILY",
                "byhour": [2],
                "byminute": [30],
                "dtstart": now - 604_800,
                "timezone": "Etc/Universal",
            },
            # the reference gives these "timestamps" no unit; they go out as decimal strings
            "last_backup": f"{now - 36_000}.250000",
            "next_backup": f"{now + 50_400}.000000",
        }

    # -- servers -----------------------------------------------------------------------------

    def add_server(self, data: dict[str, Any]) -> int:
        """Store a backup server (its public key derived from id and host); its id."""
        server_id = self.state.next_server_id
        self.state.next_server_id += 1
        key_seed = hashlib.sha256(f"{server_id}{data.get('host')}".encode()).digest()
        public = "ssh-rsa " + base64.b64encode(key_seed * 4).decode() + " appliance"
        record = {**data, "id": server_id, "public_key": public}
        record.pop("new_private_key", None)
        self.state.servers[server_id] = record
        self.state.backups[server_id] = []
        return server_id

    def create_server(self, data: dict[str, Any]) -> dict[str, Any]:
        """Store a server as a create does: the stored record, plus the private key the
        appliance generated when ``data`` brought none (shown this once, never stored)."""
        generated = "new_private_key" not in data
        server_id = self.add_server(data)
        reply = dict(self.state.servers[server_id])
        if generated:
            reply["new_private_key"] = (
                "-----BEGIN RSA PRIVATE KEY-----\n"
                + base64.b64encode(hashlib.sha512(str(server_id).encode()).digest()).decode()
                + "\n-----END RSA PRIVATE KEY-----"
            )
        return reply

    def server(self, server_id: int) -> dict[str, Any] | None:
        """The stored server, or None."""
        return self.state.servers.get(server_id)

    def update_server(self, server: dict[str, Any], data: dict[str, Any]) -> None:
        """Change a stored server; its id and public key stay, a private key is dropped."""
        data.pop("new_private_key", None)
        server.update({k: v for k, v in data.items() if k not in ("id", "public_key")})

    def delete_server(self, server_id: int) -> None:
        """Forget a server and the backups listed on it."""
        del self.state.servers[server_id]
        self.state.backups.pop(server_id, None)

    # -- schedules ---------------------------------------------------------------------------

    def add_schedule(self, data: dict[str, Any]) -> dict[str, Any]:
        """Store a scheduled backup with a new id (next run an hour from now)."""
        schedule_id = self.uuid()
        data.update({"id": schedule_id, "next_backup": f"{self.clock.now() + 3_600}.000000"})
        self.state.schedules[schedule_id] = data
        return data

    def update_schedule(self, schedule: dict[str, Any], data: dict[str, Any]) -> None:
        """Change a stored schedule; its id and run times stay."""
        schedule.update(
            {k: v for k, v in data.items() if k not in ("id", "last_backup", "next_backup")}
        )

    def delete_schedule(self, schedule_id: str) -> bool:
        """Forget a schedule; False when there was none."""
        return self.state.schedules.pop(schedule_id, None) is not None

    # -- stored backups ----------------------------------------------------------------------

    def add_completed(
        self,
        server_id: int,
        name: str,
        desc: str,
        created: int,
        status: str,
        sid: str | None,
        blob: bytes | None = None,
    ) -> dict[str, Any]:
        """Store a backup record on a server with its file (``blob``, or one derived from
        its id); ``sid`` is the schedule that made it."""
        backup_id = self.uuid()
        data = blob if blob is not None else self._blob(backup_id, self.file_size)
        record: dict[str, Any] = {
            "id": backup_id,
            "name": name,
            "desc": desc,
            "server_id": server_id,
            "status": status,
            "hostname": "appliance.example",
            "sw_version": self.sw_version,
            "model": "SIM-8180",
            "serial": "SIM0000001",
            "created_on": created,
            "contents": {"config_only": False, "modules": [{"module": "config", "options": []}]},
            "size": len(data) if status == "completed" else 0,
        }
        if sid:
            record["sid"] = sid
        self.state.backups[server_id].append(record)
        self.state.files[backup_id] = data
        return record

    def upload(self, server_id: int, blob: bytes) -> dict[str, Any]:
        """Store an uploaded backup file as a completed backup; its record."""
        return self.add_completed(
            server_id,
            "uploaded",
            "Uploaded backup",
            self.clock.now(),
            "completed",
            sid=None,
            blob=blob,
        )

    def find_backup(self, server_id: int, backup_id: str) -> dict[str, Any] | None:
        """The backup stored on a server, or None."""
        for record in self.state.backups[server_id]:
            if record["id"] == backup_id:
                return record
        return None

    def delete_backup(self, server_id: int, record: dict[str, Any]) -> None:
        """Forget a stored backup and its file."""
        self.state.backups[server_id].remove(record)
        self.state.files.pop(record["id"], None)

    # -- operations --------------------------------------------------------------------------

    def running(self) -> NpmOperation | None:
        """The operation in progress, if any."""
        for op in self.state.operations:
            if not op.finished:
                return op
        return None

    def op_info(self, op: NpmOperation) -> dict[str, Any]:
        """An operation as the appliance reports it (``OperationInfo``)."""
        status = op.outcome if op.finished else "started"
        message = {
            "started": "in progress",
            "completed": "finished successfully",
            "failed": "could not write to the backup server",
        }[status]
        info: dict[str, Any] = {
            "operation_type": op.kind,
            "start_time": int(op.started),
            "status": status,
            "status_message": message,
        }
        info.update(op.extra.get("info", {}))
        return info

    def progress(self, op: NpmOperation) -> int:
        """Steps of :data:`PROGRESS_STEPS` a running operation has done (never all)."""
        if not op.duration:
            return 0
        elapsed = self.clock.time() - op.started
        return min(PROGRESS_STEPS - 1, int(elapsed / op.duration * PROGRESS_STEPS))

    def _begin(self, kind: str, duration: float, extra: dict[str, Any]) -> NpmOperation | None:
        if self.running() is not None:
            return None
        outcome = self.next_outcomes.pop(0) if self.next_outcomes else "completed"
        op = NpmOperation(self.uuid(), kind, self.clock.time(), duration, outcome, extra)
        self.state.operations.append(op)
        return op

    def start_backup(
        self, server_id: int, name: str, desc: str, contents: Any
    ) -> NpmOperation | None:
        """Start a backup to a stored server (a ``started`` record until it ends); None,
        and nothing stored, while another operation is running."""
        server = self.state.servers[server_id]
        record = self.add_completed(server_id, name, desc, self.clock.now(), "started", sid=None)
        op = self._begin(
            "backup",
            self.backup_duration,
            {
                "server_id": server_id,
                "backup_id": record["id"],
                "contents": contents,
                "info": {
                    "backup_id": record["id"],
                    "name": name,
                    "server_name": server["name"],
                },
            },
        )
        if op is None:
            self.state.backups[server_id].remove(record)
        return op

    def start_restore(self, server_id: int, record: dict[str, Any]) -> NpmOperation | None:
        """Start restoring a stored backup; None while another operation is running."""
        server = self.state.servers[server_id]
        return self._begin(
            "restore",
            self.restore_duration,
            {
                "size": record["size"],
                "info": {"backup_id": record["id"], "server_name": server["name"]},
            },
        )

    # -- time --------------------------------------------------------------------------------

    def advance(self) -> None:
        """Catch up with the clock: start the scheduled backups that came due, finish the
        operations whose time is up (the simulator calls this on every request)."""
        now = self.clock.time()
        self._run_schedules(now)
        for op in self.state.operations:
            if op.finished or now < op.started + op.duration:
                continue
            op.finished = True
            info = self.op_info(op)
            self.state.latest[op.kind] = info
            if op.kind == "backup":
                self.state.visible_at.setdefault(op.extra["backup_id"], op.started + op.duration)
                for record in self.state.backups.get(op.extra["server_id"], []):
                    if record["id"] == op.extra["backup_id"]:
                        record["status"] = op.outcome
                        if op.outcome == "completed":
                            record["size"] = len(self.state.files[record["id"]])

    def _run_schedules(self, now: float) -> None:
        # every time an active daily schedule named since the last look gets a backup,
        # unless another operation was running then (a device skips that run too)
        since = self.state.scheduled_until
        self.state.scheduled_until = now
        for schedule in list(self.state.schedules.values()):
            rule = schedule.get("rrule") or {}
            server_id = schedule.get("server_id")
            if not schedule.get("active") or rule.get("freq") != "DAILY":
                continue
            if server_id not in self.state.servers:
                continue
            hours = rule.get("byhour") or [0]
            minutes = rule.get("byminute") or [0]
            day = int(since // 86_400) * 86_400
            while day <= now:
                for hour in hours:
                    for minute in minutes:
                        at = day + int(hour) * 3_600 + int(minute) * 60
                        if since < at <= now and self._running_at(at) is None:
                            self._scheduled_backup(schedule, int(server_id), at)
                day += 86_400

    def _running_at(self, at: float) -> NpmOperation | None:
        for op in self.state.operations:
            if op.started <= at < op.started + op.duration:
                return op
        return None

    def _scheduled_backup(self, schedule: dict[str, Any], server_id: int, at: float) -> None:
        # the outcome depends on the schedule and the time only, not on what ran before
        rng = random.Random(f"{schedule['id']}:{int(at)}")
        outcome = "failed" if rng.random() < 0.1 else "completed"
        record = self.add_completed(
            server_id,
            str(schedule["name"]),
            str(schedule.get("desc", "")),
            int(at),
            "started",
            sid=str(schedule["id"]),
        )
        server = self.state.servers[server_id]
        op = NpmOperation(
            self.uuid(),
            "backup",
            at,
            self.backup_duration,
            outcome,
            {
                "server_id": server_id,
                "backup_id": record["id"],
                "info": {
                    "backup_id": record["id"],
                    "name": record["name"],
                    "server_name": server["name"],
                    "sbu_id": schedule["id"],
                },
            },
        )
        self.state.operations.append(op)
        self.state.visible_at[record["id"]] = at + self.backup_duration
        schedule["last_backup"] = f"{int(at)}.000000"

    # -- ground truth ------------------------------------------------------------------------

    def truth_runs(self) -> list[dict[str, Any]]:
        """Every stored backup that has finished, as a :class:`~backup_sdk.runs.BackupRun`
        record with ``visible_at`` (when the appliance first showed its final status).
        Call :meth:`advance` first to include what the clock has finished since."""
        from npm_backup_sdk.models import CompletedBackup, Server, converter
        from npm_backup_sdk.runs import to_backup_run

        runs = []
        for server_id, records in self.state.backups.items():
            server = converter.structure(self.state.servers[server_id], Server)
            for record in records:
                if record["status"] == "started":
                    continue
                run = to_backup_run(converter.structure(record, CompletedBackup), server)
                out = run.to_record()
                out["visible_at"] = self.state.visible_at.get(record["id"], record["created_on"])
                runs.append(out)
        return runs
