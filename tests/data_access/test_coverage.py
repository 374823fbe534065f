"""Route coverage is counted once (``plans.coverage``): the Patrols page, the staff KPIs, the
missed-checkpoints alert and the monthly report give the same figures for the same shifts.

Community A (Asia/Shanghai), route 全园 with 4 checkpoints P1–P4, route 车库 with one checkpoint X,
and route 空 without checkpoints; a plan on each. One guard per shift, so a guard's staff KPIs are
the figures of that one shift. Judged as of 2026-11-20 12:00 local. Slots are 08:00–08:45 local
unless said; every shift is on its own local day, so an alert's day is that one shift.

| shift | day   | guard | plan | walked                                        | status      | visited/planned | missed |
|-------|-------|-------|------|-----------------------------------------------|-------------|-----------------|--------|
| S1    | 11-14 | 甲    | 全园 | 08:00–08:40; P1, P2, P3 at 08:50 (late)       | done        | 3/4 = 0.75      | 1      |
| S2    | 11-15 | 乙    | 全园 | 08:20–08:44 (late start); all four            | late        | 4/4 = 1.0       | 0      |
| S3    | 11-16 | 丙    | 全园 | 08:00–08:40; P1, and X of 车库 (not counted)   | done        | 1/4 = 0.25      | 3      |
| S4    | 11-17 | 丁    | 全园 | never started                                 | missed      | 0/4 = 0.0       | 4      |
| S5    | 11-18 | 戊    | 全园 | started 08:00, never ended (slot long over)   | done        | 2/4 = 0.5       | 2      |
| S6    | 11-19 | 己    | 空   | 08:00–08:40                                   | done        | 0/0 → none      | 0      |
| S7    | 11-20 | 庚    | 全园 | 11:30–12:15 slot, started 11:31, P1 11:35     | in_progress | (1/4) not judged| —      |

Pooled over the judged shifts S1–S6 (the report): 10 visited ÷ 20 planned = 0.5. Pooled over
the walked shifts S1, S2, S3, S5, S6 (the staff KPIs, where S4 is counted apart as missed):
10 ÷ 16 = 0.625.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass

import pytest
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.alerts.rules import find_missed_checkpoints, thresholds_for
from data_access.analytics.report import _patrol_coverage
from data_access.analytics.staff_kpis import list_staff_kpis
from data_access.models import PatrolPlan, PatrolShift
from data_access.periods import period_containing
from data_access.plans.coverage import coverage_ratio
from data_access.plans.patrols import (
    JUDGED_STATUSES,
    UNFINISHED_GRACE,
    daily_coverage,
    get_shift_route,
    judged_shift,
    list_shifts,
    missed_shift,
    walked_shift,
)
from tests.data_access import factories as f
from tests.data_access.factories import local

D = dt.date
AS_OF = local(2026, 11, 20, 12, 0)
NOVEMBER = period_containing("month", D(2026, 11, 20))

# shift → (guard, day, status, coverage on the page, missed checkpoints if judged)
EXPECTED: dict[str, tuple[str, D, str, float | None, int | None]] = {
    "S1": ("甲", D(2026, 11, 14), "done", 0.75, 1),
    "S2": ("乙", D(2026, 11, 15), "late", 1.0, 0),
    "S3": ("丙", D(2026, 11, 16), "done", 0.25, 3),
    "S4": ("丁", D(2026, 11, 17), "missed", 0.0, 4),
    "S5": ("戊", D(2026, 11, 18), "done", 0.5, 2),
    "S6": ("己", D(2026, 11, 19), "done", None, 0),
    "S7": ("庚", D(2026, 11, 20), "in_progress", 0.25, None),
}


@dataclass(frozen=True)
class World:
    community_id: int
    manager: Viewer
    shifts: dict[str, int]  # name → shift id


@pytest.fixture
def world(session: Session) -> World:
    a = f.community(session, name="甲小区")
    manager = f.account(session, a, "manager")
    route, points = f.patrol_route(
        session, a, tuple((f"P{n}", float(n), 0.0, False) for n in range(1, 5))
    )
    garage, (x,) = f.patrol_route(session, a, (("X", 9.0, 9.0, False),), name="车库")
    empty, _ = f.patrol_route(session, a, (), name="空")
    plan = f.patrol_plan(session, a, route, name="全园巡检")
    f.patrol_plan(session, a, garage, name="车库巡检")
    empty_plan = f.patrol_plan(session, a, empty, name="空路线")
    guards = {name: f.staff(session, a, name) for name, *_ in EXPECTED.values()}

    def at(day: D, hour: int, minute: int) -> dt.datetime:
        return local(day.year, day.month, day.day, hour, minute)

    def shift(name: str, started: tuple[int, int] | None, ended: tuple[int, int] | None,
              checkins: dict[int, tuple[int, int]], *, on_plan: PatrolPlan = plan,
              slot: tuple[tuple[int, int], tuple[int, int]] = ((8, 0), (8, 45))) -> int:  # fmt: skip
        guard, day, *_ = EXPECTED[name]
        row = f.patrol_shift(
            session, on_plan, day, (at(day, *slot[0]), at(day, *slot[1])),
            guard=guards[guard],
            started_at=at(day, *started) if started else None,
            ended_at=at(day, *ended) if ended else None,
        )  # fmt: skip
        for index, (hour, minute) in checkins.items():
            point = x if index == 0 else points[index - 1]
            f.patrol_checkin(session, row, point, at(day, hour, minute))
        return row.id

    shifts = {
        "S1": shift("S1", (8, 0), (8, 40), {1: (8, 5), 2: (8, 10), 3: (8, 50)}),
        "S2": shift("S2", (8, 20), (8, 44), {1: (8, 22), 2: (8, 28), 3: (8, 34), 4: (8, 40)}),
        "S3": shift("S3", (8, 0), (8, 40), {1: (8, 5), 0: (8, 20)}),  # 0: X of 车库
        "S4": shift("S4", None, None, {}),
        "S5": shift("S5", (8, 0), None, {1: (8, 5), 2: (8, 15)}),
        "S6": shift("S6", (8, 0), (8, 40), {}, on_plan=empty_plan),
        "S7": shift("S7", (11, 31), None, {1: (11, 35)}, slot=((11, 30), (12, 15))),
    }
    viewer = Viewer(manager.id, "m", "m", "manager", a.id)
    return World(a.id, viewer, shifts)


def _none_if_nan(value: object) -> object:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def test_the_patrols_page_counts_each_shift(session: Session, world: World) -> None:
    shifts = list_shifts(session=session, viewer=world.manager, period=NOVEMBER, as_of=AS_OF)
    by_id = shifts.set_index("shift_id")
    for name, (_, _, status, coverage, _) in EXPECTED.items():
        row = by_id.loc[world.shifts[name]]
        assert (row["status"], _none_if_nan(row["coverage"])) == (status, coverage), name
        route = get_shift_route(
            session=session, viewer=world.manager, shift_id=world.shifts[name], as_of=AS_OF
        )
        assert route is not None
        assert route.coverage == coverage, name  # the site plan says the same
    judged = shifts[shifts["status"].isin(JUDGED_STATUSES)]
    assert (judged["planned_checkpoints"] - judged["visited"]).tolist() == [0, 2, 4, 3, 0, 1]


def test_the_staff_kpis_pool_the_walked_shifts(session: Session, world: World) -> None:
    staff = list_staff_kpis(session=session, viewer=world.manager, period=NOVEMBER, now=AS_OF)
    by_guard = staff.set_index("name")
    for guard, _, status, coverage, _ in EXPECTED.values():
        row = by_guard.loc[guard]
        walked = status in ("done", "late")
        assert (row["shifts_walked"], row["shifts_missed"]) == (
            int(walked),
            int(status == "missed"),
        ), guard
        # A walked shift's coverage is the page's; a missed or running one is not pooled.
        assert _none_if_nan(row["patrol_coverage"]) == (coverage if walked else None), guard
    pooled = coverage_ratio(
        int(staff["checkpoints_visited"].sum()), int(staff["checkpoints_planned"].sum())
    )
    assert pooled == 0.625  # 10 ÷ 16: S4 is counted apart as missed


def test_the_report_pools_the_judged_shifts(session: Session, world: World) -> None:
    shifts = list_shifts(session=session, viewer=world.manager, period=NOVEMBER, as_of=AS_OF)
    patrols = _patrol_coverage(shifts)
    assert (patrols.checkpoints_visited, patrols.checkpoints_planned) == (10, 20)
    assert patrols.coverage_share == 0.5  # S4 pooled with 0 visited
    # mean of 0.75, 1, 0.25, 0, 0.5 (S6 has no coverage)
    assert patrols.mean_coverage == pytest.approx(0.5)


def test_the_daily_trend_has_each_days_shift(session: Session, world: World) -> None:
    trend = daily_coverage(session=session, viewer=world.manager, period=NOVEMBER, as_of=AS_OF)
    found = {
        row.date.date(): _none_if_nan(row.mean_coverage) for row in trend.itertuples(index=False)
    }
    assert found == {
        day: coverage if status in JUDGED_STATUSES else None
        for _, day, status, coverage, _ in EXPECTED.values()
    }


@pytest.mark.parametrize("threshold", [1, 2, 3, 4, 5])
def test_the_alert_counts_the_same_missed_checkpoints(
    session: Session, world: World, threshold: int
) -> None:
    """A day fires once its missed checkpoints reach the threshold: the days firing at each
    threshold reveal each day's exact count."""
    limits = dataclasses.replace(
        thresholds_for(session=session, community_id=world.community_id, now=AS_OF),
        missed_checkpoints_per_day=threshold,
    )
    causes = find_missed_checkpoints(
        session=session, community_id=world.community_id, now=AS_OF, thresholds=limits
    )
    assert {(c.params["day"], c.shift_id) for c in causes} == {
        (day.isoformat(), world.shifts[name])
        for name, (_, day, _, _, missed) in EXPECTED.items()
        if missed is not None and missed >= threshold
    }


@pytest.mark.parametrize(
    "as_of",
    [
        local(2026, 11, 18, 8, 44),  # S5's slot not over yet
        local(2026, 11, 18, 8, 45),  # S5 within the grace, S4 missed
        local(2026, 11, 18, 8, 45) + UNFINISHED_GRACE - dt.timedelta(seconds=1),
        local(2026, 11, 18, 8, 45) + UNFINISHED_GRACE,  # S5 left open: judged on its record
        AS_OF,
        local(2026, 11, 20, 12, 15) + UNFINISHED_GRACE,  # S7 left open too
    ],
)
def test_the_sql_shift_rules_are_the_twins_of_shift_status(
    session: Session, world: World, as_of: dt.datetime
) -> None:
    shifts = list_shifts(session=session, viewer=world.manager, period=NOVEMBER, as_of=as_of)
    status = dict(zip(shifts["shift_id"], shifts["status"], strict=True))

    def ids(condition: ColumnElement[bool]) -> set[int]:
        return set(session.scalars(select(PatrolShift.id).where(condition)))

    assert ids(judged_shift(as_of)) == {s for s, v in status.items() if v in JUDGED_STATUSES}
    assert ids(walked_shift(as_of)) == {s for s, v in status.items() if v in ("done", "late")}
    assert ids(missed_shift(as_of)) == {s for s, v in status.items() if v == "missed"}


@pytest.mark.parametrize(
    ("visited", "planned", "expected"), [(3, 4, 0.75), (0, 4, 0.0), (0, 0, None), (4, 4, 1.0)]
)
def test_coverage_ratio(visited: int, planned: int, expected: float | None) -> None:
    assert coverage_ratio(visited, planned) == expected
