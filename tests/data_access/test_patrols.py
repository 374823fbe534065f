"""Patrol figures on a small hand-made dataset, on both engines.

Community A, route 东门→南门→西门→北门 (4 checkpoints, 东门 needs a photo), plan 白班巡检.
Judged as of 2026-11-20 12:00 local (04:00 UTC). All times below are local (Asia/Shanghai).

| shift | local date | slot        | guard  | walked                              | status      | coverage |
|-------|------------|-------------|--------|-------------------------------------|-------------|----------|
| S_oct | 2026-10-31 | 23:15–23:59 | 王建国 | 东门, 南门                          | done        | 2/4      |
| S_mid | 2026-11-01 | 00:00–00:45 | 王建国 | all four                            | done        | 4/4      |
| S_1   | 2026-11-10 | 08:00–08:45 | 王建国 | 08:02–08:40, 东门 南门 西门 (photo)  | done        | 3/4      |
|       |            |             |        | checked 东门 08:05 西门 08:15 南门 08:30 |          |          |
| S_2   | 2026-11-10 | 14:00–14:45 | 李小红 | 14:20–14:55 (late start), all four, | late        | 4/4      |
|       |            |             |        | 北门 at 14:50 (after the slot)      |             |          |
| S_3   | 2026-11-11 | 08:00–08:45 | 王建国 | never started                       | missed      | 0/4      |
| S_run | 2026-11-20 | 11:30–12:15 | 李小红 | started 11:31, 东门 11:35            | in_progress | (1/4)    |
| S_fut | 2026-11-21 | 08:00–08:45 | 王建国 | —                                   | planned     | —        |

November: 6 shifts; judged S_mid, S_1, S_2, S_3 → mean coverage (1 + 0.75 + 1 + 0) / 4 =
0.6875, fully covered 2/4, missed checkpoints 1 + 4 = 5, late shifts 1, late check-ins 1.
Community B has a walked shift on 2026-11-10 by 赵六 that A's viewers never see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypedDict, Unpack

import pandas as pd
import pytest
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.models import PatrolShift, Staff
from data_access.periods import Period, period_containing
from data_access.plans.patrols import (
    LATE_START_TOLERANCE,
    UNFINISHED_GRACE,
    daily_coverage,
    default_shift_id,
    get_shift_route,
    list_missed_checkpoints,
    list_patrol_plans,
    list_shifts,
    shift_status,
    summarize_shifts,
)
from tests.data_access import factories as f
from tests.data_access.factories import local

D = dt.date
AS_OF = local(2026, 11, 20, 12, 0)
NOVEMBER = period_containing("month", D(2026, 11, 20))
OCTOBER = period_containing("month", D(2026, 10, 1))


class ShiftRecord(TypedDict, total=False):
    """What ``f.patrol_shift`` records of a shift beyond its plan, day, slot and times."""

    guard: Staff | None
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    distance_m: float | None


@dataclass(frozen=True)
class Patrols:
    community_a: int
    community_b: int
    shift_oct: int
    shift_mid: int
    shift_1: int
    shift_2: int
    shift_3: int
    shift_run: int
    shift_fut: int
    shift_b: int


def plain(frame: pd.DataFrame) -> list[list[object]]:
    """Rows as lists, with missing values (NaN, NaT, <NA>) as None."""
    return [[None if pd.isna(v) else v for v in row] for row in frame.values.tolist()]


def viewer(community_id: int, role: str = "owner") -> Viewer:
    return Viewer(
        account_id=1, username="u", display_name="业主", role=role, community_id=community_id
    )


@pytest.fixture
def patrols(session: Session) -> Patrols:
    a = f.community(session, name="甲小区")
    wang, li = f.staff(session, a, "王建国"), f.staff(session, a, "李小红")
    route, (east, south, west, north) = f.patrol_route(
        session,
        a,
        (
            ("东门", 300.0, 150.0, True),
            ("南门", 200.0, 290.0, False),
            ("西门", 10.0, 150.0, False),
            ("北门", 200.0, 5.0, False),
        ),
    )
    plan = f.patrol_plan(session, a, route)

    def shift(
        day: D, start: tuple[int, int], end: tuple[int, int], slot: int, **kw: Unpack[ShiftRecord]
    ) -> PatrolShift:
        planned = (
            local(day.year, day.month, day.day, *start),
            local(day.year, day.month, day.day, *end),
        )
        return f.patrol_shift(session, plan, day, planned, slot_no=slot, **kw)

    def at(day: D, hour: int, minute: int) -> dt.datetime:
        return local(day.year, day.month, day.day, hour, minute)

    oct31, nov1, nov10 = D(2026, 10, 31), D(2026, 11, 1), D(2026, 11, 10)
    nov11, nov20, nov21 = D(2026, 11, 11), D(2026, 11, 20), D(2026, 11, 21)

    s_oct = shift(oct31, (23, 15), (23, 59), 2, guard=wang, started_at=at(oct31, 23, 15),
                  ended_at=at(oct31, 23, 50), distance_m=500.0)  # fmt: skip
    f.patrol_checkin(session, s_oct, east, at(oct31, 23, 20))
    f.patrol_checkin(session, s_oct, south, at(oct31, 23, 30))

    s_mid = shift(nov1, (0, 0), (0, 45), 2, guard=wang, started_at=at(nov1, 0, 0),
                  ended_at=at(nov1, 0, 40), distance_m=1000.0)  # fmt: skip
    for minute, point in enumerate((east, south, west, north)):
        f.patrol_checkin(session, s_mid, point, at(nov1, 0, 5 + 10 * minute))

    s_1 = shift(nov10, (8, 0), (8, 45), 0, guard=wang, started_at=at(nov10, 8, 2),
                ended_at=at(nov10, 8, 40), distance_m=950.0)  # fmt: skip
    east_checkin = f.patrol_checkin(session, s_1, east, at(nov10, 8, 5))
    f.patrol_checkin(session, s_1, west, at(nov10, 8, 15))
    f.patrol_checkin(session, s_1, south, at(nov10, 8, 30))
    f.checkin_photo(session, east_checkin)

    s_2 = shift(nov10, (14, 0), (14, 45), 1, guard=li, started_at=at(nov10, 14, 20),
                ended_at=at(nov10, 14, 55), distance_m=1020.0)  # fmt: skip
    for (hour, minute), point in zip(
        ((14, 22), (14, 30), (14, 40), (14, 50)), (east, south, west, north), strict=True
    ):
        f.patrol_checkin(session, s_2, point, at(nov10, hour, minute))

    s_3 = shift(nov11, (8, 0), (8, 45), 0, guard=wang)
    s_run = shift(nov20, (11, 30), (12, 15), 1, guard=li, started_at=at(nov20, 11, 31))
    f.patrol_checkin(session, s_run, east, at(nov20, 11, 35))
    s_fut = shift(nov21, (8, 0), (8, 45), 0, guard=wang)

    b = f.community(session, name="乙小区")
    zhao = f.staff(session, b, "赵六")
    route_b, (gate_b,) = f.patrol_route(session, b, (("乙门", 50.0, 50.0, False),))
    plan_b = f.patrol_plan(session, b, route_b, name="乙计划")
    s_b = f.patrol_shift(
        session, plan_b, nov10, (at(nov10, 8, 0), at(nov10, 8, 45)), guard=zhao,
        started_at=at(nov10, 8, 0), ended_at=at(nov10, 8, 30), distance_m=100.0,
    )  # fmt: skip
    f.patrol_checkin(session, s_b, gate_b, at(nov10, 8, 10))
    return Patrols(
        a.id, b.id, s_oct.id, s_mid.id, s_1.id, s_2.id, s_3.id, s_run.id, s_fut.id, s_b.id
    )


# --- shift status rule -------------------------------------------------------------------------
START = dt.datetime(2026, 11, 10, 0, 0)
END = START + dt.timedelta(minutes=45)


@pytest.mark.parametrize(
    ("started", "ended", "as_of", "expected"),
    [
        (None, None, START - dt.timedelta(days=1), "planned"),  # in the future
        (None, None, START + dt.timedelta(minutes=5), "planned"),  # slot open, may still start
        (None, None, END, "missed"),  # the slot is over
        (START, None, END + UNFINISHED_GRACE - dt.timedelta(seconds=1), "in_progress"),
        (START, None, END + UNFINISHED_GRACE, "done"),  # left open: judged on its record
        (START + LATE_START_TOLERANCE, END, END, "done"),  # exactly at the tolerance
        (START + LATE_START_TOLERANCE + dt.timedelta(seconds=1), END, END, "late"),
        (START - dt.timedelta(minutes=3), END, END, "done"),  # early is fine
    ],
)
def test_shift_status(
    started: dt.datetime | None, ended: dt.datetime | None, as_of: dt.datetime, expected: str
) -> None:
    status = shift_status(
        planned_start=START, planned_end=END, started_at=started, ended_at=ended, as_of=as_of
    )
    assert status == expected


# --- plans -------------------------------------------------------------------------------------
def test_plans_of_the_viewers_community_only(session: Session, patrols: Patrols) -> None:
    plans = list_patrol_plans(session=session, viewer=viewer(patrols.community_a), period=NOVEMBER)
    assert plans[
        ["plan", "route", "times_per_day", "time_slots", "expected_minutes", "expected_distance_m",
         "checkpoints", "photo_checkpoints"]
    ].to_dict("records") == [
        {"plan": "白班巡检", "route": "全园巡逻", "times_per_day": 2,
         "time_slots": "08:00–08:45、14:00–14:45", "expected_minutes": 45,
         "expected_distance_m": 1000.0, "checkpoints": 4, "photo_checkpoints": 1},
    ]  # fmt: skip


def test_plans_not_valid_in_the_period_are_left_out(session: Session, patrols: Patrols) -> None:
    before = period_containing("year", D(2025, 6, 1))
    plans = list_patrol_plans(session=session, viewer=viewer(patrols.community_a), period=before)
    assert plans.empty


# --- shifts ------------------------------------------------------------------------------------
def test_shifts_of_november(session: Session, patrols: Patrols) -> None:
    shifts = list_shifts(
        session=session, viewer=viewer(patrols.community_a), period=NOVEMBER, as_of=AS_OF
    )
    p = patrols
    assert shifts[["shift_id", "status", "visited", "planned_checkpoints", "late_checkins",
                   "photos"]].values.tolist() == [
        [p.shift_fut, "planned", 0, 4, 0, 0],
        [p.shift_run, "in_progress", 1, 4, 0, 0],
        [p.shift_3, "missed", 0, 4, 0, 0],
        [p.shift_2, "late", 4, 4, 1, 0],
        [p.shift_1, "done", 3, 4, 0, 1],
        [p.shift_mid, "done", 4, 4, 0, 0],
    ]  # fmt: skip
    coverage = dict(zip(shifts["shift_id"], shifts["coverage"], strict=True))
    assert coverage[p.shift_1] == 0.75
    assert coverage[p.shift_3] == 0.0
    assert coverage[p.shift_run] == 0.25  # shown, but not judged yet
    assert pd.isna(coverage[p.shift_fut])  # a future shift has no coverage, it is not missed


def test_a_shift_row_in_local_time(session: Session, patrols: Patrols) -> None:
    shifts = list_shifts(
        session=session, viewer=viewer(patrols.community_a, "manager"), period=NOVEMBER,
        as_of=AS_OF,
    )  # fmt: skip
    row = shifts.set_index("shift_id").loc[patrols.shift_1]
    assert row["shift_date"] == D(2026, 11, 10)
    assert row["slot"] == "08:00–08:45"
    assert row["label"] == "2026-11-10 08:00 · 白班巡检 · 王建国"
    assert row["planned_start"] == pd.Timestamp("2026-11-10 08:00")
    assert row["started_at"] == pd.Timestamp("2026-11-10 08:02")
    assert row["ended_at"] == pd.Timestamp("2026-11-10 08:40")
    assert (row["duration_min"], row["expected_min"]) == (38.0, 45)
    assert (row["distance_m"], row["expected_distance_m"]) == (950.0, 1000.0)
    assert row["distance_ratio"] == pytest.approx(0.95)


@pytest.mark.parametrize(
    ("role", "guards"),
    [
        ("owner", {"王**", "李**"}),
        ("committee", {"王**", "李**"}),
        ("manager", {"王建国", "李小红"}),
    ],
)
def test_guards_are_masked_except_for_managers(
    session: Session, patrols: Patrols, role: str, guards: set[str]
) -> None:
    who = viewer(patrols.community_a, role)
    shifts = list_shifts(session=session, viewer=who, period=NOVEMBER, as_of=AS_OF)
    missed = list_missed_checkpoints(session=session, viewer=who, period=NOVEMBER, as_of=AS_OF)
    route = get_shift_route(session=session, viewer=who, shift_id=patrols.shift_2, as_of=AS_OF)
    assert route is not None
    assert set(shifts["guard"]) == guards
    assert set(missed["guard"]) == {g for g in guards if g.startswith("王")}
    assert route.guard == next(g for g in guards if g.startswith("李"))
    assert route.guard in route.label


@pytest.mark.parametrize(
    ("period", "shifts"),
    [
        (period_containing("day", D(2026, 11, 1)), ["shift_mid"]),
        (period_containing("day", D(2026, 10, 31)), ["shift_oct"]),
        (OCTOBER, ["shift_oct"]),
        (period_containing("week", D(2026, 11, 1)), ["shift_mid", "shift_oct"]),  # Mon 10-26
    ],
)
def test_the_local_midnight_boundary(
    session: Session, patrols: Patrols, period: Period, shifts: list[str]
) -> None:
    """00:00 local on 11-01 is 16:00 UTC on 10-31: it belongs to November 1."""
    found = list_shifts(
        session=session, viewer=viewer(patrols.community_a), period=period, as_of=AS_OF
    )
    assert found["shift_id"].tolist() == [getattr(patrols, name) for name in shifts]


def test_another_communitys_shifts_never_show(session: Session, patrols: Patrols) -> None:
    a, b = viewer(patrols.community_a, "manager"), viewer(patrols.community_b, "manager")

    def shift_ids(who: Viewer) -> list[int]:
        found = list_shifts(session=session, viewer=who, period=NOVEMBER, as_of=AS_OF)
        return found["shift_id"].tolist()

    def missed_guards(who: Viewer) -> set[str]:
        found = list_missed_checkpoints(session=session, viewer=who, period=NOVEMBER, as_of=AS_OF)
        return set(found["guard"])

    assert patrols.shift_b not in shift_ids(a)
    assert shift_ids(b) == [patrols.shift_b]
    assert missed_guards(a) == {"王建国"}
    assert missed_guards(b) == set()
    for shift_id in (patrols.shift_b, 999_999):
        assert get_shift_route(session=session, viewer=a, shift_id=shift_id, as_of=AS_OF) is None
    assert list_patrol_plans(session=session, viewer=a)["plan"].tolist() == ["白班巡检"]
    b_days = daily_coverage(session=session, viewer=b, period=NOVEMBER, as_of=AS_OF)
    assert b_days[["shifts", "mean_coverage"]].values.tolist() == [[1, 1.0]]


def test_a_plan_filter(session: Session, patrols: Patrols) -> None:
    a = viewer(patrols.community_a)
    plan_id = int(list_patrol_plans(session=session, viewer=a)["plan_id"].iloc[0])
    for chosen, shifts in ((plan_id, 6), (plan_id + 1_000, 0)):
        found = list_shifts(session=session, viewer=a, period=NOVEMBER, as_of=AS_OF, plan_id=chosen)
        trend = daily_coverage(
            session=session, viewer=a, period=NOVEMBER, as_of=AS_OF, plan_id=chosen
        )
        assert (len(found), int(trend["shifts"].sum())) == (shifts, shifts)


# --- summary -----------------------------------------------------------------------------------
def test_summary_of_november(session: Session, patrols: Patrols) -> None:
    shifts = list_shifts(
        session=session, viewer=viewer(patrols.community_a), period=NOVEMBER, as_of=AS_OF
    )
    summary = summarize_shifts(shifts)
    assert summary.shifts == 6
    assert (summary.done, summary.late, summary.missed) == (2, 1, 1)
    assert (summary.in_progress, summary.planned, summary.judged) == (1, 1, 4)
    assert summary.mean_coverage == pytest.approx(0.6875)  # (1 + 0.75 + 1 + 0) / 4
    assert summary.fully_covered_share == 0.5
    assert summary.missed_checkpoints == 5  # 北门 in S_1, all four in S_3
    assert (summary.late_checkins, summary.photos) == (1, 1)
    # The shift shown first on the site plan: the latest one a guard actually walked.
    assert default_shift_id(shifts) == patrols.shift_run


def test_summary_of_an_empty_period(session: Session, patrols: Patrols) -> None:
    empty = period_containing("month", D(2026, 6, 1))
    shifts = list_shifts(
        session=session, viewer=viewer(patrols.community_a), period=empty, as_of=AS_OF
    )
    summary = summarize_shifts(shifts)
    assert (summary.shifts, summary.missed_checkpoints) == (0, 0)
    assert summary.mean_coverage is None and summary.fully_covered_share is None
    assert default_shift_id(shifts) is None


# --- daily trend -------------------------------------------------------------------------------
def test_daily_coverage_of_november(session: Session, patrols: Patrols) -> None:
    trend = daily_coverage(
        session=session, viewer=viewer(patrols.community_a), period=NOVEMBER, as_of=AS_OF
    )
    assert plain(trend) == [
        # date, shifts, judged, missed shifts, mean coverage, fully covered share
        [pd.Timestamp("2026-11-01"), 1, 1, 0, 1.0, 1.0],
        [pd.Timestamp("2026-11-10"), 2, 2, 0, 0.875, 0.5],
        [pd.Timestamp("2026-11-11"), 1, 1, 1, 0.0, 0.0],
        [pd.Timestamp("2026-11-20"), 1, 0, 0, None, None],  # only a running shift
        [pd.Timestamp("2026-11-21"), 1, 0, 0, None, None],  # only a future shift
    ]
    assert trend.columns.tolist() == [
        "date",
        "shifts",
        "judged",
        "missed_shifts",
        "mean_coverage",
        "full_share",
    ]


def test_daily_coverage_of_october(session: Session, patrols: Patrols) -> None:
    trend = daily_coverage(
        session=session, viewer=viewer(patrols.community_a), period=OCTOBER, as_of=AS_OF
    )
    assert trend[["date", "shifts", "mean_coverage", "full_share"]].to_dict("records") == [
        {"date": pd.Timestamp("2026-10-31"), "shifts": 1, "mean_coverage": 0.5, "full_share": 0.0}
    ]


def test_daily_coverage_agrees_with_the_shift_list(session: Session, patrols: Patrols) -> None:
    """The SQL aggregation and the per-shift statuses use the same rules."""
    a = viewer(patrols.community_a)
    for moment in (AS_OF, local(2026, 11, 20, 13, 16), local(2026, 11, 10, 8, 30)):
        shifts = list_shifts(session=session, viewer=a, period=NOVEMBER, as_of=moment)
        trend = daily_coverage(session=session, viewer=a, period=NOVEMBER, as_of=moment)
        summary = summarize_shifts(shifts)
        assert trend["judged"].sum() == summary.judged
        assert trend["missed_shifts"].sum() == summary.missed


# --- one shift's route -------------------------------------------------------------------------
def test_route_of_a_shift_with_a_missed_checkpoint(session: Session, patrols: Patrols) -> None:
    route = get_shift_route(
        session=session, viewer=viewer(patrols.community_a), shift_id=patrols.shift_1, as_of=AS_OF
    )
    assert route is not None
    assert (route.status, route.coverage, route.duration_min) == ("done", 0.75, 38.0)
    assert plain(route.checkpoints[["seq", "name", "status", "walk_order", "photos"]]) == [
        [1, "东门", "visited", 1, 1],
        [2, "南门", "visited", 3, 0],
        [3, "西门", "visited", 2, 0],
        [4, "北门", "missed", None, 0],
    ]
    # The path walked follows the check-ins (东门 → 西门 → 南门), not the planned order.
    assert route.path["name"].tolist() == ["东门", "西门", "南门"]
    assert route.path["checked_at"].tolist() == [
        pd.Timestamp("2026-11-10 08:05"),
        pd.Timestamp("2026-11-10 08:15"),
        pd.Timestamp("2026-11-10 08:30"),
    ]
    assert [(p.checkpoint, p.checked_at, p.caption) for p in route.photos] == [
        ("东门", dt.datetime(2026, 11, 10, 8, 5), "东门 · 08:05")
    ]
    assert (route.site_width_m, route.site_height_m) == (400.0, 300.0)


def test_route_of_a_late_shift(session: Session, patrols: Patrols) -> None:
    route = get_shift_route(
        session=session, viewer=viewer(patrols.community_a), shift_id=patrols.shift_2, as_of=AS_OF
    )
    assert route is not None
    assert route.status == "late"
    # 北门 at 14:50, after the 14:45 end of the slot: reached, but late.
    assert route.checkpoints["status"].tolist() == ["visited", "visited", "visited", "late"]
    assert route.coverage == 1.0


@pytest.mark.parametrize(
    ("shift", "statuses", "coverage"),
    [
        ("shift_run", ["visited", "pending", "pending", "pending"], 0.25),
        ("shift_fut", ["pending"] * 4, None),
        ("shift_3", ["missed"] * 4, 0.0),
    ],
)
def test_unvisited_checkpoints_are_missed_only_once_judged(
    session: Session, patrols: Patrols, shift: str, statuses: list[str], coverage: float | None
) -> None:
    route = get_shift_route(
        session=session,
        viewer=viewer(patrols.community_a),
        shift_id=getattr(patrols, shift),
        as_of=AS_OF,
    )
    assert route is not None
    assert route.checkpoints["status"].tolist() == statuses
    assert route.coverage == coverage


# --- missed checkpoints ------------------------------------------------------------------------
def test_missed_checkpoints_of_november(session: Session, patrols: Patrols) -> None:
    missed = list_missed_checkpoints(
        session=session, viewer=viewer(patrols.community_a), period=NOVEMBER, as_of=AS_OF
    )
    assert missed[["shift_date", "slot", "plan", "seq", "checkpoint", "guard",
                   "shift_status"]].values.tolist() == [
        [D(2026, 11, 11), "08:00–08:45", "白班巡检", 1, "东门", "王**", "missed"],
        [D(2026, 11, 11), "08:00–08:45", "白班巡检", 2, "南门", "王**", "missed"],
        [D(2026, 11, 11), "08:00–08:45", "白班巡检", 3, "西门", "王**", "missed"],
        [D(2026, 11, 11), "08:00–08:45", "白班巡检", 4, "北门", "王**", "missed"],
        [D(2026, 11, 10), "08:00–08:45", "白班巡检", 4, "北门", "王**", "done"],
    ]  # fmt: skip
    # The running and the future shift have unvisited checkpoints, but none is missed yet.
    assert not set(missed["shift_id"]) & {patrols.shift_run, patrols.shift_fut}
