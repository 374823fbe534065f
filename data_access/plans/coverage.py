"""Route coverage (路径覆盖率): the one place that counts a patrol shift's checkpoints.

The rule, used by the Patrols page (``plans.patrols``), the staff KPIs
(``analytics.staff_kpis``), the missed-checkpoints alert (``alerts.rules``) and, through the
Patrols page's shift list, the monthly report (``analytics.report``):

- **planned** checkpoints of a shift: the checkpoints on its plan's route on the shift's date
  (``planned_checkpoints_per_shift``; ``on_route`` — a point removed from the route mid-month
  counts only for the days it was on it);
- **visited** checkpoints of a shift: its check-ins at checkpoints on that same route that day —
  a check-in at a point that belongs to another route does not count
  (``visited_checkpoints_per_shift``). A shift has at most one check-in per checkpoint (the
  unique key of ``patrol_checkins``), so counting check-ins counts distinct checkpoints, and a
  late check-in (after the slot) is a visit;
- **missed** checkpoints of a judged shift: planned − visited;
- **coverage**: visited ÷ planned, and no figure at all (None / SQL NULL) when the route has no
  checkpoints (``coverage_ratio``, ``coverage_sql``).

Which shifts are judged, walked or missed is the shift status rule of ``plans.patrols``
(``shift_status`` and its SQL twins ``judged_shift``, ``walked_shift``, ``missed_shift``).
Callers differ only in which shifts they pool (see their docstrings): the Patrols page averages
the coverage of judged shifts and the report pools checkpoints of judged shifts — a shift never
walked counts with 0 visited — while the staff KPIs pool walked shifts only and count never-walked
ones apart (漏巡).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    SQLColumnExpression,
    Subquery,
    and_,
    case,
    cast,
    func,
    or_,
    select,
)

from data_access.models import Checkpoint, PatrolCheckin, PatrolPlan, PatrolShift


def on_route(day: SQLColumnExpression[dt.date] | dt.date) -> ColumnElement[bool]:
    """SQL: the checkpoint is on its route on local date ``day`` (both bounds inclusive)."""
    return and_(
        or_(Checkpoint.valid_from.is_(None), Checkpoint.valid_from <= day),
        or_(Checkpoint.valid_to.is_(None), Checkpoint.valid_to >= day),
    )


def planned_checkpoints_per_shift(*scope: ColumnElement[bool]) -> Subquery:
    """Per shift matching ``scope`` (conditions on ``PatrolShift``; SQL): ``shift_id``,
    ``planned`` — the checkpoints on its plan's route on the shift's date.

    Outer-join it on ``PatrolShift.id``: a shift whose route had no checkpoints that day has no
    row (read it as 0 with ``coalesce``)."""
    return (
        select(PatrolShift.id.label("shift_id"), func.count().label("planned"))
        .join(PatrolPlan, PatrolShift.plan_id == PatrolPlan.id)
        .join(
            Checkpoint,
            and_(Checkpoint.route_id == PatrolPlan.route_id, on_route(PatrolShift.shift_date)),
        )
        .where(*scope)
        .group_by(PatrolShift.id)
        .subquery()
    )


def visited_checkpoints_per_shift(
    *scope: ColumnElement[bool], count_late_checkins: bool = False
) -> Subquery:
    """Per shift matching ``scope`` (conditions on ``PatrolShift``; SQL): ``shift_id``,
    ``visited`` — checkpoints of the shift's own route it has a check-in at.

    With ``count_late_checkins`` also ``late_checkins``: those made after the shift's
    ``planned_end_at`` (they still count as visited). A shift without check-ins has no row:
    outer-join it on ``PatrolShift.id`` and ``coalesce`` to 0."""
    columns: list[Any] = [PatrolCheckin.shift_id, func.count().label("visited")]
    if count_late_checkins:
        late = case((PatrolCheckin.checked_at > PatrolShift.planned_end_at, 1), else_=0)
        columns.append(func.sum(late).label("late_checkins"))
    return (
        select(*columns)
        .join(PatrolShift, PatrolCheckin.shift_id == PatrolShift.id)
        .join(PatrolPlan, PatrolShift.plan_id == PatrolPlan.id)
        # Only check-ins at checkpoints of the shift's own route count (a point moved to another
        # route since does not count twice).
        .join(
            Checkpoint,
            and_(
                Checkpoint.id == PatrolCheckin.checkpoint_id,
                Checkpoint.route_id == PatrolPlan.route_id,
                on_route(PatrolShift.shift_date),
            ),
        )
        .where(*scope)
        .group_by(PatrolCheckin.shift_id)
        .subquery()
    )


def coverage_ratio(visited: int, planned: int) -> float | None:
    """Visited ÷ planned checkpoints; None when nothing was planned (no data, not 0 %)."""
    return visited / planned if planned else None


def coverage_sql(visited: ColumnElement[int], planned: ColumnElement[int]) -> ColumnElement[Any]:
    """SQL twin of ``coverage_ratio``: a float ratio, NULL when ``planned`` is 0."""
    return cast(visited, Float) / func.nullif(planned, 0)
