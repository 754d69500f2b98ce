"""comet_sdk (filled in by its vendor issue)."""

from backup_sdk._version import __version__

__all__ = ["__version__"]
