"""``community_cache`` keeps its entries in the process (issue 25): keyed by the arguments and
the community's data version, one computation for concurrent callers, entries expire, the least
recently used go first, and no caller can change what the next one is given."""

from __future__ import annotations

import threading
import time
from typing import Any

import pandas as pd
import pytest

from ui.loaders import cache
from ui.process_cache import process_cache


@pytest.fixture
def version(monkeypatch: pytest.MonkeyPatch) -> dict[int, int]:
    """Each community's data version, as the test sets it (no database)."""
    versions: dict[int, int] = {}
    monkeypatch.setattr(
        cache,
        "community_version",
        lambda community_id, database=None: versions.get(community_id, 0),
    )
    return versions


def counted(ttl: float = 60, max_entries: int | None = None) -> tuple[Any, list[tuple[Any, ...]]]:
    calls: list[tuple[Any, ...]] = []

    @cache.community_cache(ttl=ttl, max_entries=max_entries)
    def figures(community_id: int, spec: Any = None) -> dict[str, Any]:
        calls.append((community_id, spec))
        return {"community": community_id, "rows": [1, 2]}

    return figures, calls


def test_an_entry_is_kept_per_arguments_and_data_version(version: dict[int, int]) -> None:
    figures, calls = counted()
    assert figures(1) == figures(community_id=1) == {"community": 1, "rows": [1, 2]}
    figures(2)
    assert calls == [(1, None), (2, None)]
    version[1] = 7  # a write in community 1: its entry is no longer asked for; 2's still is
    figures(1)
    figures(2)
    assert calls == [(1, None), (2, None), (1, None)]


def test_is_fresh_says_whether_a_call_would_be_answered_from_the_cache(
    version: dict[int, int],
) -> None:
    """What the Overview asks before it decides on a spinner; asking computes nothing."""
    figures, calls = counted()
    assert not figures.is_fresh(1)
    figures(1)
    assert figures.is_fresh(1) and figures.is_fresh(community_id=1)
    assert not figures.is_fresh(1, spec="other") and not figures.is_fresh(2)
    version[1] = 3  # a write in community 1
    assert not figures.is_fresh(1)
    assert calls == [(1, None)]


def test_entries_expire_and_the_least_recently_used_goes_first(
    version: dict[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1000.0]
    monkeypatch.setattr(cache.time, "monotonic", lambda: now[0])
    figures, calls = counted(ttl=10, max_entries=2)
    figures(1)
    figures(2)
    figures(1)  # 1 is now the most recently used
    figures(3)  # a third entry: 2 goes
    figures(1)
    assert calls == [(1, None), (2, None), (3, None)]
    figures(2)
    assert calls[-1] == (2, None)
    now[0] += 10  # ten seconds later every entry has expired
    figures(2)
    assert calls.count((2, None)) == 3


def test_callers_get_their_own_containers(version: dict[int, int]) -> None:
    @cache.community_cache(ttl=60)
    def frame(community_id: int) -> pd.DataFrame:
        return pd.DataFrame({"value": [1.0, 2.0]})

    figures, _ = counted()
    first = figures(1)
    first["community"] = 99
    assert figures(1)["community"] == 1
    shown = frame(1)
    shown["value"] = 0.0
    assert frame(1)["value"].tolist() == [1.0, 2.0]


def test_unhashable_arguments_are_keyed_by_their_content(version: dict[int, int]) -> None:
    figures, calls = counted()
    figures(1, spec={"mark": "line", "encoding": [{"field": "x"}]})
    figures(1, spec={"encoding": [{"field": "x"}], "mark": "line"})  # the same, written apart
    figures(1, spec={"mark": "bar"})
    assert len(calls) == 2


def test_callers_missing_one_entry_at_once_compute_it_once(version: dict[int, int]) -> None:
    started = threading.Event()
    calls: list[int] = []

    @cache.community_cache(ttl=60)
    def slow(community_id: int) -> int:
        calls.append(community_id)
        started.set()
        time.sleep(0.2)
        return 42

    answers: list[int] = []
    threads = [threading.Thread(target=lambda: answers.append(slow(5))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [42] * 8 and calls == [5]


def test_clear_forgets_one_entry_or_all(version: dict[int, int]) -> None:
    figures, calls = counted()
    figures(1)
    figures(2)
    figures.clear(1)
    figures(1)
    figures(2)
    assert calls == [(1, None), (2, None), (1, None)]
    cache.clear_all_caches()
    figures(2)
    assert calls[-1] == (2, None) and len(calls) == 4


def test_a_process_cache_keys_by_its_arguments_but_the_underscored_ones() -> None:
    """What the chart specs are kept by: a key standing for data that is not hashed."""
    calls: list[list[int]] = []

    @process_cache(ttl=60)
    def spec(key: tuple[str, int], _rows: list[int], language: str) -> dict[str, int]:
        calls.append(list(_rows))
        return {"rows": len(_rows)}

    assert spec(("trend", 1), [1, 2], language="zh") == {"rows": 2}
    assert spec(("trend", 1), [9, 9, 9], language="zh") == {"rows": 2}  # the key stands for them
    assert spec(("trend", 1), [9, 9, 9], language="en") == {"rows": 3}
    assert calls == [[1, 2], [9, 9, 9]]
    cache.clear_all_caches()
    spec(("trend", 1), [1], language="zh")
    assert calls[-1] == [1]
