"""The vendor registry: vendor packages describe themselves; ``backup_sdk`` names none.

A vendor package registers a :class:`Vendor` under the entry-point group
``backup_sdk.vendors`` in its distribution's metadata::

    [project.entry-points."backup_sdk.vendors"]
    cove = "cove_sdk.vendor:VENDOR"

The demo, the command line and the cross-vendor tools discover vendors here, so another
distribution can add a fourth vendor without touching ``backup_sdk``. The descriptor names
its parts as ``"module:attribute"`` strings and loads them only when asked, so listing the
vendors imports no client.
"""

from __future__ import annotations

import functools
import importlib
import logging
from collections.abc import Mapping
from importlib.metadata import entry_points
from typing import Any

import attrs

from backup_sdk.errors import ConfigurationError

__all__ = ["ENTRY_POINT_GROUP", "Vendor", "get_vendor", "vendors"]

ENTRY_POINT_GROUP = "backup_sdk.vendors"
log = logging.getLogger("backup_sdk.vendors")


@attrs.frozen
class Vendor:
    """One vendor package, as the shared layer sees it.

    Attributes:
        name: the vendor id used everywhere (``BackupRun.vendor``, errors, the CLI).
        title: a human name.
        package: the import package.
        env_prefix: environment variables are ``<env_prefix>_URL``, ``_USERNAME``...
        client: ``"module:Class"`` of the client (it has ``from_env()``).
        simulator: ``"module:Class"`` of the simulator (a ``SimulatorServer``).
        runs: ``"module:function"`` turning the vendor's records into ``BackupRun``s.
        run_source: ``"module:Class"`` of the vendor's run source (see backup_sdk.runs).
        demo: ``"module:function"`` taking a text stream (``python -m backup_sdk demo``).
        warning_counts_as_success: the vendor's own notion of a good backup: whether a run
            that completed with warnings counts as a success. :mod:`backup_sdk.staleness`
            uses it when the caller does not choose (Cove's last-success F09 and Comet's
            5xxx success range both leave warnings out, hence the default False).
    """

    name: str
    title: str
    package: str
    env_prefix: str
    client: str
    simulator: str
    runs: str
    run_source: str = ""
    demo: str = ""
    warning_counts_as_success: bool = False

    def load(self, part: str) -> Any:
        """Import and return a part (``"client"``, ``"simulator"``, ``"runs"``...)."""
        target = getattr(self, part)
        if not target:
            raise ConfigurationError(f"vendor {self.name!r} has no {part}")
        module_name, _, attribute = target.partition(":")
        return getattr(importlib.import_module(module_name), attribute)


@functools.cache
def vendors() -> Mapping[str, Vendor]:
    """Every installed vendor, by name (in entry-point name order)."""
    found: dict[str, Vendor] = {}
    for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            vendor = entry.load()
        except Exception as exc:  # a broken third-party package must not break the rest
            log.warning("vendor %s could not be loaded: %s", entry.name, exc)
            continue
        if not isinstance(vendor, Vendor):
            log.warning("entry point %s is not a backup_sdk.vendors.Vendor", entry.name)
            continue
        found[vendor.name] = vendor
    return found


def get_vendor(name: str) -> Vendor:
    """The vendor called ``name``.

    Raises:
        ConfigurationError: no such vendor is installed (the message lists those that are).
    """
    known = vendors()
    if name not in known:
        choices = ", ".join(known) or "none"
        raise ConfigurationError(f"unknown vendor {name!r}; installed: {choices}")
    return known[name]
