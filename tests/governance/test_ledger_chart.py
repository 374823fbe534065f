"""The public ledger's 12-month chart: a month not published keeps its place on the axis as a
grey band (tooltip 未公示) with no bar (not a bar of 0); a published month's bars are its yuan."""

from __future__ import annotations

import datetime as dt

from data_access.governance.ledger import MonthFigures, MonthTotals
from ui.charts.governance import ledger_months, months_frame


def test_a_month_not_published_is_labelled_and_has_no_bar() -> None:
    figures = [
        MonthFigures(dt.date(2026, 9, 1), None),
        MonthFigures(dt.date(2026, 10, 1), MonthTotals(2_345_600, 345_600, 0, 0)),
    ]
    frame = months_frame(figures, "zh")
    spec = ledger_months(frame).to_dict()

    band, label, bars_layer = spec["layer"]
    assert label["encoding"]["text"]["value"] == "未公示"
    assert band["encoding"]["x"]["scale"]["domain"] == ["2026-09", "2026-10"]
    assert band["mark"]["type"] == "rect"
    assert [row["month"] for row in spec["datasets"][band["data"]["name"]]] == ["2026-09"]
    assert "未公示" in band["transform"][0]["calculate"]
    bars = spec["datasets"][bars_layer["data"]["name"]]
    # Income 23,456.00 yuan, costs 3,456.00, the owners' share 23,456.00 − 3,456.00 = 20,000.00.
    assert sorted((row["month"], row["yuan"]) for row in bars) == [
        ("2026-10", 3_456.0), ("2026-10", 20_000.0), ("2026-10", 23_456.0),
    ]  # fmt: skip
