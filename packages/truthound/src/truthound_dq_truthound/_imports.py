"""Truthound, imported lazily and once, the way every other module of the adapter gets it."""

from __future__ import annotations

import functools
import threading
import warnings
from types import SimpleNamespace
from typing import Any

import polars as pl

from truthound_dq.sdk import import_engine_library

__all__ = ["truthound", "validators", "search_regex_validator", "not_match_regex_validator"]

_lock = threading.Lock()

# Truthound's names this adapter uses, by module.
_VALIDATORS = {
    "truthound.validators.completeness.null": ("NotNullValidator",),
    "truthound.validators.uniqueness.duplicate": ("DuplicateValidator",),
    "truthound.validators.string.regex": ("RegexValidator",),
    "truthound.validators.string.regex_extended": ("NotMatchRegexValidator",),
    "truthound.validators.multi_column.comparison": ("ColumnComparisonValidator",),
    "truthound.validators.string.length": ("LengthValidator",),
    "truthound.validators.distribution.range": ("BetweenValidator",),
    "truthound.validators.distribution.set": ("InSetValidator", "NotInSetValidator"),
    "truthound.validators.schema.column_type": ("ColumnTypeValidator",),
    "truthound.validators.schema.column_exists": ("ColumnExistsValidator",),
    "truthound.validators.schema.column_count": ("RowCountValidator",),
    "truthound.validators.base": ("NUMERIC_TYPES", "RegexValidationError"),
}


@functools.cache
def _load() -> tuple[Any, SimpleNamespace]:
    with _lock, warnings.catch_warnings():
        # Some Truthound 3.2 modules have docstrings with invalid escapes ("\d"); compiling
        # them warns (DeprecationWarning on 3.11, SyntaxWarning from 3.12), and under
        # ``-W error`` the warning becomes a SyntaxError that breaks the import.
        for category in (DeprecationWarning, SyntaxWarning):
            warnings.filterwarnings("ignore", "invalid escape sequence", category)
        th = import_engine_library("truthound", "truthound")
        names: dict[str, Any] = {}
        for module_name, attributes in _VALIDATORS.items():
            module = import_engine_library(module_name, "truthound")
            names.update({name: getattr(module, name) for name in attributes})
        import_engine_library("truthound.context", "truthound")
    return th, SimpleNamespace(**names)


def truthound() -> Any:
    """The ``truthound`` module (imported on first use)."""
    return _load()[0]


def validators() -> SimpleNamespace:
    """Truthound's validator classes (and helpers) the adapter uses."""
    return _load()[1]


@functools.cache
def search_regex_validator() -> type[Any]:
    """Truthound's ``RegexValidator`` that takes blank strings for values.

    The stock validator skips empty and whitespace-only strings (they never fail), where
    ``docs/rules.md`` checks them against the pattern like any other value. Subclassing a
    validator is Truthound's extension point (its SDK's ``SimplePatternValidator`` counts
    ``is_not_null() & ~contains(pattern)`` the same way); everything else - the pattern
    checks at construction (ReDoS guard), the pattern Truthound builds for Polars, the
    query, the issues - stays Truthound's. Its issues carry the validator's name.
    """
    base: type[Any] = validators().RegexValidator

    class SearchRegexValidator(base):  # type: ignore[misc]
        def _build_match_expr(self, col: str) -> pl.Expr:
            column = pl.col(col)
            return column.is_not_null() & ~column.str.contains(self._polars_pattern)

        def validate(self, lf: pl.LazyFrame) -> list[Any]:
            # The stock validator leaves its name out of the issues; with it, issues of
            # several patterns on one column are told apart within one th.check call.
            issues: list[Any] = super().validate(lf)
            for issue in issues:
                issue.validator_name = self.name
            return issues

    return SearchRegexValidator


@functools.cache
def not_match_regex_validator() -> type[Any]:
    """Truthound's ``NotMatchRegexValidator`` that takes blank strings for values.

    The stock validator skips empty and whitespace-only strings (they never fail), where
    ``docs/rules.md``'s ``not_regex`` checks them like any other value (``"^$"`` fails the
    empty string): the same subclass as :func:`search_regex_validator`, the rest Truthound's.
    Its issues carry the validator's name.
    """
    base: type[Any] = validators().NotMatchRegexValidator

    class SearchNotMatchRegexValidator(base):  # type: ignore[misc]
        def _build_match_expr(self, col: str) -> pl.Expr:
            column = pl.col(col)
            return column.is_not_null() & column.str.contains(self._polars_pattern)

        def validate(self, lf: pl.LazyFrame) -> list[Any]:
            issues: list[Any] = super().validate(lf)
            for issue in issues:
                issue.validator_name = self.name
            return issues

    return SearchNotMatchRegexValidator
