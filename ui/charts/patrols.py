"""The patrols page's charts (drawing only: the figures are computed in data_access). Module
level so that ``ui.charts.cache.show_chart`` can cache their specs."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from data_access.plans.patrols import COVERAGE_TARGET, ShiftRoute
from ui.charts.common import HORIZONTAL_Y_TITLE, time_tooltip, time_x
from ui.charts.labels import FONT_SIZE, SIDE_MARK, SIDES, place_labels
from ui.text import t


def checkpoint_labels() -> dict[str, str]:
    """Status → label in the session's language (not at import: the language varies)."""
    return {
        "visited": t("patrols.checkpoint_visited"),
        "late": t("patrols.checkpoint_late"),
        "missed": t("patrols.checkpoint_missed"),
        "pending": t("patrols.checkpoint_pending"),
    }


SITE_PLAN_HEIGHT_PX = 520  # the whole chart: title, axes and legends included
# The site plan's plot area on a 390 px phone, the smallest it is drawn (measured in Chromium:
# a 358 × 520 px chart, less the y axis, the title, the x axis and the legends): labels are
# placed for it.
PHONE_PLOT_WIDTH_PX = 290
PHONE_PLOT_HEIGHT_PX = 250
MIN_SPAN_M = 40.0

# Readable on white and for the common red–green weaknesses (differ in lightness too).
CHECKPOINT_COLOURS = {
    "visited": "#2e7d32",
    "late": "#ef6c00",
    "missed": "#c62828",
    "pending": "#9e9e9e",
}


def coverage_chart(trend: pd.DataFrame) -> alt.LayerChart:
    mean, full = t("patrols.trend_mean_coverage"), t("patrols.trend_full_share")
    data = trend.rename(columns={"mean_coverage": mean, "full_share": full})
    base = alt.Chart(data).transform_fold([mean, full], as_=["metric", "value"])
    lines = base.mark_line(point=True, strokeWidth=2).encode(
        x=time_x("date", "day", t("patrols.axis_date"), units=trend["date"].nunique()),
        y=alt.Y(
            "value:Q",
            title=t("patrols.axis_coverage"),
            axis=alt.Axis(format="%", **HORIZONTAL_Y_TITLE),
            scale=alt.Scale(zero=False, domainMax=1),
        ),
        color=alt.Color(
            "metric:N",
            title=None,
            scale=alt.Scale(domain=[mean, full], range=["#1565c0", "#8e24aa"]),
            legend=alt.Legend(orient="bottom"),
        ),
        tooltip=[
            time_tooltip("date", "day", t("patrols.axis_date")),
            alt.Tooltip("metric:N", title=t("patrols.tooltip_metric")),
            alt.Tooltip("value:Q", title=t("patrols.tooltip_value"), format=".1%"),
            alt.Tooltip("shifts:Q", title=t("patrols.tooltip_shifts")),
            alt.Tooltip("missed_shifts:Q", title=t("patrols.tooltip_missed_shifts")),
        ],
    )
    # The target's label sits at the right end, clear of the y-axis title and the first points.
    target = alt.Chart(pd.DataFrame({"target": [COVERAGE_TARGET], "date": [trend["date"].max()]}))
    rule = target.mark_rule(color="#c62828", strokeDash=[6, 4]).encode(
        y="target:Q",
        tooltip=[alt.Tooltip("target:Q", title=t("patrols.target"), format=".0%")],
    )
    rule_label = target.mark_text(align="right", dy=-8, color="#c62828", fontSize=11).encode(
        x="date:T",
        y="target:Q",
        text=alt.value(t("patrols.target_label", target=f"{COVERAGE_TARGET:.0%}")),
    )
    return (lines + rule + rule_label).properties(title=t("patrols.trend_title"), height=360)


def site_plan_chart(route: ShiftRoute) -> alt.LayerChart:
    photo_labels = {True: t("patrols.photo_required"), False: t("patrols.photo_not_required")}
    points = route.checkpoints.assign(
        status_label=route.checkpoints["status"].map(checkpoint_labels()),
        photo_label=route.checkpoints["photo_required"].map(photo_labels),
        time=route.checkpoints["checked_at"].dt.strftime("%H:%M:%S").fillna("—"),
    )
    x_domain, y_domain = fitted_domain(points["x"]), fitted_domain(points["y"])
    x = alt.X("x:Q", title=t("patrols.axis_x"), scale=alt.Scale(domain=x_domain, nice=False))
    # Site-plan y grows southwards (north gate near 0): reversed, so north is up.
    y = alt.Y(
        "y:Q",
        title=t("patrols.axis_y"),
        axis=alt.Axis(**HORIZONTAL_Y_TITLE),
        scale=alt.Scale(domain=y_domain, nice=False, reverse=True),
    )
    point_tooltip = [
        alt.Tooltip("seq:Q", title=t("patrols.col_seq")),
        alt.Tooltip("name:N", title=t("patrols.col_checkpoint")),
        alt.Tooltip("status_label:N", title=t("patrols.legend_status")),
        alt.Tooltip("time:N", title=t("patrols.col_checked_at")),
        alt.Tooltip("photo_label:N", title=t("patrols.legend_photo")),
        alt.Tooltip("photos:Q", title=t("patrols.col_photos")),
    ]
    planned = (
        alt.Chart(points)
        .mark_line(color="#757575", strokeDash=[6, 5], strokeWidth=1.5)
        .encode(x=x, y=y, order="seq:Q")
    )
    walked = (
        alt.Chart(route.path)
        .mark_line(color="#1565c0", strokeWidth=3, opacity=0.75)
        .encode(
            x=x,
            y=y,
            order="walk_order:Q",
            tooltip=[
                alt.Tooltip("walk_order:Q", title=t("patrols.col_walk_order")),
                alt.Tooltip("name:N", title=t("patrols.col_checkpoint")),
                alt.Tooltip("checked_at:T", title=t("patrols.col_checked_at"), format="%H:%M:%S"),
            ],
        )
    )
    dots = (
        alt.Chart(points)
        .mark_point(filled=True, size=170, opacity=1, stroke="white", strokeWidth=1.5)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "status_label:N",
                title=t("patrols.legend_status"),
                scale=alt.Scale(
                    domain=list(checkpoint_labels().values()),
                    range=list(CHECKPOINT_COLOURS.values()),
                ),
                legend=alt.Legend(orient="bottom", columns=2),
            ),
            shape=alt.Shape(
                "photo_label:N",
                title=t("patrols.legend_photo"),
                scale=alt.Scale(domain=list(photo_labels.values()), range=["square", "circle"]),
                legend=alt.Legend(orient="bottom", columns=1),
            ),
            tooltip=point_tooltip,
        )
    )
    labels = point_labels(points, x_domain, y_domain, point_tooltip)
    return alt.LayerChart(layer=[planned, walked, dots, *labels]).properties(
        title=alt.TitleParams(t("patrols.site_plan_title"), subtitle=route.label),
        height=SITE_PLAN_HEIGHT_PX,
    )


def fitted_domain(values: pd.Series) -> list[float]:
    """The axis range that fits the placed points with a margin (labels and dots need room);
    a route spread over a few metres still gets MIN_SPAN_M, so it is not blown up to fill the
    screen. Before, the axes showed the whole site and a route in one corner was a tangle."""
    placed = values.dropna()
    low, high = float(placed.min()), float(placed.max())
    span = max(high - low, MIN_SPAN_M)
    middle = (low + high) / 2
    margin = span * 0.15
    return [middle - span / 2 - margin, middle + span / 2 + margin]


def point_labels(
    points: pd.DataFrame, x_domain: list[float], y_domain: list[float], tooltip: list[Any]
) -> list[alt.Chart]:
    """The checkpoints' names, placed so that none overlaps another or a point
    (ui/charts/labels.py): one text layer per side of the point."""
    placed = points[points["x"].notna() & points["y"].notna()]
    pixels = [
        (
            (x - x_domain[0]) / (x_domain[1] - x_domain[0]) * PHONE_PLOT_WIDTH_PX,
            (y - y_domain[0]) / (y_domain[1] - y_domain[0]) * PHONE_PLOT_HEIGHT_PX,
        )
        for x, y in zip(placed["x"], placed["y"], strict=True)
    ]
    spots = place_labels(
        pixels,
        placed["name"].astype(str).tolist(),
        placed["seq"].astype(str).tolist(),
        width=PHONE_PLOT_WIDTH_PX,
        height=PHONE_PLOT_HEIGHT_PX,
    )
    labelled = placed.assign(
        label=[spot.text for spot in spots], side=[spot.side for spot in spots]
    )
    return [
        alt.Chart(labelled[labelled["side"] == side])
        .mark_text(fontSize=FONT_SIZE, color="#37474f", **SIDE_MARK[side])  # type: ignore[arg-type]
        .encode(x="x:Q", y="y:Q", text="label:N", tooltip=tooltip)
        for side in SIDES
        if (labelled["side"] == side).any()
    ]
