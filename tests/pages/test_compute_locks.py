"""Streamlit's data cache keeps a lock for every key ever computed; the app drops the idle ones,
or a process grows by every data version and every owner's visit (bench/SCALE_OUT.md, soak)."""

from __future__ import annotations

from typing import Any

import pytest
import streamlit as st

from ui.loaders import compute_locks


@st.cache_data(ttl=1, show_spinner=False)
def figures(community_id: int, data_version: int) -> list[int]:
    return [community_id, data_version]


def locks_of(fn: Any) -> dict[str, Any]:
    cache = fn._info.get_function_cache(fn._function_key)
    return cache._value_locks


def test_idle_locks_are_dropped_and_the_cached_values_stay() -> None:
    for version in range(200):
        figures(1, version)
    assert len(locks_of(figures)) >= 200  # one per key ever asked for, kept by Streamlit
    assert compute_locks.prune_idle_compute_locks() >= 200
    assert len(locks_of(figures)) == 0
    assert figures(1, 199) == [1, 199]  # still served (the value was never the lock)


def test_a_lock_held_by_a_computation_is_kept() -> None:
    figures(2, 0)
    figures(2, 1)
    busy = next(iter(locks_of(figures).values()))
    with busy:
        compute_locks.prune_idle_compute_locks()
        assert list(locks_of(figures).values()) == [busy]


def test_page_runs_prune_once_a_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    start = 1_000_000.0
    monkeypatch.setattr(compute_locks, "_last_pruned", start)
    for version in range(10):
        figures(3, version)
    compute_locks.prune_now_and_then(now=start + compute_locks.PRUNE_EVERY_S - 1)
    assert len(locks_of(figures)) >= 10  # not yet
    compute_locks.prune_now_and_then(now=start + compute_locks.PRUNE_EVERY_S)
    assert len(locks_of(figures)) == 0
