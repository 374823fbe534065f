"""The staff trend charts (员工绩效): one small line chart per measure, each with its own scale."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ui.charts.common import time_tooltip, time_x
from ui.text import t

# Counts always show; rates only when the person has any (a cleaner has no patrol coverage).
TREND_COUNTS = ("orders_handled", "rework")
TREND_RATES = ("on_time_share", "mean_rating", "patrol_coverage")
SHARES = frozenset({"on_time_share", "patrol_coverage"})  # drawn in percent


def trend_measures(trend: pd.DataFrame) -> list[str]:
    """Orders handled, the rates the person has any data for, rework."""
    handled, rework = TREND_COUNTS
    return [handled, *(m for m in TREND_RATES if trend[m].notna().any()), rework]


def staff_measure_chart(trend: pd.DataFrame, measure: str) -> alt.LayerChart:
    """One measure of a ``staff_kpis.staff_trend`` frame by month: a small line chart with its
    own scale that takes its column's width (the page lays them out two a row, stacked on a
    phone; a faceted chart has a fixed width and ran past a phone's screen)."""
    label = t(f"staff.col_{measure}") + (" %" if measure in SHARES else "")
    frame = pd.DataFrame(
        {
            "month": pd.to_datetime(trend["month_start"]),
            "value": trend[measure] * (100 if measure in SHARES else 1),
        }
    ).dropna(subset=["value"])
    base = alt.Chart(frame).encode(
        x=time_x(
            "month", "month", None, units=frame["month"].nunique(), label_format="%y-%m",
            labelAngle=-45,
        ),
        # "~r": 0 reads "0", not "0.000000" (a flat line of zeros has no other tick); 100 "100".
        y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False), axis=alt.Axis(format="~r")),
        tooltip=[
            time_tooltip("month", "month", t("staff.axis_month")),
            alt.Tooltip("value:Q", title=label, format=".1f"),
        ],
    )  # fmt: skip
    return (base.mark_line(strokeWidth=2) + base.mark_point(filled=True, size=40)).properties(
        title=label, height=150
    )
