"""The registry, through real installed distributions that advertise engines."""

import pytest

import truthound_dq
from truthound_dq import (
    DataQualityEngine,
    EngineConflictError,
    EngineError,
    EngineNotFoundError,
    EngineNotInstalledError,
    EnginePluginError,
    available_engines,
    get_engine,
    install_hint,
    normalize_engine_name,
    register_engine,
    unregister_engine,
)
from truthound_dq.sdk import import_engine_library
from truthound_dq.testing import ReferenceEngine, people


def test_available_engines_lists_entry_points_without_importing_them():
    import sys

    names = available_engines()
    assert {"oracle", "broken_import", "not_an_engine", "claimed_twice"} <= set(names)
    assert "dq_test_engines.broken" not in sys.modules


def test_get_engine_loads_through_the_entry_point():
    engine = get_engine("oracle")
    assert isinstance(engine, DataQualityEngine)
    assert engine.engine_name == "oracle"
    assert get_engine("oracle") is engine, "one shared instance per name"


@pytest.mark.parametrize("spelling", ["Shouting-Engine", "shouting_engine", " SHOUTING-engine "])
def test_names_are_normalized(spelling):
    assert get_engine(spelling) is get_engine("shouting_engine")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("great-expectations", "great_expectations"),
        ("GX", "great_expectations"),
        ("ge", "great_expectations"),
        ("Pandera", "pandera"),
    ],
)
def test_aliases(given, expected):
    assert normalize_engine_name(given) == expected


def test_unknown_engine_lists_the_installed_ones():
    with pytest.raises(EngineNotFoundError, match="unknown engine 'nope'.*oracle"):
        get_engine("nope")


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("pandera", "pip install 'truthound-prefect[pandera]'"),
        ("gx", "pip install 'truthound-prefect[great-expectations]'"),
        ("truthound", "pip install 'truthound-prefect[truthound]'"),
    ],
)
def test_known_engine_not_installed_gives_the_pip_line(name, line):
    # The adapters are not installed in truthound-dq's own test environment.
    with pytest.raises(EngineNotInstalledError) as info:
        get_engine(name)
    assert line in str(info.value)
    assert info.value.install.startswith(line)
    assert isinstance(info.value, ImportError | LookupError)
    assert "\n" not in str(info.value)


def test_plugin_that_fails_to_import_names_entry_point_and_distribution():
    with pytest.raises(EnginePluginError, match="broken-import.*dq-test-engines.*import") as info:
        get_engine("broken-import")
    assert isinstance(info.value.__cause__, ImportError)


def test_plugin_that_is_not_an_engine():
    with pytest.raises(EnginePluginError, match="not a DataQualityEngine"):
        get_engine("not-an-engine")


def test_plugin_whose_constructor_raises():
    with pytest.raises(EnginePluginError, match="RuntimeError: cannot start") as info:
        get_engine("raises-on-create")
    assert isinstance(info.value.__cause__, RuntimeError)


def test_two_distributions_claiming_one_name():
    with pytest.raises(
        EngineConflictError,
        match="dq-test-engines.*dq-test-engines-rival|dq-test-engines-rival.*dq-test-engines",
    ):
        get_engine("claimed-twice")


def test_engine_that_raises_is_an_engine_error_with_the_cause():
    with pytest.raises(EngineError, match="faulty raised during check: ZeroDivisionError") as info:
        get_engine("faulty").check(people(), [{"column": "id", "type": "not_null"}])
    assert isinstance(info.value.__cause__, ZeroDivisionError)


class Custom(ReferenceEngine):
    engine_name = "custom"


def test_register_engine_and_conflicts():
    try:
        register_engine("custom", Custom)
        assert isinstance(get_engine("custom"), Custom)
        assert "custom" in available_engines()
        with pytest.raises(EngineConflictError, match="force=True"):
            register_engine("custom", Custom)
        with pytest.raises(EngineConflictError, match="dq-test-engines"):
            register_engine("oracle", Custom)
        instance = Custom()
        register_engine("custom", instance, force=True)
        assert get_engine("custom") is instance
    finally:
        unregister_engine("custom")
    with pytest.raises(EngineNotFoundError):
        get_engine("custom")


def test_register_engine_rejects_a_non_engine():
    with pytest.raises(TypeError):
        register_engine("thing", 42)  # type: ignore[arg-type]
    register_engine("thing", lambda: 42, force=True)  # type: ignore[arg-type,return-value]
    try:
        with pytest.raises(EnginePluginError, match="not a DataQualityEngine"):
            get_engine("thing")
    finally:
        unregister_engine("thing")


def test_import_engine_library_missing_gives_the_pip_line():
    with pytest.raises(EngineNotInstalledError, match=r"truthound-prefect\[pandera\]"):
        import_engine_library("pandera_that_is_not_there", "pandera")
    assert import_engine_library("json", "pandera").__name__ == "json"


def test_install_hint_for_unknown_engine():
    assert "truthound_dq.engines" in install_hint("mine")


def test_bad_engine_name():
    with pytest.raises(TypeError):
        get_engine("")


def test_public_names_are_exported():
    for name in truthound_dq.__all__:
        assert hasattr(truthound_dq, name), name


def test_known_adapter_without_its_library_gives_the_pip_line():
    # The adapter imports, but its engine library is missing: reading the version raises
    # PackageNotFoundError (an ImportError) - that is "not installed", not a broken plugin.
    from importlib.metadata import EntryPoint

    from truthound_dq._registry import _load

    ep = EntryPoint("pandera", "dq_test_engines:NeedsMissingLibrary", "truthound_dq.engines")
    with pytest.raises(EngineNotInstalledError) as info:
        _load("pandera", ep)
    assert info.value.install.startswith("pip install 'truthound-prefect[pandera]'")
    assert isinstance(info.value.__cause__, ImportError)
