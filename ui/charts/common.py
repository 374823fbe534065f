"""Altair charts shared by pages. Titles and axes come from the catalog (UI language)."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from data_access.periods import Period, period_containing
from ui.text import t

GOOD_TO_BAD = ["#d7301f", "#fdae61", "#a6d96a", "#1a9850"]
# Chinese reads badly rotated: put the y-axis title above the axis, horizontally.
# Splatted into ``alt.Axis(**…)``: typed as Any because Axis takes a different type per key.
HORIZONTAL_Y_TITLE: dict[str, Any] = {
    "titleAngle": 0,
    "titleAlign": "left",
    "titleY": -14,
    "titleX": 0,
}


def calendar_heatmap(daily: pd.DataFrame, period: Period) -> alt.TopLevelMixin:
    """One cell per day of the period (a day or week shows its whole month), coloured by
    ``plan_rate``; days with nothing due are grey. ``daily`` has date, due, plan_rate."""
    shown = period if period.kind in ("month", "year") else period_containing("month", period.start)
    days = pd.DataFrame({"date": pd.date_range(shown.start, shown.end, freq="D")})
    frame = days.merge(daily, on="date", how="left")
    iso = frame["date"].dt.isocalendar()
    frame["weekday"] = iso["day"].map(lambda d: t(f"weekday.{d}"))
    frame["week"] = iso["year"].astype(str) + "-W" + iso["week"].astype(str).str.zfill(2)
    frame["day"] = frame["date"].dt.day
    frame["due"] = frame["due"].fillna(0).astype(int)
    weekdays = [t(f"weekday.{d}") for d in range(1, 8)]
    cell = 16 if shown.kind == "year" else 44
    base = alt.Chart(frame).encode(
        x=alt.X(
            "week:O",
            title=t("plans.axis_week"),
            axis=alt.Axis(labelAngle=-45, labels=shown.kind != "year"),
        ),
        y=alt.Y(
            "weekday:O",
            sort=weekdays,
            title=t("plans.axis_weekday"),
            axis=alt.Axis(**HORIZONTAL_Y_TITLE),
        ),
        tooltip=[
            alt.Tooltip("date:T", title=t("plans.tooltip_date"), format="%Y-%m-%d"),
            alt.Tooltip("due:Q", title=t("plans.tooltip_due")),
            alt.Tooltip("plan_rate:Q", title=t("plans.legend_rate"), format=".0%"),
        ],
    )
    background = base.mark_rect(stroke="white", strokeWidth=2, color="#e5e8eb")
    rects = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color(
            "plan_rate:Q",
            title=t("plans.legend_rate"),
            scale=alt.Scale(domain=[0, 1], range=GOOD_TO_BAD),
            legend=alt.Legend(format=".0%"),
        )
    )
    layers: list[alt.Chart] = [background, rects]
    if shown.kind != "year":
        layers.append(base.mark_text(fontSize=11, color="#1f2933").encode(text="day:Q"))
    return alt.layer(*layers).properties(
        title=t("plans.calendar_title"),
        width=alt.Step(cell),
        height=alt.Step(cell if shown.kind != "year" else 16),
    )


def kpi_trend(trend: pd.DataFrame, labels: dict[str, str]) -> alt.Chart:
    """Monthly lines of the core KPIs; ``trend`` has month_start, kpi, value (0–1)."""
    frame = trend.assign(
        name=trend["kpi"].map(labels), month=pd.to_datetime(trend["month_start"])
    ).dropna(subset=["value"])
    base = alt.Chart(frame).encode(
        x=alt.X(
            "yearmonth(month):T", title=t("overview.axis_month"), axis=alt.Axis(format="%Y-%m")
        ),
        y=alt.Y(
            "value:Q",
            title=t("overview.axis_value"),
            axis=alt.Axis(format=".0%", **HORIZONTAL_Y_TITLE),
            scale=alt.Scale(zero=False, domainMax=1),
        ),
        color=alt.Color(
            "name:N",
            title=t("overview.legend_kpi"),
            sort=list(labels.values()),
            legend=alt.Legend(orient="bottom", columns=2),
        ),
        tooltip=[
            alt.Tooltip("yearmonth(month):T", title=t("overview.axis_month"), format="%Y-%m"),
            alt.Tooltip("name:N", title=t("overview.legend_kpi")),
            alt.Tooltip("value:Q", title=t("overview.axis_value"), format=".1%"),
        ],
    )
    return (base.mark_line(strokeWidth=2.5) + base.mark_point(filled=True, size=50)).properties(
        title=t("overview.trend_title")
    )


def history_buckets(buckets: pd.DataFrame, period_kind: str) -> alt.Chart:
    """Orders per time bucket of the history page, stacked by order type."""
    time_format = "%H:%M" if period_kind == "day" else "%Y-%m" if period_kind == "year" else "%m-%d"
    return (
        alt.Chart(buckets)
        .mark_bar()
        .encode(
            x=alt.X("bucket:T", title=t("history.axis_time"), axis=alt.Axis(format=time_format)),
            y=alt.Y(
                "sum(orders):Q", title=t("history.axis_orders"), axis=alt.Axis(**HORIZONTAL_Y_TITLE)
            ),
            color=alt.Color(
                "type_label:N", title=t("history.legend_type"), legend=alt.Legend(orient="bottom")
            ),
            tooltip=[
                alt.Tooltip("bucket:T", title=t("history.axis_time"), format="%Y-%m-%d %H:%M"),
                alt.Tooltip("type_label:N", title=t("history.legend_type")),
                alt.Tooltip("orders:Q", title=t("history.axis_orders")),
                alt.Tooltip("median_hours:Q", title=t("history.metric_median"), format=".1f"),
                alt.Tooltip("on_time_share:Q", title=t("history.metric_on_time"), format=".0%"),
            ],
        )
        .properties(title=t("history.chart_title"))
    )
