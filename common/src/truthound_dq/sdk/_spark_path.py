"""The Spark branch of ``EngineBase.check``: a Spark DataFrame is checked on the cluster.

The base builds a :class:`~truthound_dq.spark.SparkView`, refuses (before any job) what Spark
cannot mean the same way, hands the adapter the rules its ``spark_translations`` accept
(``_evaluate_native_spark``), evaluates the rest with the canonical Spark implementation in one
aggregation (labelled ``SHARED_EVALUATOR``, as borrowed rules are on Polars), and turns counts
into results through the same ``_assemble`` as the Polars path.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import polars as pl

from truthound_dq._engine import RuleCounts
from truthound_dq._polars import counts_every_row
from truthound_dq._rule import CheckContext, Rule
from truthound_dq.sdk._faults import guard_engine_call
from truthound_dq.sdk._outcome import NativeCounts
from truthound_dq.sdk._shared import SharedAnswer, SharedRequest, is_single_check, observes

if TYPE_CHECKING:
    from truthound_dq.sdk._base import EngineBase
    from truthound_dq.spark._view import SparkView

__all__ = ["spark_source_schema", "spark_refusals", "spark_counts"]


def spark_source_schema(data: Any) -> pl.Schema:
    """The Polars schema equivalent of a Spark DataFrame's schema."""
    from truthound_dq.spark._schema import polars_schema

    return polars_schema(data.schema)


def _always_refused(rule: Rule) -> str | None:
    """What no engine may answer on Spark: row order, Polars SQL text, untranslatable regex."""
    from truthound_dq._rule_types import Expression, Monotonic, NotRegex, Regex
    from truthound_dq.spark._registry import spark_refusal
    from truthound_dq.spark._rules import regex_problem

    if rule.where is not None:
        return (
            "'where' is Polars SQL text, which Spark SQL reads differently; "
            "filter the Spark DataFrame first (df.filter(...)) and check that"
        )
    if isinstance(rule, Monotonic | Expression):
        return spark_refusal(rule)
    if isinstance(rule, Regex | NotRegex):
        return regex_problem(rule.pattern)
    return None


def spark_refusals(engine_name: str, rules: Sequence[Rule]) -> None:
    """Raise ``SparkUnsupportedError`` for the first rule no engine may evaluate on Spark."""
    from truthound_dq.spark._registry import SparkUnsupportedError

    for rule in rules:
        if (why := _always_refused(rule)) is not None:
            raise SparkUnsupportedError(rule.name, why, engine=engine_name)


def spark_counts(  # noqa: PLR0917 - private, called once
    engine: EngineBase,
    data: Any,
    schema: pl.Schema,
    rules: Sequence[Rule],
    sample_size: int,
    options: Mapping[str, Any],
    now: dt.datetime,
) -> tuple[int, list[RuleCounts], list[str]]:
    """Native rules through the adapter's Spark translations, the rest canonically on Spark."""
    from truthound_dq.spark._registry import SparkUnsupportedError, spark_refusal
    from truthound_dq.spark._view import build_spark_view

    if engine._uses_legacy_evaluate():
        raise TypeError(f"{engine.engine_name} (a 0.x adapter) does not take Spark input")
    view, safe = build_spark_view(data, schema, rules)
    native_at = engine._select_native(view, safe, chooser=engine.is_native_spark)
    chosen = set(native_at)
    for i, rule in enumerate(safe):
        if i not in chosen and (why := spark_refusal(rule)) is not None:
            raise SparkUnsupportedError(rules[i].name, why, engine=engine.engine_name)
    first: list[SharedRequest] = []
    for i, rule in enumerate(safe):
        if is_single_check(rule):
            if i not in chosen and observes(rule):
                first.append(SharedRequest(i, rule, False, False, False, observe=True))
            continue
        if counts_every_row(rule) and i in chosen:
            continue
        if i not in chosen:
            first.append(SharedRequest(i, rule, failed=True, total=True, samples=True))
        elif not engine.native_totals:
            first.append(SharedRequest(i, rule, failed=False, total=True, samples=False))
    native: dict[int, NativeCounts] = {}
    if native_at:
        native = engine._run_native(
            view, safe, native_at, sample_size, options,
            evaluate=engine._evaluate_native_spark, where=" on Spark",
        )  # fmt: skip
    row_count, shared = _canonical(engine, view, first, sample_size)
    gaps: list[SharedRequest] = []
    for i, got in native.items():
        rule = safe[i]
        if is_single_check(rule):
            continue
        need_total = got.total_count is None and i not in shared and not counts_every_row(rule)
        need_samples = (
            got.sample_values is None and got.failed_count > 0 and sample_size > 0 and rule.sampled
        )
        if need_total or need_samples:
            gaps.append(SharedRequest(i, rule, False, need_total, need_samples))
    if gaps:
        for i, extra in _canonical(engine, view, gaps, sample_size)[1].items():
            known = shared.get(i)
            shared[i] = extra if known is None else dataclasses.replace(extra, total=known.total)
    context = CheckContext(row_count=row_count, now=now, schema=view.source_schema, view=view)
    return engine._assemble(view, safe, rules, native, shared, context)


def _canonical(
    engine: EngineBase, view: SparkView, requests: Sequence[SharedRequest], sample_size: int
) -> tuple[int, dict[int, SharedAnswer]]:
    from truthound_dq.spark._pass import spark_pass

    return guard_engine_call(
        engine.engine_name,
        "check (canonical Spark implementation)",
        spark_pass,
        view,
        requests,
        sample_size=sample_size,
    )
