"""Each chart's text summary (issue 19, point 11): a sentence or two saying what the chart shows,
computed from the same frame the chart is drawn from. ``show_chart`` writes it under the chart
and gives it to Vega as the chart's description (its ARIA label), so a screen reader, an owner
who cannot tell the colours apart and anyone in a hurry get the chart's point without reading it.

A summary names figures, never colours; a value that was not measured says so, never 0 %.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from data_access.analytics.keywords import KeywordCount
from data_access.plans.patrols import COVERAGE_TARGET, ShiftRoute
from ui.charts.quality import SHARES
from ui.text import code_label, t


def _share(value: object) -> str:
    return t("kpi.no_data") if value is None or pd.isna(value) else f"{float(value):.1%}"  # type: ignore[arg-type]


def _joined(parts: Sequence[str]) -> str:
    return t("summary.separator").join(parts)


def _month(value: object) -> str:
    return f"{pd.Timestamp(value):%Y-%m}"


def _day(value: object) -> str:
    return f"{pd.Timestamp(value):%m-%d}"


def kpi_trend(trend: pd.DataFrame, labels: Mapping[str, str]) -> str:
    """Each KPI in the last whole month and the one before; a running month is left out."""
    whole = trend[~trend["partial"].astype(bool)]
    if whole.empty:
        return t("summary.kpi_trend_none")
    months = sorted(whole["month_start"].unique())  # oldest first
    last = months[-1]
    before = months[-2] if len(months) > 1 else None
    parts = []
    for key, label in labels.items():
        rows = whole[whole["kpi"] == key].set_index("month_start")["value"]
        now = rows.get(last)
        if before is None:
            parts.append(t("summary.kpi_value", kpi=label, value=_share(now)))
        else:
            parts.append(
                t(
                    "summary.kpi_value_before",
                    kpi=label,
                    value=_share(now),
                    before=_share(rows.get(before)),
                )
            )
    values = t("summary.separator").join(parts)
    if before is None:
        return t("summary.kpi_trend", month=_month(last), values=values)
    return t("summary.kpi_trend_before", month=_month(last), before=_month(before), values=values)


def history_buckets(buckets: pd.DataFrame) -> str:
    """The total by order type and the busiest time bucket."""
    total = int(buckets["orders"].sum())
    if total == 0:
        return t("summary.history_none")
    by_type = buckets.groupby("order_type", sort=False)["orders"].sum().sort_values(ascending=False)
    types = _joined(
        [
            t("summary.count_of", name=code_label("order_type", kind), count=int(n))
            for kind, n in by_type.items()
            if n
        ]
    )
    per_bucket = buckets.groupby("bucket")["orders"].sum()
    busiest = per_bucket.idxmax()
    return t(
        "summary.history",
        total=total,
        types=types,
        busiest=f"{pd.Timestamp(busiest):%Y-%m-%d %H:%M}".removesuffix(" 00:00"),
        count=int(per_bucket.max()),
    )


def plan_calendar(daily: pd.DataFrame) -> str:
    """Days with tasks due, how many of them were all done, and the worst day."""
    due = daily[daily["due"].fillna(0) > 0].dropna(subset=["plan_rate"])
    if due.empty:
        return t("summary.calendar_none")
    complete = int((due["plan_rate"] >= 1).sum())
    worst = due.loc[due["plan_rate"].idxmin()]
    text = t("summary.calendar", days=len(due), complete=complete)
    if complete < len(due):
        text += t(
            "summary.calendar_worst", day=_day(worst["date"]), rate=_share(worst["plan_rate"])
        )
    return text


def patrol_coverage(trend: pd.DataFrame) -> str:
    """Days judged, how many fell below the coverage target, and the lowest day."""
    judged = trend.dropna(subset=["mean_coverage"])
    if judged.empty:
        return t("summary.coverage_none")
    below = judged[judged["mean_coverage"] < COVERAGE_TARGET]
    text = t(
        "summary.coverage",
        days=len(judged),
        below=len(below),
        target=f"{COVERAGE_TARGET:.0%}",
    )
    if not below.empty:
        lowest = judged.loc[judged["mean_coverage"].idxmin()]
        text += t(
            "summary.coverage_lowest",
            day=_day(lowest["date"]),
            rate=_share(lowest["mean_coverage"]),
        )
    return text


def site_plan(route: ShiftRoute, status_labels: Mapping[str, str]) -> str:
    """How many checkpoints in each state, naming the missed ones (the colours' meaning)."""
    points = route.checkpoints
    counts = points["status"].value_counts()
    parts = [
        t("summary.count_of", name=label, count=int(counts[status]))
        for status, label in status_labels.items()
        if counts.get(status, 0)
    ]
    text = t("summary.site_plan", total=len(points), states=_joined(parts))
    missed = points.loc[points["status"] == "missed", "name"].tolist()
    if missed:
        text += t("summary.site_plan_missed", names=_joined(missed))
    return text


def staff_measure(trend: pd.DataFrame, measure: str) -> str:
    """A measure's latest month with data and its range over the months shown."""
    label = t(f"staff.col_{measure}")
    values = trend[["month_start", measure]].dropna()
    if values.empty:
        return t("summary.staff_none", measure=label)

    def shown(value: float) -> str:
        return f"{value:.1%}" if measure in SHARES else f"{value:.3g}"

    last = values.iloc[-1]
    return t(
        "summary.staff",
        measure=label,
        month=_month(last["month_start"]),
        value=shown(float(last[measure])),
        low=shown(float(values[measure].min())),
        high=shown(float(values[measure].max())),
    )


def reply_timeliness(reply: pd.DataFrame) -> str:
    """The categories answered least and most often on time."""
    measured = reply.dropna(subset=["share"])
    if measured.empty:
        return t("summary.reply_none")
    worst = measured.loc[measured["share"].idxmin()]
    best = measured.loc[measured["share"].idxmax()]
    return t(
        "summary.reply",
        worst=code_label("order_category", worst["category"]),
        worst_share=_share(worst["share"]),
        worst_count=f"{int(worst['in_time'])}/{int(worst['due'])}",
        best=code_label("order_category", best["category"]),
        best_share=_share(best["share"]),
        best_count=f"{int(best['in_time'])}/{int(best['due'])}",
    )


def handling_times(durations: pd.DataFrame) -> str:
    """The categories with the longest and the shortest median handling time."""
    medians = durations.groupby("category")["hours"].median().sort_values()
    if medians.empty:
        return t("summary.handling_none")
    return t(
        "summary.handling",
        slow=code_label("order_category", medians.index[-1]),
        slow_hours=f"{medians.iloc[-1]:.1f}",
        fast=code_label("order_category", medians.index[0]),
        fast_hours=f"{medians.iloc[0]:.1f}",
    )


def overdue_weeks(overdue: pd.DataFrame) -> str:
    """Overdue orders and tickets over the period and the week with the most."""
    by_source = overdue.groupby("source")["overdue"].sum()
    per_week = overdue.groupby("week_start")["overdue"].sum()
    if per_week.empty or per_week.max() == 0:
        return t(
            "summary.overdue_none",
            due=int(overdue["due"].sum()),
        )
    return t(
        "summary.overdue",
        orders=int(by_source.get("order", 0)),
        tickets=int(by_source.get("ticket", 0)),
        week=_day(per_week.idxmax()),
        count=int(per_week.max()),
    )


def hotspots(matrix: pd.DataFrame, top: int = 3) -> str:
    """The area × category cells with the most problem orders."""
    if matrix.empty:
        return t("summary.hotspots_none")
    cells = matrix.sort_values("count", ascending=False, kind="stable").head(top)
    parts = [
        t(
            "summary.count_of",
            name=f"{row.area_name}·{code_label('order_category', row.category)}",
            count=int(row.count),
        )
        for row in cells.itertuples()
    ]
    return t("summary.hotspots", cells=_joined(parts))


def keywords(words: Sequence[KeywordCount], top: int = 5) -> str:
    """The words mentioned in the most texts."""
    if not words:
        return t("summary.keywords_none")
    ranked = sorted(words, key=lambda k: -k.documents)[:top]
    return t(
        "summary.keywords",
        words=_joined([t("summary.texts_of", word=k.word, count=k.documents) for k in ranked]),
    )


def alert_weeks(trend: pd.DataFrame) -> str:
    """Alerts raised over the weeks shown, by rule, and the busiest week."""
    if trend.empty:
        return t("summary.alerts_none")
    by_rule = trend.groupby("rule", sort=False)["raised"].sum().sort_values(ascending=False)
    per_week = trend.groupby("week_start")["raised"].sum()
    return t(
        "summary.alerts",
        total=int(trend["raised"].sum()),
        rules=_joined(
            [
                t("summary.count_of", name=code_label("alert_rule", r), count=int(n))
                for r, n in by_rule.items()
            ]
        ),
        week=_day(per_week.idxmax()),
        count=int(per_week.max()),
    )


def ranked(frame: pd.DataFrame, label: str, value: str, top: int = 3) -> str:
    """The longest bars of a ranked bar chart, with their figures."""
    if frame.empty:
        return t("summary.ranked_none")
    first = frame.sort_values(value, ascending=False, kind="stable").head(top)
    parts = [
        t("summary.count_of", name=str(name), count=int(n))
        for name, n in zip(first[label], first[value], strict=True)
    ]
    return t("summary.ranked", items=_joined(parts))
