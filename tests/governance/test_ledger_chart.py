"""The public ledger's 12-month chart: a month not published keeps its place on the axis with
the label 未公示 and has no bar (not a bar of 0); a published month's bars are its yuan."""

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

    x = spec["encoding"]["x"]
    assert x["scale"]["domain"] == ["2026-09", "2026-10"]
    assert "'2026-09'" in x["axis"]["labelExpr"] and "未公示" in x["axis"]["labelExpr"]
    bars = spec["datasets"][spec["data"]["name"]]
    # Income 23,456.00 yuan, costs 3,456.00, the owners' share 23,456.00 − 3,456.00 = 20,000.00.
    assert sorted((row["month"], row["yuan"]) for row in bars) == [
        ("2026-10", 3_456.0), ("2026-10", 20_000.0), ("2026-10", 23_456.0),
    ]  # fmt: skip
