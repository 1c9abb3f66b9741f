"""Where Pandera's checks would round, the rule is borrowed; where they are exact, native.

Pandera's Polars checks compare with plain Polars operators. Each case pins who evaluated the
rule (``evaluated_by``) and that the counts are the canonical ones (the shared
implementation's, ``reference_evaluate``, on the same data).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import polars as pl
import pytest

from truthound_dq import parse_rules
from truthound_dq.sdk import SHARED_EVALUATOR, missing_expr, reference_evaluate
from truthound_dq_pandera import PanderaEngine

PANDERA = "pandera"
BIG = 2**53 + 1  # the first integer float64 cannot hold


def _series(values: list[Any], dtype: pl.DataType) -> pl.DataFrame:
    return pl.DataFrame({"x": pl.Series(values, dtype=dtype)})


CASES: list[tuple[str, pl.DataFrame, dict[str, Any], str, int]] = [
    # (id, data, rule, evaluated_by, failed)
    # Float32 0.1 is 0.100000001...: above max=0.1; Polars would round the bound to Float32.
    ("f32-max-0.1", _series([0.1, 0.05], pl.Float32()), {"max": 0.1}, SHARED_EVALUATOR, 1),
    ("f32-min-1e308", _series([float("-inf"), 1.0], pl.Float32()), {"min": -1e308},
     SHARED_EVALUATOR, 1),
    ("f32-exact-bound", _series([0.5, 0.75, float("nan")], pl.Float32()), {"max": 0.5},
     PANDERA, 1),
    ("f64-int-bound-beyond-2**53", _series([float(2**53)], pl.Float64()), {"min": BIG},
     SHARED_EVALUATOR, 1),
    ("f64-int-bound-exact", _series([1.0, 151.0, float("nan")], pl.Float64()), {"max": 150},
     PANDERA, 1),
    ("i64-float-bound-beyond-2**53", _series([BIG, 1], pl.Int64()), {"max": float(2**53)},
     PANDERA, 1),
    ("i64-fractional-bounds", _series([1, 2, 3], pl.Int64()), {"min": 1.5, "max": 2.5},
     PANDERA, 2),
    ("u64-top", _series([2**64 - 1, 0], pl.UInt64()), {"max": 2**64 - 2}, PANDERA, 1),
    ("u64-negative-min", _series([2**64 - 1, 0], pl.UInt64()), {"min": -1}, PANDERA, 0),
    ("u64-negative-max", _series([2**64 - 1, 0], pl.UInt64()), {"max": -1}, SHARED_EVALUATOR, 2),
    ("i8-bound-beyond-type", _series([127, -128], pl.Int8()), {"max": 300}, PANDERA, 0),
    ("i128", _series([2**100, 2**100 + 1], pl.Int128()), {"max": 2**100}, PANDERA, 1),
    ("decimal", _series([Decimal("1.10"), Decimal("1.20")], pl.Decimal(10, 2)), {"max": 1.1},
     SHARED_EVALUATOR, 1),
]  # fmt: skip


@pytest.mark.parametrize(("data", "bounds", "by", "failed"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_in_range_is_native_only_where_exact(
    data: pl.DataFrame, bounds: dict[str, Any], by: str, failed: int
) -> None:
    rule = {"column": "x", "type": "in_range", **bounds}
    _assert_canonical(data, rule, by, failed)


SET_CASES: list[tuple[str, pl.DataFrame, dict[str, Any], str, int]] = [
    # Members the column's type cannot hold never match: dropped, and the check stays native.
    ("i64-fractional-member", _series([1, 2], pl.Int64()), {"values": [1.5, 2]}, PANDERA, 1),
    ("i64-beyond-2**53", _series([BIG, BIG - 1], pl.Int64()), {"values": [BIG]}, PANDERA, 1),
    ("u64-top", _series([2**64 - 1, 3], pl.UInt64()), {"values": [2**64 - 1, -1]}, PANDERA, 1),
    ("u64-one-member-beyond-int64", _series([2**64 - 1, 3], pl.UInt64()), {"values": [2**64 - 1]},
     PANDERA, 1),
    # Pandera hands Polars a frozenset: a Series of Int64 then 2**127 - 1 would be refused.
    ("i128-members-beyond-int64", _series([2**127 - 1, 3, 5], pl.Int128()),
     {"values": [3, 2**127 - 1]}, SHARED_EVALUATOR, 1),
    ("f64-member-beyond-2**53", _series([float(2**53)], pl.Float64()), {"values": [BIG]},
     PANDERA, 1),
    ("f32-member-0.1", _series([0.1, 0.5], pl.Float32()), {"values": [0.1, 0.5]}, PANDERA, 1),
    ("f64-nan-skipped", _series([float("nan"), 1.0, 2.0], pl.Float64()), {"values": [1]},
     PANDERA, 1),
    ("decimal", _series([Decimal("1.10"), Decimal("2.00")], pl.Decimal(10, 2)),
     {"values": [1.1]}, SHARED_EVALUATOR, 1),
]  # fmt: skip


@pytest.mark.parametrize(("data", "params", "by", "failed"), [c[1:] for c in SET_CASES],
                         ids=[c[0] for c in SET_CASES])  # fmt: skip
def test_in_set_and_not_in_set_are_native_only_where_exact(
    data: pl.DataFrame, params: dict[str, Any], by: str, failed: int
) -> None:
    _assert_canonical(data, {"column": "x", "type": "in_set", **params}, by, failed)
    present = data.select(~missing_expr("x", data.schema["x"])).sum().item()
    rule = {"column": "x", "type": "not_in_set", **params}
    _assert_canonical(data, rule, by, present - failed)


def test_pattern_like_and_case_variant_names_are_evaluated_natively() -> None:
    # Pandera reads a Column named ^...$ as a regex: the base's safe names avoid it.
    data = pl.DataFrame(
        {
            "^a$": [1, None],
            "a": [5, 5],
            "A": pl.Series([None, None], dtype=pl.Int64),
            "*": ["x", "yy"],
        }
    )
    rules = [
        {"column": "^a$", "type": "not_null"},
        {"column": "A", "type": "not_null"},
        {"column": "a", "type": "unique"},
        {"column": "*", "type": "str_length", "max": 1},
        {"column": "^a$", "type": "column_exists"},
        {"column": "^b$", "type": "column_exists"},
    ]
    result = PanderaEngine().check(data, rules)
    got = [(r.failed_count, r.total_count, r.evaluated_by) for r in result.rule_results]
    assert got == [
        (1, 2, PANDERA),
        (2, 2, PANDERA),
        (2, 2, PANDERA),
        (1, 2, PANDERA),
        (0, 1, PANDERA),
        (1, 1, PANDERA),
    ]


def test_float16_not_null_is_borrowed_where_pandera_would_miss_nan() -> None:
    if not hasattr(pl, "Float16"):
        pytest.skip("this Polars has no Float16")
    data = pl.DataFrame({"h": pl.Series([1.0, None], dtype=pl.Float16)})
    (r,) = PanderaEngine().check(data, [{"column": "h", "type": "not_null"}]).rule_results
    assert (r.failed_count, r.evaluated_by) == (1, SHARED_EVALUATOR)


def test_unique_skips_missing_values_and_samples_come_in_row_order() -> None:
    data = pl.DataFrame({"f": [2.0, float("nan"), None, 2.0, float("nan"), None, 3.0, 3.0]})
    (r,) = PanderaEngine().check(data, [{"column": "f", "type": "unique"}]).rule_results
    assert (r.failed_count, r.total_count, r.sample_values, r.evaluated_by) == (
        4,
        4,
        (2.0, 2.0, 3.0, 3.0),
        PANDERA,
    )


def test_str_length_with_only_a_zero_minimum() -> None:
    data = pl.DataFrame({"s": ["", "abc", None]})
    rule = {"column": "s", "type": "str_length", "min": 0}
    _assert_canonical(data, rule, PANDERA, 0)


def _assert_canonical(data: pl.DataFrame, rule: dict[str, Any], by: str, failed: int) -> None:
    (got,) = PanderaEngine().check(data, [rule]).rule_results
    (want,) = reference_evaluate(data, parse_rules([rule])).counts
    assert (got.failed_count, got.total_count, got.sample_values) == (
        want.failed_count,
        want.total_count,
        want.sample_values,
    )
    assert (got.evaluated_by, got.failed_count) == (by, failed)
