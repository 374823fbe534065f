"""Reads and moves of the early-warning page (预警). Reads are cached briefly and keyed by the
viewer (an alert list is the viewer's community's, names masked for the committee); moves run
through ``ui.actions.commands.run_command``, which clears the caches."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data_access.accounts.auth import Viewer
from data_access.alerts import rules as alerts
from data_access.alerts.rules import AlertSummary, AlertView
from ui.database import read
from ui.loaders.cache import community_cache

ALERTS_TTL_SECONDS = 30  # the engine runs every few minutes; moves clear the cache at once
TREND_TTL_SECONDS = 300


@community_cache(ttl=ALERTS_TTL_SECONDS)
def summary(viewer: Viewer, now: dt.datetime) -> AlertSummary:
    """``now`` (a minute) only keys the cache, so figures follow the list."""
    return read(alerts.alert_summary, viewer=viewer)


@community_cache(ttl=ALERTS_TTL_SECONDS)
def alert_list(
    viewer: Viewer,
    now: dt.datetime,
    states: tuple[str, ...],
    severity: str | None,
    rule: str | None,
) -> list[AlertView]:
    return read(
        alerts.list_alerts, viewer=viewer, now=now, states=states, severity=severity, rule=rule
    )


@community_cache(ttl=TREND_TTL_SECONDS)
def trend(viewer: Viewer, now: dt.datetime, weeks: int) -> pd.DataFrame:
    return read(alerts.alert_trend, viewer=viewer, now=now, weeks=weeks)
