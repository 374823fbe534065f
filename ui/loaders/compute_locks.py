"""Forget the per-key locks Streamlit's data cache keeps forever.

``st.cache_data`` takes a lock per cache key while computing a value, so two sessions asking for
the same missing value compute it once. Streamlit 1.67 keeps each lock in a dictionary it only
empties when the whole function's cache is cleared — which this app no longer does (a write bumps
its community's data version instead, ``ui/loaders/cache.py``). Every key ever asked for thus
leaves a lock behind: every data version of every community's figures and every owner's own
figures on every visit. Measured: 75,000 keys → 17.7 MB that never came back, the soak's
steady climb (bench/SCALE_OUT.md).

``prune_idle_compute_locks()`` drops the locks nobody holds. A lock being handed out at that
very moment may be dropped: its key is then computed twice, once by each holder, and both write
the same value — never a wrong answer. The attributes read here are Streamlit's private ones
(pinned in requirements.txt); ``tests/pages/test_compute_locks.py`` fails if an upgrade moves them.
"""

from __future__ import annotations

import threading
import time

from streamlit.runtime.caching.cache_data_api import get_data_cache_stats_provider

PRUNE_EVERY_S = 60.0

_last_pruned_lock = threading.Lock()
_last_pruned = time.monotonic()


def prune_idle_compute_locks() -> int:
    """Drop every data cache's compute locks that no one holds. Returns how many were dropped."""
    caches = get_data_cache_stats_provider()
    with caches._caches_lock:  # type: ignore[attr-defined]
        function_caches = [
            cache
            for by_function in caches._function_caches.values()  # type: ignore[attr-defined]
            for cache in by_function.values()
        ]
    dropped = 0
    for cache in function_caches:
        with cache._value_locks_lock:
            idle = [key for key, lock in cache._value_locks.items() if not lock.locked()]
            for key in idle:
                del cache._value_locks[key]
        dropped += len(idle)
    return dropped


def prune_now_and_then(now: float | None = None) -> None:
    """``prune_idle_compute_locks()`` at most once per ``PRUNE_EVERY_S`` (called on page runs)."""
    global _last_pruned
    moment = time.monotonic() if now is None else now
    with _last_pruned_lock:
        if moment - _last_pruned < PRUNE_EVERY_S:
            return
        _last_pruned = moment
    prune_idle_compute_locks()
