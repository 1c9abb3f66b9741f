"""One in-memory Great Expectations context per engine: built once, reused, thread-safe.

Importing GX takes seconds, so it happens on first use, not on import. The context is an
``EphemeralDataContext`` built directly (not through ``gx.get_context``, which would replace
the caller's own current GX context): in-memory stores, no data docs site, no progress bars,
no analytics, so nothing is written to disk and nothing reaches the terminal.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from importlib import import_module
from typing import TYPE_CHECKING, Any

from truthound_dq.sdk import import_engine_library

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["GXSession"]

_ENGINE = "great_expectations"


class GXSession:
    """A GX context with one pandas datasource and one whole-dataframe batch definition.

    GX objects (the datasource's execution engine and its batch cache) are shared, so one
    validation runs at a time; Prefect runs tasks in threads.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._batch_definition: Any = None
        self._execution_engine: Any = None
        self.context: Any = None
        """The ``EphemeralDataContext``, once built (None before the first validation)."""

    def _build(self) -> Any:
        import_engine_library("great_expectations", _ENGINE)
        # GX's annotations are partial (names not re-exported for type checkers): use Any.
        contexts: Any = import_module("great_expectations.data_context")
        base: Any = import_module("great_expectations.data_context.types.base")
        errors: Any = import_module("great_expectations.exceptions")
        project_manager = contexts.project_manager

        config = base.DataContextConfig(
            # init_temp_docs_sites=False: no data docs site (not even in a temp directory).
            store_backend_defaults=base.InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
            # GX shows tqdm bars on stderr ("Calculating Metrics") unless told not to.
            progress_bars=base.ProgressBarsConfig(globally=False, metric_calculations=False),
            analytics_enabled=False,
        )
        context = contexts.EphemeralDataContext(project_config=config)
        try:
            # Validation asks the *current* GX context whether it is a Cloud one. Become
            # current only if the process has none, so a user's own context stays current.
            project_manager.is_using_cloud()
        except errors.DataContextRequiredError:
            project_manager.set_project(context)
        self.context = context
        datasource = context.data_sources.add_pandas("truthound_dq")
        asset = datasource.add_dataframe_asset("frame")
        self._execution_engine = datasource.get_execution_engine()
        return asset.add_batch_definition_whole_dataframe("whole_frame")

    def batch_definition(self) -> Any:
        """The batch definition every validation goes through; imports GX and builds it once.

        Raises:
            EngineNotInstalledError: GX cannot be imported (the message has the pip line).
        """
        with self._lock:
            if self._batch_definition is None:
                self._batch_definition = self._build()
            return self._batch_definition

    def validate(
        self, frame: pd.DataFrame, expectations: Sequence[Any], result_format: dict[str, Any]
    ) -> Any:
        """Run ``expectations`` as one suite over ``frame``: one validation, one batch."""
        with self._lock:
            batch_definition = self.batch_definition()
            gx: Any = import_module("great_expectations")
            suite = gx.ExpectationSuite(name="truthound_dq", expectations=list(expectations))
            batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
            try:
                return batch.validate(suite, result_format=result_format)
            finally:
                self._release()

    def _release(self) -> None:
        # The execution engine keeps every batch it loaded; drop them so a long-lived engine
        # does not hold on to the last (possibly large) frame.
        manager = self._execution_engine.batch_manager
        manager.reset_batch_cache()
        manager.batch_data_cache.clear()
