"""A local Comet Server: a real HTTP server on 127.0.0.1 speaking the admin API.

Requests are form-encoded ``POST``s carrying admin credentials; application errors come
back as HTTP 200 with ``{"Status": 4xx/5xx, "Message": ...}`` (403 for bad credentials,
500 for an unknown user), as the real server does. The simulator holds a seeded fleet:
users with profiles (devices, protected items, vaults, schedules, and settings this SDK
does not model, to prove read-modify-write keeps them), jobs across every status and
classification with log entries, live connections, server logs and client downloads.

Methods of the reference that the simulator does not implement answer with a Comet-style
``{"Status": 500, "Message": "... not implemented by the simulator"}``.
"""

from __future__ import annotations

import email.parser
import email.policy
import hashlib
import json
import random
import re
import secrets
import uuid
from collections.abc import Callable, Iterator
from importlib import resources
from typing import Any

import attrs
from typing_extensions import Unpack

from backup_sdk.client import ClientOptions
from backup_sdk.testing import (
    SimClock,
    SimRequest,
    SimResponse,
    SimulatorServer,
    bytes_response,
    json_response,
    text_response,
)
from comet_sdk.client import CometAdminClient

__all__ = ["CometFleetSpec", "CometSimulator"]

OK = {"Status": 200, "Message": "OK"}
_STATUS_MIX = [
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


@attrs.frozen
class CometFleetSpec:
    """Size and shape of the simulated fleet (deterministic for a given ``seed``)."""

    users: int = 20
    jobs: int = 500
    days: float = 7.0
    running: int = 3
    seed: int = 1


def _weighted(rng: random.Random, table: list[tuple[int, int]]) -> int:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def _guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


class CometSimulator(SimulatorServer):
    """The simulated Comet Server. Use as a context manager; ``base_url`` (= ``url``) is
    what a client connects to, ``username``/``password`` the admin it accepts.
    """

    def __init__(
        self,
        *,
        fleet: CometFleetSpec | None = None,
        username: str = "admin",
        password: str = "comet-sim-Passw0rd",
        require_totp: bool = False,
        download_size: int = 1_000_000,
        clock: SimClock | None = None,
    ) -> None:
        super().__init__(clock=clock)
        self.fleet = fleet or CometFleetSpec()
        self.username = username
        self.password = password
        self.require_totp = require_totp
        self.download_size = download_size
        self.session_keys: set[str] = set()
        #: sessions started (``AdminAccountSessionStart``): the logins it has seen.
        self.logins = 0
        #: methods answered with a permission refusal (Status 403) even for a valid admin.
        self.denied_methods: set[str] = set()
        self._totp_codes: set[str] = set()
        self._rng = random.Random(self.fleet.seed)
        self.profiles: dict[str, dict[str, Any]] = {}
        self.jobs: list[dict[str, Any]] = []
        self._jobs_by_id: dict[str, dict[str, Any]] = {}
        self.resources: dict[str, bytes] = {}
        self._spec_paths = self._load_spec_paths()
        self._handlers: dict[str, Callable[[dict[str, str], SimRequest], SimResponse]] = {
            "AdminAccountSessionStart": self._session_start,
            "HybridSessionStart": self._session_start,
            "AdminAccountSessionRevoke": self._session_revoke,
            "AdminAccountProperties": self._account_properties,
            "AdminMetaVersion": self._meta_version,
            "AdminListUsers": lambda f, r: json_response(sorted(self.profiles)),
            "AdminListUsersFull": lambda f, r: json_response(self.profiles),
            "AdminGetUserProfile": self._get_profile,
            "AdminGetUserProfileAndHash": self._get_profile_and_hash,
            "AdminGetUserProfileHash": self._get_profile_hash,
            "AdminSetUserProfile": self._set_profile,
            "AdminSetUserProfileHash": self._set_profile_hash,
            "AdminAddUser": self._add_user,
            "AdminDeleteUser": self._delete_user,
            "AdminGetJobsForDateRange": self._jobs_for_range,
            "AdminGetJobsRecent": self._jobs_recent,
            "AdminGetJobsForUser": self._jobs_for_user,
            "AdminGetJobsAll": lambda f, r: json_response(self.public_jobs(self.jobs)),
            "AdminGetJobsForCustomSearch": self._custom_search,
            "AdminGetJobProperties": self._job_properties,
            "AdminGetJobLogEntries": self._job_log_entries,
            "AdminGetJobLog": self._job_log_text,
            "AdminJobCancel": self._job_cancel,
            "AdminDispatcherListActive": self._list_active,
            "AdminMetaListAvailableLogDays": self._log_days,
            "AdminMetaReadLogs": self._read_logs,
            "AdminBrandingAvailablePlatforms": self._platforms,
            "AdminMetaResourceNew": self._resource_new,
            "AdminMetaResourceGet": self._resource_get,
            "AdminStorageFreeSpace": self._free_space,
            "AdminOrganizationList": lambda f, r: json_response({}),
        }
        self._generate()

    # -- connection ----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """What a client's ``base_url`` is: the server root."""
        return self.url

    @property
    def admin_username(self) -> str:
        """Deprecated name of :attr:`username`."""
        return self.username

    @property
    def admin_password(self) -> str:
        """Deprecated name of :attr:`password`."""
        return self.password

    def env(self) -> dict[str, str]:
        """The environment variables that point ``CometAdminClient.from_env()`` (and the
        command line) at this simulator."""
        return {
            "COMET_URL": self.base_url,
            "COMET_USERNAME": self.username,
            "COMET_PASSWORD": self.password,
        }

    def client(self, **options: Unpack[ClientOptions]) -> CometAdminClient:
        """A client for this simulator, authenticating as its admin."""
        return CometAdminClient.from_env(self.env(), **options)

    # -- credentials -------------------------------------------------------------------------

    def issue_totp(self) -> str:
        """A fresh six-digit TOTP code, good for one login."""
        code = f"{secrets.randbelow(1_000_000):06d}"
        with self.lock:
            self._totp_codes.add(code)
        return code

    def _check_auth(self, fields: dict[str, str]) -> SimResponse | None:
        if fields.get("Username") != self.username:
            return json_response({"Status": 403, "Message": "Incorrect username or password"})
        kind = fields.get("AuthType", "")
        if kind == "SessionKey":
            if fields.get("SessionKey") in self.session_keys:
                return None
            return json_response({"Status": 403, "Message": "Invalid session key"})
        if fields.get("Password") != self.password:
            return json_response({"Status": 403, "Message": "Incorrect username or password"})
        if kind == "PasswordTOTP":
            code = fields.get("TOTP", "")
            if code not in self._totp_codes:
                return json_response({"Status": 403, "Message": "Incorrect TOTP code"})
            self._totp_codes.discard(code)  # single use
            return None
        if kind == "Password":
            if self.require_totp:
                return json_response({"Status": 403, "Message": "ERR_TOTP_REQUIRED"})
            return None
        return json_response({"Status": 403, "Message": f"Unsupported AuthType {kind!r}"})

    # -- dispatch ----------------------------------------------------------------------------

    @staticmethod
    def _load_spec_paths() -> dict[str, str]:
        spec_file = resources.files("comet_sdk") / "spec" / "comet_api_20.9.12.json"
        spec = json.loads(spec_file.read_text(encoding="utf-8"))
        return {m["path"]: m["name"] for m in spec["methods"]}

    def handle(self, request: SimRequest) -> SimResponse:
        name = self._spec_paths.get(request.path)
        if request.method != "POST" or name is None:
            return text_response("404 page not found", status=404)
        if name == "AdminMetaResourceNew":
            fields, upload = self._multipart(request)
            fields["upload"] = upload.hex()
        else:
            fields = request.form()
        with self.lock:
            self._advance()
            if (
                not name.startswith("AdminBrandingGenerate")
                and name != "AdminBrandingAvailablePlatforms"
            ):
                refused = self._check_auth(fields)
                if refused is not None:
                    return refused
            if name in self.denied_methods:
                return json_response(
                    {"Status": 403, "Message": "You do not have permission to use this function"}
                )
            handler = self._handlers.get(name)
            if handler is None and name.startswith("AdminBrandingGenerateClient"):
                handler = self._download
            if handler is None:
                return json_response(
                    {"Status": 500, "Message": f"{name} is not implemented by the simulator"}
                )
            return handler(fields, request)

    @staticmethod
    def _multipart(request: SimRequest) -> tuple[dict[str, str], bytes]:
        fields = {
            k[len("x-comet-admin-") :]
            .replace("authtype", "AuthType")
            .replace("username", "Username")
            .replace("password", "Password")
            .replace("sessionkey", "SessionKey")
            .replace("totp", "TOTP"): v
            for k, v in request.headers.items()
            if k.startswith("x-comet-admin-")
        }
        header = f"Content-Type: {request.headers.get('Content-Type')}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            header + request.body
        )
        upload = b""
        for part in message.iter_parts():
            if part.get_param("name", header="content-disposition") == "upload":
                payload = part.get_payload(decode=True)
                upload = payload if isinstance(payload, bytes) else b""
        return fields, upload

    # -- fleet -------------------------------------------------------------------------------

    def _generate(self) -> None:
        rng = self._rng
        now = self.clock.now()
        user_items: list[tuple[str, str, str, str]] = []
        for n in range(self.fleet.users):
            username = f"customer-{n + 1:03d}"
            device_id = _guid(rng)
            vault = _guid(rng)
            items = {}
            for k in range(rng.randint(1, 3)):
                item = _guid(rng)
                engine = rng.choice(["engine1/file", "engine1/windowssystem", "engine1/mssql"])
                items[item] = {
                    "Description": f"{engine.split('/')[1]} backup {k + 1}",
                    "Engine": engine,
                    "OwnerDevice": device_id,
                    "Statistics": {"LastBackupJob": {}, "LastSuccessfulBackupJob": {}},
                    "EngineProps": {"INCLUDE0": "C:\\Users"},
                }
                user_items.append((username, device_id, item, vault))
            self.profiles[username] = {
                "Username": username,
                "AccountName": f"Customer {n + 1}",
                "LocalTimezone": "UTC",
                "EmailAddresses": [f"it@customer{n + 1}.example"],
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
                "Sources": items,
                "Destinations": {
                    vault: {"Description": "Cloud vault", "DestinationType": 1003, "Statistics": {}}
                },
                "BackupRules": {
                    _guid(rng): {
                        "Description": "Nightly",
                        "Source": next(iter(items)),
                        "Destination": vault,
                        "Schedules": [
                            {"FrequencyType": 8011, "SecondsPast": 7_200, "RandomDelaySecs": 300}
                        ],
                        "EventTriggers": {},
                    }
                },
                "CreateTime": now - 90 * 86_400,
                # a setting newer than this SDK: a read-modify-write must keep it
                "FutureSettings": {"AlwaysKeepMe": True, "Tiers": [], "Limits": {}},
            }
        span = int(self.fleet.days * 86_400)
        for i in range(self.fleet.jobs):
            username, device, item, vault = user_items[i % len(user_items)]
            start = now - rng.randrange(max(span, 1))
            status = _weighted(rng, _STATUS_MIX)
            if int(username.rsplit("-", 1)[1]) % 8 == 0:  # a customer whose backups all fail
                status = rng.choice([7002, 7003, 7004])
            duration = rng.randrange(30, 4 * 3_600)
            job = self._job(rng, username, device, item, vault, start, start + duration, status)
            if i % 7 == 0:  # fields of newer servers, unknown to a 20.9.12 SDK
                job.update(
                    {
                        "RetryCount": rng.randrange(3),
                        "BackupRuleGUID": _guid(rng),
                        "ConflictingJobID": "",
                        "Tags": "site:hq" if i % 14 == 0 else "",
                        # newer than any reference this SDK knows: kept as it is
                        "FutureCounters": {"Dedup": 0.42, "Shards": [1, 2]},
                        "DestinationSizeStart": {"Size": 10**9, "MeasureStarted": start},
                        "DestinationSizeEnd": {"Size": 10**9 + job["UploadSize"]},
                    }
                )
            self._add_job(job)
        for i in range(self.fleet.running):
            username, device, item, vault = user_items[i % len(user_items)]
            start = now - rng.randrange(60, 3_600)
            status = 6002 if i % 4 == 3 else 6001  # some "revived" after looking abandoned
            self._add_job(self._job(rng, username, device, item, vault, start, 0, status))

    def _job(
        self,
        rng: random.Random,
        username: str,
        device: str,
        item: str,
        vault: str,
        start: int,
        end: int,
        status: int,
    ) -> dict[str, Any]:
        size = rng.randrange(10**6, 5 * 10**11)
        return {
            "GUID": _guid(rng),
            "Username": username,
            "Classification": _weighted(rng, _CLASSIFICATIONS),
            "Status": status,
            "StartTime": start,
            "EndTime": end,
            "SourceGUID": item,
            "DestinationGUID": vault,
            "DeviceID": device,
            "SnapshotID": "" if status >= 6000 else f"{rng.getrandbits(64):016x}",
            "ClientVersion": "20.9.12",
            "TotalDirectories": rng.randrange(10, 10_000),
            "TotalFiles": rng.randrange(100, 500_000),
            "TotalSize": size,
            "TotalChunks": size // 4_000_000,
            "UploadSize": size // rng.randrange(20, 200),
            "DownloadSize": 0,
            "CancellationID": _guid(rng) if 6000 <= status < 7000 else "",
            "Progress": {
                "Counter": 1,
                "SentTime": start,
                "RecievedTime": start + 1,
                "BytesDone": 0,
                "ItemsDone": 0,
            },
        }

    def _add_job(self, job: dict[str, Any]) -> None:
        self.jobs.append(job)
        self._jobs_by_id[job["GUID"]] = job

    def _advance(self) -> None:
        """Jobs whose owner set ``finish_at`` finish when the clock passes it."""
        now = self.clock.now()
        for job in self.jobs:
            finish_at = job.get("_finish_at")
            if finish_at is not None and now >= finish_at:
                job["EndTime"] = finish_at
                job["Status"] = job.pop("_finish_status", 5000)
                job.pop("_finish_at")

    def finish_running_jobs(self, status: int = 5000, after: float = 0.0) -> int:
        """Make every running job finish ``after`` seconds from now (simulator clock)."""
        with self.lock:
            count = 0
            for job in self.jobs:
                if job["EndTime"] == 0 and 6000 <= job["Status"] < 7000:
                    job["_finish_at"] = self.clock.now() + int(after)
                    job["_finish_status"] = status
                    count += 1
            self._advance()
            return count

    def public_jobs(self, jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: v for k, v in j.items() if not k.startswith("_")} for j in jobs]

    # -- handlers ----------------------------------------------------------------------------

    def _session_start(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        key = "sk-" + secrets.token_hex(16)
        self.session_keys.add(key)
        self.logins += 1
        return json_response({**OK, "SessionKey": key, "SessionType": "admin"})

    def _session_revoke(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        self.session_keys.discard(fields.get("SessionKey", ""))
        return json_response(OK)

    def revoke_all_sessions(self) -> None:
        """Invalidate every session key (an admin logged out everywhere, or a restart)."""
        with self.lock:
            self.session_keys.clear()

    def _account_properties(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        return json_response(
            {
                "OrganizationID": "",
                "Permissions": {"PreventEditServerSettings": False},
                "Security": {
                    "PasswordFormat": 0,
                    "Password": "",
                    "AllowPasswordLogin": True,
                    "AllowPasswordAndTOTPLogin": self.require_totp,
                    "AllowPasswordAndU2FLogin": False,
                    "TOTPKey": "",
                },
            }
        )

    def _meta_version(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        now = self.clock.now()
        return json_response(
            {
                "Version": "20.9.12",
                "VersionCodename": "voyager",
                "StorageRole": True,
                "AuthenticationRole": True,
                "SoftwareBuildRole": True,
                "OverseerRole": False,
                "ConstellationRole": False,
                "ServerStartTime": now - 86_400,
                "ServerStartHash": "c0ffee",
                "CurrentTime": now,
                "ServerLicenseHash": "sim",
                "LicenseValidUntil": now + 365 * 86_400,
                "EmailsSentSuccessfully": 12,
                "EmailsSentErrors": 0,
                "EmailsWaitingInQueue": 0,
                "ScheduledEmailThreadCurrentState": 0,
                "ScheduledEmailThreadLastCalculateDurationNanos": 1000,
                "ScheduledEmailThreadWaitingUntil": now + 600,
                "ScheduledEmailThreadLastWakeTime": now - 60,
                "ScheduledEmailThreadLastWakeSentEmails": False,
            }
        )

    def _profile_or_error(self, fields: dict[str, str]) -> dict[str, Any] | SimResponse:
        user = fields.get("TargetUser", "")
        profile = self.profiles.get(user)
        if profile is None:
            return json_response({"Status": 500, "Message": f"User '{user}' not found"})
        return profile

    @staticmethod
    def _hash(profile: dict[str, Any]) -> str:
        return hashlib.sha256(json.dumps(profile, sort_keys=True).encode()).hexdigest()[:32]

    def _get_profile(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        found = self._profile_or_error(fields)
        return found if isinstance(found, SimResponse) else json_response(found)

    def _get_profile_and_hash(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        found = self._profile_or_error(fields)
        if isinstance(found, SimResponse):
            return found
        return json_response({**OK, "ProfileHash": self._hash(found), "Profile": found})

    def _get_profile_hash(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        found = self._profile_or_error(fields)
        if isinstance(found, SimResponse):
            return found
        return json_response({**OK, "ProfileHash": self._hash(found)})

    def _parse_profile(self, fields: dict[str, str]) -> dict[str, Any] | SimResponse:
        try:
            profile = json.loads(fields.get("ProfileData", ""))
        except ValueError:
            return json_response({"Status": 400, "Message": "ProfileData is not valid JSON"})
        if not isinstance(profile, dict):
            return json_response({"Status": 400, "Message": "ProfileData must be an object"})
        for key in ("Sources", "Destinations", "Devices", "BackupRules"):
            if isinstance(profile.get(key), list):  # {} vs [] matters to the real server
                return json_response({"Status": 400, "Message": f"{key} must be an object"})
        return profile

    def _set_profile(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        found = self._profile_or_error(fields)
        if isinstance(found, SimResponse):
            return found
        profile = self._parse_profile(fields)
        if isinstance(profile, SimResponse):
            return profile
        self.profiles[fields["TargetUser"]] = profile
        return json_response(OK)

    def _set_profile_hash(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        found = self._profile_or_error(fields)
        if isinstance(found, SimResponse):
            return found
        if fields.get("RequireHash") != self._hash(found):
            return json_response(
                {"Status": 400, "Message": "Profile hash mismatch: it was modified meanwhile"}
            )
        profile = self._parse_profile(fields)
        if isinstance(profile, SimResponse):
            return profile
        self.profiles[fields["TargetUser"]] = profile
        return json_response(OK)

    def modify_profile_behind_the_scenes(self, username: str) -> None:
        """Change a profile as another admin would (its hash changes)."""
        with self.lock:
            self.profiles[username]["AccountName"] += " (edited)"

    def _add_user(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        user = fields.get("TargetUser", "")
        if not user or not fields.get("TargetPassword"):
            return json_response(
                {"Status": 400, "Message": "TargetUser and TargetPassword required"}
            )
        if user in self.profiles:
            return json_response({"Status": 400, "Message": f"User '{user}' already exists"})
        self.profiles[user] = {"Username": user, "Devices": {}, "Sources": {}, "Destinations": {}}
        return json_response({"Status": 201, "Message": "Created"})

    def _delete_user(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        found = self._profile_or_error(fields)
        if isinstance(found, SimResponse):
            return found
        del self.profiles[fields["TargetUser"]]
        return json_response(OK)

    def _int(self, fields: dict[str, str], name: str) -> int | SimResponse:
        try:
            return int(fields.get(name, ""))
        except ValueError:
            return json_response({"Status": 400, "Message": f"{name} must be an integer"})

    def _jobs_for_range(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        start, end = self._int(fields, "Start"), self._int(fields, "End")
        if isinstance(start, SimResponse):
            return start
        if isinstance(end, SimResponse):
            return end
        if start > end:
            start, end = end, start
        if start == end == 0:
            found = [j for j in self.jobs if j["EndTime"] == 0]
        else:
            found = [
                j
                for j in self.jobs
                if start <= j["StartTime"] <= end or (j["EndTime"] and start <= j["EndTime"] <= end)
            ]
        # some server versions send null rather than an empty list
        return json_response(self.public_jobs(found) if found else None)

    def _jobs_recent(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        cutoff = self.clock.now() - 86_400
        return json_response(
            self.public_jobs([j for j in self.jobs if j["StartTime"] >= cutoff or not j["EndTime"]])
        )

    def _jobs_for_user(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        found = self._profile_or_error(fields)
        if isinstance(found, SimResponse):
            return found
        user = fields["TargetUser"]
        return json_response(self.public_jobs([j for j in self.jobs if j["Username"] == user]))

    def _custom_search(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        try:
            query = json.loads(fields.get("Query", ""))
            found = [j for j in self.jobs if _matches(query, j)]
        except (ValueError, TypeError, KeyError) as exc:
            return json_response({"Status": 400, "Message": f"Invalid search query: {exc}"})
        return json_response(self.public_jobs(found))

    def _job_or_error(self, fields: dict[str, str]) -> dict[str, Any] | SimResponse:
        job = self._jobs_by_id.get(fields.get("JobID", ""))
        if job is None:
            return json_response({"Status": 500, "Message": "Job not found"})
        return job

    def _job_properties(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        job = self._job_or_error(fields)
        return job if isinstance(job, SimResponse) else json_response(self.public_jobs([job])[0])

    def log_entries(self, job: dict[str, Any]) -> list[dict[str, Any]]:
        """The job's log, derived deterministically from the job."""
        rng = random.Random(job["GUID"])
        start = job["StartTime"]
        entries = [
            {"Time": start, "Severity": "I", "Message": "Starting backup"},
            {"Time": start + 2, "Severity": "I", "Message": "Taking snapshot"},
        ]
        status = job["Status"]
        if status == 7001:
            entries.append(
                {"Time": start + 30, "Severity": "W", "Message": rng.choice(_ERRORS[:1])}
            )
        elif 7000 <= status < 8000:
            entries.append({"Time": start + 40, "Severity": "E", "Message": rng.choice(_ERRORS)})
        if job["EndTime"]:
            entries.append({"Time": job["EndTime"], "Severity": "I", "Message": "Job finished"})
        return entries

    def _job_log_entries(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        job = self._job_or_error(fields)
        return job if isinstance(job, SimResponse) else json_response(self.log_entries(job))

    def _job_log_text(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        job = self._job_or_error(fields)
        if isinstance(job, SimResponse):
            return job
        lines = [f"{e['Time']}\t{e['Severity']}\t{e['Message']}" for e in self.log_entries(job)]
        # a log line that looks like JSON must still be returned as text
        lines.append('{"Status": 7002, "note": "this is log text, not an API response"}')
        return text_response("\n".join(lines) + "\n")

    def _job_cancel(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        job = self._job_or_error(fields)
        if isinstance(job, SimResponse):
            return job
        if job["EndTime"] or not job.get("CancellationID"):
            return json_response({"Status": 400, "Message": "The job is not running"})
        job["Status"], job["EndTime"] = 7005, self.clock.now()
        return json_response(OK)

    def _list_active(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        active = {}
        for n, (username, profile) in enumerate(sorted(self.profiles.items())):
            if n % 3 == 2:
                continue  # offline
            for device_id in profile.get("Devices", {}):
                active[f"conn-{n:04d}"] = {
                    "Username": username,
                    "DeviceID": device_id,
                    "ReportedVersion": "20.9.12" if n % 5 else "20.3.1",
                    "ReportedPlatform": "windows",
                    "ReportedPlatformVersion": {"version": "10.0", "distribution": "Windows"},
                    "IPAddress": f"192.0.2.{n % 250 + 1}",
                    "ConnectionTime": self.clock.now() - 3_600,
                    "AllowsFilenames": True,
                }
        return json_response(active)

    def _log_days(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        today = self.clock.now() // 86_400 * 86_400
        return json_response([today - 86_400 * d for d in range(3)])

    def _read_logs(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        day = self._int(fields, "Log")
        if isinstance(day, SimResponse):
            return day
        lines = [f"{day + 60 * k} [INFO] simulated server log line {k}" for k in range(20)]
        return text_response("\r\n".join(lines) + "\r\n")

    def _platforms(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        return json_response(
            {
                "0": {
                    "Category": "Windows",
                    "Description": "Windows x86_64 installer",
                    "Recommended": True,
                },
                "3": {
                    "Category": "Linux",
                    "Description": "Linux (generic) installer",
                    "Recommended": False,
                },
            }
        )

    def _download(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        size = self.download_size
        block = hashlib.sha256(request.path.encode()).digest() * 2048

        def chunks() -> Iterator[bytes]:
            sent = 0
            while sent < size:
                piece = block[: min(len(block), size - sent)]
                sent += len(piece)
                yield piece

        return bytes_response(chunks())

    def _resource_new(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        data = bytes.fromhex(fields.get("upload", ""))
        digest = hashlib.sha256(data).hexdigest()
        self.resources[digest] = data
        return json_response({**OK, "ResourceHash": digest})

    def _resource_get(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        data = self.resources.get(fields.get("Hash", ""))
        if data is None:
            return json_response({"Status": 404, "Message": "Resource not found"})
        return bytes_response(data)

    def _free_space(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        return json_response(
            {"Unlimited": False, "UsedPercent": 57.5, "AvailableBytes": 4 * 10**12}
        )


_STRING_TESTS: dict[str, Callable[[str, str], bool]] = {
    "eq": lambda a, b: a == b,
    "contains": lambda a, b: b in a,
    "startswith": lambda a, b: a.startswith(b),
    "endswith": lambda a, b: a.endswith(b),
    "regexmatch": lambda a, b: re.search(b, a) is not None,
}
_INT_TESTS: dict[str, Callable[[int, int], bool]] = {
    "eq": lambda a, b: a == b,
    "neq": lambda a, b: a != b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}


def _matches(clause: dict[str, Any], job: dict[str, Any]) -> bool:
    """Evaluate a ``SearchClause`` (rules and and/or/not_and/not_or groups) on a job."""
    kind = clause.get("ClauseType", "")
    if kind in ("and", "or", "not_and", "not_or"):
        results = [_matches(child, job) for child in clause.get("ClauseChildren") or []]
        combined = all(results) if kind.endswith("and") else any(results)
        return not combined if kind.startswith("not_") else combined
    if kind != "":
        raise ValueError(f"unknown ClauseType {kind!r}")
    field = str(clause["RuleField"]).removeprefix("BackupJobDetail.")
    operator, value = str(clause["RuleOperator"]), str(clause["RuleValue"])
    actual = job.get(field)
    family, _, test = operator.partition("_")
    if family == "str":
        negate = test.startswith("n") and test[1:].split("_")[0] in _STRING_TESTS
        name = test[1:] if negate else test
        folded = name.endswith("_ci")
        name = name.removesuffix("_ci")
        left, right = str(actual or ""), value
        if folded:
            left, right = left.lower(), right.lower()
        outcome = _STRING_TESTS[name](left, right)
        return not outcome if negate else outcome
    if family == "int":
        return _INT_TESTS[test](int(actual or 0), int(value))
    if family == "bool":
        truth = value.lower() in ("1", "t", "true")
        return (bool(actual) == truth) == (test == "is")
    raise ValueError(f"unknown RuleOperator {operator!r}")
