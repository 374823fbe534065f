"""Plan generation: service items → plan tasks, patrol plans → patrol shifts.

Both generators are idempotent: a task is keyed by (item, local due date, seq) and a shift by
(plan, local shift date, slot), and generating a period twice creates nothing new. They leave
alone the items and plans an operational system brought (``source`` set): their tasks and
shifts are read from that system. Dates are the community's local dates; window times are local
times of day, stored as UTC timestamps.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from collections.abc import Callable, Iterator
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from data_access.communities import community_zone
from data_access.models import (
    PatrolPlan,
    PatrolShift,
    PhotoAttachment,
    PlanTask,
    ServiceContract,
    ServiceItem,
)

GuardFor = Callable[[PatrolPlan, dt.date, int], int | None]


def generate_plan_tasks(
    *, session: Session, community_id: int, start: dt.date, end: dt.date
) -> int:
    """Create the missing plan tasks of ``community_id`` due from ``start`` to ``end`` inclusive.

    Returns the number of tasks created.
    """
    tz = community_zone(session, community_id)
    rows = session.execute(
        select(ServiceItem, ServiceContract.start_date, ServiceContract.end_date)
        .join(ServiceContract, ServiceItem.contract_id == ServiceContract.id)
        .where(
            ServiceContract.community_id == community_id,
            ServiceContract.start_date <= end,
            ServiceContract.end_date >= start,
            ServiceItem.valid_from <= end,
            or_(ServiceItem.valid_to.is_(None), ServiceItem.valid_to >= start),
            ServiceItem.source == "",  # an operational system's items bring their own tasks
        )
        .order_by(ServiceItem.id)
    ).all()
    if not rows:
        return 0
    existing = {
        tuple(key)
        for key in session.execute(
            select(PlanTask.item_id, PlanTask.due_date, PlanTask.seq).where(
                PlanTask.item_id.in_([item.id for item, _, _ in rows]),
                PlanTask.due_date >= start,
                PlanTask.due_date <= end,
            )
        )
    }
    new_tasks = []
    for item, contract_start, contract_end in rows:
        first = max(start, item.valid_from, contract_start)
        last = min(end, item.valid_to or end, contract_end)
        for day in _days(first, last):
            if not _occurs_on(item, day):
                continue
            for seq, (window_start, window_end) in enumerate(_windows(item, day, tz)):
                if (item.id, day, seq) in existing:
                    continue
                new_tasks.append(
                    {
                        "community_id": community_id,
                        "item_id": item.id,
                        "due_date": day,
                        "seq": seq,
                        "window_start_at": window_start,
                        "window_end_at": window_end,
                        "assignee_id": item.default_assignee_id,
                        "status": "planned",
                        "completed_at": None,
                        "note": "",
                    }
                )
    if new_tasks:
        session.execute(insert(PlanTask), new_tasks)
    return len(new_tasks)


CHANGEABLE_ITEM_FIELDS = frozenset(
    {"name", "standard", "recurrence", "times_per_day", "weekdays", "month_days",
     "window_start", "window_end", "expected_minutes", "area_id", "default_assignee_id"}
)  # fmt: skip


def change_service_item(
    *, session: Session, item_id: int, effective_from: dt.date, **changes: object
) -> ServiceItem:
    """Change a service item from ``effective_from`` (a local date) on, as a new version.

    The current version ends the day before; a new version with the changes starts on
    ``effective_from``. Tasks due earlier stay as generated. Of the later tasks, those nobody
    touched (still 'planned', no completion, no photo) are replaced by tasks of the new shape;
    touched ones are kept and move to the new version. Returns the new version.
    """
    unknown = set(changes) - CHANGEABLE_ITEM_FIELDS
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)} of a service item")
    old = session.get_one(ServiceItem, item_id)
    if effective_from <= old.valid_from:
        raise ValueError(f"a change must take effect after {old.valid_from}")
    community_id = session.scalar(
        select(ServiceContract.community_id).where(ServiceContract.id == old.contract_id)
    )
    assert community_id is not None
    horizon = session.scalar(select(func.max(PlanTask.due_date)).where(PlanTask.item_id == item_id))

    columns = {
        c.key: getattr(old, c.key) for c in ServiceItem.__mapper__.column_attrs if c.key != "id"
    }
    new = ServiceItem(**{**columns, **changes, "valid_from": effective_from})
    old.valid_to = effective_from - dt.timedelta(days=1)
    session.add(new)
    session.flush()

    later = (PlanTask.item_id == old.id, PlanTask.due_date >= effective_from)
    with_evidence = select(PhotoAttachment.plan_task_id).where(
        PhotoAttachment.plan_task_id.is_not(None)
    )
    untouched = (
        PlanTask.status == "planned",
        PlanTask.completed_at.is_(None),
        PlanTask.id.not_in(with_evidence),
    )
    session.execute(delete(PlanTask).where(*later, *untouched))
    session.execute(update(PlanTask).where(*later).values(item_id=new.id))
    if horizon is not None and horizon >= effective_from:
        generate_plan_tasks(
            session=session, community_id=community_id, start=effective_from, end=horizon
        )
    return new


def generate_patrol_shifts(
    *,
    session: Session,
    community_id: int,
    start: dt.date,
    end: dt.date,
    guard_for: GuardFor | None = None,
) -> int:
    """Create the missing patrol shifts of ``community_id`` from ``start`` to ``end`` inclusive.

    One shift per time slot of every patrol plan valid on the day. A slot that ends at or
    before its start (``23:30-00:10``) ends on the next day. ``guard_for(plan, day, slot_no)``
    may name the guard; otherwise shifts are created without one. Returns the number created.
    """
    tz = community_zone(session, community_id)
    plans = session.scalars(
        select(PatrolPlan)
        .where(
            PatrolPlan.community_id == community_id,
            PatrolPlan.valid_from <= end,
            or_(PatrolPlan.valid_to.is_(None), PatrolPlan.valid_to >= start),
            PatrolPlan.source == "",  # an operational system's plans bring their own shifts
        )
        .order_by(PatrolPlan.id)
    ).all()
    if not plans:
        return 0
    existing = {
        tuple(key)
        for key in session.execute(
            select(PatrolShift.plan_id, PatrolShift.shift_date, PatrolShift.slot_no).where(
                PatrolShift.plan_id.in_([p.id for p in plans]),
                PatrolShift.shift_date >= start,
                PatrolShift.shift_date <= end,
            )
        )
    }
    new_shifts = []
    for plan in plans:
        slots = parse_time_slots(plan.time_slots)
        for day in _days(max(start, plan.valid_from), min(end, plan.valid_to or end)):
            for slot_no, (slot_start, slot_end) in enumerate(slots):
                if (plan.id, day, slot_no) in existing:
                    continue
                end_day = day if slot_end > slot_start else day + dt.timedelta(days=1)
                new_shifts.append(
                    {
                        "community_id": community_id,
                        "plan_id": plan.id,
                        "shift_date": day,
                        "slot_no": slot_no,
                        "guard_id": guard_for(plan, day, slot_no) if guard_for else None,
                        "planned_start_at": local_to_utc(day, slot_start, tz),
                        "planned_end_at": local_to_utc(end_day, slot_end, tz),
                        "started_at": None,
                        "ended_at": None,
                        "distance_m": None,
                    }
                )
    if new_shifts:
        session.execute(insert(PatrolShift), new_shifts)
    return len(new_shifts)


def parse_time_slots(text: str) -> list[tuple[dt.time, dt.time]]:
    """``"08:00-08:40,14:00-14:40"`` → [(08:00, 08:40), (14:00, 14:40)]."""
    slots = []
    for part in text.split(","):
        if not part.strip():
            continue
        start, _, end = part.strip().partition("-")
        slots.append((dt.time.fromisoformat(start.strip()), dt.time.fromisoformat(end.strip())))
    return slots


def local_to_utc(day: dt.date, time: dt.time, tz: ZoneInfo) -> dt.datetime:
    """The naive UTC timestamp of local ``day`` at ``time`` in ``tz``."""
    local = dt.datetime.combine(day, time, tzinfo=tz)
    return local.astimezone(dt.UTC).replace(tzinfo=None)


# --- helpers -----------------------------------------------------------------------------------
def _days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def _numbers(text: str) -> set[int]:
    return {int(part) for part in text.split(",") if part.strip()}


def _occurs_on(item: ServiceItem, day: dt.date) -> bool:
    return occurs_on(
        day, recurrence=item.recurrence, weekdays=item.weekdays, month_days=item.month_days
    )


def occurs_on(day: dt.date, *, recurrence: str, weekdays: str, month_days: str) -> bool:
    """Whether an item of this recurrence falls on ``day``: every day; on the ISO weekdays
    listed ("1,3,5"); or on the month days listed ("1,15"), where a day the month lacks (31 in
    April, 30 in February) falls on the month's last day. The one rule — the large seed uses it
    too."""
    if recurrence == "daily":
        return True
    if recurrence == "weekly":
        return day.isoweekday() in _numbers(weekdays)
    if recurrence == "monthly":
        last_day = monthrange(day.year, day.month)[1]
        return day.day in {min(d, last_day) for d in _numbers(month_days)}
    raise ValueError(f"unknown recurrence: {recurrence!r}")


def _windows(
    item: ServiceItem, day: dt.date, tz: ZoneInfo
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The day's ``times_per_day`` windows: [window_start, window_end) split into equal parts."""
    start = dt.datetime.combine(day, item.window_start)
    span = (dt.datetime.combine(day, item.window_end) - start).total_seconds()
    parts = max(1, item.times_per_day)
    bounds = [start + dt.timedelta(seconds=round(span * i / parts)) for i in range(parts + 1)]
    return [(_to_utc(bounds[i], tz), _to_utc(bounds[i + 1], tz)) for i in range(parts)]


def _to_utc(local: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    return local.replace(tzinfo=tz).astimezone(dt.UTC).replace(tzinfo=None)
