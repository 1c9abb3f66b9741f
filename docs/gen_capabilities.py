"""Generate the capability table of docs/engines.md from the engines' own ``capabilities``.

    python docs/gen_capabilities.py           # rewrite the table in docs/engines.md
    python docs/gen_capabilities.py --check   # fail if the committed table is stale

Needs every adapter installed (the nox ``docs`` session installs them all).
"""

import sys
from pathlib import Path

from _generated import main, splice  # docs/ is on sys.path when a script there runs

from truthound_dq import RULE_CLASSES, EngineCapabilities, RuleType, get_engine

PAGE = Path(__file__).with_name("engines.md")
START, END = "<!-- capabilities:start -->", "<!-- capabilities:end -->"
ENGINES = ("truthound", "great_expectations", "pandera")
# A shared rule's results say evaluated_by="truthound_dq" (the shared Polars implementation).
NATIVE, ADAPTER = "native", "shared"


def render() -> str:
    """The Markdown between the markers: one table, then each engine's notes."""
    caps = {name: get_engine(name).capabilities for name in ENGINES}
    header = "| | " + " | ".join(f"`{name}`" for name in ENGINES) + " |"
    lines = [header, "|---" * (len(ENGINES) + 1) + "|"]

    def row(label: str, cells: list[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    def how(rule: str, c: EngineCapabilities) -> str:
        if rule not in c.rule_types:
            return "-"
        return NATIVE if rule in c.native_rule_types else ADAPTER

    # The built-in types, from the registry of rule definitions.
    builtin = sorted(name for name in RULE_CLASSES if name in {t.value for t in RuleType})
    for rule in builtin:
        row(f"`{rule}`", [how(rule, c) for c in caps.values()])
    row("profile", [NATIVE if c.native_profile else ADAPTER for c in caps.values()])
    row("learn", [NATIVE if c.native_learn else ADAPTER for c in caps.values()])
    engines = {name: get_engine(name) for name in ENGINES}
    row(
        "LazyFrame input",
        [
            "in batches" if getattr(e, "batches_lazy_input", not e.capabilities.lazy_input)
            else "kept lazy"
            for e in engines.values()
        ],
    )  # fmt: skip
    lines += ["", "On a LazyFrame ([Lazy scans](lazy.md)):", "", header]
    lines.append("|---" * (len(ENGINES) + 1) + "|")
    for rule in builtin:
        row(f"`{rule}`", [lazy_how(rule, caps[name]) for name in ENGINES])
    for name, c in caps.items():
        if c.notes:
            lines += ["", f"**`{name}`**", ""]
            # Notes are plain text: keep "2**53" from turning into bold.
            lines += [
                f"- `{key}`: " + note.replace("*", "\\*") for key, note in sorted(c.notes.items())
            ]
    return "\n".join(lines)


def lazy_how(rule: str, c: EngineCapabilities) -> str:
    """How a rule type is evaluated on a LazyFrame, read from its definition.

    ``batches``: by the engine, batch by batch, merged; ``shared``: by the shared
    implementation, ``streamed`` (in the base's batches, or a streaming ``group_by`` for
    ``unique``) or ``exact`` (one in-memory query over the rule's columns).
    """
    from truthound_dq import Rule, RuleKind

    cls = RULE_CLASSES[rule]
    per_parameter = cls.batch_problem is not Rule.batch_problem
    merges = (
        cls.batch_mergeable
        and not per_parameter
        and (not cls.observes_data or cls.merge_observed is not Rule.merge_observed)
    )
    if cls.kind is RuleKind.TABLE and not cls.observes_data:
        shared = "shared (no data read)" if merges else "shared (the row count)"
    elif merges or cls.duplicate_key is not Rule.duplicate_key:
        shared = "shared, streamed"
    elif per_parameter:
        shared = "shared, streamed (min, max) or exact"
    else:
        shared = "shared, exact"
    if rule not in c.native_rule_types or not (merges or per_parameter):
        return shared
    return "batches (min, max), else shared, exact" if per_parameter else "batches"


def replace(page: str, table: str) -> str:
    """``page`` with the text between the markers replaced by ``table``."""
    return splice(page, START, END, table)


if __name__ == "__main__":
    sys.exit(
        main(
            PAGE,
            lambda page: replace(page, render()),
            description="capability table of docs/engines.md",
            script="docs/gen_capabilities.py",
        )
    )
