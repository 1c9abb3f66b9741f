"""``SparkView``: the safe view of a Spark DataFrame, with ``DataView``'s read API.

The columns the rules read are renamed ``c0``, ``c1``, ... by position: the whole frame is
first renamed with ``toDF`` (positional, so no name is ever parsed: ``a.b``, a backtick, ``*``
or ``^a$`` are just names, and ``A`` next to ``a`` are two columns whatever
``spark.sql.caseSensitive`` says), then the columns the rules read are selected under their
safe names. Predicates (``Translations.supports``) and adapters read it like a ``DataView``.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from truthound_dq._rule import Rule
from truthound_dq.sdk._view import DataView, ViewColumn

__all__ = ["SparkView", "build_spark_view", "positional_frame"]


class SparkView(DataView):
    """The data as an adapter sees it on Spark (built by the base for each check).

    Attributes:
        frame: The Spark DataFrame projected to the columns the rules read, under safe names.
        source_schema: The Polars schema equivalent of the user's whole Spark schema.
        columns: Every column a rule refers to, by safe name (including absent ones).
    """

    __slots__ = ("_view_schema",)
    frame: Any

    def __init__(
        self,
        frame: Any,
        source_schema: pl.Schema,
        columns: Mapping[str, ViewColumn],
        view_schema: pl.Schema,
    ) -> None:
        # (DataView's constructor reads Polars frames: this one sets the same slots itself.)
        self.frame = frame
        self.source_schema = source_schema
        self.columns = dict(columns)
        self._view_schema = view_schema
        self._source = frame
        self._rows = None
        self._collected = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"SparkView(columns={list(self.columns)})"

    @property
    def is_lazy(self) -> bool:
        """A Spark frame is a plan, like a LazyFrame (but is never collected)."""
        return True

    @property
    def schema(self) -> pl.Schema:
        """The view's Polars schema (safe names)."""
        return self._view_schema

    def collect(self) -> pl.DataFrame:
        """Not available: a Spark view stays on the cluster."""
        raise TypeError("a SparkView is evaluated on Spark; it is never collected")

    def row_count(self) -> int:
        """Rows in the data (from the check's aggregation when it ran; else one count job)."""
        with self._lock:
            if self._rows is None:
                self._rows = int(self.frame.count())
            return self._rows

    def data(self) -> Any:
        """The Spark DataFrame of the view."""
        return self.frame


def positional_frame(frame: Any) -> Any:
    """``frame`` with every column renamed ``__p0``, ``__p1``, ... by position (never parsed)."""
    return frame.toDF(*[f"__p{i}" for i in range(len(frame.columns))])


def build_spark_view(
    frame: Any, schema: pl.Schema, rules: Sequence[Rule]
) -> tuple[SparkView, list[Rule]]:
    """Project and rename the columns ``rules`` read; rewrite the rules to match.

    Args:
        frame: The user's Spark DataFrame.
        schema: Its Polars schema (``truthound_dq.spark.polars_schema``).
        rules: Parsed rules (original column names).
    """
    from pyspark.sql import functions as F

    positions = {name: i for i, name in enumerate(schema.names())}
    columns: dict[str, ViewColumn] = {}
    by_name: dict[str, str] = {}
    selected: list[Any] = []
    view_schema: dict[str, pl.DataType] = {}
    safe_rules: list[Rule] = []

    def safe_name(source: str) -> str:
        if source not in by_name:
            dtype = schema.get(source)
            prefix = "c" if dtype is not None else "m"
            name = by_name[source] = f"{prefix}{len(by_name)}"
            columns[name] = ViewColumn(name, source, dtype, dtype)
            if dtype is not None:
                selected.append(F.col(f"__p{positions[source]}").alias(name))
                view_schema[name] = dtype
        return by_name[source]

    for rule in rules:
        read = rule.columns_read()
        if not read and rule.column is None:
            safe_rules.append(rule)
            continue
        names = {c: safe_name(c) for c in read}
        if rule.column is not None and rule.column not in names:
            names[rule.column] = safe_name(rule.column)
        safe_rules.append(rule.renamed(names))
    projected = positional_frame(frame).select(*selected)
    view = SparkView(projected, schema, columns, pl.Schema(view_schema))
    return view, safe_rules
