"""Contract cases of issue 14's keys slice: compound unique, compare, not_regex, monotonic, empty sets.

Exact expected counts per ``docs/rules.md``; appended to ``CASES`` in ``_cases.py``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import polars as pl

from truthound_dq.testing._cases import (
    BIG,
    LONG_NAME,
    NAN,
    Case,
    NotEvaluatedCase,
    all_missing,
    empty_people,
    not_evaluated_on,
    odd_names,
    people,
)

__all__ = ["KEYS_CASES", "KEYS_NOT_EVALUATED", "orders", "empty_orders"]


def _at(day: int, hour: int = 0) -> dt.datetime:
    return dt.datetime(2024, 1, day, hour, tzinfo=dt.UTC)


def orders() -> pl.DataFrame:
    """Eight order lines: repeated keys, missing keys, NaN and -0.0, times, big integers."""
    hour = dt.timedelta(hours=1)
    return pl.DataFrame(
        {
            "order_id": pl.Series([1, 1, 1, 2, 2, 3, None, 4], dtype=pl.Int64),
            "line_no": pl.Series([1, 2, 2, 1, 1, 1, 1, None], dtype=pl.Int32),
            "region": pl.Series(
                ["eu", "eu", "eu", "us", "eu", "eu", "us", "us"], dtype=pl.Categorical
            ),
            "sku": ["eu", "us", "eu", None, "eu", "eu", "us", "xx"],
            "qty": [1.0, 2.0, 2.0, NAN, 1.0, -0.0, 0.0, None],
            "ordered_at": pl.Series(
                [_at(1), _at(1), _at(2), _at(2), _at(3), None, _at(5), _at(5)],
                dtype=pl.Datetime("us", "UTC"),
            ),
            "shipped_at": pl.Series(
                [_at(1), _at(2), _at(1), None, _at(4), _at(4), _at(4), _at(6)],
                dtype=pl.Datetime("us", "UTC"),
            ),
            "local_at": pl.Series(
                [dt.datetime(2024, 1, d) for d in (1, 2, 3, 4, 5, 6, 7, 8)],
                dtype=pl.Datetime("us"),
            ),
            "big": pl.Series([2**53 + 1, BIG, 3, -5, 1, 2, 7, None], dtype=pl.Int64),
            "price": [float(2**53), float(BIG), 3.0, NAN, None, 2.5, 7.5, 1.0],
            "amount": pl.Series(
                [Decimal("1.10"), None, None, None, None, None, None, None],
                dtype=pl.Decimal(10, 2),
            ),
            "seq": pl.Series([1, 2, 2, None, 5, 4, 6, 6], dtype=pl.Int64),
            "wait": pl.Series(
                [hour, 2 * hour, hour / 2, None, 3 * hour, 3 * hour, hour, 2 * hour],
                dtype=pl.Duration("us"),
            ),
            "day": pl.Series(
                [dt.date(2024, 1, d) for d in (1, 2, 3, 3, 2, 4, 5, 6)], dtype=pl.Date
            ),
        }
    )


def empty_orders() -> pl.DataFrame:
    """The same schema with no rows."""
    return orders().clear()


def _o(case_id: str, rule: dict[str, Any], failed: int, total: int, passed: bool) -> Case:
    return Case(case_id, rule, failed, total, passed, orders)


KEY = ["order_id", "line_no"]

KEYS_CASES: tuple[Case, ...] = (
    # unique with columns: rows with any key column missing are skipped; every row of a
    # repeated combination fails.
    _o("unique-compound", {"type": "unique", "columns": KEY}, 4, 6, False),
    _o("unique-compound-where", {"type": "unique", "columns": KEY, "where": "region = 'eu'"},
       2, 5, False),
    _o("unique-compound-categorical", {"type": "unique", "columns": ["order_id", "region"]},
       3, 7, False),
    _o("unique-compound-nan-skipped-signed-zero-equal",
       {"type": "unique", "columns": ["line_no", "qty"]}, 6, 6, False),
    _o("unique-compound-passes", {"type": "unique", "columns": ["order_id", "sku", "seq"]},
       0, 6, True),
    _o("unique-compound-one-column", {"type": "unique", "columns": ["seq"]}, 4, 7, False),
    Case("empty-unique-compound", {"type": "unique", "columns": KEY}, 0, 0, True, empty_orders),
    Case("name-regex-like-unique-compound", {"type": "unique", "columns": ["^a$", "a"]},
         2, 3, False, odd_names),
    Case("name-case-variant-unique-compound", {"type": "unique", "columns": ["a", "A"]},
         0, 3, True, odd_names),
    Case("name-quotes-wildcard-unique-compound",
         {"type": "unique", "columns": ["quo\"te'", "dot.ted", "*"]}, 0, 2, True, odd_names),
    Case("name-300-chars-unique-compound", {"type": "unique", "columns": [LONG_NAME, "nul\0name"]},
         0, 3, True, odd_names),
    Case("null-dtype-unique-compound", {"type": "unique", "columns": ["nothing", "id"]},
         0, 0, True, all_missing),
    # compare: rows with either side missing are skipped.
    _o("compare-datetime-ge", {"type": "compare", "column": "shipped_at", "op": ">=",
       "other": "ordered_at"}, 2, 6, False),
    _o("compare-datetime-gt", {"type": "compare", "column": "shipped_at", "op": ">",
       "other": "ordered_at"}, 3, 6, False),
    _o("compare-datetime-eq", {"type": "compare", "column": "shipped_at", "op": "==",
       "other": "ordered_at"}, 5, 6, False),
    _o("compare-datetime-ne", {"type": "compare", "column": "shipped_at", "op": "!=",
       "other": "ordered_at"}, 1, 6, False),
    _o("compare-datetime-lt", {"type": "compare", "column": "shipped_at", "op": "<",
       "other": "ordered_at"}, 4, 6, False),
    _o("compare-datetime-le", {"type": "compare", "column": "shipped_at", "op": "<=",
       "other": "ordered_at"}, 3, 6, False),
    _o("compare-datetime-where", {"type": "compare", "column": "shipped_at", "op": ">=",
       "other": "ordered_at", "where": "region = 'eu'"}, 1, 4, False),
    _o("compare-int-float-exact-gt", {"type": "compare", "column": "big", "op": ">",
       "other": "price"}, 4, 5, False),
    _o("compare-int-float-exact-eq", {"type": "compare", "column": "big", "op": "==",
       "other": "price"}, 3, 5, False),
    _o("compare-float-int-exact-lt", {"type": "compare", "column": "price", "op": "<",
       "other": "big"}, 4, 5, False),
    _o("compare-int-int", {"type": "compare", "column": "line_no", "op": "<=",
       "other": "order_id"}, 2, 6, False),
    _o("compare-categorical-string", {"type": "compare", "column": "region", "op": "==",
       "other": "sku"}, 2, 7, False),
    _o("compare-duration", {"type": "compare", "column": "wait", "op": "<", "other": "wait"},
       7, 7, False),
    _o("compare-date-passes", {"type": "compare", "column": "day", "op": "==", "other": "day"},
       0, 8, True),
    Case("compare-string-people", {"type": "compare", "column": "status", "op": "<",
         "other": "email"}, 3, 4, False, people),
    Case("compare-boolean", {"type": "compare", "column": "flag", "op": "==", "other": "flag"},
         0, 5, True, people),
    Case("empty-compare", {"type": "compare", "column": "shipped_at", "op": ">=",
         "other": "ordered_at"}, 0, 0, True, empty_orders),
    Case("name-regex-like-compare", {"type": "compare", "column": "^a$", "op": "==",
         "other": "a"}, 2, 3, False, odd_names),
    Case("name-dot-case-compare", {"type": "compare", "column": "dot.ted", "op": "<",
         "other": "A"}, 3, 3, False, odd_names),
    Case("name-wildcard-compare", {"type": "compare", "column": "*", "op": ">=",
         "other": "dot.ted"}, 2, 2, False, odd_names),
    Case("name-quotes-space-compare", {"type": "compare", "column": "quo\"te'", "op": ">",
         "other": "with space"}, 1, 1, False, odd_names),
    Case("null-dtype-compare", {"type": "compare", "column": "nothing", "op": "<",
         "other": "id"}, 0, 0, True, all_missing),
    # not_regex: values that contain a match fail; the empty string is a value.
    _o("not_regex-string", {"type": "not_regex", "column": "sku", "pattern": "^e"}, 4, 7, False),
    Case("not_regex-search", {"column": "email", "type": "not_regex", "pattern": "@"},
         3, 5, False, people),
    Case("not_regex-empty-string", {"column": "email", "type": "not_regex", "pattern": "^$"},
         1, 5, False, people),
    Case("not_regex-categorical", {"column": "code", "type": "not_regex", "pattern": "^[AB]$"},
         4, 5, False, people),
    Case("not_regex-passes", {"column": "status", "type": "not_regex", "pattern": r"\d"},
         0, 5, True, people),
    Case("empty-not_regex", {"column": "email", "type": "not_regex", "pattern": "@"},
         0, 0, True, empty_people),
    Case("name-regex-like-not_regex", {"column": "^a$", "type": "not_regex", "pattern": "^a$"},
         1, 3, False, odd_names),
    Case("null-dtype-not_regex", {"column": "nothing", "type": "not_regex", "pattern": "x"},
         0, 0, True, all_missing),
    # monotonic: compared with the previous non-missing value (in scope), in row order.
    _o("monotonic-increasing", {"type": "monotonic", "column": "seq"}, 1, 7, False),
    _o("monotonic-increasing-strict", {"type": "monotonic", "column": "seq",
       "direction": "increasing", "strict": True}, 3, 7, False),
    _o("monotonic-decreasing", {"type": "monotonic", "column": "seq",
       "direction": "decreasing"}, 3, 7, False),
    _o("monotonic-decreasing-strict", {"type": "monotonic", "column": "seq",
       "direction": "decreasing", "strict": True}, 5, 7, False),
    _o("monotonic-where", {"type": "monotonic", "column": "seq", "strict": True,
       "where": "region = 'us'"}, 1, 2, False),
    _o("monotonic-float-nan-skipped", {"type": "monotonic", "column": "qty"}, 2, 6, False),
    _o("monotonic-float-signed-zero-strict", {"type": "monotonic", "column": "qty",
       "strict": True}, 4, 6, False),
    _o("monotonic-datetime", {"type": "monotonic", "column": "shipped_at"}, 1, 7, False),
    _o("monotonic-naive-datetime-passes", {"type": "monotonic", "column": "local_at",
       "strict": True}, 0, 8, True),
    _o("monotonic-duration", {"type": "monotonic", "column": "wait"}, 2, 7, False),
    _o("monotonic-date", {"type": "monotonic", "column": "day"}, 1, 8, False),
    _o("monotonic-large-int", {"type": "monotonic", "column": "big", "direction": "decreasing"},
       4, 7, False),
    Case("empty-monotonic", {"type": "monotonic", "column": "seq"}, 0, 0, True, empty_orders),
    Case("name-dot-monotonic", {"type": "monotonic", "column": "dot.ted", "strict": True},
         1, 4, False, odd_names),
    Case("name-wildcard-monotonic", {"type": "monotonic", "column": "*"}, 0, 2, True, odd_names),
    Case("name-case-monotonic", {"type": "monotonic", "column": "A", "direction": "decreasing"},
         2, 3, False, odd_names),
    Case("null-dtype-monotonic", {"type": "monotonic", "column": "nothing"}, 0, 0, True,
         all_missing),
    # Empty values: in_set [] fails every non-missing value, not_in_set [] passes.
    Case("in_set-empty", {"column": "status", "type": "in_set", "values": []}, 5, 5, False, people),
    Case("in_set-empty-float-nan-skipped", {"column": "age", "type": "in_set", "values": []},
         4, 4, False, people),
    Case("in_set-empty-boolean", {"column": "flag", "type": "in_set", "values": []},
         5, 5, False, people),
    Case("in_set-empty-categorical", {"column": "code", "type": "in_set", "values": []},
         5, 5, False, people),
    Case("not_in_set-empty", {"column": "id", "type": "not_in_set", "values": []},
         0, 5, True, people),
    Case("empty-in_set-empty", {"column": "id", "type": "in_set", "values": []}, 0, 0, True,
         empty_people),
    Case("null-dtype-in_set-empty", {"column": "nothing", "type": "in_set", "values": []},
         0, 0, True, all_missing),
)  # fmt: skip


_not_evaluated = not_evaluated_on(orders)


KEYS_NOT_EVALUATED: tuple[NotEvaluatedCase, ...] = (
    _not_evaluated("compare-string-vs-int", {"type": "compare", "column": "sku", "op": "<",
                     "other": "big"}, "same kind"),
    _not_evaluated("compare-aware-vs-naive", {"type": "compare", "column": "shipped_at",
                     "op": "<", "other": "local_at"}, "naive"),
    _not_evaluated("compare-decimal-vs-float", {"type": "compare", "column": "amount",
                     "op": "<", "other": "price"}, "decimal and a float"),
    _not_evaluated("compare-other-missing", {"type": "compare", "column": "big", "op": "<",
                     "other": "nope"}, "'nope' not found"),
    _not_evaluated("unique-compound-column-missing", {"type": "unique",
                     "columns": ["order_id", "nope"]}, "'nope' not found"),
    _not_evaluated("monotonic-string", {"type": "monotonic", "column": "sku"},
                     "numeric, date, datetime or duration"),
    _not_evaluated("not_regex-float", {"type": "not_regex", "column": "qty", "pattern": "1"},
                     "Float64"),
)  # fmt: skip
