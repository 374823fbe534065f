"""Handling figures (处理时长): how long closed work orders took, per community and period.

An order counts in a period when it was *created* in the period (local bounds, like every
KPI) and is closed (``completed_at`` set). Its handling time is ``completed_at - created_at``.
Open orders never count, whatever their age; rows an import rejected never reached the
database, so they cannot count either. Medians are taken in Python from the durations (the
same answer on SQLite and PostgreSQL); the within-24 h/72 h shares include the bound (an order
closed after exactly 24 h is within 24 h).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.models import Community, WorkOrder
from data_access.orders.work_orders import visible_to
from data_access.periods import Period

HOUR = dt.timedelta(hours=1)
WITHIN_SHORT_HOURS = 24
WITHIN_LONG_HOURS = 72
HANDLING_COLUMNS = [
    "period",
    "count",
    "median_hours",
    "within_24h_share",
    "within_72h_share",
    "on_time_share",
]


@dataclass(frozen=True)
class HandlingFigures:
    """``count`` closed orders; the rest None when there are none."""

    count: int
    median_hours: float | None
    within_24h_share: float | None
    within_72h_share: float | None
    on_time_share: float | None = None  # closed by the resolve deadline ÷ count


def handling_figures(
    *, session: Session, community_id: int, period: Period, as_of: dt.datetime | None = None
) -> HandlingFigures:
    """Handling figures of the community's work orders created in ``period`` and closed —
    by ``as_of`` (naive UTC) when given: what was known at that moment, so an order closed
    later is still open then, and one created later does not exist yet."""
    community = session.get_one(Community, community_id)
    lo, hi = period.utc_bounds(community.time_zone)
    conditions = [
        WorkOrder.community_id == community_id,
        WorkOrder.created_at >= lo,
        WorkOrder.created_at < hi,
        WorkOrder.completed_at.is_not(None),
    ]
    if as_of is not None:
        conditions += [WorkOrder.created_at <= as_of, WorkOrder.completed_at <= as_of]
    rows = session.execute(
        select(WorkOrder.created_at, WorkOrder.completed_at, WorkOrder.resolve_due_at).where(
            *conditions
        )
    ).all()
    return _figures([(c, d, due) for c, d, due in rows if d is not None])


def handling_by_period(
    *, session: Session, viewer: Viewer, periods: Sequence[Period]
) -> pd.DataFrame:
    """One row per period (in the given order) over the orders the viewer may see.

    Columns ``HANDLING_COLUMNS``: ``period`` (label), ``count`` (int), ``median_hours`` and
    the shares (float, NaN when the period has no closed order).
    """
    time_zone = session.get_one(Community, viewer.community_id).time_zone
    bounds = [period.utc_bounds(time_zone) for period in periods]
    records: list[dict[str, object]] = []
    if bounds:
        lo, hi = min(b[0] for b in bounds), max(b[1] for b in bounds)
        rows = session.execute(
            select(WorkOrder.created_at, WorkOrder.completed_at, WorkOrder.resolve_due_at).where(
                visible_to(viewer),
                WorkOrder.created_at >= lo,
                WorkOrder.created_at < hi,
                WorkOrder.completed_at.is_not(None),
            )
        ).all()
        for period, (start, end) in zip(periods, bounds, strict=True):
            inside = [(c, d, due) for c, d, due in rows if d is not None and start <= c < end]
            figures = _figures(inside)
            records.append(
                {
                    "period": period.label,
                    "count": figures.count,
                    "median_hours": figures.median_hours,
                    "within_24h_share": figures.within_24h_share,
                    "within_72h_share": figures.within_72h_share,
                    "on_time_share": figures.on_time_share,
                }
            )
    frame = pd.DataFrame.from_records(records, columns=HANDLING_COLUMNS)
    return frame.astype({"period": "object", "count": "int64"} | _FLOATS)


_FLOATS = {name: "float64" for name in HANDLING_COLUMNS[2:]}


def _figures(rows: Sequence[tuple[dt.datetime, dt.datetime, dt.datetime]]) -> HandlingFigures:
    if not rows:
        return HandlingFigures(0, None, None, None, None)
    hours = [(completed - created) / HOUR for created, completed, _ in rows]
    count = len(hours)
    return HandlingFigures(
        count=count,
        median_hours=float(statistics.median(hours)),
        within_24h_share=sum(h <= WITHIN_SHORT_HOURS for h in hours) / count,
        within_72h_share=sum(h <= WITHIN_LONG_HOURS for h in hours) / count,
        on_time_share=sum(completed <= due for _, completed, due in rows) / count,
    )
