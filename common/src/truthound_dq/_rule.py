"""The base of every rule type: what a definition declares and the hooks it implements.

A rule type is one ``Rule`` subclass (a frozen dataclass) in a module of its own. The class is
the definition: its parameters (dataclass fields listed in ``_params``) and their validation,
its kind (row, value or table), the dtype families it applies to, its canonical semantics as
a Polars failure mask (or a yes/no table check), and its message. The parser, the
applicability check, the shared Polars implementation, the messages, ``docs/rules.md``'s
table and the contract suite all read the definitions from the registry.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeAlias

import polars as pl

from truthound_dq._dtypes import describe_dtype, dtype_family, is_nested

if TYPE_CHECKING:
    from truthound_dq._metrics import MetricsHistory
    from truthound_dq.sdk._view import DataView, ViewColumn

__all__ = [
    "RuleType",
    "RuleKind",
    "Severity",
    "Scalar",
    "Rule",
    "CheckContext",
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
    NOT_REGEX = "not_regex"
    IN_RANGE = "in_range"
    IN_SET = "in_set"
    NOT_IN_SET = "not_in_set"
    STR_LENGTH = "str_length"
    COMPARE = "compare"
    MONOTONIC = "monotonic"
    EXPRESSION = "expression"
    DTYPE = "dtype"
    COLUMN_EXISTS = "column_exists"
    ROW_COUNT = "row_count"
    FRESHNESS = "freshness"
    AGGREGATE = "aggregate"
    SCHEMA = "schema"
    ROW_COUNT_ANOMALY = "row_count_anomaly"
    METRIC_ANOMALY = "metric_anomaly"


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
class CheckContext:
    """What a table rule's verdict may depend on besides its observed value.

    Attributes:
        row_count: Rows in the data.
        now: The check's time (aware, UTC): ``check(..., now=...)`` or the current time.
        schema: The data's schema (the user's column names).
        view: The safe view of the check (None outside a check).
        history: The dataset's metric history, for rules that judge it (``judges_history``);
            None until the base has read it from the check's ``metrics_store``.
    """

    row_count: int
    now: dt.datetime
    schema: pl.Schema
    view: DataView | None = None
    history: MetricsHistory | None = None

    def column(self, name: str | None) -> ViewColumn | None:
        """The view column of a safe name (None for None, or outside a check)."""
        if name is None or self.view is None:
            return None
        return self.view.column(name)


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
        where: A boolean SQL condition (Polars' dialect): only rows where it is true count.
        max_failures: At most this many rows may fail (row-level rules), besides ``mostly``.
    """

    type: ClassVar[str]
    kind: ClassVar[RuleKind] = RuleKind.VALUE
    _params: ClassVar[tuple[str, ...]] = ()
    compatible: ClassVar[frozenset[str] | None] = None
    sampled: ClassVar[bool] = True
    needs_column: ClassVar[bool | None] = True
    """True: ``column`` is required; False: refused; None: optional (the type decides)."""
    accepts_where: ClassVar[bool | None] = None
    """Whether ``where`` is allowed (None: for row-level kinds, ``row`` and ``value``)."""
    checks_presence: ClassVar[bool] = False
    """True for a rule that is evaluated (not skipped) when its column is missing."""
    observes_data: ClassVar[bool] = False
    """True for a ``table`` rule that reads the data (defines ``observe``: aggregate, freshness)."""
    judges_history: ClassVar[bool] = False
    """True for a ``table`` rule whose verdict reads the metric history (the anomaly rules)."""
    summary: ClassVar[str] = ""
    """One line for docs/rules.md's table: when a row (or the check) fails."""
    batch_mergeable: ClassVar[bool] = True
    """Whether an engine's answers on batches of the rows merge exactly into the answer on all.

    True for a row-level rule whose rows fail on their own values (failed and total add up
    across batches), and for a ``table`` rule that reads only the schema. Set False for a
    type whose rows fail by comparison with other rows (``unique``, ``monotonic``) or whose
    verdict needs every row at once (``row_count``); a ``table`` rule that observes the data
    merges only if it overrides :meth:`merge_observed`. On a lazy input, rules that do not
    merge are evaluated by the shared streaming pass (see ``docs/lazy.md``).
    """
    batch_reason: ClassVar[str] = ""
    """Why the type does not merge across batches (shown in the results' notes and docs)."""

    name: str
    column: str | None = None
    severity: Severity = Severity.ERROR
    mostly: float = 1.0
    where: str | None = None
    max_failures: int | None = None

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
    def default_name(cls, params: Mapping[str, Any]) -> str | None:
        """The name of a rule given none (None: ``type(column)``); ``params`` as parsed."""
        return None

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
        if self.where is not None:
            out["where"] = self.where
        if self.max_failures is not None:
            out["max_failures"] = self.max_failures
        return out

    @classmethod
    def takes_where(cls) -> bool:
        """Whether rules of this type accept ``where``."""
        if cls.accepts_where is not None:
            return cls.accepts_where
        return cls.kind is not RuleKind.TABLE

    # -- columns -------------------------------------------------------------------------------

    def columns_read(self) -> tuple[str, ...]:
        """Every data column the rule reads (its ``column``, others it names, ``where``'s).

        Override (and extend the base's answer) in a type that names more columns.
        """
        from truthound_dq._sql import sql_columns

        own = (self.column,) if self.column is not None else ()
        if self.where is None:
            return own
        return tuple(dict.fromkeys((*own, *sql_columns(self.where))))

    def sample_columns(self) -> tuple[str, ...]:
        """The columns a failing row's sample shows; several are joined as ``"a, b"``.

        Default: ``column``, else every column the rule reads.
        """
        if self.column is not None:
            return (self.column,)
        return self.columns_read()

    def renamed(self, names: Mapping[str, str]) -> Self:
        """A copy with every column reference mapped by ``names`` (others kept).

        The base hands adapters rules renamed to the view's safe names. Override (calling the
        base) in a type that names more columns.
        """
        from truthound_dq._sql import sql_rename

        changes: dict[str, Any] = {}
        if self.column is not None:
            changes["column"] = names.get(self.column, self.column)
        if self.where is not None:
            changes["where"] = sql_rename(self.where, names)
        return dataclasses.replace(self, **changes) if changes else self

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

    def inapplicable_in(self, schema: pl.Schema) -> str | None:
        """Why the rule cannot be evaluated on data of ``schema`` (user names), or None.

        Columns the data lacks are found by the caller (from :meth:`columns_read`). The default
        asks :meth:`inapplicable` about ``column`` and checks that ``where`` is boolean here.
        """
        if self.column is not None and not self.checks_presence and self.column in schema:
            dtype = schema[self.column]
            if dtype != pl.Null and (why := self.inapplicable(dtype)) is not None:
                return f"column {self.column!r} is {describe_dtype(dtype)}; {why}"
        if self.where is not None:
            return sql_problem(self.where, schema, "where")
        return None

    # -- canonical semantics ----------------------------------------------------------------

    def counted(self, schema: pl.Schema) -> pl.Expr:
        """Rows the rule counts, before ``where`` (``schema``: the view's, safe names).

        Default: every row (kind ``row``), the non-missing values of ``column`` (``value``).
        """
        if self.kind is RuleKind.ROW:
            return pl.lit(True)  # (a literal, not a repeat: it streams)
        assert self.column is not None
        return ~missing_values(pl.col(self.column), _read_dtype(schema[self.column]))

    def failing(self, schema: pl.Schema, counted: pl.Expr) -> pl.Expr:
        """True where a counted row fails (``counted`` includes the ``where`` scope).

        The caller keeps only counted rows and reads null as passing. Default: the single-column
        :meth:`failure` mask.
        """
        assert self.column is not None
        dtype = schema[self.column]
        return self.failure(_read_value(self.column, dtype), _read_dtype(dtype))

    def observe(self, schema: pl.Schema) -> pl.Expr | None:
        """A ``table`` rule's observed value: one aggregation over the view (None: no data read)."""
        return None

    def undefined(self, observed: Any, context: CheckContext) -> str | None:
        """Why the observed value cannot be judged (the rule then fails saying so), or None."""
        return None

    def verdict(self, observed: Any, context: CheckContext) -> bool:
        """Whether a ``table`` rule passes (default: :meth:`check` on its column)."""
        return self.check(context.column(self.column), context.row_count)

    def describe_verdict(self, passed: bool, observed: Any, context: CheckContext) -> str:
        """The message of a ``table`` rule (default: :meth:`describe_check`)."""
        column = context.column(self.column)
        dtype = column.source_dtype if column is not None else None
        if column is None and self.column is not None:
            dtype = context.schema.get(self.column)
        return self.describe_check(passed, dtype, context.row_count)

    def batch_problem(self) -> str | None:
        """Why this rule's answers on batches of the rows do not merge exactly (None: they do).

        Default: from ``batch_mergeable`` and ``batch_reason``; a ``table`` rule that observes
        the data merges only where its type overrides :meth:`merge_observed`.
        """
        if not self.batch_mergeable:
            return self.batch_reason or f"{self.type} does not merge across batches"
        if self.observes_data and type(self).merge_observed is Rule.merge_observed:
            return f"{self.type} defines no exact merge of its observed values"
        return None

    def merge_observed(self, parts: Sequence[Any]) -> Any:
        """The observed value on all rows, from the observed values of consecutive batches.

        Only a ``table`` rule that observes the data and merges exactly overrides this (e.g. a
        minimum: the smallest non-null part).
        """
        raise NotImplementedError(f"{self.type} defines no merge of its observed values")

    def duplicate_key(self) -> tuple[str, ...] | None:
        """The key columns of a rule whose counted rows fail when their key repeats, or None.

        Such a rule (``unique``) is counted on a lazy view with a streaming ``group_by`` of
        its counted rows instead of its (non-streaming) failure mask: the same rows fail.
        """
        return None

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

    def unit(self) -> str:
        """What a row-level rule counts, for messages: ``rows`` or ``non-missing values``."""
        return "rows" if self.kind is RuleKind.ROW else "non-missing values"

    def problem(self) -> str:
        """What failing values do, for messages: ``3 of 10 values (30%) <problem>``."""
        return f"fail {self.type}"

    def describe_check(self, passed: bool, dtype: pl.DataType | None, row_count: int) -> str:
        """The message of a ``table`` rule."""
        return f"{self.type} {'passed' if passed else 'failed'}"


def _read_dtype(dtype: pl.DataType) -> pl.DataType:
    return pl.String() if dtype.base_type() in (pl.Categorical, pl.Enum) else dtype


def _read_value(column: str, dtype: pl.DataType) -> pl.Expr:
    col = pl.col(column)
    return col.cast(pl.String) if dtype.base_type() in (pl.Categorical, pl.Enum) else col


def sql_problem(text: str, schema: pl.Schema, what: str) -> str | None:
    """Why SQL text cannot be evaluated as a boolean on data of ``schema`` (user names)."""
    from truthound_dq._sql import SQLTextError, sql_columns, sql_expr, sql_rename

    try:
        columns = sql_columns(text)
        if missing := [c for c in columns if c not in schema]:
            available = ", ".join(map(repr, schema.names())) or "(no columns)"
            return (
                f"{what} names column(s) {', '.join(map(repr, missing))} not in the data; "
                f"the data has: {available}"
            )
        names = {c: f"c{i}" for i, c in enumerate(columns)}
        expr = sql_expr(sql_rename(text, names))
        # Evaluated (on no rows, with the dtypes the view reads), not just typed: Polars finds
        # some mismatches (string > number) only when it runs the expression.
        empty = pl.DataFrame(schema={names[c]: _read_dtype(schema[c]) for c in columns})
        dtype = empty.select(expr.alias("__v")).schema["__v"]
    except SQLTextError as exc:
        return f"{what}: {exc}"
    except Exception as exc:  # Polars: the types do not fit (string > number, ...)
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"{what} {text!r} cannot be evaluated on this data: {reason}"
    if dtype not in (pl.Boolean, pl.Null):
        return f"{what} {text!r} is {describe_dtype(dtype)} on this data, not boolean"
    return None


def _required(field: Any) -> bool:
    from dataclasses import MISSING

    return bool(field.default is MISSING and field.default_factory is MISSING)


def shown_dtype(dtype: pl.DataType | None) -> str:
    """The dtype for a message (``absent`` when the column is missing)."""
    return "absent" if dtype is None else describe_dtype(dtype)
