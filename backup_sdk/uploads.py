"""Request bodies that can be sent more than once (a retry, or a replay after a new login).

A file handle is read to its end by the first attempt; sending it again as it is would send
nothing. :class:`Upload` remembers where the body starts and rewinds to it before every
attempt, opens a path afresh each time, and refuses (with a typed error) to send a
non-seekable stream twice.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from backup_sdk.errors import TransportError, ValidationError

__all__ = ["Upload"]


class Upload:
    """Bytes, a path, or a binary file object, ready to be sent (again).

    Raises:
        ValidationError: ``source`` is none of those (checked before anything is sent).
    """

    def __init__(self, source: bytes | str | os.PathLike[str] | IO[bytes]) -> None:
        self._bytes: bytes | None = None
        self._path: Path | None = None
        self._stream: IO[bytes] | None = None
        self._start: int | None = None
        self._sent = 0
        if isinstance(source, bytes | bytearray | memoryview):
            self._bytes = bytes(source)
        elif isinstance(source, str | os.PathLike):
            path = Path(source)
            if not path.is_file():
                raise ValidationError(f"no file at {path}", parameter="source")
            self._path = path
        elif hasattr(source, "read"):
            self._stream = source
            try:
                self._start = source.tell() if source.seekable() else None
            except (OSError, ValueError, AttributeError):
                self._start = None
        else:
            raise ValidationError(
                f"an upload is bytes, a path or a binary file, not {type(source).__name__}",
                parameter="source",
            )

    @property
    def size(self) -> int | None:
        """Bytes to send, when known without reading."""
        if self._bytes is not None:
            return len(self._bytes)
        if self._path is not None:
            return self._path.stat().st_size
        return None

    @contextmanager
    def open(self) -> Iterator[bytes | IO[bytes]]:
        """The body for the next attempt, from its start (a file opened here is closed
        when the block ends).

        Raises:
            TransportError: a stream that cannot rewind was already sent once.
        """
        self._sent += 1
        if self._bytes is not None:
            yield self._bytes
            return
        if self._path is not None:
            with self._path.open("rb") as handle:
                yield handle
            return
        assert self._stream is not None
        if self._sent > 1:
            if self._start is None:
                raise TransportError(
                    "the upload is a stream that cannot rewind, so it cannot be sent again "
                    "(pass a path or a seekable file to allow retries)"
                )
            self._stream.seek(self._start)
        yield self._stream
