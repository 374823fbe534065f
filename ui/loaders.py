"""Cached reads for pages. Every function whose answer depends on the viewer takes the viewer,
so the cache (shared by all sessions) never hands one person's data to another."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import streamlit as st

from data_access.auth import Viewer
from data_access.overview import OverviewSummary, get_overview
from ui.database import read

DEFAULT_TIME_ZONE = ZoneInfo("Asia/Shanghai")


def local_today() -> dt.date:
    return dt.datetime.now(DEFAULT_TIME_ZONE).date()


@st.cache_data(ttl=30, show_spinner=False)
def overview(viewer: Viewer, today: dt.date) -> OverviewSummary:
    return read(get_overview, viewer=viewer, today=today)
