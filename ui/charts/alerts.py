"""The alerts page's chart: alerts raised per week, stacked by rule."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from ui.charts.common import HORIZONTAL_Y_TITLE, time_tooltip, time_x
from ui.text import code_label, t


def weekly_trend_chart(trend: pd.DataFrame) -> alt.Chart:
    """``trend`` is an ``alerts.rules.alert_trend`` frame. Each bar spans its ISO week (Monday
    to Monday), with a tick on every Monday from the first week to the last."""
    frame = trend.assign(
        rule_label=trend["rule"].map(lambda r: code_label("alert_rule", r)),
        week_end=trend["week_start"] + pd.Timedelta(days=7),
    )
    first, last = frame["week_start"].min().date(), frame["week_start"].max().date()
    mondays = [first + dt.timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]
    return (
        alt.Chart(frame)
        .mark_bar(stroke="white", strokeWidth=1)
        .encode(
            x=time_x("week_start", "day", t("alerts.axis_week"), tick_days=mondays),
            x2=alt.X2("week_end", timeUnit="yearmonthdate"),
            y=alt.Y(
                "sum(raised):Q",
                title=t("alerts.axis_raised"),
                axis=alt.Axis(tickMinStep=1, **HORIZONTAL_Y_TITLE),
            ),
            color=alt.Color(
                "rule_label:N", title=t("alerts.legend_rule"), legend=alt.Legend(orient="bottom")
            ),
            tooltip=[
                alt.Tooltip("week:N", title=t("alerts.axis_week")),
                time_tooltip("week_start", "day", t("alerts.tooltip_week_start")),
                alt.Tooltip("rule_label:N", title=t("alerts.legend_rule")),
                alt.Tooltip("raised:Q", title=t("alerts.axis_raised")),
            ],
        )
    )
