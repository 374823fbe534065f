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

The entries live in this process's memory, not in ``st.cache_data``: Streamlit's cache hashed
every argument with its own hasher and unpickled a copy of the value on every hit — hashing
alone was a twelfth of a new owner's visit (issue 25). Here the key is the arguments themselves
(ids, dates, frozen dataclasses, tuples; a dict or list by its content) and the database read;
values are kept as they are, and a caller gets the value itself, except that a data frame,
list, dict or set is copied
(shallowly: what they hold is immutable, frozen dataclasses and tuples) so that no page can
change what another session is shown. Concurrent callers missing the same entry wait for one
computation. ``clear_all_caches()`` empties every such cache (tests do between tests).
"""

from __future__ import annotations

import copy
import functools
import inspect
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Any, Generic, ParamSpec, TypeVar

import pandas as pd

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


def community_version(community_id: int, database: str | None = None) -> int:
    """The community's data version as this run sees it (see the module's docstring), in
    ``database`` (the URL this run reads from, when the caller has it already)."""
    prune_now_and_then()  # each new version leaves a lock behind in Streamlit's cache
    key = (database or read_url(), community_id)
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


# At most this many entries per cached read (the least recently used go first): per-viewer
# reads add one per visitor and minute.
DEFAULT_MAX_ENTRIES = 5_000
_all_caches: weakref.WeakSet[CachedRead[Any, Any]] = weakref.WeakSet()


def clear_all_caches() -> None:
    """Empty every ``community_cache`` and ``process_cache`` of this process."""
    for cache in list(_all_caches):
        cache.clear()


def _handed_out(value: T) -> T:
    """What a caller gets: the value, its container copied (see the module's docstring)."""
    if isinstance(value, pd.DataFrame):
        # pandas copies on write: a shallow copy shares the data until either side changes it,
        # and a change never reaches the other (a deep copy of the Overview's trend was a
        # thirtieth of a new visit).
        return value.copy(deep=False)
    if isinstance(value, list | dict | set):
        return copy.copy(value)
    return value


def _frozen(value: Any) -> Hashable:
    """A hashable stand-in for an argument made of dicts, lists and sets (equal when equal)."""
    if isinstance(value, dict):
        return ("dict", tuple(sorted((_frozen(k), _frozen(v)) for k, v in value.items())))
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(_frozen(item) for item in value))
    if isinstance(value, set | frozenset):
        return ("set", frozenset(_frozen(item) for item in value))
    hash(value)  # anything else must be hashable as it is (TypeError otherwise)
    return value


class CachedRead(Generic[P, T]):
    """A function whose results are kept in this process, keyed by its arguments (but those
    named with a leading "_"), for ``ttl`` seconds (``process_cache``; the values handed out
    as ``community_cache``'s are)."""

    def __init__(self, fn: Callable[P, T], ttl: float, max_entries: int | None) -> None:
        self._fn: Callable[..., T] = fn
        self._signature = inspect.signature(fn)
        self._ttl = ttl
        self._max_entries = max_entries or DEFAULT_MAX_ENTRIES
        self._lock = threading.Lock()
        # key → (monotonic seconds when computed, value), least recently used first
        self._entries: OrderedDict[Hashable, tuple[float, T]] = OrderedDict()
        self._computing: dict[Hashable, threading.Lock] = {}
        functools.update_wrapper(self, fn)
        _all_caches.add(self)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> T:
        arguments = self._signature.bind(*args, **kwargs).arguments
        key = self._key(arguments)
        found = self._fresh(key)
        if found is not None:
            return _handed_out(found[1])
        with self._lock:
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:  # one computation per key; the others wait for it and read it
            try:
                found = self._fresh(key)
                if found is None:
                    found = (time.monotonic(), self._fn(**arguments))
                    self._store(key, found)
            finally:
                with self._lock:
                    if self._computing.get(key) is computing:
                        del self._computing[key]
        return _handed_out(found[1])

    def is_fresh(self, *args: Any, **kwargs: Any) -> bool:
        """Whether a call with these arguments would be answered from the cache now."""
        arguments = self._signature.bind(*args, **kwargs).arguments
        return self._fresh(self._key(arguments)) is not None

    def clear(self, *args: Any, **kwargs: Any) -> None:
        """Forget the cached result for these arguments, or every result when given none."""
        with self._lock:
            if not args and not kwargs:
                self._entries.clear()
                return
        arguments = self._signature.bind(*args, **kwargs).arguments
        key = self._key(arguments)
        with self._lock:
            self._entries.pop(key, None)

    def _key(self, arguments: dict[str, Any]) -> Hashable:
        # An argument whose name starts with "_" is not part of the key (as in st.cache_data):
        # another argument stands for it, e.g. a chart's key for its data frame.
        return _hashable(tuple((k, v) for k, v in arguments.items() if not k.startswith("_")))

    def _fresh(self, key: Hashable) -> tuple[float, T] | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            if time.monotonic() - found[0] >= self._ttl:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return found

    def _store(self, key: Hashable, entry: tuple[float, T]) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)


def _hashable(arguments: tuple[tuple[str, Any], ...]) -> Hashable:
    try:
        hash(arguments)
        return arguments
    except TypeError:  # a dict or a list among the arguments (the report's chart specs)
        return _frozen(arguments)


class CommunityCachedRead(CachedRead[P, T]):
    """A loader whose cached results are keyed by its arguments and its community's data
    version, kept in this process (see the module's docstring)."""

    def __init__(self, fn: Callable[P, T], ttl: float, max_entries: int | None) -> None:
        super().__init__(fn, ttl, max_entries)
        if not {"viewer", "community_id"} & set(self._signature.parameters):
            raise TypeError(f"{fn.__qualname__} takes neither a viewer nor a community_id")

    def _key(self, arguments: dict[str, Any]) -> Hashable:
        # Keyed by the database the read goes to as well: a version numbers one database's data.
        database = read_url()
        return (super()._key(arguments), database, self._version(arguments, database))

    def _version(self, arguments: dict[str, Any], database: str) -> int:
        viewer = arguments.get("viewer")
        community = viewer.community_id if isinstance(viewer, Viewer) else arguments["community_id"]
        return community_version(int(community), database)


def process_cache(
    *, ttl: float, max_entries: int | None = None
) -> Callable[[Callable[P, T]], CachedRead[P, T]]:
    """``@process_cache(ttl=600)``: results kept in this process per arguments, for what does
    not depend on a community's data (or names it in its arguments, like a chart's key)."""

    def decorate(fn: Callable[P, T]) -> CachedRead[P, T]:
        return CachedRead(fn, ttl, max_entries)

    return decorate


def community_cache(
    *, ttl: float, max_entries: int | None = None
) -> Callable[[Callable[P, T]], CommunityCachedRead[P, T]]:
    """``@community_cache(ttl=60)``: a read cached per arguments and community data version."""

    def decorate(fn: Callable[P, T]) -> CommunityCachedRead[P, T]:
        return CommunityCachedRead(fn, ttl, max_entries)

    return decorate
