"""Cached page reads that stay warm under writes elsewhere.

``@community_cache(ttl=…)`` replaces ``@st.cache_data`` on a loader that takes a ``viewer`` or a
``community_id``: its cache key gains the community's data version (``data_access.data_versions``),
so a write in that community — from this process, another process or the worker — makes its
next read compute afresh, and a write in any other community changes nothing here.

The version is one primary-key read, made at most once per ``VERSION_FRESH_S`` per community
and per database (primary or replica) in this process: a write elsewhere is seen within
that time. After a write of its own the process forgets the versions of the communities it
touched, so the writer's next run reads the new version at once. Versions read from the
replica are kept apart from those read from the primary: a version and the data it keys must
come from the same database, or a replica that is behind would fill a new version's entry
with old data.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, Generic, ParamSpec, TypeVar

import streamlit as st

from data_access.accounts.auth import Viewer
from data_access.data_versions import version_of
from ui.database import read, read_url
from ui.loaders.compute_locks import prune_now_and_then

P = ParamSpec("P")
T = TypeVar("T")
# How long a process trusts a version it read. Other processes' writes show within this (the
# issue allowed 5 s); measured: with a write every second, browsing p95 rose 1.78× at 1 s and
# not at all at 4 s (bench/SCALE_OUT.md) — the versions of busy communities change every read.
VERSION_FRESH_S = 4.0

_versions_lock = threading.Lock()
# (database the reads go to, community) → (when read, monotonic seconds; version)
_versions: dict[tuple[str, int], tuple[float, int]] = {}


def community_version(community_id: int) -> int:
    """The community's data version as this run sees it (see the module's docstring)."""
    prune_now_and_then()  # each new version leaves a lock behind in Streamlit's cache
    key = (read_url(), community_id)
    now = time.monotonic()
    with _versions_lock:
        seen = _versions.get(key)
    if seen is not None and now - seen[0] < VERSION_FRESH_S:
        return seen[1]
    version = read(version_of, community_id=community_id)
    with _versions_lock:
        _versions[key] = (now, version)
    return version


def forget_versions(community_ids: Iterable[int]) -> None:
    """Drop the remembered versions of these communities (after this process wrote to them)."""
    forgotten = set(community_ids)
    with _versions_lock:
        for key in [key for key in _versions if key[1] in forgotten]:
            del _versions[key]


def viewer_cache_key(viewer: Viewer) -> tuple[object, ...]:
    """What a cached read is keyed by for a viewer: every field (two viewers differing in any
    field never share an entry). Streamlit would otherwise hash a dataclass through
    ``dataclasses.asdict``, a deep copy, on every call."""
    return tuple(getattr(viewer, name) for name in _VIEWER_FIELDS)


_VIEWER_FIELDS = tuple(field.name for field in dataclasses.fields(Viewer))


VIEWER_HASH: dict[Any, Callable[[Any], Any]] = {Viewer: viewer_cache_key}


class CommunityCachedRead(Generic[P, T]):
    """A loader whose cached results are keyed by its community's data version."""

    def __init__(self, fn: Callable[P, T], ttl: float, max_entries: int | None) -> None:
        self._signature = inspect.signature(fn)
        if not {"viewer", "community_id"} & set(self._signature.parameters):
            raise TypeError(f"{fn.__qualname__} takes neither a viewer nor a community_id")

        @functools.wraps(fn)
        def keyed(*args: Any, data_version: int, **kwargs: Any) -> T:
            del data_version  # only keys the cache
            return fn(*args, **kwargs)

        self._cached = st.cache_data(
            ttl=ttl, max_entries=max_entries, show_spinner=False, hash_funcs=VIEWER_HASH
        )(keyed)
        functools.update_wrapper(self, fn)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> T:
        # Every argument by name: Streamlit keys a positional argument by its name, which it
        # finds with ``inspect.signature`` per argument and call (a twentieth of a new visit).
        arguments = self._signature.bind(*args, **kwargs).arguments
        return self._cached(**arguments, data_version=self._version(arguments))

    def clear(self, *args: Any, **kwargs: Any) -> None:
        """Forget the cached result for these arguments, or every result when given none."""
        if not args and not kwargs:
            self._cached.clear()
            return
        arguments = self._signature.bind(*args, **kwargs).arguments
        self._cached.clear(**arguments, data_version=self._version(arguments))

    def _version(self, arguments: dict[str, Any]) -> int:
        viewer = arguments.get("viewer")
        community = viewer.community_id if isinstance(viewer, Viewer) else arguments["community_id"]
        return community_version(int(community))


def community_cache(
    *, ttl: float, max_entries: int | None = None
) -> Callable[[Callable[P, T]], CommunityCachedRead[P, T]]:
    """``@community_cache(ttl=60)``: ``st.cache_data`` keyed by the community's data version."""

    def decorate(fn: Callable[P, T]) -> CommunityCachedRead[P, T]:
        return CommunityCachedRead(fn, ttl, max_entries)

    return decorate
