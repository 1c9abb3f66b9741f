"""``GreatExpectationsEngine``: the rules of ``docs/rules.md`` run through GX 1.x."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from truthound_dq import EngineCapabilities, Frame, LearnOutput, ProfileOutput, Rule
from truthound_dq.sdk import (
    HISTORY_NOTES,
    POLARS_PRODUCER,
    DataView,
    EngineBase,
    NativeCounts,
    Translations,
    engine_library_version,
    polars_learn,
    polars_profile,
)
from truthound_dq_great_expectations._convert import to_pandas
from truthound_dq_great_expectations._expectations import RULE_KEY, TRANSLATIONS, to_counts
from truthound_dq_great_expectations._session import GXSession
from truthound_dq_great_expectations._spark import (
    SPARK_NOTES,
    SPARK_TRANSLATIONS,
    GXSparkSession,
    evaluate_on_spark,
)

if TYPE_CHECKING:
    from truthound_dq.spark import SparkView

__all__ = ["GreatExpectationsEngine"]

_SHARED = POLARS_PRODUCER
PRODUCED_BY = f"{_SHARED} (Great Expectations 1.x has no profiler)"

_NOTES = {
    **HISTORY_NOTES,
    "regex": (
        "computed with the shared Polars implementation: GX's expect_column_values_to_match_regex "
        "runs pandas str.contains, i.e. Python's re (pandas 3 falls back to it from RE2), whose "
        "dialect is not the canonical one: its $ also matches before a trailing newline "
        "('a\\n' matches '^a$') and its \\w misses combining marks"
    ),
    "in_range": (
        "GX types min_value/max_value as float: a bound float64 cannot hold exactly (an "
        "integer such as 2**53 + 1) and Decimal columns (GX compares Decimal objects with the "
        "bound's binary value, not the decimal it writes) are computed with the shared Polars "
        "implementation; every other numeric column is evaluated by GX, exactly (see "
        "conversion). strict_min/strict_max are GX's own. Date and datetime bounds are "
        "evaluated by GX too (pandas datetime64 columns against a pandas Timestamp bound: "
        "nanoseconds kept, a date as its midnight, an aware bound in UTC compared as an "
        "instant); duration bounds are borrowed (GX's min_value takes no timedelta), and so "
        "are bounds outside pandas' nanosecond range (before 1677 or after 2262)"
    ),
    "str_length": (
        "expect_column_value_lengths_to_be_between (str.len(): code points), strict_min/"
        "strict_max passed through"
    ),
    "freshness": (
        "GX measures the newest value (expect_column_max_to_be_between without bounds: "
        "column.max, NaT skipped, nanoseconds and the column's zone kept); the base judges "
        "it against the check's time, as on every engine"
    ),
    "in_set": (
        "evaluated by GX (pandas isin); members are written the way the column holds numbers "
        "(integral floats as ints on integer columns, exact ints as floats on float columns, "
        "Decimal on Decimal columns; members no value can equal are left out), so a mixed "
        "int/float set is never rounded to float64; the same for not_in_set. An empty set "
        "(values: []) is computed with the shared Polars implementation"
    ),
    "not_regex": (
        "computed with the shared Polars implementation, like regex: GX's "
        "expect_column_values_to_not_match_regex runs Python's re, another dialect"
    ),
    "unique": (
        "evaluated by GX: expect_column_values_to_be_unique (every copy of a repeated value "
        "fails), and for a compound key expect_compound_columns_to_be_unique with "
        "ignore_row_if='any_value_is_missing' (GX's default 'never' would count rows with a "
        "missing key column, and pair them up as duplicates)"
    ),
    "compare": (
        "evaluated by GX for >, >=, <, <= (expect_column_pair_values_a_to_be_greater_than_b, "
        "or_equal, columns swapped for < and <=) and == (expect_column_pair_values_to_be_equal), "
        "with ignore_row_if='either_value_is_missing' (GX's default skips only rows where both "
        "are missing); != has no GX expectation, and GX's pair metrics read time-zone-aware "
        "datetime columns through Series.values, which pandas 3.1 deprecates (its meaning "
        "will change): both are computed with the shared Polars implementation"
    ),
    "monotonic": (
        "evaluated by GX (expect_column_values_to_be_increasing/decreasing, strictly): it drops "
        "missing values and compares each value with the previous remaining one by the sign of "
        "Series.diff(); a float column holding an infinity is computed with the shared Polars "
        "implementation, since inf - inf is NaN, which GX lets pass"
    ),
    "dtype": (
        "computed from the Polars schema: GX only sees the pandas frame after conversion, "
        "where Int64 with nulls, Categorical or Enum no longer have their Polars dtype"
    ),
    "conversion": (
        "GX validates pandas only: the columns the rules use are converted once per check "
        "(Polars -> Arrow -> pandas), under safe names (GX folds case); integers within "
        "+-2**53 travel as int64 (float64 with nulls), integers beyond it (Int64, UInt64, "
        "Int128) as Python ints, Float32 widened to float64, Decimal as decimal.Decimal: "
        "every comparison GX makes is then exact"
    ),
    "validation": (
        "one GX validation per group of a few columns (sqrt(1e6 / rows), 1 to 64), each on a "
        "pandas frame of only those columns: GX's metrics copy the whole batch for every "
        "metric, so one validation over a wide table would cost rules x columns x rows"
    ),
    "expression": (
        f"{_SHARED}: GX's UnexpectedRowsExpectation runs SQL on SQL and Spark data sources "
        "only, and GX validates pandas here; pandas' eval/query is not Polars' SQL dialect"
    ),
    "where": (
        f"{_SHARED} for every rule with a where: GX's row_condition is either pandas query "
        "syntax (the legacy string parser: a different dialect, with its own null and NaN "
        "handling and name quoting) or GX's own Condition objects (AND/OR of column-vs-value "
        "comparisons), neither of which can express every Polars SQL condition with the "
        "same meaning"
    ),
    "aggregate": (
        "evaluated by GX's column aggregate expectations (expect_column_min/max/mean/median/"
        "sum_to_be_between, expect_column_unique_value_count_to_be_between, "
        "expect_column_proportion_of_unique_values_to_be_between, and null_rate as 1 - "
        "expect_column_proportion_of_non_null_values_to_be_between): GX measures, the base "
        "judges GX's observed value with the rule's bounds. Computed with the shared Polars "
        "implementation where GX's statistic would differ: undefined statistics (GX reports 0 "
        "for a proportion or sum of no values), Decimal mean/median/sum/stdev (GX converts "
        "decimals to float), mean/median/sum/stdev of float columns holding an infinity "
        "(numpy warns on inf - inf inside GX), integer sums and means numpy's int64/float64 "
        "would not hold exactly, rules with where, and stdev (pandas' two-pass std loses the "
        "digits of a small spread under a large mean: 1e15 + {1, 2, 4} gives 1.52838, the "
        "stdev is 1.52753; the shared implementation shifts the values by their minimum first)"
    ),
    "schema": (
        "computed from the Polars schema: expect_table_columns_to_match_set/ordered_list see "
        "names only, and GX's pandas dtypes are not the Polars dtypes the rule names"
    ),
    "profile": f"{_SHARED}: GX 1.x has no profiler",
    "learn": f"{_SHARED}: GX 1.x has no rule inference",
    **SPARK_NOTES,
}


def column_groups(rules: Sequence[Rule], width: int) -> list[list[int]]:
    """Rule positions grouped so that each group reads at most ``width`` columns.

    Columns are taken in the order rules first name them; a table rule (no column) goes with
    the first group.
    """
    group_of: dict[str | None, int] = {None: 0}
    groups: list[list[int]] = [[]]
    for i, rule in enumerate(rules):
        # A rule over several columns (a compound key, a pair) goes with its first column's
        # group, and the group converts all of them.
        read = rule.columns_read()
        key = rule.column if rule.column is not None else (read[0] if read else None)
        if key not in group_of:
            group_of[key] = (len(group_of) - 1) // width
        g = group_of[key]
        while len(groups) <= g:
            groups.append([])
        groups[g].append(i)
    return [g for g in groups if g]


def _raised(info: Any) -> str | None:
    """The message of an exception GX caught while validating, or None.

    GX reports it in the result rather than raising: ``exception_info`` is either one
    ``{"raised_exception", "exception_message", ...}`` dict or, when a metric failed, a dict
    of such dicts keyed by metric (e.g. a column missing from the batch).
    """
    if not isinstance(info, Mapping):
        return None
    found = [info, *(v for v in info.values() if isinstance(v, Mapping))]
    messages = [str(i.get("exception_message")) for i in found if i.get("raised_exception")]
    return "; ".join(dict.fromkeys(messages)) or None


class GreatExpectationsEngine(EngineBase):
    """Great Expectations 1.x on Polars data: one expectation per rule.

    The rules run as one GX validation per group of a few columns (one for a narrow table;
    see ``cells_per_validation``), under the safe names of the base's view.

    The GX context lives in memory (nothing is written to disk), is built on first use and
    reused by every later call of this instance; concurrent calls are serialised around GX.

    Examples:
        >>> from truthound_dq import get_engine
        >>> engine = get_engine("great_expectations")  # or "gx", "ge"
        >>> result = engine.check(frame, [{"column": "id", "type": "not_null"}])  # doctest: +SKIP
    """

    engine_name: ClassVar[str] = "great_expectations"
    translations: ClassVar[Translations[Any]] = TRANSLATIONS
    spark_translations: ClassVar[Translations[Any]] = SPARK_TRANSLATIONS
    native_totals: ClassVar[bool] = True  # element_count - missing_count is the canonical total
    capabilities: ClassVar[EngineCapabilities] = EngineCapabilities(
        native_rule_types=TRANSLATIONS.rule_types,
        native_profile=False,
        native_learn=False,
        lazy_input=False,
        notes=_NOTES,
    )

    cells_per_validation: ClassVar[int] = 1_000_000
    """Sets how many columns one GX validation reads: ``sqrt(this / rows)``, 1 to 64.

    GX's pandas metrics drop a column's missing rows with ``df[df[column].notnull()]``,
    which copies every column of the batch, for every metric of every expectation: over one
    batch of all the columns a check costs rules x columns x rows, growing faster than the
    rules. Validating the rules in groups of a few columns, each on a frame of only those
    columns, keeps it linear. Each validation also has a fixed cost (~10 ms), so groups
    are wider on short frames: about 3 columns at 100k rows, 32 at 1,000, 1 from 1M.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._session = GXSession()
        self._spark = GXSparkSession(self._session)

    @property
    def engine_version(self) -> str:
        """Version of the installed ``great-expectations`` distribution.

        Raises:
            EngineNotInstalledError: It is not installed (the message has the pip line).
        """
        return engine_library_version("great-expectations", self.engine_name)

    def _evaluate_native(
        self,
        view: DataView,
        rules: Sequence[Rule],
        *,
        sample_size: int,
        options: Mapping[str, Any],
    ) -> Sequence[NativeCounts]:
        self._session.batch_definition()  # imports GX, or says how to install it
        schema = view.schema
        rows = view.row_count()
        result_format = {
            "result_format": "BASIC",
            "partial_unexpected_count": max(sample_size, 1),
            "include_unexpected_rows": False,
        }
        out: list[NativeCounts | None] = [None] * len(rules)
        width = max(1, min(64, round(math.sqrt(self.cells_per_validation / max(rows, 1)))))
        for chunk in column_groups(rules, width):
            # Only the columns the group's rules read are converted (column_exists included,
            # so GX sees whether the column is there; one the data lacks is not in the view).
            wanted: dict[str | None, None] = {}
            for i in chunk:
                wanted.update(dict.fromkeys((rules[i].column, *rules[i].columns_read())))
            converted = to_pandas(view, [c for c in wanted if c is not None and c in schema])
            expectations = [
                TRANSLATIONS.translate(rules[i], view, converted, {RULE_KEY: i}) for i in chunk
            ]
            validation = self._session.validate(converted.frame, expectations, result_format)
            del converted
            for result in validation.results:
                i = int(result.expectation_config.meta[RULE_KEY])
                rule = rules[i]
                if problem := _raised(result.exception_info):
                    raise RuntimeError(f"GX failed on {rule.name}: {problem}")
                dtype = schema.get(rule.column) if rule.column is not None else None
                out[i] = to_counts(rule, result, dtype, sample_size)
        missing = [rules[i].name for i, counts in enumerate(out) if counts is None]
        if missing:
            raise RuntimeError(f"GX returned no result for {', '.join(missing)}")
        return [counts for counts in out if counts is not None]

    def _evaluate_native_spark(
        self,
        view: SparkView,
        rules: Sequence[Rule],
        *,
        sample_size: int,
        options: Mapping[str, Any],
    ) -> Sequence[NativeCounts]:
        return evaluate_on_spark(self._spark, view, rules)

    def _profile(self, frame: Frame, columns: Sequence[str] | None) -> ProfileOutput:
        return polars_profile(frame, columns, produced_by=PRODUCED_BY)

    def _learn(self, frame: Frame, options: Mapping[str, Any]) -> LearnOutput:
        return polars_learn(frame, produced_by=PRODUCED_BY)
