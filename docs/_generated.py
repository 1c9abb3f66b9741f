"""What the docs generators share: a generated file (or part of one), rewritten or checked.

Each ``docs/gen_<name>.py`` rewrites its generated text, or with ``--check`` (the nox docs
session, and CI) exits 1 when the committed text is stale.
"""

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

__all__ = ["splice", "main"]


def splice(page: str, start: str, end: str, text: str) -> str:
    """``page`` with the text between the ``start`` and ``end`` markers replaced by ``text``."""
    head, rest = page.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{text}\n{end}{tail}"


def main(target: Path, update: Callable[[str], str], *, description: str, script: str) -> int:
    """Rewrite ``target`` as ``update(current text)``, or with ``--check`` compare; 1 if stale."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help="fail if the file is stale")
    args = parser.parse_args()
    current = target.read_text(encoding="utf-8") if target.exists() else ""
    updated = update(current)
    if args.check:
        if updated != current:
            print(f"{target} is stale: run python {script}", file=sys.stderr)
            return 1
        print(f"{target.name}: up to date ({description})")
        return 0
    target.write_text(updated, encoding="utf-8")
    return 0
