"""Display formats: local times, countdowns, percentages, in the UI language."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data_access.tickets.ratings import SCORE_MAX
from ui import context
from ui.text import code_label, t


def local(moment: dt.datetime) -> dt.datetime:
    """A stored (naive UTC) timestamp in the viewer's community's local time."""
    return moment.replace(tzinfo=dt.UTC).astimezone(context.time_zone())


def local_time(moment: dt.datetime | None) -> str:
    return "" if moment is None else f"{local(moment):%Y-%m-%d %H:%M}"


def span(delta: dt.timedelta) -> str:
    """A duration in words: 5 分钟, 3 小时, 2 天."""
    return _span(delta)


def _span(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return t("time.minutes", n=max(minutes, 1))
    if minutes < 48 * 60:
        return t("time.hours", n=minutes // 60)
    return t("time.days", n=minutes // (24 * 60))


def countdown(deadline: dt.datetime, now: dt.datetime) -> str:
    """剩余 5 小时 / 已超时 2 天 (both naive UTC)."""
    if deadline >= now:
        return t("time.left", span=_span(deadline - now))
    return t("time.overdue", span=_span(now - deadline))


def deadline_text(deadline: dt.datetime, now: dt.datetime) -> str:
    """The countdown as Markdown: red once the deadline has passed."""
    text = countdown(deadline, now)
    return f":red[{text}]" if deadline < now else text


def walked_time(
    started: dt.datetime | None,
    ended: dt.datetime | None,
    minutes: float | None,
    *,
    planned: tuple[dt.datetime, dt.datetime],
    expected_minutes: int,
) -> str:
    """When a patrol was walked, in words that fit its state (local times): not started yet,
    still walking (no end to show yet — never "15:30–—, 用时 — 分钟"), or done and how long."""
    budget = t("patrols.planned_minutes", minutes=expected_minutes)
    if started is None:
        start, end = planned
        return t(
            "patrols.walk_not_started", start=f"{start:%H:%M}", end=f"{end:%H:%M}", planned=budget
        )
    if ended is None or minutes is None:
        return t("patrols.walk_running", start=f"{started:%H:%M}", planned=budget)
    return t(
        "patrols.walk_done",
        start=f"{started:%H:%M}",
        end=f"{ended:%H:%M}",
        minutes=f"{minutes:.0f}",
        planned=budget,
    )


def ago(moment: dt.datetime, now: dt.datetime) -> str:
    return t("time.ago", span=_span(max(now - moment, dt.timedelta(0))))


def percent(value: float | None) -> str:
    return t("kpi.no_data") if value is None else f"{value:.1%}"


# The colour of each ticket status's badge, the same on the board and the ticket's page.
TICKET_STATUS_COLOR = {
    "submitted": "orange",
    "accepted": "blue",
    "in_progress": "blue",
    "awaiting_confirmation": "violet",
    "closed": "green",
    "rejected": "gray",
}


def ticket_status_badge(status: str) -> str:
    """A ticket status as a coloured Markdown badge, e.g. ``:orange-badge[待受理]``."""
    return f":{TICKET_STATUS_COLOR[status]}-badge[{code_label('ticket_status', status)}]"


# The three scores of a rating, in the order the form asks them.
DIMENSIONS = (
    ("speed", "order.score_speed"),
    ("attitude", "order.score_attitude"),
    ("quality", "order.score_quality"),
)


def stars(score: int) -> str:
    return "★" * score + "☆" * (SCORE_MAX - score)


def scores_line(speed: int, attitude: int, quality: int) -> str:
    """响应速度 ★★★☆☆ · 服务态度 ★★★★★ · 维修质量 ★★☆☆☆"""
    scores = (speed, attitude, quality)
    return " · ".join(
        f"{t(label_key)} {stars(score)}"
        for (_, label_key), score in zip(DIMENSIONS, scores, strict=True)
    )


# The kind of a failed sync as a manager reads it; the full message (source address, the
# database's own words) is printed by the command and kept in sync_runs.error.
_SYNC_FAILURE_REASONS = {
    "sync.unreachable": "sync.reason.unreachable",
    "sync.denied": "sync.reason.denied",
    "sync.no_select": "sync.reason.no_select",
    "sync.schema": "sync.reason.schema",
    "sync.community_not_found": "sync.reason.community_not_found",
}


def sync_failure_reason(error_key: str) -> str:
    return t(_SYNC_FAILURE_REASONS.get(error_key, "sync.reason.other"))


NOT_MEASURED = "—"


# How the staff pages write their rates (staff KPIs, a person's trend).
STAFF_RATE_FORMATS = {
    "on_time_share": "{:.0%}",
    "mean_rating": "{:.2f}",
    "patrol_coverage": "{:.0%}",
}


def shown_with_dashes(frame: pd.DataFrame, formats: dict[str, str]) -> pd.DataFrame:
    """A copy for ``st.dataframe`` where the ``formats`` columns (``str.format`` patterns) are
    text and a missing value reads "—" (not measured). Streamlit's table writes every missing
    value as "None", which would read as a figure; these columns then sort as text, so the
    pages offer their own sort control."""
    shown = frame.copy()
    for column, pattern in formats.items():
        shown[column] = [NOT_MEASURED if pd.isna(v) else pattern.format(v) for v in frame[column]]
    return shown
