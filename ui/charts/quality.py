"""The staff trend chart (员工绩效): one small line chart per measure, each with its own scale."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ui.charts.common import time_tooltip, time_x
from ui.text import t

# Counts always show; rates only when the person has any (a cleaner has no patrol coverage).
TREND_COUNTS = ("orders_handled", "rework")
TREND_RATES = ("on_time_share", "mean_rating", "patrol_coverage")
SHARES = frozenset({"on_time_share", "patrol_coverage"})  # drawn in percent
FACET_COLUMNS = 3


def trend_measures(trend: pd.DataFrame) -> list[str]:
    """Orders handled, the rates the person has any data for, rework."""
    handled, rework = TREND_COUNTS
    return [handled, *(m for m in TREND_RATES if trend[m].notna().any()), rework]


def staff_trend_chart(trend: pd.DataFrame, title: str) -> alt.FacetChart:
    """``trend`` is a ``staff_kpis.staff_trend`` frame (month_start and the measures)."""
    measures = trend_measures(trend)
    labels = {m: t(f"staff.col_{m}") + (" %" if m in SHARES else "") for m in measures}
    long = trend.melt(id_vars=["month_start"], value_vars=measures, var_name="measure")
    long["value"] = long["value"].where(~long["measure"].isin(SHARES), long["value"] * 100)
    long["label"] = long["measure"].map(labels)
    long["month"] = pd.to_datetime(long["month_start"])
    base = alt.Chart(long.dropna(subset=["value"])).encode(
        x=time_x(
            "month",
            "month",
            None,
            units=long["month"].nunique(),
            label_format="%y-%m",
            labelAngle=-45,
        ),
        # "~r": 0 reads "0", not "0.000000" (a flat line of zeros has no other tick); 100 "100".
        y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False), axis=alt.Axis(format="~r")),
        tooltip=[
            time_tooltip("month", "month", t("staff.axis_month")),
            alt.Tooltip("label:N", title=""),
            alt.Tooltip("value:Q", title=t("staff.axis_value"), format=".1f"),
        ],
    )
    layered = (base.mark_line(strokeWidth=2) + base.mark_point(filled=True, size=40)).properties(
        width=200, height=130
    )
    return (
        layered.facet(
            facet=alt.Facet("label:N", sort=list(labels.values()), title=None),
            columns=FACET_COLUMNS,
        )
        .resolve_scale(y="independent")
        # Each small chart carries its own month axis: a shared one sits under the last row
        # only, far from the charts above it.
        .resolve_axis(x="independent")
        .properties(title=title)
    )
