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

The entries live in this process's memory (``ui.process_cache``: keyed by the arguments
themselves, values handed out as they are with their containers copied, one computation for
concurrent callers), keyed as well by the database read and the community's version.
``clear_all_caches()`` empties every such cache (tests do between tests).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Iterable
from typing import Any, ParamSpec, TypeVar

from data_access.accounts.auth import Viewer
from data_access.data_versions import version_of
from ui.database import read, read_url
from ui.loaders.compute_locks import prune_now_and_then
from ui.process_cache import CachedRead, clear_all_caches

__all__ = ["clear_all_caches", "community_cache", "community_version", "forget_versions"]

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
    # st.cache_data (still behind some pages' reads and chart specs) leaves a lock per key
    # behind; this run, asked for a version anyway, drops the idle ones now and then.
    prune_now_and_then()
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


def community_cache(
    *, ttl: float, max_entries: int | None = None
) -> Callable[[Callable[P, T]], CommunityCachedRead[P, T]]:
    """``@community_cache(ttl=60)``: a read cached per arguments and community data version."""

    def decorate(fn: Callable[P, T]) -> CommunityCachedRead[P, T]:
        return CommunityCachedRead(fn, ttl, max_entries)

    return decorate
