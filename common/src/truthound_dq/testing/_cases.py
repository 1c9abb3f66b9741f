"""Hand-written contract cases: one frame, one rule, the exact counts ``docs/rules.md`` implies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

import polars as pl

__all__ = [
    "Case",
    "NotEvaluatedCase",
    "not_evaluated_on",
    "CASES",
    "CUSTOM_CASES",
    "NOT_EVALUATED_CASES",
    "people",
    "empty_people",
    "odd_names",
    "numbers",
    "all_missing",
    "LONG_NAME",
]

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


LONG_NAME = "n" * 300
INF = float("inf")


def odd_names() -> pl.DataFrame:
    """Column names Polars, Pandera and GX could misread: patterns, wildcards, case variants.

    Every column holds data that gives different counts from its look-alikes, so a rule that
    reads the wrong column is caught.
    """
    return pl.DataFrame(
        {
            "^a$": ["a", "b", "b", None],
            "a": ["a", "a", "a", "a"],
            "A": [1, 2, 3, None],
            "*": [1.0, None, NAN, 4.0],
            "with space": ["x", "yy", "zzz", None],
            "dot.ted": [5, 5, 6, 7],
            "quo\"te'": ["q", None, None, "q"],
            "nul\0name": [True, True, None, False],
            LONG_NAME: [0, 1, 2, 3],
            "col(x)": [1, None, 1, 2],
        }
    )


def numbers() -> pl.DataFrame:
    """One column per number type, with values at the edges of exactness."""
    return pl.DataFrame(
        {
            "i8": pl.Series([1, 2, 127, None], dtype=pl.Int8),
            "i64": pl.Series([BIG, BIG + 1, 3, None], dtype=pl.Int64),
            "u64": pl.Series([2**64 - 1, 2**64 - 2, 0, None], dtype=pl.UInt64),
            "i128": pl.Series([2**100, -(2**100), 5, None], dtype=pl.Int128),
            "dec": pl.Series(
                [Decimal("1.10"), Decimal("2.50"), Decimal("-3.00"), None],
                dtype=pl.Decimal(10, 2),
            ),
            "f32": pl.Series([0.1, 0.5, NAN, None], dtype=pl.Float32),
            "f64": pl.Series([-INF, -1e308, 0.1, None], dtype=pl.Float64),
        }
    )


def all_missing() -> pl.DataFrame:
    """A column of Polars dtype ``Null`` (every value missing), as CSV/JSON readers give."""
    return pl.DataFrame({"nothing": pl.Series([None] * 4, dtype=pl.Null), "id": [1, 2, 3, 4]})


class Status(StrEnum):
    """A ``str`` Enum: its members are strings and must be read as such in ``values``."""

    ACTIVE = "active"


class Text(str):
    """A ``str`` subclass, like ``numpy.str_``."""

    __slots__ = ()


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
    # Rust syntax Python's re refuses (\p) or reads as another set ([[:alpha:]] is, to re,
    # "[:alph" then a literal "]"): every engine means Rust's, as the shared implementation.
    _case("regex-unicode-letter", {"column": "email", "type": "regex", "pattern": r"^\p{L}+@"}, 2, 5, False),
    _case("regex-posix-class", {"column": "status", "type": "regex", "pattern": "^[[:alpha:]]+$"}, 0, 5, True),
    _case("not_regex-unicode-category", {"column": "email", "type": "not_regex", "pattern": r"\P{ASCII}"}, 1, 5, False),
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
    # Column names are just names: never a regex, a wildcard or folded by case.
    Case("name-regex-like-unique", {"column": "^a$", "type": "unique"}, 2, 3, False, odd_names),
    Case("name-regex-like-regex", {"column": "^a$", "type": "regex", "pattern": "^a$"},
         2, 3, False, odd_names),
    Case("name-lowercase-regex", {"column": "a", "type": "regex", "pattern": "^a$"},
         0, 4, True, odd_names),
    Case("name-uppercase-in_range", {"column": "A", "type": "in_range", "max": 2},
         1, 3, False, odd_names),
    Case("name-lowercase-unique", {"column": "a", "type": "unique"}, 4, 4, False, odd_names),
    Case("name-wildcard-not_null", {"column": "*", "type": "not_null"}, 2, 4, False, odd_names),
    Case("name-wildcard-in_range", {"column": "*", "type": "in_range", "min": 2},
         1, 2, False, odd_names),
    Case("name-space-str_length", {"column": "with space", "type": "str_length", "max": 2},
         1, 3, False, odd_names),
    Case("name-dot-in_set", {"column": "dot.ted", "type": "in_set", "values": [5, 7]},
         1, 4, False, odd_names),
    Case("name-quotes-not_null", {"column": "quo\"te'", "type": "not_null"}, 2, 4, False,
         odd_names),
    Case("name-nul-in_set", {"column": "nul\0name", "type": "in_set", "values": [True]},
         1, 3, False, odd_names),
    Case("name-300-chars-in_range", {"column": LONG_NAME, "type": "in_range", "min": 1},
         1, 4, False, odd_names),
    Case("name-parens-unique", {"column": "col(x)", "type": "unique"}, 2, 3, False, odd_names),
    Case("name-case-dtype", {"column": "A", "type": "dtype", "dtype": "Int64"}, 0, 1, True,
         odd_names),
    Case("name-regex-like-column_exists", {"column": "^a$", "type": "column_exists"},
         0, 1, True, odd_names),
    Case("name-case-variant-missing", {"column": "Dot.Ted", "type": "column_exists"},
         1, 1, False, odd_names),
    # Numbers compare as the numbers they are (docs/rules.md, "Numbers").
    Case("number-int8-bound-beyond-range", {"column": "i8", "type": "in_range", "max": 300},
         0, 3, True, numbers),
    Case("number-int8-set-beyond-range", {"column": "i8", "type": "in_set", "values": [1, 300]},
         2, 3, False, numbers),
    Case("number-int64-mixed-set", {"column": "i64", "type": "in_set", "values": [BIG, 3.0]},
         1, 3, False, numbers),
    Case("number-int64-set-beyond-range", {"column": "i64", "type": "in_set",
         "values": [2**70, 3]}, 2, 3, False, numbers),
    Case("number-int64-huge-bound", {"column": "i64", "type": "in_range", "max": 10**30},
         0, 3, True, numbers),
    Case("number-uint64-in_set", {"column": "u64", "type": "in_set", "values": [2**64 - 1]},
         2, 3, False, numbers),
    Case("number-uint64-in_range", {"column": "u64", "type": "in_range", "max": 2**64 - 2},
         1, 3, False, numbers),
    Case("number-uint64-negative-min", {"column": "u64", "type": "in_range", "min": -1},
         0, 3, True, numbers),
    Case("number-int128-in_set", {"column": "i128", "type": "in_set", "values": [2**100, 5]},
         1, 3, False, numbers),
    Case("number-int128-in_range", {"column": "i128", "type": "in_range",
         "min": -(2**100) + 1}, 1, 3, False, numbers),
    Case("number-int128-not_in_set", {"column": "i128", "type": "not_in_set",
         "values": [-(2**100)]}, 1, 3, False, numbers),
    Case("number-decimal-float-member", {"column": "dec", "type": "in_set", "values": [1.1]},
         2, 3, False, numbers),
    Case("number-decimal-not_in_set", {"column": "dec", "type": "not_in_set",
         "values": [2.5, 9]}, 1, 3, False, numbers),
    Case("number-decimal-in_range", {"column": "dec", "type": "in_range", "min": -3,
         "max": 2.49}, 1, 3, False, numbers),
    Case("number-decimal-in_range-inclusive", {"column": "dec", "type": "in_range",
         "min": -3.0, "max": 2.5}, 0, 3, True, numbers),
    Case("number-float32-above-bound", {"column": "f32", "type": "in_range", "max": 0.1},
         2, 2, False, numbers),
    Case("number-float32-in_set", {"column": "f32", "type": "in_set", "values": [0.1, 0.5]},
         1, 2, False, numbers),
    Case("number-float32-unique", {"column": "f32", "type": "unique"}, 0, 2, True, numbers),
    Case("number-float64-minus-inf", {"column": "f64", "type": "in_range", "min": -1e308},
         1, 3, False, numbers),
    Case("number-float64-bounds", {"column": "f64", "type": "in_range", "min": -1e308,
         "max": 0.1}, 1, 3, False, numbers),
    Case("number-dtype-int128", {"column": "i128", "type": "dtype", "dtype": "Int128"},
         0, 1, True, numbers),
    Case("number-dtype-decimal-numeric", {"column": "dec", "type": "dtype", "dtype": "numeric"},
         0, 1, True, numbers),
    # A Null-dtype column is all missing: value rules pass over zero rows.
    Case("null-dtype-not_null", {"column": "nothing", "type": "not_null"}, 4, 4, False,
         all_missing),
    Case("null-dtype-unique", {"column": "nothing", "type": "unique"}, 0, 0, True, all_missing),
    Case("null-dtype-regex", {"column": "nothing", "type": "regex", "pattern": "x"},
         0, 0, True, all_missing),
    Case("null-dtype-in_range", {"column": "nothing", "type": "in_range", "min": 0},
         0, 0, True, all_missing),
    Case("null-dtype-in_set-strings", {"column": "nothing", "type": "in_set", "values": ["x"]},
         0, 0, True, all_missing),
    Case("null-dtype-not_in_set-numbers", {"column": "nothing", "type": "not_in_set",
         "values": [1]}, 0, 0, True, all_missing),
    Case("null-dtype-str_length", {"column": "nothing", "type": "str_length", "max": 1},
         0, 0, True, all_missing),
    Case("null-dtype-mostly", {"column": "nothing", "type": "not_null", "mostly": 0.5},
         4, 4, False, all_missing),
    Case("null-dtype-dtype", {"column": "nothing", "type": "dtype", "dtype": "Null"},
         0, 1, True, all_missing),
    Case("null-dtype-dtype-string", {"column": "nothing", "type": "dtype", "dtype": "string"},
         1, 1, False, all_missing),
    # str subclasses are strings; exact dtype names are case-sensitive.
    _case("str-enum-member-in_set",
          {"column": "status", "type": "in_set", "values": [Status.ACTIVE, Text("inactive")]},
          2, 5, False),
    _case("str-subclass-not_in_set",
          {"column": "status", "type": "not_in_set", "values": [Text("deleted")]}, 1, 5, False),
    _case("dtype-exact-String-is-not-Categorical",
          {"column": "code", "type": "dtype", "dtype": "String"}, 1, 1, False),
    _case("dtype-family-string-is-Categorical",
          {"column": "code", "type": "dtype", "dtype": "string"}, 0, 1, True),
)  # fmt: skip

CUSTOM_CASES: tuple[Case, ...] = (
    # ``divisible_by`` comes from the dq-test-rules distribution (entry point
    # ``truthound_dq.rules``): no adapter has heard of it.
    _case("custom-divisible_by", {"column": "score", "type": "divisible_by", "divisor": 2},
          3, 6, False),
    _case("custom-divisible_by-nulls-skipped",
          {"column": "id", "type": "divisible_by", "divisor": 2}, 3, 5, False),
    Case("custom-divisible_by-int128", {"column": "i128", "type": "divisible_by", "divisor": 4},
         1, 3, False, numbers),
    Case("custom-divisible_by-null-dtype", {"column": "nothing", "type": "divisible_by",
         "divisor": 3}, 0, 0, True, all_missing),
)  # fmt: skip


@dataclass(frozen=True)
class NotEvaluatedCase:
    """A rule that cannot apply to its data: not evaluated (0 of 0), its message says why.

    Attributes:
        id: The test id.
        rule: The rule dict.
        says: A fragment the message must contain, or several (which side is naive...).
        frame: The data.
    """

    id: str
    rule: dict[str, Any]
    says: str | tuple[str, ...]
    frame: Callable[[], pl.DataFrame] = people

    @property
    def fragments(self) -> tuple[str, ...]:
        """``says`` as a tuple."""
        return (self.says,) if isinstance(self.says, str) else self.says


def not_evaluated_on(
    frame: Callable[[], pl.DataFrame],
) -> Callable[[str, dict[str, Any], str | tuple[str, ...]], NotEvaluatedCase]:
    """A maker of ``NotEvaluatedCase`` on ``frame``: ``make(id, rule, says)``."""

    def make(case_id: str, rule: dict[str, Any], says: str | tuple[str, ...]) -> NotEvaluatedCase:
        return NotEvaluatedCase(case_id, rule, says, frame)

    return make


# Issue 14's rule types keep their cases in modules of their own (imported last: they reuse
# the frames above), one line each here.
from truthound_dq.testing._cases_aggregates import (  # noqa: E402
    AGGREGATE_CASES,
    AGGREGATE_NOT_EVALUATED,
)
from truthound_dq.testing._cases_dates import DATE_CASES  # noqa: E402
from truthound_dq.testing._cases_keys import KEYS_CASES  # noqa: E402
from truthound_dq.testing._cases_review import REVIEW_CASES  # noqa: E402
from truthound_dq.testing._cases_sql import SQL_CASES  # noqa: E402

CASES += DATE_CASES + KEYS_CASES + AGGREGATE_CASES + SQL_CASES + REVIEW_CASES

NOT_EVALUATED_CASES: tuple[Case, ...] = AGGREGATE_NOT_EVALUATED
"""Rules that cannot apply to their data (wrong dtype, a column the data lacks): 0 of 0."""
