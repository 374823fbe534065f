"""The benchmark harness in quick smoke form: one role, two pages, one query, the naive
comparison and the report writer on the shared demo database. No timing assertions."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import naive, pages, report, run
from bench.databases import Target
from data_access.db import make_engine


@pytest.fixture
def target(demo_database_copy: Path, demo_database: Path) -> Target:
    return Target("sqlite", f"sqlite:///{demo_database_copy}", demo_database.parent / "media")


def test_harness_measures_pages_queries_and_naive_and_writes_the_report(
    target: Target, tmp_path: Path
) -> None:
    results = run.bench_target(
        target,
        scale="demo",
        runs=1,
        roles=("owner",),
        page_names=["overview.py", "order_detail.py"],
        query_names=["kpis.compute_kpis (month)"],
        progress=False,
    )

    assert [(p.role, p.page) for p in results.pages] == [
        ("owner", "overview.py"),
        ("owner", "order_detail.py"),
    ]
    assert all(p.errors == () and p.cold.runs == p.warm.runs == 1 for p in results.pages)
    assert list(results.app_floors) == ["owner"]
    assert results.app_floors["owner"].errors == ()
    assert [q.name for q in results.queries] == ["kpis.compute_kpis (month)"]
    assert [(n.name, n.equal) for n in results.naive] == [
        ("Overview: six KPIs of the month", True),
        ("History: the year's public orders", True),
    ]

    out = tmp_path / "RESULTS.md"
    chart = report.write_chart(tmp_path, [results])
    report.write_markdown(out, [results], quick=True, chart=chart)
    text = out.read_text(encoding="utf-8")
    for heading in ("## Machine", "## Versions", "### Pages", "### Queries", "### Naive"):
        assert heading in text
    assert "| owner | overview.py |" in text
    assert "| owner | app.py, page = one line |" in text
    assert "| kpis.compute_kpis (month) |" in text
    assert any(tmp_path.glob("results.*"))
    report.write_json(tmp_path / "results.json", [results])
    assert '"overview.py"' in (tmp_path / "results.json").read_text(encoding="utf-8")

    # results.json renders back into the same report (python -m bench.report).
    loaded, measured = report.load_json(tmp_path / "results.json")
    again = tmp_path / "again.md"
    report.write_markdown(again, loaded, quick=True, chart=chart, measured=measured)
    # (from the versions on: the machine table holds the load average, which moves)
    body = text.split("## Versions", 1)[1]
    assert again.read_text(encoding="utf-8").split("## Versions", 1)[1] == body


def test_naive_figures_equal_the_real_ones_for_every_kpi(target: Target) -> None:
    engine = make_engine(target.url)
    try:
        viewer = pages.viewer_of(target, "committee_a")
        comparison = naive.compare(engine, viewer, runs=1)
    finally:
        engine.dispose()
    assert all(n.equal for n in comparison)
