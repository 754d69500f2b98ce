"""Typing names that older Pythons lack, taken from ``typing`` where it has them.

``typing_extensions`` costs about as much to import as ``attrs``; the SDK imports it only
on the Pythons that need it (3.10 for ``Self``/``Unpack``/``dataclass_transform``; before
3.13 type checkers read ``deprecated`` from it, while at run time a small equivalent
below serves).
"""

from __future__ import annotations

import functools
import sys
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

__all__ = ["Self", "TypedDict", "Unpack", "dataclass_transform", "deprecated"]

if sys.version_info >= (3, 11):
    from typing import Self, TypedDict, Unpack, dataclass_transform
else:  # pragma: no cover - Python 3.10
    from typing_extensions import Self, TypedDict, Unpack, dataclass_transform

if sys.version_info >= (3, 13):
    from warnings import deprecated
elif TYPE_CHECKING:
    from typing_extensions import deprecated
else:
    _F = TypeVar("_F", bound=Callable[..., Any])

    class deprecated:
        """Mark a function deprecated: calling it warns (``DeprecationWarning``).

        The same behaviour as ``warnings.deprecated`` (3.13) for functions, which is all
        the SDK marks.
        """

        def __init__(
            self,
            message: str,
            /,
            *,
            category: type[Warning] = DeprecationWarning,
            stacklevel: int = 1,
        ) -> None:
            self.message = message
            self.category = category
            self.stacklevel = stacklevel

        def __call__(self, function: _F) -> _F:
            message, category, level = self.message, self.category, self.stacklevel

            @functools.wraps(function)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                warnings.warn(message, category, stacklevel=level + 1)
                return function(*args, **kwargs)

            wrapper.__deprecated__ = message  # type: ignore[attr-defined]
            return wrapper  # type: ignore[return-value]
