"""Rules as the Prefect layer takes them: rule dicts, or the path of a rule file.

A string (or ``os.PathLike``) given as rules is always the path of a YAML or JSON rule file,
read by ``truthound_dq.load_rules``; anything else (a mistyped path, a rule type's name) is a
named error, never read as something else. The block's ``default_rules`` form in the Prefect
UI is built from ``truthound_dq.rules_json_schema()``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

from truthound_dq import RuleType, load_rules, rules_json_schema

__all__ = ["RulesLike", "resolve_rules", "checked_rules", "rules_form_schema"]

RulesLike: TypeAlias = Sequence[Mapping[str, Any]] | str | os.PathLike[str]
"""Rule dicts, or the path of a ``.yaml``/``.yml``/``.json`` rule file."""


def resolve_rules(rules: RulesLike | None) -> Sequence[Mapping[str, Any]] | None:
    """The rule dicts of ``rules``: read from the file when it is a path.

    Raises:
        RuleFileError: The path is not a readable, valid rule file (its subclasses say why).
    """
    if isinstance(rules, str | os.PathLike):
        return load_rules(rules)
    return rules


def checked_rules(rules: RulesLike | None) -> RulesLike | None:
    """``rules`` unchanged, after checking now that a path is a valid rule file.

    Decorators and factories call this when the flow is defined, so a wrong path fails at
    import; the file is read again on every run (an edited file takes effect on the next).
    """
    resolve_rules(rules)
    return rules


def rules_form_schema(schema: dict[str, Any]) -> None:
    """``default_rules``' JSON Schema in the block: one form per built-in rule type.

    A pydantic ``json_schema_extra`` hook, so it runs when the block schema is generated,
    never at import. Prefect keeps the field's schema as given, but inlined: a block schema's
    ``$ref`` must point into its own ``definitions``, so the branches are copied whole (they
    are self-contained). Built-in types only, so the block schema (and its checksum) is the
    same in every process; a rule of a plugin's type still fits the last branch.
    """
    builtin = [t.value for t in RuleType]
    definitions = rules_json_schema(builtin)["$defs"]
    other = {
        "title": "a plugin's rule type",
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"type": "string", "not": {"enum": builtin}}},
    }
    # anyOf, as pydantic writes unions (what Prefect's forms are built for); the branches
    # exclude each other by their ``type``, so it means what the schema file's oneOf means.
    schema["items"] = {"anyOf": [*(definitions[f"rule.{name}"] for name in builtin), other]}
