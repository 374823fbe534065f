"""Cached reads of the Analytics page. Every function takes the viewer (the cache is shared by
all sessions, and what an owner may read differs from what a manager may) and every argument
that changes the answer; ``now`` is the current minute, so answers are shared for a minute."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data_access.accounts.auth import Viewer
from data_access.analytics.analytics import (
    RiskPoint,
    handling_durations,
    hotspot_matrix,
    overdue_trend,
    reply_timeliness_by_category,
    risk_points,
)
from data_access.analytics.keywords import (
    FeedbackText,
    KeywordCount,
    list_feedback_texts,
    texts_with_keyword,
    top_keywords,
)
from data_access.periods import Period
from ui.database import read
from ui.loaders.cache import community_cache

TTL_SECONDS = 120


@community_cache(ttl=TTL_SECONDS)
def reply_timeliness(viewer: Viewer, period: Period, now: dt.datetime) -> pd.DataFrame:
    return read(reply_timeliness_by_category, viewer=viewer, period=period, now=now)


@community_cache(ttl=TTL_SECONDS)
def durations(viewer: Viewer, period: Period) -> pd.DataFrame:
    return read(handling_durations, viewer=viewer, period=period)


@community_cache(ttl=TTL_SECONDS)
def overdue(viewer: Viewer, period: Period, now: dt.datetime) -> pd.DataFrame:
    return read(overdue_trend, viewer=viewer, period=period, now=now)


@community_cache(ttl=TTL_SECONDS)
def hotspots(viewer: Viewer, period: Period) -> pd.DataFrame:
    return read(hotspot_matrix, viewer=viewer, period=period)


@community_cache(ttl=TTL_SECONDS)
def risks(viewer: Viewer, period: Period, now: dt.datetime) -> list[RiskPoint]:
    return read(risk_points, viewer=viewer, period=period, now=now)


@community_cache(ttl=TTL_SECONDS)
def text_count(viewer: Viewer, period: Period, sources: tuple[str, ...]) -> int:
    return len(read(list_feedback_texts, viewer=viewer, period=period, sources=sources))


@community_cache(ttl=TTL_SECONDS)
def keywords(
    viewer: Viewer, period: Period, sources: tuple[str, ...], limit: int
) -> list[KeywordCount]:
    return read(top_keywords, viewer=viewer, period=period, sources=sources, limit=limit)


@community_cache(ttl=TTL_SECONDS)
def keyword_texts(
    viewer: Viewer, period: Period, sources: tuple[str, ...], word: str, limit: int
) -> list[FeedbackText]:
    return read(
        texts_with_keyword, viewer=viewer, period=period, word=word, sources=sources, limit=limit
    )
