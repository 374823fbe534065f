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

**While a new version is computed, the last one is served.** A community's figures (a loader
keyed by ``community_id``, the same for everyone there) change version every few seconds under
a steady trickle of writes; the first run to see the new version computes it, and every other
run that asks meanwhile gets the previous version's answer at once instead of queueing behind
that computation (``st.cache_data`` would make them wait for it). Never for a viewer who wrote
in the last ``OWN_WRITE_WINDOW_S`` (they see their own write), never an answer read more than
``STALE_AT_MOST_S`` ago (nor past the loader's ``ttl``), never across databases; loaders keyed
by a viewer are not served stale.
"""

from __future__ import annotations

import functools
import inspect
import pickle
import threading
import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, ParamSpec, TypeVar

import streamlit as st

from data_access.accounts.auth import Viewer
from data_access.data_versions import version_of
from ui.database import read, read_url, wrote_recently
from ui.loaders.compute_locks import prune_now_and_then

P = ParamSpec("P")
T = TypeVar("T")
# How long a process trusts a version it read. Other processes' writes show within this (the
# issue allowed 5 s); measured: with a write every second, browsing p95 rose 1.78× at 1 s and
# not at all at 4 s (bench/SCALE_OUT.md) — the versions of busy communities change every read.
VERSION_FRESH_S = 4.0
# The oldest answer served while its next version is computed (read that many seconds ago): a
# busy community's figures are recomputed about every VERSION_FRESH_S.
STALE_AT_MOST_S = 2 * VERSION_FRESH_S

_versions_lock = threading.Lock()
# (database the reads go to, community) → (when read, monotonic seconds; version)
_versions: dict[tuple[str, int], tuple[float, int]] = {}


def community_version(community_id: int) -> int:
    """The community's data version as this run sees it (see the module's docstring)."""
    prune_now_and_then()  # each new version leaves a lock behind in Streamlit's cache
    _forget_old_answers_now_and_then()
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


@dataclass(frozen=True)
class _Answer:
    """The newest answer this process computed for a loader's arguments (pickled, as
    ``st.cache_data`` keeps it: every reader gets its own copy)."""

    version: int
    computed_at: float  # monotonic seconds
    blob: bytes


class CommunityCachedRead(Generic[P, T]):
    """A loader whose cached results are keyed by its community's data version."""

    def __init__(self, fn: Callable[P, T], ttl: float, max_entries: int | None) -> None:
        self._signature = inspect.signature(fn)
        if not {"viewer", "community_id"} & set(self._signature.parameters):
            raise TypeError(f"{fn.__qualname__} takes neither a viewer nor a community_id")
        self._ttl = ttl
        self._shared = "viewer" not in self._signature.parameters  # the same for a community
        self._answers: dict[Hashable, _Answer] = {}
        self._computing: dict[Hashable, threading.Lock] = {}
        self._answers_lock = threading.Lock()
        _LOADERS.append(self)

        @functools.wraps(fn)
        def keyed(*args: Any, data_version: int, **kwargs: Any) -> T:
            del data_version  # only keys the cache
            return fn(*args, **kwargs)

        self._cached = st.cache_data(ttl=ttl, max_entries=max_entries, show_spinner=False)(keyed)
        functools.update_wrapper(self, fn)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> T:
        version = self._version(args, kwargs)
        key = self._answer_key(args, kwargs) if self._shared else None
        if key is None:
            return self._cached(*args, data_version=version, **kwargs)
        started = time.monotonic()
        serve: bytes | None = None
        computing: threading.Lock | None = None
        with self._answers_lock:
            last = self._answers.get(key)
            young = last is not None and started - last.computed_at < self._stale_at_most
            if last is not None and last.version < version and young:
                computing = self._computing.setdefault(key, threading.Lock())
                if not computing.acquire(blocking=False):
                    computing = None
                    if not wrote_recently():  # someone computes the new version: serve the last
                        serve = last.blob
                    # (a writer waits for it, like any cache miss)
        if serve is not None:
            return pickle.loads(serve)
        try:
            value = self._cached(*args, data_version=version, **kwargs)
            if last is None or version > last.version:
                self._remember(key, version, started, value)
            return value
        finally:
            if computing is not None:
                with self._answers_lock:
                    computing.release()
                    self._computing.pop(key, None)

    def _answer_key(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Hashable | None:
        """The database and the arguments, or None if they cannot key a dictionary."""
        arguments = self._signature.bind(*args, **kwargs).arguments
        key = (read_url(), tuple(sorted(arguments.items())))
        try:
            hash(key)
        except TypeError:
            return None
        return key

    @property
    def _stale_at_most(self) -> float:
        return min(self._ttl, STALE_AT_MOST_S)

    def _remember(self, key: Hashable, version: int, started: float, value: T) -> None:
        """Keep the answer (read from ``started`` on) unless a newer one is kept already (a
        slower run of an older version must not replace it)."""
        blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        with self._answers_lock:
            current = self._answers.get(key)
            if current is None or version > current.version:
                self._answers[key] = _Answer(version, started, blob)

    def forget_old_answers(self, now: float) -> None:
        """Drop the answers too old to be served any more."""
        with self._answers_lock:
            for key in [k for k, a in self._answers.items()
                        if now - a.computed_at >= self._stale_at_most]:  # fmt: skip
                del self._answers[key]

    def forget_answers(self) -> None:
        with self._answers_lock:
            self._answers.clear()

    def clear(self, *args: Any, **kwargs: Any) -> None:
        """Forget the cached result for these arguments, or every result when given none."""
        self.forget_answers()
        if not args and not kwargs:
            self._cached.clear()
            return
        self._cached.clear(*args, data_version=self._version(args, kwargs), **kwargs)

    def _version(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
        arguments = self._signature.bind(*args, **kwargs).arguments
        viewer = arguments.get("viewer")
        community = viewer.community_id if isinstance(viewer, Viewer) else arguments["community_id"]
        return community_version(int(community))


_LOADERS: list[CommunityCachedRead[Any, Any]] = []
_answers_swept_lock = threading.Lock()
_answers_swept = time.monotonic()
SWEEP_ANSWERS_EVERY_S = 60.0


def _forget_old_answers_now_and_then() -> None:
    """Every loader drops its answers too old to serve, at most once a minute (an idle loader
    would keep them otherwise)."""
    global _answers_swept
    now = time.monotonic()
    with _answers_swept_lock:
        if now - _answers_swept < SWEEP_ANSWERS_EVERY_S:
            return
        _answers_swept = now
    for loader in _LOADERS:
        loader.forget_old_answers(now)


def forget_all_answers() -> None:
    """Every community loader forgets its last answers (with ``st.cache_data.clear()``: a test
    that starts on a fresh database)."""
    for loader in _LOADERS:
        loader.forget_answers()


def community_cache(
    *, ttl: float, max_entries: int | None = None
) -> Callable[[Callable[P, T]], CommunityCachedRead[P, T]]:
    """``@community_cache(ttl=60)``: ``st.cache_data`` keyed by the community's data version."""

    def decorate(fn: Callable[P, T]) -> CommunityCachedRead[P, T]:
        return CommunityCachedRead(fn, ttl, max_entries)

    return decorate
