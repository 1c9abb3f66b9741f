"""Running Truthound: ``th.check`` in a private, non-persisting context, issues back by part."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import polars as pl

from truthound_dq_truthound._imports import truthound
from truthound_dq_truthound._plan import IssueKey

__all__ = ["truthound_context", "run_check", "count_issues"]


@contextlib.contextmanager
def truthound_context(workdir: str | Path | None = None) -> Iterator[Any]:
    """A Truthound context that persists nothing, in a temporary folder removed afterwards.

    ``th.check`` without a context discovers (and writes) a ``.truthound/`` workspace in the
    working directory, and records runs and HTML docs there. Even with persistence off its
    context writes a catalog and a metric history, so it gets a folder of its own.

    Args:
        workdir: Where to make the temporary folder (default: the system's temp dir).
    """
    context_module = truthound().context
    config = context_module.TruthoundContextConfig(
        persist_runs=False,
        persist_docs=False,
        auto_create_baseline=False,
        auto_create_workspace=False,
    )
    with tempfile.TemporaryDirectory(prefix="truthound-dq-", dir=workdir) as folder:
        yield context_module.TruthoundContext(root_dir=Path(folder), config=config)


def run_check(view: pl.DataFrame, validators: Sequence[Any], context: Any) -> Any:
    """``th.check`` over ``view`` with exactly ``validators``; returns the run result.

    ``boolean_only`` keeps Truthound from collecting its own samples and value counts (one
    more pass per failing rule; the adapter takes its samples itself). With
    ``catch_exceptions=False`` a validator that raises aborts the run instead of becoming a
    ``validator_error`` issue.
    """
    return truthound().check(
        view,
        context=context,
        validators=list(validators),
        result_format="boolean_only",
        catch_exceptions=False,
    )


def count_issues(result: Any, keys: Iterable[IssueKey]) -> dict[IssueKey, int]:
    """Issue counts by ``(validator name, issue column, issue type)``, from the flat list.

    Raises:
        RuntimeError: Truthound reported a failed execution, or an issue no check expects
            (such as a ``validator_error``): never read as a passed rule.
    """
    if result.execution_issues:
        problems = "; ".join(f"{e.check_name}: {e.message}" for e in result.execution_issues)
        raise RuntimeError(f"Truthound could not run every validator: {problems}")
    counts = dict.fromkeys(keys, 0)
    for issue in result.issues:
        key = (issue.validator_name, issue.column, issue.issue_type)
        if key not in counts:
            raise RuntimeError(
                f"unexpected Truthound issue {issue.issue_type!r} on {issue.column!r} "
                f"from {issue.validator_name!r}: {issue.details or issue.count}"
            )
        counts[key] += int(issue.count)
    return counts
