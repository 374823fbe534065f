"""The period picker every page shares: day / week / month / year around a chosen date."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from data_access.periods import PERIOD_KINDS, Period, PeriodKind, period_containing
from ui import clock
from ui.text import t


def period_picker(key_prefix: str, default_kind: PeriodKind = "month") -> Period:
    kind_column, date_column = st.columns([3, 2], vertical_alignment="bottom")
    kind = kind_column.segmented_control(
        t("period.kind"),
        options=list(PERIOD_KINDS),
        format_func=lambda k: t(f"period.{k}"),
        default=default_kind,
        key=f"{key_prefix}_period_kind",
    )
    day = date_column.date_input(
        t("period.date"),
        value=clock.local_today(),
        max_value=clock.local_today() + dt.timedelta(days=366),
        format="YYYY-MM-DD",
        key=f"{key_prefix}_date",
    )
    period = period_containing(kind or default_kind, day or clock.local_today())
    st.caption(t("period.showing", start=f"{period.start:%Y-%m-%d}", end=f"{period.end:%Y-%m-%d}"))
    return period
