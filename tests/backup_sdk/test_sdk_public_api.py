"""The public API is explicit and typed: every name in ``__all__`` exists and is annotated."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

PACKAGES = ["backup_sdk", "cove_sdk", "comet_sdk", "npm_backup_sdk"]
SHARED_MODULES = [
    "backup_sdk.errors",
    "backup_sdk.redaction",
    "backup_sdk.transport",
    "backup_sdk.client",
    "backup_sdk.models",
    "backup_sdk.models.fields",
    "backup_sdk.models.times",
    "backup_sdk.models.wirebytes",
    "backup_sdk.models.enums",
    "backup_sdk.models.converter",
    "backup_sdk.pagination",
    "backup_sdk.frames",
    "backup_sdk.downloads",
    "backup_sdk.runs",
    "backup_sdk.testing",
    "backup_sdk.testing.cassettes",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_package_ships_py_typed_and_version(name: str) -> None:
    module = importlib.import_module(name)
    assert (Path(module.__file__ or "").parent / "py.typed").is_file()
    assert module.__version__


@pytest.mark.parametrize("name", PACKAGES + SHARED_MODULES)
def test_all_names_exist(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert exported, f"{name} has no __all__"
    missing = [n for n in exported if not hasattr(module, n)]
    assert missing == []
    assert len(set(exported)) == len(exported)


@pytest.mark.parametrize("name", SHARED_MODULES)
def test_public_functions_are_annotated(name: str) -> None:
    module = importlib.import_module(name)
    for export in module.__all__:
        obj = getattr(module, export)
        functions = []
        if inspect.isfunction(obj):
            functions.append(obj)
        elif inspect.isclass(obj):
            functions += [
                f
                for attr, f in vars(obj).items()
                if inspect.isfunction(f)
                and (not attr.startswith("_") or attr == "__init__")
                and f.__module__ == module.__name__  # not typing.Protocol's own
            ]
        for fn in functions:
            sig = inspect.signature(fn)
            unannotated = [
                p.name
                for p in sig.parameters.values()
                if p.annotation is inspect.Parameter.empty and p.name not in ("self", "cls")
            ]
            assert unannotated == [], f"{name}.{fn.__qualname__}: {unannotated}"
            assert sig.return_annotation is not inspect.Signature.empty, fn.__qualname__
