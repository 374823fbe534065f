"""The six KPIs (docs/domain.md#kpis) per community and period, their contract targets and trends.

A period's boundaries are local midnights in the community's time zone
(``Period.utc_bounds``); stored timestamps are naive UTC and compared with those bounds, while a
plan task's ``due_date`` is already a local date. ``as_of`` is "now" as a naive UTC datetime: it
decides which deadlines have passed (an order still inside its deadlines is not judged yet).

Counting happens in SQL (``count``/``sum`` over ``CASE``) with one grouped query per table for
all the periods asked at once (the period and its previous one, or the months of a trend): each
row is put in its period by a ``CASE`` over the periods' UTC bounds, so local month boundaries
are exact on every engine without date functions. Ratios are taken in Python from integer
counts, so SQLite and PostgreSQL give identical answers.

An empty denominator gives ``value=None`` ("no data"), never 0 % or a division error.

Everything is counted as it stood at ``as_of``: an item created later did not exist yet, a
completion, closure or reply recorded later had not happened yet, and an item whose outcome
was not decided by then (its deadline still ahead) is left out of numerator and denominator
and counted in ``Kpi.pending``. A period still running at ``as_of`` is compared with the same
stretch of the period before (its first N days, N the days elapsed, judged as of the same
moment into it), not with the whole of it (``compared_period``).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import ColumnElement, and_, case, false, func, not_, or_, select, true
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.models import (
    SERVICE_CATEGORIES,
    Community,
    PlanTask,
    Rating,
    RectificationTicket,
    ServiceContract,
    ServiceItem,
    TicketEvent,
    WorkOrder,
)
from data_access.orders import deadlines
from data_access.periods import Period, range_period
from data_access.timestamps import local_date, to_stored_utc

KPI_KEYS: tuple[str, ...] = (
    "plan_completion_rate",
    "actual_completion_rate",
    "timeliness_rate",
    "rectification_rate",
    "satisfaction",
    "reply_timeliness_rate",
)
# The KPIs of the monthly trend chart.
CORE_KPI_KEYS: tuple[str, ...] = KPI_KEYS[:4]
# Satisfaction is a mean score (1–5); every other KPI is a share (0–1).
SCORE_KPI_KEYS: frozenset[str] = frozenset({"satisfaction"})
# A rating is "good" when the mean of its dimensions is at least this.
GOOD_SCORE = 4
SCORE_DIMENSIONS = 3  # score_speed, score_attitude, score_quality

TARGET_COLUMNS: dict[str, str] = {
    "plan_completion_rate": "target_plan_completion",
    "actual_completion_rate": "target_actual_completion",
    "timeliness_rate": "target_timeliness",
    "rectification_rate": "target_rectification",
    "satisfaction": "target_satisfaction",
    "reply_timeliness_rate": "target_reply_timeliness",
}

PLAN_OUTCOMES = ("done_on_time", "done_late", "missed", "pending", "cancelled")
_BY_CATEGORY_COLUMNS = [
    "category",
    "planned",
    *PLAN_OUTCOMES,
    "plan_completion_rate",
    "actual_completion_rate",
]
_BY_ITEM_COLUMNS = [
    "item_id",
    "item_code",
    "item_name",
    "category",
    "tier",
    *_BY_CATEGORY_COLUMNS[1:],
]
_TREND_COLUMNS = [
    "period", "month_start", "kpi", "value", "numerator", "denominator", "pending", "partial",
]  # fmt: skip


# --- results -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Kpi:
    """One KPI of one period.

    ``value`` is ``numerator / denominator`` (a share 0–1, or for satisfaction a mean score 1–5),
    None when there is nothing to measure. ``target`` comes from the service contract (None
    without one); ``previous`` is the value of the period just before (None: no data then).
    """

    key: str
    value: float | None
    numerator: float | int
    denominator: int
    target: float | None
    previous: float | None
    # Items the data cannot judge (e.g. orders whose source recorded no response time), left
    # out of numerator and denominator; with nothing else to measure the value is None.
    left_out: int = field(default=0, kw_only=True)
    # Items whose outcome was not decided yet at ``as_of`` (deadline still ahead), left out.
    pending: int = field(default=0, kw_only=True)

    @property
    def is_score(self) -> bool:
        """True for a mean score (satisfaction), False for a share."""
        return self.key in SCORE_KPI_KEYS

    @property
    def change(self) -> float | None:
        """``value - previous``, or None when either is missing."""
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def meets_target(self) -> bool | None:
        """Whether the value reaches the target (None when either is missing)."""
        if self.value is None or self.target is None:
            return None
        return self.value >= self.target


@dataclass(frozen=True)
class SatisfactionKpi(Kpi):
    good_share: float | None  # share of ratings whose mean score is ≥ GOOD_SCORE


@dataclass(frozen=True)
class RectificationKpi(Kpi):
    on_time_share: float | None  # closed by the fix deadline ÷ opened


@dataclass(frozen=True)
class KpiReport:
    """The six KPIs of a community for a period, in ``KPI_KEYS`` order."""

    community_id: int
    community_code: str
    community_name: str
    period: Period
    as_of: dt.datetime  # naive UTC
    kpis: dict[str, Kpi]  # KPI_KEYS order
    # What ``Kpi.previous`` measures: the period before, or while ``period`` runs at ``as_of``
    # its first days as far as this one has come (``running``).
    compared_period: Period
    running: bool

    @property
    def period_label(self) -> str:
        return self.period.label

    def __getitem__(self, key: str) -> Kpi:
        return self.kpis[key]

    @property
    def satisfaction(self) -> SatisfactionKpi:
        kpi = self.kpis["satisfaction"]
        assert isinstance(kpi, SatisfactionKpi)
        return kpi

    @property
    def rectification(self) -> RectificationKpi:
        kpi = self.kpis["rectification_rate"]
        assert isinstance(kpi, RectificationKpi)
        return kpi


# --- public API: the report ------------------------------------------------------------------------
def compute_kpis(
    *, session: Session, community_id: int, period: Period, as_of: dt.datetime
) -> KpiReport:
    """The six KPIs of ``community_id`` for ``period`` as of ``as_of`` (naive UTC "now").

    Each KPI carries its contract target and its value for ``period.previous()``. See the
    functions named after each KPI for the precise definitions.
    """
    community = session.get_one(Community, community_id)
    as_of = to_stored_utc(as_of)
    current, previous, compared = _current_and_compared(
        session, community, period, as_of, _sources(KPI_KEYS)
    )
    contract = contract_for_period(session=session, community_id=community_id, period=period)
    return KpiReport(
        community_id=community.id,
        community_code=community.code,
        community_name=community.name,
        period=period,
        as_of=as_of,
        kpis={key: _kpi(key, current, previous, contract) for key in KPI_KEYS},
        compared_period=compared,
        running=compared != period.previous(),
    )


def compared_period(
    period: Period, as_of: dt.datetime, time_zone: str
) -> tuple[Period, dt.datetime] | None:
    """For a period running at ``as_of`` (naive UTC): the same stretch of the period before —
    its first N local days, N the days of this one begun by ``as_of`` (capped at the earlier
    period's length) — and the moment as far into it as ``as_of`` is into this one (capped at
    its end). None for a period that has ended (or not begun)."""
    start, end = period.utc_bounds(time_zone)
    if not start <= as_of < end:
        return None
    before = period.previous()
    before_start, before_end = before.utc_bounds(time_zone)
    days_begun = (local_date(as_of, ZoneInfo(time_zone)) - period.start).days + 1
    days = min(days_begun, before.days)
    stretch = range_period(before.start, before.start + dt.timedelta(days=days - 1))
    return stretch, min(before_start + (as_of - start), before_end)


def _current_and_compared(
    session: Session,
    community: Community,
    period: Period,
    as_of: dt.datetime | None,
    sources: frozenset[str],
) -> tuple[_Tally, _Tally, Period]:
    """This period's tally and the one it is compared with (see ``compared_period``)."""
    running = None if as_of is None else compared_period(period, as_of, community.time_zone)
    if running is None:
        current, previous = _tallies(
            session, community, [period, period.previous()], as_of, sources
        )
        return current, previous, period.previous()
    stretch, stretch_as_of = running
    (current,) = _tallies(session, community, [period], as_of, sources)
    (previous,) = _tallies(session, community, [stretch], stretch_as_of, sources)
    return current, previous, stretch


def kpis_for_viewer(
    *, session: Session, viewer: Viewer, period: Period, as_of: dt.datetime
) -> KpiReport:
    """``compute_kpis`` for the viewer's own community; no role sees another community's KPIs."""
    return compute_kpis(
        session=session, community_id=viewer.community_id, period=period, as_of=as_of
    )


def contract_for_period(
    *, session: Session, community_id: int, period: Period
) -> ServiceContract | None:
    """The contract whose targets apply to ``period``.

    The contract in force on the period's last day (the latest-starting one if several); else
    the one overlapping the period that ended last; None if no contract overlaps the period.
    """
    contracts = session.scalars(
        select(ServiceContract).where(
            ServiceContract.community_id == community_id,
            ServiceContract.start_date <= period.end,
            ServiceContract.end_date >= period.start,
        )
    ).all()
    in_force = [c for c in contracts if c.start_date <= period.end <= c.end_date]
    if in_force:
        return max(in_force, key=lambda c: (c.start_date, c.id))
    return max(contracts, key=lambda c: (c.end_date, c.start_date, c.id), default=None)


# --- public API: one KPI each ---------------------------------------------------------------------
def plan_completion_rate(
    *, session: Session, community_id: int, period: Period, as_of: dt.datetime | None = None
) -> Kpi:
    """计划完成率 (on-plan completion).

    Denominator: the community's plan tasks whose local ``due_date`` lies in
    [period.start, period.end] and whose status is not 'cancelled'. Numerator: those completed
    inside their window (``completed_at`` set and window_start_at <= completed_at <=
    window_end_at). A task is due once its window has ended by ``as_of`` or it was completed:
    tasks still ahead (a current period's remaining days) are not yet due and do not count.
    Without ``as_of`` every task of the period counts (a period in the past).
    """
    return _single_kpi("plan_completion_rate", session, community_id, period, as_of)


def actual_completion_rate(
    *, session: Session, community_id: int, period: Period, as_of: dt.datetime | None = None
) -> Kpi:
    """实际完成率 (actual completion).

    Same denominator as ``plan_completion_rate``; numerator: the tasks completed at all
    (``completed_at`` set), late or early ones included.
    """
    return _single_kpi("actual_completion_rate", session, community_id, period, as_of)


def timeliness_rate(
    *, session: Session, community_id: int, period: Period, as_of: dt.datetime
) -> Kpi:
    """服务及时率 (service timeliness).

    Work orders (all types) created in the period (``created_at`` within the period's UTC
    bounds), judged by ``data_access.orders.deadlines``: the denominator counts the orders met
    or missed as of ``as_of``, the numerator those met (responded and resolved in time). An
    order still inside its deadlines is not judged yet; one whose outcome hangs on a response
    its source never recorded is left out and counted in ``left_out``.
    """
    return _single_kpi("timeliness_rate", session, community_id, period, as_of)


def rectification_rate(*, session: Session, community_id: int, period: Period) -> RectificationKpi:
    """问题整改率 (rectification).

    Rectification tickets created in the period. Numerator: those whose status is 'closed'
    now; denominator: all of them, rejected ones included (closed ÷ opened).
    ``on_time_share``: tickets closed with closed_at <= fix_due_at ÷ the same denominator.
    The current status counts, so no ``as_of`` is needed.
    """
    kpi = _single_kpi("rectification_rate", session, community_id, period, None)
    assert isinstance(kpi, RectificationKpi)
    return kpi


def satisfaction(*, session: Session, community_id: int, period: Period) -> SatisfactionKpi:
    """满意度 (satisfaction).

    Ratings created in the period. A rating's score is the mean of its three dimensions
    (speed, attitude, quality). ``value``: the mean of those scores (1–5); ``numerator``: their
    sum; ``denominator``: the number of ratings. ``good_share``: the share of ratings whose
    score is >= 4.
    """
    kpi = _single_kpi("satisfaction", session, community_id, period, None)
    assert isinstance(kpi, SatisfactionKpi)
    return kpi


def reply_timeliness_rate(
    *, session: Session, community_id: int, period: Period, as_of: dt.datetime
) -> Kpi:
    """回复及时率 (reply timeliness): ratings and rectification tickets created in the period.

    A rating is due once it is replied (``replied_at`` set) or once reply_due_at <= as_of; it
    was answered in time if replied_at <= reply_due_at. A ticket's reply is its acceptance or
    rejection: the first ticket event leaving 'submitted' (from_status 'submitted', to another
    status; ``accepted_at`` stands in if a ticket has no such event). A ticket is due once it
    left 'submitted' or once accept_due_at <= as_of; answered in time if that reply happened at
    or before accept_due_at. Numerator: ratings + tickets answered in time; denominator:
    ratings + tickets due.
    """
    return _single_kpi("reply_timeliness_rate", session, community_id, period, as_of)


# --- public API: plan breakdowns and the trend -----------------------------------------------------
def plan_completion_by_category(
    *, session: Session, community_id: int, period: Period, as_of: dt.datetime
) -> pd.DataFrame:
    """Plan tasks due in ``period`` per service category, one row per category with tasks.

    Every task due in the period falls in exactly one outcome column: ``cancelled``;
    ``done_on_time`` (completed inside its window); ``done_late`` (completed outside its window —
    in practice after it); ``missed`` (not completed and window_end_at < as_of); ``pending``
    (not completed, window still open or in the future). ``planned`` = all but cancelled
    = done_on_time + done_late + missed + pending. Rates are those of ``plan_completion_rate``
    and ``actual_completion_rate``: over the tasks due so far, i.e. without the pending ones
    (NaN when nothing is due yet). Ordered as SERVICE_CATEGORIES.
    """
    counts = _plan_outcome_counts(session, community_id, period, as_of, [ServiceItem.category])
    rows = [{"category": key[0], **outcomes} for key, outcomes in counts]
    rows.sort(key=lambda row: _category_order(row["category"]))
    return _plan_frame(rows, _BY_CATEGORY_COLUMNS)


def plan_completion_by_item(
    *, session: Session, community_id: int, period: Period, as_of: dt.datetime
) -> pd.DataFrame:
    """Like ``plan_completion_by_category``, one row per service item with tasks in the period.

    Columns: item_id, item_code, item_name, category, tier, then the counts and rates.
    Ordered by category (as SERVICE_CATEGORIES), then item code.
    """
    keys = [
        ServiceItem.id,
        ServiceItem.code,
        ServiceItem.name,
        ServiceItem.category,
        ServiceItem.tier,
    ]
    counts = _plan_outcome_counts(session, community_id, period, as_of, keys)
    rows = [
        {
            "item_id": key[0],
            "item_code": key[1],
            "item_name": key[2],
            "category": key[3],
            "tier": key[4],
            **outcomes,
        }
        for key, outcomes in counts
    ]
    rows.sort(key=lambda row: (_category_order(row["category"]), row["item_code"], row["item_id"]))
    return _plan_frame(rows, _BY_ITEM_COLUMNS)


def monthly_trend(
    *, session: Session, community_id: int, months: Sequence[Period], as_of: dt.datetime
) -> pd.DataFrame:
    """The four core KPIs (CORE_KPI_KEYS) for each of ``months``, one row per month and KPI.

    Columns: ``period`` (label), ``month_start`` (date), ``kpi`` (key), ``value`` (float, NaN
    for no data), ``numerator``, ``denominator``, ``pending`` (items not decided yet, left
    out) and ``partial`` (the month was still running at ``as_of``). Rows follow ``months``' order, then
    CORE_KPI_KEYS. Values equal ``compute_kpis`` for each month; they are computed with one
    grouped query per table for the whole span. ``months`` may be any periods that do not
    overlap (typically ``last_periods("month", today, 12)``).
    """
    _check_disjoint(months)
    community = session.get_one(Community, community_id)
    as_of = to_stored_utc(as_of)
    tallies = _tallies(session, community, list(months), as_of, _sources(CORE_KPI_KEYS))
    rows = []
    for month, tally in zip(months, tallies, strict=True):
        partial = as_of < month.utc_bounds(community.time_zone)[1]
        for key in CORE_KPI_KEYS:
            measured = _measure(key, tally)
            rows.append(
                {
                    "period": month.label,
                    "month_start": month.start,
                    "kpi": key,
                    "value": measured.value,
                    "numerator": measured.numerator,
                    "denominator": measured.denominator,
                    "pending": measured.pending,
                    "partial": partial,
                }
            )
    frame = pd.DataFrame.from_records(rows, columns=_TREND_COLUMNS)
    return frame.astype(
        {"value": "float64", "numerator": "int64", "denominator": "int64", "pending": "int64",
         "partial": "bool"}
    )  # fmt: skip


# --- counting ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _PlanCounts:
    planned: int = 0  # due, not cancelled
    on_time: int = 0
    done: int = 0
    pending: int = 0  # not due yet, not done


@dataclass(frozen=True)
class _OrderCounts:
    due: int = 0
    met: int = 0
    unknown: int = 0  # decided, but on a response the source never recorded
    pending: int = 0


@dataclass(frozen=True)
class _TicketCounts:
    opened: int = 0  # whose rectification is decided: closed, rejected or past its fix deadline
    closed: int = 0
    closed_on_time: int = 0
    reply_due: int = 0
    replied_in_time: int = 0
    pending: int = 0  # rectification not decided yet
    reply_pending: int = 0


@dataclass(frozen=True)
class _RatingCounts:
    rated: int = 0
    score_total: int = 0  # sum over ratings of the three dimensions (so mean = total / 3n)
    good: int = 0
    reply_due: int = 0
    replied_in_time: int = 0
    reply_pending: int = 0


@dataclass(frozen=True)
class _Tally:
    """What one period's KPIs are computed from (tables not asked for stay at zero)."""

    plan: _PlanCounts = _PlanCounts()
    orders: _OrderCounts = _OrderCounts()
    tickets: _TicketCounts = _TicketCounts()
    ratings: _RatingCounts = _RatingCounts()


_KPI_SOURCES: dict[str, frozenset[str]] = {
    "plan_completion_rate": frozenset({"plan"}),
    "actual_completion_rate": frozenset({"plan"}),
    "timeliness_rate": frozenset({"orders"}),
    "rectification_rate": frozenset({"tickets"}),
    "satisfaction": frozenset({"ratings"}),
    "reply_timeliness_rate": frozenset({"tickets", "ratings"}),
}


def _sources(keys: Sequence[str]) -> frozenset[str]:
    return frozenset().union(*(_KPI_SOURCES[key] for key in keys))


def _tallies(
    session: Session,
    community: Community,
    periods: list[Period],
    as_of: dt.datetime | None,
    sources: frozenset[str],
) -> list[_Tally]:
    """One ``_Tally`` per period (periods must not overlap), one query per table in ``sources``.

    Without ``as_of`` only figures that do not depend on it are right (plans, rectification,
    satisfaction): no deadline counts as passed.
    """
    tallies = [_Tally() for _ in periods]
    bounds = [period.utc_bounds(community.time_zone) for period in periods]
    if "plan" in sources:
        days = [(p.start, p.end + dt.timedelta(days=1)) for p in periods]
        for i, plan in _plan_counts(session, community.id, days, as_of).items():
            tallies[i] = replace(tallies[i], plan=plan)
    if "orders" in sources:
        if as_of is None:
            raise ValueError("as_of is required for the timeliness rate")
        for i, orders in _order_counts(session, community.id, bounds, as_of).items():
            tallies[i] = replace(tallies[i], orders=orders)
    if "tickets" in sources:
        for i, tickets in _ticket_counts(session, community.id, bounds, as_of).items():
            tallies[i] = replace(tallies[i], tickets=tickets)
    if "ratings" in sources:
        for i, ratings in _rating_counts(session, community.id, bounds, as_of).items():
            tallies[i] = replace(tallies[i], ratings=ratings)
    return tallies


def _bucket(column: Any, ranges: Sequence[tuple[Any, Any]]) -> ColumnElement[Any]:
    """The index of the half-open range [lo, hi) that ``column`` falls in (NULL: none)."""
    return case(
        *((and_(column >= lo, column < hi), i) for i, (lo, hi) in enumerate(ranges)),
        else_=None,
    )


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _span(ranges: Sequence[tuple[Any, Any]]) -> tuple[Any, Any]:
    return min(lo for lo, _ in ranges), max(hi for _, hi in ranges)


def _known(moment: Any, as_of: dt.datetime | None) -> ColumnElement[Any]:
    """``moment`` if it had happened by ``as_of``, else NULL (as the data stood then)."""
    if as_of is None:
        return moment
    return case((moment <= as_of, moment), else_=None)


def _existed(created_at: Any, as_of: dt.datetime | None) -> ColumnElement[bool]:
    return true() if as_of is None else created_at <= as_of


def _plan_counts(
    session: Session,
    community_id: int,
    days: Sequence[tuple[dt.date, dt.date]],
    as_of: dt.datetime | None,
) -> dict[int, _PlanCounts]:
    lo, hi = _span(days)
    inner = (
        select(
            _bucket(PlanTask.due_date, days).label("bucket"),
            PlanTask.window_start_at,
            PlanTask.window_end_at,
            _known(PlanTask.completed_at, as_of).label("completed_at"),
        )
        .where(
            PlanTask.community_id == community_id,
            PlanTask.due_date >= lo,
            PlanTask.due_date < hi,
            PlanTask.status != "cancelled",
        )
        .subquery()
    )
    t = inner.c
    # A task is due once it is done or its window has ended (without as_of: every task).
    due = true() if as_of is None else or_(t.completed_at.is_not(None), t.window_end_at <= as_of)
    rows = session.execute(
        select(
            t.bucket,
            _count_if(due),
            _count_if(_on_time(t.completed_at, t.window_start_at, t.window_end_at)),
            _count_if(t.completed_at.is_not(None)),
            _count_if(not_(due)),
        ).group_by(t.bucket)
    )
    return {
        bucket: _PlanCounts(*(int(n) for n in counts))
        for bucket, *counts in rows
        if bucket is not None
    }


def _on_time(completed_at: Any, window_start_at: Any, window_end_at: Any) -> ColumnElement[bool]:
    return and_(
        completed_at.is_not(None),
        window_start_at <= completed_at,
        completed_at <= window_end_at,
    )


def _order_counts(
    session: Session,
    community_id: int,
    bounds: Sequence[tuple[dt.datetime, dt.datetime]],
    as_of: dt.datetime,
) -> dict[int, _OrderCounts]:
    lo, hi = _span(bounds)
    inner = (
        select(
            _bucket(WorkOrder.created_at, bounds).label("bucket"),
            WorkOrder.respond_due_at,
            WorkOrder.resolve_due_at,
            _known(WorkOrder.responded_at, as_of).label("responded_at"),
            WorkOrder.response_recorded,
            _known(WorkOrder.completed_at, as_of).label("completed_at"),
        )
        .where(
            WorkOrder.community_id == community_id,
            WorkOrder.created_at >= lo,
            WorkOrder.created_at < hi,
            _existed(WorkOrder.created_at, as_of),
        )
        .subquery()
    )
    o = inner.c
    judged = deadlines.judged_sql(o, as_of)
    unknown = deadlines.unknown_sql(o, as_of)
    rows = session.execute(
        select(
            o.bucket,
            _count_if(judged),
            _count_if(and_(judged, deadlines.met_sql(o))),
            _count_if(unknown),
            _count_if(and_(not_(judged), not_(unknown))),
        ).group_by(o.bucket)
    )
    return {
        bucket: _OrderCounts(*(int(n) for n in counts))
        for bucket, *counts in rows
        if bucket is not None
    }


def _ticket_counts(
    session: Session,
    community_id: int,
    bounds: Sequence[tuple[dt.datetime, dt.datetime]],
    as_of: dt.datetime | None,
) -> dict[int, _TicketCounts]:
    lo, hi = _span(bounds)
    ticket = RectificationTicket
    # The reply to a ticket is the first move out of 'submitted' (accepted or rejected);
    # rejections have no column of their own, so the event log is the source.
    first_reply = (
        select(func.min(TicketEvent.occurred_at))
        .where(
            TicketEvent.ticket_id == ticket.id,
            TicketEvent.from_status == "submitted",
            TicketEvent.to_status != "submitted",
        )
        .scalar_subquery()
    )
    inner = (
        select(
            _bucket(ticket.created_at, bounds).label("bucket"),
            ticket.status,
            _known(ticket.closed_at, as_of).label("closed_at"),
            ticket.fix_due_at,
            ticket.accept_due_at,
            _known(func.coalesce(first_reply, ticket.accepted_at), as_of).label("replied_at"),
            func.coalesce(first_reply, ticket.accepted_at).label("reply_recorded_at"),
        )
        .where(
            ticket.community_id == community_id,
            ticket.created_at >= lo,
            ticket.created_at < hi,
            _existed(ticket.created_at, as_of),
        )
        .subquery()
    )
    k = inner.c
    closed = and_(k.status == "closed", k.closed_at.is_not(None))
    if as_of is None:  # the current status counts, every ticket is decided
        decided: ColumnElement[bool] = true()
        reply_due = or_(k.status != "submitted", k.replied_at.is_not(None))
    else:  # closed or rejected by then, or past the fix deadline without
        rejected = and_(k.status == "rejected", k.replied_at.is_not(None))
        decided = or_(closed, rejected, k.fix_due_at <= as_of)
        # (moved on without a recorded reply time: answered, when is unknown)
        untimed = and_(k.status != "submitted", k.reply_recorded_at.is_(None))
        reply_due = or_(k.replied_at.is_not(None), k.accept_due_at <= as_of, untimed)
    rows = session.execute(
        select(
            k.bucket,
            _count_if(decided),
            _count_if(closed),
            _count_if(and_(closed, k.closed_at <= k.fix_due_at)),
            _count_if(reply_due),
            _count_if(and_(reply_due, k.replied_at <= k.accept_due_at)),
            _count_if(not_(decided)),
            _count_if(not_(reply_due)),
        ).group_by(k.bucket)
    )
    return {
        bucket: _TicketCounts(*(int(n) for n in counts))
        for bucket, *counts in rows
        if bucket is not None
    }


def _rating_counts(
    session: Session,
    community_id: int,
    bounds: Sequence[tuple[dt.datetime, dt.datetime]],
    as_of: dt.datetime | None,
) -> dict[int, _RatingCounts]:
    lo, hi = _span(bounds)
    inner = (
        select(
            _bucket(Rating.created_at, bounds).label("bucket"),
            (Rating.score_speed + Rating.score_attitude + Rating.score_quality).label("total"),
            _known(Rating.replied_at, as_of).label("replied_at"),
            Rating.reply_due_at,
        )
        .where(
            Rating.community_id == community_id,
            Rating.created_at >= lo,
            Rating.created_at < hi,
            _existed(Rating.created_at, as_of),
        )
        .subquery()
    )
    r = inner.c
    reply_due = or_(
        r.replied_at.is_not(None), false() if as_of is None else r.reply_due_at <= as_of
    )
    rows = session.execute(
        select(
            r.bucket,
            func.count(),
            func.coalesce(func.sum(r.total), 0),
            # mean of the dimensions >= GOOD_SCORE, in integers: total >= GOOD_SCORE × 3
            _count_if(r.total >= GOOD_SCORE * SCORE_DIMENSIONS),
            _count_if(reply_due),
            _count_if(and_(reply_due, r.replied_at <= r.reply_due_at)),
            _count_if(not_(reply_due)),
        ).group_by(r.bucket)
    )
    return {
        bucket: _RatingCounts(*(int(n) for n in counts))
        for bucket, *counts in rows
        if bucket is not None
    }


# --- from counts to KPIs -------------------------------------------------------------------------
@dataclass(frozen=True)
class _Measured:
    numerator: float | int
    denominator: int
    value: float | None
    extra: float | None = None  # good_share / on_time_share
    left_out: int = 0
    pending: int = 0


def _ratio(numerator: float, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _measure(key: str, tally: _Tally) -> _Measured:
    plan, orders, tickets, ratings = tally.plan, tally.orders, tally.tickets, tally.ratings
    if key == "plan_completion_rate":
        return _Measured(
            plan.on_time, plan.planned, _ratio(plan.on_time, plan.planned), pending=plan.pending
        )
    if key == "actual_completion_rate":
        return _Measured(
            plan.done, plan.planned, _ratio(plan.done, plan.planned), pending=plan.pending
        )
    if key == "timeliness_rate":
        return _Measured(
            orders.met,
            orders.due,
            _ratio(orders.met, orders.due),
            left_out=orders.unknown,
            pending=orders.pending,
        )
    if key == "rectification_rate":
        return _Measured(
            tickets.closed,
            tickets.opened,
            _ratio(tickets.closed, tickets.opened),
            _ratio(tickets.closed_on_time, tickets.opened),
            pending=tickets.pending,
        )
    if key == "satisfaction":
        return _Measured(
            ratings.score_total / SCORE_DIMENSIONS,
            ratings.rated,
            _ratio(ratings.score_total, ratings.rated * SCORE_DIMENSIONS),
            _ratio(ratings.good, ratings.rated),
        )
    if key == "reply_timeliness_rate":
        in_time = ratings.replied_in_time + tickets.replied_in_time
        due = ratings.reply_due + tickets.reply_due
        pending = ratings.reply_pending + tickets.reply_pending
        return _Measured(in_time, due, _ratio(in_time, due), pending=pending)
    raise ValueError(f"unknown KPI: {key!r}")


def _kpi(key: str, current: _Tally, previous: _Tally, contract: ServiceContract | None) -> Kpi:
    now, before = _measure(key, current), _measure(key, previous)
    target = None if contract is None else float(getattr(contract, TARGET_COLUMNS[key]))
    common: dict[str, Any] = dict(
        key=key,
        value=now.value,
        numerator=now.numerator,
        denominator=now.denominator,
        target=target,
        previous=before.value,
        left_out=now.left_out,
        pending=now.pending,
    )
    if key == "satisfaction":
        return SatisfactionKpi(**common, good_share=now.extra)
    if key == "rectification_rate":
        return RectificationKpi(**common, on_time_share=now.extra)
    return Kpi(**common)


def _single_kpi(
    key: str,
    session: Session,
    community_id: int,
    period: Period,
    as_of: dt.datetime | None,
) -> Kpi:
    community = session.get_one(Community, community_id)
    moment = None if as_of is None else to_stored_utc(as_of)
    current, previous, _ = _current_and_compared(
        session, community, period, moment, _KPI_SOURCES[key]
    )
    contract = contract_for_period(session=session, community_id=community_id, period=period)
    return _kpi(key, current, previous, contract)


# --- plan breakdowns -------------------------------------------------------------------------------
def _plan_outcome_counts(
    session: Session,
    community_id: int,
    period: Period,
    as_of: dt.datetime,
    keys: list[Any],
) -> list[tuple[tuple[Any, ...], dict[str, int]]]:
    """Per group of ``keys`` (ServiceItem columns): the task count of each PLAN_OUTCOMES."""
    as_of = to_stored_utc(as_of)
    done = PlanTask.completed_at.is_not(None)
    open_ = and_(PlanTask.status != "cancelled", PlanTask.completed_at.is_(None))
    live = PlanTask.status != "cancelled"
    on_time = _on_time(PlanTask.completed_at, PlanTask.window_start_at, PlanTask.window_end_at)
    outcomes = {
        "done_on_time": and_(live, on_time),
        "done_late": and_(live, done, ~on_time),
        "missed": and_(open_, PlanTask.window_end_at < as_of),
        "pending": and_(open_, PlanTask.window_end_at >= as_of),
        "cancelled": PlanTask.status == "cancelled",
    }
    rows = session.execute(
        select(*keys, *(_count_if(condition) for condition in outcomes.values()))
        .join(ServiceItem, PlanTask.item_id == ServiceItem.id)
        .where(
            PlanTask.community_id == community_id,
            PlanTask.due_date >= period.start,
            PlanTask.due_date <= period.end,
        )
        .group_by(*keys)
    )
    width = len(keys)
    return [
        (tuple(row[:width]), {name: int(n) for name, n in zip(outcomes, row[width:], strict=True)})
        for row in rows
    ]


def _plan_frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    for row in rows:
        row["planned"] = row["done_on_time"] + row["done_late"] + row["missed"] + row["pending"]
        due = row["planned"] - row["pending"]  # pending tasks are not due yet
        row["plan_completion_rate"] = _ratio(row["done_on_time"], due)
        row["actual_completion_rate"] = _ratio(row["done_on_time"] + row["done_late"], due)
    frame = pd.DataFrame.from_records(rows, columns=columns)
    counts = {name: "int64" for name in ("planned", *PLAN_OUTCOMES)}
    rates = {name: "float64" for name in ("plan_completion_rate", "actual_completion_rate")}
    return frame.astype({**counts, **rates})


def _category_order(category: str) -> int:
    try:
        return SERVICE_CATEGORIES.index(category)
    except ValueError:
        return len(SERVICE_CATEGORIES)


# --- helpers ---------------------------------------------------------------------------------------


def _check_disjoint(periods: Sequence[Period]) -> None:
    ordered = sorted(periods, key=lambda p: p.start)
    for before, after in itertools.pairwise(ordered):
        if after.start <= before.end:
            raise ValueError(f"periods overlap: {before.label} and {after.label}")
