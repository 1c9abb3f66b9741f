"""Generate docs/rules.md's table of rule types from the registry of rule definitions.

    python docs/gen_rule_table.py           # rewrite the table in docs/rules.md
    python docs/gen_rule_table.py --check   # fail if the committed table is stale

Only the built-in types are listed (plugins add their own documentation).
"""

import argparse
import sys
from pathlib import Path

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
    return " and ".join(f"`{p}`" for p in params)
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
    head, rest = page.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{table}\n{END}{tail}"


def main() -> int:
    """Rewrite the table, or with ``--check`` compare it; 1 if it is stale."""
    parser = argparse.ArgumentParser(description="rule-type table of docs/rules.md")
    parser.add_argument("--check", action="store_true", help="fail if the table is stale")
    args = parser.parse_args()
    page = PAGE.read_text(encoding="utf-8")
    updated = replace(page, render())
    if args.check:
        if updated != page:
            print(f"{PAGE} is stale: run python docs/gen_rule_table.py", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
