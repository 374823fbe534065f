"""Cached reads for the Overview page. Every function whose answer depends on the viewer takes
the viewer, so the cache (shared by all sessions) never hands one person's data to another;
what is the same for a whole community (KPIs, trend, public feed) is cached per community."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd

from data_access.accounts.auth import Viewer
from data_access.accounts.privacy import sees_unmasked
from data_access.analytics.kpis import KpiReport, compute_kpis, monthly_trend
from data_access.communities import OwnUnits
from data_access.dashboards.overview import (
    OverviewSummary,
    PublicUpdate,
    community_overview,
    community_updates,
)
from data_access.orders.work_orders import (
    CommunityOpenOrder,
    OpenOrder,
    OpenReporters,
    community_public_open_orders,
    list_open_orders,
    merge_open_orders,
    open_order_reporters,
    own_private_open_orders,
)
from data_access.periods import Period, last_periods
from data_access.tickets.open_tickets import (
    CommunityOpenTicket,
    OpenTicket,
    community_open_tickets,
    mark_mine,
)
from ui.database import read
from ui.loaders.cache import community_cache

LIVE_TTL_SECONDS = 15  # open work and updates change often


def overview(viewer: Viewer, today: dt.date, own_units: OwnUnits) -> OverviewSummary:
    """The community at a glance (cached per community) with the viewer's own units
    (``ui.context.own_units``)."""
    summary = community_overview_summary(viewer.community_id, today)
    return replace(summary, my_units=own_units.labels)


@community_cache(ttl=30)
def community_overview_summary(community_id: int, today: dt.date) -> OverviewSummary:
    return read(community_overview, community_id=community_id, today=today)


def open_orders(viewer: Viewer, limit: int = 8) -> list[OpenOrder]:
    """The newest open orders the viewer may see. For an owner: the community's public ones
    (cached per community) merged with their own private ones (per viewer)."""
    if not viewer.is_owner:
        return viewer_open_orders(viewer, limit)
    public = community_open_orders(viewer.community_id, limit)
    # Only an owner with a private open order reads their own (one read per visitor spared).
    has_own = viewer.account_id in open_reporters(viewer.community_id).private_order
    own = own_open_orders(viewer, limit) if has_own else []
    return merge_open_orders(public, own, viewer, limit)


@community_cache(ttl=LIVE_TTL_SECONDS)
def viewer_open_orders(viewer: Viewer, limit: int) -> list[OpenOrder]:
    return read(list_open_orders, viewer=viewer, limit=limit)


@community_cache(ttl=LIVE_TTL_SECONDS)
def community_open_orders(community_id: int, limit: int) -> list[CommunityOpenOrder]:
    return read(community_public_open_orders, community_id=community_id, limit=limit)


@community_cache(ttl=LIVE_TTL_SECONDS)
def open_reporters(community_id: int) -> OpenReporters:
    """Who has open orders in the community: an owner among neither reads nothing of their
    own on the Overview or the board (``OpenReporters``)."""
    return read(open_order_reporters, community_id=community_id)


@community_cache(ttl=LIVE_TTL_SECONDS)
def own_open_orders(viewer: Viewer, limit: int) -> list[OpenOrder]:
    return read(own_private_open_orders, viewer=viewer, limit=limit)


def open_tickets(viewer: Viewer, now: dt.datetime, limit: int = 8) -> list[OpenTicket]:
    """The community's open tickets (cached per community and masking), the viewer's marked."""
    tickets = community_tickets(viewer.community_id, sees_unmasked(viewer), now, limit)
    return mark_mine(tickets, viewer)


@community_cache(ttl=LIVE_TTL_SECONDS)
def community_tickets(
    community_id: int, unmasked: bool, now: dt.datetime, limit: int
) -> list[CommunityOpenTicket]:
    return read(
        community_open_tickets, community_id=community_id, unmasked=unmasked, now=now, limit=limit
    )


def public_updates(viewer: Viewer, limit: int = 8) -> list[PublicUpdate]:
    """The community's newest public steps, cached per community and masking (the same for
    every owner there), not per viewer."""
    return community_public_updates(viewer.community_id, sees_unmasked(viewer), limit)


@community_cache(ttl=LIVE_TTL_SECONDS)
def community_public_updates(community_id: int, unmasked: bool, limit: int) -> list[PublicUpdate]:
    return read(community_updates, community_id=community_id, unmasked=unmasked, limit=limit)


# The KPIs are the same for everyone in a community, so they are cached per community, not per
# viewer: a hundred owners of one community opening the overview on the same evening share one
# computation (bench/concurrent.py). Only the viewer's own community is ever asked for.
def kpi_report(viewer: Viewer, period: Period, as_of: dt.datetime) -> KpiReport:
    return community_kpis(viewer.community_id, period, as_of)


@community_cache(ttl=60)
def community_kpis(community_id: int, period: Period, as_of: dt.datetime) -> KpiReport:
    return read(compute_kpis, community_id=community_id, period=period, as_of=as_of)


def overview_is_cached(viewer: Viewer, today: dt.date, period: Period, as_of: dt.datetime) -> bool:
    """Whether the Overview's community summary and KPIs would come from the cache: only then
    does the page skip its spinner (``st.spinner`` starts a thread on every run, which was a
    twentieth of a new owner's visit under load; issue 25)."""
    return community_overview_summary.is_fresh(
        viewer.community_id, today
    ) and community_kpis.is_fresh(viewer.community_id, period, as_of)


def kpi_trend(viewer: Viewer, today: dt.date, as_of: dt.datetime) -> pd.DataFrame:
    """The four core KPIs for the 12 months up to this one."""
    return community_trend(viewer.community_id, today, as_of)


@community_cache(ttl=300)
def community_trend(community_id: int, today: dt.date, as_of: dt.datetime) -> pd.DataFrame:
    months = last_periods("month", today, 12)
    return read(monthly_trend, community_id=community_id, months=months, as_of=as_of)
