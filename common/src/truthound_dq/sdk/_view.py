"""The safe view an adapter receives: the columns the rules read, under synthetic names.

Dtypes are normalized once (Categorical and Enum are read as String by value rules).

A user's column may be called ``^a$`` (a regex to Polars and Pandera), ``*`` (a wildcard),
``A`` next to ``a`` (one column to Great Expectations), or hold dots, quotes, NUL or 300
characters. The view renames every column the rules read to ``c0``, ``c1``, ... (selected by
position, so the original name is never parsed), and rewrites each rule's ``column`` to match.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from truthound_dq._cancel import collect_frame
from truthound_dq._data import Frame
from truthound_dq._rule import Rule, RuleKind

__all__ = ["DataView", "ViewColumn", "build_view", "safe_names", "view_dtype"]


@dataclass(frozen=True, slots=True)
class ViewColumn:
    """One column of the view.

    Attributes:
        name: The safe name in ``DataView.frame`` (``c0``, ``c1``, ...; ``r0``... for a raw copy
            kept for schema rules; ``m0``... for a column the data does not have).
        source: The user's column name.
        dtype: The dtype in the view (Categorical and Enum are read as String).
        source_dtype: The dtype in the user's data (None if the data lacks the column).
    """

    name: str
    source: str
    dtype: pl.DataType | None
    source_dtype: pl.DataType | None

    @property
    def exists(self) -> bool:
        """Whether the data has this column."""
        return self.source_dtype is not None


def view_dtype(dtype: pl.DataType) -> pl.DataType:
    """The dtype a value rule reads: Categorical and Enum values are compared as strings."""
    return pl.String() if dtype.base_type() in (pl.Categorical, pl.Enum) else dtype


class DataView:
    """The data as an adapter sees it; built by the base for each check.

    Attributes:
        frame: A Polars DataFrame (or LazyFrame, for an adapter whose capabilities say
            ``lazy_input``) holding only the columns the rules read, under safe names.
        source_schema: The user's whole schema, original names (for messages and ``dtype``).
        columns: Every column a rule refers to, by safe name (including absent ones).
    """

    __slots__ = ("_collected", "_lock", "_rows", "_source", "columns", "frame", "source_schema")

    def __init__(
        self,
        frame: Frame,
        source_schema: pl.Schema,
        columns: Mapping[str, ViewColumn],
        *,
        source: Frame | None = None,
    ) -> None:
        self.frame = frame
        self.source_schema = source_schema
        self.columns = dict(columns)
        self._source = source if source is not None else frame
        self._rows: int | None = None
        self._collected: pl.DataFrame | None = frame if isinstance(frame, pl.DataFrame) else None
        self._lock = threading.Lock()
        if isinstance(self._source, pl.DataFrame):
            self._rows = self._source.height
        elif self._collected is not None and self._collected.width:
            self._rows = self._collected.height

    def __repr__(self) -> str:
        kind = "LazyFrame" if self.is_lazy else "DataFrame"
        return f"DataView({kind}, columns={list(self.columns)})"

    @property
    def is_lazy(self) -> bool:
        """Whether ``frame`` is a LazyFrame."""
        return isinstance(self.frame, pl.LazyFrame)

    @property
    def schema(self) -> pl.Schema:
        """The view's schema (safe names, view dtypes)."""
        return self.frame.collect_schema()

    def column(self, name: str) -> ViewColumn:
        """The view column of a safe name (``KeyError`` if no rule refers to it)."""
        return self.columns[name]

    def dtype(self, name: str) -> pl.DataType:
        """The view dtype of a safe name present in the data."""
        dtype = self.columns[name].dtype
        if dtype is None:
            raise KeyError(f"{name!r} ({self.columns[name].source!r}) is not in the data")
        return dtype

    def source_name(self, name: str) -> str:
        """The user's name of a safe column name."""
        return self.columns[name].source

    def collect(self) -> pl.DataFrame:
        """The view as a DataFrame, collected at most once per check (shared with the base)."""
        with self._lock:
            if self._collected is None:
                assert isinstance(self.frame, pl.LazyFrame)
                self._collected = collect_frame(self.frame)
                if self._collected.width:
                    self._rows = self._collected.height
            return self._collected

    def row_count(self) -> int:
        """Rows in the data (free for a DataFrame; one ``pl.len()`` query for a LazyFrame)."""
        with self._lock:
            if self._rows is None:
                if self._collected is not None and self._collected.width:
                    self._rows = self._collected.height
                else:
                    self._rows = int(collect_frame(self._source.lazy().select(pl.len())).item())
            return self._rows

    def _set_row_count(self, rows: int) -> None:
        with self._lock:
            self._rows = rows

    def data(self) -> Frame:
        """The collected DataFrame if there is one already, else ``frame`` (maybe lazy)."""
        return self._collected if self._collected is not None else self.frame


def build_view(
    frame: Frame, schema: pl.Schema, rules: Sequence[Rule], *, collect: bool
) -> tuple[DataView, list[Rule]]:
    """Project, rename and normalize the columns ``rules`` read; rewrite the rules to match.

    Args:
        frame: The user's data.
        schema: Its schema.
        rules: Parsed rules (original column names).
        collect: Collect a LazyFrame once here (for adapters that cannot take one lazily).

    Returns:
        The view and the rules with ``column`` replaced by safe names (names kept).
    """
    positions = {name: i for i, name in enumerate(schema.names())}
    columns: dict[str, ViewColumn] = {}
    by_key: dict[tuple[str, bool], str] = {}
    exprs: list[pl.Expr] = []
    safe_rules: list[Rule] = []

    def safe_name(source: str, raw: bool) -> str:
        source_dtype = schema.get(source)
        if source_dtype is None:
            key = (source, False)
            if key not in by_key:
                by_key[key] = f"m{len(by_key)}"
                columns[by_key[key]] = ViewColumn(by_key[key], source, None, None)
            return by_key[key]
        dtype = view_dtype(source_dtype)
        # A schema rule reads its column as stored; every other read is the normalized view.
        # They share one column unless normalization changed the dtype.
        key = (source, raw and dtype != source_dtype)
        if key not in by_key:
            name = f"{'r' if key[1] else 'c'}{len(by_key)}"
            by_key[key] = name
            shown = source_dtype if key[1] else dtype
            columns[name] = ViewColumn(name, source, shown, source_dtype)
            expr = pl.nth(positions[source])  # by position: the name is never parsed
            if shown != source_dtype:
                expr = expr.cast(shown)
            exprs.append(expr.alias(name))
        return by_key[key]

    for rule in rules:
        read = rule.columns_read()
        if not read and rule.column is None:
            safe_rules.append(rule)
            continue
        raw = rule.kind is RuleKind.TABLE and not rule.observes_data
        names = {c: safe_name(c, raw and c == rule.column) for c in read}
        if rule.column is not None and rule.column not in names:
            names[rule.column] = safe_name(rule.column, raw)
        safe_rules.append(rule.renamed(names))
    projected = frame.select(exprs) if exprs else frame.select([])
    if collect and isinstance(projected, pl.LazyFrame):
        projected = collect_frame(projected)
    return DataView(projected, schema, columns, source=frame), safe_rules


def safe_names(frame: Frame, names: Sequence[str]) -> tuple[Frame, dict[str, str]]:
    """Every column renamed ``c0``, ``c1``, ... by position (dtypes kept), and the way back.

    What ``profile`` and ``learn`` hand an adapter: the whole table, no name misreadable.
    """
    renamed = frame.select([pl.nth(i).alias(f"c{i}") for i in range(len(names))])
    return renamed, {f"c{i}": name for i, name in enumerate(names)}
