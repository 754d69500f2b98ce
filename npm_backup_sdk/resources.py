"""Resource namespaces of :class:`~npm_backup_sdk.NpmBackupClient` (``client.backups`` ...).

Paths are relative to ``/api/npm.backup/2.0`` and can be overridden with the client's
``paths=`` argument. The reference lists the ``backups`` links (get, start, upload); the
other actions follow the 1.0 service and the family's REST conventions and are marked
*inferred* in their docstrings.
"""

from __future__ import annotations

import builtins
import os
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any, Final

from backup_sdk.downloads import save_stream
from backup_sdk.errors import ResponseDecodeError, ValidationError
from backup_sdk.uploads import Upload
from backup_sdk.validate import check_int

if TYPE_CHECKING:  # the models load on first use, not with the package
    from npm_backup_sdk.client import NpmBackupClient
    from npm_backup_sdk.models import (
        CompletedBackup,
        ContentInfo,
        DeviceStatus,
        OperationInfo,
        ScheduledBackup,
        Server,
    )

__all__ = [
    "DEFAULT_PATHS",
    "BackupsAPI",
    "CompletedBackupsAPI",
    "DeviceStatusAPI",
    "ScheduledBackupsAPI",
    "ServersAPI",
]

DEFAULT_PATHS: Final[dict[str, str]] = {
    "backups": "/backups/server/{server_id}",
    "backup_start": "/backups/server/{server_id}/start",
    "backup_upload": "/backups/server/{server_id}/upload",
    "completed_backup": "/completed_backups/server/{server_id}/items/{id}",
    "completed_backup_file": "/completed_backups/server/{server_id}/items/{id}/file",
    "completed_backup_restore": "/completed_backups/server/{server_id}/items/{id}/restore",
    "device_status": "/device_status",
    "scheduled_backups": "/scheduled_backups",
    "scheduled_backup": "/scheduled_backups/items/{id}",
    "servers": "/servers",
    "server": "/servers/items/{id}",
}

_CHUNK: Final = 256 * 1024


def _required(data: Any, operation: str) -> Any:
    """A body that must be there: an empty answer to a read is an error, not an empty list
    (``{}`` is an empty collection: the reference makes ``items`` optional)."""
    if data is None:
        raise ResponseDecodeError(
            f"{operation} answered with an empty body where a collection belongs",
            vendor="npm_backup",
            model=operation,
            path="$",
        )
    return data


def _server_id(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"server_id must be an int, got {value!r}", parameter="server_id")
    return value


def _backup_id(value: str) -> str:
    if not isinstance(value, str) or not value or "/" in value:
        raise ValidationError(
            f"backup id must be a non-empty string, got {value!r}", parameter="id"
        )
    return value


class _Namespace:
    def __init__(self, client: NpmBackupClient) -> None:
        self._client = client


class BackupsAPI(_Namespace):
    """Backups on a backup server: list, start, upload."""

    def list(self, server_id: int) -> builtins.list[CompletedBackup]:
        """Completed backups stored on ``server_id`` (newest last, as the device sends)."""
        from npm_backup_sdk.models import Backups, converter

        c = self._client
        data = c._request(
            "GET", c._path("backups", server_id=_server_id(server_id)), operation="backups.get"
        )
        return converter.structure(data, Backups).completed

    def start(
        self,
        server_id: int,
        name: str,
        desc: str = "",
        contents: ContentInfo | None = None,
    ) -> OperationInfo:
        """Start a backup to ``server_id``; returns the operation (follow it with
        ``client.wait_for_operation``). Not retried on failure: it is not idempotent."""
        from npm_backup_sdk.models import ContentInfo, OperationInfo, converter

        c = self._client
        if not name:
            raise ValidationError("a backup needs a name", parameter="name")
        body = {
            "name": name,
            "desc": desc,
            "contents": converter.unstructure(contents or ContentInfo()),
        }
        data = c._request(
            "POST",
            c._path("backup_start", server_id=_server_id(server_id)),
            operation="backups.start",
            json=body,
        )
        return converter.structure(data, OperationInfo)

    def upload(
        self, server_id: int, source: str | os.PathLike[str] | IO[bytes] | bytes
    ) -> CompletedBackup:
        """Upload a backup file (as downloaded earlier) to ``server_id``; streamed, never
        held in memory when given a path or a file. "Available for local backups only"
        according to the reference."""
        from npm_backup_sdk.models import CompletedBackup, converter

        c = self._client
        path = c._path("backup_upload", server_id=_server_id(server_id))
        headers = {"Content-Type": "application/octet-stream"}
        data = c._request(
            "POST", path, operation="backups.upload", upload=Upload(source), headers=headers
        )
        return converter.structure(data, CompletedBackup)


class CompletedBackupsAPI(_Namespace):
    """One stored backup: get, delete, download, restore."""

    def get(self, server_id: int, backup_id: str) -> CompletedBackup:
        """One completed backup. Raises ``NotFoundError`` if it does not exist."""
        from npm_backup_sdk.models import CompletedBackup, converter

        c = self._client
        data = c._request(
            "GET",
            c._path("completed_backup", server_id=_server_id(server_id), id=_backup_id(backup_id)),
            operation="completed_backup.get",
        )
        return converter.structure(data, CompletedBackup)

    def delete(self, server_id: int, backup_id: str) -> None:
        """Delete a stored backup (*inferred* action: DELETE on the item)."""
        c = self._client
        c._request(
            "DELETE",
            c._path("completed_backup", server_id=_server_id(server_id), id=_backup_id(backup_id)),
            operation="completed_backup.delete",
        )

    def iter_download(
        self, server_id: int, backup_id: str, chunk_size: int = _CHUNK
    ) -> Iterator[bytes]:
        """Stream a backup's file in chunks of at most ``chunk_size`` bytes (*inferred* path
        ``.../items/{id}/file``, as in the 1.0 service). The request is sent when this is
        called; the connection is released when the iterator is exhausted or closed.

        Raises:
            ValidationError: a bad id or chunk size (checked before anything is sent).
        """
        size = check_int("chunk_size", chunk_size, minimum=1, maximum=64 * 1024 * 1024)
        c = self._client
        chunks: Iterator[bytes] = c._request(
            "GET",
            c._path(
                "completed_backup_file", server_id=_server_id(server_id), id=_backup_id(backup_id)
            ),
            operation="completed_backup.download",
            headers={"Accept": "application/octet-stream, application/x-gzip"},
            stream=True,
        )
        return _resized(chunks, size)

    def download(
        self,
        server_id: int,
        backup_id: str,
        destination: str | os.PathLike[str] | IO[bytes],
        chunk_size: int = _CHUNK,
    ) -> int:
        """Download a backup to a path or an open binary file; returns the bytes written.

        A path is written to a temporary file beside it and renamed at the end, so a broken
        download never leaves a truncated backup under the final name.
        """
        chunks = self.iter_download(server_id, backup_id, chunk_size)
        return save_stream(chunks, destination)

    def restore(
        self, server_id: int, backup_id: str, contents: ContentInfo | None = None
    ) -> OperationInfo:
        """Restore a backup onto this appliance (*inferred* action ``.../restore``, as in
        1.0). The appliance **reboots** during a restore; follow it with
        ``client.wait_for_operation(op)``, which survives the reboot. ``contents`` with
        ``config_only=True`` asks for a configuration-only restore."""
        from npm_backup_sdk.models import OperationInfo, converter

        c = self._client
        body: dict[str, Any] = {}
        if contents is not None:
            body["contents"] = converter.unstructure(contents)
        data = c._request(
            "POST",
            c._path(
                "completed_backup_restore",
                server_id=_server_id(server_id),
                id=_backup_id(backup_id),
            ),
            operation="completed_backup.restore",
            json=body,
        )
        return converter.structure(data, OperationInfo)


class DeviceStatusAPI(_Namespace):
    """Backup/restore status of the appliance."""

    def get(self) -> DeviceStatus:
        """Current operation with progress, latest backup and restore, available modules."""
        from npm_backup_sdk.models import DeviceStatus, converter

        c = self._client
        data = c._request("GET", c._path("device_status"), operation="device_status.get")
        return converter.structure(data, DeviceStatus)


class ScheduledBackupsAPI(_Namespace):
    """Scheduled backups: list, get, create, update, delete (CRUD *inferred* from the
    family's conventions; list and get are documented)."""

    def list(self) -> builtins.list[ScheduledBackup]:
        from npm_backup_sdk.models import ScheduledBackups, converter

        c = self._client
        data = c._request("GET", c._path("scheduled_backups"), operation="scheduled_backups.get")
        return converter.structure(_required(data, "scheduled_backups.get"), ScheduledBackups).items

    def get(self, schedule_id: str) -> ScheduledBackup:
        from npm_backup_sdk.models import ScheduledBackup, converter

        c = self._client
        data = c._request(
            "GET",
            c._path("scheduled_backup", id=_backup_id(schedule_id)),
            operation="scheduled_backup.get",
        )
        return converter.structure(data, ScheduledBackup)

    def create(self, schedule: ScheduledBackup) -> ScheduledBackup:
        """Create a schedule (validated first: ranges, and ``count`` xor ``until``)."""
        from npm_backup_sdk.models import ScheduledBackup, converter, request_body

        schedule.validate()
        c = self._client
        data = c._request(
            "POST",
            c._path("scheduled_backups"),
            operation="scheduled_backups.create",
            json=request_body(schedule, ScheduledBackup.READ_ONLY),
        )
        return converter.structure(data, ScheduledBackup)

    def update(self, schedule: ScheduledBackup) -> ScheduledBackup:
        """Replace a schedule (PUT); ``schedule.id`` names it. Unknown fields read from the
        device are sent back unchanged."""
        from npm_backup_sdk.models import ScheduledBackup, converter, request_body

        if not schedule.id:
            raise ValidationError("the schedule has no id: create it first", parameter="schedule")
        schedule.validate()
        c = self._client
        data = c._request(
            "PUT",
            c._path("scheduled_backup", id=_backup_id(schedule.id)),
            operation="scheduled_backup.set",
            json=request_body(schedule, ScheduledBackup.READ_ONLY),
        )
        return schedule if data is None else converter.structure(data, ScheduledBackup)

    def delete(self, schedule_id: str) -> None:
        c = self._client
        c._request(
            "DELETE",
            c._path("scheduled_backup", id=_backup_id(schedule_id)),
            operation="scheduled_backup.delete",
        )


class ServersAPI(_Namespace):
    """Backup servers (filers): list, get, create, update, delete."""

    def list(self) -> builtins.list[Server]:
        from npm_backup_sdk.models import Servers, converter

        c = self._client
        data = c._request("GET", c._path("servers"), operation="servers.get")
        return converter.structure(_required(data, "servers.get"), Servers).items

    def get(self, server_id: int) -> Server:
        from npm_backup_sdk.models import Server, converter

        c = self._client
        data = c._request(
            "GET", c._path("server", id=_server_id(server_id)), operation="server.get"
        )
        return converter.structure(data, Server)

    def create(self, server: Server) -> Server:
        """Add a backup server. Without ``new_private_key`` the appliance generates a key
        pair; the returned ``public_key`` goes into the filer's ``authorized_keys``."""
        from npm_backup_sdk.models import Server, converter, request_body

        c = self._client
        data = c._request(
            "POST",
            c._path("servers"),
            operation="servers.create",
            json=request_body(server, Server.READ_ONLY),
        )
        return converter.structure(data, Server)

    def update(self, server: Server) -> Server:
        """Replace a backup server's settings (PUT); ``server.id`` names it."""
        from npm_backup_sdk.models import Server, converter, request_body

        if server.id is None:
            raise ValidationError("the server has no id: create it first", parameter="server")
        c = self._client
        data = c._request(
            "PUT",
            c._path("server", id=_server_id(server.id)),
            operation="server.set",
            json=request_body(server, Server.READ_ONLY),
        )
        return server if data is None else converter.structure(data, Server)

    def delete(self, server_id: int) -> None:
        c = self._client
        c._request("DELETE", c._path("server", id=_server_id(server_id)), operation="server.delete")


def _resized(chunks: Iterator[bytes], size: int) -> Iterator[bytes]:
    for chunk in chunks:
        yield from _split(chunk, size)


def _split(chunk: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(chunk), size):
        yield chunk[start : start + size]
