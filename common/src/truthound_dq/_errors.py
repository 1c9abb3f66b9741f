"""The named errors of truthound-dq.

A failed validation is a result, never an exception: these errors are for input that cannot be
checked (bad rules, unsupported data, unknown columns) and for engines that are missing, broken
or raise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "TruthoundDQError",
    "RuleValidationError",
    "RuleProblem",
    "ColumnNotFoundError",
    "ColumnClashError",
    "EngineError",
    "UnsupportedRuleError",
    "EngineNotFoundError",
    "EngineNotInstalledError",
    "EnginePluginError",
    "EngineConflictError",
    "RuleDefinitionError",
    "RuleFileError",
    "RuleFileNotFoundError",
    "RuleFileSyntaxError",
    "RuleFileFormatError",
    "RuleFileValidationError",
]


class TruthoundDQError(Exception):
    """Base class of every error raised by truthound-dq and its engine adapters."""


@dataclass(frozen=True, slots=True)
class RuleProblem:
    """One problem found in a list of rules.

    Attributes:
        index: Position of the rule in the list given, or None for a problem with the list.
        message: What is wrong and, where it helps, what would be right.
    """

    index: int | None
    message: str

    def __str__(self) -> str:
        return self.message if self.index is None else f"rule {self.index}: {self.message}"


class RuleValidationError(TruthoundDQError, ValueError):
    """Rules that cannot be checked; lists every problem found, with each rule's index."""

    def __init__(self, problems: Sequence[RuleProblem]) -> None:
        self.problems: tuple[RuleProblem, ...] = tuple(problems)
        count = len(self.problems)
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the rules:\n{lines}")


class ColumnNotFoundError(TruthoundDQError, LookupError):
    """Columns were named that the data does not have (profile and learn)."""

    def __init__(self, missing: Sequence[str], available: Sequence[str]) -> None:
        self.missing = tuple(missing)
        self.available = tuple(available)
        super().__init__(
            f"column(s) {', '.join(map(repr, self.missing))} not found; "
            f"the data has: {', '.join(map(repr, self.available)) or '(no columns)'}"
        )

    def __str__(self) -> str:
        # LookupError would quote the message like a dict key.
        return str(self.args[0])


class ColumnClashError(TruthoundDQError, ValueError):
    """A column ``split`` would add (the reasons column, the row index) is already in the data."""

    def __init__(self, option: str, name: str) -> None:
        self.option = option
        self.name = name
        super().__init__(
            f"{option}={name!r} names a column the data already has (or another added "
            f"column); pass {option}= another name"
        )


class EngineError(TruthoundDQError):
    """The engine itself raised while checking, profiling or learning; the cause is chained."""

    def __init__(self, message: str, *, engine: str) -> None:
        self.engine = engine
        super().__init__(message)


class UnsupportedRuleError(EngineError):
    """An engine was given a rule it cannot evaluate (it refuses loudly, never skips)."""


class EngineNotFoundError(TruthoundDQError, LookupError):
    """No engine of that name is registered or advertised through an entry point."""

    def __str__(self) -> str:
        return str(self.args[0])


class EngineNotInstalledError(EngineNotFoundError, ImportError):
    """A known engine whose adapter or library is not installed; says what to install."""

    def __init__(self, message: str, *, engine: str, install: str) -> None:
        self.engine = engine
        self.install = install
        super().__init__(message)


class EnginePluginError(TruthoundDQError):
    """An advertised engine failed to import or is not a ``DataQualityEngine``."""


class EngineConflictError(TruthoundDQError):
    """Two distributions (or a registration) claim the same engine name."""


class RuleDefinitionError(TruthoundDQError):
    """A rule type definition is invalid, fails to load, or its name is taken."""


class RuleFileError(TruthoundDQError, ValueError):
    """A rule file (YAML or JSON) that cannot be read as rules; ``path`` names it."""

    def __init__(self, message: str, *, path: str) -> None:
        self.path = path
        super().__init__(message)


class RuleFileNotFoundError(RuleFileError, FileNotFoundError):
    """No rule file at that path (a string given as rules is always a path to one)."""


class RuleFileSyntaxError(RuleFileError):
    """The file is not valid YAML or JSON (or not UTF-8); ``line``/``column`` are 1-based."""

    def __init__(
        self, message: str, *, path: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.line = line
        self.column = column
        super().__init__(message, path=path)


class RuleFileFormatError(RuleFileError):
    """The file parses but is not a rule file: wrong suffix or wrong top-level shape."""


class RuleFileValidationError(RuleValidationError, RuleFileError):
    """The rules of a file are invalid: every problem, each with its rule's index (and line)."""

    def __init__(
        self,
        problems: Sequence[RuleProblem],
        *,
        path: str,
        lines: Mapping[int, int] | None = None,
    ) -> None:
        self.problems = tuple(problems)
        self.path = path
        self.lines: dict[int, int] = dict(lines or {})
        count = len(self.problems)
        shown = []
        for problem in self.problems:
            line = self.lines.get(problem.index) if problem.index is not None else None
            where = "" if line is None else f" (line {line})"
            if problem.index is None:
                shown.append(f"  - {problem.message}")
            else:
                shown.append(f"  - rule {problem.index}{where}: {problem.message}")
        ValueError.__init__(
            self,
            f"{count} problem{'s' if count != 1 else ''} in the rules of {path}:\n"
            + "\n".join(shown),
        )
