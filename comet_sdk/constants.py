"""Deprecated name of :mod:`comet_sdk.enums` (every name is still importable from here)."""

import warnings

from comet_sdk.enums import *  # noqa: F403
from comet_sdk.enums import __all__ as _all

__all__ = list(_all)

warnings.warn(
    "comet_sdk.constants is deprecated: import from comet_sdk.enums (or comet_sdk)",
    DeprecationWarning,
    stacklevel=2,
)
