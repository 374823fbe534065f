"""Altair charts drawn from a cached Vega-Lite spec.

``st.altair_chart`` turns the chart into Vega-Lite on every run: it builds the Altair objects and
validates the result against the whole Vega-Lite JSON schema, under a process-wide lock that
every session queues for. That was a quarter of a warm run of the patrols page (bench/, issue 8)
and it serialises concurrent sessions. The spec only changes with the data, the labels and the
language, so ``show_chart`` builds it once per (builder, arguments, language) and draws it with
``st.vega_lite_chart``; the chart looks the same (Streamlit's theme, no Altair default theme).

Builders must be module-level functions in ``ui``: the cache keys them by module and name (a
function object cannot be hashed with its data arguments). Validation stays on in the test suite
(``OWNER_DASHBOARD_VALIDATE_CHARTS=1``, set by tests/conftest.py), so a wrong chart still fails a
page test.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable
from contextlib import nullcontext
from typing import Any

import altair as alt
import streamlit as st
from streamlit.dataframe_util import convert_anything_to_arrow_bytes

from ui.process_cache import process_cache
from ui.text import current_language

try:  # Streamlit's own lock around Altair's global theme / data-transformer switches
    from streamlit.elements.vega_charts import _altair_globals_lock as _ALTAIR_LOCK
except ImportError:  # pragma: no cover - a Streamlit without it; ours is as good alone
    import threading

    _ALTAIR_LOCK = threading.Lock()

CACHE_TTL_S = 600
CACHE_ENTRIES = 512
VALIDATE_ENV = "OWNER_DASHBOARD_VALIDATE_CHARTS"


def show_chart(
    build: Callable[..., alt.TopLevelMixin],
    *args: Any,
    summary: str,
    config: dict[str, dict[str, Any]] | None = None,
    width: Any = "stretch",
    height: Any = "content",
    key: Hashable | None = None,
    note: str | None = None,
) -> None:
    """Draw ``build(*args)`` (an Altair chart), its spec cached per arguments and language.

    ``key``, when given, stands for the arguments in the cache: it must name the data exactly
    (for example the community and the minute a cached trend was read for). Hashing a data frame
    on every run was a tenth of the server's CPU for a new session's Overview (bench/concurrent.py);
    a small key costs nothing.

    ``summary`` (ui/charts/summaries.py) is written under the chart and is the chart's
    description, which Vega gives its drawing as the ARIA label: a chart is never the only way
    to its point (issue 19, point 11). ``note``, when given, follows it in the same caption
    (one element fewer to send, issue 25)."""
    name = f"{build.__module__}.{build.__qualname__}"
    language = current_language()
    if key is None:
        spec = vega_lite_spec(build, name, *args, language=language)
    else:
        # By name: Streamlit finds a positional argument's name with inspect.signature.
        spec = keyed_vega_lite_spec(_build=build, name=name, key=key, _args=args, language=language)
    shown = {**spec, "description": summary}
    if config:  # e.g. the report's meeting mode: larger text on axes, legends and titles
        merged = dict(spec.get("config", {}))
        for part, settings in config.items():
            merged[part] = {**merged.get(part, {}), **settings}
        shown["config"] = merged
    st.vega_lite_chart(spec=shown, width=width, height=height)
    st.caption(summary if note is None else f"{summary}\n\n{note}")


@st.cache_data(show_spinner=False, ttl=CACHE_TTL_S, max_entries=CACHE_ENTRIES)
def vega_lite_spec(
    _build: Callable[..., alt.TopLevelMixin], name: str, *args: Any, language: str
) -> dict[str, Any]:
    """The Vega-Lite dict of ``_build(*args)`` with its data inline. ``_build`` is not hashed
    (leading underscore): ``name`` stands for it. ``language`` is only part of the key: the
    builder translates its titles in the session's language itself."""
    del name, language
    return _to_spec(_build(*args))


@process_cache(ttl=CACHE_TTL_S, max_entries=CACHE_ENTRIES)
def keyed_vega_lite_spec(
    _build: Callable[..., alt.TopLevelMixin],
    name: str,
    key: Hashable,
    _args: tuple[Any, ...],
    *,
    language: str,
) -> dict[str, Any]:
    """As ``vega_lite_spec``, cached by ``key`` instead of the (unhashed) arguments, with its
    datasets already in the Arrow form ``st.vega_lite_chart`` sends: it converts a dataset on
    every run unless it is bytes (the Overview's trend: a tenth of a new visit's CPU). Only for
    drawing — a spec for the PDF (``vega_lite_spec``) keeps its rows. Kept in the process
    (``process_cache``): Streamlit's cache unpickled a copy on every hit; callers only read it
    (``show_chart`` draws a copy)."""
    del name, key, language
    return _with_arrow_datasets(_to_spec(_build(*_args)))


def _with_arrow_datasets(spec: dict[str, Any]) -> dict[str, Any]:
    datasets = spec.get("datasets")
    if not datasets:
        return spec
    arrow = {name: convert_anything_to_arrow_bytes(rows) for name, rows in datasets.items()}
    return {**spec, "datasets": arrow}


@process_cache(ttl=CACHE_TTL_S, max_entries=CACHE_ENTRIES)
def _keyed_text(
    _write: Callable[..., str], name: str, key: Hashable, _args: tuple[Any, ...], *, language: str
) -> str:
    del name, key, language
    return _write(*_args)


def keyed_summary(write: Callable[..., str], key: Hashable, *args: Any) -> str:
    """``write(*args)`` (a chart's summary, ui/charts/summaries.py), cached per ``key`` and
    language like a keyed spec: the Overview's trend summary filtered its data frame once per
    KPI on every run."""
    name = f"{write.__module__}.{write.__qualname__}"
    return _keyed_text(_write=write, name=name, key=key, _args=args, language=current_language())


def _to_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    theme = alt.theme.enable("none") if alt.theme.active == "default" else nullcontext()
    with _ALTAIR_LOCK, theme, alt.data_transformers.enable("default", max_rows=None):
        return chart.to_dict(validate=os.environ.get(VALIDATE_ENV) == "1")
