"""Hand-written contract cases: one frame, one rule, the exact counts ``docs/rules.md`` implies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl

__all__ = ["Case", "CASES", "people", "empty_people"]

NAN = float("nan")
BIG = 2**62  # beyond float64's exact integers: 2**62 and 2**62 + 1 differ only as integers


def people() -> pl.DataFrame:
    """Six rows with the edge cases every engine must get right."""
    return pl.DataFrame(
        {
            "id": [1, 2, 2, 3, None, 5],
            "email": ["a@x.io", "bad", "", None, "b@y.org", "日本@例え.jp"],
            "age": [10.0, -1.0, NAN, None, 150.0, 151.0],
            "status": ["active", "inactive", "active", "deleted", None, "Active"],
            "code": pl.Series(["A", "B", "A", "C", None, "B"], dtype=pl.Categorical),
            "big": pl.Series([BIG, BIG + 1, 3, None, BIG + 1, 7], dtype=pl.Int64),
            "flag": [True, False, None, True, True, False],
            "blank": pl.Series([None, NAN, None, NAN, None, None], dtype=pl.Float64),
            "score": pl.Series([1, 2, 3, 4, 5, 6], dtype=pl.Int32),
        }
    )


def empty_people() -> pl.DataFrame:
    """The same schema with no rows."""
    return people().clear()


@dataclass(frozen=True)
class Case:
    """One rule on one frame and the exact expected outcome."""

    id: str
    rule: dict[str, Any]
    failed: int
    total: int
    passed: bool
    frame: Callable[[], pl.DataFrame] = people


def _case(case_id: str, rule: dict[str, Any], failed: int, total: int, passed: bool) -> Case:
    return Case(case_id, rule, failed, total, passed)


CASES: tuple[Case, ...] = (
    # not_null: failed = missing rows (null, and NaN in floats); total = all rows.
    _case("not_null-int", {"column": "id", "type": "not_null"}, 1, 6, False),
    _case("not_null-nan-is-missing", {"column": "age", "type": "not_null"}, 2, 6, False),
    _case("not_null-empty-string-is-a-value", {"column": "email", "type": "not_null"}, 1, 6, False),
    _case("not_null-all-missing", {"column": "blank", "type": "not_null"}, 6, 6, False),
    _case("not_null-passes", {"column": "score", "type": "not_null"}, 0, 6, True),
    _case("not_null-mostly-met", {"column": "id", "type": "not_null", "mostly": 0.8}, 1, 6, True),
    _case("not_null-mostly-missed", {"column": "id", "type": "not_null", "mostly": 0.9}, 1, 6, False),
    # unique: every non-missing row whose value occurs more than once.
    _case("unique-int-null-skipped", {"column": "id", "type": "unique"}, 2, 5, False),
    _case("unique-float-nan-skipped", {"column": "age", "type": "unique"}, 0, 4, True),
    _case("unique-string", {"column": "status", "type": "unique"}, 2, 5, False),
    _case("unique-categorical", {"column": "code", "type": "unique"}, 4, 5, False),
    _case("unique-large-int", {"column": "big", "type": "unique"}, 2, 5, False),
    _case("unique-all-missing", {"column": "blank", "type": "unique"}, 0, 0, True),
    _case("unique-boolean", {"column": "flag", "type": "unique"}, 5, 5, False),
    # regex: search semantics; the empty string is a value; missing values are skipped.
    _case("regex-search", {"column": "email", "type": "regex", "pattern": "@"}, 2, 5, False),
    _case("regex-empty-string", {"column": "email", "type": "regex", "pattern": "^$"}, 4, 5, False),
    _case("regex-unanchored", {"column": "email", "type": "regex", "pattern": "x"}, 4, 5, False),
    _case("regex-anchored", {"column": "status", "type": "regex", "pattern": "^active$"}, 3, 5, False),
    _case("regex-unicode-word", {"column": "email", "type": "regex", "pattern": r"^\w+@"}, 2, 5, False),
    _case("regex-categorical", {"column": "code", "type": "regex", "pattern": "^[AB]$"}, 1, 5, False),
    _case("regex-mostly-boundary",
          {"column": "email", "type": "regex", "pattern": "@", "mostly": 0.6}, 2, 5, True),
    # in_range: inclusive bounds over non-missing values.
    _case("in_range-both", {"column": "age", "type": "in_range", "min": 0, "max": 150}, 2, 4, False),
    _case("in_range-min-only", {"column": "id", "type": "in_range", "min": 2}, 1, 5, False),
    _case("in_range-max-only", {"column": "age", "type": "in_range", "max": 10}, 2, 4, False),
    _case("in_range-float-bounds",
          {"column": "score", "type": "in_range", "min": 1.5, "max": 5.5}, 2, 6, False),
    _case("in_range-large-int", {"column": "big", "type": "in_range", "max": BIG}, 2, 5, False),
    _case("in_range-passes", {"column": "score", "type": "in_range", "min": 1, "max": 6}, 0, 6, True),
    # in_set / not_in_set: exact, case-sensitive membership.
    _case("in_set-string",
          {"column": "status", "type": "in_set", "values": ["active", "inactive"]}, 2, 5, False),
    _case("in_set-int", {"column": "id", "type": "in_set", "values": [1, 2]}, 2, 5, False),
    _case("in_set-categorical", {"column": "code", "type": "in_set", "values": ["A", "B"]}, 1, 5, False),
    _case("in_set-boolean", {"column": "flag", "type": "in_set", "values": [True]}, 2, 5, False),
    _case("in_set-large-int", {"column": "big", "type": "in_set", "values": [BIG]}, 4, 5, False),
    _case("in_set-float-value-on-int", {"column": "id", "type": "in_set", "values": [2.0, 3.5]},
          3, 5, False),
    _case("not_in_set-string", {"column": "status", "type": "not_in_set", "values": ["deleted"]},
          1, 5, False),
    _case("not_in_set-int", {"column": "id", "type": "not_in_set", "values": [2]}, 2, 5, False),
    _case("not_in_set-passes", {"column": "code", "type": "not_in_set", "values": ["Z"]}, 0, 5, True),
    # str_length: inclusive bounds, counted in characters (code points), not bytes.
    _case("str_length-unicode", {"column": "email", "type": "str_length", "min": 1, "max": 6},
          3, 5, False),
    _case("str_length-exact", {"column": "status", "type": "str_length", "min": 6, "max": 6},
          2, 5, False),
    _case("str_length-max-only", {"column": "email", "type": "str_length", "max": 8}, 0, 5, True),
    # dtype: a family or an exact Polars dtype name; one yes/no check.
    _case("dtype-family-integer", {"column": "id", "type": "dtype", "dtype": "integer"}, 0, 1, True),
    _case("dtype-exact", {"column": "score", "type": "dtype", "dtype": "Int32"}, 0, 1, True),
    _case("dtype-exact-mismatch", {"column": "score", "type": "dtype", "dtype": "Int64"}, 1, 1, False),
    _case("dtype-numeric", {"column": "age", "type": "dtype", "dtype": "numeric"}, 0, 1, True),
    _case("dtype-float-mismatch", {"column": "id", "type": "dtype", "dtype": "float"}, 1, 1, False),
    _case("dtype-categorical-is-string",
          {"column": "code", "type": "dtype", "dtype": "string"}, 0, 1, True),
    _case("dtype-boolean", {"column": "flag", "type": "dtype", "dtype": "boolean"}, 0, 1, True),
    # column_exists and row_count: one yes/no check each.
    _case("column_exists-yes", {"column": "email", "type": "column_exists"}, 0, 1, True),
    _case("column_exists-no", {"column": "nope", "type": "column_exists"}, 1, 1, False),
    _case("row_count-within", {"type": "row_count", "min": 1, "max": 6}, 0, 1, True),
    _case("row_count-below", {"type": "row_count", "min": 7}, 1, 1, False),
    _case("row_count-above", {"type": "row_count", "max": 5}, 1, 1, False),
    # Over no rows every value rule passes; row_count still counts.
    Case("empty-not_null", {"column": "id", "type": "not_null"}, 0, 0, True, empty_people),
    Case("empty-unique", {"column": "id", "type": "unique"}, 0, 0, True, empty_people),
    Case("empty-regex", {"column": "email", "type": "regex", "pattern": "@"}, 0, 0, True,
         empty_people),
    Case("empty-in_range", {"column": "age", "type": "in_range", "min": 0}, 0, 0, True, empty_people),
    Case("empty-row_count", {"type": "row_count", "min": 1}, 1, 1, False, empty_people),
)  # fmt: skip
