"""Generate docs/rules.md's table of rule types from the registry of rule definitions.

    python docs/gen_rule_table.py           # rewrite the table in docs/rules.md
    python docs/gen_rule_table.py --check   # fail if the committed table is stale

Only the built-in types are listed (plugins add their own documentation).
"""

import sys
from pathlib import Path

from _generated import main, splice  # docs/ is on sys.path when a script there runs

from truthound_dq import RULE_CLASSES, RuleType

PAGE = Path(__file__).with_name("rules.md")
START, END = "<!-- rule-types:start -->", "<!-- rule-types:end -->"


def _parameters(params: tuple[str, ...]) -> str:
    if not params:
        return "-"
    if params == ("min", "max"):
        return "`min` and/or `max`"
    if "min" in params and "max" in params:  # (then the others, e.g. strict_min, strict_max)
        names = ["`min` and/or `max`" if p == "min" else f"`{p}`" for p in params if p != "max"]
        return ", ".join(names)
    shown = [f"`{p}`" for p in params]
    if {"min", "max"} <= set(params) and params.index("max") == params.index("min") + 1:
        at = params.index("min")
        shown[at : at + 2] = ["`min` and/or `max`"]
    return ", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else shown[0]


def render() -> str:
    """The Markdown table between the markers, one row per built-in rule type."""
    lines = ["| type | parameters | fails a row (or the check) when |", "|---|---|---|"]
    builtin = {t.value for t in RuleType}
    for name, cls in RULE_CLASSES.items():
        if name in builtin:
            lines.append(f"| `{name}` | {_parameters(cls._params)} | {cls.summary} |")
    return "\n".join(lines)


def replace(page: str, table: str) -> str:
    """``page`` with the text between the markers replaced by ``table``."""
    return splice(page, START, END, table)


if __name__ == "__main__":
    sys.exit(
        main(
            PAGE,
            lambda page: replace(page, render()),
            description="rule-type table of docs/rules.md",
            script="docs/gen_rule_table.py",
        )
    )
