"""The new-visit cost report (bench/session_cost.py), its figures from hand-made rounds (the
rounds themselves are bench.concurrent's, smoke-tested with a real server beside this)."""

from __future__ import annotations

from pathlib import Path

from bench import concurrent, report, session_cost
from bench.concurrent import BOARD_PATH, OVERVIEW_PATH
from bench.session_cost import Configuration, Pair


def _round(n: int, server_cpu_s: float, p95_ms: float, errors: int = 0) -> concurrent.RoundResult:
    pages = tuple(
        concurrent.PageStats(page, n, p95_ms / 2, p95_ms, p95_ms, errors)
        for page in (OVERVIEW_PATH, BOARD_PATH)
    )
    connect = concurrent.PageStats("connect", n, 1, 1, 1, 0)
    memory = concurrent.MemoryStats(1, 1, 1, 1, 1)
    return concurrent.RoundResult(n, pages, connect, memory, 1.0, server_cpu_s=server_cpu_s)


def _pair(app_cpu_s: float, floor_cpu_s: float, p95_ms: float, errors: int = 0) -> Pair:
    results = concurrent.ConcurrentResults(
        "sqlite://", 1, 0, (_round(100, app_cpu_s, p95_ms, errors),),
        floor_rounds=(_round(100, floor_cpu_s, 200),),
    )  # fmt: skip
    return Pair.of(results)


def test_a_configuration_is_the_median_of_its_pairs_and_the_headline_the_worst() -> None:
    """SQLite demo: 7.0 s / 1.0 s, 4.5 / 0.5, 4.8 / 0.6 per 100 visits → 7.0×, 9.0×, 8.0×:
    median 8.0× (met); p95 2.0, 3.5, 2.5 s → 2.5 s (met). PostgreSQL large: 6.0 / 0.5, 5.5 / 0.5,
    6.6 / 0.6 → 12.0×, 11.0×, 11.0×: median 11.0× (not met), and one error. Headline: 11.0×."""
    demo = Configuration(
        "sqlite", "demo", 70_000, 100,
        (_pair(7.0, 1.0, 2000), _pair(4.5, 0.5, 3500), _pair(4.8, 0.6, 2500)),
    )  # fmt: skip
    large = Configuration(
        "postgresql", "large", 23_000_000, 100,
        (_pair(6.0, 0.5, 1000), _pair(5.5, 0.5, 1000, errors=1), _pair(6.6, 0.6, 1000)),
    )  # fmt: skip
    assert [round(p.ratio, 6) for p in demo.pairs] == [7.0, 9.0, 8.0]
    assert round(demo.ratio, 6) == 8.0 and demo.ratio_met
    assert (demo.p95_overview_ms, demo.p95_board_ms, demo.waits_met) == (2500, 2500, True)
    assert round(large.ratio, 6) == 11.0 and not large.ratio_met
    assert large.errors == 2  # the Overview's and the board's
    text = session_cost.report([demo, large])
    assert "**Headline: 11.0× the floor's server CPU per visit**" in text
    assert "postgresql · large" in text and "Every target met: **no**" in text
    assert (
        "| sqlite | demo | 70,000 | 100 | 7.0× (70 / 10.0); 9.0× (45 / 5.0); 8.0× (48 / 6.0) "
        in text
    )
    assert "| **8.0×** | 2,500 ms | 2,500 ms | 0 | yes | yes |" in text
    assert "| **11.0×** | 1,000 ms | 1,000 ms | 2 | **no** | yes |" in text
    only_demo = session_cost.report([demo])
    assert "**Headline: 8.0×" in only_demo and "Every target met: yes" in only_demo


def test_a_partial_run_replaces_only_its_own_rows_and_they_say_when(tmp_path: Path) -> None:
    """SQLite demo measured again: its row is replaced, PostgreSQL large's kept, in order; the
    rows survive the JSON file beside the report."""
    old_demo = Configuration("sqlite", "demo", 1, 100, (_pair(9.0, 1.0, 1000),), "day 1, aaa")
    large = Configuration("postgresql", "large", 2, 100, (_pair(7.0, 1.0, 1000),), "day 1, aaa")
    new_demo = Configuration("sqlite", "demo", 1, 100, (_pair(7.5, 1.0, 900),), "day 2, bbb")
    kept = session_cost.merged([large, old_demo], [new_demo])
    assert kept == [new_demo, large]
    path = tmp_path / "session_cost.json"
    session_cost.save(path, kept)
    assert session_cost.load(path) == kept
    text = session_cost.report(kept)
    assert "**Headline: 7.5×" in text and "| day 2, bbb |" in text and "| day 1, aaa |" in text


def test_results_md_carries_the_headline_under_its_own_heading(tmp_path: Path) -> None:
    (tmp_path / "SESSION_COST.md").write_text("# Title\n\n**Headline: 7.5×** …\n", encoding="utf-8")
    section = report.session_cost_section(tmp_path / "SESSION_COST.md")
    assert section.startswith("## A new owner's visit (issue 25)\n\n**Headline: 7.5×** …")
    assert "# Title" not in section
    assert report.session_cost_section(tmp_path / "absent.md") == ""
