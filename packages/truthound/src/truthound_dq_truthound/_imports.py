"""Truthound, imported lazily and once, the way every other module of the adapter gets it."""

from __future__ import annotations

import functools
import threading
import warnings
from types import SimpleNamespace
from typing import Any

from truthound_dq.sdk import import_engine_library

__all__ = ["truthound", "validators"]

_lock = threading.Lock()

# Truthound's names this adapter uses, by module.
_VALIDATORS = {
    "truthound.validators.completeness.null": ("NotNullValidator", "NullValidator"),
    "truthound.validators.uniqueness.duplicate": ("DuplicateValidator",),
    "truthound.validators.string.regex": ("RegexValidator",),
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
