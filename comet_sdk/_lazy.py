"""Lazy loading of the generated models: one module per class, imported on first use.

``comet_sdk._generated.models`` names every class but imports none of them; asking for one
(``models.BackupJobDetail``, ``from comet_sdk.models import BackupJobDetail``) imports the
module that defines it. That module calls :func:`link` as its last statement, which
imports the classes its fields refer to and binds them in its namespace, so defaults
(``factory=lambda: BackupJobProgress()``) and type hints (``typing.get_type_hints``,
cattrs) resolve as if everything had been defined in one module. Importing
``comet_sdk`` therefore builds no model class at all; a job import builds the three or
four it needs.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["link"]

_MODELS = "comet_sdk._generated.models"


def link(namespace: dict[str, Any], *names: str) -> None:
    """Bind the model classes ``names`` (imported on demand) in a model module's globals."""
    models = importlib.import_module(_MODELS)
    for name in names:
        if name not in namespace:
            namespace[name] = getattr(models, name)
