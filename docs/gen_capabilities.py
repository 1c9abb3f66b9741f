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
    row("LazyFrame input", ["kept lazy" if c.lazy_input else "collected" for c in caps.values()])
    for name, c in caps.items():
        if c.notes:
            lines += ["", f"**`{name}`**", ""]
            # Notes are plain text: keep "2**53" from turning into bold.
            lines += [
                f"- `{key}`: " + note.replace("*", "\\*") for key, note in sorted(c.notes.items())
            ]
    return "\n".join(lines)


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
