"""Finding engines: entry points of group ``truthound_dq.engines`` plus in-process registrations.

Listing never imports an adapter; resolving is strict and loud, with one error per way it can
go wrong (unknown name, not installed, broken plugin, not an engine, two claimants).
"""

from __future__ import annotations

import functools
import importlib
import threading
from collections.abc import Callable
from importlib.metadata import EntryPoint, PackageNotFoundError, entry_points, version
from types import ModuleType
from typing import Any

from truthound_dq._engine import DataQualityEngine
from truthound_dq._errors import (
    EngineConflictError,
    EngineNotFoundError,
    EngineNotInstalledError,
    EnginePluginError,
    TruthoundDQError,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "available_engines",
    "get_engine",
    "register_engine",
    "unregister_engine",
    "normalize_engine_name",
    "install_hint",
    "import_engine_library",
    "engine_library_version",
]

ENTRY_POINT_GROUP = "truthound_dq.engines"
DEFAULT_ENGINE = "truthound"

_ALIASES = {"gx": "great_expectations", "ge": "great_expectations"}
# The engines this project ships adapters for: (Prefect extra, adapter distribution).
_KNOWN = {
    "truthound": ("truthound", "truthound-dq-truthound"),
    "great_expectations": ("great-expectations", "truthound-dq-great-expectations"),
    "pandera": ("pandera", "truthound-dq-pandera"),
}

EngineFactory = Callable[[], DataQualityEngine]

_lock = threading.RLock()
_registered: dict[str, EngineFactory | DataQualityEngine] = {}
_instances: dict[str, DataQualityEngine] = {}


def normalize_engine_name(name: str) -> str:
    """``Great-Expectations`` -> ``great_expectations``; aliases ``gx``/``ge`` resolved."""
    if not isinstance(name, str) or not name.strip():
        raise TypeError(f"engine name must be a non-empty string, got {name!r}")
    key = name.strip().lower().replace("-", "_")
    return _ALIASES.get(key, key)


def install_hint(name: str) -> str:
    """The exact pip command that installs a known engine, or a generic sentence."""
    key = normalize_engine_name(name)
    if key not in _KNOWN:
        return f"install a distribution that advertises {key!r} in {ENTRY_POINT_GROUP!r}"
    extra, adapter = _KNOWN[key]
    return f"pip install 'truthound-prefect[{extra}]' (or '{adapter}' without Prefect)"


def _dist_name(ep: EntryPoint) -> str:
    return ep.dist.name if ep.dist is not None else "an unknown distribution"


@functools.cache
def _entry_points() -> dict[str, tuple[EntryPoint, ...]]:
    found: dict[str, dict[tuple[str, str], EntryPoint]] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        # The same distribution seen twice on sys.path is one claimant, not a conflict.
        found.setdefault(normalize_engine_name(ep.name), {})[(_dist_name(ep), ep.value)] = ep
    return {name: tuple(eps.values()) for name, eps in found.items()}


def available_engines() -> tuple[str, ...]:
    """Names of the engines that can be requested, without importing any of them."""
    with _lock:
        return tuple(sorted(set(_entry_points()) | set(_registered)))


def _as_engine(obj: Any, origin: str) -> DataQualityEngine:
    if isinstance(obj, type) or (callable(obj) and not isinstance(obj, DataQualityEngine)):
        obj = obj()  # a class or factory
    if isinstance(obj, type) or not isinstance(obj, DataQualityEngine):
        raise EnginePluginError(
            f"{origin} gave {obj!r}, which is not a DataQualityEngine "
            "(it needs engine_name, engine_version, capabilities, check, profile and learn)"
        )
    return obj


def _not_installed(name: str, exc: ImportError) -> EngineNotInstalledError:
    # A known engine's adapter that imports but whose library is missing (an ImportError,
    # or importlib.metadata's PackageNotFoundError from reading its version) says what to
    # install, not that the plugin is broken.
    hint = install_hint(name)
    return EngineNotInstalledError(
        f"engine {name!r} is not usable: {type(exc).__name__}: {exc}; {hint}",
        engine=name,
        install=hint,
    )


def _load(name: str, ep: EntryPoint) -> DataQualityEngine:
    origin = f"entry point '{ep.name} = {ep.value}' of distribution {_dist_name(ep)!r}"
    try:
        obj = ep.load()
    except ImportError as exc:
        if name in _KNOWN:
            raise _not_installed(name, exc) from exc
        raise EnginePluginError(f"{origin} failed to import: {exc}") from exc
    except Exception as exc:
        raise EnginePluginError(f"{origin} failed to load: {type(exc).__name__}: {exc}") from exc
    try:
        return _as_engine(obj, origin)
    except TruthoundDQError:
        raise  # EnginePluginError, or EngineNotInstalledError from the adapter itself
    except ImportError as exc:
        if name in _KNOWN:
            raise _not_installed(name, exc) from exc
        raise EnginePluginError(
            f"{origin} failed to create the engine: {type(exc).__name__}: {exc}"
        ) from exc
    except Exception as exc:
        raise EnginePluginError(
            f"{origin} failed to create the engine: {type(exc).__name__}: {exc}"
        ) from exc


def _resolve(key: str) -> DataQualityEngine:
    if key in _registered:
        return _as_engine(_registered[key], f"the engine registered as {key!r}")
    claimants = _entry_points().get(key, ())
    if len(claimants) > 1:
        who = ", ".join(f"{_dist_name(ep)} ({ep.value})" for ep in claimants)
        raise EngineConflictError(
            f"engine {key!r} is advertised by more than one distribution: {who}; "
            "uninstall one of them"
        )
    if claimants:
        return _load(key, claimants[0])
    if key in _KNOWN:
        raise EngineNotInstalledError(
            f"engine {key!r} is not installed: {install_hint(key)}",
            engine=key,
            install=install_hint(key),
        )
    available = ", ".join(available_engines()) or "none"
    raise EngineNotFoundError(f"unknown engine {key!r}; installed engines: {available}")


def get_engine(name: str = DEFAULT_ENGINE) -> DataQualityEngine:
    """The engine called ``name`` (one shared instance per name and process).

    Args:
        name: ``truthound``, ``great_expectations`` (also ``great-expectations``, ``gx``,
            ``ge``), ``pandera``, or any name a plugin advertises.

    Raises:
        EngineNotInstalledError: A known engine whose adapter is not installed.
        EngineNotFoundError: No engine of that name.
        EnginePluginError: The plugin failed to import or is not a DataQualityEngine.
        EngineConflictError: Two distributions advertise the name.
    """
    key = normalize_engine_name(name)
    with _lock:
        if key not in _instances:
            _instances[key] = _resolve(key)
        return _instances[key]


def register_engine(
    name: str, factory: EngineFactory | DataQualityEngine, *, force: bool = False
) -> None:
    """Make an engine available under ``name`` in this process.

    Args:
        name: The engine name (normalized like ``get_engine``'s).
        factory: An engine instance, or a callable (such as the class) that returns one.
        force: Replace an engine that already has the name.

    Raises:
        EngineConflictError: The name is taken and ``force`` is False.
    """
    key = normalize_engine_name(name)
    if not callable(factory) and not isinstance(factory, DataQualityEngine):
        raise TypeError(f"factory must be an engine or a callable returning one, got {factory!r}")
    with _lock:
        owner = (
            "an earlier register_engine call"
            if key in _registered
            else ", ".join(_dist_name(ep) for ep in _entry_points().get(key, ()))
        )
        if owner and not force:
            raise EngineConflictError(
                f"engine {key!r} is already provided by {owner}; pass force=True to replace it"
            )
        _registered[key] = factory
        _instances.pop(key, None)


def unregister_engine(name: str) -> None:
    """Forget an engine registered with :func:`register_engine` (entry points stay)."""
    key = normalize_engine_name(name)
    with _lock:
        _registered.pop(key, None)
        _instances.pop(key, None)


def import_engine_library(module: str, engine: str) -> ModuleType:
    """Import an engine's library, or raise ``EngineNotInstalledError`` with the pip line.

    Adapters call this inside their methods, so that listing engines imports nothing.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        hint = install_hint(engine)
        raise EngineNotInstalledError(
            f"engine {engine!r} needs {module!r}, which failed to import ({exc}): {hint}",
            engine=normalize_engine_name(engine),
            install=hint,
        ) from exc


def engine_library_version(distribution: str, engine: str) -> str:
    """The installed version of an engine's library (from metadata: nothing is imported).

    Raises ``EngineNotInstalledError`` with the exact pip line when it is not installed.

    Args:
        distribution: The library's distribution name, e.g. ``pandera``.
        engine: The engine name, for the install hint.
    """
    try:
        return version(distribution)
    except PackageNotFoundError as exc:
        hint = install_hint(engine)
        raise EngineNotInstalledError(
            f"engine {engine!r} needs the {distribution!r} distribution, which is not "
            f"installed: {hint}",
            engine=normalize_engine_name(engine),
            install=hint,
        ) from exc
