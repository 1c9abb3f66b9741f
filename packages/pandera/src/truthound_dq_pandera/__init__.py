"""truthound-dq-pandera: the Pandera engine for truthound-dq.

Every rule becomes part of one ``pandera.polars.DataFrameSchema``, validated with
``lazy=True`` on the Polars data itself (no pandas conversion); counts are read from
pandera's failure cases. Importing this package does not import pandera.

Example:
    >>> from truthound_dq import get_engine
    >>> get_engine("pandera").engine_name
    'pandera'
"""

from truthound_dq_pandera._engine import PROFILE_PRODUCER, PanderaEngine
from truthound_dq_pandera._version import __version__

__all__ = ["PanderaEngine", "PROFILE_PRODUCER", "__version__"]
