"""Attributes of a package imported on first use (PEP 562).

A vendor package re-exports names whose modules are costly to import (model classes,
whose methods attrs writes at class creation); :class:`LazyNamespace` imports the module
of a name when the name is first asked for and caches it in the package's globals, so
every later access is an ordinary lookup. The package keeps ``TYPE_CHECKING`` imports of
the same names for type checkers.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, MutableMapping
from typing import Any

__all__ = ["LazyNamespace"]


class LazyNamespace:
    """``name -> module`` for the lazily imported attributes of one package.

    ``modules`` maps each name to its module, relative to ``package`` (``"models"``,
    ``"_generated.enums"``); :meth:`load` imports it and returns the attribute, caching
    it in ``cache`` (the package's globals).
    """

    def __init__(
        self, package: str, modules: Mapping[str, str], cache: MutableMapping[str, Any]
    ) -> None:
        self.package = package
        self.modules = modules
        self.cache = cache

    @classmethod
    def grouped(
        cls, package: str, groups: Mapping[str, Iterable[str]], cache: MutableMapping[str, Any]
    ) -> LazyNamespace:
        """The same from ``module -> names`` (several names of one module)."""
        modules = {name: module for module, names in groups.items() for name in names}
        return cls(package, modules, cache)

    def load(self, name: str) -> Any:
        """The attribute ``name``, imported now (``AttributeError`` for an unknown name)."""
        module = self.modules.get(name)
        if module is None:
            raise AttributeError(f"module {self.package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{self.package}.{module}"), name)
        self.cache[name] = value
        return value

    def names(self) -> list[str]:
        """Every name loaded on demand."""
        return sorted(self.modules)

    def dir(self) -> list[str]:
        """The package's ``dir()``: what it holds now, what it exports and what it loads."""
        return sorted(set(self.cache) | set(self.cache.get("__all__", ())) | set(self.modules))
