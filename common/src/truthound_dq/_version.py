"""Version of truthound-dq."""

__version__ = "0.1.0"
