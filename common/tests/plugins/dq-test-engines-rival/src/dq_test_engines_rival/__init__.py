"""The rival claimant of ``claimed-twice``."""

from typing import ClassVar

from truthound_dq.testing import ReferenceEngine


class RivalEngine(ReferenceEngine):
    """Same as the oracle, under a contested name."""

    engine_name: ClassVar[str] = "claimed_twice"
