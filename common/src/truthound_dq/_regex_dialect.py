"""Rust ``regex`` patterns as ``java.util.regex`` patterns of the same meaning (stub).

A placeholder with the interface of the real translation (issue 15, helper REGEX): it accepts
only patterns of ASCII letters, digits, spaces, ``_`` and ``-`` (no metacharacter, so they mean
the same literal search in both dialects) and refuses every other pattern. The lead replaces
this file with the real translation when merging.
"""

from __future__ import annotations

import re

from truthound_dq._errors import TruthoundDQError

__all__ = ["RegexDialectError", "to_java"]

_LITERAL = re.compile(r"[A-Za-z0-9 _-]*")


class RegexDialectError(TruthoundDQError, ValueError):
    """A pattern that Java's regex dialect (Spark) cannot run with the meaning Rust gives it.

    Attributes:
        pattern: The pattern as given.
        reason: The construct that cannot be made equal, and why.
        position: Offset of that construct in ``pattern``.
    """

    def __init__(self, pattern: str, reason: str, position: int) -> None:
        self.pattern = pattern
        self.reason = reason
        self.position = position
        super().__init__(
            f"pattern {pattern!r} cannot run on Spark with the same meaning: {reason} "
            f"(at offset {position})"
        )


def to_java(pattern: str) -> str:
    """The Java pattern matching exactly the strings ``pattern`` matches in Rust.

    Raises:
        RegexDialectError: The pattern uses a construct not (yet) translated.
    """
    found = _LITERAL.match(pattern)
    end = found.end() if found else 0
    if end != len(pattern):
        raise RegexDialectError(
            pattern, f"{pattern[end]!r} is not translated to Java's dialect yet", end
        )
    return pattern
