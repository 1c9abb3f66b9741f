"""Version of truthound-dq-pandera."""

__version__ = "0.1.0"
