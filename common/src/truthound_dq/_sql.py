"""SQL text in rules (``where``, ``expression``): Polars' SQL dialect, column names as names.

``pl.sql_expr('"^a$" > 1')`` reads ``"^a$"`` as ``pl.col("^a$")``, a regex, and ``"*"`` as a
wildcard, whatever the frame's columns are called. So SQL text is never evaluated as written:
the columns it names are found first (quoted identifiers literally; bare ones as Polars' parser
reads them, which knows keywords and functions), and the text is rewritten to the view's safe
names (``c0``, ``c1``, ...) before Polars sees it against data.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

import polars as pl

__all__ = ["SQLTextError", "sql_columns", "sql_rename", "sql_expr"]

# A string literal ('it''s'), a quoted identifier ("a""b"), or a bare word.
_TOKEN = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_$]*""")
_PLACEHOLDER = "__tdq_q{}"


class SQLTextError(ValueError):
    """SQL text that does not parse as one Polars SQL expression."""


def _parse(text: str) -> pl.Expr:
    try:
        return pl.sql_expr(text)
    except Exception as exc:  # Polars raises SQLInterfaceError/SQLSyntaxError, or panics
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SQLTextError(f"{text!r} is not a valid SQL expression ({reason})") from exc


@functools.lru_cache(maxsize=4096)
def _analyse(text: str) -> tuple[tuple[str, ...], tuple[tuple[int, int, str, bool], ...]]:
    """The columns named (in first-use order) and the spans of the tokens that name them.

    Each span is ``(start, end, column, quoted)``.
    """
    if not isinstance(text, str) or not text.strip():
        raise SQLTextError("SQL text must be a non-empty string")
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    quoted = [t for t in tokens if t[2].startswith('"')]
    # Quoted identifiers become bare placeholders, so Polars' parser tells which bare words
    # are columns (not keywords or functions) without ever reading a name as a pattern.
    probe, offset = [], 0
    names: dict[str, str] = {}
    for i, (start, end, token) in enumerate(quoted):
        placeholder = _PLACEHOLDER.format(i)
        names[placeholder] = token[1:-1].replace('""', '"')
        probe += [text[offset:start], placeholder]
        offset = end
    probe.append(text[offset:])
    expr = _parse("".join(probe))
    roots = expr.meta.root_names()
    if len(expr.meta.root_names()) != len(set(roots)):
        roots = list(dict.fromkeys(roots))
    bare_columns = {r for r in roots if r not in names}
    spans: list[tuple[int, int, str, bool]] = []
    order: dict[str, None] = {}
    placeholder_index = 0
    for start, end, token in tokens:
        if token.startswith("'"):
            continue
        if token.startswith('"'):
            placeholder = _PLACEHOLDER.format(placeholder_index)
            placeholder_index += 1
            if placeholder in roots:
                spans.append((start, end, names[placeholder], True))
                order[names[placeholder]] = None
            continue
        follows = text[end:].lstrip()[:1]
        if token in bare_columns and follows != "(":
            spans.append((start, end, token, False))
            order[token] = None
    return tuple(order), tuple(spans)


def sql_expr(text: str) -> pl.Expr:
    """Parse ``text`` as one Polars SQL expression (its column names as written).

    Only evaluate the result where every column it names is a plain name (after
    :func:`sql_rename` to safe names).

    Raises:
        SQLTextError: It does not parse.
    """
    _analyse(text)
    return _parse(text)


def sql_columns(text: str) -> tuple[str, ...]:
    """The column names ``text`` reads, in first-use order (quoted names taken literally).

    Raises:
        SQLTextError: It does not parse.
    """
    return _analyse(text)[0]


def sql_rename(text: str, names: Mapping[str, str]) -> str:
    """``text`` with every column it names replaced by ``names[column]`` (quoted).

    Columns not in ``names`` are kept as written. The result is checked: parsed again, it must
    name exactly the mapped columns.

    Raises:
        SQLTextError: It does not parse, or the rewrite would change what it reads.
    """
    columns, spans = _analyse(text)
    out, offset = [], 0
    for start, end, column, _quoted in spans:
        target = names.get(column)
        if target is None:
            continue
        out += [text[offset:start], '"' + target.replace('"', '""') + '"']
        offset = end
    out.append(text[offset:])
    renamed = "".join(out)
    want = [names.get(c, c) for c in columns]
    got = list(_analyse(renamed)[0])
    if sorted(set(got)) != sorted(set(want)):
        raise SQLTextError(
            f"cannot map the columns of {text!r} to the data's columns unambiguously "
            f"(read {got}, expected {want}); quote column names with double quotes"
        )
    return renamed
