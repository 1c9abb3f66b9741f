"""``to_java``: Rust patterns rewritten for Java's regex dialect, or refused with a reason.

Pure Python: the pinned rewrites and refusals here; the proof that each rewrite finds the same
strings on a real Spark is ``common/tests/spark/test_regex_spark.py``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from truthound_dq import RegexDialectError, TruthoundDQError
from truthound_dq._regex_dialect import to_java
from truthound_dq.testing import CASES, CUSTOM_CASES
from truthound_dq.testing.strategies import PATTERNS

ROOT = Path(__file__).resolve().parents[2]

REWRITES = {
    r"^\d+$": r"^\p{Nd}+\z",
    "a$": r"a\z",
    "^.$": r"^[^\n]\z",
    "(?s).": "(?s:.)",
    "(?m)^a$": r"(?:\A|(?<=\n))a(?:\z|(?=\n))",
    r"\s\S": r"\p{IsWhite_Space}\P{IsWhite_Space}",
    r"\w": r"[\p{IsAlphabetic}\p{M}\p{Nd}\p{Pc}\p{IsJoin_Control}]",
    r"[^\W_]": r"[^\x{5F}[^\p{IsAlphabetic}\p{M}\p{Nd}\p{Pc}\p{IsJoin_Control}]]",
    "(?i)ks": r"[kK\x{212A}][sS\x{17F}]",
    "(?i)[a-c]1": "[A-Ca-c]1",
    "(?i)[^k]": r"[^Kk\x{212A}]",
    "(?i:a)b": "(?:[aA])b",
    "(?U)a+b+?": "a+?b+",
    "a*+": "(?:a*)+",
    "a{2}{3}": "(?:a{2}){3}",
    "^*a": "(?:^)*a",
    r"\v\t\x41\u{E9}": r"\x{B}\x{9}A\x{E9}",
    r"\p{Uppercase_Letter}\pL\P{gc=Nd}": r"\p{Lu}\p{L}\P{Nd}",
    r"\p{Any}": r"[\x{0}-\x{10FFFF}]",
    "[[:alpha:][:^digit:]]": "[A-Za-z[^0-9]]",
    "(?P<year>a)|(?<m>b)|": "(?:a)|(?:b)|",
    "[]a-]": r"[\x{2D}\x{5D}a]",
    r"@example\.(com|org)$": r"\@example\.(?:com|org)\z",
    "a{1000}{0,100000}": "(?:a{1000}){0,100000}",
    "": "",
}

REFUSED = {
    r"\bword\b": "word boundary",
    r"\B": "word boundary",
    r"\<": "word boundary",
    r"\p{Greek}": "only general categories",
    r"\p{Alphabetic}": "only general categories",
    r"\p{sc=Latin}": "only general categories",
    r"\p{Cs}": "only general categories",
    "(?i)é": "case-insensitive 'é'",
    "(?i)[à-é]": "case-insensitive class member",
    r"(?i)\p{Lu}": "under (?i)",
    "(?i)[[:^alpha:]]": "under (?i)",
    "[a&&b]": "set operation '&&'",
    "[a--b]": "set operation '--'",
    "[a~~b]": "set operation '~~'",
    "[a[bc]]": "nested character classes",
    r"[\d-z]": "not a range",
    "(?x)a b": "verbose mode",
    "(?-u)a": "(?-u)",
    "(?R)^$": "CRLF mode",
    "(?=a)": "look-ahead",
    "(?<!a)b": "look-behind",
    "(?>a)": "atomic group",
    "(?P=n)": "back-reference",
    r"(a)\1": r"escape \1",
    r"\Qa\E": r"escape \Q",
    r"\h": r"escape \h",
    r"\Z": r"escape \Z",
    "a{,3}": "{0,3}",
    "a{x": "does not start a repetition",
    "a{3,2}": "minimum above its maximum",
    "a{2147483648}": "beyond what Java can count",
    r"\x4": "needs 2 hexadecimal digits",
    "*a": "nothing to repeat",
    "(a": "unclosed group",
    "a)": "unbalanced ')'",
    "[a": "unclosed character class",
    "\\": "end with a backslash",
    "\ud800": "lone surrogate",
    r"\x{110000}": "no Unicode scalar value",
    "(?)": "without flags",
    "(?q)": "unknown flag",
}


@pytest.mark.parametrize(("pattern", "java"), REWRITES.items(), ids=list(REWRITES))
def test_rewrites(pattern: str, java: str) -> None:
    assert to_java(pattern) == java


@pytest.mark.parametrize(("pattern", "reason"), REFUSED.items(), ids=list(REFUSED))
def test_refusals_name_the_construct(pattern: str, reason: str) -> None:
    with pytest.raises(RegexDialectError) as info:
        to_java(pattern)
    error = info.value
    assert reason in error.reason
    assert isinstance(error, TruthoundDQError) and isinstance(error, ValueError)
    assert error.pattern == pattern and 0 <= error.position <= len(pattern)
    assert repr(pattern) in str(error) and "Spark" in str(error)


def _project_patterns() -> set[str]:
    """Every pattern of the contract cases, the property test, docs/, examples/ and READMEs."""
    found = {
        str(case.rule["pattern"]) for case in (*CASES, *CUSTOM_CASES) if "pattern" in case.rule
    }
    found |= set(PATTERNS)
    python = re.compile(r"""["']pattern["']\s*:\s*(r?(?:"[^"\n]*"|'[^'\n]*'))""")
    yaml = re.compile(r"""\bpattern:\s*'((?:[^'\n]|'')*)'""")
    files = [*ROOT.glob("docs/*.md"), *ROOT.glob("examples/*"), ROOT / "README.md"]
    files += [*ROOT.glob("common/README.md"), *ROOT.glob("packages/*/README.md")]
    for path in files:
        if path.is_file() and path.suffix in (".md", ".py", ".yaml", ".yml"):
            text = path.read_text(encoding="utf-8")
            found |= {ast.literal_eval(literal) for literal in python.findall(text)}
            found |= {literal.replace("''", "'") for literal in yaml.findall(text)}
    return found


def test_the_projects_own_patterns_translate() -> None:
    patterns = _project_patterns()
    assert {"@", r"^[A-Z]{4}-\d{2}$", r"^[\w.-]+@[\w.-]+\.[a-zA-Z]{2,}$"} <= patterns
    for pattern in patterns:
        to_java(pattern)


_ATOMS = ["a", "é", "😀", ".", "^", "$", r"\d", r"\W", r"\s", r"\n", r"\x{2028}", r"\p{Lu}"]
_ATOMS += ["[a-c]", r"[^\w.-]", "[[:digit:]]", r"\.", r"\\", r"\{", "]"]


@st.composite
def _accepted(draw: st.DrawFn, depth: int = 0) -> str:
    """A pattern of the accepted grammar (no (?i): its acceptance depends on the characters)."""
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        if depth < 2 and draw(st.booleans()):
            branches = draw(st.lists(_accepted(depth + 1), min_size=1, max_size=3))
            atom = draw(st.sampled_from(["(", "(?:", "(?s:", "(?P<g>"])) + "|".join(branches) + ")"
        else:
            atom = draw(st.sampled_from(_ATOMS))
        parts.append(atom + draw(st.sampled_from(["", "*", "+?", "{2}", "{1,3}", "?", "{0,}"])))
    return draw(st.sampled_from(["", "(?m)", "(?s)", "(?U)", "(?ms)"])) + "".join(parts)


@settings(max_examples=60, deadline=None)
@given(_accepted())
def test_the_accepted_grammar_is_accepted(pattern: str) -> None:
    assert isinstance(to_java(pattern), str)


@settings(max_examples=100, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("a\\()[]{}|^$.*+?-:&~=!<>Pp{},0123xdwsbBiumU"), max_size=12)
)
def test_any_text_translates_or_is_refused_by_name(pattern: str) -> None:
    try:
        outcome = to_java(pattern) + " (accepted)"
    except RegexDialectError as error:
        outcome = error.reason
    assert outcome


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize(
    ("pattern", "values", "failed"),
    [
        # Rust syntax that Python's re rejects (\p) or reads as another set ([[:alpha:]]
        # is, to re, the set "[:alph" then "]", with a FutureWarning): accepted, Rust's meaning.
        (r"^\p{L}+$", ["abc", "Élan", "ab1", "日本"], 1),
        ("^[[:alpha:]]+$", ["abc", "ab1", "a]"], 2),
        (r"^\P{Nd}*$", ["x", "1", "٣"], 2),
    ],
)
def test_rust_only_syntax_is_accepted_and_means_what_rust_means(
    pattern: str, values: list[str], failed: int
) -> None:
    import polars as pl

    from truthound_dq import get_engine

    rules = [{"column": "s", "type": "regex", "pattern": pattern}]
    result = get_engine("oracle").check(pl.DataFrame({"s": values}), rules)
    assert result.rule_results[0].failed_count == failed


@pytest.mark.parametrize(
    ("pattern", "fragment"),
    [
        ("(?<=a)b", "which every engine runs, lacks (look-around"),
        (r"(a)\1", "which every engine runs, lacks (backreferences"),
        ("a{", "does not compile: unclosed counted repetition"),
        (r"\p{NotAProperty}", "does not compile: Unicode property not found"),
    ],
)
def test_patterns_outside_rusts_dialect_are_refused_with_the_reason(
    pattern: str, fragment: str
) -> None:
    from truthound_dq import RuleValidationError, parse_rules

    with pytest.raises(RuleValidationError, match=re.escape(fragment)):
        parse_rules([{"column": "s", "type": "regex", "pattern": pattern}])


@pytest.mark.filterwarnings("error")
def test_python_compiles_says_which_patterns_re_reads_as_written() -> None:
    # Every pattern re would warn on (a set that may change meaning) is declined without
    # compiling it (no warning is raised by it here, under filterwarnings=error), as is every
    # pattern re refuses; the rest compile.
    from truthound_dq.sdk import python_compiles

    warned = ["[[a]", "[!--]", "[a&&b]", "[a~~b]", "[a||b]"]  # re compiles them, warning
    declined = [*warned, "[[:alpha:]]", r"\p{L}", "[z-a]", "("]
    accepted = ["abc", "(a|b)", "[a-z]+@", "^$", r"\d{2,}", "[-a]", "a-b"]
    assert [python_compiles(p) for p in declined] == [False] * len(declined)
    assert [python_compiles(p) for p in accepted] == [True] * len(accepted)
    for pattern in warned:
        with pytest.warns(FutureWarning):
            re.compile(pattern + "x")  # (a new pattern each: re caches compiled ones)
