"""What the Patrols page (巡检) shows: plans, shifts, coverage, one shift's route, missed points.

Definitions, all judged "as of" a moment (naive UTC, like the stored timestamps):

- **Route coverage** (路径覆盖率) of a shift = checkpoints of its route with a check-in ÷
  checkpoints on the route (counted by ``plans.coverage``, the one home of that rule). A late
  check-in still counts as visited; a shift still planned, or on a route without checkpoints,
  has no coverage.
- A **check-in is late** when it happened after the shift's ``planned_end_at``: the guard did
  reach the point, but outside the slot the plan promised.
- A **shift's status**:
  ``planned``      not started and its slot has not ended yet (future shifts included);
  ``missed``       not started and its slot has ended (漏巡);
  ``in_progress``  started, not ended, and its slot ended less than ``UNFINISHED_GRACE`` ago;
  ``late``         started more than ``LATE_START_TOLERANCE`` after ``planned_start_at``;
  ``done``         otherwise. A shift left open past the grace is judged on what it recorded.
- **Judged** shifts (done, late, missed) are the ones whose coverage counts in means and whose
  unvisited checkpoints are "missed"; planned and in-progress ones are not judged yet. Of
  those, done and late shifts were **walked**, missed ones never were. ``judged_shift``,
  ``walked_shift`` and ``missed_shift`` are the SQL twins of ``shift_status`` that the staff
  KPIs and the alerts use too.

Periods are local dates; a shift belongs to the local date its slot starts on (``shift_date``),
found through ``planned_start_at`` within ``Period.utc_bounds`` so the community/start index
serves the query. Times in returned frames are the community's local wall-clock times.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import ColumnElement, Subquery, and_, case, func, or_, select
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.accounts.privacy import person_for
from data_access.communities import community_zone
from data_access.models import (
    Checkpoint,
    Community,
    PatrolCheckin,
    PatrolPlan,
    PatrolRoute,
    PatrolShift,
    Photo,
    PhotoAttachment,
    Staff,
)
from data_access.periods import Period
from data_access.plans.coverage import (
    coverage_ratio,
    coverage_sql,
    on_route,
    planned_checkpoints_per_shift,
    visited_checkpoints_per_shift,
)
from data_access.plans.plans import parse_time_slots
from data_access.timestamps import stored_to_local

# A guard who starts within this of the planned start is on time (walkie-talkie handover,
# changing at the gate); later than that the shift counts as late.
LATE_START_TOLERANCE = dt.timedelta(minutes=10)
# How long after its slot a started shift without an end time still counts as in progress.
UNFINISHED_GRACE = dt.timedelta(hours=1)
# The contract has no patrol target yet; the trend chart draws this line (§1.1 KPIs).
COVERAGE_TARGET = 0.95

SHIFT_STATUSES = ("done", "late", "missed", "in_progress", "planned")
JUDGED_STATUSES = ("done", "late", "missed")
CHECKPOINT_STATUSES = ("visited", "late", "missed", "pending")


# --- plans -------------------------------------------------------------------------------------
def list_patrol_plans(
    *, session: Session, viewer: Viewer, period: Period | None = None
) -> pd.DataFrame:
    """The viewer's community's patrol plans (valid in ``period`` if given), with their route.

    Columns: plan_id, plan, post, route, times_per_day, time_slots ("08:00–08:45、…"),
    expected_minutes, expected_distance_m, checkpoints, photo_checkpoints, valid_from, valid_to.
    """
    counts = (
        select(
            Checkpoint.route_id,
            func.count().label("checkpoints"),
            func.sum(case((Checkpoint.photo_required.is_(True), 1), else_=0)).label("photos"),
        )
        .join(PatrolRoute, Checkpoint.route_id == PatrolRoute.id)
        # The route as it stands: points that have left it are not counted.
        .where(PatrolRoute.community_id == viewer.community_id, Checkpoint.valid_to.is_(None))
        .group_by(Checkpoint.route_id)
        .subquery()
    )
    query = (
        select(
            PatrolPlan.id,
            PatrolPlan.name,
            PatrolPlan.post,
            PatrolRoute.name,
            PatrolPlan.times_per_day,
            PatrolPlan.time_slots,
            PatrolPlan.expected_minutes,
            PatrolPlan.expected_distance_m,
            func.coalesce(counts.c.checkpoints, 0),
            func.coalesce(counts.c.photos, 0),
            PatrolPlan.valid_from,
            PatrolPlan.valid_to,
        )
        .join(PatrolRoute, PatrolPlan.route_id == PatrolRoute.id)
        .outerjoin(counts, counts.c.route_id == PatrolRoute.id)
        .where(PatrolPlan.community_id == viewer.community_id)
        .order_by(PatrolPlan.id)
    )
    if period is not None:
        query = query.where(
            PatrolPlan.valid_from <= period.end,
            or_(PatrolPlan.valid_to.is_(None), PatrolPlan.valid_to >= period.start),
        )
    rows = [
        (
            *row[:5],
            _slots_text(row[5]),
            row[6],
            _float_or_none(row[7]),
            int(row[8]),
            int(row[9]),
            *row[10:],
        )
        for row in session.execute(query)
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "plan_id", "plan", "post", "route", "times_per_day", "time_slots",
            "expected_minutes", "expected_distance_m", "checkpoints", "photo_checkpoints",
            "valid_from", "valid_to",
        ],
    )  # fmt: skip


# --- shifts ------------------------------------------------------------------------------------
SHIFT_COLUMNS = [
    "shift_id", "shift_date", "slot", "label", "plan_id", "plan", "route", "guard",
    "planned_start", "planned_end", "started_at", "ended_at",
    "duration_min", "expected_min", "distance_m", "expected_distance_m", "distance_ratio",
    "visited", "planned_checkpoints", "coverage", "late_checkins", "photos", "status",
]  # fmt: skip


def list_shifts(
    *,
    session: Session,
    viewer: Viewer,
    period: Period,
    as_of: dt.datetime,
    plan_id: int | None = None,
) -> pd.DataFrame:
    """The shifts of ``period`` (optionally of one plan), newest first. Columns: SHIFT_COLUMNS.

    ``guard`` is masked unless the viewer is a manager; ``coverage`` is None for shifts that
    are still planned; ``distance_ratio`` = walked ÷ expected distance.
    """
    zone = community_zone(session, viewer.community_id)
    stats = _shift_stats(viewer, period, zone, plan_id)
    rows = session.execute(
        select(
            stats.c.shift_id,
            PatrolShift.shift_date,
            PatrolPlan.id,
            PatrolPlan.name,
            PatrolRoute.name,
            Staff.name,
            PatrolShift.planned_start_at,
            PatrolShift.planned_end_at,
            PatrolShift.started_at,
            PatrolShift.ended_at,
            PatrolPlan.expected_minutes,
            PatrolShift.distance_m,
            PatrolPlan.expected_distance_m,
            stats.c.visited,
            stats.c.planned,
            stats.c.late_checkins,
            stats.c.photos,
        )
        .join(PatrolShift, PatrolShift.id == stats.c.shift_id)
        .join(PatrolPlan, PatrolShift.plan_id == PatrolPlan.id)
        .join(PatrolRoute, PatrolPlan.route_id == PatrolRoute.id)
        .outerjoin(Staff, PatrolShift.guard_id == Staff.id)
        .order_by(PatrolShift.planned_start_at.desc(), PatrolPlan.id)
    ).all()
    records = []
    for (
        shift_id, shift_date, plan_id_, plan, route, guard_name, planned_start, planned_end,
        started, ended, expected_min, distance, expected_distance, visited, planned,
        late_checkins, photos,
    ) in rows:  # fmt: skip
        status = shift_status(
            planned_start=planned_start,
            planned_end=planned_end,
            started_at=started,
            ended_at=ended,
            as_of=as_of,
        )
        guard = person_for(viewer, guard_name) if guard_name else ""
        start_local = stored_to_local(planned_start, zone)
        assert start_local is not None
        slot = _slot_text(start_local, stored_to_local(planned_end, zone))
        records.append(
            {
                "shift_id": shift_id,
                "shift_date": shift_date,
                "slot": slot,
                "label": " · ".join(p for p in (f"{start_local:%Y-%m-%d %H:%M}", plan, guard) if p),
                "plan_id": plan_id_,
                "plan": plan,
                "route": route,
                "guard": guard,
                "planned_start": start_local,
                "planned_end": stored_to_local(planned_end, zone),
                "started_at": stored_to_local(started, zone),
                "ended_at": stored_to_local(ended, zone),
                "duration_min": _minutes(started, ended),
                "expected_min": expected_min,
                "distance_m": distance,
                "expected_distance_m": expected_distance,
                "distance_ratio": (
                    distance / expected_distance
                    if distance is not None and expected_distance
                    else None
                ),
                "visited": int(visited),
                "planned_checkpoints": int(planned),
                "coverage": _shift_coverage(int(visited), int(planned), status),
                "late_checkins": int(late_checkins),
                "photos": int(photos),
                "status": status,
            }
        )
    frame = pd.DataFrame(records, columns=SHIFT_COLUMNS)
    for column in ("planned_start", "planned_end", "started_at", "ended_at"):
        frame[column] = pd.to_datetime(frame[column])
    for column in ("duration_min", "distance_m", "distance_ratio", "coverage"):
        frame[column] = frame[column].astype(float)
    return frame


def shift_status(
    *,
    planned_start: dt.datetime,
    planned_end: dt.datetime,
    started_at: dt.datetime | None,
    ended_at: dt.datetime | None,
    as_of: dt.datetime,
) -> str:
    """The status of a shift as of ``as_of`` (see the module docstring); all naive UTC."""
    if started_at is None:
        return "planned" if planned_end > as_of else "missed"
    if ended_at is None and planned_end > as_of - UNFINISHED_GRACE:
        return "in_progress"
    if started_at > planned_start + LATE_START_TOLERANCE:
        return "late"
    return "done"


@dataclass(frozen=True)
class PatrolSummary:
    shifts: int  # every shift of the period, planned ones included
    judged: int  # done + late + missed
    done: int
    late: int
    missed: int
    in_progress: int
    planned: int
    mean_coverage: float | None  # over judged shifts
    fully_covered_share: float | None  # judged shifts that visited every checkpoint
    missed_checkpoints: int  # unvisited checkpoints of judged shifts
    late_checkins: int
    photos: int


def summarize_shifts(shifts: pd.DataFrame) -> PatrolSummary:
    """The page's headline figures, from a ``list_shifts`` frame (no database access)."""
    judged = shifts[shifts["status"].isin(JUDGED_STATUSES)]
    counts = shifts["status"].value_counts()
    return PatrolSummary(
        shifts=len(shifts),
        judged=len(judged),
        done=int(counts.get("done", 0)),
        late=int(counts.get("late", 0)),
        missed=int(counts.get("missed", 0)),
        in_progress=int(counts.get("in_progress", 0)),
        planned=int(counts.get("planned", 0)),
        mean_coverage=float(judged["coverage"].mean())
        if judged["coverage"].notna().any()
        else None,
        fully_covered_share=float((judged["visited"] >= judged["planned_checkpoints"]).mean())
        if len(judged)
        else None,
        missed_checkpoints=int((judged["planned_checkpoints"] - judged["visited"]).sum()),
        late_checkins=int(shifts["late_checkins"].sum()),
        photos=int(shifts["photos"].sum()),
    )


def default_shift_id(shifts: pd.DataFrame) -> int | None:
    """The shift to show first: the most recent one a guard actually walked, else the newest."""
    if shifts.empty:
        return None
    walked = shifts[shifts["started_at"].notna()]
    chosen = walked if not walked.empty else shifts
    return int(chosen["shift_id"].iloc[0])


# --- daily coverage trend ----------------------------------------------------------------------
def daily_coverage(
    *,
    session: Session,
    viewer: Viewer,
    period: Period,
    as_of: dt.datetime,
    plan_id: int | None = None,
) -> pd.DataFrame:
    """Per local date of ``period`` that has shifts, aggregated in SQL.

    Columns: date, shifts (all), judged, missed_shifts, mean_coverage (over judged shifts),
    full_share (judged shifts that visited every checkpoint ÷ judged). Rates are None on a day
    with nothing judged yet.
    """
    zone = community_zone(session, viewer.community_id)
    stats = _shift_stats(viewer, period, zone, plan_id)
    judged = judged_shift(as_of)
    coverage = coverage_sql(stats.c.visited, stats.c.planned)
    query = (
        select(
            PatrolShift.shift_date,
            func.count().label("shifts"),
            func.sum(case((judged, 1), else_=0)).label("judged"),
            func.sum(case((and_(PatrolShift.started_at.is_(None), judged), 1), else_=0)).label(
                "missed_shifts"
            ),
            func.avg(case((judged, coverage), else_=None)).label("mean_coverage"),
            func.sum(case((and_(judged, stats.c.visited >= stats.c.planned), 1), else_=0)).label(
                "full"
            ),
        )
        .select_from(stats)
        .join(PatrolShift, PatrolShift.id == stats.c.shift_id)
        .group_by(PatrolShift.shift_date)
        .order_by(PatrolShift.shift_date)
    )
    rows = session.execute(query).all()
    frame = pd.DataFrame(
        rows, columns=["date", "shifts", "judged", "missed_shifts", "mean_coverage", "full"]
    )
    frame["date"] = pd.to_datetime(frame["date"])
    for column in ("shifts", "judged", "missed_shifts", "full"):
        frame[column] = frame[column].astype(int)
    frame["mean_coverage"] = frame["mean_coverage"].astype(float)
    frame["full_share"] = (frame["full"] / frame["judged"]).where(frame["judged"] > 0)
    return frame[["date", "shifts", "judged", "missed_shifts", "mean_coverage", "full_share"]]


# --- one shift's route -------------------------------------------------------------------------
@dataclass(frozen=True)
class CheckinPhoto:
    """A check-in's photo; ``sha256`` and ``mime_type`` locate its files (``data_access.media.photos``)."""

    checkpoint: str
    checked_at: dt.datetime  # local
    sha256: str
    mime_type: str

    @property
    def caption(self) -> str:
        return f"{self.checkpoint} · {self.checked_at:%H:%M}"


@dataclass(frozen=True)
class ShiftRoute:
    shift_id: int
    label: str
    plan: str
    route: str
    guard: str
    status: str
    planned_start: dt.datetime  # local
    planned_end: dt.datetime  # local
    started_at: dt.datetime | None  # local
    ended_at: dt.datetime | None  # local
    distance_m: float | None
    expected_distance_m: float | None  # None: the route's length is not known
    expected_minutes: int
    site_width_m: float
    site_height_m: float
    # seq, name, x, y, photo_required, status (CHECKPOINT_STATUSES), checked_at (local),
    # walk_order (1… in check-in order, None if not visited), photos
    checkpoints: pd.DataFrame
    # The path walked: visited checkpoints in check-in order (walk_order, name, x, y, checked_at)
    path: pd.DataFrame
    photos: tuple[CheckinPhoto, ...]

    @property
    def duration_min(self) -> float | None:
        return _minutes(self.started_at, self.ended_at)

    @property
    def coverage(self) -> float | None:
        visited = int(self.checkpoints["status"].isin(("visited", "late")).sum())
        return _shift_coverage(visited, len(self.checkpoints), self.status)


def get_shift_route(
    *,
    session: Session,
    viewer: Viewer,
    shift_id: int,
    as_of: dt.datetime,
) -> ShiftRoute | None:
    """One shift's route with each checkpoint's outcome, the path walked and check-in photos.

    None when the shift does not exist or belongs to another community (no hint which).
    A checkpoint without a check-in is ``missed`` once the shift is judged, else ``pending``.
    """
    row = session.execute(
        select(PatrolShift, PatrolPlan, PatrolRoute.name, Staff.name, Community)
        .join(PatrolPlan, PatrolShift.plan_id == PatrolPlan.id)
        .join(PatrolRoute, PatrolPlan.route_id == PatrolRoute.id)
        .join(Community, PatrolShift.community_id == Community.id)
        .outerjoin(Staff, PatrolShift.guard_id == Staff.id)
        .where(PatrolShift.id == shift_id, PatrolShift.community_id == viewer.community_id)
    ).one_or_none()
    if row is None:
        return None
    shift, plan, route_name, guard_name, community = row
    zone = ZoneInfo(community.time_zone)
    status = shift_status(
        planned_start=shift.planned_start_at,
        planned_end=shift.planned_end_at,
        started_at=shift.started_at,
        ended_at=shift.ended_at,
        as_of=as_of,
    )
    photo_counts = (
        select(PhotoAttachment.checkin_id, func.count().label("photos"))
        .join(PatrolCheckin, PhotoAttachment.checkin_id == PatrolCheckin.id)
        .where(PatrolCheckin.shift_id == shift.id)
        .group_by(PhotoAttachment.checkin_id)
        .subquery()
    )
    points = session.execute(
        select(
            Checkpoint.id,
            Checkpoint.seq,
            Checkpoint.name,
            Checkpoint.x,
            Checkpoint.y,
            Checkpoint.photo_required,
            PatrolCheckin.checked_at,
            func.coalesce(photo_counts.c.photos, 0),
        )
        .outerjoin(
            PatrolCheckin,
            and_(PatrolCheckin.checkpoint_id == Checkpoint.id, PatrolCheckin.shift_id == shift.id),
        )
        .outerjoin(photo_counts, photo_counts.c.checkin_id == PatrolCheckin.id)
        .where(Checkpoint.route_id == plan.route_id, on_route(shift.shift_date))
        .order_by(Checkpoint.seq, Checkpoint.id)
    ).all()
    judged = status in JUDGED_STATUSES
    walk_order = {
        checkpoint_id: n
        for n, (checkpoint_id, *_rest) in enumerate(
            sorted((p for p in points if p.checked_at is not None), key=lambda p: p.checked_at),
            start=1,
        )
    }
    checkpoints = pd.DataFrame(
        [
            {
                "seq": seq,
                "name": name,
                "x": x,
                "y": y,
                "photo_required": bool(photo_required),
                "status": _checkpoint_status(checked_at, shift.planned_end_at, judged),
                "checked_at": stored_to_local(checked_at, zone),
                "walk_order": walk_order.get(checkpoint_id),
                "photos": int(photos),
            }
            for checkpoint_id, seq, name, x, y, photo_required, checked_at, photos in points
        ],
        columns=[
            "seq", "name", "x", "y", "photo_required", "status", "checked_at", "walk_order",
            "photos",
        ],
    )  # fmt: skip
    checkpoints["checked_at"] = pd.to_datetime(checkpoints["checked_at"])
    checkpoints["walk_order"] = checkpoints["walk_order"].astype("Int64")
    path = (
        checkpoints[checkpoints["walk_order"].notna()]
        .sort_values("walk_order")[["walk_order", "name", "x", "y", "checked_at"]]
        .reset_index(drop=True)
    )
    guard = person_for(viewer, guard_name) if guard_name else ""
    planned_start = stored_to_local(shift.planned_start_at, zone)
    planned_end = stored_to_local(shift.planned_end_at, zone)
    assert planned_start is not None and planned_end is not None
    return ShiftRoute(
        shift_id=shift.id,
        label=" · ".join(p for p in (f"{planned_start:%Y-%m-%d %H:%M}", plan.name, guard) if p),
        plan=plan.name,
        route=route_name,
        guard=guard,
        status=status,
        planned_start=planned_start,
        planned_end=planned_end,
        started_at=stored_to_local(shift.started_at, zone),
        ended_at=stored_to_local(shift.ended_at, zone),
        distance_m=shift.distance_m,
        expected_distance_m=plan.expected_distance_m,
        expected_minutes=plan.expected_minutes,
        site_width_m=community.site_width_m,
        site_height_m=community.site_height_m,
        checkpoints=checkpoints,
        path=path,
        photos=_checkin_photos(session, shift.id, zone),
    )


# --- missed checkpoints ------------------------------------------------------------------------
def list_missed_checkpoints(
    *,
    session: Session,
    viewer: Viewer,
    period: Period,
    as_of: dt.datetime,
    plan_id: int | None = None,
) -> pd.DataFrame:
    """Checkpoints of judged shifts in ``period`` that got no check-in, newest shift first.

    A shift that was never walked (``missed``) lists all its checkpoints. Columns: shift_id,
    shift_date, slot, planned_start (local), plan, seq, checkpoint, guard (as the viewer may
    see it), shift_status.
    """
    zone = community_zone(session, viewer.community_id)
    start, end = period.utc_bounds(zone.key)
    query = (
        select(
            PatrolShift.id,
            PatrolShift.shift_date,
            PatrolShift.planned_start_at,
            PatrolShift.planned_end_at,
            PatrolShift.started_at,
            PatrolShift.ended_at,
            PatrolPlan.name,
            Checkpoint.seq,
            Checkpoint.name,
            Staff.name,
        )
        .join(PatrolPlan, PatrolShift.plan_id == PatrolPlan.id)
        .join(
            Checkpoint,
            and_(Checkpoint.route_id == PatrolPlan.route_id, on_route(PatrolShift.shift_date)),
        )
        .outerjoin(
            PatrolCheckin,
            and_(
                PatrolCheckin.shift_id == PatrolShift.id,
                PatrolCheckin.checkpoint_id == Checkpoint.id,
            ),
        )
        .outerjoin(Staff, PatrolShift.guard_id == Staff.id)
        .where(
            PatrolShift.community_id == viewer.community_id,
            PatrolShift.planned_start_at >= start,
            PatrolShift.planned_start_at < end,
            PatrolCheckin.id.is_(None),
            judged_shift(as_of),
        )
        .order_by(PatrolShift.planned_start_at.desc(), PatrolPlan.id, Checkpoint.seq, Checkpoint.id)
    )
    if plan_id is not None:
        query = query.where(PatrolShift.plan_id == plan_id)
    records = []
    for (
        shift_id, shift_date, planned_start, planned_end, started, ended, plan, seq, name,
        guard_name,
    ) in session.execute(query):  # fmt: skip
        start_local = stored_to_local(planned_start, zone)
        assert start_local is not None
        records.append(
            {
                "shift_id": shift_id,
                "shift_date": shift_date,
                "slot": _slot_text(start_local, stored_to_local(planned_end, zone)),
                "planned_start": start_local,
                "plan": plan,
                "seq": seq,
                "checkpoint": name,
                "guard": person_for(viewer, guard_name) if guard_name else "",
                "shift_status": shift_status(
                    planned_start=planned_start,
                    planned_end=planned_end,
                    started_at=started,
                    ended_at=ended,
                    as_of=as_of,
                ),
            }
        )
    frame = pd.DataFrame(
        records,
        columns=[
            "shift_id", "shift_date", "slot", "planned_start", "plan", "seq", "checkpoint",
            "guard", "shift_status",
        ],
    )  # fmt: skip
    frame["planned_start"] = pd.to_datetime(frame["planned_start"])
    return frame


# --- helpers -----------------------------------------------------------------------------------
def _float_or_none(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _shift_stats(viewer: Viewer, period: Period, zone: ZoneInfo, plan_id: int | None) -> Subquery:
    """Per shift of the period (SQL): shift_id, visited and planned checkpoints, late
    check-ins, photos. Counting happens in the database, never by loading check-ins."""
    start, end = period.utc_bounds(zone.key)
    in_scope = [
        PatrolShift.community_id == viewer.community_id,
        PatrolShift.planned_start_at >= start,
        PatrolShift.planned_start_at < end,
    ]
    if plan_id is not None:
        in_scope.append(PatrolShift.plan_id == plan_id)
    checkins = visited_checkpoints_per_shift(*in_scope, count_late_checkins=True)
    photos = (
        select(PatrolCheckin.shift_id, func.count().label("photos"))
        .join(PhotoAttachment, PhotoAttachment.checkin_id == PatrolCheckin.id)
        .join(PatrolShift, PatrolCheckin.shift_id == PatrolShift.id)
        .where(*in_scope)
        .group_by(PatrolCheckin.shift_id)
        .subquery()
    )
    planned = planned_checkpoints_per_shift(*in_scope)
    return (
        select(
            PatrolShift.id.label("shift_id"),
            func.coalesce(checkins.c.visited, 0).label("visited"),
            func.coalesce(planned.c.planned, 0).label("planned"),
            func.coalesce(checkins.c.late_checkins, 0).label("late_checkins"),
            func.coalesce(photos.c.photos, 0).label("photos"),
        )
        .join(PatrolPlan, PatrolShift.plan_id == PatrolPlan.id)
        .outerjoin(checkins, checkins.c.shift_id == PatrolShift.id)
        .outerjoin(photos, photos.c.shift_id == PatrolShift.id)
        .outerjoin(planned, planned.c.shift_id == PatrolShift.id)
        .where(*in_scope)
        .subquery()
    )


def judged_shift(as_of: dt.datetime) -> ColumnElement[bool]:
    """SQL twin of ``shift_status(...) in JUDGED_STATUSES``: walked or missed, i.e. neither
    planned nor in progress."""
    return or_(walked_shift(as_of), missed_shift(as_of))


def walked_shift(as_of: dt.datetime) -> ColumnElement[bool]:
    """SQL twin of ``shift_status(...) in ("done", "late")``: started, and over — ended, or its
    slot ended ``UNFINISHED_GRACE`` ago or more (a guard who forgot to end it)."""
    return and_(
        PatrolShift.started_at.is_not(None),
        or_(
            PatrolShift.ended_at.is_not(None),
            PatrolShift.planned_end_at <= as_of - UNFINISHED_GRACE,
        ),
    )


def missed_shift(as_of: dt.datetime) -> ColumnElement[bool]:
    """SQL twin of ``shift_status(...) == "missed"``: never started and its slot has ended."""
    return and_(PatrolShift.started_at.is_(None), PatrolShift.planned_end_at <= as_of)


def _shift_coverage(visited: int, planned: int, status: str) -> float | None:
    """A shift's route coverage as the page shows it: none while the shift is still planned."""
    return None if status == "planned" else coverage_ratio(visited, planned)


def _checkpoint_status(
    checked_at: dt.datetime | None, planned_end: dt.datetime, judged: bool
) -> str:
    if checked_at is not None:
        return "late" if checked_at > planned_end else "visited"
    return "missed" if judged else "pending"


def _checkin_photos(session: Session, shift_id: int, zone: ZoneInfo) -> tuple[CheckinPhoto, ...]:
    rows = session.execute(
        select(Checkpoint.name, PatrolCheckin.checked_at, Photo.sha256, Photo.mime_type)
        .select_from(PhotoAttachment)
        .join(PatrolCheckin, PhotoAttachment.checkin_id == PatrolCheckin.id)
        .join(Checkpoint, PatrolCheckin.checkpoint_id == Checkpoint.id)
        .join(Photo, PhotoAttachment.photo_id == Photo.id)
        .where(PatrolCheckin.shift_id == shift_id)
        .order_by(PatrolCheckin.checked_at, PhotoAttachment.id)
    )
    return tuple(
        CheckinPhoto(
            checkpoint=name,
            checked_at=moment.replace(tzinfo=dt.UTC).astimezone(zone).replace(tzinfo=None),
            sha256=sha256,
            mime_type=mime_type,
        )
        for name, moment, sha256, mime_type in rows
    )


def _minutes(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return round((end - start).total_seconds() / 60, 1)


def _slot_text(start: dt.datetime, end: dt.datetime | None) -> str:
    return f"{start:%H:%M}–{end:%H:%M}" if end else f"{start:%H:%M}"


def _slots_text(time_slots: str) -> str:
    return "、".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in parse_time_slots(time_slots))
