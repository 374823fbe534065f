"""Results kept in this server process, keyed by their arguments, for a while.

``@process_cache(ttl=…)`` keeps a function's results in this process's memory rather than in
``st.cache_data``: Streamlit's cache hashed every argument with its own hasher and unpickled a
copy of the value on every hit — hashing alone was a twelfth of a new owner's visit (issue 25).
Here the key is the arguments themselves (ids, dates, frozen dataclasses, tuples; a dict or list
by its content), except those named with a leading "_" (as in ``st.cache_data``: another
argument stands for them). Values are kept as they are; a caller gets the value itself, except
that a data frame, list, dict or set is copied (shallowly: what they hold is immutable, frozen
dataclasses and tuples; a data frame copies on write) so that no page can change what another
session is shown. Concurrent callers missing the same entry wait for one computation; the
least recently used entries go first beyond ``max_entries``. ``clear_all_caches()`` empties
every such cache (tests do between tests).

``ui.loaders.cache.community_cache`` builds on it for reads of a community's data.
"""

from __future__ import annotations

import copy
import functools
import inspect
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, ParamSpec, TypeVar

import pandas as pd

P = ParamSpec("P")
T = TypeVar("T")

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


def process_cache(
    *, ttl: float, max_entries: int | None = None
) -> Callable[[Callable[P, T]], CachedRead[P, T]]:
    """``@process_cache(ttl=600)``: results kept in this process per arguments, for what does
    not depend on a community's data (or names it in its arguments, like a chart's key)."""

    def decorate(fn: Callable[P, T]) -> CachedRead[P, T]:
        return CachedRead(fn, ttl, max_entries)

    return decorate
