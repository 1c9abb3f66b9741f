r"""Rust ``regex`` patterns rewritten as ``java.util.regex`` patterns of the same meaning.

Rules run their patterns with Polars' ``str.contains`` (the Rust ``regex`` crate, search
semantics). Spark's ``rlike`` runs ``java.util.regex`` with ``find()``: the same search
semantics, but a different dialect - ``.`` and ``$`` know more line terminators, ``\d``/``\w``/
``\s`` are ASCII, ``(?i)`` is ASCII, ``\v`` is a class, ``a*+`` is possessive. :func:`to_java`
parses the pattern with its own parser of an accepted subset of Rust's syntax (it never asks
Python's ``re`` what a pattern means) and emits Java that matches exactly the same strings, or
raises :class:`RegexDialectError` naming the construct it cannot make equal.

The one residual difference is the Unicode version of the character tables: Java 17 knows
Unicode 13, the Rust crate a newer one, so a character assigned after Unicode 13 can fall in
``\d``, ``\w``, ``\s`` or ``\p{..}`` on one side only. Case-insensitive matching is expanded
here into explicit alternatives, and refused for characters whose case Python does not know.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field, replace

from truthound_dq._errors import TruthoundDQError

__all__ = ["RegexDialectError", "python_compiles", "to_java"]


# Where Python's ``re`` warns that a set may change meaning (``FutureWarning``): a set that
# starts with "[" (``[[:alpha:]]``, a nested set in Rust), and the doubled "-", "&", "~", "|"
# of set operations. Looked for in the text, not by compiling: catching the warning would
# change the process's warning filters, which other threads share.
_PYTHON_SET_WARNINGS = ("[[", "--", "&&", "~~", "||")


@functools.cache
def python_compiles(pattern: str) -> bool:
    r"""Whether Python's ``re`` compiles ``pattern`` as written, with nothing it would warn on.

    Patterns are Rust's (``docs/rules.md``); an engine library that compiles them with ``re``
    before Polars runs them (Pandera's ``Check.str_contains``, Truthound's ReDoS guard) raises
    on Rust-only syntax such as ``\p{L}``, and warns on ``[[:alpha:]]``, which ``re`` reads as
    another set. Adapters evaluate such patterns with the shared implementation instead. The
    check is conservative: a pattern holding ``--`` or ``||`` outside a set is declined too.
    """
    if any(sign in pattern for sign in _PYTHON_SET_WARNINGS):
        return False
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


class RegexDialectError(TruthoundDQError, ValueError):
    """A pattern that Java's regex dialect (Spark) cannot run with the meaning Rust gives it.

    Attributes:
        pattern: The pattern as given.
        reason: The construct that cannot be made equal, and why.
        position: Offset of that construct in ``pattern``.
    """

    def __init__(self, pattern: str, reason: str, position: int) -> None:
        self.pattern = pattern
        self.reason = reason
        self.position = position
        super().__init__(
            f"pattern {pattern!r} cannot run on Spark with the same meaning: {reason} "
            f"(at offset {position})"
        )


# Rust's Unicode Perl classes (UTS #18 Annex C), spelled with Java's property names.
_WORD_ITEMS = r"\p{IsAlphabetic}\p{M}\p{Nd}\p{Pc}\p{IsJoin_Control}"
_PERL = {
    "d": (r"\p{Nd}", r"\P{Nd}"),
    "s": (r"\p{IsWhite_Space}", r"\P{IsWhite_Space}"),
    "w": (f"[{_WORD_ITEMS}]", f"[^{_WORD_ITEMS}]"),
}
# Inside a class, an item; Java 9+ reads a nested class as a union member.
_PERL_IN_CLASS = {
    "d": (r"\p{Nd}", r"\P{Nd}"),
    "s": (r"\p{IsWhite_Space}", r"\P{IsWhite_Space}"),
    "w": (_WORD_ITEMS, f"[^{_WORD_ITEMS}]"),
}
_SIMPLE_ESCAPES = {"n": 0x0A, "t": 0x09, "r": 0x0D, "f": 0x0C, "a": 0x07, "v": 0x0B}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
_POSIX: dict[str, tuple[tuple[int, int], ...]] = {
    "alnum": ((0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)),
    "alpha": ((0x41, 0x5A), (0x61, 0x7A)),
    "ascii": ((0x00, 0x7F),),
    "blank": ((0x09, 0x09), (0x20, 0x20)),
    "cntrl": ((0x00, 0x1F), (0x7F, 0x7F)),
    "digit": ((0x30, 0x39),),
    "graph": ((0x21, 0x7E),),
    "lower": ((0x61, 0x7A),),
    "print": ((0x20, 0x7E),),
    "punct": ((0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)),
    "space": ((0x09, 0x0D), (0x20, 0x20)),
    "upper": ((0x41, 0x5A),),
    "word": ((0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A), (0x5F, 0x5F)),
    "xdigit": ((0x30, 0x39), (0x41, 0x46), (0x61, 0x66)),
}
# General categories: Rust accepts the abbreviation or the long name (case, spaces, '_' and
# '-' ignored); Java only the abbreviation. Scripts and binary properties are not translated.
_CATEGORIES = {
    "C": "Other", "Cc": "Control", "Cf": "Format", "Cn": "Unassigned", "Co": "Private_Use",
    "L": "Letter", "LC": "Cased_Letter", "Ll": "Lowercase_Letter", "Lm": "Modifier_Letter",
    "Lo": "Other_Letter", "Lt": "Titlecase_Letter", "Lu": "Uppercase_Letter", "M": "Mark",
    "Mc": "Spacing_Mark", "Me": "Enclosing_Mark", "Mn": "Nonspacing_Mark", "N": "Number",
    "Nd": "Decimal_Number", "Nl": "Letter_Number", "No": "Other_Number", "P": "Punctuation",
    "Pc": "Connector_Punctuation", "Pd": "Dash_Punctuation", "Pe": "Close_Punctuation",
    "Pf": "Final_Punctuation", "Pi": "Initial_Punctuation", "Po": "Other_Punctuation",
    "Ps": "Open_Punctuation", "S": "Symbol", "Sc": "Currency_Symbol", "Sk": "Modifier_Symbol",
    "Sm": "Math_Symbol", "So": "Other_Symbol", "Z": "Separator", "Zl": "Line_Separator",
    "Zp": "Paragraph_Separator", "Zs": "Space_Separator",
}  # fmt: skip
_SPECIAL_PROPERTIES = {
    "any": (r"[\x{0}-\x{10FFFF}]", r"[^\x{0}-\x{10FFFF}]"),
    "ascii": (r"[\x{0}-\x{7F}]", r"[^\x{0}-\x{7F}]"),
    "assigned": (r"\P{Cn}", r"\p{Cn}"),
}
_ASSERTIONS = frozenset({"^", r"\A", r"\z"})
# Non-ASCII characters whose simple case folding reaches an ASCII letter (CaseFolding.txt).
_ASCII_FOLD_EXTRA = {ord("k"): (0x212A,), ord("s"): (0x017F,)}
_MAX_FOLDED_RANGE = 0x10000
_MAX_REPEAT = 2**31 - 1  # Java reads a repetition count as an int


def _normalize_name(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch not in " _-")


_CATEGORY_BY_NAME = {_normalize_name(short): short for short in _CATEGORIES} | {
    _normalize_name(long): short for short, long in _CATEGORIES.items()
}


def to_java(pattern: str) -> str:
    r"""A ``java.util.regex`` pattern that ``find()``s in exactly the strings Rust's does.

    Args:
        pattern: A pattern in the Rust ``regex`` crate's syntax, as ``regex``/``not_regex``
            rules carry it (search semantics).

    Returns:
        The Java pattern, for Spark's ``rlike`` and friends. Capturing groups come back
        non-capturing: only whether a match exists is kept.

    Raises:
        RegexDialectError: The pattern uses a construct outside the accepted subset, or one
            whose Java meaning cannot be made equal; the reason names it.

    Example:
        >>> to_java(r"^\d+$")
        '^\\p{Nd}+\\z'
    """
    return _Parser(pattern).parse()


@dataclass(frozen=True, slots=True)
class _Flags:
    case_insensitive: bool = False
    multi_line: bool = False
    dot_all: bool = False
    swap_greed: bool = False


@dataclass(slots=True)
class _Class:
    """A bracketed class under construction: code point ranges plus Java property items."""

    ranges: list[tuple[int, int]] = field(default_factory=list)
    items: list[str] = field(default_factory=list)


def _char(code: int) -> str:
    """One literal code point, safe anywhere in a Java pattern (in or out of a class)."""
    ch = chr(code)
    if ch.isascii() and ch.isalnum():
        return ch
    if ch.isascii() and 0x21 <= code <= 0x7E:
        return "\\" + ch  # Java reads a backslash before a non-letter as that literal
    return f"\\x{{{code:X}}}"


def _class_char(code: int) -> str:
    """One code point inside a Java class, where ``-``, ``&`` and ``[`` are operators."""
    ch = chr(code)
    return ch if ch.isascii() and ch.isalnum() else f"\\x{{{code:X}}}"


def _class_ranges(ranges: list[tuple[int, int]]) -> str:
    return "".join(
        _class_char(lo) if lo == hi else f"{_class_char(lo)}-{_class_char(hi)}" for lo, hi in ranges
    )


def _fold_orbit(code: int) -> tuple[int, ...] | None:
    """All code points Rust's ``(?i)`` equates with ``code``, or None when not known here."""
    ch = chr(code)
    if ch.isascii():
        if not ch.isalpha():
            return (code,)
        lower, upper = ord(ch.lower()), ord(ch.upper())
        return (lower, upper, *_ASCII_FOLD_EXTRA.get(lower, ()))
    category = unicodedata.category(ch)
    caseless = ch.lower() == ch and ch.upper() == ch and ch.casefold() == ch
    if category in ("Cn", "Cs") or not caseless:
        return None  # cased (or unknown to Python's tables): its folding set is not derived
    return (code,)


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.pos = 0

    def fail(self, reason: str, position: int | None = None) -> RegexDialectError:
        return RegexDialectError(self.pattern, reason, self.pos if position is None else position)

    def peek(self, offset: int = 0) -> str:
        index = self.pos + offset
        return self.pattern[index] if index < len(self.pattern) else ""

    def eat(self, text: str) -> bool:
        if self.pattern.startswith(text, self.pos):
            self.pos += len(text)
            return True
        return False

    def parse(self) -> str:
        for index, ch in enumerate(self.pattern):
            if 0xD800 <= ord(ch) <= 0xDFFF:
                raise self.fail("a lone surrogate is not a character Polars can encode", index)
        java = self.alternation(_Flags(), top=True)
        if self.pos < len(self.pattern):
            raise self.fail("unbalanced ')'")
        return java

    # -- structure -----------------------------------------------------------------------

    def alternation(self, flags: _Flags, *, top: bool) -> str:
        # A bare flag group changes the flags up to the end of the enclosing group, across
        # the later alternatives too (as in Rust); ``state`` carries them.
        state = [flags]
        branches = [self.sequence(state)]
        while self.eat("|"):
            branches.append(self.sequence(state))
        if not top and not self.eat(")"):
            raise self.fail("unclosed group '('")
        return "|".join(branches)

    def sequence(self, state: list[_Flags]) -> str:
        parts: list[str] = []
        while self.pos < len(self.pattern) and self.peek() not in "|)":
            atom = self.atom(state)
            if atom is None:  # a bare flag group: nothing to emit
                continue
            # Wrapping makes a repeated repetition (or assertion) mean what Rust means:
            # Java reads ``a*+`` as possessive and ``a{2}{3}`` as an error.
            wrap = atom in _ASSERTIONS
            while self.peek() in ("*", "+", "?", "{"):
                atom = self.repeat(f"(?:{atom})" if wrap else atom, state[0])
                wrap = True
            parts.append(atom)
        return "".join(parts)

    def repeat(self, atom: str, flags: _Flags) -> str:
        ch = self.peek()
        if ch == "{":
            op = self.counted()
        else:
            self.pos += 1
            op = ch
        lazy = self.eat("?")
        if flags.swap_greed:
            lazy = not lazy
        return f"{atom}{op}{'?' if lazy else ''}"

    def counted(self) -> str:
        start = self.pos
        end = self.pattern.find("}", start)
        body = self.pattern[start + 1 : end] if end != -1 else ""
        low, comma, high = body.partition(",")
        if end == -1 or not low.isdigit() or (high and not high.isdigit()):
            if end != -1 and not low and comma and high.isdigit():
                raise self.fail(
                    f"'{{,{high}}}' is not a repetition in Rust's regex (use {{0,{high}}})"
                )
            raise self.fail(
                "'{' that does not start a repetition {n}, {n,} or {n,m}; escape it as \\{"
            )
        if not low.isascii() or not high.isascii():
            raise self.fail("non-ASCII digits in a repetition")
        if max(int(low), int(high or 0)) > _MAX_REPEAT:
            raise self.fail(f"repetition {{{body}}} is beyond what Java can count")
        if high and int(high) < int(low):
            raise self.fail(f"repetition {{{body}}} has its minimum above its maximum")
        self.pos = end + 1
        return f"{{{int(low)}{',' if comma else ''}{int(high) if high else ''}}}"

    def atom(self, state: list[_Flags]) -> str | None:
        flags = state[0]
        start = self.pos
        ch = self.peek()
        if ch in ("*", "+", "?", "{"):
            raise self.fail(f"repetition '{ch}' with nothing to repeat")
        if ch == "(":
            return self.group(state)
        self.pos += 1
        if ch == "[":
            return self.bracket(flags, start)
        if ch == ".":
            return "(?s:.)" if flags.dot_all else r"[^\n]"
        if ch == "^":
            return r"(?:\A|(?<=\n))" if flags.multi_line else "^"
        if ch == "$":
            return r"(?:\z|(?=\n))" if flags.multi_line else r"\z"
        if ch == "\\":
            return self.escape(flags, start)
        return self.literal(ord(ch), flags, start)

    def group(self, state: list[_Flags]) -> str | None:
        start = self.pos
        self.pos += 1
        if not self.eat("?"):
            return f"(?:{self.alternation(state[0], top=False)})"
        if self.eat("P<") or (self.peek() == "<" and self.peek(1) not in "=!" and self.eat("<")):
            end = self.pattern.find(">", self.pos)
            if end in (-1, self.pos):
                raise self.fail("a named group without a name", start)
            self.pos = end + 1
            return f"(?:{self.alternation(state[0], top=False)})"
        for prefix, name in (
            ("=", "look-ahead (?=...)"),
            ("!", "negative look-ahead (?!...)"),
            ("<=", "look-behind (?<=...)"),
            ("<!", "negative look-behind (?<!...)"),
            (">", "atomic group (?>...)"),
            ("P=", "back-reference (?P=name)"),
            ("P>", "recursion (?P>name)"),
            ("#", "comment group (?#...)"),
            ("|", "branch reset (?|...)"),
        ):
            if self.pattern.startswith(prefix, self.pos):
                raise self.fail(f"{name} is not in Rust's regex syntax", start)
        if self.eat(":"):
            return f"(?:{self.alternation(state[0], top=False)})"
        flags = self.flag_group(state[0], start)
        if self.eat(")"):
            state[0] = flags
            return None
        if not self.eat(":"):
            raise self.fail("a flag group must end with ')' or ':'", start)
        return f"(?:{self.alternation(flags, top=False)})"

    def flag_group(self, flags: _Flags, start: int) -> _Flags:
        names = {"i": "case_insensitive", "m": "multi_line", "s": "dot_all", "U": "swap_greed"}
        on = True
        seen = False
        while (ch := self.peek()) not in (")", ":", ""):
            if ch == "-":
                if not on:
                    raise self.fail("two '-' in a flag group", start)
                on = False
            elif ch in names:
                flags = replace(flags, **{names[ch]: on})
                seen = True
            elif ch == "x":
                raise self.fail(
                    "verbose mode (?x) is not translated; write the pattern without it", start
                )
            elif ch == "u":
                if not on:
                    raise self.fail("(?-u) (ASCII-only classes) is not translated", start)
                seen = True
            elif ch == "R":
                raise self.fail("CRLF mode (?R) is not translated", start)
            else:
                raise self.fail(f"unknown flag {ch!r} in a flag group", start)
            self.pos += 1
        if not seen:
            raise self.fail("a flag group without flags", start)
        return flags

    # -- atoms ---------------------------------------------------------------------------

    def literal(self, code: int, flags: _Flags, start: int) -> str:
        if not flags.case_insensitive:
            return _char(code)
        orbit = _fold_orbit(code)
        if orbit is None:
            raise self.fail(
                f"case-insensitive {chr(code)!r}: (?i) is translated for ASCII and caseless "
                "characters only",
                start,
            )
        if len(orbit) == 1:
            return _char(code)
        return "[" + "".join(_class_char(member) for member in orbit) + "]"

    def escape(self, flags: _Flags, start: int) -> str:
        ch = self.peek()
        if ch == "":
            raise self.fail("a pattern cannot end with a backslash", start)
        self.pos += 1
        if ch.lower() in _PERL:
            positive, negative = _PERL[ch.lower()]
            return negative if ch.isupper() else positive
        if ch in "pP":
            return self.property(ch == "P", flags, start)
        if ch == "A":
            return r"\A"
        if ch == "z":
            return r"\z"
        if ch in "bB<>":
            raise self.fail(
                f"word boundary \\{ch}: Java 17's \\b is not based on Unicode \\w, and emulating "
                "it needs a look-behind that Java evaluates wrongly after astral characters",
                start,
            )
        code = self.escaped_code(ch, start)
        return self.literal(code, flags, start)

    def escaped_code(self, ch: str, start: int) -> int:
        r"""The code point of a literal escape (``\n``, ``\x41``, ``\.``); refuses the rest."""
        if ch in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[ch]
        if ch in _HEX_ESCAPES:
            if self.eat("{"):
                end = self.pattern.find("}", self.pos)
                digits = self.pattern[self.pos : end] if end != -1 else ""
                self.pos = end + 1
            else:
                digits = self.pattern[self.pos : self.pos + _HEX_ESCAPES[ch]]
                self.pos += _HEX_ESCAPES[ch]
                if len(digits) != _HEX_ESCAPES[ch]:
                    raise self.fail(f"\\{ch} needs {_HEX_ESCAPES[ch]} hexadecimal digits", start)
            if (
                not digits
                or len(digits) > 8
                or any(c not in "0123456789abcdefABCDEF" for c in digits)
            ):
                raise self.fail(f"malformed hexadecimal escape \\{ch}", start)
            code = int(digits, 16)
            if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                raise self.fail(f"escape \\{ch} names no Unicode scalar value", start)
            return code
        if ch.isascii() and not ch.isalnum():
            return ord(ch)
        raise self.fail(f"escape \\{ch} is not translated (not in the accepted subset)", start)

    def property(self, negated: bool, flags: _Flags, start: int) -> str:
        r"""``\pL`` / ``\p{Name}`` as one Java class item."""
        if self.eat("{"):
            end = self.pattern.find("}", self.pos)
            if end == -1:
                raise self.fail("unclosed \\p{", start)
            name = self.pattern[self.pos : end]
            self.pos = end + 1
        else:
            name = self.peek()
            self.pos += 1
        if flags.case_insensitive:
            raise self.fail(
                f"\\p{{{name}}} under (?i): Rust closes the class under case folding", start
            )
        key, sep, value = name.replace(":", "=").partition("=")
        if sep:
            if _normalize_name(key) not in ("gc", "generalcategory"):
                raise self.fail(f"\\p{{{name}}}: only general categories are translated", start)
            name = value
        normalized = _normalize_name(name)
        if not sep and normalized in _SPECIAL_PROPERTIES:
            return _SPECIAL_PROPERTIES[normalized][negated]
        category = _CATEGORY_BY_NAME.get(normalized)
        if category is None or category == "Cs":
            raise self.fail(
                f"\\p{{{name}}}: only general categories (\\p{{L}}, \\p{{Lu}}, \\p{{Nd}}, ...) "
                "are translated; script and property names differ between Rust and Java",
                start,
            )
        return f"\\{'P' if negated else 'p'}{{{category}}}"

    # -- bracketed classes ---------------------------------------------------------------

    def bracket(self, flags: _Flags, start: int) -> str:
        negated = self.eat("^")
        body_start = self.pos
        klass = _Class()
        first = True
        while True:
            ch = self.peek()
            if ch == "":
                raise self.fail("unclosed character class '['", start)
            if ch == "]" and not first:
                self.pos += 1
                break
            first = False
            for operator in ("&&", "--", "~~"):
                if self.pattern.startswith(operator, self.pos):
                    raise self.fail(f"class set operation '{operator}' is not translated")
            if ch == "[":
                if self.pattern.startswith("[:", self.pos) and self.posix(klass, flags):
                    continue
                raise self.fail("nested character classes are not translated")
            if ch == "-" and self.pos != body_start and self.peek(1) != "]":
                raise self.fail("a '-' that is not a range; escape it as \\-")
            low = self.class_atom(klass, flags)
            if low is None:
                continue
            if self.peek() == "-" and self.peek(1) not in ("]", "", "-"):
                self.pos += 1
                high = self.class_atom(klass, flags)
                if high is None:
                    raise self.fail("a range must end at a single character")
                if high < low:
                    raise self.fail(f"class range {chr(low)!r}-{chr(high)!r} is reversed")
                self.add_range(klass, low, high, flags)
            else:
                self.add_range(klass, low, low, flags)
        body = _class_ranges(_merge(klass.ranges)) + "".join(klass.items)
        if not body:
            raise self.fail("an empty character class", start)
        return f"[{'^' if negated else ''}{body}]"

    def class_atom(self, klass: _Class, flags: _Flags) -> int | None:
        """One class member: returns its code point, or adds a class item and returns None."""
        start = self.pos
        ch = self.peek()
        self.pos += 1
        if ch != "\\":
            return ord(ch)
        esc = self.peek()
        if esc == "":
            raise self.fail("a pattern cannot end with a backslash", start)
        self.pos += 1
        if esc.lower() in _PERL_IN_CLASS:
            positive, negative = _PERL_IN_CLASS[esc.lower()]
            klass.items.append(negative if esc.isupper() else positive)
            return None
        if esc in "pP":
            klass.items.append(self.property(esc == "P", flags, start))
            return None
        if esc in "AzbB<>":
            raise self.fail(f"\\{esc} inside a character class", start)
        return self.escaped_code(esc, start)

    def posix(self, klass: _Class, flags: _Flags) -> bool:
        end = self.pattern.find(":]", self.pos + 2)
        if end == -1:
            return False
        name = self.pattern[self.pos + 2 : end]
        negated = name.startswith("^")
        ranges = _POSIX.get(name.removeprefix("^"))
        if ranges is None:
            raise self.fail(f"unknown ASCII class [:{name}:]")
        self.pos = end + 2
        if not negated:
            for lo, hi in ranges:
                self.add_range(klass, lo, hi, flags)
            return True
        if flags.case_insensitive:
            raise self.fail(f"negated ASCII class [:{name}:] under (?i)")
        klass.items.append(f"[^{_class_ranges(list(ranges))}]")
        return True

    def add_range(self, klass: _Class, low: int, high: int, flags: _Flags) -> None:
        klass.ranges.append((low, high))
        if not flags.case_insensitive:
            return
        if high - low >= _MAX_FOLDED_RANGE:
            raise self.fail("a case-insensitive class range this wide is not translated")
        for code in range(low, high + 1):
            orbit = _fold_orbit(code)
            if orbit is None:
                raise self.fail(
                    f"case-insensitive class member {chr(code)!r}: (?i) is translated for "
                    "ASCII and caseless characters only"
                )
            klass.ranges.extend((member, member) for member in orbit if member != code)


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged
