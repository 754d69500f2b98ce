"""Saving streamed downloads without holding them in memory or leaving partial files."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO

__all__ = ["save_stream"]


def save_stream(chunks: Iterable[bytes], destination: str | os.PathLike[str] | IO[bytes]) -> int:
    """Write chunks to a path or an open binary file; returns the number of bytes written.

    A path is written to a temporary file beside it and renamed at the end, so an
    interrupted download never leaves a truncated file under the final name.
    """
    if not isinstance(destination, str | os.PathLike):
        return _copy(chunks, destination)
    target = Path(destination)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            written = _copy(chunks, handle)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return written


def _copy(chunks: Iterable[bytes], handle: IO[bytes]) -> int:
    written = 0
    for chunk in chunks:
        handle.write(chunk)
        written += len(chunk)
    return written
