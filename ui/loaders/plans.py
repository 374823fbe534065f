"""Cached reads of the Plans page; every function takes the viewer (the cache is shared)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data_access.accounts.auth import Viewer
from data_access.periods import Period
from data_access.plans.plan_views import ItemChoice, daily_completion, item_tasks, list_items
from ui.database import read
from ui.loaders.cache import community_cache

TTL_SECONDS = 60


@community_cache(ttl=TTL_SECONDS)
def items(viewer: Viewer, period: Period, category: str | None) -> list[ItemChoice]:
    return read(list_items, viewer=viewer, period=period, category=category)


@community_cache(ttl=TTL_SECONDS)
def daily(viewer: Viewer, period: Period, category: str | None, as_of: dt.datetime) -> pd.DataFrame:
    return read(daily_completion, viewer=viewer, period=period, category=category, as_of=as_of)


@community_cache(ttl=TTL_SECONDS)
def tasks(viewer: Viewer, item_id: int, period: Period, as_of: dt.datetime) -> pd.DataFrame:
    return read(item_tasks, viewer=viewer, item_id=item_id, period=period, as_of=as_of)


@community_cache(ttl=TTL_SECONDS)
def by_item(
    viewer: Viewer, period: Period, category: str | None, as_of: dt.datetime
) -> pd.DataFrame:
    from data_access.analytics.kpis import plan_completion_by_item

    frame = read(
        plan_completion_by_item, community_id=viewer.community_id, period=period, as_of=as_of
    )
    return frame if not category else frame[frame["category"] == category]
