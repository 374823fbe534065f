"""Every time axis labels each tick once, in the unit its data is counted in.

Each chart is rendered by Vega itself (vl-convert, the renderer the PDF uses) and the labels it
shows on the x axis are read from the scene graph: the bug was ticks every few hours labelled
with the day ("12-01 12-01 12-01 …"), which only the rendered axis shows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import altair as alt
import pandas as pd
import pytest
import vl_convert

from data_access.periods import Period, bucket_grain, period_containing, range_period
from ui.charts import alerts as alert_charts
from ui.charts import common as charts
from ui.charts import patrols as patrol_charts
from ui.charts import quality as quality_charts

VEGA_LITE = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]


def _find(node: Any, wanted: str, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        if node.get("role") == wanted and "items" in node:
            found.append(node)
        for value in node.values():
            _find(value, wanted, found)
    elif isinstance(node, list):
        for value in node:
            _find(value, wanted, found)
    return found


def x_labels(chart: alt.TopLevelMixin, width: int = 1000) -> list[list[str]]:
    """The labels each bottom axis shows (hidden overlapping labels left out), per axis."""
    sized = (
        chart.properties(width=width) if isinstance(chart, alt.Chart | alt.LayerChart) else chart
    )
    spec = sized.to_dict()
    scene = vl_convert.vegalite_to_scenegraph(spec, vl_version=VEGA_LITE)
    shown = []
    for axis in _find(scene, "axis", []):
        if not axis["items"] or axis["items"][0].get("orient") != "bottom":
            continue
        for labels in _find(axis, "axis-label", []):
            shown.append([item["text"] for item in labels["items"] if item.get("opacity", 1) != 0])
    return shown


def history_frame(days: list[dt.datetime]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "bucket": pd.to_datetime(days),
            "order_type": "repair",
            "orders": 1,
            "median_hours": 2.0,
            "on_time_share": 1.0,
            "type_label": "报修",
        }
    )


def history_labels(period: Period, moments: list[dt.datetime]) -> list[str]:
    (labels,) = x_labels(charts.history_buckets(history_frame(moments), period))
    return labels


def test_a_running_month_with_two_days_of_orders_shows_each_day_once() -> None:
    """December 2026 two days in: the axis spans the whole month, a tick every third day
    (31 days / 12 ticks at most), each labelled once."""
    december = period_containing("month", dt.date(2026, 12, 2))
    labels = history_labels(december, [dt.datetime(2026, 12, 1), dt.datetime(2026, 12, 2)])
    assert labels == [f"12-{day:02d}" for day in (1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 31)]


def test_a_year_shows_its_months_once() -> None:
    year = period_containing("year", dt.date(2018, 5, 1))
    labels = history_labels(year, [dt.datetime(2018, 5, 1), dt.datetime(2018, 6, 1)])
    assert labels == [f"2018-{month:02d}" for month in range(1, 13)]


def test_a_day_shows_every_other_hour() -> None:
    day = period_containing("day", dt.date(2026, 11, 20))
    labels = history_labels(day, [dt.datetime(2026, 11, 20, 9), dt.datetime(2026, 11, 20, 10)])
    assert labels == [f"{hour:02d}:00" for hour in range(0, 24, 2)]


def test_a_long_range_is_counted_in_years() -> None:
    years = range_period(dt.date(2011, 3, 1), dt.date(2016, 8, 31))
    labels = history_labels(years, [dt.datetime(2011, 3, 5), dt.datetime(2016, 8, 1)])
    assert labels == [str(year) for year in range(2012, 2017)]  # 2011 starts before March


def test_the_kpi_trend_labels_each_month_once() -> None:
    trend = pd.DataFrame(
        {
            "month_start": pd.to_datetime(["2026-10-01", "2026-11-01"] * 2),
            "kpi": ["plan_completion", "plan_completion", "timeliness_rate", "timeliness_rate"],
            "value": [0.9, 0.8, 0.7, 0.75],
            "partial": [False, True] * 2,
        }
    )
    labels = {"plan_completion": "计划完成率", "timeliness_rate": "服务及时率"}
    chart = charts.kpi_trend(trend, labels)
    assert x_labels(chart) == [["2026-10", "2026-11"]]
    # the running month: a dashed line into it and a hollow point
    solid, dashed, points, running = chart.to_dict()["layer"]
    assert "strokeDash" not in solid["mark"] and dashed["mark"]["strokeDash"]
    assert points["mark"]["filled"] and not running["mark"]["filled"]


def test_the_patrol_coverage_trend_labels_each_day_once() -> None:
    trend = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-11-18", "2026-11-19", "2026-11-20"]),
            "mean_coverage": [0.9, 0.95, 1.0],
            "full_share": [0.5, 0.6, 1.0],
            "shifts": [4, 4, 4],
            "missed_shifts": [0, 1, 0],
        }
    )
    assert x_labels(patrol_charts.coverage_chart(trend)) == [["11-18", "11-19", "11-20"]]


def test_each_staff_trend_labels_each_month_once() -> None:
    trend = pd.DataFrame(
        {
            "month_start": pd.to_datetime(["2026-09-01", "2026-10-01", "2026-11-01"]),
            "orders_handled": [3, 5, 4],
            "on_time_share": [1.0, 0.8, None],
            "mean_rating": [None, None, None],
            "patrol_coverage": [None, None, None],
            "rework": [0, 1, 0],
        }
    )
    for measure in quality_charts.trend_measures(trend):
        months = ["26-09", "26-10"] if measure == "on_time_share" else ["26-09", "26-10", "26-11"]
        chart = quality_charts.staff_measure_chart(trend, measure).properties(width=400)
        assert x_labels(chart) == [months]


def test_the_alert_trend_has_a_tick_on_every_monday_between_its_weeks() -> None:
    trend = pd.DataFrame(
        {
            "week_start": pd.to_datetime(["2026-11-09", "2026-11-16", "2026-11-16", "2026-11-30"]),
            "week": ["2026-W46", "2026-W47", "2026-W47", "2026-W49"],
            "rule": ["response_overdue", "response_overdue", "fault_streak", "fault_streak"],
            "raised": [2, 1, 3, 1],
        }
    )
    assert x_labels(alert_charts.weekly_trend_chart(trend)) == [
        ["11-09", "11-16", "11-23", "11-30"]
    ]


@pytest.mark.parametrize(
    ("period", "grain"),
    [
        (period_containing("day", dt.date(2026, 11, 20)), "hour"),
        (period_containing("week", dt.date(2026, 11, 20)), "day"),
        (period_containing("month", dt.date(2026, 11, 20)), "day"),
        (period_containing("year", dt.date(2026, 11, 20)), "month"),
        (range_period(dt.date(2026, 11, 19), dt.date(2026, 11, 20)), "hour"),
        (range_period(dt.date(2026, 9, 1), dt.date(2026, 11, 30)), "day"),
        (range_period(dt.date(2024, 1, 1), dt.date(2026, 11, 30)), "month"),
        (range_period(dt.date(2011, 3, 1), dt.date(2016, 8, 31)), "year"),
    ],
)
def test_each_period_is_counted_in_its_grain(period: Period, grain: str) -> None:
    assert bucket_grain(period) == grain
