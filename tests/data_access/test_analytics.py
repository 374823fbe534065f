"""Analytics on hand-built datasets (both engines): reply timeliness, handling durations, the
overdue trend, the hotspot matrix and risk points, each answer computed by hand."""

from __future__ import annotations

import datetime as dt
import itertools
import math

import pytest
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.analytics.analytics import (
    handling_durations,
    hotspot_matrix,
    overdue_trend,
    reply_timeliness_by_category,
    risk_points,
)
from data_access.models import (
    Account,
    Area,
    Community,
    Equipment,
    EquipmentFault,
    Rating,
    WorkOrder,
)
from data_access.periods import period_containing
from tests.data_access import factories as f
from tests.data_access.factories import local

OCTOBER = period_containing("month", dt.date(2026, 10, 1))
NOW = dt.datetime(2026, 11, 20, 12, 0)
_codes = itertools.count(1)


def _viewer(account: Account) -> Viewer:
    return Viewer(account.id, account.username, "x", account.role, account.community_id)


def _area(session: Session, community: Community, name: str, kind: str = "building") -> Area:
    row = Area(community_id=community.id, name=name, kind=kind, x=0.0, y=0.0)
    session.add(row)
    session.flush()
    return row


def _order(
    session: Session,
    community: Community,
    category: str,
    created_at: dt.datetime,
    area: Area | None = None,
    order_type: str = "repair",
    completed_at: dt.datetime | None = None,
    resolve_hours: int = 72,
    visibility: str = "public",
    reporter: Account | None = None,
) -> WorkOrder:
    row = WorkOrder(
        community_id=community.id, code=f"A-{next(_codes)}", order_type=order_type,
        category=category, title="测试", created_at=created_at,
        respond_due_at=created_at + dt.timedelta(minutes=30),
        resolve_due_at=created_at + dt.timedelta(hours=resolve_hours),
        completed_at=completed_at, area_id=area.id if area else None, visibility=visibility,
        reporter_id=reporter.id if reporter else None,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def _rate(
    session: Session,
    order: WorkOrder,
    owner: Account,
    scores: tuple[int, int, int] = (5, 5, 5),
    created_at: dt.datetime | None = None,
    replied_at: dt.datetime | None = None,
    reply_due_at: dt.datetime | None = None,
) -> Rating:
    created = created_at or order.created_at + dt.timedelta(days=1)
    row = Rating(
        community_id=order.community_id, work_order_id=order.id, owner_id=owner.id,
        score_speed=scores[0], score_attitude=scores[1], score_quality=scores[2],
        created_at=created, updated_at=created,
        reply_due_at=reply_due_at or created + dt.timedelta(hours=24),
        reply="好的" if replied_at else "", replied_at=replied_at,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def _fault(
    session: Session,
    equipment: Equipment,
    occurred_at: dt.datetime,
    resolved_at: dt.datetime | None,
) -> None:
    fault = EquipmentFault(
        equipment_id=equipment.id, occurred_at=occurred_at, resolved_at=resolved_at,
        description="故障",
    )  # fmt: skip
    session.add(fault)
    session.flush()


def _equipment(session: Session, community: Community, area: Area, name: str) -> Equipment:
    row = Equipment(
        community_id=community.id, area_id=area.id, code=f"EQ-{next(_codes)}", name=name,
        kind="elevator", installed_on=dt.date(2020, 1, 1),
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


# --- reply timeliness ------------------------------------------------------------------------------
def test_reply_timeliness_by_category(session: Session) -> None:
    c = f.community(session)
    owner = f.account(session, c)
    manager = f.account(session, c, role="manager")
    day = local(2026, 10, 10, 9)
    lift_1 = _order(session, c, "elevator", day)
    lift_2 = _order(session, c, "elevator", day)
    parking = _order(session, c, "parking", day)
    pipe = _order(session, c, "plumbing", day)
    september = _order(session, c, "plumbing", local(2026, 9, 1, 9))
    rated = local(2026, 10, 12, 9)
    _rate(session, lift_1, owner, created_at=rated, replied_at=rated + dt.timedelta(hours=2))
    _rate(session, lift_2, owner, created_at=rated, replied_at=rated + dt.timedelta(hours=30))
    _rate(session, parking, owner, created_at=rated)  # unanswered, deadline passed: due, missed
    # unanswered, deadline still ahead: rated but not due
    _rate(session, pipe, owner, created_at=rated, reply_due_at=dt.datetime(2026, 12, 31))
    _rate(session, september, owner, created_at=local(2026, 9, 30, 23, 59))  # last month
    session.commit()

    frame = reply_timeliness_by_category(
        session=session, viewer=_viewer(manager), period=OCTOBER, now=NOW
    )
    # catalog order: plumbing, elevator, parking
    assert frame["category"].tolist() == ["plumbing", "elevator", "parking"]
    assert frame["rated"].tolist() == [1, 2, 1]
    assert frame["due"].tolist() == [0, 2, 1]
    assert frame["in_time"].tolist() == [0, 1, 0]
    assert math.isnan(frame["share"][0]) and frame["share"].tolist()[1:] == [0.5, 0.0]

    # Before the parking rating's deadline (24 h after 2026-10-12 09:00 local) it is not due.
    early = reply_timeliness_by_category(
        session=session, viewer=_viewer(manager), period=OCTOBER, now=local(2026, 10, 13, 8)
    )
    assert early["due"].tolist() == [0, 2, 0]


def test_reply_timeliness_leaves_out_private_orders_of_others_and_other_communities(
    session: Session,
) -> None:
    c = f.community(session)
    owner_a, owner_b = f.account(session, c), f.account(session, c)
    day = local(2026, 10, 10, 9)
    private = _order(session, c, "plumbing", day, visibility="private", reporter=owner_b)
    public = _order(session, c, "plumbing", day)
    _rate(session, private, owner_b, replied_at=day + dt.timedelta(days=1, hours=1))
    _rate(session, public, owner_b)
    other = f.community(session)
    _rate(session, _order(session, other, "plumbing", day), f.account(session, other))
    session.commit()

    as_a = reply_timeliness_by_category(
        session=session, viewer=_viewer(owner_a), period=OCTOBER, now=NOW
    )
    as_b = reply_timeliness_by_category(
        session=session, viewer=_viewer(owner_b), period=OCTOBER, now=NOW
    )
    assert as_a[["category", "rated", "due", "in_time"]].values.tolist() == [["plumbing", 1, 1, 0]]
    assert as_b[["category", "rated", "due", "in_time"]].values.tolist() == [["plumbing", 2, 2, 1]]


# --- handling durations ----------------------------------------------------------------------------
def test_handling_durations(session: Session) -> None:
    c = f.community(session)
    owner = f.account(session, c)
    start = local(2026, 10, 3, 10)
    lift_fast = _order(session, c, "elevator", start, completed_at=start + dt.timedelta(hours=2))
    lift_slow = _order(
        session, c, "elevator", start, completed_at=start + dt.timedelta(hours=4, minutes=30)
    )
    _order(session, c, "elevator", start)  # still open
    parking = _order(
        session, c, "parking", start, order_type="complaint",
        completed_at=start + dt.timedelta(days=1, hours=6),
    )  # fmt: skip
    # created on the last evening of the month (local), closed in November: counts
    late_pipe = _order(
        session, c, "plumbing", local(2026, 10, 31, 23), completed_at=local(2026, 11, 1, 9)
    )
    # created in September, closed in October: belongs to September
    _order(session, c, "plumbing", local(2026, 9, 30, 20), completed_at=start)
    private = _order(
        session, c, "plumbing", start, completed_at=start + dt.timedelta(hours=1),
        visibility="private", reporter=f.account(session, c),
    )  # fmt: skip
    session.commit()

    manager = f.account(session, c, role="manager")
    frame = handling_durations(session=session, viewer=_viewer(manager), period=OCTOBER)
    # ordered by category, then id
    assert frame.to_dict("list") == {
        "order_id": [lift_fast.id, lift_slow.id, parking.id, late_pipe.id, private.id],
        "category": ["elevator", "elevator", "parking", "plumbing", "plumbing"],
        "order_type": ["repair", "repair", "complaint", "repair", "repair"],
        "hours": [2.0, 4.5, 30.0, 10.0, 1.0],
    }
    assert frame["hours"].dtype == "float64" and frame["order_id"].dtype == "int64"

    as_owner = handling_durations(session=session, viewer=_viewer(owner), period=OCTOBER)
    assert private.id not in as_owner["order_id"].tolist()
    assert len(as_owner) == 4


# --- overdue trend ---------------------------------------------------------------------------------
def test_overdue_trend_by_week_of_deadline(session: Session) -> None:
    c = f.community(session)
    manager = f.account(session, c, role="manager")
    # orders: resolve deadline 72 h after creation
    _order(session, c, "plumbing", local(2026, 10, 1, 10), completed_at=local(2026, 10, 2, 10))
    _order(session, c, "plumbing", local(2026, 9, 29, 10), completed_at=local(2026, 10, 3, 10))
    _order(session, c, "plumbing", local(2026, 10, 6, 9), completed_at=local(2026, 10, 10, 9))
    _order(session, c, "plumbing", local(2026, 10, 7, 9))  # never completed
    _order(session, c, "plumbing", local(2026, 10, 29, 10))  # due 11-01: next month
    _order(session, c, "plumbing", local(2026, 9, 20, 10))  # due 09-23: last month
    other = f.community(session)
    _order(session, other, "plumbing", local(2026, 10, 7, 9))  # another community
    # tickets: fix deadline 7 days after creation
    # handed over before the deadline: met, though closed after it
    f.rectification_ticket(
        session, c, created_at=local(2026, 10, 12, 10),
        moves=(("accepted", local(2026, 10, 12, 12)), ("in_progress", local(2026, 10, 13, 9)),
               ("awaiting_confirmation", local(2026, 10, 18, 9)),
               ("closed", local(2026, 10, 21, 9))),
    )  # fmt: skip
    # still being fixed: overdue
    f.rectification_ticket(
        session, c, created_at=local(2026, 10, 13, 10),
        moves=(("accepted", local(2026, 10, 13, 12)), ("in_progress", local(2026, 10, 14, 9))),
    )  # fmt: skip
    # rejected: no fix deadline
    f.rectification_ticket(
        session, c, created_at=local(2026, 10, 14, 10),
        moves=(("rejected", local(2026, 10, 14, 12)),),
    )  # fmt: skip
    # no event log: the close is the fix, after the deadline
    f.rectification_ticket(
        session, c, created_at=local(2026, 10, 15, 10),
        moves=(("accepted", local(2026, 10, 15, 12)), ("closed", local(2026, 10, 25, 9))),
        log_moves=False,
    )  # fmt: skip
    session.commit()

    frame = overdue_trend(session=session, viewer=_viewer(manager), period=OCTOBER, now=NOW)
    mondays = [dt.date(2026, 9, 28) + dt.timedelta(days=7 * i) for i in range(5)]
    assert frame["week_start"].tolist() == [m for m in mondays for _ in range(2)]
    assert frame["source"].tolist() == ["order", "ticket"] * 5
    assert frame["due"].tolist() == [2, 0, 2, 0, 0, 0, 0, 3, 0, 0]
    assert frame["overdue"].tolist() == [1, 0, 2, 0, 0, 0, 0, 2, 0, 0]
    shares = frame["share"].tolist()
    assert shares[0] == 0.5 and shares[2] == 1.0 and shares[7] == pytest.approx(2 / 3)
    assert all(math.isnan(shares[i]) for i in (1, 3, 4, 5, 6, 8, 9))

    # Deadlines after "now" are not judged yet: on 10-09 12:00 local only week one's orders
    # and the order due 10-09 09:00 (completed 10-10) had passed theirs.
    early = overdue_trend(
        session=session, viewer=_viewer(manager), period=OCTOBER, now=local(2026, 10, 9, 12)
    )
    assert early["due"].tolist() == [2, 0, 1, 0]  # later weeks have not begun
    assert early["week_start"].tolist() == [mondays[0]] * 2 + [mondays[1]] * 2
    future = overdue_trend(
        session=session, viewer=_viewer(manager), period=OCTOBER, now=local(2026, 9, 30, 12)
    )
    assert future.empty and list(future.columns) == [
        "week_start", "source", "due", "overdue", "share"
    ]  # fmt: skip


# --- hotspots --------------------------------------------------------------------------------------
def test_hotspot_matrix_counts_problem_orders_by_area_and_category(session: Session) -> None:
    c = f.community(session)
    b1 = _area(session, c, "1栋")
    garage = _area(session, c, "地下车库", "garage")
    garden = _area(session, c, "中心花园", "garden")
    owner_a, owner_b = f.account(session, c), f.account(session, c)
    manager = f.account(session, c, role="manager")
    day = local(2026, 10, 8, 9)
    for _ in range(3):
        _order(session, c, "elevator", day, b1)
    _order(session, c, "plumbing", day, b1, order_type="complaint")
    _order(session, c, "plumbing", day, b1, visibility="private", reporter=owner_b)
    _order(session, c, "parking", day, garage, order_type="complaint")
    _order(session, c, "parking", day, garage, order_type="rectification")
    _order(session, c, "plumbing", day, garage)
    _order(session, c, "events", day, garden, order_type="brand_service")  # not a problem
    _order(session, c, "cleaning", day)  # tied to no area
    _order(session, c, "elevator", local(2026, 9, 30, 9), b1)  # September
    other = f.community(session)
    _order(session, other, "elevator", day, _area(session, other, "1栋"))
    session.commit()

    frame = hotspot_matrix(session=session, viewer=_viewer(manager), period=OCTOBER)
    assert frame.drop(columns="area_id").values.tolist() == [
        ["1栋", "building", "elevator", 3],
        ["1栋", "building", "plumbing", 2],
        ["地下车库", "garage", "parking", 2],
        ["地下车库", "garage", "plumbing", 1],
    ]
    assert frame["area_id"].tolist() == [b1.id, b1.id, garage.id, garage.id]
    # Owner A does not count owner B's in-home order.
    as_owner = hotspot_matrix(session=session, viewer=_viewer(owner_a), period=OCTOBER)
    assert as_owner.drop(columns="area_id").values.tolist() == [
        ["1栋", "building", "elevator", 3],
        ["1栋", "building", "plumbing", 1],
        ["地下车库", "garage", "parking", 2],
        ["地下车库", "garage", "plumbing", 1],
    ]
    empty = hotspot_matrix(
        session=session,
        viewer=_viewer(manager),
        period=period_containing("month", dt.date(2020, 1, 1)),
    )
    assert empty.empty and list(empty.columns) == [
        "area_id", "area_name", "area_kind", "category", "count"
    ]  # fmt: skip


# --- risk points -----------------------------------------------------------------------------------
def test_risk_points_rank_places_where_signals_coincide(session: Session) -> None:
    c = f.community(session)
    f.contract(session, c)  # hotspot from 3 orders, red line 2
    owner = f.account(session, c)
    manager = f.account(session, c, role="manager")
    b3 = _area(session, c, "3栋")
    garage = _area(session, c, "地下车库", "garage")
    gate = _area(session, c, "南门", "gate")
    garden = _area(session, c, "中心花园", "garden")
    b1 = _area(session, c, "1栋")
    day = local(2026, 10, 8, 9)
    rated = local(2026, 10, 9, 9)

    # 3栋: elevator hotspot (4), one low rating, two lift faults (one open) → 3 signals,
    # score 4 + 3 + 2×2 + 2 = 13
    lifts = [_order(session, c, "elevator", day, b3) for _ in range(4)]
    _rate(session, lifts[0], owner, (1, 3, 3), created_at=rated)
    _rate(session, lifts[1], owner, (3, 3, 3), created_at=rated)  # not low
    lift = _equipment(session, c, b3, "3栋电梯")
    _fault(session, lift, local(2026, 10, 5, 8), local(2026, 10, 5, 12))
    _fault(session, lift, local(2026, 10, 20, 8), None)
    _fault(session, lift, local(2026, 9, 20, 8), local(2026, 9, 20, 9))  # September
    # 地下车库: parking hotspot (3) and two low ratings → 2 signals, score 3 + 6 = 9
    spots = [_order(session, c, "parking", day, garage) for _ in range(3)]
    _rate(session, spots[0], owner, (2, 2, 2), created_at=rated)
    _rate(session, spots[1], owner, (4, 4, 2), created_at=rated)
    # 南门: one low rating on its only order and four resolved gate faults → 2 signals,
    # score 3 + 4×2 = 11
    _rate(session, _order(session, c, "access_control", day, gate), owner, (1, 1, 1), rated)
    gate_lock = _equipment(session, c, gate, "南门门禁")
    for d in (3, 10, 17, 24):
        _fault(session, gate_lock, local(2026, 10, d, 8), local(2026, 10, d, 10))
    # 中心花园: a greening hotspot (5) alone → 1 signal, not a risk point
    for _ in range(5):
        _order(session, c, "greening", day, garden)
    # 1栋: two plumbing orders (no hotspot), a low rating and a resolved fault → 2 signals,
    # score 3 + 2 = 5
    pipes = [_order(session, c, "plumbing", day, b1) for _ in range(2)]
    _rate(session, pipes[0], owner, (5, 2, 5), created_at=rated)
    _fault(
        session, _equipment(session, c, b1, "1栋水泵"), local(2026, 10, 2, 8), local(2026, 10, 2, 9)
    )
    session.commit()

    points = risk_points(session=session, viewer=_viewer(manager), period=OCTOBER, now=NOW)
    assert [(p.area_name, p.signals, p.score) for p in points] == [
        ("3栋", 3, 13),
        ("南门", 2, 11),
        ("地下车库", 2, 9),
        ("1栋", 2, 5),
    ]
    top = points[0]
    assert (top.orders, top.hotspots, top.low_ratings, top.faults, top.open_faults) == (
        4, (("elevator", 4),), 1, 2, 1,
    )  # fmt: skip
    assert top.equipment == ("3栋电梯",)
    assert top.reasons("zh") == [
        "问题集中:电梯 4 单(单类 ≥ 3 单即为热点)",
        "低分评价 1 条(任一项 ≤ 2 星)",
        "设备故障 2 次:3栋电梯",
        "其中 1 次尚未修复",
    ]
    assert top.reason("en") == (
        "Problem hotspot: Elevator 4 (a category is a hotspot from 3 orders); "
        "1 low rating(s) (a score of 2 or less); 2 equipment fault(s): 3栋电梯; "
        "1 of them not yet resolved"
    )
    assert points[1].reasons("zh") == [
        "低分评价 1 条(任一项 ≤ 2 星)",
        "设备故障 4 次:南门门禁",
    ]
    assert points[2].reasons("zh") == [
        "问题集中:停车 3 单(单类 ≥ 3 单即为热点)",
        "低分评价 2 条(任一项 ≤ 2 星)",
    ]

    # Before the open lift fault happened (10-20), 3栋 had one fault, resolved: 4 + 3 + 2 = 9;
    # 南门 had three faults: 3 + 6 = 9, a tie with 地下车库 broken by name (南 U+5357 < 地 U+5730).
    earlier = risk_points(
        session=session, viewer=_viewer(manager), period=OCTOBER, now=local(2026, 10, 19, 12)
    )
    assert [(p.area_name, p.signals, p.score) for p in earlier] == [
        ("3栋", 3, 9),
        ("南门", 2, 9),
        ("地下车库", 2, 9),
        ("1栋", 2, 5),
    ]
