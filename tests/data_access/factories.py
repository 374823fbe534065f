"""Small builders for hand-made datasets. Each returns the row it added (flushed, with an id)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from sqlalchemy.orm import Session

from data_access.models import (
    Account,
    Area,
    Community,
    OwnerUnit,
    RectificationTicket,
    ServiceContract,
    ServiceItem,
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


def work_order(
    session: Session,
    community: Community,
    completed_at: dt.datetime | None = None,
    order_type: str = "repair",
    created_at: dt.datetime = T0,
    title: str = "楼道漏水",
    **fields: object,
) -> WorkOrder:
    row = WorkOrder(
        community_id=community.id, code=f"WO-{next(_codes)}", order_type=order_type,
        category="plumbing", priority="normal", title=title, description="",
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
