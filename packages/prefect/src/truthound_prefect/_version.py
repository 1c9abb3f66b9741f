"""Version of truthound-prefect."""

__version__ = "0.1.0"
