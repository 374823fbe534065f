"""Altair charts of the Analytics page. Titles, axes and code labels come from the catalog."""

from __future__ import annotations

import altair as alt
import pandas as pd

from data_access.analytics.keywords import KeywordCount
from data_access.models import WORK_ORDER_CATEGORIES
from ui.charts.common import HORIZONTAL_Y_TITLE
from ui.text import code_label, t

ROW_STEP = 26  # pixels per bar / heat-map row
HEAT_COLOURS = ["#fff5eb", "#fd8d3c", "#a63603"]


def _category_labels(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(category_label=frame["category"].map(_category_label))


def _category_label(code: str) -> str:
    return code_label("order_category", code)


def _category_sort() -> list[str]:
    return [_category_label(code) for code in WORK_ORDER_CATEGORIES]


def reply_timeliness_bars(reply: pd.DataFrame) -> alt.Chart:
    """Share answered on time per category; ``reply`` from reply_timeliness_by_category."""
    frame = _category_labels(reply.dropna(subset=["share"]))
    return (
        alt.Chart(frame)
        .mark_bar(color="#2b8cbe")
        .encode(
            x=alt.X(
                "share:Q",
                title=t("analytics.axis_share"),
                axis=alt.Axis(format=".0%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            y=alt.Y(
                "category_label:N",
                sort=_category_sort(),
                title=t("analytics.axis_category"),
                axis=alt.Axis(**HORIZONTAL_Y_TITLE),
            ),
            tooltip=[
                alt.Tooltip("category_label:N", title=t("analytics.axis_category")),
                alt.Tooltip("share:Q", title=t("analytics.axis_share"), format=".1%"),
                alt.Tooltip("in_time:Q", title=t("analytics.tooltip_in_time")),
                alt.Tooltip("due:Q", title=t("analytics.tooltip_due")),
            ],
        )
        .properties(height=alt.Step(ROW_STEP))
    )


def handling_boxplot(durations: pd.DataFrame) -> alt.Chart:
    """Handling hours per category as box plots (whiskers from min to max)."""
    frame = _category_labels(durations)
    return (
        alt.Chart(frame)
        .mark_boxplot(extent="min-max", size=16, color="#41ab5d")
        .encode(
            x=alt.X("hours:Q", title=t("analytics.axis_hours")),
            y=alt.Y(
                "category_label:N",
                sort=_category_sort(),
                title=t("analytics.axis_category"),
                axis=alt.Axis(**HORIZONTAL_Y_TITLE),
            ),
        )
        .properties(height=alt.Step(ROW_STEP))
    )


def overdue_lines(overdue: pd.DataFrame) -> alt.Chart:
    """Weekly overdue counts, one line per source; ``overdue`` from overdue_trend."""
    labels = {source: t(f"analytics.source_{source}") for source in ("order", "ticket")}
    frame = overdue.assign(
        week=overdue["week_start"].map(lambda day: f"{day:%m-%d}"),
        week_of=overdue["week_start"].map(lambda day: f"{day:%Y-%m-%d}"),
        source_label=overdue["source"].map(labels),
    )
    weeks = list(dict.fromkeys(frame["week"]))  # in time order (a span never repeats a date)
    base = alt.Chart(frame).encode(
        x=alt.X(
            "week:O",
            sort=weeks,
            title=t("analytics.axis_week"),
            axis=alt.Axis(labelAngle=0, labelOverlap=True),
        ),
        y=alt.Y(
            "overdue:Q",
            title=t("analytics.axis_overdue"),
            axis=alt.Axis(tickMinStep=1, **HORIZONTAL_Y_TITLE),
        ),
        color=alt.Color(
            "source_label:N",
            title=t("analytics.legend_source"),
            sort=list(labels.values()),
            scale=alt.Scale(range=["#d7301f", "#fdae61"]),
            legend=alt.Legend(orient="bottom"),
        ),
        tooltip=[
            alt.Tooltip("week_of:N", title=t("analytics.axis_week")),
            alt.Tooltip("source_label:N", title=t("analytics.legend_source")),
            alt.Tooltip("overdue:Q", title=t("analytics.axis_overdue")),
            alt.Tooltip("due:Q", title=t("analytics.tooltip_due")),
            alt.Tooltip("share:Q", title=t("analytics.axis_share"), format=".0%"),
        ],
    )
    return base.mark_line(strokeWidth=2.5) + base.mark_point(filled=True, size=60)


def hotspot_heatmap(matrix: pd.DataFrame) -> alt.TopLevelMixin:
    """Areas (busiest first) × categories, coloured by count, the count written in each cell."""
    frame = _category_labels(matrix).assign(
        kind_label=matrix["area_kind"].map(lambda k: t(f"analytics.area_kind.{k}"))
    )
    areas = list(dict.fromkeys(matrix["area_name"]))  # already busiest first
    present = set(frame["category_label"])
    categories = [label for label in _category_sort() if label in present]
    peak = int(frame["count"].max()) if len(frame) else 1
    base = alt.Chart(frame).encode(
        x=alt.X(
            "category_label:N",
            sort=categories,
            title=t("analytics.axis_category"),
            axis=alt.Axis(labelAngle=-35, labelOverlap=False),
        ),
        y=alt.Y(
            "area_name:N",
            sort=areas,
            title=t("analytics.axis_area"),
            axis=alt.Axis(**HORIZONTAL_Y_TITLE),
        ),
        tooltip=[
            alt.Tooltip("area_name:N", title=t("analytics.axis_area")),
            alt.Tooltip("kind_label:N", title=t("analytics.tooltip_kind")),
            alt.Tooltip("category_label:N", title=t("analytics.axis_category")),
            alt.Tooltip("count:Q", title=t("analytics.legend_count")),
        ],
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1.5).encode(
        color=alt.Color(
            "count:Q",
            title=t("analytics.legend_count"),
            scale=alt.Scale(domain=[0, peak], range=HEAT_COLOURS),
        )
    )
    numbers = base.mark_text(fontSize=12).encode(
        text="count:Q",
        color=alt.condition(alt.datum.count > peak * 0.6, alt.value("white"), alt.value("#1f2933")),
    )
    return alt.layer(cells, numbers).properties(height=alt.Step(ROW_STEP))


def keyword_bars(words: list[KeywordCount]) -> alt.TopLevelMixin:
    """The keywords in rank order (most distinctive on top); each bar is the number of texts
    mentioning the word, written at its end."""
    frame = pd.DataFrame(
        [(k.word, k.documents, k.count, k.score) for k in words],
        columns=["word", "documents", "count", "score"],
    )
    base = alt.Chart(frame).encode(
        x=alt.X("documents:Q", title=t("keywords.axis_documents"), axis=alt.Axis(tickMinStep=1)),
        y=alt.Y(
            "word:N",
            sort=[k.word for k in words],
            title=t("keywords.axis_word"),
            axis=alt.Axis(**HORIZONTAL_Y_TITLE),
        ),
        tooltip=[
            alt.Tooltip("word:N", title=t("keywords.axis_word")),
            alt.Tooltip("documents:Q", title=t("keywords.axis_documents")),
            alt.Tooltip("count:Q", title=t("keywords.tooltip_count")),
            alt.Tooltip("score:Q", title=t("keywords.tooltip_score"), format=".3f"),
        ],
    )
    bars = base.mark_bar(color="#807dba")
    numbers = base.mark_text(align="left", dx=4, color="#1f2933").encode(text="documents:Q")
    return alt.layer(bars, numbers).properties(height=alt.Step(ROW_STEP))
