"""Contract cases of ``aggregate`` and ``schema``: one check each, failed 0 or 1 of 1.

A table rule's counts say only pass or fail, so the bounds sit exactly at the statistic
(inclusive passes, strict fails, one unit beyond fails): an engine whose statistic is off by
one integer, rounds a big sum to float64, counts NaN as a value or takes the lower middle
value for a median gets a verdict wrong.
"""

from __future__ import annotations

import polars as pl

from truthound_dq.testing._cases import (
    BIG,
    LONG_NAME,
    NAN,
    Case,
    all_missing,
    empty_people,
    numbers,
    odd_names,
    people,
)

__all__ = ["AGGREGATE_CASES", "AGGREGATE_NOT_EVALUATED", "amounts"]

INF = float("inf")


def amounts() -> pl.DataFrame:
    """Six rows of statistics with known exact values (comments give them)."""
    return pl.DataFrame(
        {
            # values 10, 20, 15, 15 (NaN and null missing): mean 15, median 15, sum 60,
            # stdev sqrt(50/3) = 4.08248290463863, null_rate 2/6, unique_rate 3/4
            "amount": [10.0, 20.0, NAN, None, 15.0, 15.0],
            # 1, 2, 10, 20: median is the midpoint of 2 and 10 = 6; mean 8.25
            "even": pl.Series([1, 2, None, 10, 20, None], dtype=pl.Int32),
            # a, b, a, c, a: distinct 3 of 5 non-missing (unique_rate 0.6), null_rate 1/6
            "cat": pl.Series(["a", "b", "a", None, "c", "a"], dtype=pl.Categorical),
            # inf + -inf is NaN: the sum and mean are undefined
            "inf": [INF, -INF, 1.0, None, 2.0, 3.0],
            # one value: stdev undefined, mean 5
            "one": pl.Series([None, None, None, None, None, 5.0], dtype=pl.Float64),
            # 0.1 + 0.2 = 0.30000000000000004 in float64: 0.3 after rounding to 12 digits
            "tenths": [0.1, 0.2, None, None, None, None],
            # Int64 values whose sum overflows 64 bits: 2**63 + 2**62 exactly
            "huge": pl.Series([2**62, 2**62, 2**62, None, None, None], dtype=pl.Int64),
            "status": ["active", "active", "inactive", "active", None, "inactive"],
        }
    )


def _agg(stat: str, column: str, **bounds: object) -> dict[str, object]:
    return {"type": "aggregate", "column": column, "stat": stat, **bounds}


AGGREGATE_CASES: tuple[Case, ...] = (
    # Each statistic at its exact value: inclusive bounds pass, strict ones fail.
    Case("aggregate-mean-nan-skipped", _agg("mean", "amount", min=15, max=15), 0, 1, True, amounts),
    Case("aggregate-mean-strict-min", _agg("mean", "amount", min=15, strict_min=True),
         1, 1, False, amounts),
    Case("aggregate-median-midpoint", _agg("median", "even", min=6, max=6), 0, 1, True, amounts),
    Case("aggregate-median-not-lower-middle", _agg("median", "even", max=5.5), 1, 1, False,
         amounts),
    Case("aggregate-mean-int", _agg("mean", "even", min=8.25, max=8.25), 0, 1, True, amounts),
    Case("aggregate-sum-float", _agg("sum", "amount", min=60, max=60), 0, 1, True, amounts),
    Case("aggregate-sum-strict-max", _agg("sum", "amount", max=60, strict_max=True),
         1, 1, False, amounts),
    Case("aggregate-stdev-sample", _agg("stdev", "amount", min=4.08248290464, max=4.08248290464),
         0, 1, True, amounts),
    Case("aggregate-stdev-not-population", _agg("stdev", "amount", max=4.0), 1, 1, False,
         amounts),
    Case("aggregate-min", _agg("min", "amount", min=10, max=10), 0, 1, True, amounts),
    Case("aggregate-max-below", _agg("max", "amount", max=19.5), 1, 1, False, amounts),
    Case("aggregate-distinct_count-categorical", _agg("distinct_count", "cat", min=3, max=3),
         0, 1, True, amounts),
    Case("aggregate-distinct_count-nan-not-a-value", _agg("distinct_count", "amount", max=3),
         0, 1, True, amounts),
    Case("aggregate-unique_rate-non-missing", _agg("unique_rate", "cat", min=0.6, max=0.6),
         0, 1, True, amounts),
    Case("aggregate-unique_rate-float", _agg("unique_rate", "amount", min=0.75, max=0.75),
         0, 1, True, amounts),
    Case("aggregate-null_rate-nan-is-missing", _agg("null_rate", "amount", min=0.333333333333,
         max=0.333333333333), 0, 1, True, amounts),
    Case("aggregate-null_rate-categorical", _agg("null_rate", "cat", max=0.1), 1, 1, False,
         amounts),
    Case("aggregate-float-sum-rounded", _agg("sum", "tenths", max=0.3), 0, 1, True, amounts),
    Case("aggregate-float-sum-rounded-strict", _agg("sum", "tenths", max=0.3, strict_max=True),
         1, 1, False, amounts),
    Case("aggregate-rounded-bound-third", _agg("null_rate", "amount", min=1 / 3, max=1 / 3),
         0, 1, True, amounts),
    Case("aggregate-int64-sum-no-overflow", _agg("sum", "huge", min=3 * 2**62, max=3 * 2**62),
         0, 1, True, amounts),
    Case("aggregate-int64-sum-positive", _agg("sum", "huge", min=0), 0, 1, True, amounts),
    # Undefined statistics fail, whatever the bounds.
    Case("aggregate-inf-cancels", _agg("sum", "inf", min=-1e308), 1, 1, False, amounts),
    Case("aggregate-stdev-one-value", _agg("stdev", "one", min=0), 1, 1, False, amounts),
    Case("aggregate-mean-one-value", _agg("mean", "one", min=5, max=5), 0, 1, True, amounts),
    Case("aggregate-mean-all-missing", _agg("mean", "nothing", min=0), 1, 1, False, all_missing),
    Case("aggregate-sum-all-missing", _agg("sum", "nothing", max=0), 1, 1, False, all_missing),
    Case("aggregate-distinct_count-all-missing", _agg("distinct_count", "nothing", max=0),
         0, 1, True, all_missing),
    Case("aggregate-null_rate-all-missing", _agg("null_rate", "nothing", min=1), 0, 1, True,
         all_missing),
    Case("aggregate-unique_rate-all-missing", _agg("unique_rate", "nothing", min=0), 1, 1, False,
         all_missing),
    Case("aggregate-empty-mean", _agg("mean", "id", min=0), 1, 1, False, empty_people),
    Case("aggregate-empty-null_rate", _agg("null_rate", "id", max=1), 1, 1, False, empty_people),
    Case("aggregate-empty-distinct_count", _agg("distinct_count", "id", max=0), 0, 1, True,
         empty_people),
    # where: the statistic over the rows in scope only.
    Case("aggregate-where-mean", {**_agg("mean", "amount", min=15, max=15),
         "where": "status = 'active'"}, 0, 1, True, amounts),
    Case("aggregate-where-sum", {**_agg("sum", "amount", max=30), "where": "status = 'active'"},
         0, 1, True, amounts),
    Case("aggregate-where-null_rate", {**_agg("null_rate", "amount", min=0.5, max=0.5),
         "where": "status = 'inactive'"}, 0, 1, True, amounts),
    Case("aggregate-where-nothing-in-scope", {**_agg("mean", "amount", min=0),
         "where": "status = 'gone'"}, 1, 1, False, amounts),
    # people: big integers, NaN, Int32.
    Case("aggregate-big-sum-exact", _agg("sum", "big", min=3 * BIG + 12, max=3 * BIG + 12),
         0, 1, True, people),
    Case("aggregate-big-sum-one-below", _agg("sum", "big", max=3 * BIG + 11), 1, 1, False,
         people),
    Case("aggregate-big-max-exact", _agg("max", "big", max=BIG + 1, min=BIG + 1), 0, 1, True,
         people),
    Case("aggregate-age-mean", _agg("mean", "age", min=77.5, max=77.5), 0, 1, True, people),
    Case("aggregate-id-null_rate", _agg("null_rate", "id", max=0.2), 0, 1, True, people),
    Case("aggregate-score-median", _agg("median", "score", min=3.5, max=3.5), 0, 1, True, people),
    Case("aggregate-status-distinct_count", _agg("distinct_count", "status", max=3), 1, 1, False,
         people),
    # Numbers at the edges of exactness.
    Case("aggregate-uint64-sum", _agg("sum", "u64", min=2**65 - 3, max=2**65 - 3), 0, 1, True,
         numbers),
    Case("aggregate-int128-sum-cancels", _agg("sum", "i128", min=5, max=5), 0, 1, True, numbers),
    Case("aggregate-int128-min", _agg("min", "i128", max=-(2**100), min=-(2**100)), 0, 1, True,
         numbers),
    Case("aggregate-decimal-sum", _agg("sum", "dec", min=0.6, max=0.6), 0, 1, True, numbers),
    Case("aggregate-decimal-max", _agg("max", "dec", max=2.49), 1, 1, False, numbers),
    Case("aggregate-float32-min-above-tenth", _agg("min", "f32", max=0.1), 1, 1, False, numbers),
    Case("aggregate-float64-minus-inf-min", _agg("min", "f64", min=-1e308), 1, 1, False, numbers),
    Case("aggregate-int8-sum-wide", _agg("sum", "i8", min=130, max=130), 0, 1, True, numbers),
    # Column names are names.
    Case("aggregate-name-wildcard-mean", _agg("mean", "*", min=2.5, max=2.5), 0, 1, True,
         odd_names),
    Case("aggregate-name-regex-distinct", _agg("distinct_count", "^a$", min=2, max=2), 0, 1, True,
         odd_names),
    Case("aggregate-name-case-sum", _agg("sum", "A", min=6, max=6), 0, 1, True, odd_names),
    Case("aggregate-name-quotes-null_rate", _agg("null_rate", "quo\"te'", min=0.5, max=0.5),
         0, 1, True, odd_names),
    Case("aggregate-name-long-max", _agg("max", LONG_NAME, max=3, min=3), 0, 1, True, odd_names),
    # schema: names and dtypes as the dtype rule reads them, every difference fails it.
    Case("schema-subset", {"type": "schema", "columns": {"id": "Int64", "email": "String"}},
         0, 1, True, people),
    Case("schema-families", {"type": "schema", "columns": {"code": "string", "age": "float",
         "score": "integer", "big": "numeric", "flag": "boolean"}}, 0, 1, True, people),
    Case("schema-categorical-is-not-String", {"type": "schema", "columns": {"code": "String"}},
         1, 1, False, people),
    Case("schema-wrong-dtype", {"type": "schema", "columns": {"id": "Int64", "score": "Int64"}},
         1, 1, False, people),
    Case("schema-missing-column", {"type": "schema", "columns": {"id": "Int64", "nope": "string"}},
         1, 1, False, people),
    Case("schema-exact", {"type": "schema", "exact": True, "columns": {
         "id": "integer", "email": "string", "age": "float", "status": "string",
         "code": "Categorical", "big": "Int64", "flag": "boolean", "blank": "Float64",
         "score": "Int32"}}, 0, 1, True, people),
    Case("schema-exact-extra-column", {"type": "schema", "exact": True,
         "columns": {"id": "integer"}}, 1, 1, False, people),
    Case("schema-ordered", {"type": "schema", "ordered": True,
         "columns": {"id": "integer", "age": "float", "score": "Int32"}}, 0, 1, True, people),
    Case("schema-out-of-order", {"type": "schema", "ordered": True,
         "columns": {"email": "string", "id": "integer"}}, 1, 1, False, people),
    Case("schema-unordered-ok", {"type": "schema",
         "columns": {"email": "string", "id": "integer"}}, 0, 1, True, people),
    Case("schema-empty-frame", {"type": "schema", "columns": {"id": "Int64"}}, 0, 1, True,
         empty_people),
    Case("schema-null-dtype", {"type": "schema", "columns": {"nothing": "Null", "id": "Int64"}},
         0, 1, True, all_missing),
    Case("schema-null-dtype-is-not-string", {"type": "schema", "columns": {"nothing": "string"}},
         1, 1, False, all_missing),
    Case("schema-odd-names", {"type": "schema", "columns": {"^a$": "String", "*": "Float64",
         "quo\"te'": "string", "nul\0name": "Boolean", "A": "Int64", "a": "String"}},
         0, 1, True, odd_names),
    Case("schema-name-case", {"type": "schema", "columns": {"a": "Int64"}}, 1, 1, False,
         odd_names),
    Case("schema-name-pattern-is-not-a-pattern", {"type": "schema", "columns": {"^.*$": "String"}},
         1, 1, False, odd_names),
)  # fmt: skip

AGGREGATE_NOT_EVALUATED: tuple[Case, ...] = (
    # A value statistic of a non-numeric column, or of a column the data lacks.
    Case("aggregate-mean-of-strings", _agg("mean", "email", min=0), 0, 0, False, people),
    Case("aggregate-sum-of-booleans", _agg("sum", "flag", min=0), 0, 0, False, people),
    Case("aggregate-missing-column", _agg("null_rate", "nope", max=1), 0, 0, False, people),
    Case("aggregate-where-missing-column", {**_agg("mean", "age", min=0), "where": "nope = 1"},
         0, 0, False, people),
)  # fmt: skip
