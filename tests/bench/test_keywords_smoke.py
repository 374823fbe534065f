"""The keyword benchmark runs end to end on a tiny corpus (the real one: python -m bench.keywords)."""

from __future__ import annotations

from pathlib import Path

from bench import keywords as keyword_bench


def test_the_keyword_benchmark_measures_every_role(tmp_path: Path) -> None:
    url = keyword_bench.build(tmp_path / "k.db", texts=40)
    rows = keyword_bench.measure(url)
    assert [row[0] for row in rows] == ["owner", "committee", "manager"]
    assert all(row[-1] > 0 for row in rows)  # keywords found for every role
    assert "| owner |" in keyword_bench.table(rows, 40)
