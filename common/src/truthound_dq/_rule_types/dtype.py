"""``dtype``: the column's dtype is an exact Polars dtype or in a dtype family."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import polars as pl

from truthound_dq._dtypes import DTypeFamily, dtype_matches, exact_dtype_names, normalize_dtype_spec
from truthound_dq._rule import Fail, Rule, RuleKind, RuleType, shown_dtype

if TYPE_CHECKING:
    from truthound_dq.sdk._view import ViewColumn

__all__ = ["DType"]


@dataclass(frozen=True, slots=True, kw_only=True)
class DType(Rule):
    """The column's dtype is ``dtype`` (an exact Polars dtype name or a lowercase family)."""

    type: ClassVar[str] = RuleType.DTYPE
    kind: ClassVar[RuleKind] = RuleKind.TABLE
    _params: ClassVar[tuple[str, ...]] = ("dtype",)
    summary: ClassVar[str] = "the column's dtype does not match (one check per rule)"
    dtype: str

    @classmethod
    def parse_parameters(cls, raw: Mapping[str, Any], fail: Fail) -> dict[str, Any]:
        """An exact Polars name (case-sensitive) or a family (lowercase)."""
        value = raw.get("dtype")
        spec = normalize_dtype_spec(value) if isinstance(value, str) else None
        if spec is None:
            families = ", ".join(f.value for f in DTypeFamily)
            hint = ""
            if isinstance(value, str):
                choices = {n.lower(): n for n in exact_dtype_names()}
                choices.update({f.value: f.value for f in DTypeFamily})
                if value.strip().lower() in choices:
                    hint = f" (did you mean {choices[value.strip().lower()]!r}?)"
                elif close := difflib.get_close_matches(value, list(choices.values()), n=1):
                    hint = f" (did you mean {close[0]!r}?)"
            fail(
                f"'dtype' must be a Polars dtype name (exact and case-sensitive: Int64, String, "
                f"...) or a family ({families}; lowercase); got {value!r}{hint}"
            )
            return {"dtype": ""}
        return {"dtype": spec}

    def check(self, column: ViewColumn | None, row_count: int) -> bool:
        """The stored dtype matches."""
        return (
            column is not None
            and column.source_dtype is not None
            and dtype_matches(column.source_dtype, self.dtype)
        )

    def describe_check(self, passed: bool, dtype: pl.DataType | None, row_count: int) -> str:
        """For messages."""
        verdict = "matches" if passed else "does not match"
        return f"column {self.column!r} is {shown_dtype(dtype)}, which {verdict} {self.dtype!r}"
