"""Every Comet data structure as an attrs model, and the converter they share.

The classes are generated from both references (see ``tools/comet_codegen.py``): each field
has its exact wire name (``RecievedTime`` keeps the vendor's spelling, ``OSInfo`` keys are
lowercase), inherited fields are flattened as on the wire, omitted fields take their
documented defaults, timestamps are aware UTC datetimes, and fields a newer server sends
are kept in ``extra_fields`` and written back.

Each class is imported on first use (``from comet_sdk.models import BackupJobDetail`` or
``comet_sdk.models.BackupJobDetail``), so importing this module builds none of the 249; the
converter is built on first use too.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from comet_sdk._generated import models as _models
from comet_sdk._generated.models import __all__ as _generated_all

if TYPE_CHECKING:
    from backup_sdk.models import ModelConverter
    from comet_sdk._generated.models import *  # noqa: F403

    #: Decodes/encodes Comet JSON. ``0`` timestamps mean "never" and decode to ``None``.
    converter: ModelConverter

__all__ = [*_generated_all, "converter"]  # noqa: PLE0604

_lock = threading.Lock()


def _converter() -> ModelConverter:
    with _lock:
        built = globals().get("converter")
        if built is None:
            from backup_sdk.models import ModelConverter

            built = ModelConverter("comet")
            globals()["converter"] = built
        return built


# hidden from type checkers, so that a misspelt name is still an error for them
if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        if name == "converter":
            return _converter()
        value = getattr(_models, name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
