"""The alert engine (预警, docs/domain.md) on hand-built datasets, on both engines.

Every rule fires exactly at its threshold and not one minute or one record earlier; the engine
raises an alert once per cause, notes that it is still there, resolves it when the cause ends,
raises a new alert for a new episode, and keeps a manager's resolution. All times are naive UTC;
the community is in Asia/Shanghai (UTC+8), so local times read 8 hours later.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict, Unpack

import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.alerts import rules as al
from data_access.alerts.rules import Cause, RunReport, Thresholds
from data_access.errors import DomainError, NotAllowed
from data_access.models import (
    Account,
    Alert,
    Area,
    Community,
    Equipment,
    EquipmentFault,
    Rating,
    RectificationTicket,
    ServiceContract,
    WorkOrder,
)
from tests.data_access import factories as f

T = dt.datetime(2026, 10, 1, 2, 0)  # 10:00 local
MINUTE = dt.timedelta(minutes=1)
DAY = dt.timedelta(days=1)
_numbers = itertools.count(1)


# --- a small world ------------------------------------------------------------------------------
@dataclass
class World:
    community: Community
    contract: ServiceContract
    area: Area
    other: Community
    viewers: dict[str, Viewer]  # owner, committee, manager, manager2, foreign_manager


def _viewer(account: Account, name: str) -> Viewer:
    return Viewer(
        account_id=account.id, username=account.username, display_name=name, role=account.role,
        community_id=account.community_id,
    )  # fmt: skip


@pytest.fixture
def world(session: Session) -> World:
    c = f.community(session)
    contract = f.contract(session, c)  # 2026, the model's default thresholds
    other = f.community(session)
    f.contract(session, other)
    accounts = {
        "owner": f.account(session, c, "owner"),
        "committee": f.account(session, c, "committee"),
        "manager": f.account(session, c, "manager"),
        "manager2": f.account(session, c, "manager"),
        "foreign_manager": f.account(session, other, "manager"),
    }
    area = f.building(session, c, "1栋")
    return World(
        community=c,
        contract=contract,
        area=area,
        other=other,
        viewers={key: _viewer(account, account.display_name) for key, account in accounts.items()},
    )


def order(
    session: Session,
    community: Community,
    created_at: dt.datetime = T,
    *,
    priority: str = "normal",
    order_type: str = "repair",
    category: str = "plumbing",
    area: Area | None = None,
    responded_at: dt.datetime | None = None,
    completed_at: dt.datetime | None = None,
) -> WorkOrder:
    """An order due for a response in 30 minutes and a resolution in 72 hours."""
    row = WorkOrder(
        community_id=community.id, code=f"WO{next(_numbers):04d}", order_type=order_type,
        category=category, priority=priority, title="楼道漏水", created_at=created_at,
        respond_due_at=created_at + dt.timedelta(minutes=30),
        resolve_due_at=created_at + dt.timedelta(hours=72), responded_at=responded_at,
        completed_at=completed_at, area_id=area.id if area else None,
        location=area.name if area else "",
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def equipment_with_faults(
    session: Session, community: Community, times: list[dt.datetime]
) -> tuple[Equipment, list[EquipmentFault]]:
    device = Equipment(
        community_id=community.id, code=f"DT{next(_numbers)}", name="1号电梯", kind="elevator",
        installed_on=dt.date(2020, 1, 1),
    )  # fmt: skip
    session.add(device)
    session.flush()
    faults = [
        EquipmentFault(equipment_id=device.id, occurred_at=moment, description="困人")
        for moment in times
    ]
    session.add_all(faults)
    session.flush()
    return device, faults


def keys(causes: list[Cause]) -> list[str]:
    return [c.cause_key for c in causes]


def alerts_of(session: Session, community: Community) -> list[Alert]:
    session.expire_all()
    return list(
        session.scalars(select(Alert).where(Alert.community_id == community.id).order_by(Alert.id))
    )


def run(session: Session, now: dt.datetime, community: Community | None = None) -> RunReport:
    return al.run_alerts(session=session, now=now, community_id=community.id if community else None)


# --- the rules, one by one ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("priority", "severity"), [("urgent", "high"), ("normal", "medium"), ("low", "low")]
)
def test_response_overdue_fires_one_minute_after_the_deadline(
    session: Session, world: World, priority: str, severity: str
) -> None:
    c = world.community
    late = order(session, c, priority=priority)
    order(session, c, responded_at=T + dt.timedelta(minutes=20))  # answered in time
    order(session, c, completed_at=T + dt.timedelta(minutes=25))  # done without a response
    due = T + dt.timedelta(minutes=30)
    assert al.find_response_overdue(session=session, community_id=c.id, now=due) == []
    [cause] = al.find_response_overdue(session=session, community_id=c.id, now=due + MINUTE)
    assert cause == Cause(
        rule="response_overdue", cause_key=f"c{c.id}:order{late.id}", community_id=c.id,
        severity=severity, since=due, params={"code": late.code, "due": "2026-10-01 10:30"},
        work_order_id=late.id,
    )  # fmt: skip
    assert cause.describe("zh") == f"工单 {late.code} 已过响应时限(2026-10-01 10:30)仍未响应"


def test_resolution_overdue_fires_one_minute_after_the_deadline(
    session: Session, world: World
) -> None:
    c = world.community
    late = order(session, c, responded_at=T + dt.timedelta(minutes=5))
    order(session, c, responded_at=T, completed_at=T + dt.timedelta(hours=70))  # done in time
    due = T + dt.timedelta(hours=72)
    assert al.find_resolution_overdue(session=session, community_id=c.id, now=due) == []
    causes = al.find_resolution_overdue(session=session, community_id=c.id, now=due + MINUTE)
    assert keys(causes) == [f"c{c.id}:order{late.id}"]
    assert causes[0].params == {"code": late.code, "due": "2026-10-04 10:00"}
    # The response was in time: only the resolution rule sees this order.
    assert al.find_response_overdue(session=session, community_id=c.id, now=due + MINUTE) == []


def test_accept_overdue_fires_one_minute_after_the_deadline(session: Session, world: World) -> None:
    c = world.community
    waiting = f.rectification_ticket(session, c)  # accept within 24 h
    f.rectification_ticket(session, c, moves=(("accepted", T + dt.timedelta(hours=2)),))
    f.rectification_ticket(session, c, moves=(("rejected", T + dt.timedelta(hours=3)),))
    due = T + dt.timedelta(hours=24)
    assert al.find_accept_overdue(session=session, community_id=c.id, now=due) == []
    [cause] = al.find_accept_overdue(session=session, community_id=c.id, now=due + MINUTE)
    assert (cause.cause_key, cause.severity, cause.ticket_id, cause.since) == (
        f"c{c.id}:ticket{waiting.id}", "medium", waiting.id, due,
    )  # fmt: skip


def test_fix_overdue_fires_in_the_fix_phase_only(session: Session, world: World) -> None:
    c = world.community
    accepted = f.rectification_ticket(session, c, moves=(("accepted", T + DAY),))
    working = f.rectification_ticket(
        session, c, moves=(("accepted", T + DAY), ("in_progress", T + 2 * DAY))
    )
    f.rectification_ticket(session, c)  # still submitted: the accept rule's business
    f.rectification_ticket(session, c, moves=(  # the company's part is done
        ("accepted", T + DAY), ("in_progress", T + 2 * DAY),
        ("awaiting_confirmation", T + 3 * DAY),
    ))  # fmt: skip
    due = T + 7 * DAY
    assert al.find_fix_overdue(session=session, community_id=c.id, now=due) == []
    causes = al.find_fix_overdue(session=session, community_id=c.id, now=due + MINUTE)
    assert keys(causes) == [f"c{c.id}:ticket{accepted.id}", f"c{c.id}:ticket{working.id}"]
    assert {cause.severity for cause in causes} == {"high"}


def test_a_reopened_ticket_is_a_new_fix_episode(session: Session, world: World) -> None:
    c = world.community
    reopened_at = T + 9 * DAY
    ticket = f.rectification_ticket(session, c, moves=(
        ("accepted", T + DAY), ("in_progress", T + 2 * DAY),
        ("awaiting_confirmation", T + 8 * DAY), ("in_progress", reopened_at),
    ))  # fmt: skip
    [cause] = al.find_fix_overdue(session=session, community_id=c.id, now=T + 10 * DAY)
    assert (cause.cause_key, cause.since) == (f"c{c.id}:ticket{ticket.id}:reopen1", reopened_at)


@pytest.mark.parametrize(
    ("scores", "severity"),
    [((3, 3, 3), None), ((3, 2, 3), "medium"), ((5, 5, 2), "medium"), ((1, 4, 4), "high")],
)
def test_a_rating_at_or_below_the_red_line_fires_until_replied(
    session: Session, world: World, scores: tuple[int, int, int], severity: str | None
) -> None:
    c = world.community
    rating = f.rating(session, c, scores, created_at=T)
    f.rating(session, c, (1, 1, 1), created_at=T, replied_at=T + dt.timedelta(hours=2))
    causes = al.find_red_line_ratings(session=session, community_id=c.id, now=T + MINUTE)
    if severity is None:
        assert causes == []
        return
    [cause] = causes
    code = session.get_one(WorkOrder, rating.work_order_id).code
    assert cause == Cause(
        rule="red_line_rating", cause_key=f"c{c.id}:rating{rating.id}", community_id=c.id,
        severity=severity, since=T, params={"code": code, "score": min(scores), "red_line": 2},
        work_order_id=rating.work_order_id,
    )  # fmt: skip


def test_hotspot_fires_with_the_third_order_in_thirty_days(session: Session, world: World) -> None:
    c, area = world.community, world.area
    first = order(session, c, T, area=area)
    order(session, c, T + 10 * DAY, area=area)
    third_at = T + 20 * DAY
    # Not the same issue: another category, another area, no area, a brand service.
    order(session, c, T + 5 * DAY, area=area, category="electrical")
    order(session, c, T + 6 * DAY, area=f.building(session, c, "2栋"))
    order(session, c, T + 7 * DAY)
    order(session, c, T + 8 * DAY, area=area, order_type="brand_service")

    def found(now: dt.datetime) -> list[Cause]:
        return al.find_hotspots(session=session, community_id=c.id, now=now)

    assert found(third_at) == []  # two so far
    third = order(session, c, third_at, area=area)
    assert found(third_at - MINUTE) == []  # not created yet at that moment
    [cause] = found(third_at)
    assert cause == Cause(
        rule="hotspot", cause_key=f"c{c.id}:area{area.id}:plumbing:from-order{third.id}",
        community_id=c.id, severity="medium", since=third_at,
        params={"area": "1栋", "category": "plumbing", "days": 30, "min_count": 3},
        work_order_id=third.id,
    )  # fmt: skip
    # The first order leaves the window exactly 30 days after it was made.
    assert keys(found(first.created_at + 30 * DAY - MINUTE)) == keys([cause])
    assert found(first.created_at + 30 * DAY) == []


def test_missed_checkpoints_fire_when_the_day_reaches_three(session: Session, world: World) -> None:
    c = world.community
    route, (gate, garage) = f.patrol_route(
        session, c, (("东门", 10.0, 10.0, False), ("地库", 50.0, 50.0, True))
    )
    plan = f.patrol_plan(session, c, route)
    day = dt.date(2026, 10, 5)
    morning = f.patrol_shift(
        session, plan, day, (f.local(2026, 10, 5, 8), f.local(2026, 10, 5, 8, 45)), slot_no=0,
        started_at=f.local(2026, 10, 5, 8), ended_at=f.local(2026, 10, 5, 8, 40),
    )  # fmt: skip
    f.patrol_checkin(session, morning, gate, f.local(2026, 10, 5, 8, 10))  # garage missed: 1
    afternoon_end = f.local(2026, 10, 5, 14, 45)
    afternoon = f.patrol_shift(  # never walked: both missed once its slot has ended
        session, plan, day, (f.local(2026, 10, 5, 14), afternoon_end), slot_no=1
    )

    def found(now: dt.datetime) -> list[Cause]:
        return al.find_missed_checkpoints(session=session, community_id=c.id, now=now)

    assert found(afternoon_end - MINUTE) == []  # the afternoon shift is not judged yet: 1
    [cause] = found(afternoon_end)
    assert cause == Cause(
        rule="missed_checkpoints", cause_key=f"c{c.id}:2026-10-05", community_id=c.id,
        severity="medium", since=afternoon_end, params={"day": "2026-10-05", "min_count": 3},
        shift_id=afternoon.id,
    )  # fmt: skip
    # One record fewer: a late check-in at the garage in the afternoon slot leaves 2 missed.
    checkin = f.patrol_checkin(session, afternoon, garage, afternoon_end + dt.timedelta(hours=1))
    assert found(afternoon_end + 2 * dt.timedelta(hours=1)) == []
    session.delete(checkin)
    session.flush()
    # The day stays a cause for 7 local days (to 2026-10-11), then it is history.
    assert keys(found(f.local(2026, 10, 11, 23, 59))) == [f"c{c.id}:2026-10-05"]
    assert found(f.local(2026, 10, 12, 0, 0)) == []


def test_fault_streak_fires_with_the_third_fault_in_thirty_days(
    session: Session, world: World
) -> None:
    c = world.community
    times = [T, T + 5 * DAY, T + 9 * DAY]
    device, faults = equipment_with_faults(session, c, times)
    equipment_with_faults(session, world.other, times)  # another community's

    def found(now: dt.datetime) -> list[Cause]:
        return al.find_fault_streaks(session=session, community_id=c.id, now=now)

    assert found(times[2] - MINUTE) == []
    [cause] = found(times[2])
    assert cause == Cause(
        rule="fault_streak", cause_key=f"c{c.id}:equipment{device.id}:from-fault{faults[2].id}",
        community_id=c.id, severity="high", since=times[2],
        params={"equipment": "1号电梯", "days": 30, "min_count": 3}, equipment_id=device.id,
    )  # fmt: skip
    assert found(T + 30 * DAY) == []  # the first fault has left the window


# --- episodes -------------------------------------------------------------------------------------
W = dt.timedelta(days=30)


def at(days: float) -> dt.datetime:
    return T + dt.timedelta(days=days)


@pytest.mark.parametrize(
    ("days", "now", "expected"),
    [
        pytest.param([0, 10], 20, None, id="two-is-not-three"),
        pytest.param([0, 10, 20], 20, 3, id="the-third-starts-it"),
        pytest.param([0, 10, 20, 25], 29, 3, id="a-fourth-continues-it"),
        pytest.param([0, 10, 20, 25], 30, 3, id="still-three-after-the-first-leaves"),
        pytest.param([0, 10, 20], 30, None, id="ends-when-the-first-leaves"),
        pytest.param([0, 10, 20, 35], 35, 4, id="a-new-episode-starts-later"),
        pytest.param([0, 0, 0], 0, 3, id="same-moment-ties-by-id"),
    ],
)
def test_episode_start(days: list[int], now: int, expected: int | None) -> None:
    records = [(at(d), n) for n, d in enumerate(days, start=1)]
    start = al.episode_start(records, W, 3, at(now))
    assert start == (None if expected is None else records[expected - 1])


# --- the engine -----------------------------------------------------------------------------------
def test_a_cause_raises_one_alert_and_a_rerun_changes_nothing(
    session: Session, world: World
) -> None:
    c = world.community
    late = order(session, c, priority="urgent")
    now = T + dt.timedelta(hours=1)
    assert run(session, now, c) == RunReport(raised=1, still_open=0, auto_resolved=0)
    assert run(session, now, c) == RunReport(raised=0, still_open=1, auto_resolved=0)
    later = now + dt.timedelta(hours=1)
    assert run(session, later, c) == RunReport(raised=0, still_open=1, auto_resolved=0)
    [alert] = alerts_of(session, c)
    assert (
        alert.rule, alert.cause_key, alert.severity, alert.state, alert.work_order_id,
        alert.raised_at, alert.last_checked_at, alert.version, alert.message,
    ) == (
        "response_overdue", f"c{c.id}:order{late.id}", "high", "open", late.id,
        T + dt.timedelta(minutes=30), later, 1,
        f"工单 {late.code} 已过响应时限(2026-10-01 10:30)仍未响应",
    )  # fmt: skip


CAUSE_ENDS = ["order_responds", "order_completes", "ticket_accepted", "rating_replied"]


@pytest.mark.parametrize("how", CAUSE_ENDS)
def test_an_alert_resolves_itself_when_its_cause_ends(
    session: Session, world: World, how: str
) -> None:
    c = world.community
    now = T + 4 * DAY  # past the order's deadlines (30 min, 72 h) and the ticket's accept one
    if how.startswith("order"):
        subject: WorkOrder | RectificationTicket | Rating = order(session, c)
    elif how == "ticket_accepted":
        subject = f.rectification_ticket(session, c)
    else:
        subject = f.rating(session, c, (1, 3, 3), created_at=T)
    raised = run(session, now, c).raised
    assert raised == (2 if how.startswith("order") else 1)  # an order: response and resolution
    if how == "order_responds":
        assert isinstance(subject, WorkOrder)
        subject.responded_at = now
    elif how == "order_completes":
        assert isinstance(subject, WorkOrder)
        subject.responded_at = subject.completed_at = now
    elif how == "ticket_accepted":
        assert isinstance(subject, RectificationTicket)
        subject.status, subject.accepted_at = "accepted", now
    else:
        assert isinstance(subject, Rating)
        subject.reply, subject.replied_at = "已联系维修师傅返工", now
    session.flush()
    later = now + dt.timedelta(minutes=5)
    report = run(session, later, c)
    ended = 1 if how != "order_completes" else 2
    assert (report.raised, report.auto_resolved, report.still_open) == (0, ended, raised - ended)
    resolved = [a for a in alerts_of(session, c) if a.state == "resolved"]
    assert [(a.resolved_at, a.auto_resolved, a.resolved_by_id, a.version) for a in resolved] == [
        (later, True, None, 2)
    ] * ended
    assert run(session, later, c) == RunReport(raised=0, still_open=raised - ended, auto_resolved=0)


def test_an_acknowledged_alert_also_resolves_itself(session: Session, world: World) -> None:
    c = world.community
    ticket = f.rectification_ticket(session, c)
    now = T + 2 * DAY
    run(session, now, c)
    [alert] = alerts_of(session, c)
    manager = world.viewers["manager"]
    al.acknowledge_alert(
        session=session, viewer=manager, alert_id=alert.id, now=now, expected_version=1
    )
    ticket.status = "rejected"
    ticket.reject_reason = "不属于物业服务范围"
    session.flush()
    assert run(session, now + MINUTE, c).auto_resolved == 1
    [alert] = alerts_of(session, c)
    assert (alert.state, alert.acknowledged_by_id, alert.auto_resolved) == (
        "resolved", manager.account_id, True,
    )  # fmt: skip


def test_a_hotspot_that_returns_is_a_new_alert(session: Session, world: World) -> None:
    c, area = world.community, world.area
    made = [order(session, c, at(d), area=area, responded_at=at(d), completed_at=at(d))
            for d in (0, 10, 20)]  # fmt: skip
    assert run(session, at(20), c).raised == 1
    assert run(session, at(30), c).auto_resolved == 1  # the first order left the window
    made.append(order(session, c, at(35), area=area, responded_at=at(35), completed_at=at(35)))
    # window (5, 35]: days 10, 20, 35
    assert run(session, at(35), c) == RunReport(raised=1, still_open=0, auto_resolved=0)
    prefix = f"c{c.id}:area{area.id}:plumbing:from-order"
    assert [(a.cause_key, a.state, a.raised_at) for a in alerts_of(session, c)] == [
        (f"{prefix}{made[2].id}", "resolved", at(20)),
        (f"{prefix}{made[3].id}", "open", at(35)),
    ]


def test_a_managers_resolution_holds_while_the_cause_lasts(session: Session, world: World) -> None:
    c = world.community
    equipment_with_faults(session, c, [T, T + DAY, T + 2 * DAY])
    run(session, T + 2 * DAY, c)
    [alert] = alerts_of(session, c)
    al.resolve_alert(
        session=session, viewer=world.viewers["manager"], alert_id=alert.id, now=T + 3 * DAY,
        expected_version=1, note="已请维保单位全面检修",
    )  # fmt: skip
    assert run(session, T + 4 * DAY, c) == RunReport(raised=0, still_open=0, auto_resolved=0)
    [alert] = alerts_of(session, c)
    assert (alert.state, alert.auto_resolved, alert.last_checked_at) == (
        "resolved", False, T + 4 * DAY,
    )  # fmt: skip


def test_the_engine_reopens_an_alert_it_resolved_when_the_cause_returns(
    session: Session, world: World
) -> None:
    c = world.community
    rating = f.rating(session, c, (2, 4, 4), created_at=T)
    run(session, T + MINUTE, c)
    rating.score_speed = 4  # the owner edits the rating above the red line…
    session.flush()
    assert run(session, T + 2 * MINUTE, c).auto_resolved == 1
    rating.score_speed = 2  # …and back
    session.flush()
    report = run(session, T + 3 * MINUTE, c)
    assert (report.raised, report.reopened) == (0, 1)
    [alert] = alerts_of(session, c)
    assert (alert.state, alert.resolved_at, alert.auto_resolved, alert.version) == (
        "open", None, False, 3,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("setting", "value", "rule", "before", "after"),
    [
        pytest.param("hotspot_min_count", 4, "hotspot", 1, 0, id="hotspot-count-up"),
        pytest.param("hotspot_min_count", 2, "hotspot", 1, 2, id="hotspot-count-down"),
        pytest.param("hotspot_window_days", 15, "hotspot", 1, 0, id="hotspot-window"),
        pytest.param("red_line_score", 1, "red_line_rating", 1, 0, id="red-line"),
        pytest.param("fault_streak_count", 4, "fault_streak", 1, 0, id="fault-count"),
        pytest.param("fault_streak_days", 5, "fault_streak", 1, 0, id="fault-days"),
        pytest.param("missed_checkpoints_per_day", 1, "missed_checkpoints", 0, 1, id="missed"),
    ],
)
def test_thresholds_come_from_the_contract(
    session: Session, world: World, setting: str, value: int, rule: str, before: int, after: int
) -> None:
    """Orders on days 0, 10, 20 in one area; a rating with a 2; faults on days 0, 5, 9; one
    missed checkpoint on day 20. Judged on day 20 (local evening)."""
    c = world.community
    now = T + 20 * DAY + dt.timedelta(hours=8)
    for d in (0, 10, 20):
        order(session, c, at(d), area=world.area, responded_at=at(d), completed_at=at(d))
    order(session, c, at(19), area=world.area, category="electrical", responded_at=at(19),
          completed_at=at(19))  # fmt: skip
    order(session, c, at(20), area=world.area, category="electrical", responded_at=at(20),
          completed_at=at(20))  # fmt: skip
    f.rating(session, c, (2, 5, 5), created_at=T + 20 * DAY, replied_at=None)
    equipment_with_faults(session, c, [at(11), at(16), at(20)])
    route, (gate, _garage) = f.patrol_route(
        session, c, (("东门", 10.0, 10.0, False), ("地库", 50.0, 50.0, True))
    )
    shift = f.patrol_shift(
        session, f.patrol_plan(session, c, route), dt.date(2026, 10, 21),
        (f.local(2026, 10, 21, 8), f.local(2026, 10, 21, 8, 45)),
        started_at=f.local(2026, 10, 21, 8), ended_at=f.local(2026, 10, 21, 8, 40),
    )  # fmt: skip
    f.patrol_checkin(session, shift, gate, f.local(2026, 10, 21, 8, 10))

    def count() -> int:
        causes = al.find_causes(session=session, community_id=c.id, now=now)
        return sum(cause.rule == rule for cause in causes)

    assert count() == before
    setattr(world.contract, setting, value)
    session.flush()
    assert count() == after


def test_without_a_contract_the_models_defaults_apply(session: Session) -> None:
    c = f.community(session)
    f.contract(session, c, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))  # expired
    assert al.thresholds_for(session=session, community_id=c.id, now=T) == Thresholds(
        red_line_score=2, hotspot_min_count=3, hotspot_window_days=30,
        missed_checkpoints_per_day=3, fault_streak_count=3, fault_streak_days=30,
        me_too_alert_count=5, me_too_hotspot_weight=1,
    )  # fmt: skip


def test_each_community_has_its_own_alerts(session: Session, world: World) -> None:
    mine, theirs = order(session, world.community), order(session, world.other)
    now = T + dt.timedelta(hours=1)
    assert run(session, now, world.community).raised == 1
    assert alerts_of(session, world.other) == []
    assert run(session, now).raised == 1  # every community: only the other's is new
    views = al.list_alerts(session=session, viewer=world.viewers["foreign_manager"], now=now)
    assert [v.work_order_id for v in views] == [theirs.id]
    views = al.list_alerts(session=session, viewer=world.viewers["manager"], now=now)
    assert [v.work_order_id for v in views] == [mine.id]


class AlertFilters(TypedDict, total=False):
    """``list_alerts``'s filters."""

    states: Sequence[str]
    severity: str | None
    rule: str | None
    limit: int


# --- reads ----------------------------------------------------------------------------------------
def test_the_list_by_severity_then_oldest_first_with_filters(
    session: Session, world: World
) -> None:
    c = world.community
    low = order(session, c, T, priority="low")
    medium_new = order(session, c, T + dt.timedelta(minutes=20))
    medium_old = order(session, c, T + dt.timedelta(minutes=10))
    high = order(session, c, T + dt.timedelta(minutes=30), priority="urgent")
    now = T + dt.timedelta(hours=2)
    run(session, now, c)
    manager = world.viewers["manager"]

    def listed(**filters: Unpack[AlertFilters]) -> list[int | None]:
        views = al.list_alerts(session=session, viewer=manager, now=now, **filters)
        return [v.work_order_id for v in views]

    assert listed() == [high.id, medium_old.id, medium_new.id, low.id]
    assert listed(severity="medium") == [medium_old.id, medium_new.id]
    assert listed(rule="resolution_overdue") == []
    assert listed(states=("resolved",)) == []
    summary = al.alert_summary(session=session, viewer=manager)
    assert dict(summary.counts) == {("open", "high"): 1, ("open", "medium"): 2, ("open", "low"): 1}
    assert (summary.active(), summary.active("medium"), summary.in_state("acknowledged")) == (
        4, 2, 0,
    )  # fmt: skip


def test_a_view_describes_its_cause_in_both_languages(session: Session, world: World) -> None:
    c = world.community
    made = [order(session, c, at(d), area=world.area) for d in (0, 10, 20)]
    for row in made:
        row.responded_at = row.completed_at = row.created_at
    session.flush()
    run(session, at(20), c)
    [view] = al.list_alerts(session=session, viewer=world.viewers["committee"], now=at(20))
    assert (view.rule, view.subject, view.work_order_id) == (
        "hotspot", f"{made[2].code} 楼道漏水", made[2].id,
    )  # fmt: skip
    assert (
        view.describe("zh")
        == view.message
        == "1栋 · 给排水:30 天内同类问题达 3 件及以上(工单与业主“我也遇到”合计)"
    )
    assert view.describe("en") == (
        "1栋 · Plumbing: 3 or more reports (orders and owners' “me too”) within 30 days"
    )


def test_the_trend_counts_alerts_per_week_and_rule(session: Session, world: World) -> None:
    c = world.community
    # Causes begin at deadlines (local times): the first order's response Thu 1 Oct 10:30 and
    # resolution Sun 4 Oct 10:00 (week 40); the ticket's acceptance Sun 4 Oct 10:00 (week 40);
    # the second order's response Mon 5 Oct 10:30 (week 41); its resolution (8 Oct) is ahead.
    order(session, c, T)
    order(session, c, T + 4 * DAY)
    f.rectification_ticket(session, c, created_at=T + 2 * DAY)
    now = T + 5 * DAY
    run(session, now, c)
    trend = al.alert_trend(session=session, viewer=world.viewers["committee"], now=now, weeks=2)
    assert trend.to_dict("records") == [
        {"week_start": pd.Timestamp("2026-09-28"), "week": "2026-W40", "rule": "accept_overdue",
         "raised": 1},
        {"week_start": pd.Timestamp("2026-09-28"), "week": "2026-W40",
         "rule": "resolution_overdue", "raised": 1},
        {"week_start": pd.Timestamp("2026-09-28"), "week": "2026-W40", "rule": "response_overdue",
         "raised": 1},
        {"week_start": pd.Timestamp("2026-10-05"), "week": "2026-W41", "rule": "response_overdue",
         "raised": 1},
    ]  # fmt: skip


@pytest.mark.parametrize("read", ["list", "summary", "trend"])
def test_owners_may_not_read_alerts(session: Session, world: World, read: str) -> None:
    owner = world.viewers["owner"]
    with pytest.raises(NotAllowed) as refused:
        if read == "list":
            al.list_alerts(session=session, viewer=owner, now=T)
        elif read == "summary":
            al.alert_summary(session=session, viewer=owner)
        else:
            al.alert_trend(session=session, viewer=owner, now=T)
    assert refused.value.key == "alerts.not_allowed"


# --- commands -------------------------------------------------------------------------------------
@pytest.fixture
def alert_id(session: Session, world: World) -> int:
    f.rectification_ticket(session, world.community)
    run(session, T + 2 * DAY, world.community)
    [alert] = alerts_of(session, world.community)
    return alert.id


def test_a_manager_acknowledges_then_resolves_with_a_note(
    session: Session, world: World, alert_id: int
) -> None:
    manager = world.viewers["manager"]
    now = T + 3 * DAY
    al.acknowledge_alert(
        session=session, viewer=manager, alert_id=alert_id, now=now, expected_version=1
    )
    al.resolve_alert(
        session=session, viewer=manager, alert_id=alert_id, now=now + DAY, expected_version=2,
        note=" 已受理并安排专人跟进 ",
    )  # fmt: skip
    alert = session.get_one(Alert, alert_id)
    assert (
        alert.state, alert.acknowledged_at, alert.acknowledged_by_id, alert.resolved_at,
        alert.resolved_by_id, alert.auto_resolved, alert.version,
    ) == ("resolved", now, manager.account_id, now + DAY, manager.account_id, False, 3)  # fmt: skip
    [as_manager] = al.list_alerts(session=session, viewer=manager, now=now, states=("resolved",))
    [as_committee] = al.list_alerts(
        session=session, viewer=world.viewers["committee"], now=now, states=("resolved",)
    )
    assert as_manager.resolution_note == as_committee.resolution_note == "已受理并安排专人跟进"
    assert as_manager.message.startswith("整改单 ") and "处理说明" not in as_manager.message
    assert (as_manager.resolved_by, as_committee.resolved_by) == ("张三", "张*")
    assert (as_manager.acknowledged_by, as_committee.acknowledged_by) == ("张三", "张*")


def test_resolving_without_acknowledging(session: Session, world: World, alert_id: int) -> None:
    al.resolve_alert(
        session=session, viewer=world.viewers["manager"], alert_id=alert_id, now=T + 3 * DAY,
        expected_version=1,
    )  # fmt: skip
    alert = session.get_one(Alert, alert_id)
    assert (alert.state, alert.acknowledged_at, alert.version) == ("resolved", None, 2)


@pytest.mark.parametrize("who", ["owner", "committee"])
@pytest.mark.parametrize("move", ["acknowledge", "resolve"])
def test_only_managers_handle_alerts(
    session: Session, world: World, alert_id: int, who: str, move: str
) -> None:
    command = al.acknowledge_alert if move == "acknowledge" else al.resolve_alert
    with pytest.raises(NotAllowed) as refused:
        command(
            session=session, viewer=world.viewers[who], alert_id=alert_id, now=T + 3 * DAY,
            expected_version=1,
        )  # fmt: skip
    assert refused.value.key == "alerts.managers_only"
    assert session.get_one(Alert, alert_id).version == 1


@pytest.mark.parametrize("move", ["acknowledge", "resolve"])
def test_another_communitys_alert_is_not_found(
    session: Session, world: World, alert_id: int, move: str
) -> None:
    command = al.acknowledge_alert if move == "acknowledge" else al.resolve_alert
    for missing in (alert_id, alert_id + 1000):
        with pytest.raises(DomainError) as refused:
            command(
                session=session, viewer=world.viewers["foreign_manager"], alert_id=missing,
                now=T + 3 * DAY, expected_version=1,
            )  # fmt: skip
        assert refused.value.key == "alerts.not_found"


def test_a_second_manager_acting_on_the_same_version_is_refused(
    session: Session, world: World, alert_id: int
) -> None:
    now = T + 3 * DAY
    al.acknowledge_alert(
        session=session, viewer=world.viewers["manager"], alert_id=alert_id, now=now,
        expected_version=1,
    )  # fmt: skip
    for command in (al.acknowledge_alert, al.resolve_alert):
        with pytest.raises(DomainError) as refused:
            command(
                session=session, viewer=world.viewers["manager2"], alert_id=alert_id, now=now,
                expected_version=1,
            )  # fmt: skip
        assert refused.value.key == "alerts.changed_meanwhile"
    alert = session.get_one(Alert, alert_id)
    assert (alert.state, alert.acknowledged_by_id, alert.version) == (
        "acknowledged", world.viewers["manager"].account_id, 2,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("first", "then", "key"),
    [
        ("acknowledge", "acknowledge", "alerts.already_acknowledged"),
        ("resolve", "acknowledge", "alerts.already_resolved"),
        ("resolve", "resolve", "alerts.already_resolved"),
    ],
)
def test_a_move_that_was_already_made_is_refused(
    session: Session, world: World, alert_id: int, first: str, then: str, key: str
) -> None:
    commands = {"acknowledge": al.acknowledge_alert, "resolve": al.resolve_alert}
    manager = world.viewers["manager"]
    commands[first](
        session=session, viewer=manager, alert_id=alert_id, now=T + 3 * DAY, expected_version=1
    )
    with pytest.raises(DomainError) as refused:
        commands[then](
            session=session, viewer=manager, alert_id=alert_id, now=T + 3 * DAY,
            expected_version=2,
        )  # fmt: skip
    assert refused.value.key == key


def test_a_note_too_long_is_refused(session: Session, world: World, alert_id: int) -> None:
    with pytest.raises(DomainError) as refused:
        al.resolve_alert(
            session=session, viewer=world.viewers["manager"], alert_id=alert_id,
            now=T + 3 * DAY, expected_version=1, note="字" * (al.RESOLUTION_NOTE_MAX + 1),
        )  # fmt: skip
    assert (refused.value.key, refused.value.params) == ("alerts.note_too_long", {"max": 500})
    assert session.scalar(select(func.count()).select_from(Alert).where(Alert.state == "open")) == 1
