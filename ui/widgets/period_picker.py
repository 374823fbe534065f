"""The period picker every page shares: day / week / month / year around a chosen date, and on
the History page a from–to range.

A period that has not ended is shown as running ("进行中,截至 …"), never as a whole one; pages
that judge a period (plans, history, analytics, staff) open on the last complete one, with the
running one a click away. The calendar reaches back to the first year of the data (``span``),
however old an import is; without a span, ten years.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import streamlit as st

from data_access.periods import (
    PERIOD_KINDS,
    Period,
    PeriodKind,
    period_containing,
    range_period,
    running_period,
)
from ui import clock
from ui.text import t

PickerKind = PeriodKind | Literal["range"]
FUTURE_DAYS = 366  # plans are made ahead
DEFAULT_REACH_YEARS = 10


def period_picker(
    key_prefix: str,
    default_kind: PeriodKind = "month",
    *,
    span: tuple[dt.date, dt.date] | None = None,
    allow_range: bool = False,
    open_on_complete: bool = False,
) -> Period:
    """The chosen period. ``span`` is the first and last day the page's data covers;
    ``open_on_complete`` opens on the last complete period of ``default_kind``."""
    today = clock.local_today()
    reach = span[0] if span else today.replace(year=today.year - DEFAULT_REACH_YEARS)
    earliest = min(dt.date(reach.year, 1, 1), today)  # whole years: "2011" is a range to type
    latest = (
        max(span[1], today) + dt.timedelta(days=FUTURE_DAYS)
        if span
        else today + dt.timedelta(days=FUTURE_DAYS)
    )
    kinds: list[PickerKind] = [*PERIOD_KINDS, "range"] if allow_range else list(PERIOD_KINDS)
    date_key, range_key = f"{key_prefix}_date", f"{key_prefix}_range"
    if date_key not in st.session_state:
        opening = period_containing(default_kind, today)
        st.session_state[date_key] = (
            opening.start - dt.timedelta(days=1) if open_on_complete else today
        )

    kind_column, date_column = st.columns([3, 2], vertical_alignment="bottom")
    chosen = kind_column.segmented_control(
        t("period.kind"),
        options=kinds,
        format_func=lambda k: t(f"period.{k}"),
        default=default_kind,
        key=f"{key_prefix}_period_kind",
    )
    kind: PickerKind = chosen or default_kind
    if kind == "range":
        period = _range(date_column, range_key, span, today, earliest, latest)
    else:
        day = date_column.date_input(
            t("period.date"),
            min_value=earliest,
            max_value=latest,
            format="YYYY-MM-DD",
            key=date_key,
        )
        period = period_containing(kind, day or today)

    caption = t("period.showing", start=f"{period.start:%Y-%m-%d}", end=f"{period.end:%Y-%m-%d}")
    if span and allow_range:
        caption += " · " + t(
            "period.data_span", first=f"{span[0]:%Y-%m-%d}", last=f"{span[1]:%Y-%m-%d}"
        )
    running = running_period(period, today) and period.start <= today
    if running:
        caption += " · " + t("period.running", today=f"{today:%Y-%m-%d}")
    note_column, switch_column = st.columns([3, 1], vertical_alignment="center")
    note_column.caption(caption)
    if kind != "range":
        _switch_button(switch_column, kind, key_prefix, date_key, today, running=running)
    return period


def _range(
    column: st.delta_generator.DeltaGenerator,
    key: str,
    span: tuple[dt.date, dt.date] | None,
    today: dt.date,
    earliest: dt.date,
    latest: dt.date,
) -> Period:
    """A from–to range, first offered as the whole span of the data."""
    if key not in st.session_state:
        st.session_state[key] = span or (today.replace(day=1), today)
    picked = column.date_input(
        t("period.range_dates"),
        min_value=earliest,
        max_value=latest,
        format="YYYY-MM-DD",
        key=key,
    )
    days = [d for d in (picked if isinstance(picked, tuple | list) else [picked]) if d]
    if not days:
        days = [today]
    if len(days) == 1:
        st.caption(t("period.range_incomplete"))
        return range_period(days[0], days[0])
    return range_period(min(days), max(days))


def _switch_button(
    column: st.delta_generator.DeltaGenerator,
    kind: PeriodKind,
    key_prefix: str,
    date_key: str,
    today: dt.date,
    *,
    running: bool,
) -> None:
    """One click between the running period and the last complete one."""
    target = period_containing(kind, today).start - dt.timedelta(days=1) if running else today
    label = t(f"period.to_complete.{kind}" if running else f"period.to_running.{kind}")

    def go() -> None:
        st.session_state[date_key] = target

    column.button(label, key=f"{key_prefix}_period_switch", type="tertiary", on_click=go)
