"""What of a result may leave the process: ``mask_columns`` and ``include_samples=False``.

Artifacts, events, logs, error messages, baseline documents and persisted results are seen
by everyone with access to the workspace or its storage, so values of masked columns - and,
with ``include_samples=False``, every value the data taught the check - are removed before
a result is shown or stored. Counts, rates, dtypes and rule names stay: the verdict is never
changed, only the values are withheld.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from truthound_dq import (
    RULE_CLASSES,
    Origin,
    ProfileOutput,
    QualityCheckOutput,
    RuleKind,
    RuleResult,
)

__all__ = ["VALUE_RULE_TYPES", "mask_profile", "mask_result", "mask_rule_result"]

VALUE_RULE_TYPES = frozenset(
    {"in_set", "not_in_set", "in_range", "str_length", "regex", "aggregate"}
)
"""Rule types whose messages quote values (sets, bounds, patterns, a statistic)."""


def _hidden_message(r: RuleResult, why: str) -> str:
    if not r.evaluated:
        return f"not evaluated ({why})"
    if r.total_count == 0:
        return f"no values to check ({why})"
    verdict = "pass" if r.failed_count == 0 else "fail"
    count = r.total_count - r.failed_count if r.failed_count == 0 else r.failed_count
    return (
        f"{count:,} of {r.total_count:,} values ({r.failure_rate:.2%} failing) {verdict} "
        f"{r.rule_type} ({why})"
    )


def mask_rule_result(
    r: RuleResult, mask_columns: frozenset[str], include_samples: bool = True
) -> RuleResult:
    """``r`` without the values it may not show (same counts and verdict)."""
    read = r.columns or ((r.column,) if r.column is not None else ())
    hidden = [c for c in read if c in mask_columns]
    masked = bool(hidden)
    learned = r.origin is Origin.BASELINE
    samples = r.sample_values if include_samples and not masked else ()
    message = r.message
    observed = r.observed_value
    if masked and r.evaluated:
        # A multi-column rule's samples and message show every column it reads; a table
        # rule's observed value (a mean, the newest value) is a value of its column.
        names = ", ".join(map(repr, hidden))
        what = f"values of masked column{'s' if len(hidden) > 1 else ''} {names} hidden"
        observed = None
        definition = RULE_CLASSES.get(r.rule_type)
        if definition is None or definition.kind is not RuleKind.TABLE:
            message = _hidden_message(r, what)
        elif definition.observes_data:
            message = f"{'passed' if r.passed else 'failed'} {r.rule_type} ({what})"
    elif learned and not include_samples and r.rule_type in VALUE_RULE_TYPES and r.evaluated:
        message = _hidden_message(r, "learned values hidden: include_samples=False")
        observed = None  # a learned aggregate's statistic is a value the data taught
    if samples == r.sample_values and message == r.message and observed == r.observed_value:
        return r
    return dataclasses.replace(r, sample_values=samples, message=message, observed_value=observed)


def mask_result(
    result: QualityCheckOutput, mask_columns: Iterable[str] = (), include_samples: bool = True
) -> QualityCheckOutput:
    """``result`` as it may be shown and stored: masked columns' values and samples removed."""
    masked = frozenset(mask_columns)
    if not masked and include_samples:
        return result
    rules = tuple(mask_rule_result(r, masked, include_samples) for r in result.rule_results)
    return dataclasses.replace(result, rule_results=rules)


def mask_profile(result: ProfileOutput, mask_columns: Iterable[str] = ()) -> ProfileOutput:
    """``result`` with masked columns' min, max and mean removed (counts and dtype kept)."""
    masked = frozenset(mask_columns)
    if not masked:
        return result
    columns = tuple(
        dataclasses.replace(c, min=None, max=None, mean=None) if c.column_name in masked else c
        for c in result.columns
    )
    return dataclasses.replace(result, columns=columns)
