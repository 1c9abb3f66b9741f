"""The canonical Spark pass: every requested count in one aggregation, samples in one job.

The Spark counterpart of ``truthound_dq.sdk._shared.shared_pass``: the masks of the requested
rules become columns of one ``select`` over the view (window functions, for ``unique``, are
allowed there), the row count, failure counts, totals and observed values are one ``agg`` over
it (one Spark job), and the samples of the failing rules are one bounded job (a union of
``filter(mask).limit(sample_size)`` per rule). Only counts and samples reach the driver.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import polars as pl
from pyspark.sql import Column
from pyspark.sql import functions as F

from truthound_dq._polars import counts_every_row, counts_present_values
from truthound_dq._results import JSONScalar, json_scalar
from truthound_dq._rule import Rule, RuleKind
from truthound_dq.sdk._shared import SharedAnswer, SharedRequest, sample_value
from truthound_dq.spark import _rules
from truthound_dq.spark._registry import SparkColumns, spark_part
from truthound_dq.spark._view import SparkView

__all__ = ["spark_masks", "spark_pass", "spark_observation"]

assert _rules  # (imported for its registrations)


def spark_masks(rule: Rule, columns: SparkColumns) -> tuple[Column, Column]:
    """``(counted, failed)`` masks of a row-level rule on Spark (nulls read as False).

    The Spark counterpart of ``truthound_dq._polars.rule_masks`` (rules with ``where`` never
    get here: Spark refuses them).
    """
    if rule.kind is RuleKind.TABLE:
        raise TypeError(f"{rule.type} is not a row-level rule")
    counted_fn = spark_part(rule, "counted")
    if counted_fn is not None:
        counted = counted_fn(rule, columns)
    elif rule.kind is RuleKind.ROW:
        counted = F.lit(True)
    else:
        assert rule.column is not None
        counted = columns.present(rule.column)
    counted = F.coalesce(counted, F.lit(False))
    if (
        rule.kind is RuleKind.VALUE
        and rule.column is not None
        and columns.dtype(rule.column) == pl.Null
    ):
        return counted, F.lit(False)  # all missing: no value can fail
    failing = spark_part(rule, "failing")
    assert failing is not None, rule.type
    failed = counted & F.coalesce(failing(rule, columns, counted), F.lit(False))
    return counted, failed


def spark_observation(rule: Rule, columns: SparkColumns) -> tuple[Column, Callable[[Any], Any]]:
    """A table rule's observed value on Spark: one aggregate Column and its conversion."""
    observe = spark_part(rule, "observe")
    assert observe is not None, rule.type
    got = observe(rule, columns)
    if isinstance(got, tuple):
        return got[0], got[1]
    return got, _plain


def _plain(value: Any) -> Any:
    return value


def spark_pass(
    view: SparkView, requests: Sequence[SharedRequest], *, sample_size: int
) -> tuple[int, dict[int, SharedAnswer]]:
    """Run every request over the view on Spark; also returns the row count."""
    schema = view.schema
    columns = SparkColumns(schema)
    mask_columns: list[Column] = []
    aggs: list[Column] = [F.count(F.lit(1)).alias("__rows")]
    converts: dict[int, Callable[[Any], Any]] = {}
    totals: dict[str, str] = {}
    total_of: dict[int, str] = {}
    sampled: list[SharedRequest] = []
    for req in requests:
        rule = req.rule
        if req.observe:
            observed, convert = spark_observation(rule, columns)
            aggs.append(observed.alias(f"__o{req.key}"))
            converts[req.key] = convert
            continue
        wants_samples = req.samples and sample_size > 0 and rule.sampled
        if req.failed or wants_samples or (req.total and not counts_every_row(rule)):
            counted, failed = spark_masks(rule, columns)
            mask_columns.append(failed.alias(f"__m{req.key}"))
            mask_columns.append(counted.alias(f"__k{req.key}"))
        if req.failed:
            aggs.append(_count_true(f"__m{req.key}").alias(f"__f{req.key}"))
        if req.total and not counts_every_row(rule):
            if counts_present_values(rule):
                assert rule.column is not None
                if rule.column not in totals:
                    totals[rule.column] = f"__t{len(totals)}"
                    aggs.append(_count_true(f"__k{req.key}").alias(totals[rule.column]))
                total_of[req.key] = totals[rule.column]
            else:
                total_of[req.key] = f"__c{req.key}"
                aggs.append(_count_true(f"__k{req.key}").alias(f"__c{req.key}"))
        if wants_samples:
            sampled.append(req)
    masked = view.frame.select("*", *mask_columns)
    (row,) = masked.agg(*aggs).collect()
    values = row.asDict()
    rows = int(values["__rows"])
    view._set_row_count(rows)
    for key, convert in converts.items():
        values[f"__o{key}"] = convert(values[f"__o{key}"])
    failing = [r for r in sampled if not r.failed or values[f"__f{r.key}"]]
    samples = _samples(masked, failing, schema, sample_size) if failing else {}
    return rows, _answers(requests, values, rows, total_of, samples)


def _count_true(mask: str) -> Column:
    return F.count(F.when(F.col(mask), F.lit(1)))


def _samples(
    masked: Any, requests: Sequence[SharedRequest], schema: pl.Schema, sample_size: int
) -> dict[int, tuple[JSONScalar, ...]]:
    """The samples of the failing rules, from one bounded Spark job.

    Each row is repeated once per failing rule it fails (``explode`` of the rule keys), and
    ``row_number() <= sample_size`` per key keeps the first few: Spark limits each key within
    each partition before the shuffle (its window group limit), so no more than
    ``sample_size`` rows per rule and partition move. The sampled rows' columns come back
    typed (instants as UTC microseconds) and are shown with the same Polars ``sample_value``
    as on Polars, so ``"a, b"`` reads alike.
    """
    from pyspark.sql import Window

    shown = list(dict.fromkeys(c for r in requests for c in r.rule.sample_columns()))
    picks: list[Column] = []
    for name in shown:
        dtype = schema[name]
        aware = dtype.base_type() == pl.Datetime and getattr(dtype, "time_zone", None) is not None
        picks.append((F.unix_micros(F.col(name)) if aware else F.col(name)).alias(name))
    keys = F.array(*[F.when(F.col(f"__m{r.key}"), F.lit(r.key)) for r in requests])
    failing = F.exists(keys, lambda k: k.isNotNull())
    exploded = (
        masked.filter(failing)
        .select(F.monotonically_increasing_id().alias("__at"), keys.alias("__keys"), *picks)
        .select("__at", F.explode("__keys").alias("__key"), *shown)
        .filter(F.col("__key").isNotNull())
    )
    first = Window.partitionBy("__key").orderBy("__at")
    rows = (
        exploded.withColumn("__n", F.row_number().over(first))
        .filter(F.col("__n") <= sample_size)
        .select("__key", *shown)
        .collect()
    )
    frame = _to_polars(rows, shown, schema)
    out: dict[int, tuple[JSONScalar, ...]] = {}
    for req in requests:
        picked = frame.filter(pl.col("__key") == req.key)
        sample = picked.select(sample_value(req.rule, schema).alias("__v")).to_series()
        out[req.key] = tuple(json_scalar(v) for v in sample.to_list())
    return out


def _to_polars(rows: Sequence[Any], names: Sequence[str], schema: pl.Schema) -> pl.DataFrame:
    series = [pl.Series("__key", [r[0] for r in rows], dtype=pl.Int64)]
    for i, name in enumerate(names, start=1):
        dtype = schema[name]
        values = [r[i] for r in rows]
        base = dtype.base_type()
        if base == pl.Datetime and getattr(dtype, "time_zone", None) is not None:
            s = pl.Series(name, values, dtype=pl.Int64).cast(pl.Datetime("us"))
            series.append(s.dt.replace_time_zone("UTC"))
        elif base in (pl.List, pl.Struct, pl.Object):
            series.append(pl.Series(name, [_plain_nested(v) for v in values], strict=False))
        else:
            series.append(pl.Series(name, values, dtype=dtype))
    return pl.DataFrame(series)


def _plain_nested(value: Any) -> Any:
    # A struct comes back as a Row (a tuple); Polars reads it as a dict.
    return value.asDict(recursive=True) if hasattr(value, "asDict") else value


def _answers(
    requests: Sequence[SharedRequest],
    values: dict[str, Any],
    rows: int,
    total_of: dict[int, str],
    samples: dict[int, tuple[JSONScalar, ...]],
) -> dict[int, SharedAnswer]:
    answers: dict[int, SharedAnswer] = {}
    for req in requests:
        if req.observe:
            answers[req.key] = SharedAnswer(None, None, None, values[f"__o{req.key}"])
            continue
        failed = int(values[f"__f{req.key}"]) if req.failed else None
        total: int | None = None
        if req.total:
            total = rows if req.key not in total_of else int(values[total_of[req.key]])
        got: tuple[JSONScalar, ...] | None = None
        if req.samples:
            got = samples.get(req.key, ())
        answers[req.key] = SharedAnswer(failed, total, got)
    return answers
