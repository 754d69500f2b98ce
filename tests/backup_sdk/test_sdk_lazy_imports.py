"""What a package import leaves for later (import time is a benchmark figure; these check
what makes it cheap, deterministically): cattrs and each converter wait for the first
decode, the run helpers for their first use."""

from __future__ import annotations

import importlib
import threading

import pytest

from backup_sdk.models import ModelConverter, WireModel, model, wire
from tests.support.imports import modules_loaded_by


def _is_imported(code: str, module: str = "cattrs") -> bool:
    return module in modules_loaded_by(code)


@pytest.mark.parametrize("package", ["backup_sdk", "cove_sdk", "comet_sdk", "npm_backup_sdk"])
def test_importing_a_package_imports_no_cattrs(package: str) -> None:
    assert _is_imported(f"import {package}") is False


@pytest.mark.parametrize("package", ["cove_sdk", "npm_backup_sdk", "comet_sdk"])
def test_the_run_helpers_wait_for_their_first_use(package: str) -> None:
    assert _is_imported(f"import {package}", module="backup_sdk.runs") is False
    use = f"from {package} import to_backup_runs\nassert to_backup_runs.__module__ == '{package}.runs'"
    assert _is_imported(use, module="backup_sdk.runs") is True


def test_the_first_decode_imports_it() -> None:
    code = "from cove_sdk.models import PartnerInfo, converter\n"
    code += "converter.structure({'Id': 1, 'Name': 'p'}, PartnerInfo)"
    assert _is_imported(code) is True


@model
class Item(WireModel):
    name: str = wire("Name", default="")


def test_threads_racing_to_the_first_decode_build_one_converter() -> None:
    conv = ModelConverter("lazy_race")
    built: list[object] = []
    real_build = conv._build

    def counting_build(*, detailed: bool) -> object:
        result = real_build(detailed=detailed)
        built.append(result)
        return result

    conv._build = counting_build  # type: ignore[method-assign,assignment]
    barrier = threading.Barrier(8)
    results: list[Item] = []

    def decode() -> None:
        barrier.wait()
        results.append(conv.structure({"Name": "n"}, Item))

    threads = [threading.Thread(target=decode) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [Item(name="n")] * 8
    assert len(built) == 1


def test_hooks_registered_before_the_first_decode_apply_to_both_converters() -> None:
    conv = ModelConverter("lazy_hooks")
    conv.register(lambda c: c.register_structure_hook(str, lambda v, _: f"<{v}>"))
    assert conv.structure({"Name": "n"}, Item).name == "<n>"
    assert conv._detailed_converter().structure({"Name": "n"}, Item).name == "<n>"


@pytest.mark.parametrize("package", ["cove_sdk", "npm_backup_sdk"])
def test_the_models_wait_for_their_first_use(package: str) -> None:
    models = f"{package}.models"
    assert _is_imported(f"import {package}\nimport {package}.client", module=models) is False
    names = "UserInfo" if package == "cove_sdk" else "Server"
    use = f"from {package} import {names}\nassert {names}.__module__ == '{models}'"
    assert _is_imported(use, module=models) is True


@pytest.mark.parametrize("package", ["cove_sdk", "npm_backup_sdk", "comet_sdk"])
def test_every_exported_name_resolves_and_is_listed(package: str) -> None:
    module = importlib.import_module(package)
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert missing == []
    assert set(module.__all__) <= set(dir(module))
