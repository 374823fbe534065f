"""Analytics (分析): reply timeliness and handling time by category, the overdue
trend, hotspots (area × category) and risk points.

Every figure is over what the viewer may see: work orders through ``work_orders.visible_to``
(an owner counts public orders and their own in-home ones), ratings of those orders; tickets
and equipment are the community's public record. Periods are local (``Period.utc_bounds``);
stored timestamps are naive UTC. ``now`` (naive UTC) decides which deadlines have passed.

Counting happens in SQL (``GROUP BY`` with ``CASE``); only the per-order handling times of the
box plot are rows. Shares are taken in Python from integer counts, so SQLite and PostgreSQL
agree exactly.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.analytics.kpis import contract_for_period
from data_access.communities import community_zone
from data_access.models import (
    WORK_ORDER_CATEGORIES,
    Area,
    Equipment,
    EquipmentFault,
    Rating,
    RectificationTicket,
    TicketEvent,
    WorkOrder,
)
from data_access.orders.work_orders import visible_to
from data_access.periods import Period, range_period
from data_access.tickets.ratings import DEFAULT_RED_LINE
from data_access.timestamps import stored_to_local, to_stored_utc
from i18n import label, translate

HOUR = dt.timedelta(hours=1)
# Orders that report a problem somewhere; brand services (品牌服务) are planned events.
ISSUE_ORDER_TYPES: tuple[str, ...] = ("repair", "complaint", "rectification")
# Without a contract, a category is a hotspot of an area from this many orders in the period.
DEFAULT_HOTSPOT_MIN_COUNT = 3

# Risk points: see ``risk_points``.
RISK_MIN_SIGNALS = 2
RISK_HOTSPOT_WEIGHT = 1  # per order in a hotspot category of the area
RISK_LOW_RATING_WEIGHT = 3  # per rating at or below the red line on an order there
RISK_FAULT_WEIGHT = 2  # per equipment fault there
RISK_OPEN_FAULT_WEIGHT = 2  # extra, per fault still unresolved now

REPLY_COLUMNS = ["category", "rated", "due", "in_time", "share"]
DURATION_COLUMNS = ["order_id", "category", "order_type", "hours"]
OVERDUE_COLUMNS = ["week_start", "source", "due", "overdue", "share"]
OVERDUE_SOURCES: tuple[str, ...] = ("order", "ticket")
HOTSPOT_COLUMNS = ["area_id", "area_name", "area_kind", "category", "count"]


# --- reply timeliness ----------------------------------------------------------------------------
def reply_timeliness_by_category(
    *, session: Session, viewer: Viewer, period: Period, now: dt.datetime
) -> pd.DataFrame:
    """回复及时率 per work-order category: ratings made in ``period`` on orders the viewer may
    see. ``due`` counts ratings whose reply is decided (answered, or the deadline passed by
    ``now``); ``in_time`` those answered by ``reply_due_at``; ``share`` = in_time ÷ due (NaN
    when nothing is due yet). Columns ``REPLY_COLUMNS``, categories in catalog order."""
    lo, hi = _bounds(session, viewer, period)
    now = to_stored_utc(now)
    due = or_(Rating.replied_at.is_not(None), Rating.reply_due_at <= now)
    in_time = and_(Rating.replied_at.is_not(None), Rating.replied_at <= Rating.reply_due_at)
    rows = session.execute(
        select(WorkOrder.category, func.count(), _count_if(due), _count_if(and_(due, in_time)))
        .join(WorkOrder, WorkOrder.id == Rating.work_order_id)
        .where(
            Rating.community_id == viewer.community_id,
            visible_to(viewer),
            Rating.created_at >= lo,
            Rating.created_at < hi,
        )
        .group_by(WorkOrder.category)
    ).all()
    records = [
        {
            "category": category,
            "rated": int(rated),
            "due": int(n_due),
            "in_time": int(n_in_time),
            "share": int(n_in_time) / int(n_due) if n_due else None,
        }
        for category, rated, n_due, n_in_time in sorted(rows, key=lambda r: _category_rank(r[0]))
    ]
    frame = pd.DataFrame.from_records(records, columns=REPLY_COLUMNS)
    return frame.astype(
        {"category": "object", "rated": "int64", "due": "int64", "in_time": "int64"}
        | {"share": "float64"}
    )


# --- handling time ---------------------------------------------------------------------------------
def handling_durations(*, session: Session, viewer: Viewer, period: Period) -> pd.DataFrame:
    """处理时长 of each closed order created in ``period`` (as ``handling.py`` counts them):
    one row per order, ``hours`` = completion − creation. Columns ``DURATION_COLUMNS``."""
    lo, hi = _bounds(session, viewer, period)
    rows = session.execute(
        select(
            WorkOrder.id,
            WorkOrder.category,
            WorkOrder.order_type,
            WorkOrder.created_at,
            WorkOrder.completed_at,
        )
        .where(
            visible_to(viewer),
            WorkOrder.created_at >= lo,
            WorkOrder.created_at < hi,
            WorkOrder.completed_at.is_not(None),
        )
        .order_by(WorkOrder.category, WorkOrder.id)
    ).all()
    records = [
        (order_id, category, kind, (completed - created) / HOUR)
        for order_id, category, kind, created, completed in rows
        if completed is not None
    ]
    frame = pd.DataFrame.from_records(records, columns=DURATION_COLUMNS)
    return frame.astype(
        {"order_id": "int64", "category": "object", "order_type": "object", "hours": "float64"}
    )


# --- overdue trend ---------------------------------------------------------------------------------
def overdue_trend(
    *, session: Session, viewer: Viewer, period: Period, now: dt.datetime
) -> pd.DataFrame:
    """Per ISO week of ``period`` (clipped to it), the deadlines that fell due in the week and
    had passed by ``now``, and how many of them were missed.

    - ``order``: orders whose resolve deadline fell in the week; overdue when completed after
      it or still open.
    - ``ticket``: tickets whose fix deadline fell in the week (rejected ones excluded); overdue
      when the fix was handed to the owner (待业主确认, else closed) after it, or not yet.

    Columns ``OVERDUE_COLUMNS``: ``week_start`` (the Monday, a date), ``source``, ``due``,
    ``overdue``, ``share`` (NaN when nothing fell due). Every week that has begun by ``now``
    has a row per source (weeks still ahead have nothing to judge and are left out).
    """
    zone = community_zone(session, viewer.community_id)
    now = to_stored_utc(now)
    today = stored_to_local(now, zone)
    assert today is not None
    weeks = [week for week in _weeks(period) if week[1] <= today.date()]
    counts: dict[tuple[int, str], tuple[int, int]] = {}
    if weeks:
        counts = _overdue_counts(session, viewer, weeks, zone, now)
    records = []
    for i, (monday, _, _) in enumerate(weeks):
        for source in OVERDUE_SOURCES:
            due, late = counts.get((i, source), (0, 0))
            records.append(
                {
                    "week_start": monday,
                    "source": source,
                    "due": due,
                    "overdue": late,
                    "share": late / due if due else None,
                }
            )
    frame = pd.DataFrame.from_records(records, columns=OVERDUE_COLUMNS)
    return frame.astype(
        {"week_start": "object", "source": "object", "due": "int64", "overdue": "int64"}
        | {"share": "float64"}
    )


def _overdue_counts(
    session: Session,
    viewer: Viewer,
    weeks: list[tuple[dt.date, dt.date, dt.date]],
    zone: ZoneInfo,
    now: dt.datetime,
) -> dict[tuple[int, str], tuple[int, int]]:
    """(week index, source) → (deadlines due, missed), one grouped query per source."""
    ranges = [range_period(start, end).utc_bounds(zone) for _, start, end in weeks]
    lo, hi = ranges[0][0], min(ranges[-1][1], now)  # a deadline still ahead is not judged yet
    counts: dict[tuple[int, str], tuple[int, int]] = {}

    order_due = WorkOrder.resolve_due_at
    order_late = or_(WorkOrder.completed_at.is_(None), WorkOrder.completed_at > order_due)
    inner = (
        select(_bucket(order_due, ranges).label("bucket"), order_late.label("late"))
        .where(visible_to(viewer), order_due >= lo, order_due < hi)
        .subquery()
    )
    for bucket, due, late in session.execute(
        select(inner.c.bucket, func.count(), _count_if(inner.c.late)).group_by(inner.c.bucket)
    ):
        if bucket is not None:
            counts[(int(bucket), "order")] = (int(due), int(late))

    ticket = RectificationTicket
    handed = (
        select(func.max(TicketEvent.occurred_at))
        .where(
            TicketEvent.ticket_id == ticket.id,
            TicketEvent.to_status == "awaiting_confirmation",
            TicketEvent.from_status != "awaiting_confirmation",
        )
        .scalar_subquery()
    )
    fixed_at = func.coalesce(handed, ticket.closed_at)
    inner = (
        select(
            _bucket(ticket.fix_due_at, ranges).label("bucket"),
            fixed_at.label("fixed_at"),
            ticket.fix_due_at,
        )
        .where(
            ticket.community_id == viewer.community_id,
            ticket.status != "rejected",
            ticket.fix_due_at >= lo,
            ticket.fix_due_at < hi,
        )
        .subquery()
    )
    k = inner.c
    ticket_late = or_(k.fixed_at.is_(None), k.fixed_at > k.fix_due_at)
    for bucket, due, late in session.execute(
        select(k.bucket, func.count(), _count_if(ticket_late)).group_by(k.bucket)
    ):
        if bucket is not None:
            counts[(int(bucket), "ticket")] = (int(due), int(late))
    return counts


def _weeks(period: Period) -> list[tuple[dt.date, dt.date, dt.date]]:
    """(Monday, first day, last day) of each ISO week overlapping ``period``, clipped to it."""
    weeks = []
    monday = period.start - dt.timedelta(days=period.start.isoweekday() - 1)
    while monday <= period.end:
        sunday = monday + dt.timedelta(days=6)
        weeks.append((monday, max(monday, period.start), min(sunday, period.end)))
        monday += dt.timedelta(days=7)
    return weeks


# --- hotspots ------------------------------------------------------------------------------------
def hotspot_matrix(*, session: Session, viewer: Viewer, period: Period) -> pd.DataFrame:
    """热点: problem orders (``ISSUE_ORDER_TYPES``) created in ``period`` per area × category,
    over the orders the viewer may see; orders tied to no area are left out.

    Columns ``HOTSPOT_COLUMNS``; busiest areas first, then by count, then category."""
    rows = _area_category_counts(session, viewer, period)
    totals: dict[int, int] = defaultdict(int)
    for area_id, _, _, _, count in rows:
        totals[area_id] += count
    rows.sort(key=lambda r: (-totals[r[0]], r[1], -r[4], _category_rank(r[3])))
    frame = pd.DataFrame.from_records(rows, columns=HOTSPOT_COLUMNS)
    return frame.astype(
        {"area_id": "int64", "area_name": "object", "area_kind": "object"}
        | {"category": "object", "count": "int64"}
    )


def _area_category_counts(
    session: Session, viewer: Viewer, period: Period
) -> list[tuple[int, str, str, str, int]]:
    lo, hi = _bounds(session, viewer, period)
    rows = session.execute(
        select(Area.id, Area.name, Area.kind, WorkOrder.category, func.count())
        .join(Area, Area.id == WorkOrder.area_id)
        .where(
            visible_to(viewer),
            Area.community_id == viewer.community_id,
            WorkOrder.order_type.in_(ISSUE_ORDER_TYPES),
            WorkOrder.created_at >= lo,
            WorkOrder.created_at < hi,
        )
        .group_by(Area.id, Area.name, Area.kind, WorkOrder.category)
    )
    return [(int(a), name, kind, category, int(n)) for a, name, kind, category, n in rows]


# --- risk points ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class RiskPoint:
    """A place where trouble signals coincide. ``hotspots`` are (category, orders) of the
    area's hotspot categories, busiest first; ``equipment`` the names of its faulty equipment."""

    area_id: int
    area_name: str
    area_kind: str
    orders: int  # problem orders there in the period, all categories
    hotspots: tuple[tuple[str, int], ...]
    hotspot_min_count: int
    low_ratings: int
    red_line: int
    faults: int
    open_faults: int  # of ``faults``, still unresolved at ``now``
    equipment: tuple[str, ...]
    signals: int  # how many of hotspot / low ratings / faults are present (2 or 3)
    score: int

    def reasons(self, lang: str = "zh") -> list[str]:
        """Why the place ranks, one sentence per signal, in ``lang``."""
        parts = []
        if self.hotspots:
            items = translate("analytics.reason_list_separator", lang).join(
                translate(
                    "analytics.reason_hotspot_item",
                    lang,
                    category=label("order_category", category, lang),
                    count=count,
                )
                for category, count in self.hotspots
            )
            parts.append(
                translate(
                    "analytics.reason_hotspot", lang, items=items, min_count=self.hotspot_min_count
                )
            )
        if self.low_ratings:
            parts.append(
                translate(
                    "analytics.reason_low_ratings",
                    lang,
                    count=self.low_ratings,
                    red_line=self.red_line,
                )
            )
        if self.faults:
            names = translate("analytics.reason_list_separator", lang).join(self.equipment)
            parts.append(
                translate("analytics.reason_faults", lang, count=self.faults, equipment=names)
            )
            if self.open_faults:
                parts.append(
                    translate("analytics.reason_open_faults", lang, count=self.open_faults)
                )
        return parts

    def reason(self, lang: str = "zh") -> str:
        return translate("analytics.reason_separator", lang).join(self.reasons(lang))


def risk_points(
    *, session: Session, viewer: Viewer, period: Period, now: dt.datetime
) -> list[RiskPoint]:
    """风险点: areas where at least ``RISK_MIN_SIGNALS`` of three signals coincide in ``period``:

    1. hotspot — a work-order category with at least the contract's ``hotspot_min_count``
       problem orders in the area (``DEFAULT_HOTSPOT_MIN_COUNT`` without a contract);
    2. low ratings — ratings made in the period, at or below the contract's red line in any
       dimension, on orders in the area;
    3. equipment faults — faults of the area's equipment that occurred in the period.

    score = 1 × orders in the area's hotspot categories + 3 × low ratings + 2 × faults
            + 2 × faults still unresolved at ``now``
    (the ``RISK_*_WEIGHT`` constants: an owner's red-line rating weighs more than one more
    order, an open fault more than a fixed one). Ranked by the number of signals, then the
    score, then the area's name; each point says why (``RiskPoint.reasons``).
    """
    now = to_stored_utc(now)
    lo, hi = _bounds(session, viewer, period)
    contract = contract_for_period(session=session, community_id=viewer.community_id, period=period)
    red_line = DEFAULT_RED_LINE if contract is None else contract.red_line_score
    min_count = DEFAULT_HOTSPOT_MIN_COUNT if contract is None else contract.hotspot_min_count

    areas: dict[int, tuple[str, str]] = {}
    orders: dict[int, int] = defaultdict(int)
    hotspots: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for area_id, name, kind, category, count in _area_category_counts(session, viewer, period):
        areas[area_id] = (name, kind)
        orders[area_id] += count
        if count >= min_count:
            hotspots[area_id].append((category, count))

    low = or_(
        Rating.score_speed <= red_line,
        Rating.score_attitude <= red_line,
        Rating.score_quality <= red_line,
    )
    low_ratings: dict[int, int] = {}
    for area_id, name, kind, count in session.execute(
        select(Area.id, Area.name, Area.kind, func.count())
        .select_from(Rating)
        .join(WorkOrder, WorkOrder.id == Rating.work_order_id)
        .join(Area, Area.id == WorkOrder.area_id)
        .where(
            Rating.community_id == viewer.community_id,
            visible_to(viewer),
            low,
            Rating.created_at >= lo,
            Rating.created_at < hi,
        )
        .group_by(Area.id, Area.name, Area.kind)
    ):
        areas[area_id] = (name, kind)
        low_ratings[area_id] = int(count)

    still_open = or_(EquipmentFault.resolved_at.is_(None), EquipmentFault.resolved_at > now)
    faults: dict[int, int] = defaultdict(int)
    open_faults: dict[int, int] = defaultdict(int)
    equipment: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for area_id, name, kind, equipment_name, count, n_open in session.execute(
        select(
            Area.id,
            Area.name,
            Area.kind,
            Equipment.name,
            func.count(),
            _count_if(still_open),
        )
        .select_from(EquipmentFault)
        .join(Equipment, Equipment.id == EquipmentFault.equipment_id)
        .join(Area, Area.id == Equipment.area_id)
        .where(
            Equipment.community_id == viewer.community_id,
            EquipmentFault.occurred_at >= lo,
            EquipmentFault.occurred_at < hi,
            EquipmentFault.occurred_at <= now,
        )
        .group_by(Area.id, Area.name, Area.kind, Equipment.id, Equipment.name)
    ):
        areas[area_id] = (name, kind)
        faults[area_id] += int(count)
        open_faults[area_id] += int(n_open)
        equipment[area_id].append((-int(count), equipment_name))

    points = []
    for area_id, (name, kind) in areas.items():
        hot = sorted(hotspots[area_id], key=lambda h: (-h[1], _category_rank(h[0])))
        n_low, n_faults = low_ratings.get(area_id, 0), faults[area_id]
        signals = sum((bool(hot), n_low > 0, n_faults > 0))
        if signals < RISK_MIN_SIGNALS:
            continue
        score = (
            RISK_HOTSPOT_WEIGHT * sum(count for _, count in hot)
            + RISK_LOW_RATING_WEIGHT * n_low
            + RISK_FAULT_WEIGHT * n_faults
            + RISK_OPEN_FAULT_WEIGHT * open_faults[area_id]
        )
        points.append(
            RiskPoint(
                area_id=area_id,
                area_name=name,
                area_kind=kind,
                orders=orders[area_id],
                hotspots=tuple(hot),
                hotspot_min_count=min_count,
                low_ratings=n_low,
                red_line=red_line,
                faults=n_faults,
                open_faults=open_faults[area_id],
                equipment=tuple(n for _, n in sorted(equipment[area_id])),
                signals=signals,
                score=score,
            )
        )
    points.sort(key=lambda p: (-p.signals, -p.score, p.area_name))
    return points


# --- helpers ---------------------------------------------------------------------------------------
def _bounds(session: Session, viewer: Viewer, period: Period) -> tuple[dt.datetime, dt.datetime]:
    return period.utc_bounds(community_zone(session, viewer.community_id))


def _bucket(column: Any, ranges: Sequence[tuple[Any, Any]]) -> ColumnElement[Any]:
    """The index of the half-open range [lo, hi) that ``column`` falls in (NULL: none)."""
    return case(
        *((and_(column >= lo, column < hi), i) for i, (lo, hi) in enumerate(ranges)),
        else_=None,
    )


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _category_rank(category: str) -> int:
    try:
        return WORK_ORDER_CATEGORIES.index(category)
    except ValueError:
        return len(WORK_ORDER_CATEGORIES)
