"""Truthound engine for truthound-dq: the common rule vocabulary evaluated by Truthound.

Importing this package does not import Truthound; the engine imports it on first use.

Example:
    >>> from truthound_dq import get_engine
    >>> get_engine("truthound").engine_name
    'truthound'
"""

from truthound_dq_truthound._engine import TruthoundEngine
from truthound_dq_truthound._version import __version__

__all__ = ["TruthoundEngine", "__version__"]
