"""Per-adapter registries of native translations: one function per (rule type, engine).

An adapter keeps one :class:`Translations` and registers a function per rule class it
evaluates natively, optionally with a predicate that says when (on which dtypes, for which
parameters). Every rule without a translation, or whose predicate says no, is evaluated by
the shared Polars implementation in the base's pass, and its result says so.

Example:
    >>> from truthound_dq import NotNull
    >>> from truthound_dq.sdk import Translations
    >>> TRANSLATIONS: Translations[str] = Translations("demo")
    >>> @TRANSLATIONS.register(NotNull)
    ... def _(rule, view):
    ...     return f"not_null on {rule.column}"
    >>> sorted(TRANSLATIONS.rule_types)
    ['not_null']
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from truthound_dq._rules import Rule

if TYPE_CHECKING:
    from truthound_dq.sdk._view import DataView

__all__ = ["Translations", "Predicate"]

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

Predicate = Callable[[Rule, "DataView"], bool]
"""``(rule, view) -> bool``: whether this adapter evaluates the rule natively on this view.

The rule's ``column`` is a safe name of ``view`` (``view.dtype(rule.column)`` is its dtype).
"""


class Translations(Generic[T]):
    """Rule class -> native translation (``functools.singledispatch`` underneath).

    Args:
        engine: The engine name (for error messages).
    """

    def __init__(self, engine: str) -> None:
        self.engine = engine
        self._predicates: dict[type[Rule], Predicate | None] = {}
        self._where: dict[type[Rule], bool] = {}

        def _missing(rule: Rule, *args: Any, **kwargs: Any) -> T:
            raise TypeError(f"{engine} has no native translation of {rule.type}")

        self._dispatch = functools.singledispatch(_missing)

    def register(
        self, *rule_classes: type[Rule], when: Predicate | None = None, where: bool = False
    ) -> Callable[[F], F]:
        """Decorator: the function translates rules of ``rule_classes`` (subclasses included).

        Args:
            *rule_classes: The rule classes the function handles.
            when: Optional predicate; where it returns False the rule is borrowed.
            where: True if the translation honours a rule's ``where`` scope; otherwise a rule
                with ``where`` is borrowed (an engine must never drop a condition silently).
        """
        if not rule_classes:
            raise TypeError("register needs at least one rule class")

        def decorator(func: F) -> F:
            for cls in rule_classes:
                if not (isinstance(cls, type) and issubclass(cls, Rule)):
                    raise TypeError(f"{cls!r} is not a Rule class")
                self._dispatch.register(cls, func)
                self._predicates[cls] = when
                self._where[cls] = where
            return func

        return decorator

    def _owner(self, rule: Rule) -> type[Rule] | None:
        for cls in type(rule).__mro__:
            if cls in self._predicates:
                return cls
        return None

    def supports(self, rule: Rule, view: DataView) -> bool:
        """Whether ``rule`` has a translation and its predicate (if any) accepts it here."""
        owner = self._owner(rule)
        if owner is None:
            return False
        if rule.where is not None and not self._where[owner]:
            return False
        predicate = self._predicates[owner]
        return predicate is None or bool(predicate(rule, view))

    def translate(self, rule: Rule, *args: Any, **kwargs: Any) -> T:
        """Call the registered translation: ``func(rule, *args, **kwargs)``."""
        result: T = self._dispatch(rule, *args, **kwargs)
        return result

    @property
    def rule_classes(self) -> frozenset[type[Rule]]:
        """The rule classes with a translation."""
        return frozenset(self._predicates)

    @property
    def rule_types(self) -> frozenset[str]:
        """The rule type names with a translation (for ``EngineCapabilities``)."""
        return frozenset(str(cls.type) for cls in self._predicates)

    def __contains__(self, rule_class: object) -> bool:
        return rule_class in self._predicates

    def __repr__(self) -> str:
        return f"Translations({self.engine!r}, {sorted(self.rule_types)})"
