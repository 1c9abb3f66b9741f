"""Great Expectations 1.x as a truthound-dq engine (``get_engine("great_expectations")``).

Importing this package does not import Great Expectations; the engine does, on first use.
"""

from truthound_dq_great_expectations._engine import GreatExpectationsEngine
from truthound_dq_great_expectations._version import __version__

__all__ = ["GreatExpectationsEngine", "__version__"]
