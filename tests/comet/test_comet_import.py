"""Importing comet_sdk builds no model class: the surface doubled, the import did not grow.

Timing is measured by ``benchmarks/comet_import.py``; these tests check what makes it cheap,
deterministically: which modules an import loads.
"""

from __future__ import annotations

import comet_sdk
from comet_sdk._generated import models as generated_models
from tests.support.imports import modules_loaded_by


def _loaded(code: str) -> list[str]:
    return modules_loaded_by(code)


def _models(modules: list[str]) -> list[str]:
    return [m for m in modules if m.startswith("comet_sdk._generated.models.")]


def test_import_builds_no_model_no_enum_and_no_converter() -> None:
    loaded = _loaded("import comet_sdk")
    assert "comet_sdk.client" in loaded and "comet_sdk.user_client" in loaded
    assert _models(loaded) == []
    assert "comet_sdk._generated.enums" not in loaded
    assert "cattrs" not in loaded, "the converter is built on first use"


def test_a_job_import_loads_only_the_classes_it_needs() -> None:
    loaded = _loaded("import comet_sdk\nfrom comet_sdk.models import BackupJobDetail")
    assert sorted(m.rsplit(".", 1)[1] for m in _models(loaded)) == [
        "backup_job_detail",
        "backup_job_progress",
        "size_measurement",
    ]
    assert "comet_sdk._generated.enums" in loaded, "its Status field is a JobStatus"


def test_every_model_is_reachable_both_ways() -> None:
    for name in generated_models.STRUCTURE_SINCE:
        cls = getattr(comet_sdk.models, name)
        assert cls is getattr(generated_models, name)
        assert cls.__name__ == name
    assert set(generated_models.STRUCTURE_SINCE) <= set(dir(comet_sdk.models))
    namespace: dict[str, object] = {}
    exec("from comet_sdk.models import UserProfileConfig, converter", namespace)
    assert namespace["converter"] is comet_sdk.models.converter


def test_lazy_exports_of_the_package() -> None:
    assert comet_sdk.BackupJobDetail is comet_sdk.models.BackupJobDetail
    assert comet_sdk.JobStatus is comet_sdk.enums.JobStatus
    assert comet_sdk.to_backup_runs is comet_sdk.runs.to_backup_runs
    for name in comet_sdk.__all__:
        assert getattr(comet_sdk, name) is not None
