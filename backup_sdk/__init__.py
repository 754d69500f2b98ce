"""backup-sdk shared layer."""

from backup_sdk._version import __version__

__all__ = ["__version__"]
