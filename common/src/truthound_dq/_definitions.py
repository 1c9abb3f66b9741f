"""The registry of rule types: the built-ins, in-process registrations and plugins.

A plugin distribution advertises a rule type under the entry-point group
``truthound_dq.rules`` (``divisible_by = "my_rules:DivisibleBy"``); it is imported the first
time a rule of that type is parsed. ``register_rule`` does the same in-process.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import threading
from collections.abc import Mapping
from importlib.metadata import EntryPoint, entry_points
from types import MappingProxyType
from typing import TypeVar

from truthound_dq._errors import RuleDefinitionError
from truthound_dq._rule import Rule, RuleKind
from truthound_dq._rule_types import BUILTIN_RULES

__all__ = [
    "RULE_ENTRY_POINT_GROUP",
    "RULE_CLASSES",
    "register_rule",
    "unregister_rule",
    "rule_class",
    "rule_types",
    "advertised_rule_types",
]

RULE_ENTRY_POINT_GROUP = "truthound_dq.rules"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

R = TypeVar("R", bound=type[Rule])

_lock = threading.RLock()
_classes: dict[str, type[Rule]] = {str(cls.type): cls for cls in BUILTIN_RULES}
_BUILTIN = frozenset(_classes)

RULE_CLASSES: Mapping[str, type[Rule]] = MappingProxyType(_classes)
"""Every rule type known in this process (built-ins, registrations, loaded plugins)."""


def _check_definition(cls: object, origin: str) -> type[Rule]:
    if not (isinstance(cls, type) and issubclass(cls, Rule)) or cls is Rule:
        raise RuleDefinitionError(f"{origin}: {cls!r} is not a Rule subclass")
    name = getattr(cls, "type", None)
    if not isinstance(name, str) or not _NAME.match(name):
        raise RuleDefinitionError(
            f"{origin}: {cls.__name__}.type must be a lowercase name like 'divisible_by', "
            f"got {name!r}"
        )
    if not dataclasses.is_dataclass(cls) or cls.__dataclass_params__.frozen is False:  # type: ignore[attr-defined]
        raise RuleDefinitionError(
            f"{origin}: {cls.__name__} must be a frozen dataclass "
            "(@dataclass(frozen=True, slots=True, kw_only=True))"
        )
    fields = {f.name for f in dataclasses.fields(cls)}
    if missing := [p for p in cls._params if p not in fields]:
        raise RuleDefinitionError(f"{origin}: _params names no field: {', '.join(missing)}")
    if cls.kind is RuleKind.TABLE:
        if cls.check is Rule.check and cls.verdict is Rule.verdict:
            raise RuleDefinitionError(f"{origin}: a table rule must define check() or verdict()")
        if cls.observes_data and cls.observe is Rule.observe:
            raise RuleDefinitionError(f"{origin}: observes_data needs observe()")
    elif cls.failure is Rule.failure and cls.failing is Rule.failing:
        raise RuleDefinitionError(f"{origin}: {cls.__name__} must define failure() or failing()")
    return cls


def register_rule(cls: R, *, replace: bool = False) -> R:
    """Make a rule type available to ``parse_rules`` and every engine (usable as a decorator).

    Args:
        cls: A frozen-dataclass ``Rule`` subclass with a ``type`` name (see
            ``docs/custom-rules.md``).
        replace: Replace a registered type of the same name (never a built-in one).

    Raises:
        RuleDefinitionError: ``cls`` is not a valid definition, or its name is taken.
    """
    checked = _check_definition(cls, f"register_rule({getattr(cls, '__name__', cls)!r})")
    name = str(checked.type)
    with _lock:
        if name in _BUILTIN:
            raise RuleDefinitionError(f"rule type {name!r} is built in and cannot be replaced")
        if name in _classes and _classes[name] is not checked and not replace:
            raise RuleDefinitionError(
                f"rule type {name!r} is already registered ({_classes[name].__qualname__}); "
                "pass replace=True to replace it"
            )
        _classes[name] = checked
    return cls


def unregister_rule(name: str) -> None:
    """Forget a registered (non-built-in) rule type."""
    with _lock:
        if name in _BUILTIN:
            raise RuleDefinitionError(f"rule type {name!r} is built in")
        _classes.pop(name, None)


@functools.cache
def _entry_points() -> dict[str, tuple[EntryPoint, ...]]:
    found: dict[str, dict[tuple[str, str], EntryPoint]] = {}
    for ep in entry_points(group=RULE_ENTRY_POINT_GROUP):
        dist = ep.dist.name if ep.dist is not None else "an unknown distribution"
        found.setdefault(ep.name, {})[(dist, ep.value)] = ep
    return {name: tuple(eps.values()) for name, eps in found.items()}


def advertised_rule_types() -> tuple[str, ...]:
    """Names of every rule type known or advertised by a plugin (nothing is imported)."""
    with _lock:
        return tuple(sorted(set(_classes) | set(_entry_points())))


def rule_class(name: str) -> type[Rule] | None:
    """The definition of a rule type, loading its plugin if needed; None if unknown.

    Raises:
        RuleDefinitionError: Its plugin fails to load, or two distributions claim the name.
    """
    with _lock:
        if name in _classes:
            return _classes[name]
        claimants = _entry_points().get(name, ())
        if not claimants:
            return None
        if len(claimants) > 1:
            who = ", ".join(f"{ep.dist.name if ep.dist else '?'} ({ep.value})" for ep in claimants)
            raise RuleDefinitionError(
                f"rule type {name!r} is advertised by more than one distribution: {who}"
            )
        (ep,) = claimants
        origin = f"entry point '{ep.name} = {ep.value}' of group {RULE_ENTRY_POINT_GROUP!r}"
        try:
            loaded = ep.load()
        except Exception as exc:
            raise RuleDefinitionError(
                f"{origin} failed to load: {type(exc).__name__}: {exc}"
            ) from exc
        checked = _check_definition(loaded, origin)
        if checked.type != name:
            raise RuleDefinitionError(f"{origin} defines type {checked.type!r}, not {name!r}")
        if name in _BUILTIN:  # pragma: no cover - built-ins are found first
            raise RuleDefinitionError(f"{origin} claims the built-in type {name!r}")
        _classes[name] = checked
        return checked


def rule_types() -> tuple[str, ...]:
    """Every rule type, plugins loaded (built-ins first, in docs order, then the rest)."""
    for name in advertised_rule_types():
        rule_class(name)
    with _lock:
        return tuple(_classes)
