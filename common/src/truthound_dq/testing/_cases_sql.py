"""Contract cases of SQL text in rules: ``expression``, ``where`` and ``max_failures``.

Issue 14, items 5, 6 and 11: ``where`` on every row-level type.

SQL text is Polars' SQL dialect. Inside it a null is NULL (a comparison with it is null) and
NaN is a float value as Polars compares floats: ``NaN = NaN`` is true and NaN is greater than
every number. ``expression``: false fails, null is skipped. ``where``: only rows where it is
true are in scope.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl

from truthound_dq.testing._cases import (
    Case,
    NotEvaluatedCase,
    all_missing,
    empty_people,
    not_evaluated_on,
    odd_names,
    people,
)

__all__ = [
    "SQL_CASES",
    "SQL_NOT_EVALUATED",
    "orders",
    "empty_orders",
    "sql_names",
]

NAN = float("nan")


def orders() -> pl.DataFrame:
    """Order lines with nulls, NaN, a zero quantity, a Categorical status and a boolean."""
    return pl.DataFrame(
        {
            "order_id": [1, 2, 3, 4, 5, 6, 7],
            "price": [2.0, 1.5, None, 3.0, NAN, 2.0, 4.0],
            "quantity": pl.Series([3, 2, 1, None, 1, 0, 2], dtype=pl.Int32),
            "total": [6.0, 3.5, 1.0, 9.0, NAN, 0.0, 7.5],
            "status": pl.Series(
                ["paid", "paid", "open", None, "paid", "open", "void"], dtype=pl.Categorical
            ),
            # Values that are also column names: a string literal is never a column.
            "note": ["", "gift", None, "total", "x", "price", ""],
            "flag": [True, None, False, True, True, False, None],
        }
    )


def empty_orders() -> pl.DataFrame:
    """The same schema with no rows."""
    return orders().clear()


def sql_names() -> pl.DataFrame:
    """Column names SQL text could misread: patterns, keywords, functions, quotes, case.

    ``pl.col("^a$")`` would read ``a`` (a regex) and ``"*"`` every column, so each column's
    data gives other counts than its look-alikes'.
    """
    return pl.DataFrame(
        {
            "^a$": [1, 2, 3, None],
            "a": [5, 0, 0, 5],
            "*": [1.0, 2.0, None, 4.0],
            "select": ["x", "y", "x", None],
            "upper": ["x", "X", "y", "Y"],
            "quo\"te'": [1, 2, 3, 4],
            "Price": [1, 5, 3, None],
            "price": [2, 2, 3, 1],
            "a.b": [0, 1, 2, 3],
            "s": ["a", "b", "a", None],
        }
    )


def _on(frame: Callable[[], pl.DataFrame]) -> Callable[..., Case]:
    def make(case_id: str, rule: dict[str, Any], failed: int, total: int, passed: bool) -> Case:
        return Case(case_id, rule, failed, total, passed, frame)

    return make


_orders, _names, _people = _on(orders), _on(sql_names), _on(people)
_odd, _missing, _empty = _on(odd_names), _on(all_missing), _on(empty_orders)
LINE_TOTAL = "price * quantity = total"

SQL_CASES: tuple[Case, ...] = (
    # expression: false fails; null is skipped (not counted); total = rows where it is not null.
    _orders("expression-line-total", {"type": "expression", "expr": LINE_TOTAL,
            "name": "line_total"}, 2, 5, False),
    _orders("expression-null-skipped", {"type": "expression", "expr": "quantity > 0"}, 1, 6, False),
    _orders("expression-nan-is-greater", {"type": "expression", "expr": "price > 2"}, 3, 6, False),
    _orders("expression-nan-equals-nan", {"type": "expression", "expr": "total = total"},
            0, 7, True),
    _orders("expression-categorical-as-string",
            {"type": "expression", "expr": "status = 'paid'"}, 3, 6, False),
    _orders("expression-literal-naming-a-column",
            {"type": "expression", "expr": "note = 'price'"}, 5, 6, False),
    _orders("expression-literal-quotes",
            {"type": "expression", "expr": "note <> 'it''s \"total\"' AND note <> 'total'"},
            1, 6, False),
    _orders("expression-boolean-column", {"type": "expression", "expr": "flag"}, 2, 5, False),
    _orders("expression-case-when", {"type": "expression", "expr":
            "CASE WHEN quantity = 0 THEN total = 0 ELSE total / quantity = price END"},
            2, 5, False),
    _orders("expression-coalesce", {"type": "expression", "expr": "coalesce(quantity, 0) >= 0"},
            0, 7, True),
    _orders("expression-in-list", {"type": "expression", "expr": "status IN ('paid', 'open')"},
            1, 6, False),
    _orders("expression-like", {"type": "expression", "expr": "note LIKE '%i%'"}, 4, 6, False),
    _orders("expression-where", {"type": "expression", "expr": LINE_TOTAL,
            "where": "status = 'paid'"}, 1, 3, False),
    _orders("expression-where-null-out-of-scope", {"type": "expression", "expr": LINE_TOTAL,
            "where": "flag"}, 0, 2, True),
    _orders("expression-max_failures-within", {"type": "expression", "expr": LINE_TOTAL,
            "max_failures": 2}, 2, 5, True),
    _orders("expression-max_failures-over", {"type": "expression", "expr": LINE_TOTAL,
            "max_failures": 1}, 2, 5, False),
    _orders("expression-mostly", {"type": "expression", "expr": LINE_TOTAL, "mostly": 0.6},
            2, 5, True),
    _empty("expression-empty-frame", {"type": "expression", "expr": LINE_TOTAL}, 0, 0, True),
    _missing("expression-null-dtype", {"type": "expression", "expr": "nothing > 1"}, 0, 0, True),
    _missing("expression-null-dtype-is-null", {"type": "expression", "expr": "nothing IS NULL"},
             0, 4, True),
    _missing("expression-null-dtype-or", {"type": "expression",
             "expr": "id > 1 OR nothing > 0"}, 0, 3, True),
    # Column names in SQL are names: quoted ones literally, bare ones case-sensitive.
    _names("expression-name-regex-like", {"type": "expression", "expr": '"^a$" > 1'},
           1, 3, False),
    _names("expression-name-wildcard", {"type": "expression", "expr": '"*" >= 2'}, 1, 3, False),
    _names("expression-name-keyword", {"type": "expression", "expr": "\"select\" = 'x'"},
           1, 3, False),
    _names("expression-name-like-a-function",
           {"type": "expression", "expr": "upper(\"upper\") = 'X'"}, 2, 4, False),
    _names("expression-name-quotes-inside-quotes",
           {"type": "expression", "expr": '"quo""te\'" > 2'}, 2, 4, False),
    _names("expression-name-case", {"type": "expression", "expr": "Price > price"},
           2, 3, False),
    _names("expression-name-dot", {"type": "expression", "expr": '"a.b" >= 1'}, 1, 4, False),
    _names("expression-literal-is-not-a-column", {"type": "expression", "expr": "s = 'a'"},
           1, 3, False),
    # where: only rows where it is true are in scope; null is out of scope.
    _people("where-not_null", {"column": "age", "type": "not_null",
            "where": "status = 'active'"}, 1, 2, False),
    _people("where-not_null-null-out-of-scope", {"column": "id", "type": "not_null",
            "where": "flag"}, 1, 3, False),
    _people("where-unique-duplicates-in-scope-only", {"column": "id", "type": "unique",
            "where": "status = 'active'"}, 0, 2, True),
    _people("where-unique-nulls-skipped", {"column": "id", "type": "unique",
            "where": "score > 1"}, 2, 4, False),
    _people("where-unique-categorical", {"column": "code", "type": "unique",
            "where": "score <= 4"}, 2, 4, False),
    _people("where-regex", {"column": "email", "type": "regex", "pattern": "@",
            "where": "status = 'active'"}, 1, 2, False),
    _people("where-in_range", {"column": "age", "type": "in_range", "min": 0, "max": 150,
            "where": "score >= 2"}, 2, 3, False),
    _people("where-in_set", {"column": "status", "type": "in_set", "values": ["active"],
            "where": "flag"}, 1, 2, False),
    _people("where-not_in_set-categorical", {"column": "code", "type": "not_in_set",
            "values": ["A"], "where": "id >= 2"}, 1, 4, False),
    _people("where-str_length-nan-is-greater", {"column": "email", "type": "str_length",
            "max": 3, "where": "age > 0"}, 3, 4, False),
    _people("where-categorical-column", {"column": "score", "type": "in_range", "max": 2,
            "where": "code = 'A'"}, 1, 2, False),
    _people("where-nothing-in-scope", {"column": "id", "type": "not_null",
            "where": "status = 'none'"}, 0, 0, True),
    _people("where-and-or", {"column": "score", "type": "in_range", "max": 3,
            "where": "(status = 'active' OR status = 'Active') AND id IS NOT NULL"}, 1, 3, False),
    _people("where-with-mostly", {"column": "email", "type": "regex", "pattern": "@",
            "where": "id < 5", "mostly": 0.3}, 2, 3, True),
    _odd("where-name-regex-like", {"column": "*", "type": "not_null", "where": "\"^a$\" = 'b'"},
         2, 2, False),
    _odd("where-name-quotes", {"column": "dot.ted", "type": "in_set", "values": [5],
         "where": "\"quo\"\"te'\" = 'q'"}, 1, 2, False),
    _odd("where-name-parens", {"column": "A", "type": "in_range", "max": 2,
         "where": '"col(x)" = 1'}, 1, 2, False),
    _odd("where-name-nul", {"column": "with space", "type": "str_length", "max": 1,
         "where": '"nul\0name"'}, 1, 2, False),
    _odd("where-name-case", {"column": "a", "type": "unique", "where": "A >= 2"}, 2, 2, False),
    _names("where-name-regex-like-in_range", {"column": "a", "type": "in_range", "max": 0,
           "where": '"^a$" >= 2'}, 0, 2, True),
    _names("where-name-wildcard-unique", {"column": "s", "type": "unique",
           "where": '"*" IS NOT NULL'}, 0, 2, True),
    _names("where-name-quotes-unique", {"column": "select", "type": "unique",
           "where": '"quo""te\'" <= 3'}, 2, 3, False),
    _missing("where-null-dtype", {"column": "id", "type": "in_range", "max": 2,
             "where": "nothing IS NULL"}, 2, 4, False),
    Case("where-empty-frame", {"column": "id", "type": "unique", "where": "score > 1"},
         0, 0, True, empty_people),
    # where on the other slices' row-level types (the scope first, then the rule's own logic).
    _orders("where-not_regex", {"column": "note", "type": "not_regex", "pattern": "i",
            "where": "status = 'paid'"}, 1, 3, False),
    _orders("where-compare", {"column": "total", "type": "compare", "op": ">=",
            "other": "price", "where": "status <> 'void'"}, 1, 3, False),
    _orders("where-unique-compound-duplicates-in-scope-only", {"type": "unique",
            "columns": ["status", "flag"], "where": "order_id <= 5"}, 2, 3, False),
    _orders("where-monotonic-previous-in-scope-value", {"column": "total", "type": "monotonic",
            "where": "quantity > 0"}, 2, 4, False),
    _orders("where-monotonic-max_failures", {"column": "total", "type": "monotonic",
            "where": "quantity > 0", "max_failures": 2}, 2, 4, True),
    # max_failures: passes when failed <= max_failures (and mostly holds, when given).
    _people("max_failures-within", {"column": "id", "type": "not_null", "max_failures": 1},
            1, 6, True),
    _people("max_failures-zero", {"column": "id", "type": "not_null", "max_failures": 0},
            1, 6, False),
    _people("max_failures-over", {"column": "id", "type": "unique", "max_failures": 1},
            2, 5, False),
    _people("max_failures-over-mostly-met", {"column": "email", "type": "regex", "pattern": "@",
            "mostly": 0.6, "max_failures": 1}, 2, 5, False),
    _people("max_failures-within-mostly-met", {"column": "email", "type": "regex",
            "pattern": "@", "mostly": 0.6, "max_failures": 2}, 2, 5, True),
    _people("max_failures-within-mostly-missed", {"column": "email", "type": "regex",
            "pattern": "@", "mostly": 0.9, "max_failures": 5}, 2, 5, False),
    _people("max_failures-with-where", {"column": "age", "type": "in_range", "min": 0,
            "max": 150, "where": "score >= 2", "max_failures": 2}, 2, 3, True),
    _people("max_failures-in_set", {"column": "status", "type": "in_set",
            "values": ["active", "inactive"], "max_failures": 2}, 2, 5, True),
    _people("max_failures-str_length", {"column": "email", "type": "str_length", "min": 1,
            "max": 6, "max_failures": 3}, 3, 5, True),
)  # fmt: skip


_not_evaluated = not_evaluated_on(orders)


SQL_NOT_EVALUATED: tuple[NotEvaluatedCase, ...] = (
    _not_evaluated("expression-missing-column", {"type": "expression", "expr": "nope > 1"},
                     "'nope' not found"),
    _not_evaluated("expression-not-boolean", {"type": "expression",
                     "expr": "price * quantity"}, "not boolean"),
    _not_evaluated("expression-type-mismatch", {"type": "expression", "expr": "status > 1"},
                     "cannot be evaluated on this data"),
    _not_evaluated("expression-pattern-is-no-pattern", {"type": "expression",
                     "expr": '"^pri.*$" > 1'}, "'^pri.*$' not found"),
    _not_evaluated("expression-name-case", {"type": "expression", "expr": "PRICE > 1"},
                     "'PRICE' not found"),
    _not_evaluated("expression-where-missing-column", {"type": "expression",
                     "expr": LINE_TOTAL, "where": "region = 'eu'"}, "'region' not found"),
    _not_evaluated("where-missing-column", {"column": "price", "type": "not_null",
                     "where": "nope = 1"}, "'nope' not found"),
    _not_evaluated("where-not-boolean", {"column": "price", "type": "in_range", "min": 0,
                     "where": "quantity + 1"}, "not boolean"),
    _not_evaluated("where-type-mismatch", {"column": "order_id", "type": "unique",
                     "where": "note > 1"}, "cannot be evaluated on this data"),
    _not_evaluated("where-name-wildcard", {"column": "price", "type": "not_null",
                     "where": '"*" > 1'}, "'*' not found"),
)  # fmt: skip
