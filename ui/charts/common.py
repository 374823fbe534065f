"""Altair charts shared by pages. Titles and axes come from the catalog (UI language)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from data_access.periods import Period, TimeGrain, bucket_count, bucket_grain, period_containing
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


# Time axes: the bucket's unit decides the time unit, the tick interval and the label format, so
# that no two labels read the same (ticks every 6 hours labelled "%m-%d" read 12-01 12-01 ...).
_TIME_UNIT: dict[TimeGrain, str] = {
    "hour": "yearmonthdatehours",
    "day": "yearmonthdate",
    "month": "yearmonth",
    "year": "year",
}
_AXIS_FORMAT: dict[TimeGrain, str] = {
    "hour": "%H:%M",
    "day": "%m-%d",
    "month": "%Y-%m",
    "year": "%Y",
}
_TOOLTIP_FORMAT: dict[TimeGrain, str] = {
    "hour": "%Y-%m-%d %H:%M",
    "day": "%Y-%m-%d",
    "month": "%Y-%m",
    "year": "%Y",
}
MAX_TIME_TICKS = 12


def time_x(
    field: str,
    grain: TimeGrain,
    title: str | None,
    *,
    units: int = 0,
    tick_days: Sequence[dt.date] | None = None,
    days: tuple[dt.date, dt.date] | None = None,
    label_format: str | None = None,
    padding: int | None = None,
    **axis: Any,
) -> alt.X:
    """A temporal x channel counted in ``grain``: one tick per unit (every n-th when ``units``,
    the number of units shown, exceeds MAX_TIME_TICKS), or exactly at ``tick_days`` (weeks that
    start on Mondays, which Vega's week interval does not). ``days``: the first and last day
    the axis spans whatever the data (a running month shows the days still to come)."""
    step = max(1, math.ceil(units / MAX_TIME_TICKS))
    ticks: dict[str, Any]
    if tick_days is not None:
        ticks = {"values": [_vega_moment(dt.datetime.combine(d, dt.time())) for d in tick_days]}
    elif grain == "hour" and days is not None:  # Vega has no "hour" tick interval
        start = dt.datetime.combine(days[0], dt.time())
        end = dt.datetime.combine(days[1] + dt.timedelta(days=1), dt.time())
        count = int((end - start) / dt.timedelta(hours=step))
        ticks = {
            "values": [_vega_moment(start + dt.timedelta(hours=step * n)) for n in range(count)]
        }
    else:
        ticks = {"tickCount": alt.TimeIntervalStep(interval=grain, step=step)}
    default_format = "%m-%d %H:%M" if grain == "hour" and units > 24 else _AXIS_FORMAT[grain]
    scale: Any = alt.Undefined if padding is None else alt.Scale(padding=padding)
    if days is not None:
        first, last = days
        scale = alt.Scale(
            domain=[
                alt.DateTime(year=first.year, month=first.month, date=first.day),
                alt.DateTime(
                    year=last.year,
                    month=last.month,
                    date=last.day,
                    hours=23,
                    minutes=59,
                    seconds=59,
                ),
            ]
        )
    return alt.X(
        field,
        type="temporal",
        timeUnit=_TIME_UNIT[grain],  # type: ignore[arg-type]
        title=title,
        scale=scale,
        axis=alt.Axis(format=label_format or default_format, labelOverlap=True, **ticks, **axis),
    )


def _vega_moment(moment: dt.datetime) -> alt.DateTime:
    return alt.DateTime(
        year=moment.year,
        month=moment.month,
        date=moment.day,
        hours=moment.hour,
        minutes=moment.minute,
        seconds=moment.second,
    )


def time_tooltip(field: str, grain: TimeGrain, title: str) -> alt.Tooltip:
    return alt.Tooltip(
        field,
        type="temporal",
        timeUnit=_TIME_UNIT[grain],  # type: ignore[arg-type]
        title=title,
        format=_TOOLTIP_FORMAT[grain],
    )


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
            # Below the calendar: at the side it widened the chart past a phone's screen.
            legend=alt.Legend(format=".0%", orient="bottom"),
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


def kpi_trend(trend: pd.DataFrame, labels: dict[str, str]) -> alt.TopLevelMixin:
    """Monthly lines of the core KPIs; ``trend`` has month_start, kpi, value (0–1) and
    partial. A month still running is a hollow point at the end of a dashed line: it is not a
    whole month yet. Each KPI's points have their own shape as well as colour, so the lines can
    be told apart without colour (a black-and-white print of the PDF, colour-blind readers)."""
    frame = trend.assign(
        name=trend["kpi"].map(labels),
        month=pd.to_datetime(trend["month_start"]),
        note=trend["partial"].map(lambda p: t("overview.trend_partial") if p else ""),
    ).dropna(subset=["value"])
    legend = alt.Legend(orient="bottom", columns=2)
    colour = alt.Color("name:N", title=t("overview.legend_kpi"), sort=list(labels.values()))
    encoding: dict[str, Any] = {
        "x": time_x(  # padding: the last month's point clear of the edge
            "month", "month", t("overview.axis_month"), units=frame["month"].nunique(), padding=14
        ),
        "y": alt.Y(
            "value:Q",
            title=t("overview.axis_value"),
            axis=alt.Axis(format=".0%", **HORIZONTAL_Y_TITLE),
            scale=alt.Scale(zero=False, domainMax=1),
        ),
        "color": colour,
        "tooltip": [
            time_tooltip("month", "month", t("overview.axis_month")),
            alt.Tooltip("name:N", title=t("overview.legend_kpi")),
            alt.Tooltip("value:Q", title=t("overview.axis_value"), format=".1%"),
            alt.Tooltip("note:N", title=" "),
        ],
    }
    shape = alt.Shape(
        "name:N",
        title=t("overview.legend_kpi"),
        sort=list(labels.values()),
        scale=alt.Scale(range=["circle", "square", "triangle-up", "diamond"]),
    )
    # One legend showing each KPI's colour and shape: both channels on the point layers.
    marked = {**encoding, "color": colour.legend(legend), "shape": shape.legend(legend)}
    encoding["color"] = colour.legend(None)
    complete = frame[~frame["partial"]]
    layers = [alt.Chart(complete).mark_line(strokeWidth=2.5).encode(**encoding)]
    if frame["partial"].any():
        last_whole = complete["month"].max()
        tail = frame[frame["partial"] | (frame["month"] == last_whole)]
        layers.append(
            alt.Chart(tail).mark_line(strokeWidth=2, strokeDash=[5, 4]).encode(**encoding)
        )
    layers.append(alt.Chart(complete).mark_point(filled=True, size=70).encode(**marked))
    if frame["partial"].any():  # hollow: a month not over yet
        running = frame[frame["partial"]]
        layers.append(
            alt.Chart(running).mark_point(filled=False, size=90, strokeWidth=2).encode(**marked)
        )
    return alt.layer(*layers).properties(title=t("overview.trend_title"))


def history_buckets(buckets: pd.DataFrame, period: Period) -> alt.Chart:
    """Orders per time bucket of the history page over the whole period (a running one shows
    the days still to come), stacked by order type."""
    grain, units = bucket_grain(period), bucket_count(period)
    return (
        alt.Chart(buckets)
        .mark_bar()
        .encode(
            x=time_x(
                "bucket",
                grain,
                t("history.axis_time"),
                units=units,
                days=(period.start, period.end),
            ),
            y=alt.Y(
                "sum(orders):Q",
                title=t("history.axis_orders"),
                axis=alt.Axis(tickMinStep=1, **HORIZONTAL_Y_TITLE),
            ),
            color=alt.Color(
                "type_label:N", title=t("history.legend_type"), legend=alt.Legend(orient="bottom")
            ),
            tooltip=[
                time_tooltip("bucket", grain, t("history.axis_time")),
                alt.Tooltip("type_label:N", title=t("history.legend_type")),
                alt.Tooltip("orders:Q", title=t("history.axis_orders")),
                alt.Tooltip("median_hours:Q", title=t("history.metric_median"), format=".1f"),
                alt.Tooltip("on_time_share:Q", title=t("history.metric_on_time"), format=".0%"),
            ],
        )
        .properties(title=t("history.chart_title"))
    )


def ranked_bars(frame: pd.DataFrame, label: str, value: str, title: str, axis: str) -> alt.Chart:
    """Horizontal bars, longest first: the monthly report's hotspots and keywords (the page and
    the PDF draw the same spec)."""
    return (
        alt.Chart(frame)
        .mark_bar(color="#35557a")
        .encode(
            x=alt.X(f"{value}:Q", title=axis, axis=alt.Axis(format="d", tickMinStep=1)),
            y=alt.Y(f"{label}:N", sort="-x", title=None, axis=alt.Axis(**HORIZONTAL_Y_TITLE)),
            tooltip=[alt.Tooltip(f"{label}:N", title=None), alt.Tooltip(f"{value}:Q", title=axis)],
        )
        .properties(title=title)
    )
