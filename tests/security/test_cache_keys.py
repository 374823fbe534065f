"""Cached loaders never hand one viewer's data to another (issue 7).

``st.cache_data`` is shared by every session of the process and keyed by the function's
arguments only. So a cached function whose answer depends on the viewer must take the viewer as
an argument, and must not fetch it from somewhere the key cannot see (``st.session_state``,
``context.viewer()``). The scan covers every module of ``ui/`` and ``pages/``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support.sources import ROOT, check_scanned, python_files

SCANNED = [*python_files("ui", "pages"), ROOT / "app.py"]
CACHE_DECORATORS = {"cache_data", "cache_resource", "community_cache"}
HIDDEN_VIEWER_SOURCES = {"session_state", "viewer", "current_viewer", "experimental_user", "user"}


def _is_cache_decorator(node: ast.expr) -> bool:
    target = node.func if isinstance(node, ast.Call) else node
    if isinstance(target, ast.Name):  # ui/loaders/cache.py's community_cache
        return target.id in CACHE_DECORATORS
    return isinstance(target, ast.Attribute) and target.attr in CACHE_DECORATORS


def _parameters(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    args = fn.args
    names = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    names += [a for a in (args.vararg, args.kwarg) if a is not None]
    return {a.arg for a in names}


def cache_key_problems(source: str, filename: str = "<source>") -> list[str]:
    """Every cached function that could answer one viewer with another viewer's data."""
    problems: list[str] = []
    for fn in ast.walk(ast.parse(source, filename)):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if not any(_is_cache_decorator(d) for d in fn.decorator_list):
            continue
        where = f"{filename}:{fn.lineno} {fn.name}()"
        params = _parameters(fn)
        for node in ast.walk(fn):
            # read(fn, viewer=…) / fn(viewer=…): the viewer must come from the arguments.
            if isinstance(node, ast.Call):
                for kw in node.keywords:
                    if kw.arg == "viewer" and "viewer" not in params:
                        problems.append(f"{where}: passes viewer= without a viewer parameter")
                    if kw.arg == "viewer" and not _from_parameters(kw.value, params):
                        problems.append(f"{where}: passes a viewer not taken from its parameters")
            # st.session_state / context.viewer() / st.user: invisible to the cache key.
            if (
                isinstance(node, ast.Attribute)
                and node.attr in HIDDEN_VIEWER_SOURCES
                and not (isinstance(node.value, ast.Name) and node.value.id in params)
            ):
                problems.append(f"{where}: reads {ast.unparse(node)} inside a cached function")
            if isinstance(node, ast.Name) and node.id == "session_state":
                problems.append(f"{where}: reads session_state inside a cached function")
    return problems


def _from_parameters(value: ast.expr, params: set[str]) -> bool:
    names = {n.id for n in ast.walk(value) if isinstance(n, ast.Name)}
    return bool(names) and names <= params


@pytest.mark.parametrize("path", SCANNED, ids=lambda p: str(p.relative_to(ROOT)))
def test_cached_functions_are_keyed_by_the_viewer(path: Path) -> None:
    assert cache_key_problems(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))) == []


def test_the_scan_reads_every_module_of_ui_and_pages() -> None:
    check_scanned(SCANNED, "ui", "pages")


def test_the_scan_finds_cached_functions() -> None:
    """The scan is not vacuous: ui/ holds cached viewer-dependent loaders."""
    cached_with_viewer = 0
    for path in SCANNED:
        for fn in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(fn, ast.FunctionDef) and any(
                _is_cache_decorator(d) for d in fn.decorator_list
            ):
                cached_with_viewer += "viewer" in _parameters(fn)
    assert cached_with_viewer >= 10


BAD_EXAMPLES = {
    "viewer from session state": """
import streamlit as st
@st.cache_data(ttl=60)
def my_orders(period):
    return read(list_orders, viewer=st.session_state["viewer"], period=period)
""",
    "viewer from context": """
import streamlit as st
from ui import context
@st.cache_data
def my_orders(period):
    return read(list_orders, viewer=context.viewer(), period=period)
""",
    "viewer from a module global": """
import streamlit as st
VIEWER = None
@st.cache_data(show_spinner=False)
def my_orders(period):
    return read(list_orders, viewer=VIEWER, period=period)
""",
    "session state read for a filter": """
import streamlit as st
@st.cache_data(ttl=60)
def my_orders(viewer, period):
    owner = st.session_state.get("owner")
    return read(list_orders, viewer=viewer, period=period, owner=owner)
""",
    "cache_resource holding private data": """
import streamlit as st
from ui import context
@st.cache_resource
def my_orders():
    return read(list_orders, viewer=context.viewer())
""",
}


@pytest.mark.parametrize("source", BAD_EXAMPLES.values(), ids=BAD_EXAMPLES.keys())
def test_the_checker_flags_a_leaky_cache(source: str) -> None:
    assert cache_key_problems(source) != []


def test_the_checker_accepts_a_keyed_cache() -> None:
    good = """
import streamlit as st
@st.cache_data(ttl=60)
def my_orders(viewer, period):
    return read(list_orders, viewer=viewer, period=period)
"""
    assert cache_key_problems(good) == []
