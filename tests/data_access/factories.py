"""Small builders for hand-made datasets. Each returns the row it added (flushed, with an id)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import TypedDict, Unpack
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.models import (
    Account,
    Area,
    Checkpoint,
    Community,
    OwnerUnit,
    PatrolCheckin,
    PatrolPlan,
    PatrolRoute,
    PatrolShift,
    Photo,
    PhotoAttachment,
    PlanTask,
    Rating,
    RectificationTicket,
    ServiceContract,
    ServiceItem,
    SlaRule,
    Staff,
    TicketEvent,
    Unit,
    WorkOrder,
)

T0 = dt.datetime(2026, 10, 1, 2, 0)  # 10:00 Asia/Shanghai
_codes = itertools.count(1)


def community(session: Session, code: str = "", name: str = "测试小区") -> Community:
    row = Community(code=code or f"C{next(_codes)}", name=name, city="杭州", address="测试路1号")
    session.add(row)
    session.flush()
    return row


def building(session: Session, community: Community, name: str = "1栋") -> Area:
    row = Area(community_id=community.id, name=name, kind="building", x=10.0, y=20.0)
    session.add(row)
    session.flush()
    return row


def unit(session: Session, building: Area, entrance: int = 1, room: str = "101") -> Unit:
    row = Unit(
        community_id=building.community_id, building_id=building.id, entrance=entrance,
        room=room, floor_area_m2=89.5,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def account(
    session: Session,
    community: Community,
    role: str = "owner",
    username: str = "",
    password_hash: str = "!",
    units: tuple[Unit, ...] = (),
    is_active: bool = True,
) -> Account:
    row = Account(
        username=username or f"user{next(_codes)}", display_name="张三", phone="13812341234",
        password_hash=password_hash, role=role, community_id=community.id,
        is_active=is_active, created_at=T0,
    )  # fmt: skip
    session.add(row)
    session.flush()
    for u in units:
        session.add(OwnerUnit(account_id=row.id, unit_id=u.id))
    session.flush()
    return row


def contract(
    session: Session,
    community: Community,
    start: dt.date = dt.date(2026, 1, 1),
    end: dt.date = dt.date(2026, 12, 31),
) -> ServiceContract:
    row = ServiceContract(
        community_id=community.id, code=f"HT-{next(_codes)}", start_date=start, end_date=end,
        fee_per_m2_month=Decimal("2.80"), service_level="一级", target_plan_completion=0.95,
        target_actual_completion=0.98, target_timeliness=0.9, target_rectification=0.9,
        target_satisfaction=4.5, target_reply_timeliness=0.95,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def service_item(session: Session, contract: ServiceContract, **fields: object) -> ServiceItem:
    """A daily cleaning item, 08:00–09:00 local, unless ``fields`` say otherwise."""
    values: dict[str, object] = dict(
        code=f"SI-{next(_codes)}", name="大堂保洁", tier="basic", category="cleaning",
        standard="地面无污渍、无杂物", recurrence="daily", window_start=dt.time(8, 0),
        window_end=dt.time(9, 0), expected_minutes=30, valid_from=contract.start_date,
    )  # fmt: skip
    values.update(fields)
    row = ServiceItem(contract_id=contract.id, **values)
    session.add(row)
    session.flush()
    return row


class OrderDetails(TypedDict, total=False):
    """WorkOrder columns the order factories leave at the model's defaults unless told."""

    external_id: str | None
    source: str
    area_id: int | None
    unit_id: int | None
    location: str
    visibility: str
    reporter_id: int | None
    reporter_name: str
    reporter_phone: str
    assignee_id: int | None


class OrderFields(OrderDetails, total=False):
    """What ``work_order`` takes beyond its named parameters."""

    responded_at: dt.datetime | None
    version: int


class StagedOrderFields(OrderDetails, total=False):
    """What ``order_at_stage`` takes beyond its named parameters (it sets the timestamps and
    the version itself)."""

    title: str
    description: str


def work_order(
    session: Session,
    community: Community,
    completed_at: dt.datetime | None = None,
    order_type: str = "repair",
    created_at: dt.datetime = T0,
    title: str = "楼道漏水",
    description: str = "",
    **fields: Unpack[OrderFields],
) -> WorkOrder:
    row = WorkOrder(
        community_id=community.id, code=f"WO-{next(_codes)}", order_type=order_type,
        category="plumbing", priority="normal", title=title, description=description,
        created_at=created_at, respond_due_at=created_at + dt.timedelta(minutes=30),
        resolve_due_at=created_at + dt.timedelta(hours=72), completed_at=completed_at, **fields,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def ticket(
    session: Session, community: Community, status: str = "submitted"
) -> RectificationTicket:
    row = RectificationTicket(
        community_id=community.id, code=f"ZG-{next(_codes)}", source="owner", title="垃圾清运不及时",
        category="cleaning", status=status, created_at=T0,
        accept_due_at=T0 + dt.timedelta(hours=24), fix_due_at=T0 + dt.timedelta(days=7),
        reject_reason="不属于物业服务范围" if status == "rejected" else "",
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def minimal_order(session: Session) -> dict[str, int]:
    """A community, an owner and a completed order: the ids a rating needs."""
    c = community(session)
    owner = account(session, c)
    order = work_order(session, c, completed_at=T0 + dt.timedelta(hours=5))
    return {"community_id": c.id, "work_order_id": order.id, "owner_id": owner.id}


# --- KPI datasets (tests/data_access/test_kpis.py) -------------------------------------------------
# A rated order is made long before any period under test, so it never counts in one.
_LONG_AGO = dt.datetime(2020, 1, 1, 2, 0)


def local(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, tz: str = "Asia/Shanghai"
) -> dt.datetime:
    """The naive-UTC timestamp of a local wall-clock time (how timestamps are stored)."""
    moment = dt.datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(tz))
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def plan_task(
    session: Session,
    item: ServiceItem,
    due_date: dt.date,
    completed_at: dt.datetime | None = None,
    status: str = "",
    seq: int = 0,
) -> PlanTask:
    """A task of ``item`` due on the local ``due_date``, in the item's local window that day.

    Status defaults to 'done' when ``completed_at`` is given, else 'planned'.
    """
    contract = session.get_one(ServiceContract, item.contract_id)
    zone = session.get_one(Community, contract.community_id).time_zone
    start, end = (
        dt.datetime.combine(due_date, moment, ZoneInfo(zone))
        .astimezone(dt.UTC)
        .replace(tzinfo=None)
        for moment in (item.window_start, item.window_end)
    )
    row = PlanTask(
        community_id=contract.community_id, item_id=item.id, due_date=due_date, seq=seq,
        window_start_at=start, window_end_at=end, completed_at=completed_at,
        status=status or ("done" if completed_at else "planned"),
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def rating(
    session: Session,
    community: Community,
    scores: tuple[int, int, int] = (5, 5, 5),
    created_at: dt.datetime = T0,
    replied_at: dt.datetime | None = None,
    reply_due_at: dt.datetime | None = None,
) -> Rating:
    """A rating (speed, attitude, quality) of a new owner's order completed long ago.

    The reply is due 24 h after ``created_at`` unless ``reply_due_at`` says otherwise.
    """
    owner = account(session, community)
    order = work_order(
        session, community, created_at=_LONG_AGO, completed_at=_LONG_AGO + dt.timedelta(hours=3)
    )
    speed, attitude, quality = scores
    row = Rating(
        community_id=community.id, work_order_id=order.id, owner_id=owner.id,
        score_speed=speed, score_attitude=attitude, score_quality=quality,
        created_at=created_at, updated_at=created_at,
        reply_due_at=reply_due_at or created_at + dt.timedelta(hours=24),
        reply="已回复" if replied_at else "", replied_at=replied_at,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def rectification_ticket(
    session: Session,
    community: Community,
    created_at: dt.datetime = T0,
    moves: tuple[tuple[str, dt.datetime], ...] = (),
    log_moves: bool = True,
) -> RectificationTicket:
    """A ticket opened at ``created_at`` that then moved through ``moves`` ((status, when), …).

    Accept deadline 24 h, fix deadline 7 days after creation; ``status``, ``accepted_at`` and
    ``closed_at`` follow the moves. Each move, after the opening, appends a TicketEvent, unless
    ``log_moves`` is False (a ticket imported without its event log: no events at all).
    """
    status = moves[-1][0] if moves else "submitted"
    times = dict(moves)
    row = RectificationTicket(
        community_id=community.id, code=f"ZG-{next(_codes)}", source="owner", title="垃圾清运不及时",
        category="cleaning", status=status, created_at=created_at,
        accept_due_at=created_at + dt.timedelta(hours=24),
        fix_due_at=created_at + dt.timedelta(days=7),
        accepted_at=times.get("accepted"), closed_at=times.get("closed"),
        reject_reason="不属于物业服务范围" if status == "rejected" else "",
    )  # fmt: skip
    session.add(row)
    session.flush()
    previous = None
    for to_status, occurred_at in (("submitted", created_at), *moves) if log_moves else ():
        event = TicketEvent(ticket_id=row.id, from_status=previous, to_status=to_status,
                            occurred_at=occurred_at, actor_name="测试")  # fmt: skip
        session.add(event)
        previous = to_status
    session.flush()
    return row


# --- patrols (tests/data_access/test_patrols.py) ----------------------------------------------------
def staff(
    session: Session, community: Community, name: str = "王建国", post: str = "保安"
) -> Staff:
    row = Staff(
        community_id=community.id, name=name, phone="13900001111", post=post, team="安防一班"
    )
    session.add(row)
    session.flush()
    return row


def patrol_route(
    session: Session,
    community: Community,
    points: tuple[tuple[str, float, float, bool], ...],
    name: str = "全园巡逻",
) -> tuple[PatrolRoute, list[Checkpoint]]:
    """A route and its checkpoints (name, x, y, photo_required), numbered 1… in that order."""
    route = PatrolRoute(community_id=community.id, name=name)
    session.add(route)
    session.flush()
    checkpoints = [
        Checkpoint(route_id=route.id, seq=seq, name=n, x=x, y=y, photo_required=photo)
        for seq, (n, x, y, photo) in enumerate(points, start=1)
    ]
    session.add_all(checkpoints)
    session.flush()
    return route, checkpoints


def patrol_plan(
    session: Session, community: Community, route: PatrolRoute, **fields: object
) -> PatrolPlan:
    """A guard post's plan for ``route``: 08:00–08:45 and 14:00–14:45, 45 min, 1000 m."""
    values: dict[str, object] = dict(
        name="白班巡检", post="保安", times_per_day=2, time_slots="08:00-08:45,14:00-14:45",
        expected_minutes=45, expected_distance_m=1000.0, valid_from=dt.date(2026, 1, 1),
    )  # fmt: skip
    values.update(fields)
    row = PatrolPlan(community_id=community.id, route_id=route.id, **values)
    session.add(row)
    session.flush()
    return row


def patrol_shift(
    session: Session,
    plan: PatrolPlan,
    shift_date: dt.date,
    planned: tuple[dt.datetime, dt.datetime],
    slot_no: int = 0,
    guard: Staff | None = None,
    started_at: dt.datetime | None = None,
    ended_at: dt.datetime | None = None,
    distance_m: float | None = None,
) -> PatrolShift:
    """A shift of ``plan`` on local ``shift_date``; ``planned`` = (start, end) in naive UTC."""
    row = PatrolShift(
        community_id=plan.community_id, plan_id=plan.id, shift_date=shift_date, slot_no=slot_no,
        guard_id=guard.id if guard else None, planned_start_at=planned[0],
        planned_end_at=planned[1], started_at=started_at, ended_at=ended_at,
        distance_m=distance_m,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def patrol_checkin(
    session: Session, shift: PatrolShift, checkpoint: Checkpoint, checked_at: dt.datetime
) -> PatrolCheckin:
    row = PatrolCheckin(shift_id=shift.id, checkpoint_id=checkpoint.id, checked_at=checked_at)
    session.add(row)
    session.flush()
    return row


def checkin_photo(session: Session, checkin: PatrolCheckin) -> PhotoAttachment:
    """A photo row (no file) attached to ``checkin`` as evidence."""
    photo = Photo(
        sha256=f"{next(_codes):064x}", mime_type="image/jpeg", size_bytes=1000, width=640,
        height=480, taken_at=checkin.checked_at, uploaded_at=checkin.checked_at,
    )  # fmt: skip
    session.add(photo)
    session.flush()
    row = PhotoAttachment(
        photo_id=photo.id, kind="evidence", checkin_id=checkin.id, caption="巡检打卡",
        attached_at=checkin.checked_at,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


# --- work orders with their event log (tests/data_access/test_order_commands.py, simulator) -------
def order_at_stage(
    session: Session,
    community: Community,
    order_type: str = "repair",
    stage: str = "",
    created_at: dt.datetime = T0,
    with_parts: bool = False,
    step: dt.timedelta = dt.timedelta(minutes=10),
    **fields: Unpack[StagedOrderFields],
) -> WorkOrder:
    """An order of ``order_type`` whose events walk its flow from the first stage up to
    ``stage`` (default: the first), ``step`` apart from ``created_at``. The optional parts
    stage is included only ``with_parts``. ``responded_at``, ``completed_at`` and ``version``
    (= number of events) match the events, as the commands would leave them."""
    from data_access.flows import FINAL_STAGE, RESPONSE_STAGE, WORK_ORDER_FLOWS
    from data_access.models import WorkOrderEvent

    flow = [s.code for s in WORK_ORDER_FLOWS[order_type] if with_parts or not s.optional]
    stages = flow[: flow.index(stage or flow[0]) + 1]
    times = [created_at + step * i for i in range(len(stages))]
    reached = dict(zip(stages, times, strict=True))
    response = flow.index(RESPONSE_STAGE[order_type])
    order = work_order(
        session, community, order_type=order_type, created_at=created_at,
        responded_at=times[response] if len(stages) > response else None,
        completed_at=reached.get(FINAL_STAGE), version=len(stages), **fields,
    )  # fmt: skip
    session.add_all(
        WorkOrderEvent(work_order_id=order.id, stage=code, occurred_at=at, actor_name="测试")
        for code, at in reached.items()
    )
    session.flush()
    return order


# --- imports (tests/data_access/test_imports.py) -----------------------------------------------------
def sla_rule(
    session: Session,
    contract: ServiceContract,
    order_type: str = "repair",
    category: str = "*",
    priority: str = "normal",
    respond_minutes: int = 30,
    resolve_minutes: int = 72 * 60,
) -> SlaRule:
    row = SlaRule(
        contract_id=contract.id, order_type=order_type, category=category, priority=priority,
        respond_minutes=respond_minutes, resolve_minutes=resolve_minutes,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def viewer_of(account: Account) -> Viewer:
    """The account as the viewer the queries and commands take."""
    return Viewer(
        account_id=account.id, username=account.username, display_name=account.display_name,
        role=account.role, community_id=account.community_id,
    )  # fmt: skip
