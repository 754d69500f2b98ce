"""Single source of the distribution version."""

__version__ = "0.1.0"
