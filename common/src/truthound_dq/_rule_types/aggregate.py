"""``aggregate``: a statistic of a column (mean, sum, stdev...) lies within bounds.

A table rule that observes the data: its observed value is one aggregation over the column
(in the ``where`` scope, if given), and the rule passes when that statistic lies in
``[min, max]`` (``strict_min``/``strict_max`` make a bound exclusive). The statistic is exact
where it can be (integer sums in Python integers, Decimal sums as decimals); a floating
statistic and its bounds are rounded to 12 significant digits before they are compared, so
that two engines summing in different orders cannot disagree on a verdict.
"""

from __future__ import annotations

import decimal
import difflib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal, get_args

import polars as pl

from truthound_dq._dtypes import is_nested
from truthound_dq._params import parse_bounds, plain_value
from truthound_dq._rule import (
    CheckContext,
    Fail,
    Rule,
    RuleKind,
    RuleType,
    column_kinds,
    missing_values,
)

if TYPE_CHECKING:
    from truthound_dq.sdk._view import ViewColumn

__all__ = ["Aggregate", "Stat", "STATS", "VALUE_STATS", "RATE_STATS", "round_statistic"]

Stat = Literal[
    "min",
    "max",
    "mean",
    "median",
    "sum",
    "stdev",
    "distinct_count",
    "null_rate",
    "unique_rate",
]
STATS: tuple[str, ...] = get_args(Stat)
VALUE_STATS = frozenset({"min", "max", "mean", "median", "sum", "stdev"})
"""Statistics of the values themselves: numeric columns only."""
RATE_STATS = frozenset({"null_rate", "unique_rate"})
"""Fractions 0..1 (bounds outside [0, 1] are refused: a rate is never a percentage)."""

SIGNIFICANT_DIGITS = 12

_ALIASES = {
    "avg": "mean", "average": "mean", "std": "stdev", "stddev": "stdev", "sd": "stdev",
    "n_unique": "distinct_count", "nunique": "distinct_count", "count_distinct": "distinct_count",
    "total": "sum", "minimum": "min", "maximum": "max", "p50": "median",
}  # fmt: skip

_128_BITS = frozenset(getattr(pl, name) for name in ("Int128", "UInt128") if hasattr(pl, name))


def round_statistic(value: float) -> float:
    """A floating statistic rounded to 12 significant digits (how it is compared)."""
    if not math.isfinite(value) or value == 0:
        return value
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}")


def _exact_sum(series: pl.Series) -> pl.Series:
    # A 128-bit column's sum can leave the 128-bit range, where Polars wraps around; Python
    # integers do not. Only these columns pay for the Python loop.
    values = series.drop_nulls().to_list()
    return pl.Series([sum(values) if values else None], dtype=pl.Object)


def _exact_mean(series: pl.Series) -> pl.Series:
    values = series.drop_nulls().to_list()
    return pl.Series([sum(values) / len(values) if values else None], dtype=pl.Float64)


@dataclass(frozen=True, slots=True, kw_only=True)
class Aggregate(Rule):
    """A statistic of the column's non-missing values lies within ``[min, max]``."""

    type: ClassVar[str] = RuleType.AGGREGATE
    kind: ClassVar[RuleKind] = RuleKind.TABLE
    accepts_where: ClassVar[bool | None] = True
    observes_data: ClassVar[bool] = True
    sampled: ClassVar[bool] = False
    _params: ClassVar[tuple[str, ...]] = ("stat", "min", "max", "strict_min", "strict_max")
    summary: ClassVar[str] = (
        "the column's `stat` (mean, sum, stdev, null_rate...) is outside `[min, max]`, "
        "or undefined (one check per rule)"
    )
    stat: Stat
    min: int | float | None = None
    max: int | float | None = None
    strict_min: bool = False
    strict_max: bool = False

    # -- parameters ------------------------------------------------------------------------

    @classmethod
    def parse_parameters(cls, raw: Mapping[str, Any], fail: Fail) -> dict[str, Any]:
        """A known ``stat``; finite bounds (0..1 for rates); boolean strictness."""
        params: dict[str, Any] = {}
        stat = plain_value(raw.get("stat"))
        if stat is None:
            fail(f"aggregate needs 'stat', one of: {', '.join(STATS)}")
        elif not isinstance(stat, str) or stat not in STATS:
            close = difflib.get_close_matches(str(stat), STATS, n=1)
            alias = _ALIASES.get(str(stat).strip().lower()) or (close[0] if close else None)
            hint = f" (did you mean {alias!r}?)" if alias else ""
            fail(f"'stat' must be one of {', '.join(STATS)}; got {stat!r}{hint}")
        params["stat"] = stat
        params.update(parse_bounds(cls.type, raw, fail, integer=False))
        if stat in RATE_STATS:
            for key in ("min", "max"):
                bound = params.get(key)
                if bound is not None and not 0 <= bound <= 1:
                    fail(
                        f"'{key}' {bound!r} is outside [0, 1]: {stat} is a fraction "
                        f"(write 5% as 0.05)"
                    )
        for key, bound in (("strict_min", "min"), ("strict_max", "max")):
            value = plain_value(raw.get(key, False))
            if not isinstance(value, bool):
                fail(f"'{key}' must be true or false, got {value!r}")
                value = False
            elif value and raw.get(bound) is None:
                fail(f"'{key}' needs '{bound}'")
            params[key] = value
        return params

    @classmethod
    def default_name(cls, params: Mapping[str, Any]) -> str | None:
        """``aggregate(mean(amount))``."""
        return f"aggregate({params.get('stat')}({params.get('column')}))"

    @property
    def parameters(self) -> dict[str, Any]:
        """``stat`` and the bounds; the strictness flags only when set."""
        params: dict[str, Any] = {"stat": self.stat}
        for key in ("min", "max"):
            if (value := getattr(self, key)) is not None:
                params[key] = value
        for key in ("strict_min", "strict_max"):
            if getattr(self, key):
                params[key] = True
        return params

    # -- applicability ---------------------------------------------------------------------

    def inapplicable(self, dtype: pl.DataType) -> str | None:
        """Value statistics need a numeric column; counts and rates apply to any flat one."""
        if self.stat == "null_rate":
            return None
        if is_nested(dtype):
            return f"aggregate {self.stat} does not apply to nested values"
        if self.stat in VALUE_STATS and "numeric" not in column_kinds(dtype):
            return f"aggregate {self.stat} needs a numeric column"
        return None

    # -- the statistic -----------------------------------------------------------------------

    def batch_problem(self) -> str | None:
        """Only ``min`` and ``max`` merge exactly across batches (the extreme of the parts)."""
        if self.stat in ("min", "max"):
            return None
        return f"aggregate {self.stat} of batches does not merge exactly into the whole's"

    def merge_observed(self, parts: Sequence[Any]) -> Any:
        """The smallest (``min``) or largest (``max``) non-null part; None if none."""
        present = [p for p in parts if p is not None]
        if not present:
            return None
        return min(present) if self.stat == "min" else max(present)

    def observe(self, schema: pl.Schema) -> pl.Expr:
        """The statistic over the column's non-missing values (safe names), or null if undefined.

        The ``where`` scope is applied here: a table rule sees every row otherwise.
        """
        assert self.column is not None
        dtype = schema[self.column]
        col = pl.col(self.column)
        missing = missing_values(col, dtype)
        if self.where is not None:
            from truthound_dq._polars import scope_expr

            scope = scope_expr(self)
            assert scope is not None
            col = col.filter(scope)
            missing = missing.filter(scope)
        if self.stat == "null_rate":
            return pl.when(missing.len() > 0).then(missing.mean())
        values = col.filter(~missing)
        present = values.len()
        if self.stat == "distinct_count":
            return values.n_unique()
        if self.stat == "unique_rate":
            return pl.when(present > 0).then(values.n_unique() / present)
        if dtype == pl.Null:
            return pl.lit(None)
        if dtype.is_float():
            values = values.cast(pl.Float64)  # Float32 widens exactly
        if self.stat in ("min", "max"):
            return values.min() if self.stat == "min" else values.max()
        if self.stat == "stdev":
            # Shifted by the smallest value first (exactly, in Int128, for integers): the
            # spread of 2**62 + {1, 2, 4} survives, where float64 values would all be equal,
            # and a large mean does not eat the digits of a small spread.
            if dtype.is_integer() and dtype.base_type() not in _128_BITS:
                shifted = (values.cast(pl.Int128) - values.min().cast(pl.Int128)).cast(pl.Float64)
            else:
                wide_values = values.cast(pl.Float64)
                shifted = wide_values - wide_values.min()
            return pl.when(present > 1).then(shifted.std(ddof=1))
        if self.stat == "median":
            return pl.when(present > 0).then(values.cast(pl.Float64).median())
        wide = dtype.base_type() in _128_BITS
        if self.stat == "sum":
            if wide:  # (None when there are no values)
                return values.map_batches(_exact_sum, return_dtype=pl.Object, returns_scalar=True)
            total = values.cast(pl.Int128).sum() if dtype.is_integer() else values.sum()
            return pl.when(present > 0).then(total)
        # mean: of integers and decimals, the exact sum over the count (one rounding).
        if dtype.is_float():
            return pl.when(present > 0).then(values.mean())
        if wide:
            return values.map_batches(_exact_mean, return_dtype=pl.Float64, returns_scalar=True)
        total = values.cast(pl.Int128).sum() if dtype.is_integer() else values.sum()
        return pl.when(present > 0).then(total.cast(pl.Float64) / present)

    def undefined(self, observed: Any, context: CheckContext) -> str | None:
        """No values (fewer than two for ``stdev``; no rows for ``null_rate``), or NaN."""
        subject = f"{self.stat}({self.column})"
        scope = f" where {self.where}" if self.where is not None else ""
        if observed is None:
            if self.stat == "null_rate":
                return f"{subject} is undefined: no rows{scope}"
            if self.stat == "stdev":
                return f"{subject} is undefined: fewer than two non-missing values{scope}"
            return f"{subject} is undefined: no non-missing values{scope}"
        if isinstance(observed, float) and math.isnan(observed):
            return f"{subject} is undefined: NaN (infinite values cancel out)"
        return None

    def verdict(self, observed: Any, context: CheckContext) -> bool:
        """The statistic within the bounds (a float one and its bounds at 12 significant digits)."""
        value = comparable(observed)
        if self.min is not None:
            low = _bound(self.min, value)
            if value < low or (self.strict_min and value == low):
                return False
        if self.max is not None:
            high = _bound(self.max, value)
            if value > high or (self.strict_max and value == high):
                return False
        return True

    def check(self, column: ViewColumn | None, row_count: int) -> bool:
        """Not used: the verdict reads the observed statistic (see :meth:`verdict`)."""
        raise NotImplementedError("aggregate is judged from its observed value")

    def describe_verdict(self, passed: bool, observed: Any, context: CheckContext) -> str:
        """``mean(amount) = 15.5, within [10, 20]``."""
        verdict = "within" if passed else "outside"
        scope = f" where {self.where}" if self.where is not None else ""
        return (
            f"{self.stat}({self.column}){scope} = {show_statistic(observed)}, "
            f"{verdict} {self.shown_bounds()}"
        )

    def shown_bounds(self) -> str:
        """``[10, 20]``, ``(10, ∞)``: parentheses for strict or open ends."""
        left = "(-∞" if self.min is None else f"{'(' if self.strict_min else '['}{self.min:,}"
        right = "∞)" if self.max is None else f"{self.max:,}{')' if self.strict_max else ']'}"
        return f"{left}, {right}"


def comparable(observed: Any) -> Any:
    """The observed statistic as it is compared: floats rounded to 12 significant digits."""
    if isinstance(observed, float):
        return round_statistic(observed)
    return observed


def _bound(bound: int | float, value: Any) -> Any:
    # A float statistic meets its bounds at 12 significant digits: both sides are rounded
    # (so ``min: 1/3`` holds for a mean of 1/3). A float bound against a Decimal statistic
    # means the decimal number it writes; integers compare exactly.
    if isinstance(value, float):
        return round_statistic(float(bound))
    if isinstance(value, decimal.Decimal):
        return decimal.Decimal(bound if isinstance(bound, int) else repr(bound))
    return bound


def show_statistic(observed: Any) -> str:
    """The statistic for a message: 12 significant digits, integers in full."""
    if isinstance(observed, bool) or observed is None:
        return str(observed)
    if isinstance(observed, float):
        return f"{round_statistic(observed):,.{SIGNIFICANT_DIGITS}g}"
    if isinstance(observed, int):
        return f"{observed:,}"
    return str(observed)
