"""Staff KPIs: per-person figures for a period and per month, managers only.

The dataset (community A, Asia/Shanghai; the period is October 2026 local, i.e. UTC
2026-09-30 16:00 to 2026-10-31 16:00; "now" 2026-11-20 12:00 UTC):

张师傅 (维修工), orders assigned to him — resolution deadline 72 h after creation:
  o1 created 10-05 02:00, completed 10-06 02:00 (on time), rated (5, 4, 3)        → October
  o2 created 10-10 02:00, completed 10-15 02:00 (late), rated (1, 2, 2); its rectification
     ticket opened 10-16, reopened (awaiting_confirmation → in_progress) 10-20 and 11-02
  o3 completed 09-30 15:00 UTC = 23:00 local on Sep 30                            → September
  o4 completed 10-31 17:00 UTC = 01:00 local on Nov 1                             → November
  o5 completed 10-31 15:30 UTC = 23:30 local on Oct 31 (on time)                  → October
  o6 never completed
  October: 3 handled, 2 on time (2/3); 2 ratings, scores 12 + 5 = 17 → 17 / 6; 1 ticket,
  1 reopening (the one of 11-02 is November's).
李保安 (保安), a route of 4 checkpoints; October shifts: walked 4/4, walked 3/4, not started
  (missed), started and never ended with its slot long over 2/4 (counts as walked); a
  November shift does not count. → 3 walked, 1 missed, 9 of 12 checkpoints (0.75). One order
  completed on time, no rating.
An inactive cleaner with an October order is listed; an inactive one without is not. Staff of
community B never show.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.analytics.staff_kpis import (
    STAFF_COLUMNS,
    TREND_COLUMNS,
    has_activity,
    list_staff_kpis,
    select_staff,
    staff_trend,
    summarize_staff,
)
from data_access.errors import DomainError, NotAllowed
from data_access.models import Community, Rating, RectificationTicket, Staff, TicketEvent, WorkOrder
from data_access.periods import period_containing
from tests.data_access import factories as f

NOW = dt.datetime(2026, 11, 20, 12, 0)
OCTOBER = period_containing("month", dt.date(2026, 10, 1))


def utc(month: int, day: int, hour: int = 2, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute)


class Dataset:
    def __init__(self, session: Session) -> None:
        self.a = f.community(session, code="A")
        self.b = f.community(session, code="B")
        owner = f.account(session, self.a)
        self.fixer = f.staff(session, self.a, "张师傅", "维修工")
        self.guard = f.staff(session, self.a, "李保安", "保安")
        self.gone = f.staff(session, self.a, "王阿姨", "保洁")
        self.gone.is_active = False
        idle = f.staff(session, self.a, "赵阿姨", "保洁")
        idle.is_active = False
        self.elsewhere = f.staff(session, self.b, "钱师傅", "维修工")
        self.manager = Viewer(
            f.account(session, self.a, "manager").id, "m", "m", "manager", self.a.id
        )
        self.committee = Viewer(f.account(session, self.a, "committee").id, "c", "c", "committee",
                                self.a.id)  # fmt: skip
        self.owner = Viewer(owner.id, "o", "o", "owner", self.a.id)

        def order(staff: Staff, created: dt.datetime, completed: dt.datetime | None) -> WorkOrder:
            return f.work_order(session, session.get_one(Community, staff.community_id),
                                created_at=created, completed_at=completed,
                                assignee_id=staff.id)  # fmt: skip

        o1 = order(self.fixer, utc(10, 5), utc(10, 6))
        o2 = order(self.fixer, utc(10, 10), utc(10, 15))
        order(self.fixer, utc(9, 29, 15), utc(9, 30, 15))  # o3
        order(self.fixer, utc(10, 30, 17), utc(10, 31, 17))  # o4
        order(self.fixer, utc(10, 30, 15, 30), utc(10, 31, 15, 30))  # o5
        order(self.fixer, utc(10, 20), None)  # o6
        for rated, scores in ((o1, (5, 4, 3)), (o2, (1, 2, 2))):
            session.add(
                Rating(
                    community_id=self.a.id,
                    work_order_id=rated.id,
                    owner_id=owner.id,
                    score_speed=scores[0],
                    score_attitude=scores[1],
                    score_quality=scores[2],
                    created_at=rated.completed_at,
                    updated_at=rated.completed_at,
                    reply_due_at=utc(12, 1),
                )
            )
        ticket = RectificationTicket(
            community_id=self.a.id, code="ZG-1", source="rating", work_order_id=o2.id,
            title="整改", category="plumbing", status="in_progress", created_at=utc(10, 16),
            accept_due_at=utc(10, 17), fix_due_at=utc(10, 23),
        )  # fmt: skip
        session.add(ticket)
        session.flush()
        moves = [
            (None, "submitted", utc(10, 16)),
            ("submitted", "accepted", utc(10, 16, 3)),
            ("accepted", "in_progress", utc(10, 16, 4)),
            ("in_progress", "awaiting_confirmation", utc(10, 18)),
            ("awaiting_confirmation", "in_progress", utc(10, 20)),
            ("in_progress", "in_progress", utc(10, 21)),  # a progress note
            ("in_progress", "awaiting_confirmation", utc(10, 30)),
            ("awaiting_confirmation", "in_progress", utc(11, 2)),
        ]
        session.add_all(
            TicketEvent(ticket_id=ticket.id, from_status=a, to_status=b, occurred_at=when)
            for a, b, when in moves
        )

        order(self.guard, utc(10, 7), utc(10, 7, 5))
        order(self.gone, utc(10, 8), utc(10, 12))  # 96 h: late
        order(self.elsewhere, utc(10, 8), utc(10, 9))

        points = tuple((f"点{n}", float(n), 0.0, False) for n in range(1, 5))
        route, checkpoints = f.patrol_route(session, self.a, points)
        plan = f.patrol_plan(session, self.a, route)

        def shift(
            day: int,
            month: int = 10,
            started: bool = True,
            ended: bool = True,
            visited: int = 0,
            slot: int = 0,
        ) -> None:
            start = utc(month, day, 0)
            row = f.patrol_shift(
                session, plan, dt.date(2026, month, day), (start, start + dt.timedelta(minutes=45)),
                slot_no=slot, guard=self.guard,
                started_at=start if started else None,
                ended_at=start + dt.timedelta(minutes=40) if started and ended else None,
            )  # fmt: skip
            for point in checkpoints[:visited]:
                f.patrol_checkin(session, row, point, start + dt.timedelta(minutes=5))

        shift(3, visited=4)
        shift(4, visited=3)
        shift(5, started=False)
        shift(6, ended=False, visited=2)
        shift(2, month=11, visited=1)
        session.flush()


@pytest.fixture
def data(session: Session) -> Dataset:
    return Dataset(session)


def test_october_figures_per_person(session: Session, data: Dataset) -> None:
    frame = list_staff_kpis(session=session, viewer=data.manager, period=OCTOBER, now=NOW)

    assert list(frame.columns) == STAFF_COLUMNS
    assert list(frame["name"]) == ["李保安", "王阿姨", "张师傅"]  # by post: 保安, 保洁, 维修工
    rows = frame.set_index("name")
    fixer, guard, gone = rows.loc["张师傅"], rows.loc["李保安"], rows.loc["王阿姨"]
    counts = ["orders_handled", "on_time", "ratings", "rectifications", "rework",
              "shifts_walked", "shifts_missed", "checkpoints_planned", "checkpoints_visited"]  # fmt: skip
    assert [int(fixer[c]) for c in counts] == [3, 2, 2, 1, 1, 0, 0, 0, 0]
    assert fixer["on_time_share"] == pytest.approx(2 / 3)
    assert fixer["mean_rating"] == pytest.approx(17 / 6)
    assert math.isnan(fixer["patrol_coverage"])
    assert [int(guard[c]) for c in counts] == [1, 1, 0, 0, 0, 3, 1, 12, 9]
    assert (guard["on_time_share"], guard["patrol_coverage"]) == (1.0, 0.75)
    assert math.isnan(guard["mean_rating"])
    assert (int(gone["orders_handled"]), gone["on_time_share"]) == (1, 0.0)
    assert str(frame["orders_handled"].dtype) == "int64"
    assert str(frame["mean_rating"].dtype) == "float64"


def test_another_communitys_staff_are_never_listed(session: Session, data: Dataset) -> None:
    frame = list_staff_kpis(session=session, viewer=data.manager, period=OCTOBER, now=NOW)
    assert data.elsewhere.id not in set(frame["staff_id"])
    with pytest.raises(DomainError) as error:
        staff_trend(session=session, viewer=data.manager, staff_id=data.elsewhere.id, now=NOW)
    assert error.value.key == "staff.not_found"


def test_trend_per_month(session: Session, data: Dataset) -> None:
    trend = staff_trend(session=session, viewer=data.manager, staff_id=data.fixer.id, now=NOW)

    assert list(trend.columns) == TREND_COLUMNS
    assert list(trend["period"]) == ["2025-12", *(f"2026-{m:02d}" for m in range(1, 12))]
    by_month = trend.set_index("period")
    assert [int(n) for n in trend["orders_handled"]] == [0] * 9 + [1, 3, 1]
    assert by_month.loc["2026-10", "mean_rating"] == pytest.approx(17 / 6)
    assert (int(by_month.loc["2026-10", "rework"]), int(by_month.loc["2026-11", "rework"])) == (
        1,
        1,
    )
    assert by_month.loc["2026-11", "on_time_share"] == 1.0
    assert math.isnan(by_month.loc["2026-08", "on_time_share"])

    guard = staff_trend(session=session, viewer=data.manager, staff_id=data.guard.id, now=NOW,
                        months=2)  # fmt: skip
    assert list(guard["period"]) == ["2026-10", "2026-11"]
    assert list(guard["patrol_coverage"]) == [0.75, 0.25]


@pytest.mark.parametrize("role", ["owner", "committee"])
def test_only_managers(session: Session, data: Dataset, role: str) -> None:
    viewer = data.owner if role == "owner" else data.committee
    with pytest.raises(NotAllowed) as refused:
        list_staff_kpis(session=session, viewer=viewer, period=OCTOBER, now=NOW)
    assert refused.value.key == "staff.not_allowed"
    with pytest.raises(NotAllowed):
        staff_trend(session=session, viewer=viewer, staff_id=data.fixer.id, now=NOW)


def test_a_community_without_staff_gives_an_empty_frame(session: Session) -> None:
    community = f.community(session)
    viewer = Viewer(f.account(session, community, "manager").id, "m", "m", "manager", community.id)
    frame = list_staff_kpis(session=session, viewer=viewer, period=OCTOBER, now=NOW)
    assert frame.empty and list(frame.columns) == STAFF_COLUMNS


def test_page_helpers_select_sort_and_summarize(session: Session, data: Dataset) -> None:
    frame = list_staff_kpis(session=session, viewer=data.manager, period=OCTOBER, now=NOW)

    assert list(select_staff(frame)["name"]) == ["张师傅", "李保安", "王阿姨"]  # 3, 1, 1 orders
    assert list(select_staff(frame, sort_by="mean_rating")["name"]) == [
        "张师傅", "李保安", "王阿姨",
    ]  # fmt: skip  # only 张师傅 has ratings; the others (NaN) last, by name
    assert list(select_staff(frame, sort_by="name")["name"]) == ["张师傅", "李保安", "王阿姨"]
    assert list(select_staff(frame, post="保安")["name"]) == ["李保安"]
    with pytest.raises(ValueError, match="cannot sort"):
        select_staff(frame, sort_by="phone")

    summary = summarize_staff(frame)
    assert (summary.people, summary.orders_handled, summary.rework) == (3, 5, 1)
    assert summary.mean_rating == pytest.approx(17 / 6)
    assert summarize_staff(select_staff(frame, post="保安")).mean_rating is None

    idle = staff_trend(session=session, viewer=data.manager, staff_id=data.gone.id, now=NOW,
                       months=1)  # fmt: skip
    assert not has_activity(idle)
    assert has_activity(
        staff_trend(session=session, viewer=data.manager, staff_id=data.fixer.id, now=NOW)
    )
