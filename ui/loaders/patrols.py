"""Cached reads for the Patrols page (巡检).

Every loader takes the viewer (the answer depends on their community and on whether guards are
masked for them) and every argument that changes the answer. ``as_of`` is the current minute
(``ui.clock.now_utc_minute``), so a cached answer is at most a minute old and statuses such
as "planned" move on by themselves.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data_access.accounts.auth import Viewer
from data_access.periods import Period
from data_access.plans import patrols
from ui.database import read
from ui.loaders.cache import community_cache

TTL_SECONDS = 60


@community_cache(ttl=TTL_SECONDS)
def plans(viewer: Viewer, period: Period) -> pd.DataFrame:
    return read(patrols.list_patrol_plans, viewer=viewer, period=period)


@community_cache(ttl=TTL_SECONDS)
def shifts(viewer: Viewer, period: Period, as_of: dt.datetime, plan_id: int | None) -> pd.DataFrame:
    return read(patrols.list_shifts, viewer=viewer, period=period, as_of=as_of, plan_id=plan_id)


@community_cache(ttl=TTL_SECONDS)
def summary(
    viewer: Viewer, period: Period, as_of: dt.datetime, plan_id: int | None
) -> patrols.PatrolSummary:
    return patrols.summarize_shifts(shifts(viewer, period, as_of, plan_id))


@community_cache(ttl=TTL_SECONDS)
def coverage_trend(
    viewer: Viewer, period: Period, as_of: dt.datetime, plan_id: int | None
) -> pd.DataFrame:
    return read(patrols.daily_coverage, viewer=viewer, period=period, as_of=as_of, plan_id=plan_id)


@community_cache(ttl=TTL_SECONDS)
def shift_route(viewer: Viewer, shift_id: int, as_of: dt.datetime) -> patrols.ShiftRoute | None:
    return read(patrols.get_shift_route, viewer=viewer, shift_id=shift_id, as_of=as_of)


@community_cache(ttl=TTL_SECONDS)
def missed_checkpoints(
    viewer: Viewer, period: Period, as_of: dt.datetime, plan_id: int | None
) -> pd.DataFrame:
    return read(
        patrols.list_missed_checkpoints, viewer=viewer, period=period, as_of=as_of, plan_id=plan_id
    )
