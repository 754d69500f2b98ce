"""Every Comet data structure as an attrs model, and the converter they share.

The classes are generated from the reference (see ``tools/comet_codegen.py``): each field
has its exact wire name (``RecievedTime`` keeps the vendor's spelling, ``OSInfo`` keys are
lowercase), inherited fields are flattened as on the wire, omitted fields take their
documented defaults, timestamps are aware UTC datetimes, and fields a newer server sends
are kept in ``extra_fields`` and written back.
"""

from __future__ import annotations

from backup_sdk.models import ModelConverter
from comet_sdk._generated.models import *  # noqa: F403
from comet_sdk._generated.models import __all__ as _generated_all

__all__ = [*_generated_all, "converter"]  # noqa: PLE0604

#: Decodes/encodes Comet JSON. ``0`` timestamps mean "never" and decode to ``None``.
converter = ModelConverter("comet")
