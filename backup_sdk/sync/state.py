"""What the sync remembers between polls, per source: small, and bounded forever."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

import attrs

from backup_sdk.errors import ValidationError

__all__ = ["STATE_VERSION", "SourceState"]

#: The version of :meth:`SourceState.to_json`'s format.
STATE_VERSION = 1


def _time(value: Any, name: str) -> datetime | None:
    if value is None:
        return None
    stamp = datetime.fromisoformat(str(value))
    if stamp.tzinfo is None:
        raise ValueError(f"{name} has no time zone")
    return stamp.astimezone(timezone.utc)


@attrs.define(kw_only=True)
class SourceState:
    """The sync state of one source (one vendor).

    Attributes:
        source: the source's name (the vendor).
        high_water: the end of the last window committed: the next poll asks from here
            minus the overlap. None before the first poll.
        open: the runs seen running and not yet seen finishing,
            ``{BackupRun.key: last seen running}``. Bounded by the engine: at most
            ``max_open`` entries, and an entry the source stops reporting is dropped
            ``open_ttl`` after it was last seen.
        history_start: the start of the first window ever asked for: the store holds the
            runs from then on (for "no good backup since ..." answers).
        inventory_at: when the device inventory was last saved (None: never).
        polls: polls committed so far (for information).
        last_poll: the time of the last committed poll.
    """

    source: str
    high_water: datetime | None = None
    open: dict[str, datetime] = attrs.field(factory=dict)
    history_start: datetime | None = None
    inventory_at: datetime | None = None
    polls: int = 0
    last_poll: datetime | None = None

    def to_json(self) -> str:
        """The state as one line of JSON (for a store's state column)."""

        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value is not None else None

        return json.dumps(
            {
                "version": STATE_VERSION,
                "source": self.source,
                "high_water": iso(self.high_water),
                "open": {key: first.isoformat() for key, first in self.open.items()},
                "history_start": iso(self.history_start),
                "inventory_at": iso(self.inventory_at),
                "polls": self.polls,
                "last_poll": iso(self.last_poll),
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str | bytes | Mapping[str, Any]) -> SourceState:
        """Read :meth:`to_json`'s text back.

        Raises:
            ValidationError: not a saved state (or one written by a newer version).
        """
        try:
            data = json.loads(text) if isinstance(text, str | bytes) else dict(text)
            if not isinstance(data, dict):
                raise ValueError("not an object")
            version = int(data.get("version", 0))
            if version > STATE_VERSION:
                raise ValueError(f"written by a newer version (format {version})")
            opened = data.get("open")
            opened = {} if opened is None else opened
            if not isinstance(opened, dict):
                raise ValueError("open is not an object")
            open_runs: dict[str, datetime] = {}
            for key, first in opened.items():
                stamp = _time(first, "open")
                if stamp is not None:
                    open_runs[str(key)] = stamp
            return cls(
                source=str(data["source"]),
                high_water=_time(data.get("high_water"), "high_water"),
                open=open_runs,
                history_start=_time(data.get("history_start"), "history_start"),
                inventory_at=_time(data.get("inventory_at"), "inventory_at"),
                polls=int(data.get("polls", 0)),
                last_poll=_time(data.get("last_poll"), "last_poll"),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError(f"not a saved sync state: {exc}", parameter="text") from None
