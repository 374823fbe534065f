"""员工绩效 Staff KPIs: per staff member of a community, for managers only.

Per staff member and period (local bounds of the community, ``Period.utc_bounds``):

- **orders handled** (处理工单): work orders of any type assigned to them (``assignee_id``)
  and completed (``completed_at``) in the period;
- **on-time share** (按时完成率): of those, the ones completed by their resolution deadline
  (``completed_at <= resolve_due_at``);
- **mean rating** (平均评分): over the ratings of those orders, the mean of each rating's three
  scores (speed, attitude, quality), i.e. sum of all scores ÷ (3 × ratings);
- **rectifications** (整改单): rectification tickets opened in the period on their orders
  (``ticket.work_order_id``: a red-line rating opens one on the rated order);
- **rework** (返工): reopenings in the period of tickets on their orders, i.e. ticket events
  from ``awaiting_confirmation`` back to ``in_progress`` (the owner did not accept the fix).
  Work orders themselves cannot be reopened: their flows (``flows.WORK_ORDER_FLOWS``) only move
  forward and progress is the furthest stage reached, so the ticket log is the only record of
  work that had to be redone;
- **patrol coverage** (巡检覆盖率): on the shifts they walked (started, and over: ended, or
  their slot ended more than ``patrols.UNFINISHED_GRACE`` ago — ``patrols.walked_shift``),
  checkpoints checked in ÷ checkpoints on the route, summed over those shifts (counted as
  ``plans.coverage`` counts them for every patrol figure). Shifts assigned to them whose slot
  ended without a start (``patrols.missed_shift``) are counted as missed (漏巡) beside it and
  not pooled into the coverage — unlike the monthly report, which pools them with 0 visited; a
  shift belongs to the period its planned start falls in.

Counting happens in SQL, one grouped query per table for all periods at once (a ``CASE`` over the
periods' UTC bounds puts each row in its period, as in ``kpis``); ratios are taken in Python from
the integer counts so both engines agree. A figure without a denominator is NaN ("no data").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.communities import community_zone
from data_access.errors import DomainError, NotAllowed
from data_access.models import (
    PatrolPlan,
    PatrolShift,
    Rating,
    RectificationTicket,
    Staff,
    TicketEvent,
    WorkOrder,
)
from data_access.periods import Period, last_periods
from data_access.plans.coverage import (
    coverage_ratio,
    planned_checkpoints_per_shift,
    visited_checkpoints_per_shift,
)
from data_access.plans.patrols import missed_shift, walked_shift
from data_access.timestamps import to_stored_utc

DEFAULT_TREND_MONTHS = 12
MAX_TREND_MONTHS = 36
SCORE_DIMENSIONS = 3  # score_speed, score_attitude, score_quality
REOPEN_FROM, REOPEN_TO = "awaiting_confirmation", "in_progress"

MEASURE_COLUMNS = [
    "orders_handled", "on_time", "on_time_share", "ratings", "mean_rating",
    "rectifications", "rework", "shifts_walked", "shifts_missed",
    "checkpoints_planned", "checkpoints_visited", "patrol_coverage",
]  # fmt: skip
STAFF_COLUMNS = ["staff_id", "name", "post", "team", *MEASURE_COLUMNS]
TREND_COLUMNS = ["month_start", "period", *MEASURE_COLUMNS]
RATE_COLUMNS = ("on_time_share", "mean_rating", "patrol_coverage")


@dataclass(frozen=True)
class _Counts:
    """One staff member's counts in one period (what the figures are computed from)."""

    orders_handled: int = 0
    on_time: int = 0
    ratings: int = 0
    score_total: int = 0  # sum of all three scores over the ratings
    rectifications: int = 0
    rework: int = 0
    shifts_walked: int = 0
    shifts_missed: int = 0
    checkpoints_planned: int = 0
    checkpoints_visited: int = 0

    @property
    def is_empty(self) -> bool:
        return self == _Counts()

    def figures(self) -> dict[str, Any]:
        return {
            "orders_handled": self.orders_handled,
            "on_time": self.on_time,
            "on_time_share": _ratio(self.on_time, self.orders_handled),
            "ratings": self.ratings,
            "mean_rating": _ratio(self.score_total, self.ratings * SCORE_DIMENSIONS),
            "rectifications": self.rectifications,
            "rework": self.rework,
            "shifts_walked": self.shifts_walked,
            "shifts_missed": self.shifts_missed,
            "checkpoints_planned": self.checkpoints_planned,
            "checkpoints_visited": self.checkpoints_visited,
            "patrol_coverage": coverage_ratio(self.checkpoints_visited, self.checkpoints_planned),
        }


# --- public API ------------------------------------------------------------------------------------
def list_staff_kpis(
    *, session: Session, viewer: Viewer, period: Period, now: dt.datetime
) -> pd.DataFrame:
    """The figures of every staff member of the manager's community for ``period``.

    One row per staff member who is active or has any figure in the period (a former
    employee's last month still shows), ordered by post, then name. Columns: STAFF_COLUMNS;
    counts are integers, ``on_time_share``, ``mean_rating`` (1–5) and ``patrol_coverage`` are
    floats, NaN without data. ``now`` (naive UTC) decides which shifts are over.

    Raises ``NotAllowed("staff.not_allowed")`` for anyone but a manager.
    """
    _require_manager(viewer)
    zone = community_zone(session, viewer.community_id)
    counts = _counts(
        session, viewer.community_id, [period.utc_bounds(zone.key)], to_stored_utc(now)
    )
    people = session.execute(
        select(Staff.id, Staff.name, Staff.post, Staff.team, Staff.is_active).where(
            Staff.community_id == viewer.community_id
        )
    ).all()
    records = []
    # Sorted here, not in SQL: the engines collate Chinese text differently.
    for staff_id, name, post, team, is_active in sorted(people, key=lambda p: (p[2], p[1], p[0])):
        mine = counts.get((staff_id, 0), _Counts())
        if not is_active and mine.is_empty:
            continue
        records.append(
            {"staff_id": staff_id, "name": name, "post": post, "team": team, **mine.figures()}
        )
    return _typed(pd.DataFrame.from_records(records, columns=STAFF_COLUMNS))


def staff_trend(
    *,
    session: Session,
    viewer: Viewer,
    staff_id: int,
    now: dt.datetime,
    months: int = DEFAULT_TREND_MONTHS,
) -> pd.DataFrame:
    """One staff member's figures per local month, the ``months`` months up to the current one
    (oldest first, months without anything included with zero counts and NaN rates).

    Columns: TREND_COLUMNS (``month_start`` a date, ``period`` its label "2026-11").
    Raises ``NotAllowed("staff.not_allowed")`` for anyone but a manager and
    ``DomainError("staff.not_found")`` for a staff member of another community.
    """
    _require_manager(viewer)
    staff = session.get(Staff, staff_id)
    if staff is None or staff.community_id != viewer.community_id:
        raise DomainError("staff.not_found")
    zone = community_zone(session, viewer.community_id)
    now = to_stored_utc(now)
    today = now.replace(tzinfo=dt.UTC).astimezone(zone).date()
    periods = last_periods("month", today, min(max(months, 1), MAX_TREND_MONTHS))
    counts = _counts(
        session,
        viewer.community_id,
        [p.utc_bounds(zone.key) for p in periods],
        now,
        staff_id=staff_id,
    )
    records = [
        {
            "month_start": period.start,
            "period": period.label,
            **counts.get((staff_id, i), _Counts()).figures(),
        }
        for i, period in enumerate(periods)
    ]
    return _typed(pd.DataFrame.from_records(records, columns=TREND_COLUMNS))


# --- for the page (pure, on the frames above) ----------------------------------------------------------
SORT_KEYS = (
    "orders_handled", "on_time_share", "mean_rating", "rework", "rectifications",
    "patrol_coverage", "name",
)  # fmt: skip
ACTIVITY_COLUMNS = ("orders_handled", "ratings", "rectifications", "rework", "shifts_walked",
                    "shifts_missed")  # fmt: skip


@dataclass(frozen=True)
class StaffSummary:
    people: int
    orders_handled: int
    mean_rating: float | None  # over all their ratings (not the mean of per-person means)
    rework: int


def select_staff(
    frame: pd.DataFrame, *, post: str | None = None, sort_by: str = "orders_handled"
) -> pd.DataFrame:
    """The rows of one post (all if None), best first by ``sort_by`` (names A→Z; people
    without a figure last), ties by name."""
    if sort_by not in SORT_KEYS:
        raise ValueError(f"cannot sort staff by {sort_by!r}")
    chosen = frame if post is None else frame[frame["post"] == post]
    return chosen.sort_values(
        [sort_by, "name"], ascending=[sort_by == "name", True], na_position="last", kind="stable"
    )


def summarize_staff(frame: pd.DataFrame) -> StaffSummary:
    """Headline figures of a ``list_staff_kpis`` frame (or a selection of it)."""
    ratings = int(frame["ratings"].sum())
    score_total = float((frame["mean_rating"].fillna(0) * frame["ratings"]).sum())
    return StaffSummary(
        people=len(frame),
        orders_handled=int(frame["orders_handled"].sum()),
        mean_rating=score_total / ratings if ratings else None,
        rework=int(frame["rework"].sum()),
    )


def has_activity(trend: pd.DataFrame) -> bool:
    """Whether a ``staff_trend`` frame holds anything at all (orders, ratings, patrols…)."""
    return bool(trend[list(ACTIVITY_COLUMNS)].to_numpy().any())


# --- counting ----------------------------------------------------------------------------------------
Bounds = Sequence[tuple[dt.datetime, dt.datetime]]


def _counts(
    session: Session,
    community_id: int,
    bounds: Bounds,
    now: dt.datetime,
    staff_id: int | None = None,
) -> dict[tuple[int, int], _Counts]:
    """(staff id, period index) → counts, from one grouped query per table."""
    merged: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for part in (
        _order_counts(session, community_id, bounds, staff_id),
        _rating_counts(session, community_id, bounds, staff_id),
        _ticket_counts(session, community_id, bounds, staff_id),
        _rework_counts(session, community_id, bounds, staff_id),
        _patrol_counts(session, community_id, bounds, now, staff_id),
    ):
        for key, values in part.items():
            merged[key].update(values)
    return {key: _Counts(**values) for key, values in merged.items()}


def _order_counts(
    session: Session, community_id: int, bounds: Bounds, staff_id: int | None
) -> dict[tuple[int, int], dict[str, int]]:
    lo, hi = _span(bounds)
    inner = (
        select(
            WorkOrder.assignee_id.label("staff_id"),
            _bucket(WorkOrder.completed_at, bounds).label("bucket"),
            WorkOrder.completed_at,
            WorkOrder.resolve_due_at,
        )
        .where(
            WorkOrder.community_id == community_id,
            WorkOrder.assignee_id.is_not(None),
            WorkOrder.completed_at >= lo,
            WorkOrder.completed_at < hi,
            *_one_staff(WorkOrder.assignee_id, staff_id),
        )
        .subquery()
    )
    o = inner.c
    rows = session.execute(
        select(
            o.staff_id, o.bucket, func.count(), _count_if(o.completed_at <= o.resolve_due_at)
        ).group_by(o.staff_id, o.bucket)
    )
    return _keyed(rows, ("orders_handled", "on_time"))


def _rating_counts(
    session: Session, community_id: int, bounds: Bounds, staff_id: int | None
) -> dict[tuple[int, int], dict[str, int]]:
    lo, hi = _span(bounds)
    inner = (
        select(
            WorkOrder.assignee_id.label("staff_id"),
            _bucket(WorkOrder.completed_at, bounds).label("bucket"),
            (Rating.score_speed + Rating.score_attitude + Rating.score_quality).label("total"),
        )
        .join(WorkOrder, Rating.work_order_id == WorkOrder.id)
        .where(
            WorkOrder.community_id == community_id,
            WorkOrder.assignee_id.is_not(None),
            WorkOrder.completed_at >= lo,
            WorkOrder.completed_at < hi,
            *_one_staff(WorkOrder.assignee_id, staff_id),
        )
        .subquery()
    )
    r = inner.c
    rows = session.execute(
        select(r.staff_id, r.bucket, func.count(), func.coalesce(func.sum(r.total), 0)).group_by(
            r.staff_id, r.bucket
        )
    )
    return _keyed(rows, ("ratings", "score_total"))


def _ticket_counts(
    session: Session, community_id: int, bounds: Bounds, staff_id: int | None
) -> dict[tuple[int, int], dict[str, int]]:
    lo, hi = _span(bounds)
    ticket = RectificationTicket
    inner = (
        select(
            WorkOrder.assignee_id.label("staff_id"),
            _bucket(ticket.created_at, bounds).label("bucket"),
        )
        .join(WorkOrder, ticket.work_order_id == WorkOrder.id)
        .where(
            ticket.community_id == community_id,
            WorkOrder.assignee_id.is_not(None),
            ticket.created_at >= lo,
            ticket.created_at < hi,
            *_one_staff(WorkOrder.assignee_id, staff_id),
        )
        .subquery()
    )
    k = inner.c
    rows = session.execute(
        select(k.staff_id, k.bucket, func.count()).group_by(k.staff_id, k.bucket)
    )
    return _keyed(rows, ("rectifications",))


def _rework_counts(
    session: Session, community_id: int, bounds: Bounds, staff_id: int | None
) -> dict[tuple[int, int], dict[str, int]]:
    lo, hi = _span(bounds)
    ticket = RectificationTicket
    inner = (
        select(
            WorkOrder.assignee_id.label("staff_id"),
            _bucket(TicketEvent.occurred_at, bounds).label("bucket"),
        )
        .join(ticket, TicketEvent.ticket_id == ticket.id)
        .join(WorkOrder, ticket.work_order_id == WorkOrder.id)
        .where(
            ticket.community_id == community_id,
            WorkOrder.assignee_id.is_not(None),
            TicketEvent.from_status == REOPEN_FROM,
            TicketEvent.to_status == REOPEN_TO,
            TicketEvent.occurred_at >= lo,
            TicketEvent.occurred_at < hi,
            *_one_staff(WorkOrder.assignee_id, staff_id),
        )
        .subquery()
    )
    e = inner.c
    rows = session.execute(
        select(e.staff_id, e.bucket, func.count()).group_by(e.staff_id, e.bucket)
    )
    return _keyed(rows, ("rework",))


def _patrol_counts(
    session: Session, community_id: int, bounds: Bounds, now: dt.datetime, staff_id: int | None
) -> dict[tuple[int, int], dict[str, int]]:
    lo, hi = _span(bounds)
    in_scope = (
        PatrolShift.community_id == community_id,
        PatrolShift.guard_id.is_not(None),
        PatrolShift.planned_start_at >= lo,
        PatrolShift.planned_start_at < hi,
        *_one_staff(PatrolShift.guard_id, staff_id),
    )
    visited = visited_checkpoints_per_shift(*in_scope)
    planned = planned_checkpoints_per_shift(*in_scope)
    # Coverage pools the walked shifts only; missed ones are counted apart (漏巡).
    walked = walked_shift(now)
    missed = missed_shift(now)
    inner = (
        select(
            PatrolShift.guard_id.label("staff_id"),
            _bucket(PatrolShift.planned_start_at, bounds).label("bucket"),
            case((walked, 1), else_=0).label("walked"),
            case((missed, 1), else_=0).label("missed"),
            case((walked, func.coalesce(planned.c.planned, 0)), else_=0).label("planned"),
            case((walked, func.coalesce(visited.c.visited, 0)), else_=0).label("visited"),
        )
        .join(PatrolPlan, PatrolShift.plan_id == PatrolPlan.id)
        .outerjoin(planned, planned.c.shift_id == PatrolShift.id)
        .outerjoin(visited, visited.c.shift_id == PatrolShift.id)
        .where(*in_scope)
        .subquery()
    )
    s = inner.c
    rows = session.execute(
        select(
            s.staff_id,
            s.bucket,
            func.sum(s.walked),
            func.sum(s.missed),
            func.sum(s.planned),
            func.sum(s.visited),
        ).group_by(s.staff_id, s.bucket)
    )
    return _keyed(
        rows, ("shifts_walked", "shifts_missed", "checkpoints_planned", "checkpoints_visited")
    )


# --- helpers -----------------------------------------------------------------------------------------
def _require_manager(viewer: Viewer) -> None:
    if not viewer.is_manager:
        raise NotAllowed("staff.not_allowed")


def _bucket(column: Any, ranges: Bounds) -> ColumnElement[Any]:
    """The index of the half-open range [lo, hi) that ``column`` falls in (NULL: none)."""
    return case(
        *((and_(column >= lo, column < hi), i) for i, (lo, hi) in enumerate(ranges)),
        else_=None,
    )


def _span(ranges: Bounds) -> tuple[dt.datetime, dt.datetime]:
    return min(lo for lo, _ in ranges), max(hi for _, hi in ranges)


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _one_staff(column: Any, staff_id: int | None) -> tuple[ColumnElement[bool], ...]:
    return () if staff_id is None else (column == staff_id,)


def _keyed(rows: Any, names: tuple[str, ...]) -> dict[tuple[int, int], dict[str, int]]:
    return {
        (int(staff_id), int(bucket)): {
            name: int(value or 0) for name, value in zip(names, values, strict=True)
        }
        for staff_id, bucket, *values in rows
        if bucket is not None
    }


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    counts = [f.name for f in fields(_Counts) if f.name in frame.columns]
    return frame.astype(
        {**dict.fromkeys(counts, "int64"), **dict.fromkeys(RATE_COLUMNS, "float64")}
    )
