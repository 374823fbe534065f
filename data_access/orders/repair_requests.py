"""我要报修: an owner (or committee member) reports a repair, which becomes a work order of type
"repair" at its first stage (提交) — from then on the same order as any other: the company moves
it on the console, the owner follows it on 我的工单 and rates it when it is completed.

The place is either a public area of the community (the order is public: everyone in the
community sees it on the board) or one of the owner's own units (an in-home order: private,
seen by the owner, the committee masked and managers). Deadlines come from the contract's SLA
rules like every order's. A community whose orders come from an operational system (a sync
source) takes repairs there: reporting here is refused (``repair.use_source``) so that no repair
waits in a place the company does not work from; the page says where to report instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.errors import DomainError, NotAllowed
from data_access.flows import flow_of
from data_access.imports.order_import import ContractDeadlines
from data_access.media.photos import attach_photo, current_media_dir, store_photo
from data_access.models import (
    WORK_ORDER_CATEGORIES,
    Area,
    Community,
    OwnerUnit,
    Unit,
    WorkOrder,
    WorkOrderEvent,
)
from data_access.sync.status import source_of
from data_access.text_input import clean_text
from data_access.tickets.ticket_commands import OWNER_ROLES, lock_account
from data_access.timestamps import local_date, to_stored_utc, zone_named

DESCRIPTION_MIN = 4
DESCRIPTION_MAX = 1000
TITLE_CHARS = 30  # the order's title: the start of the description
MAX_PHOTOS = 6
MAX_REPAIRS_PER_DAY = 10  # an owner's own reports per local day (spam limit)
CODE_PREFIX = "BX"  # BX + local date + per-day number, as the seed and the simulator number them
CODE_ATTEMPTS = 5
# The visit slots an owner may ask for (labels in i18n under "repair.slot_*"); public-area
# repairs need no visit and ask for none.
VISIT_SLOTS = (
    "any",
    "weekday_morning",
    "weekday_afternoon",
    "weekday_evening",
    "weekend_morning",
    "weekend_afternoon",
)


def report_repair(
    *,
    session: Session,
    viewer: Viewer,
    category: str,
    description: str,
    area_id: int | None = None,
    unit_id: int | None = None,
    visit_slot: str = "",
    photos: Sequence[bytes] = (),
    media_dir: Path | None = None,
    now: dt.datetime,
) -> int:
    """Record the owner's repair as a new work order and return its id.

    Exactly one of ``area_id`` (a public area of the viewer's community) and ``unit_id`` (a unit
    the viewer holds) says where. ``visit_slot`` (one of ``VISIT_SLOTS``) is asked for in-home
    repairs only. Photos (at most ``MAX_PHOTOS``) are the order's "before" photos.

    Raises ``NotAllowed``: ``repair.not_allowed`` (not an owner or committee member);
    ``DomainError``: ``repair.use_source``, ``repair.category_invalid``,
    ``repair.description_invalid``, ``repair.place_required``, ``repair.area_invalid``,
    ``repair.unit_invalid``, ``repair.slot_invalid``, ``repair.too_many_photos``,
    ``repair.daily_limit_reached``, one of ``upload.*``.
    """
    now = to_stored_utc(now)
    if viewer.role not in OWNER_ROLES:
        raise NotAllowed("repair.not_allowed")
    if source_of(session, viewer.community_id) is not None:
        raise DomainError("repair.use_source")
    if category not in WORK_ORDER_CATEGORIES:
        raise DomainError("repair.category_invalid")
    description = clean_text(description)
    if not DESCRIPTION_MIN <= len(description) <= DESCRIPTION_MAX:
        raise DomainError("repair.description_invalid", min=DESCRIPTION_MIN, max=DESCRIPTION_MAX)
    if len(photos) > MAX_PHOTOS:
        raise DomainError("repair.too_many_photos", max=MAX_PHOTOS)
    if (area_id is None) == (unit_id is None):
        raise DomainError("repair.place_required")
    in_home = unit_id is not None
    if in_home and visit_slot not in VISIT_SLOTS:
        raise DomainError("repair.slot_invalid")
    area_id, location = (
        _own_unit(session, viewer, unit_id) if unit_id is not None
        else _public_area(session, viewer, area_id)
    )  # fmt: skip

    community = session.get_one(Community, viewer.community_id)
    local_day = local_date(now, zone_named(community.time_zone))
    lock_account(session, viewer.account_id)
    _check_daily_limit(session, viewer, community, local_day)
    respond_due, resolve_due = ContractDeadlines(session, community.id, community.time_zone).due(
        now, "repair", category, "normal"
    )
    with session.begin_nested():
        order = _insert_numbered(
            session,
            community_id=community.id,
            local_day=local_day,
            source="app",
            order_type="repair",
            category=category,
            priority="normal",
            title=_title(description),
            description=description,
            area_id=area_id,
            unit_id=unit_id,
            location=location,
            visibility="private" if in_home else "public",
            reporter_id=viewer.account_id,
            reporter_name=viewer.display_name[:50],
            created_at=now,
            respond_due_at=respond_due,
            resolve_due_at=max(resolve_due, respond_due),
            preferred_visit=visit_slot if in_home else "",
            version=1,
        )
        event = WorkOrderEvent(
            work_order_id=order.id,
            stage=flow_of("repair")[0].code,
            occurred_at=now,
            actor_name=viewer.display_name[:50],
            actor_account_id=viewer.account_id,
            note="",
        )
        session.add(event)
        session.flush()
        folder = media_dir if media_dir is not None else current_media_dir()
        for data in photos:
            photo = store_photo(session=session, data=data, media_dir=folder, uploaded_at=now)
            attach_photo(
                session=session, photo=photo, kind="before", attached_at=now,
                work_order_id=order.id, work_order_event_id=event.id, caption=order.title,
            )  # fmt: skip
    return order.id


def my_units(*, session: Session, viewer: Viewer) -> list[tuple[int, str]]:
    """The units the viewer holds, as (unit id, "3栋2单元1201"), for the form's place."""
    rows = session.execute(
        select(Unit.id, Area.name, Unit.entrance, Unit.room)
        .join(Area, Unit.building_id == Area.id)
        .join(OwnerUnit, OwnerUnit.unit_id == Unit.id)
        .where(OwnerUnit.account_id == viewer.account_id, Unit.community_id == viewer.community_id)
        .order_by(Unit.id)
    )
    return [(unit_id, f"{name}{entrance}单元{room}") for unit_id, name, entrance, room in rows]


def _title(description: str) -> str:
    first_line = description.splitlines()[0].strip() if description else ""
    return first_line[:TITLE_CHARS] + ("…" if len(first_line) > TITLE_CHARS else "")


def _own_unit(session: Session, viewer: Viewer, unit_id: int) -> tuple[int, str]:
    """(the unit's building, "3栋2单元1201") for a unit the viewer holds."""
    row = session.execute(
        select(Area.id, Area.name, Unit.entrance, Unit.room)
        .join(Unit, Unit.building_id == Area.id)
        .join(OwnerUnit, OwnerUnit.unit_id == Unit.id)
        .where(
            Unit.id == unit_id,  # (any id: no row unless it is one of the viewer's units)
            OwnerUnit.account_id == viewer.account_id,
            Unit.community_id == viewer.community_id,
        )
    ).one_or_none()
    if row is None:
        raise DomainError("repair.unit_invalid")
    return row.id, f"{row.name}{row.entrance}单元{row.room}"


def _public_area(session: Session, viewer: Viewer, area_id: int | None) -> tuple[int, str]:
    area = session.get(Area, area_id) if area_id is not None else None
    if area is None or area.community_id != viewer.community_id:
        raise DomainError("repair.area_invalid")
    return area.id, area.name


def _check_daily_limit(
    session: Session, viewer: Viewer, community: Community, local_day: dt.date
) -> None:
    zone = zone_named(community.time_zone)
    start = dt.datetime.combine(local_day, dt.time(), zone).astimezone(dt.UTC)
    end = start + dt.timedelta(days=1)
    count = session.scalar(
        select(func.count())
        .select_from(WorkOrder)
        .where(
            WorkOrder.community_id == community.id,
            WorkOrder.reporter_id == viewer.account_id,
            WorkOrder.source == "app",
            WorkOrder.created_at >= start.replace(tzinfo=None),
            WorkOrder.created_at < end.replace(tzinfo=None),
        )
    )
    if (count or 0) >= MAX_REPAIRS_PER_DAY:
        raise DomainError("repair.daily_limit_reached", max=MAX_REPAIRS_PER_DAY)


def _insert_numbered(
    session: Session, *, community_id: int, local_day: dt.date, **fields: object
) -> WorkOrder:
    """Insert the order with the next free repair code of its community and local day."""
    prefix = f"{CODE_PREFIX}{local_day:%Y%m%d}"
    for _ in range(CODE_ATTEMPTS):
        last = session.scalar(
            select(func.max(WorkOrder.code)).where(
                WorkOrder.community_id == community_id, WorkOrder.code.like(f"{prefix}%")
            )
        )
        tail = last[len(prefix) :] if last else ""
        number = int(tail) + 1 if tail.isdigit() else 1
        order = WorkOrder(community_id=community_id, code=f"{prefix}{number:03d}", **fields)
        try:
            with session.begin_nested():
                session.add(order)
                session.flush()
        except IntegrityError:
            session.expunge(order)
            continue
        return order
    raise DomainError("repair.try_again")
