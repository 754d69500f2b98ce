"""A local Comet Server: a real HTTP server on 127.0.0.1 speaking the admin and user-web API.

Requests are form-encoded ``POST``s carrying credentials (admin ones under
``/api/v1/admin/``, a user's under ``/api/v1/user/``); application errors come back as
HTTP 200 with ``{"Status": 4xx/5xx, "Message": ...}`` (403 for bad credentials, 500 for an
unknown user), as the real server does. The state lives in
:class:`~comet_sdk.testing.fleet.CometFleet` (users, profiles, jobs that start, run and
finish as the simulator's clock moves); this module is the routes.

The simulator runs as Comet 25.9.6 by default; ``version="20.9.12"`` makes it an older
server: the methods only 25.9.6 has answer ``404 page not found``, jobs carry no field newer
than that version and no 6003/6004 codes, and AdminMetaVersion says 20.9.12.

Every read-only method of both references answers with data from the fleet (or, for the
browse requests to a live device, plausible shapes of the right type); writes the
simulator does not implement answer ``{"Status": 500, "Message": "... not implemented by
the simulator"}``.
"""

from __future__ import annotations

import email.parser
import email.policy
import hashlib
import io
import json
import re
import secrets
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

from backup_sdk._compat import Unpack
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
from comet_sdk._generated.operations import OPERATIONS
from comet_sdk._operation import Operation
from comet_sdk.client import CometAdminClient
from comet_sdk.testing.fleet import CometFleet, CometFleetSpec
from comet_sdk.user_client import CometUserClient
from comet_sdk.versions import is_newer

__all__ = ["CometFleetSpec", "CometSimulator"]

OK = {"Status": 200, "Message": "OK"}
Handler = Callable[[dict[str, str], SimRequest], SimResponse]


def _error(status: int, message: str) -> SimResponse:
    return json_response({"Status": status, "Message": message})


class CometSimulator(SimulatorServer):
    """The simulated Comet Server. Use as a context manager; ``base_url`` (= ``url``) is
    what a client connects to, ``username``/``password`` the admin it accepts, and
    ``user_passwords`` the passwords of its user accounts (for the user-web API).

    Attributes:
        version: the Comet version it answers as (``AdminMetaVersion``).
        logins: sessions started, admin and user (``...SessionStart``).
        user_logins: user sessions started (``UserWebSessionStart``).
        denied_methods: methods answered with a permission refusal (403) for every caller.
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
        version: str = "25.9.6",
    ) -> None:
        super().__init__(clock=clock)
        self.fleet = fleet or CometFleetSpec()
        self.version = version
        self.username = username
        self.password = password
        self.require_totp = require_totp
        self.download_size = download_size
        self.session_keys: set[str] = set()
        self.user_session_keys: dict[str, str] = {}
        self.logins = 0
        self.user_logins = 0
        self.denied_methods: set[str] = set()
        self._totp_codes: set[str] = set()
        self.state = CometFleet(self.fleet, now=self.clock.now(), version=version)
        self.resources: dict[str, bytes] = {}
        self.news: dict[str, dict[str, Any]] = {
            "news-1": {"DateTime": self.clock.now() - 86_400, "TextContent": "Maintenance"}
        }
        # the methods this version has, by path (operations are built on first use)
        self._paths = {
            path: name
            for path, name in OPERATIONS.by_path().items()
            if not is_newer(OPERATIONS.since_of(name), version)
        }
        self._handlers: dict[str, Handler] = self._routes()

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

    @property
    def profiles(self) -> dict[str, dict[str, Any]]:
        """User profiles by username, as the server stores them."""
        return self.state.profiles

    @property
    def jobs(self) -> list[dict[str, Any]]:
        """Every job that has started, as it stands now (plan keys start with ``_``)."""
        with self.lock:
            self.state.advance(self.clock.now())
            return self.state.jobs

    @property
    def user_passwords(self) -> dict[str, str]:
        """The password of every user account."""
        return self.state.passwords

    def env(self) -> dict[str, str]:
        """The environment variables that point ``CometAdminClient.from_env()`` (and the
        command line) at this simulator."""
        return {
            "COMET_URL": self.base_url,
            "COMET_USERNAME": self.username,
            "COMET_PASSWORD": self.password,
        }

    def user_env(self, username: str = "customer-001") -> dict[str, str]:
        """The environment for ``CometUserClient.from_env()`` as one of the users."""
        return {
            "COMET_URL": self.base_url,
            "COMET_USERNAME": username,
            "COMET_PASSWORD": self.user_passwords[username],
        }

    def client(self, **options: Unpack[ClientOptions]) -> CometAdminClient:
        """A client for this simulator, authenticating as its admin."""
        return CometAdminClient.from_env(self.env(), **options)

    def user_client(self, username: str = "customer-001", **options: Any) -> CometUserClient:
        """A user-web client for this simulator, as one of its users."""
        return CometUserClient.from_env(self.user_env(username), **options)

    # -- the fleet -----------------------------------------------------------------------------

    def public_jobs(self, jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Jobs as this server version sends them."""
        return self.state.public_jobs(jobs)

    def log_entries(self, job: dict[str, Any]) -> list[dict[str, Any]]:
        """The job's log as it stands now."""
        return self.state.log_entries(job)

    def finish_running_jobs(self, status: int = 5000, after: float = 0.0) -> int:
        """Make every running job finish ``after`` seconds from now (simulator clock)."""
        with self.lock:
            self.state.advance(self.clock.now())
            return self.state.finish_running(status, self.clock.now() + int(after))

    def modify_profile_behind_the_scenes(self, username: str) -> None:
        """Change a profile as another admin would (its hash changes)."""
        with self.lock:
            self.profiles[username]["AccountName"] += " (edited)"

    def truth_runs(self) -> list[dict[str, Any]]:
        """Every backup job that has started (restores, retention passes... are not runs):
        its final outcome as a ``BackupRun`` record, with ``visible_at`` (the simulated time
        from which the API shows it)."""
        with self.lock:
            self.state.advance(self.clock.now())
            return list(self.state.truth())

    # -- credentials ---------------------------------------------------------------------------

    def issue_totp(self) -> str:
        """A fresh six-digit TOTP code, good for one login."""
        code = f"{secrets.randbelow(1_000_000):06d}"
        with self.lock:
            self._totp_codes.add(code)
        return code

    def revoke_all_sessions(self) -> None:
        """Invalidate every session key, admin and user (a restart)."""
        with self.lock:
            self.session_keys.clear()
            self.user_session_keys.clear()

    def _check_password(self, fields: dict[str, str], password: str) -> SimResponse | None:
        kind = fields.get("AuthType", "")
        if fields.get("Password") != password:
            return _error(403, "Incorrect username or password")
        if kind == "PasswordTOTP":
            code = fields.get("TOTP", "")
            if code not in self._totp_codes:
                return _error(403, "Incorrect TOTP code")
            self._totp_codes.discard(code)  # single use
            return None
        if kind == "Password":
            if self.require_totp:
                return _error(403, "ERR_TOTP_REQUIRED")
            return None
        return _error(403, f"Unsupported AuthType {kind!r}")

    def _check_auth(self, fields: dict[str, str]) -> SimResponse | None:
        if fields.get("Username") != self.username:
            return _error(403, "Incorrect username or password")
        if fields.get("AuthType") == "SessionKey":
            if fields.get("SessionKey") in self.session_keys:
                return None
            return _error(403, "Invalid session key")
        return self._check_password(fields, self.password)

    def _check_user_auth(self, fields: dict[str, str]) -> SimResponse | None:
        user = fields.get("Username", "")
        if user not in self.user_passwords:
            return _error(403, "Incorrect username or password")
        if fields.get("AuthType") == "SessionKey":
            if self.user_session_keys.get(fields.get("SessionKey", "")) == user:
                return None
            return _error(403, "Invalid session key")
        return self._check_password(fields, self.user_passwords[user])

    # -- dispatch ------------------------------------------------------------------------------

    def handle(self, request: SimRequest) -> SimResponse:
        known = self._paths.get(request.path)
        operation = OPERATIONS[known] if known is not None else None
        if operation is None or request.method != operation.http_method:
            return text_response("404 page not found", status=404)
        if operation.multipart:
            fields, upload = self._multipart(request)
            fields["upload"] = upload.hex()
        else:
            fields = request.form() if request.method == "POST" else {}
        name = operation.name
        with self.lock:
            self.state.advance(self.clock.now())
            refused = self._authenticate(operation, fields)
            if refused is not None:
                return refused
            if name in self.denied_methods:
                return _error(403, "You do not have permission to use this function")
            handler = self._handlers.get(name)
            if handler is None and name.startswith("AdminBrandingGenerateClient"):
                handler = self._download
            if handler is not None:
                return handler(fields, request)
            if operation.safe:
                return self._read(operation, fields)
            return _error(500, f"{name} is not implemented by the simulator")

    def _authenticate(self, operation: Operation, fields: dict[str, str]) -> SimResponse | None:
        if operation.auth in ("public", "admin_optional"):
            return None
        if operation.auth == "user":
            return self._check_user_auth(fields)
        if operation.auth == "hybrid":
            if fields.get("Username") in self.user_passwords:
                return self._check_user_auth(fields)
            return self._check_auth(fields)
        return self._check_auth(fields)

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

    def _routes(self) -> dict[str, Handler]:
        routes: dict[str, Handler] = {
            "AdminAccountSessionStart": self._session_start,
            "HybridSessionStart": self._session_start,
            "UserWebSessionStart": self._session_start,
            "AdminAccountSessionRevoke": self._session_revoke,
            "UserWebSessionRevoke": self._session_revoke,
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
            "AdminGetJobsAll": lambda f, r: json_response(self.public_jobs(self.state.jobs)),
            "AdminGetJobsForCustomSearch": self._custom_search,
            "AdminCountJobsForCustomSearch": self._count_search,
            "AdminGetJobProperties": self._job_properties,
            "AdminGetJobLogEntries": self._job_log_entries,
            "AdminGetJobLog": self._job_log_text,
            "AdminJobCancel": self._job_cancel,
            "AdminJobAbandon": self._job_abandon,
            "AdminGetProtectedItemWithBackupRules": self._get_protected_item,
            "AdminSetProtectedItemWithBackupRules": self._set_protected_item,
            "AdminDeleteProtectedItem": self._delete_protected_item,
            "AdminDispatcherListActive": self._list_active,
            "AdminDispatcherRunBackup": self._run_backup,
            "AdminDispatcherRequestFilesystemObjects": self._filesystem_objects,
            "AdminDispatcherRequestVaultSnapshots": self._vault_snapshots,
            "AdminDispatcherRequestStoredObjects": self._stored_objects,
            "AdminDispatcherRequestBrowseDiskDrives": self._disk_drives,
            "AdminMetaListAvailableLogDays": self._log_days,
            "AdminMetaReadLogs": self._read_logs,
            "AdminMetaReadSelectLogs": self._read_select_logs,
            "AdminMetaReadAllLogs": self._read_all_logs,
            "AdminMetaStats": self._stats,
            "AdminBrandingAvailablePlatforms": self._platforms,
            "AdminMetaResourceNew": self._resource_new,
            "AdminMetaResourceGet": self._resource_get,
            "AdminStorageFreeSpace": self._free_space,
            "AdminStorageListBuckets": self._buckets,
            "AdminOrganizationList": lambda f, r: json_response({}),
            "AdminAdminUserList": self._admin_users,
            "AdminNewsGetAll": lambda f, r: json_response(self.news),
            "AdminMetaServerConfigNetworkInterfaces": lambda f, r: json_response(
                ["127.0.0.1", "192.0.2.10"]
            ),
            "AdminDispatcherGetDefaultLoginUrl": lambda f, r: json_response(
                {"LoginURL": self.base_url + "/"}
            ),
            "BrandingProps": self._branding_props,
            # the user-web API: the same state, seen by one user
            "UserWebGetJobs": self._user_jobs,
            "UserWebGetJobProperties": self._user_job_properties,
            "UserWebGetJobLogEntries": self._user_job_log_entries,
            "UserWebGetJobLog": self._user_job_log_text,
            "UserWebGetJobsForCustomSearch": self._user_custom_search,
            "UserWebGetUserProfileAndHash": self._user_profile_and_hash,
            "UserWebSetProfileHash": self._user_set_profile_hash,
            "UserWebGetProtectedItemWithBackupRules": self._user_protected_item,
            "UserWebDispatcherListActive": self._user_list_active,
            "UserWebNewsGetAll": lambda f, r: json_response(self.news),
            "UserWebJobCancel": self._user_job_cancel,
            "UserWebDispatcherRequestVaultSnapshots": self._vault_snapshots,
            "UserWebDispatcherRequestStoredObjects": self._stored_objects,
            "UserWebDispatcherRequestBrowseDiskDrives": self._disk_drives,
            "UserWebRequestFilesystemObjects": self._filesystem_objects,
        }
        return routes

    # -- generic reads -------------------------------------------------------------------------

    def _read(self, operation: Operation, fields: dict[str, str]) -> SimResponse:
        """A read the simulator answers by the shape of its result type (after checking
        the device it names is connected)."""
        if "TargetID" in operation.params:
            missing = self._connection_or_error(operation, fields)
            if isinstance(missing, SimResponse):
                return missing
        if operation.kind == "text":
            return text_response(f"{operation.name}: simulated text\n")
        if operation.kind == "binary":
            return bytes_response(b"simulated " + operation.name.encode())
        return json_response(_default_answer(operation.result_type))

    def _connection_or_error(
        self, operation: Operation, fields: dict[str, str]
    ) -> dict[str, Any] | SimResponse:
        connection = self.state.connections().get(fields.get("TargetID", ""))
        if connection is None:
            return _error(500, f"No live connection with ID {fields.get('TargetID', '')!r}")
        if operation.auth == "user" and connection["Username"] != fields.get("Username"):
            return _error(403, "Permission denied: that device belongs to another account")
        return connection

    # -- sessions and accounts -----------------------------------------------------------------

    def _session_start(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        key = "sk-" + secrets.token_hex(16)
        user = fields.get("Username", "")
        self.logins += 1
        if user in self.user_passwords:
            self.user_session_keys[key] = user
            self.user_logins += 1
            return json_response({**OK, "SessionKey": key, "SessionType": "user"})
        self.session_keys.add(key)
        return json_response({**OK, "SessionKey": key, "SessionType": "admin"})

    def _session_revoke(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        key = fields.get("SessionKey", "")
        self.session_keys.discard(key)
        self.user_session_keys.pop(key, None)
        return json_response(OK)

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
                    # bytes as a JSON array of numbers, as some servers write them
                    "U2FRegistrations": [
                        {
                            "Description": "Security key",
                            "RegisterTime": self.clock.now() - 30 * 86_400,
                            "Registration": [5, 4, 0, 255, 16, 32],
                        }
                    ],
                },
            }
        )

    def _admin_users(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        return json_response(
            [{"Username": self.username, "PasswordFormat": 0, "Password": "", "TOTPKey": ""}]
        )

    def _meta_version(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        now = self.clock.now()
        return json_response(
            {
                "Version": self.version,
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

    def _branding_props(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        return json_response(
            {
                "BrandName": "Simulated Backup",
                "ProductName": "Simulated Backup",
                "HasImage": False,
                "TopColor": "#223344",
                "AccentColor": "#ff8800",
                "AllowUnauthenticatedDownloads": False,
                "AllowAuthenticatedDownloads": True,
                "PruneLogsAfterDays": 30,
                "ExpiredInSeconds": 0,
                "ServerIsEmpty": not self.profiles,
            }
        )

    # -- profiles ------------------------------------------------------------------------------

    def _profile_or_error(self, fields: dict[str, str], key: str = "TargetUser") -> Any:
        user = fields.get(key, "")
        profile = self.profiles.get(user)
        if profile is None:
            return _error(500, f"User '{user}' not found")
        return profile

    def _get_profile(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        found = self._profile_or_error(fields)
        return found if isinstance(found, SimResponse) else json_response(found)

    def _get_profile_and_hash(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        found = self._profile_or_error(fields)
        if isinstance(found, SimResponse):
            return found
        return json_response(
            {**OK, "ProfileHash": self.state.profile_hash(found), "Profile": found}
        )

    def _get_profile_hash(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        found = self._profile_or_error(fields)
        if isinstance(found, SimResponse):
            return found
        return json_response({**OK, "ProfileHash": self.state.profile_hash(found)})

    @staticmethod
    def _parse_json(fields: dict[str, str], name: str) -> Any:
        try:
            value = json.loads(fields.get(name, ""))
        except ValueError:
            return _error(400, f"{name} is not valid JSON")
        if not isinstance(value, dict):
            return _error(400, f"{name} must be an object")
        return value

    def _parse_profile(self, fields: dict[str, str]) -> dict[str, Any] | SimResponse:
        profile = self._parse_json(fields, "ProfileData")
        if isinstance(profile, SimResponse):
            return profile
        for key in ("Sources", "Destinations", "Devices", "BackupRules"):
            if isinstance(profile.get(key), list):  # {} vs [] matters to the real server
                return _error(400, f"{key} must be an object")
        assert isinstance(profile, dict)
        return profile

    def _store_profile(self, user: str, fields: dict[str, str], require: str | None) -> SimResponse:
        current = self.profiles.get(user)
        if current is None:
            return _error(500, f"User '{user}' not found")
        if require is not None and require != self.state.profile_hash(current):
            return _error(400, "Profile hash mismatch: it was modified meanwhile")
        profile = self._parse_profile(fields)
        if isinstance(profile, SimResponse):
            return profile
        self.profiles[user] = profile
        if require is None:
            return json_response(OK)
        return json_response(
            {**OK, "ProfileHash": self.state.profile_hash(profile), "Profile": profile}
        )

    def _set_profile(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        return self._store_profile(fields.get("TargetUser", ""), fields, None)

    def _set_profile_hash(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        answer = self._store_profile(
            fields.get("TargetUser", ""), fields, fields.get("RequireHash", "")
        )
        if answer.status == 200 and is_newer("25.9.6", self.version):
            return json_response(OK)  # older servers answer a bare message
        return answer

    def _add_user(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        user = fields.get("TargetUser", "")
        if not user or not fields.get("TargetPassword"):
            return _error(400, "TargetUser and TargetPassword required")
        if user in self.profiles:
            return _error(400, f"User '{user}' already exists")
        self.profiles[user] = {"Username": user, "Devices": {}, "Sources": {}, "Destinations": {}}
        self.user_passwords[user] = fields["TargetPassword"]
        return json_response({"Status": 201, "Message": "Created"})

    def _delete_user(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        found = self._profile_or_error(fields)
        if isinstance(found, SimResponse):
            return found
        del self.profiles[fields["TargetUser"]]
        self.user_passwords.pop(fields["TargetUser"], None)
        return json_response(OK)

    # -- protected items with their backup rules (25.9.6) --------------------------------------

    def _protected_item(self, user: str, source_id: str) -> SimResponse:
        profile = self.profiles.get(user)
        if profile is None:
            return _error(500, f"User '{user}' not found")
        source = profile.get("Sources", {}).get(source_id)
        if source is None:
            return _error(404, f"Protected item '{source_id}' not found")
        rules = {
            rule_id: rule
            for rule_id, rule in profile.get("BackupRules", {}).items()
            if rule.get("Source") == source_id
        }
        return json_response(
            {
                **OK,
                "Source": source,
                "BackupRules": rules,
                "ProfileHash": self.state.profile_hash(profile),
            }
        )

    def _get_protected_item(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        return self._protected_item(fields.get("TargetUser", ""), fields.get("SourceID", ""))

    def _set_protected_item(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        profile = self._profile_or_error(fields)
        if isinstance(profile, SimResponse):
            return profile
        source_id = fields.get("SourceID", "")
        required = fields.get("RequireHash")
        if required is not None and required != self.state.profile_hash(profile):
            return _error(400, "Profile hash mismatch: it was modified meanwhile")
        if "Source" in fields:
            source = self._parse_json(fields, "Source")
            if isinstance(source, SimResponse):
                return source
            profile.setdefault("Sources", {})[source_id] = source
        if "BackupRules" in fields:
            rules = self._parse_json(fields, "BackupRules")
            if isinstance(rules, SimResponse):
                return rules
            kept = {
                k: v
                for k, v in profile.get("BackupRules", {}).items()
                if v.get("Source") != source_id
            }
            profile["BackupRules"] = {**kept, **rules}
        return json_response(OK)

    def _delete_protected_item(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        profile = self._profile_or_error(fields)
        if isinstance(profile, SimResponse):
            return profile
        source_id = fields.get("SourceID", "")
        if profile.get("Sources", {}).pop(source_id, None) is None:
            return _error(404, f"Protected item '{source_id}' not found")
        profile["BackupRules"] = {
            k: v for k, v in profile.get("BackupRules", {}).items() if v.get("Source") != source_id
        }
        return json_response(OK)

    # -- jobs ----------------------------------------------------------------------------------

    @staticmethod
    def _int(fields: dict[str, str], name: str) -> int | SimResponse:
        try:
            return int(fields.get(name, ""))
        except ValueError:
            return _error(400, f"{name} must be an integer")

    def _jobs_for_range(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        start, end = self._int(fields, "Start"), self._int(fields, "End")
        if isinstance(start, SimResponse):
            return start
        if isinstance(end, SimResponse):
            return end
        if start > end:
            start, end = end, start
        if start == end == 0:
            found = [j for j in self.state.jobs if j["EndTime"] == 0]
        else:
            found = [
                j
                for j in self.state.jobs
                if start <= j["StartTime"] <= end or (j["EndTime"] and start <= j["EndTime"] <= end)
            ]
        # some server versions send null rather than an empty list
        return json_response(self.public_jobs(found) if found else None)

    def _jobs_recent(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        cutoff = self.clock.now() - 86_400
        return json_response(
            self.public_jobs(
                [j for j in self.state.jobs if j["StartTime"] >= cutoff or not j["EndTime"]]
            )
        )

    def _jobs_for_user(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        found = self._profile_or_error(fields)
        if isinstance(found, SimResponse):
            return found
        user = fields["TargetUser"]
        return json_response(
            self.public_jobs([j for j in self.state.jobs if j["Username"] == user])
        )

    def _search(self, fields: dict[str, str], jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        query = json.loads(fields.get("Query", ""))
        return [j for j in jobs if _matches(query, self.state.public(j))]

    def _custom_search(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        try:
            found = self._search(fields, self.state.jobs)
        except (ValueError, TypeError, KeyError) as exc:
            return _error(400, f"Invalid search query: {exc}")
        return json_response(self.public_jobs(found))

    def _count_search(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        try:
            found = self._search(fields, self.state.jobs)
        except (ValueError, TypeError, KeyError) as exc:
            return _error(400, f"Invalid search query: {exc}")
        return json_response({"Count": len(found)})

    def _job_or_error(self, fields: dict[str, str], user: str | None = None) -> Any:
        job = self.state.jobs_by_id.get(fields.get("JobID", ""))
        if job is None or (user is not None and job["Username"] != user):
            return _error(500, "Job not found")
        return job

    def _job_properties(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        job = self._job_or_error(fields)
        return job if isinstance(job, SimResponse) else json_response(self.state.public(job))

    def _entries(self, job: dict[str, Any], fields: dict[str, str]) -> list[dict[str, Any]]:
        entries = self.log_entries(job)
        order = {"D": 0, "I": 1, "W": 2, "E": 3}
        floor = fields.get("MinSeverity")
        if floor and not is_newer("23.3.1", self.version):
            entries = [e for e in entries if order.get(e["Severity"], 1) >= order.get(floor, 1)]
        text = fields.get("MessageContains")
        if text and not is_newer("23.3.1", self.version):
            entries = [e for e in entries if text in e["Message"]]
        return entries

    def _job_log_entries(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        job = self._job_or_error(fields)
        return job if isinstance(job, SimResponse) else json_response(self._entries(job, fields))

    def _log_text(self, job: dict[str, Any]) -> SimResponse:
        lines = [f"{e['Time']}\t{e['Severity']}\t{e['Message']}" for e in self.log_entries(job)]
        # a log line that looks like JSON must still be returned as text
        lines.append('{"Status": 7002, "note": "this is log text, not an API response"}')
        return text_response("\n".join(lines) + "\n")

    def _job_log_text(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        job = self._job_or_error(fields)
        return job if isinstance(job, SimResponse) else self._log_text(job)

    def _cancel(self, job: dict[str, Any]) -> SimResponse:
        if job["EndTime"] or not job.get("CancellationID"):
            return _error(400, "The job is not running")
        self.state.cancel(job)
        return json_response(OK)

    def _job_cancel(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        job = self._job_or_error(fields)
        return job if isinstance(job, SimResponse) else self._cancel(job)

    def _job_abandon(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        job = self._job_or_error(fields)
        if isinstance(job, SimResponse):
            return job
        if job["EndTime"]:
            return _error(400, "The job is not running")
        job["_end"], job["_status"] = self.clock.now(), 7007
        self.state.advance(self.clock.now())
        return json_response(OK)

    # -- live devices --------------------------------------------------------------------------

    def _list_active(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        active = self.state.connections()
        only = fields.get("UserNameFilter")
        if only and not is_newer("22.6.7", self.version):
            active = {k: v for k, v in active.items() if v["Username"] == only}
        return json_response(active)

    def _run_backup(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        operation = OPERATIONS["AdminDispatcherRunBackup"]
        connection = self._connection_or_error(operation, fields)
        if isinstance(connection, SimResponse):
            return connection
        job = self.state.start_job(fields.get("BackupRule", ""), connection["Username"])
        if job is None:
            return _error(400, f"Unknown backup rule {fields.get('BackupRule', '')!r}")
        if is_newer("25.9.6", self.version):
            return json_response(OK)
        return json_response({**OK, "JobID": job["GUID"]})

    def _filesystem_objects(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        name = "UserWebRequestFilesystemObjects" if "/user/" in request.path else ""
        operation = OPERATIONS[name or "AdminDispatcherRequestFilesystemObjects"]
        connection = self._connection_or_error(operation, fields)
        if isinstance(connection, SimResponse):
            return connection
        base = fields.get("Path", "") or "C:\\"
        now = self.clock.now()
        objects = [
            {"name": "Users", "type": "dir", "mtime": now - 86_400, "size": 0},
            {"name": "pagefile.sys", "type": "file", "mtime": now - 60, "size": 2**31},
            {"name": f"{base.rstrip(chr(92))}-notes.txt", "type": "file", "mtime": now, "size": 12},
        ]
        if is_newer("25.9.6", self.version):
            return json_response(objects)  # a bare list before the wrapper object
        return json_response({**OK, "StoredObjects": objects})

    def _vault_snapshots(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        operation = self._operation_for(request)
        connection = self._connection_or_error(operation, fields)
        if isinstance(connection, SimResponse):
            return connection
        vault = fields.get("Destination", "")
        snapshots = [
            {
                "Snapshot": job["SnapshotID"],
                "Source": job["SourceGUID"],
                "CreateTime": job["EndTime"],
                "EngineType": "engine1/file",
            }
            for job in self.state.jobs
            if job["DestinationGUID"] == vault and job["SnapshotID"]
        ]
        return json_response({**OK, "Snapshots": snapshots})

    def _stored_objects(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        operation = self._operation_for(request)
        connection = self._connection_or_error(operation, fields)
        if isinstance(connection, SimResponse):
            return connection
        objects = [
            {"name": "Documents", "type": "dir", "subtree": "t-docs", "mtime": 1, "size": 0},
            {"name": "report.pdf", "type": "file", "mtime": 2, "size": 52_000, "r": True},
        ]
        return json_response({**OK, "StoredObjects": objects})

    def _disk_drives(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        operation = self._operation_for(request)
        connection = self._connection_or_error(operation, fields)
        if isinstance(connection, SimResponse):
            return connection
        disk = {
            "ID": "\\\\.\\PHYSICALDRIVE0",
            "DeviceName": "Simulated SSD",
            "Caption": "Simulated SSD",
            "Size": 512 * 10**9,
            "Partitions": [
                {"PartitionOffset": 1_048_576, "Size": 511 * 10**9, "Filesystem": "NTFS"}
            ],
        }
        return json_response({**OK, "Disks": [disk]})

    def _operation_for(self, request: SimRequest) -> Operation:
        return OPERATIONS[self._paths[request.path]]

    # -- server logs, stats, storage -----------------------------------------------------------

    def _log_days(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        today = self.clock.now() // 86_400 * 86_400
        return json_response([today - 86_400 * d for d in range(3)])

    @staticmethod
    def _log_lines(day: int) -> list[str]:
        return [f"{day + 60 * k} [INFO] simulated server log line {k}" for k in range(20)]

    def _read_logs(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        day = self._int(fields, "Log")
        if isinstance(day, SimResponse):
            return day
        return text_response("\r\n".join(self._log_lines(day)) + "\r\n")

    def _read_select_logs(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        try:
            days = [int(d) for d in json.loads(fields.get("Logs", "[]"))]
        except (ValueError, TypeError):
            return _error(400, "Logs must be a JSON list of days")
        return text_response("".join("\r\n".join(self._log_lines(d)) + "\r\n" for d in days))

    def _read_all_logs(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for day in json.loads(self._log_days(fields, request).body):  # type: ignore[arg-type]
                archive.writestr(f"server-{day}.log", "\n".join(self._log_lines(day)))
        return bytes_response(buffer.getvalue(), content_type="application/zip")

    def _stats(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        days: dict[str, dict[str, Any]] = {}
        devices = sum(len(p.get("Devices", {})) for p in self.profiles.values())
        buckets = sum(len(p.get("Destinations", {})) for p in self.profiles.values())
        for job in self.state.jobs:
            day = str(job["StartTime"] // 86_400 * 86_400)
            days[day] = {
                "Users": len(self.profiles),
                "Devices": devices,
                "Buckets": buckets,
                "Boosters": 0,
                "NetworkDevices": 0,
            }
        return json_response(days)

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
            return _error(404, "Resource not found")
        return bytes_response(data)

    def _free_space(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        return json_response(
            {"Unlimited": False, "UsedPercent": 57.5, "AvailableBytes": 4 * 10**12}
        )

    def _buckets(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        buckets = {}
        for profile in self.profiles.values():
            for vault_id in profile.get("Destinations", {}):
                buckets[vault_id] = {
                    "OrganizationID": "",
                    "CreateTime": profile.get("CreateTime", 0),
                    "Size": {"Size": 10**9, "MeasureStarted": self.clock.now() - 3_600},
                }
        return json_response(buckets)

    # -- the user-web API ----------------------------------------------------------------------

    @staticmethod
    def _user(fields: dict[str, str]) -> str:
        return fields.get("Username", "")

    def _own_jobs(self, fields: dict[str, str]) -> list[dict[str, Any]]:
        user = self._user(fields)
        return [j for j in self.state.jobs if j["Username"] == user]

    def _user_jobs(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        return json_response(self.public_jobs(self._own_jobs(fields)))

    def _user_job_properties(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        job = self._job_or_error(fields, self._user(fields))
        return job if isinstance(job, SimResponse) else json_response(self.state.public(job))

    def _user_job_log_entries(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        job = self._job_or_error(fields, self._user(fields))
        return job if isinstance(job, SimResponse) else json_response(self._entries(job, fields))

    def _user_job_log_text(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        job = self._job_or_error(fields, self._user(fields))
        return job if isinstance(job, SimResponse) else self._log_text(job)

    def _user_job_cancel(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        job = self._job_or_error(fields, self._user(fields))
        return job if isinstance(job, SimResponse) else self._cancel(job)

    def _user_custom_search(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        try:
            found = self._search(fields, self._own_jobs(fields))
        except (ValueError, TypeError, KeyError) as exc:
            return _error(400, f"Invalid search query: {exc}")
        return json_response(self.public_jobs(found))

    def _user_profile_and_hash(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        return self._get_profile_and_hash({"TargetUser": self._user(fields)}, request)

    def _user_set_profile_hash(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        return self._store_profile(self._user(fields), fields, fields.get("ProfileHash", ""))

    def _user_protected_item(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        return self._protected_item(self._user(fields), fields.get("SourceID", ""))

    def _user_list_active(self, fields: dict[str, str], request: SimRequest) -> SimResponse:
        user = self._user(fields)
        mine = {k: v for k, v in self.state.connections().items() if v["Username"] == user}
        return json_response(mine)


def _default_answer(result_type: Any) -> Any:
    """A well-formed answer of ``result_type`` with default values (and ``Status`` 200 for a
    response message)."""
    from typing import get_origin

    from comet_sdk.models import converter

    origin = get_origin(result_type)
    if origin is list:
        return []
    if origin is dict:
        return {}
    if result_type in (str, int, bool, float):
        return result_type()
    value = converter.unstructure(result_type())
    if isinstance(value, dict) and "Status" in value and "Message" in value:
        value.update(OK)
    return value


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
    if kind not in ("", "rule"):
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
