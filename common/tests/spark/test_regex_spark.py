"""Rust patterns on Polars and their Java rewrites on Spark find the same strings.

One ``local[2]`` session, one DataFrame holding every hostile string, one column per pattern,
one ``collect``: the booleans must equal Polars' ``str.contains`` on every string.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import polars as pl
import pytest

from truthound_dq._regex_dialect import RegexDialectError, to_java

pytestmark = pytest.mark.spark

HOSTILE = [
    "", "\x00", "a", "A", "b", "ab", "aa", "aaa", "abc", "xyz", "\n", "a\n", "\na", "a\r\n", "\r",
    "a\r", "\r\na", "\u2028", "a\u2028", "a\u2028b", "\u0085", "a\u0085", "\u2029", "\x0b", "\x0c",
    "\x1c", "\t", " ", "  ", "\u00a0", "\u3000", "\u200b", "\ufeff", "\u200d", "\u200c", "\u0661٢٣",
    "\u0661", "٣a", "ǅ", "ǆ", "Ǆ", "ß", "ẞ", "SS", "ss", "İ", "\u0131", "i", "I", "K", "k", "\u212a", "\u017f",
    "s", "S", "B", "C", "XYZ", "e\u0301", "\u0301", "é", "É", "😀", "\U0001d400", "\U0001d400x", "a😀b", "\U0010ffff", "\ue000",
    "_", "-", ".", "@", "]", "}", "a]b", "a{2}", "\\", "^", "$", "①", "Ⅻ", "ⓐ", "Ⓐ", "日本",
    "a@b.co", "user.name+tag@example.com", "x@example.org", "x@example.org\n", "ünï@exämple.de",
    "ABCD-12", "abcd-12", "ABCD-\u0661٢", "ABCD-12\n", "2024-01-31", "2024-1-31", "+1 (555) 123-4567",
    "555-0100", "SKU-0042", "TEST-1", "test-1", "active", "Active", "box", "x\u2028", "k\u212a",
]  # fmt: skip

PATTERNS = [
    # the patterns of docs/, examples/, the contract cases and the property test
    "@", "^$", "x", "^a$", "^active$", r"^\w+@", "^[AB]$", "^e", "^TEST-", r"\d", r"\S", "1",
    "i", r"^[\w.-]+@[\w.-]+\.[a-zA-Z]{2,}$", r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$",
    r"^[A-Z]{4}-\d{2}$", r"@example\.(com|org)$", "^a", "b$", "^.{2}$", "é", "[A-Z]",
    r"^\w+$", r"\s", "a|Z",
    # typical pipeline patterns
    r"^\d{4}-\d{2}-\d{2}$", r"^\+?\d[\d\s()-]{6,}\d$", r"^[A-Z0-9]{3}-[0-9]{4}$",
    r"^SKU-\d+$", r"^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$", r"^\S+@\S+$", r"^\s*$",
    # dot, anchors, multi-line
    ".", "^.$", "^..$", "(?s)^.$", "(?s:.)", "^.*$", "(?s)^.*$", ".+", "$", "a$", r"\A\z",
    r"\Aa", r"a\z", "(?m)^$", "(?m)^a$", "(?m)a$", "(?m)^", "(?m)$", "(?m)^b", r"(?m)\Aa$",
    # Perl classes, Unicode
    r"\D", r"^\d+$", r"\W", r"[\w.-]", r"[^\w]", r"[\W]", r"[^\W_]", r"[^\d\s]", r"^\D+$",
    r"\w\W", r"^[\s\S]$",
    # case-insensitive, expanded here
    "(?i)k", "(?i)s", "(?i)^ss$", "(?i)i", "(?i)[a-z]", "(?i)[^k]", "(?i)[[:upper:]]",
    "(?i)abc|xyz", "(?i:k)x", "(?i)^active$", r"(?i)\d", r"(?i)^\w+$", "(?i)a(?-i)b",
    "(?i)^[^a-z]$", "(?i)日", "a(?i)b|c", "(?i)a|b", "x(?i:a|b)", "[:alpha:]",
    # general categories
    r"\p{L}", r"\pL", r"\p{Lu}", r"\p{Lt}", r"\p{Ll}", r"\P{L}", r"\p{Nd}", r"\p{N}", r"\p{M}",
    r"\p{Mn}", r"\p{Zs}", r"\p{Z}", r"\p{Cc}", r"\p{C}", r"\p{Cf}", r"\p{Co}", r"\p{So}", r"\P{So}",
    r"\p{Uppercase_Letter}", r"\p{gc=Nd}", r"\p{Any}", r"\p{ascii}", r"\P{ASCII}", r"\p{LC}",
    r"[\p{L}\d]", r"[^\p{L}]", r"^[\p{L}\p{M}]+$", r"\p{Assigned}",
    # ASCII classes
    "[[:alpha:]]", "[[:^alpha:]]", "[[:space:]]", "^[[:word:]]+$", "[[:punct:]]",
    "[[:^digit:][:alpha:]]",
    # code points, escapes
    r"\x{1F600}", r"[\x{1F600}-\x{1F64F}]", "😀", "^😀$", r"[^a]", r"^[^a]$", r"^[^\x{1F600}]$",
    r"\x00", r"\x{0}", r"\t", r"\v", r"\f", r"\n", r"\r", r"\r\n", r"\x41", r"\u00e9", r"\U0001F600",
    r"e\x{301}", r"[\u00e9]", "\u0661", r"\u2028", "[\u2028]", r"[\n]", r"[^\n]", r"\.", r"\\", r"\^",
    r"\$", r"\{", "]", "}", r"\-", r"\@", r"\ ", "[]a]", "[^]a]", "[a-]", "[-a]", r"[\-]",
    r"[\]]", r"[\[]", r"[\^]", "[&]", "[~]",
    # groups, alternation, repetition
    "a|", "|", "", "()", "(a|)b", "(?:a|b)c", "(?P<n>a)b", "(?<n>a)", "a*+", "a{2}{1}", "^*a",
    "a{0}", "a{1,}", "a{2,3}", "^a{2,3}$", "a+?", "(?U)a+", "(?U)^a+?$", "(a(?i)b)B", "a**",
]  # fmt: skip

# Read untranslated, Java finds other strings than Rust: the hostile strings must show it.
NAIVE_DIFFERS = [
    "a$",
    "^.$",
    r"\d",
    r"\w",
    r"\s",
    "(?i)k",
    "(?i)^s$",
    r"\v",
    "(?m)^$",
    "(?m)a$",
    "a*+a",
]


def _generated(count: int, seed: int) -> list[str]:
    """Small random patterns from the accepted grammar (a fixed seed: reproducible)."""
    rng = random.Random(seed)
    atoms = [
        "a", "b", "k", "s", "é", "😀", r"\n", r"\r", ".", r"\d", r"\w", r"\s", r"\W", r"\D", r"\S",
        "[a-c]", "[^a]", r"[\w-]", r"[^\s\d]", r"\p{L}", r"\p{Nd}", r"\P{L}", "[[:alpha:]]",
        r"\x{2028}", r"\x{85}", "٣",
    ]  # fmt: skip
    quantifiers = ["", "", "", "*", "+", "?", "{2}", "{1,2}", "*?", "{0,}"]

    def node(depth: int) -> str:
        roll = rng.random()
        if depth < 2 and roll < 0.2:
            return "(" + "|".join(seq(depth + 1) for _ in range(rng.randint(1, 3))) + ")"
        if roll < 0.3:
            return rng.choice(["^", "$"])
        return rng.choice(atoms) + rng.choice(quantifiers)

    def seq(depth: int) -> str:
        return "".join(node(depth) for _ in range(rng.randint(1, 4)))

    flags = ["", "", "", "(?m)", "(?s)", "(?i)", "(?ms)", "(?U)"]
    return [rng.choice(flags) + seq(0) for _ in range(count)]


@pytest.fixture(scope="session")
def regex_spark() -> Iterator[Any]:
    sql = pytest.importorskip("pyspark.sql")
    existing = sql.SparkSession.getActiveSession()
    session = existing or (
        sql.SparkSession.builder.master("local[2]")
        .appName("truthound-dq-regex")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    yield session
    if existing is None:
        session.stop()


def test_rust_and_java_find_the_same_strings(regex_spark: Any) -> None:
    spark = regex_spark
    from pyspark.sql import functions as F

    translated: dict[str, str] = {}
    for pattern in dict.fromkeys(PATTERNS + _generated(80, seed=15)):
        try:
            translated[pattern] = to_java(pattern)
        except RegexDialectError:
            assert pattern not in PATTERNS, pattern  # the corpus is accepted as a whole
    assert len(translated) > 220

    frame = spark.createDataFrame([(i, s) for i, s in enumerate(HOSTILE)], "i int, s string")
    columns = [F.col("s").rlike(java).alias(f"p{n}") for n, java in enumerate(translated.values())]
    columns += [F.col("s").rlike(raw).alias(f"raw{n}") for n, raw in enumerate(NAIVE_DIFFERS)]
    # Interpreted, not compiled: generating code for ~300 expressions costs more than it saves.
    previous = spark.conf.get("spark.sql.codegen.wholeStage")
    spark.conf.set("spark.sql.codegen.wholeStage", "false")
    try:
        rows = sorted(frame.select("i", *columns).collect(), key=lambda row: row["i"])
    finally:
        spark.conf.set("spark.sql.codegen.wholeStage", previous)
    strings = pl.Series("s", HOSTILE, dtype=pl.String)
    mismatches = []
    for n, (pattern, java) in enumerate(translated.items()):
        rust = strings.str.contains(pattern).to_list()
        on_spark = [row[f"p{n}"] for row in rows]
        mismatches += [
            (pattern, java, s, r, j)
            for s, r, j in zip(HOSTILE, rust, on_spark, strict=True)
            if r != j
        ]
    assert not mismatches, "\n".join(map(repr, mismatches[:40]))
    for n, raw in enumerate(NAIVE_DIFFERS):
        rust = strings.str.contains(raw).to_list()
        assert rust != [row[f"raw{n}"] for row in rows], f"{raw!r} reads the same untranslated"
