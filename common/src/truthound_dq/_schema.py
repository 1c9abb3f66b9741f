"""The JSON Schema (Draft 2020-12) of rule files, generated from the rule definitions.

Each rule type contributes one branch, discriminated by ``type``: the common keys (``column``
as its ``needs_column`` says, ``name``, ``severity``, ``mostly``, and ``where`` and
``max_failures`` where the type takes them) plus the schema of its own parameters,
``Rule.parameters_schema()``. That hook's default, :func:`parameters_from_annotations`,
reads the dataclass fields' annotations, so a new type gets a schema without any work; the
parameter names the vocabulary shares (``pattern``, ``values``, ``dtype``, ``min``/``max``)
get their shared meaning. The schema helps editors; ``parse_rules`` stays the authority, so
where a schema cannot say everything (a pattern's dialect, ``min <= max``) it says less
rather than refuse a valid rule.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import enum
import functools
import sys
import types
import typing
from collections.abc import Iterable, Mapping, Sequence, Set
from typing import TYPE_CHECKING, Any

from truthound_dq._dtypes import DTypeFamily, exact_dtype_names
from truthound_dq._rule import RuleKind, Severity

if TYPE_CHECKING:
    from truthound_dq._rule import Rule

__all__ = [
    "JSON_SCHEMA_DIALECT",
    "rules_json_schema",
    "rule_schema",
    "parameters_from_annotations",
    "annotation_schema",
]

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_DESCRIPTION = (
    "Data-quality rules for truthound-dq / truthound-prefect: a list of rules, or a mapping "
    "with a 'rules' list. Generated from the rule definitions; see docs/rules.md."
)


def rules_json_schema(types: Iterable[str] | None = None) -> dict[str, Any]:
    """The JSON Schema of a rule file (or a rule list), one branch per rule type.

    Args:
        types: The rule types to describe; None for every type known in this process
            (plugins advertised through ``truthound_dq.rules`` are loaded).

    Returns:
        A Draft 2020-12 schema accepting a list of rules or ``{"rules": [...]}`` (with the
        optional ``version``, ``description`` and ``$schema`` keys of a rule file). Each
        rule type's branch is ``$defs["rule.<type>"]``, self-contained (no ``$ref``).

    Raises:
        KeyError: A name in ``types`` is not a known rule type.
    """
    from truthound_dq._definitions import rule_class, rule_types

    names = rule_types() if types is None else tuple(types)
    classes = []
    for name in names:
        cls = rule_class(name)
        if cls is None:
            raise KeyError(f"unknown rule type {name!r}")
        classes.append(cls)
    return copy.deepcopy(_schema(tuple(classes)))


@functools.cache
def _schema(classes: tuple[type[Rule], ...]) -> dict[str, Any]:
    defs: dict[str, Any] = {f"rule.{cls.type}": rule_schema(cls) for cls in classes}
    defs["rule"] = {
        "title": "rule",
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"enum": [str(cls.type) for cls in classes]}},
        "oneOf": [{"$ref": f"#/$defs/rule.{cls.type}"} for cls in classes],
    }
    defs["rules"] = {"type": "array", "items": {"$ref": "#/$defs/rule"}}
    file_keys = {
        "rules": {"$ref": "#/$defs/rules"},
        "version": {"const": 1, "description": "The rule file format's version."},
        "description": {"type": "string"},
        "$schema": {"type": "string", "description": "This schema, for editors."},
    }
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": "truthound-dq rules",
        "description": _DESCRIPTION,
        "oneOf": [
            {"$ref": "#/$defs/rules"},
            {
                "type": "object",
                "required": ["rules"],
                "properties": file_keys,
                "additionalProperties": False,
            },
        ],
        "$defs": defs,
    }


def rule_schema(cls: type[Rule]) -> dict[str, Any]:
    """One rule type's branch: its ``type``, the common keys and its parameters."""
    params = dict(cls.parameters_schema())
    properties: dict[str, Any] = {"type": {"const": str(cls.type)}}
    required = ["type"]
    needs_column = cls.needs_column
    if needs_column is not False:
        properties["column"] = {"type": "string", "minLength": 1, "description": "The column."}
        if needs_column:
            required.append("column")
    properties.update(params.pop("properties", {}))
    required += [key for key in params.pop("required", ()) if key not in required]
    properties["name"] = {
        "type": ["string", "null"],
        "pattern": r"\S",
        "description": "Unique within a check; default type(column).",
    }
    properties["severity"] = {"enum": [s.value for s in Severity], "default": "error"}
    if cls.kind is RuleKind.TABLE:
        properties["mostly"] = {"const": 1, "description": "A single yes/no check."}
    else:
        properties["mostly"] = {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 1,
            "default": 1,
            "description": "Fraction of rows in (0, 1] that must pass.",
        }
    fields = _fields(cls)
    if "where" in fields and _takes_where(cls):
        properties["where"] = {
            "type": ["string", "null"],
            "description": "A boolean SQL condition (Polars' dialect): only rows where it "
            "is true are checked.",
        }
    if "max_failures" in fields and cls.kind is not RuleKind.TABLE:
        properties["max_failures"] = {
            "type": ["integer", "null"],
            "minimum": 0,
            "description": "The rule passes when at most this many rows fail.",
        }
    branch: dict[str, Any] = {"title": str(cls.type)}
    if summary := getattr(cls, "summary", ""):
        branch["description"] = f"Fails when {summary}."
    branch.update({"type": "object", "properties": properties, "required": required, **params})
    branch["additionalProperties"] = False
    return branch


def _takes_where(cls: type[Rule]) -> bool:
    takes = getattr(cls, "takes_where", None)
    if callable(takes):
        return bool(takes())
    return cls.kind is not RuleKind.TABLE


def _fields(cls: type[Any]) -> dict[str, dataclasses.Field[Any]]:
    return {f.name: f for f in dataclasses.fields(cls)}


# -- parameters from annotations ----------------------------------------------------------------


def parameters_from_annotations(cls: type[Rule]) -> dict[str, Any]:
    """The default ``Rule.parameters_schema()``: read from the ``_params`` fields.

    A field without a default is required; an optional one may also be null (``parse_rules``
    treats null as absent). Annotations map as ``bool`` -> boolean, ``int`` -> integer,
    ``float`` -> number, ``str`` -> string, a ``StrEnum`` or ``Literal`` -> its values,
    ``date``/``datetime``/``timedelta`` -> string (ISO-8601 text, or a duration such as
    ``24h``), tuples, lists and sets -> arrays, mappings -> objects, unions -> any of them,
    anything else -> any value. The vocabulary's shared names keep one meaning in every
    type: ``pattern`` is a regex, ``values`` a list of strings, numbers or booleans (one
    kind), ``dtype`` a Polars dtype name or family, and a type with optional ``min`` and
    ``max`` needs at least one of them.
    """
    fields = _fields(cls)
    hints = _hints(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for key in cls._params:
        field = fields[key]
        schema = annotation_schema(hints.get(key, Any))
        optional = _is_required(field) is False
        schema = _shared_meaning(key, schema)
        if optional and schema and not _allows_null(schema):
            schema = _with_null(schema)
        if field.default is not dataclasses.MISSING and field.default is not None:
            default = _json_default(field.default)
            if default is not None:
                schema = {**schema, "default": default}
        properties[key] = schema
        if not optional:
            required.append(key)
    out: dict[str, Any] = {"properties": properties, "required": required}
    if "min" in properties and "max" in properties and not {"min", "max"} & set(required):
        # "needs 'min', 'max' or both" (a null bound is no bound).
        out["anyOf"] = [
            {"required": [bound], "properties": {bound: {"not": {"type": "null"}}}}
            for bound in ("min", "max")
        ]
    return out


def _is_required(field: dataclasses.Field[Any]) -> bool:
    return field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING


def _hints(cls: type[Any]) -> dict[str, Any]:
    """The fields' annotations, evaluated; one that cannot be (a TYPE_CHECKING name) is Any."""
    try:
        return typing.get_type_hints(cls)
    except Exception:
        pass
    namespace = vars(sys.modules.get(cls.__module__, typing))
    hints: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        for key, value in getattr(klass, "__annotations__", {}).items():
            try:
                hints[key] = eval(value, dict(namespace)) if isinstance(value, str) else value
            except Exception:
                hints[key] = Any
    return hints


def annotation_schema(annotation: Any) -> dict[str, Any]:
    """The JSON Schema of a value of type ``annotation`` (``{}``: any value)."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if annotation is None or annotation is type(None):
        return {"type": "null"}
    if origin is typing.Annotated:
        return annotation_schema(args[0])
    if origin is typing.Union or origin is types.UnionType:
        return _union([annotation_schema(arg) for arg in args])
    if origin is typing.Literal:
        return {"enum": [_json_default(arg) for arg in args]}
    if getattr(annotation, "__value__", None) is not None:  # a `type X = ...` alias
        return annotation_schema(annotation.__value__)
    if isinstance(annotation, type):
        if issubclass(annotation, enum.Enum):
            return {"enum": [member.value for member in annotation]}
        simple = _simple(annotation)
        if simple is not None:
            return simple
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": annotation_schema(args[0])}
        if args:
            items = [annotation_schema(arg) for arg in args]
            return {"type": "array", "prefixItems": items, "minItems": len(items), "items": False}
        return {"type": "array"}
    if isinstance(origin, type):
        if issubclass(origin, Mapping):
            value = annotation_schema(args[1]) if len(args) == 2 else {}
            return {"type": "object", "additionalProperties": value}
        if issubclass(origin, Sequence | Set) and not issubclass(origin, str | bytes):
            return {"type": "array", "items": annotation_schema(args[0]) if args else {}}
    return {}


def _simple(annotation: type) -> dict[str, Any] | None:
    if annotation is bool:
        return {"type": "boolean"}
    if annotation is int:
        return {"type": "integer"}
    if annotation is float:
        return {"type": "number"}
    if annotation is str:
        return {"type": "string"}
    if annotation is dt.datetime:
        return {"type": "string", "format": "date-time"}
    if annotation is dt.date:
        return {"type": "string", "format": "date"}
    if annotation is dt.timedelta:
        return {"type": "string", "description": "ISO-8601 (PT24H) or Polars (24h) duration"}
    if issubclass(annotation, Mapping):
        return {"type": "object"}
    if issubclass(annotation, Sequence | Set) and not issubclass(annotation, str | bytes):
        return {"type": "array"}
    return None


def _union(schemas: list[dict[str, Any]]) -> dict[str, Any]:
    if any(not schema for schema in schemas):
        return {}  # one member is "any value"
    if all(set(schema) == {"type"} for schema in schemas):
        kinds: list[str] = []
        for schema in schemas:
            for kind in _types(schema):
                if kind not in kinds:
                    kinds.append(kind)
        if "number" in kinds and "integer" in kinds:
            kinds.remove("integer")  # every integer is a number
        return {"type": kinds[0] if len(kinds) == 1 else kinds}
    return {"anyOf": schemas}


def _types(schema: Mapping[str, Any]) -> list[str]:
    kind = schema.get("type")
    if kind is None:
        return []
    return [kind] if isinstance(kind, str) else list(kind)


def _allows_null(schema: Mapping[str, Any]) -> bool:
    if "null" in _types(schema):
        return True
    return any(_allows_null(s) for s in schema.get("anyOf", ()))


def _with_null(schema: dict[str, Any]) -> dict[str, Any]:
    if set(schema) <= {"type", "format", "description"} and "type" in schema:
        return {**schema, "type": [*_types(schema), "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def _json_default(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return None


# -- the vocabulary's shared parameter names ------------------------------------------------------

_SCALAR_LISTS = {
    "anyOf": [
        {"type": "array", "items": {"type": "string"}},
        {"type": "array", "items": {"type": "number"}},
        {"type": "array", "items": {"type": "boolean"}},
    ],
    "description": "Strings, numbers or booleans (one kind, matching the column's).",
}


def _dtype_names() -> dict[str, Any]:
    names = [*exact_dtype_names(), "Utf8", *(f.value for f in DTypeFamily)]
    return {
        "enum": names,
        "description": "An exact Polars dtype name (case-sensitive) or a lowercase family.",
    }


def _shared_meaning(key: str, schema: dict[str, Any]) -> dict[str, Any]:
    """A parameter named like one of the vocabulary's shared ones means the same thing."""
    kinds = _types(schema)
    if key == "pattern" and kinds == ["string"]:
        return {"type": "string", "format": "regex", "description": "A regular expression."}
    if key == "values" and kinds == ["array"]:
        return copy.deepcopy(_SCALAR_LISTS)
    if key == "dtype" and kinds == ["string"]:
        return _dtype_names()
    return schema
