"""The live simulator: stands in for the operational system in demos (``manage.py simulate``).

Every ``pace_seconds`` one *tick* picks a few open work orders and moves each one stage
forward through the commands of ``data_access.orders.order_commands`` (so it obeys the same rules as
a manager: no required stage skipped, never a completed order), with a note in the words the
demo data uses (``seed.texts.STAGE_NOTES``). Some repairs go through parts procurement (a part
is ordered, then arrives); a completed order gets an "after" photo drawn by ``seed.photos``.
Now and then a new public repair or complaint is reported, so the board keeps changing.

Each tick is one short write transaction. All choices come from one ``random.Random(rng_seed)``,
so a run is reproducible on the same database — except the timestamps, which are the real now.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, sessionmaker

from data_access.communities import community_id_by_code
from data_access.db import write_session
from data_access.errors import DomainError
from data_access.flows import FINAL_STAGE, flow_of
from data_access.models import (
    Account,
    Area,
    Community,
    PhotoAttachment,
    ServiceContract,
    SlaRule,
    Staff,
    WorkOrder,
    WorkOrderEvent,
    WorkOrderPart,
)
from data_access.orders.order_commands import (
    PARTS_STAGE,
    add_order_note,
    add_part,
    advance_order,
    attach_order_photo,
    current_stage,
    mark_parts_arrived,
    next_stages,
)
from i18n import label
from seed.photos import draw_photo
from seed.texts import COMPLAINTS, REPAIRS, STAGE_NOTES, Problem, place_and_subject
from seed.work_orders import CODE_PREFIX, POST_FOR_CATEGORY

PACE_SECONDS = 5.0
ORDERS_PER_TICK = 3  # open orders moved per tick
NEW_ORDER_CHANCE = 0.3  # per tick: a new public order is reported
NEW_COMPLAINT_SHARE = 0.25  # of new orders, the rest are repairs
PARTS_CHANCE = 0.3  # a dispatched repair needs parts first
OWNER_REPORTS_SHARE = 0.7  # new orders reported by an owner, else found on patrol
AFTER_PHOTO_TYPES = ("repair", "complaint", "rectification")  # a brand service has no "after"
# When a community has no contract in force: default SLA minutes (respond, resolve) per priority.
DEFAULT_SLA = {"urgent": (15, 4 * 60), "normal": (30, 72 * 60), "low": (60, 168 * 60)}
ARRIVED_NOTE = "{part}已到货,已联系业主约定上门时间"

# Public problems only: a simulated stranger's home is nobody's business.
_PUBLIC_PROBLEMS = {
    "repair": [p for p in REPAIRS if p.where != "home"],
    "complaint": [p for p in COMPLAINTS if p.where != "home"],
}


def _parts_by_category() -> dict[str, tuple[str, ...]]:
    """The parts the demo's repair problems may need, per category (from ``seed.texts``)."""
    names: dict[str, dict[str, None]] = {}
    for problem in REPAIRS:
        names.setdefault(problem.category, {}).update(dict.fromkeys(problem.parts))
    return {category: tuple(parts) for category, parts in names.items() if parts}


_PARTS_BY_CATEGORY = _parts_by_category()


@dataclass(frozen=True)
class Change:
    """One thing the simulator did: a stage reached, a note, or a new order (``from_stage``
    None)."""

    at: dt.datetime  # naive UTC
    time_zone: str
    community_code: str
    order_code: str
    from_stage: str | None
    to_stage: str
    text: str = ""  # the note, or a new order's title

    def line(self) -> str:
        """``10:31:05 CUIHU BX20261124003 施工中 → 待验收`` (local time, Chinese labels)."""
        local = self.at.replace(tzinfo=dt.UTC).astimezone(ZoneInfo(self.time_zone))
        head = f"{local:%H:%M:%S} {self.community_code} {self.order_code}"
        to = label("stage", self.to_stage)
        if self.from_stage is None:
            return f"{head} 新工单 {to} · {self.text}"
        if self.from_stage == self.to_stage:
            return f"{head} {to} · {self.text}"
        return f"{head} {label('stage', self.from_stage)} → {to}"


@dataclass
class SimulationResult:
    ticks: int = 0
    changes: list[Change] = field(default_factory=list)
    interrupted: bool = False  # stopped by Ctrl-C (or SIGTERM turned into it)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _echo(line: str) -> None:
    print(line, flush=True)  # flushed: the simulator often runs in the background of a pipe


def run_simulation(
    *,
    session_factory: sessionmaker[Session],
    pace_seconds: float = PACE_SECONDS,
    steps: int | None = None,
    communities: Sequence[str] | None = None,
    media_dir: Path,
    rng_seed: int | None = None,
    now_fn: Callable[[], dt.datetime] = utc_now,
    orders_per_tick: int = ORDERS_PER_TICK,
    new_order_chance: float = NEW_ORDER_CHANCE,
    echo: Callable[[str], None] = _echo,
    sleep: Callable[[float], None] = time.sleep,
) -> SimulationResult:
    """Run ticks every ``pace_seconds`` until ``steps`` ticks ran (forever if None) or
    Ctrl-C. ``communities`` are codes (default: all). Prints one line per change."""
    if pace_seconds < 0 or (steps is not None and steps < 0):
        raise ValueError("pace_seconds and steps must not be negative")
    rng = random.Random(rng_seed)
    with session_factory() as session:
        scope = _scope(session, communities)
    result = SimulationResult()
    next_tick = time.monotonic()
    try:
        while steps is None or result.ticks < steps:
            if result.ticks:
                next_tick += pace_seconds
                delay = next_tick - time.monotonic()
                if delay > 0:
                    sleep(delay)
                else:  # a slow tick: carry on from now rather than catch up in a burst
                    next_tick = time.monotonic()
            with write_session(session_factory) as session:
                changes = simulate_tick(
                    session=session,
                    rng=rng,
                    scope=scope,
                    now=now_fn().replace(microsecond=0),
                    media_dir=media_dir,
                    orders_per_tick=orders_per_tick,
                    new_order_chance=new_order_chance,
                )
            result.ticks += 1
            for change in changes:  # after the commit: only what really happened
                echo(change.line())
            result.changes += changes
    except KeyboardInterrupt:
        result.interrupted = True  # an unfinished tick was rolled back by write_session
    return result


@dataclass(frozen=True)
class _Community:
    id: int
    code: str
    time_zone: str


def _scope(session: Session, codes: Sequence[str] | None) -> list[_Community]:
    query = select(Community.id, Community.code, Community.time_zone).order_by(Community.id)
    if codes:
        ids = [community_id_by_code(session=session, code=code) for code in codes]
        query = query.where(Community.id.in_(ids))
    return [_Community(*row) for row in session.execute(query)]


# --- one tick ---------------------------------------------------------------------------------
def simulate_tick(
    *,
    session: Session,
    rng: random.Random,
    scope: Sequence[_Community],
    now: dt.datetime,
    media_dir: Path,
    orders_per_tick: int = ORDERS_PER_TICK,
    new_order_chance: float = NEW_ORDER_CHANCE,
) -> list[Change]:
    """Move up to ``orders_per_tick`` open orders of ``scope`` one step; maybe report a new
    order. Runs in the caller's (write) session."""
    if not scope:
        return []
    by_id = {c.id: c for c in scope}
    open_ids = session.scalars(
        select(WorkOrder.id)
        .where(
            WorkOrder.community_id.in_(by_id),
            WorkOrder.completed_at.is_(None),
            WorkOrder.created_at <= now,  # never write an event before the order existed
        )
        .order_by(WorkOrder.id)
    ).all()
    changes = []
    for order_id in rng.sample(open_ids, min(orders_per_tick, len(open_ids))):
        order = session.get_one(WorkOrder, order_id)
        try:
            with session.begin_nested():  # one order refused must not undo the others
                change = _step(session, rng, order, by_id[order.community_id], now, media_dir)
        except DomainError:
            continue
        changes.append(change)
    if rng.random() < new_order_chance:
        changes.append(_report_new_order(session, rng, rng.choice(scope), now, media_dir))
    return changes


def _step(
    session: Session,
    rng: random.Random,
    order: WorkOrder,
    community: _Community,
    now: dt.datetime,
    media_dir: Path,
) -> Change:
    """Move ``order`` one stage forward (or, waiting for parts, let them arrive)."""
    stage = current_stage(session=session, order=order)
    people = _People.of(session, order)
    if stage == PARTS_STAGE and _parts_pending(session, order):
        mark_parts_arrived(session=session, order_id=order.id, at=now)
        part = _part_names(session, order)
        note = ARRIVED_NOTE.format(part=part)
        worker = people.worker()
        add_order_note(
            session=session, order_id=order.id, note=note, at=now, actor_name=worker.name,
            actor_staff_id=worker.staff_id,
        )  # fmt: skip
        return _change(community, order, stage, stage, now, note)

    options = next_stages(order.order_type, stage)
    target = options[-1]  # the next required stage
    part = ""
    parts = _PARTS_BY_CATEGORY.get(order.category, ())
    if PARTS_STAGE in options and parts and rng.random() < PARTS_CHANCE:
        target = PARTS_STAGE
        part = rng.choice(parts)
    actor = people.actor_for(order.order_type, target)
    note = _note(rng, order, target, worker=people.worker().name, part=part, now=now, tz=community)
    event = advance_order(
        session=session, order_id=order.id, to_stage=target, at=now, actor_name=actor.name,
        actor_staff_id=actor.staff_id, actor_account_id=actor.account_id, note=note,
    )  # fmt: skip
    if target == PARTS_STAGE:
        add_part(session=session, order_id=order.id, name=part, quantity=rng.choice((1, 1, 2)),
                 at=now)  # fmt: skip
    if (
        target == FINAL_STAGE
        and order.order_type in AFTER_PHOTO_TYPES
        and not _has_after_photo(session, order)
    ):
        _add_photo(session, order, event, "after", now, community, media_dir)
    return _change(community, order, stage, target, now, note)


def _note(
    rng: random.Random,
    order: WorkOrder,
    stage: str,
    *,
    worker: str,
    part: str,
    now: dt.datetime,
    tz: _Community,
) -> str:
    """A note in the demo data's words for reaching ``stage`` (the seed's choice of texts)."""
    if order.order_type == "brand_service":
        key = {"scheduled": "scheduled", "in_progress": "brand_in_progress"}.get(
            stage, "brand_completed"
        )
    elif order.order_type == "rectification":
        key = f"rect_{stage}"
    else:
        key = stage
    local = _local(now, tz)
    return rng.choice(STAGE_NOTES[key]).format(
        staff=worker,
        minutes=rng.choice((15, 20, 30)),
        when=f"{local.month}月{local.day}日 {local.hour:02d}:00",
        people=rng.randint(30, 160),
        part=part,
        days=rng.randint(1, 3),
    )


# --- who does what ------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Person:
    name: str
    staff_id: int | None = None
    account_id: int | None = None


@dataclass(frozen=True)
class _People:
    """The staff an order's events are signed by: its assignee, the desk, the manager."""

    assignee: _Person | None
    by_post: dict[str, list[_Person]]
    category: str

    @classmethod
    def of(cls, session: Session, order: WorkOrder) -> _People:
        by_post = _staff_by_post(session, order.community_id)
        everyone = [p for people in by_post.values() for p in people]
        assignee = next((p for p in everyone if p.staff_id == order.assignee_id), None)
        return cls(assignee, by_post, order.category)

    def first(self, *posts: str) -> _Person:
        """The first staff member of the first post that has one (stable, not random: the
        same desk clerk answers all afternoon)."""
        for post in posts:
            if self.by_post.get(post):
                return self.by_post[post][0]
        anyone = [p for people in self.by_post.values() for p in people]
        return anyone[0] if anyone else _Person("物业服务中心")

    def worker(self) -> _Person:
        return self.assignee or self.first(POST_FOR_CATEGORY.get(self.category, "维修工"))

    def actor_for(self, order_type: str, stage: str) -> _Person:
        if stage in ("accepted", "dispatched", "scheduled") or (
            stage == FINAL_STAGE and order_type in ("repair", "complaint")
        ):
            return self.first("客服", "管家")
        if stage == "investigating":
            return self.first("管家", "客服")
        if stage == "answered" or (stage == FINAL_STAGE and order_type == "rectification"):
            return self.first("经理", "客服")
        return self.worker()


# --- new orders ---------------------------------------------------------------------------------
def _report_new_order(
    session: Session, rng: random.Random, community: _Community, now: dt.datetime, media_dir: Path
) -> Change:
    """A public repair or complaint reported just now, with its "before" photo."""
    order_type = "complaint" if rng.random() < NEW_COMPLAINT_SHARE else "repair"
    problem = rng.choice(_PUBLIC_PROBLEMS[order_type])
    subject, issues = rng.choice(problem.cases)
    issue = rng.choice(issues)
    area_id, place = _place(session, rng, community, problem)
    priority = "urgent" if rng.random() < problem.urgent else "normal"
    respond, resolve = _deadlines(session, community, order_type, problem.category, priority, now)
    reporter = _reporter(session, rng, community)
    staff = _staff_by_post(session, community.id)
    post = POST_FOR_CATEGORY[problem.category]
    assignee = rng.choice(staff.get(post) or staff.get("维修工") or [None])
    title = f"{place_and_subject(place, subject)}{issue}"
    detail = rng.choice(problem.details)
    order = WorkOrder(
        community_id=community.id, code=_next_code(session, community, order_type, now),
        source="app", order_type=order_type, category=problem.category, priority=priority,
        title=title[:200], description=f"{title},{detail}。", area_id=area_id,
        location=place, visibility="public", reporter_id=reporter.account_id,
        reporter_name=reporter.name, reporter_phone="",
        assignee_id=assignee.staff_id if assignee else None, created_at=now,
        respond_due_at=now + dt.timedelta(minutes=respond),
        resolve_due_at=now + dt.timedelta(minutes=resolve), version=1,
    )  # fmt: skip
    session.add(order)
    session.flush()
    first = flow_of(order_type)[0].code
    note = (
        "业主通过小程序报修"
        if reporter.account_id and reporter.staff_id is None
        else "巡查发现,已登记"
    )
    event = WorkOrderEvent(
        work_order_id=order.id, stage=first, occurred_at=now, actor_name=reporter.name,
        actor_account_id=reporter.account_id, actor_staff_id=reporter.staff_id, note=note,
    )  # fmt: skip
    session.add(event)
    session.flush()
    _add_photo(session, order, event, "before", now, community, media_dir)
    return _change(community, order, None, first, now, title)


def _staff_by_post(session: Session, community_id: int) -> dict[str, list[_Person]]:
    by_post: dict[str, list[_Person]] = {}
    rows = session.execute(
        select(Staff.id, Staff.name, Staff.post, Staff.account_id)
        .where(Staff.community_id == community_id, Staff.is_active)
        .order_by(Staff.id)
    )
    for staff_id, name, post, account_id in rows:
        by_post.setdefault(post, []).append(_Person(name, staff_id, account_id))
    return by_post


def _place(
    session: Session, rng: random.Random, community: _Community, problem: Problem
) -> tuple[int | None, str]:
    """(area id, location text) for a public problem, like the seed places them."""
    areas = session.execute(
        select(Area.id, Area.name, Area.kind)
        .where(Area.community_id == community.id)
        .order_by(Area.id)
    ).all()
    if problem.where == "building":
        candidates = [a for a in areas if a.kind == "building"]
    else:
        candidates = [a for a in areas if a.kind in problem.where or a.name in problem.where]
        candidates = candidates or [a for a in areas if a.kind != "building"]
    if not candidates:
        return None, "小区公共区域"
    area = rng.choice(candidates)
    if area.kind == "building":
        return area.id, f"{area.name}{rng.randint(1, 2)}单元"
    return area.id, area.name


def _reporter(session: Session, rng: random.Random, community: _Community) -> _Person:
    owners = session.execute(
        select(Account.id, Account.display_name)
        .where(Account.community_id == community.id, Account.role == "owner", Account.is_active)
        .order_by(Account.id)
    ).all()
    if owners and rng.random() < OWNER_REPORTS_SHARE:
        account_id, name = rng.choice(owners)
        return _Person(name, account_id=account_id)
    staff = _staff_by_post(session, community.id)
    return rng.choice(staff.get("保安") or staff.get("维修工") or [_Person("物业巡查")])


def _deadlines(
    session: Session,
    community: _Community,
    order_type: str,
    category: str,
    priority: str,
    now: dt.datetime,
) -> tuple[int, int]:
    """(respond, resolve) minutes from the contract in force: the category's own rule, else
    the type's "*" rule, else the design's defaults."""
    today = _local(now, community).date()
    contract_id = session.scalar(
        select(ServiceContract.id)
        .where(
            ServiceContract.community_id == community.id,
            ServiceContract.start_date <= today,
            ServiceContract.end_date >= today,
        )
        .order_by(ServiceContract.start_date.desc())
        .limit(1)
    )
    rules = {
        category_: (respond, resolve)
        for category_, respond, resolve in session.execute(
            select(SlaRule.category, SlaRule.respond_minutes, SlaRule.resolve_minutes).where(
                SlaRule.contract_id == contract_id,
                SlaRule.order_type == order_type,
                SlaRule.priority == priority,
                SlaRule.category.in_((category, "*")),
            )
        )
    }
    return rules.get(category) or rules.get("*") or DEFAULT_SLA[priority]


def _next_code(session: Session, community: _Community, order_type: str, now: dt.datetime) -> str:
    """The seed's numbering: type prefix, local day, a 3-digit counter per type and day."""
    prefix = f"{CODE_PREFIX[order_type]}{_local(now, community):%Y%m%d}"
    codes = session.scalars(
        select(WorkOrder.code).where(
            WorkOrder.community_id == community.id, WorkOrder.code.like(f"{prefix}%")
        )
    )
    used = [int(code[len(prefix) :]) for code in codes if code[len(prefix) :].isdigit()]
    return f"{prefix}{max(used, default=0) + 1:03d}"


# --- small helpers ------------------------------------------------------------------------------
def _local(moment: dt.datetime, community: _Community) -> dt.datetime:
    zone = ZoneInfo(community.time_zone)
    return moment.replace(tzinfo=dt.UTC).astimezone(zone).replace(tzinfo=None)


def _change(
    community: _Community,
    order: WorkOrder,
    from_stage: str | None,
    to_stage: str,
    at: dt.datetime,
    text: str,
) -> Change:
    return Change(
        at=at, time_zone=community.time_zone, community_code=community.code,
        order_code=order.code, from_stage=from_stage, to_stage=to_stage, text=text,
    )  # fmt: skip


def _parts_pending(session: Session, order: WorkOrder) -> bool:
    return bool(
        session.scalar(
            select(
                exists().where(
                    WorkOrderPart.work_order_id == order.id, WorkOrderPart.arrived_at.is_(None)
                )
            )
        )
    )


def _part_names(session: Session, order: WorkOrder) -> str:
    names = session.scalars(
        select(WorkOrderPart.name)
        .where(WorkOrderPart.work_order_id == order.id)
        .order_by(WorkOrderPart.id)
    ).all()
    return "、".join(dict.fromkeys(names)) or "配件"


def _has_after_photo(session: Session, order: WorkOrder) -> bool:
    count = session.scalar(
        select(func.count())
        .select_from(PhotoAttachment)
        .where(PhotoAttachment.work_order_id == order.id, PhotoAttachment.kind == "after")
    )
    return bool(count)


def _add_photo(
    session: Session,
    order: WorkOrder,
    event: WorkOrderEvent,
    kind: str,
    now: dt.datetime,
    community: _Community,
    media_dir: Path,
) -> None:
    data = draw_photo(
        kind=kind, category=order.category, title=order.title, place=order.location,
        local_time=_local(now, community), code=order.code,
    )  # fmt: skip
    attach_order_photo(
        session=session, order_id=order.id, event_id=event.id, kind=kind, data=data,
        media_dir=media_dir, at=now,
    )  # fmt: skip
