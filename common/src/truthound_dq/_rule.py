"""The base of every rule type: what a definition declares and the hooks it implements.

A rule type is one ``Rule`` subclass (a frozen dataclass) in a module of its own. The class is
the definition: its parameters (dataclass fields listed in ``_params``) and their validation,
its kind (row, value or table), the dtype families it applies to, its canonical semantics as
a Polars failure mask (or a yes/no table check), and its message. The parser, the
applicability check, the shared Polars implementation, the messages, ``docs/rules.md``'s
table and the contract suite all read the definitions from the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias

import polars as pl

from truthound_dq._dtypes import describe_dtype, dtype_family, is_nested

if TYPE_CHECKING:
    from truthound_dq.sdk._view import ViewColumn

__all__ = [
    "RuleType",
    "RuleKind",
    "Severity",
    "Scalar",
    "Rule",
    "Fail",
    "column_kinds",
    "missing_values",
    "shown_dtype",
]

Scalar: TypeAlias = str | int | float | bool
"""A value a rule may hold (``in_set`` members, range bounds)."""

Fail: TypeAlias = Callable[[str], None]
"""Reports one problem with a rule's parameters (collected, then raised together)."""


class RuleType(StrEnum):
    """The built-in rule types (custom types registered by plugins are plain strings)."""

    NOT_NULL = "not_null"
    UNIQUE = "unique"
    REGEX = "regex"
    IN_RANGE = "in_range"
    IN_SET = "in_set"
    NOT_IN_SET = "not_in_set"
    STR_LENGTH = "str_length"
    DTYPE = "dtype"
    COLUMN_EXISTS = "column_exists"
    ROW_COUNT = "row_count"


class RuleKind(StrEnum):
    """What a rule counts.

    ``row``: every row (failed = failing rows, total = all rows, e.g. not_null);
    ``value``: the non-missing values of a column (missing values are skipped);
    ``table``: one yes/no check of the schema or the table (failed 0 or 1, total 1).
    """

    ROW = "row"
    VALUE = "value"
    TABLE = "table"


class Severity(StrEnum):
    """How a failed rule weighs: ``error`` fails the check, ``warning`` only warns."""

    ERROR = "error"
    WARNING = "warning"


def column_kinds(dtype: pl.DataType) -> frozenset[str]:
    """The labels ``Rule.compatible`` is matched against, e.g. ``{"integer", "numeric"}``."""
    family = dtype_family(dtype)
    if family is None:
        return frozenset({"other"})
    if family == "numeric":  # dtype_family's name for Decimal
        return frozenset({"decimal", "numeric"})
    if family in ("integer", "float"):
        return frozenset({str(family), "numeric"})
    return frozenset({str(family)})


def missing_values(value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """True where ``value`` is missing: null, or NaN in a float column."""
    if dtype.is_float():
        return value.is_null() | value.is_nan()
    return value.is_null()


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """A parsed, valid rule. Build rules with :func:`truthound_dq.parse_rules`.

    Subclasses define a rule type; see ``docs/custom-rules.md``. Class-level declarations:

    - ``type``: the name used in rule dicts (``"not_null"``);
    - ``kind``: :class:`RuleKind` (default ``value``);
    - ``_params``: the names of the type's parameters (its extra dataclass fields);
    - ``compatible``: the column kinds a ``value``/``row`` rule applies to (``None``: any
      non-nested dtype), among ``numeric`` (= ``integer``, ``float`` and ``decimal``),
      ``string`` (String, Categorical, Enum), ``boolean``, ``date``, ``datetime``, ``other``;
    - ``sampled``: whether failing values are kept as samples.

    Attributes:
        name: Unique within one check; defaults to ``type(column)``, e.g. ``not_null(id)``.
        column: The column the rule applies to (None only for table-level rules).
        severity: ``error`` (a failure fails the check) or ``warning``.
        mostly: Fraction of rows (0, 1] that must pass for the rule to pass.
    """

    type: ClassVar[str]
    kind: ClassVar[RuleKind] = RuleKind.VALUE
    _params: ClassVar[tuple[str, ...]] = ()
    compatible: ClassVar[frozenset[str] | None] = None
    sampled: ClassVar[bool] = True
    needs_column: ClassVar[bool] = True
    checks_presence: ClassVar[bool] = False
    """True for a rule that is evaluated (not skipped) when its column is missing."""
    summary: ClassVar[str] = ""
    """One line for docs/rules.md's table: when a row (or the check) fails."""

    name: str
    column: str | None = None
    severity: Severity = Severity.ERROR
    mostly: float = 1.0

    # -- parameters ------------------------------------------------------------------------

    @classmethod
    def parse_parameters(cls, raw: Mapping[str, Any], fail: Fail) -> dict[str, Any]:
        """Validate the type's parameters in ``raw``; return them as constructor arguments.

        The default takes each name in ``_params`` as given (required when its field has no
        default) and then calls :meth:`validate`. Report problems with ``fail``.
        """
        from truthound_dq._params import plain_value

        fields = cls.__dataclass_fields__
        params: dict[str, Any] = {}
        complete = True
        for key in cls._params:
            if key in raw and raw[key] is not None:
                params[key] = plain_value(raw[key])
            elif _required(fields[key]):
                fail(f"{cls.type} needs {key!r}")
                complete = False
        if complete:  # validate() sees every required parameter
            for problem in cls.validate(params):
                fail(problem)
        return params

    @classmethod
    def validate(cls, params: Mapping[str, Any]) -> Iterable[str]:
        """Problems with the parsed parameters (override in custom rule types)."""
        return ()

    @classmethod
    def parameters_schema(cls) -> dict[str, Any]:
        """The JSON Schema of the type's parameters, for ``truthound_dq.rules_json_schema()``.

        Returns a fragment of an object schema: ``properties`` (one per parameter) and
        ``required``, plus any other object keywords (``anyOf``, ``dependentRequired``...).
        The default reads the ``_params`` fields' annotations (see
        ``truthound_dq._schema.parameters_from_annotations``); override it where that is
        too loose, e.g. ``Literal`` choices held in a plain ``str`` field.
        """
        from truthound_dq._schema import parameters_from_annotations

        return parameters_from_annotations(cls)

    @property
    def parameters(self) -> dict[str, Any]:
        """The type-specific parameters as JSON values (``pattern``, ``min``, ``values``...)."""
        params: dict[str, Any] = {}
        for key in self._params:
            value = getattr(self, key)
            if value is None:
                continue
            params[key] = list(value) if isinstance(value, tuple) else value
        return params

    def to_dict(self) -> dict[str, Any]:
        """The rule as the dict :func:`parse_rules` accepts (round-trips)."""
        out: dict[str, Any] = {"type": str(self.type)}
        if self.column is not None:
            out["column"] = self.column
        out.update(self.parameters)
        out["name"] = self.name
        if self.severity is not Severity.ERROR:
            out["severity"] = self.severity.value
        if self.mostly != 1.0:
            out["mostly"] = self.mostly
        return out

    # -- applicability ---------------------------------------------------------------------

    def inapplicable(self, dtype: pl.DataType) -> str | None:
        """Why the rule cannot apply to a column of ``dtype`` (None if it can).

        The default reads ``compatible``; the message is completed by the caller.
        """
        if self.kind is RuleKind.TABLE:
            return None
        if is_nested(dtype):
            return f"{self.type} does not apply to nested values"
        if self.compatible is None or column_kinds(dtype) & self.compatible:
            return None
        wanted = " or ".join(sorted(self.compatible))
        article = "an" if wanted[0] in "aeiou" else "a"
        return f"{self.type} needs {article} {wanted} column"

    # -- canonical semantics ----------------------------------------------------------------

    def failure(self, value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
        """True where a value fails (``value`` and ``value``-kind rules).

        ``value`` reads the column (Categorical and Enum already cast to String) and
        ``dtype`` is its dtype. For ``value`` rules the result is masked to the non-missing
        values by the caller; a null result counts as passing.
        """
        raise NotImplementedError(f"{self.type} defines no failure mask")

    def check(self, column: ViewColumn | None, row_count: int) -> bool:
        """Whether a ``table`` rule passes, given its column (None if table-level)."""
        raise NotImplementedError(f"{self.type} defines no table check")

    # -- messages ----------------------------------------------------------------------------

    def problem(self) -> str:
        """What failing values do, for messages: ``3 of 10 values (30%) <problem>``."""
        return f"fail {self.type}"

    def describe_check(self, passed: bool, dtype: pl.DataType | None, row_count: int) -> str:
        """The message of a ``table`` rule."""
        return f"{self.type} {'passed' if passed else 'failed'}"


def _required(field: Any) -> bool:
    from dataclasses import MISSING

    return bool(field.default is MISSING and field.default_factory is MISSING)


def shown_dtype(dtype: pl.DataType | None) -> str:
    """The dtype for a message (``absent`` when the column is missing)."""
    return "absent" if dtype is None else describe_dtype(dtype)
