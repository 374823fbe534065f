"""Work orders with their append-only events, parts and photos.

Three sources, one builder: a year of everyday orders (volume by community size, season and
weekday), repair orders for equipment faults, and "showcase" orders placed so that right now
there are open orders at every stage of every flow (some overdue). Demo owners' own orders
come from ``seed.stories`` through the same builder.

A timeline is built for the whole flow and cut at "now": an order whose later events would
lie in the future is simply still open.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from sqlalchemy import insert
from sqlalchemy.orm import Session

from data_access.flows import FINAL_STAGE, RESPONSE_STAGE, WORK_ORDER_FLOWS
from data_access.models import WorkOrder, WorkOrderEvent, WorkOrderPart
from seed.core import (
    CommunityWorld,
    PersonRef,
    SeedContext,
    UnitRef,
    insert_returning_ids,
    pick,
    seconds,
    weighted,
)
from seed.equipment import KINDS, EquipmentRef, FaultDraft
from seed.photos import add_photo
from seed.texts import (
    BRAND_SERVICES,
    COMPLAINTS,
    DURATIONS,
    INSPECTIONS,
    OWNER_WORDS,
    REPAIRS,
    STAGE_NOTES,
    Problem,
    place_and_subject,
)

TYPE_MIX = {"repair": 0.55, "complaint": 0.2, "brand_service": 0.15, "rectification": 0.1}
PROBLEMS = {
    "repair": REPAIRS,
    "complaint": COMPLAINTS,
    "brand_service": BRAND_SERVICES,
    "rectification": INSPECTIONS,
}
CODE_PREFIX = {"repair": "BX", "complaint": "TS", "brand_service": "PP", "rectification": "ZG"}
MONTH_FACTOR = (0.9, 0.75, 0.95, 1.0, 1.05, 1.15, 1.25, 1.2, 1.0, 0.95, 0.95, 0.9)
# service level → (late response, late resolution) probabilities
LATENESS = {"一级": (0.05, 0.07), "二级": (0.08, 0.10), "三级": (0.12, 0.14)}
PARTS_SHARE = 0.2
POST_FOR_CATEGORY = {
    "plumbing": "维修工",
    "electrical": "维修工",
    "elevator": "维修工",
    "access_control": "维修工",
    "facilities": "维修工",
    "other": "维修工",
    "cleaning": "保洁",
    "greening": "绿化工",
    "security": "保安",
    "parking": "保安",
    "noise": "管家",
    "events": "客服",
}
HOUR_WEIGHTS = {h: (3.0 if 8 <= h <= 11 or 18 <= h <= 21 else 1.0) for h in range(7, 23)}
WORK_STARTS, WORK_ENDS = 7, 22  # local hours of on-site work for non-urgent orders
SHOWCASE_PER_STAGE = 2  # one usually on time, one late
RECENT_PHOTO_DAYS = 30
RECENT_PHOTO_ORDERS = {"large": 22, "medium": 14, "small": 9}


@dataclass
class EventDraft:
    stage: str
    at: dt.datetime
    actor: PersonRef | None
    note: str = ""
    id: int | None = None


@dataclass
class PartDraft:
    name: str
    quantity: int
    ordered_at: dt.datetime
    arrived_at: dt.datetime | None


@dataclass
class OrderDraft:
    order_type: str
    category: str
    priority: str
    title: str
    description: str
    location: str
    visibility: str
    area_id: int | None
    unit: UnitRef | None
    reporter: PersonRef | None  # an owner account, or staff/manager who logged it
    reporter_is_owner: bool
    source: str
    assignee: PersonRef | None
    created_at: dt.datetime = dt.datetime.min  # set by OrderBuilder.materialize
    respond_due_at: dt.datetime = dt.datetime.min
    resolve_due_at: dt.datetime = dt.datetime.min
    events: list[EventDraft] = field(default_factory=list)
    parts: list[PartDraft] = field(default_factory=list)
    photos: bool = False
    fault: FaultDraft | None = None
    # Set by stories: None = let the ratings generator decide; () = never rate.
    rating: tuple[int, int, int, str] | tuple[()] | None = None
    ticket_status: str | None = None  # stories: the status of the ticket a low rating opens
    id: int | None = None
    code: str = ""

    @property
    def responded_at(self) -> dt.datetime | None:
        stage = RESPONSE_STAGE[self.order_type]
        return next((e.at for e in self.events if e.stage == stage), None)

    @property
    def completed_at(self) -> dt.datetime | None:
        return next((e.at for e in self.events if e.stage == FINAL_STAGE), None)

    @property
    def stage(self) -> str:
        return self.events[-1].stage


@dataclass(frozen=True)
class Lateness:
    response: bool
    resolution: bool


class OrderBuilder:
    """Drafts orders for one community; every choice comes from ``rng``."""

    def __init__(
        self,
        ctx: SeedContext,
        world: CommunityWorld,
        rng: random.Random,
        elevators: list[EquipmentRef],
    ) -> None:
        self.ctx, self.world, self.rng = ctx, world, rng
        self.elevators = elevators
        assert world.contract is not None
        self.contract = world.contract

    # --- what and where --------------------------------------------------------------------
    def draft(
        self,
        order_type: str,
        *,
        problem: Problem | None = None,
        owner: PersonRef | None = None,
        priority: str | None = None,
    ) -> OrderDraft:
        """What, where and who; ``materialize`` adds when."""
        rng, world = self.rng, self.world
        problem = problem or pick(rng, PROBLEMS[order_type])
        subject, issues = pick(rng, problem.cases)
        issue = pick(rng, issues)
        area_id, unit, place, resident = self._place(problem, owner)
        if priority is None:
            urgent = rng.random() < problem.urgent
            priority = "urgent" if urgent else weighted(rng, {"normal": 0.82, "low": 0.18})
        reporter, is_owner, source = self._reporter(order_type, problem, owner or resident)
        title, description = self._texts(order_type, problem, subject, issue, place, unit, is_owner)
        post = POST_FOR_CATEGORY[problem.category]
        if order_type == "complaint" and problem.category in ("other", "elevator", "facilities"):
            post = "管家"
        return OrderDraft(
            order_type=order_type,
            category=problem.category,
            priority=priority,
            title=title,
            description=description,
            location=place,
            visibility="private" if unit is not None else "public",
            area_id=area_id,
            unit=unit,
            reporter=reporter,
            reporter_is_owner=is_owner,
            source=source,
            assignee=pick(rng, world.post(post)),
        )

    def _place(
        self, problem: Problem, owner: PersonRef | None
    ) -> tuple[int | None, UnitRef | None, str, PersonRef | None]:
        """(area id, unit, location text, the resident when it is in a home)."""
        rng, world = self.rng, self.world
        if problem.where == "home":
            person = owner or pick(rng, world.owners)
            unit = pick(rng, person.units)
            return unit.building.id, unit, unit.label, person
        if problem.where == "building":
            if problem.category == "elevator" and self.elevators:
                lift = pick(rng, self.elevators)
                return lift.area.id, None, f"{lift.area.name}{lift.entrance}单元", None
            building = pick(rng, world.buildings)
            return building.id, None, f"{building.name}{rng.randint(1, 2)}单元", None
        areas = [
            a for a in world.public_areas if a.kind in problem.where or a.name in problem.where
        ]
        areas = areas or world.areas_of("garden", "facility")
        area = pick(rng, areas)
        return area.id, None, area.name, None

    def _reporter(
        self, order_type: str, problem: Problem, owner: PersonRef | None
    ) -> tuple[PersonRef | None, bool, str]:
        """(reporter, whether an owner reported it, source)."""
        rng, world = self.rng, self.world
        if owner is not None:
            return owner, True, "phone" if rng.random() < 0.15 else "app"
        if order_type == "rectification":
            options = [p for p in (world.manager, world.committee) if p is not None]
            return pick(rng, options + world.post("客服")), False, "app"
        if order_type == "brand_service" and problem.where != "home":
            return pick(rng, world.post("客服")), False, "app"
        roll = rng.random()
        if roll < 0.7 or order_type == "brand_service":
            return pick(rng, world.owners), True, "app"
        if roll < 0.82:
            return pick(rng, world.owners), True, "phone"
        found_by = "保安" if problem.category in ("security", "parking") else "维修工"
        return pick(rng, world.post(found_by)), False, "app"

    def _texts(
        self,
        order_type: str,
        problem: Problem,
        subject: str,
        issue: str,
        place: str,
        unit: UnitRef | None,
        by_owner: bool,
    ) -> tuple[str, str]:
        rng = self.rng
        detail = pick(rng, problem.details)
        if order_type == "brand_service":
            if unit is None:  # "{date}" becomes the event's day once it is scheduled
                return subject, f"{subject}定于{{date}}在{place}举行,{detail}。"
            return f"{subject}{issue}", f"预约{subject},{detail}。"
        if order_type == "rectification":
            title = f"品质巡查:{place_and_subject(place, subject)}{issue}"
            return (
                title,
                f"{place_and_subject(place, subject)}{issue},{detail}。要求责任班组限期整改。",
            )
        if unit is not None:
            title = f"{subject}{issue}"
            where = pick(rng, ("家里", "我家", place, ""))
        else:
            title = f"{place_and_subject(place, subject)}{issue}"
            where = place
        parts = [f"{place_and_subject(where, subject)}{issue}"]
        if rng.random() < 0.8:
            parts.append(detail)
        duration = pick(rng, DURATIONS)
        if duration and problem.urgent < 1 and rng.random() < 0.7:
            parts.insert(rng.randint(1, len(parts)), duration)
        text = ",".join(parts) + "。"
        if not by_owner:
            return title, "巡查发现:" + text
        words = pick(rng, OWNER_WORDS)
        return title, text + (words if not words or words.endswith(("!", "。")) else words + "。")

    # --- when: the timeline ------------------------------------------------------------------
    def plan(
        self,
        order: OrderDraft,
        *,
        lateness: Lateness | None = None,
        with_parts: bool | None = None,
        problem_parts: tuple[str, ...] = (),
    ) -> list[tuple[str, float]]:
        """The whole flow as (stage, minutes after creation); parts orders take days."""
        rng = self.rng
        late_response_p, late_resolution_p = LATENESS[self.contract.service_level]
        respond, resolve = self.contract.deadlines(order.order_type, order.category, order.priority)
        if with_parts is None:
            with_parts = (
                order.order_type == "repair"
                and bool(problem_parts)
                and order.priority != "urgent"
                and rng.random() < PARTS_SHARE
            )
        if lateness is None:
            lateness = Lateness(
                response=rng.random() < late_response_p,
                resolution=rng.random() < (0.35 if with_parts else late_resolution_p),
            )
        r = respond * (rng.uniform(1.1, 3.0) if lateness.response else rng.uniform(0.1, 0.9))
        total = resolve * (
            rng.uniform(1.05, 2.0) if lateness.resolution else rng.uniform(0.08, 0.85)
        )
        if order.order_type == "brand_service":  # the service itself takes an hour or three
            total = r + rng.uniform(60, 200)
        if with_parts:
            total = max(total, r + 60 * 24 * rng.uniform(1.5, 4))
        total = max(total, r + 40)
        stages = [s.code for s in WORK_ORDER_FLOWS[order.order_type]]
        if not with_parts and "parts_procurement" in stages:
            stages.remove("parts_procurement")
        fractions = self._fractions(order.order_type, stages)
        offsets = [0.0, r] + [r + (total - r) * f for f in fractions[2:]]
        for i in range(1, len(offsets)):  # strictly increasing, at least a minute apart
            offsets[i] = max(offsets[i], offsets[i - 1] + 1)
        return list(zip(stages, offsets, strict=True))

    def materialize(
        self,
        order: OrderDraft,
        created_at: dt.datetime,
        plan: list[tuple[str, float]],
        problem_parts: tuple[str, ...] = (),
    ) -> None:
        """Events (and parts) of ``plan`` for an order created at ``created_at``, cut at now."""
        created_at = seconds(created_at)
        respond, resolve = self.contract.deadlines(order.order_type, order.category, order.priority)
        order.created_at = created_at
        order.respond_due_at = created_at + dt.timedelta(minutes=respond)
        order.resolve_due_at = created_at + dt.timedelta(minutes=resolve)
        times = [seconds(created_at + dt.timedelta(minutes=m)) for _, m in plan]
        if order.priority != "urgent":
            times = self._in_working_hours(
                times, first=1 if order.order_type == "brand_service" else 2
            )
        if order.order_type == "brand_service":
            start = self.ctx.local(times[1])
            order.description = order.description.replace("{date}", f"{start.month}月{start.day}日")
        order.events = []
        for (stage, _), at in zip(plan, times, strict=True):
            actor, note = self._actor_and_note(order, stage, times[1])
            order.events.append(EventDraft(stage, at, actor, note))
        if any(stage == "parts_procurement" for stage, _ in plan):
            self._add_parts(order, problem_parts)
        self.cut_at_now(order)

    def _in_working_hours(self, times: list[dt.datetime], first: int) -> list[dt.datetime]:
        """Move staff work that would fall at night to the next morning (the desk answers 24/7).

        Never across "now": a stage reached by now stays reached.
        """
        now, moved = self.ctx.now, list(times)
        for i in range(first, len(moved)):
            at = max(moved[i], moved[i - 1] + dt.timedelta(minutes=1))
            local = self.ctx.local(at)
            if local.hour >= WORK_ENDS or local.hour < WORK_STARTS:
                day = local.date() + dt.timedelta(days=1 if local.hour >= WORK_ENDS else 0)
                later = self.ctx.utc(day, dt.time(WORK_STARTS))
                later += dt.timedelta(seconds=self.rng.randrange(30 * 60, 3 * 60 * 60))
                at = later if later <= now or at > now else at
            moved[i] = at
        return moved

    def _fractions(self, order_type: str, stages: list[str]) -> list[float]:
        """Where each stage falls between the response (0) and completion (1)."""
        u = self.rng.uniform
        if order_type == "repair" and "parts_procurement" in stages:
            return [0, 0, u(0.01, 0.03), u(0.04, 0.08), u(0.7, 0.8), u(0.85, 0.93), 1.0]
        if order_type == "repair":
            return [0, 0, u(0.02, 0.1), u(0.12, 0.35), u(0.5, 0.85), 1.0]
        if order_type == "complaint":
            return [0, 0, u(0.05, 0.2), u(0.45, 0.8), 1.0]
        if order_type == "brand_service":
            return [0, 0, 1.0]
        return [0, 0, u(0.1, 0.3), u(0.6, 0.9), 1.0]

    def _actor_and_note(
        self, order: OrderDraft, stage: str, responded_at: dt.datetime
    ) -> tuple[PersonRef | None, str]:
        rng, world = self.rng, self.world
        desk = pick(rng, world.post("客服"))
        worker = order.assignee
        local = self.ctx.local(responded_at)
        fill = {
            "staff": worker.name if worker else "",
            "minutes": rng.choice((15, 20, 30, 40)),
            "when": f"{local.month}月{local.day}日 {local.hour:02d}:00",
            "people": rng.randint(30, 160),
        }
        kind = order.order_type
        if kind == "brand_service":
            key = {"scheduled": "scheduled", "in_progress": "brand_in_progress"}.get(
                stage, "brand_completed"
            )
            return (desk if stage == "scheduled" else worker), pick(rng, STAGE_NOTES[key]).format(
                **fill
            )
        if kind == "rectification":
            actor = {
                "submitted": order.reporter,
                "completed": world.manager,
            }.get(stage, worker)
            return actor, pick(rng, STAGE_NOTES[f"rect_{stage}"])
        if stage == "submitted":
            if order.source == "phone":
                return desk, "业主来电报修,客服代为登记"
            return order.reporter, "" if order.reporter_is_owner else "巡查发现,已登记"
        if stage == "completed" and order.reporter_is_owner and rng.random() < 0.7:
            return order.reporter, "已验收" if kind == "repair" else "已收到答复"
        actor = {
            "accepted": desk,
            "dispatched": desk,
            "investigating": pick(rng, world.post("管家")),
            "answered": world.manager,
            "completed": desk,
        }.get(stage, worker)
        if stage == "parts_procurement":
            return actor, ""  # written with the parts
        return actor, pick(rng, STAGE_NOTES[stage]).format(**fill)

    def _add_parts(self, order: OrderDraft, names: tuple[str, ...]) -> None:
        rng = self.rng
        parts_event = next(e for e in order.events if e.stage == "parts_procurement")
        work_event = next(e for e in order.events if e.stage == "in_progress")
        name = pick(rng, names or ("配件",))
        # Parts arrive during the day before the work starts (or earlier the same day).
        work_day = self.ctx.local(work_event.at).date()
        arrived = self.ctx.utc(work_day - dt.timedelta(days=1), dt.time(rng.randint(9, 17)))
        arrived = seconds(arrived + dt.timedelta(minutes=rng.randrange(60)))
        if not parts_event.at + dt.timedelta(hours=6) <= arrived < work_event.at:
            arrived = seconds(parts_event.at + (work_event.at - parts_event.at) * 0.7)
        days = max(1, math.ceil((arrived - parts_event.at).total_seconds() / 86400))
        parts_event.note = pick(rng, STAGE_NOTES["parts_procurement"]).format(part=name, days=days)
        order.parts = [PartDraft(name, rng.choice((1, 1, 1, 2)), parts_event.at, arrived)]
        note = pick(rng, STAGE_NOTES["parts_arrived"]).format(part=name)
        index = order.events.index(work_event)
        order.events.insert(index, EventDraft("parts_procurement", arrived, order.assignee, note))

    def cut_at_now(self, order: OrderDraft) -> None:
        now = self.ctx.now
        order.events = [e for e in order.events if e.at <= now]
        order.parts = [p for p in order.parts if p.ordered_at <= now]
        for part in order.parts:
            if part.arrived_at is not None and part.arrived_at > now:
                part.arrived_at = None


# --- the generator -----------------------------------------------------------------------------
def draft_orders(
    ctx: SeedContext,
    world: CommunityWorld,
    monthly_volume: int,
    elevators: list[EquipmentRef],
    faults: list[FaultDraft],
) -> list[OrderDraft]:
    """Everyday, fault and showcase orders of one community."""
    orders = _everyday(
        OrderBuilder(ctx, world, ctx.rng("work_orders", world.code), elevators), monthly_volume
    )
    orders += _fault_orders(
        OrderBuilder(ctx, world, ctx.rng("faults", world.code), elevators), faults
    )
    orders += _showcase(OrderBuilder(ctx, world, ctx.rng("showcase", world.code), elevators))
    return orders


def _everyday(builder: OrderBuilder, monthly_volume: int) -> list[OrderDraft]:
    ctx, rng = builder.ctx, builder.rng
    orders = []
    for day in ctx.days(ctx.history_start, ctx.as_of):
        rate = monthly_volume / 30 * MONTH_FACTOR[day.month - 1]
        rate *= 1.15 if day.isoweekday() >= 6 else 0.94
        for _ in range(_poisson(rng, rate)):
            hour = weighted(rng, HOUR_WEIGHTS)
            created = ctx.utc(day, dt.time(hour, rng.randrange(60), rng.randrange(60)))
            if created > ctx.now:
                continue
            order_type = weighted(rng, TYPE_MIX)
            problem = pick(rng, PROBLEMS[order_type])
            order = builder.draft(order_type, problem=problem)
            plan = builder.plan(order, problem_parts=problem.parts)
            builder.materialize(order, created, plan, problem.parts)
            orders.append(order)
    return orders


def _fault_orders(builder: OrderBuilder, faults: list[FaultDraft]) -> list[OrderDraft]:
    rng, world = builder.rng, builder.world
    orders = []
    for fault in faults:
        item = fault.equipment
        category = KINDS[item.kind][2]
        where = item.name[:-2] if item.kind == "elevator" else item.area.name
        reporter = pick(rng, world.post("保安" if item.kind == "cctv" else "维修工"))
        order = OrderDraft(
            order_type="repair",
            category=category,
            priority="urgent" if fault.urgent else "normal",
            title=f"{item.name}故障:{fault.description.split(',')[0]}",
            description=f"设备巡检发现:{item.name}({where}){fault.description}。",
            location=where,
            visibility="public",
            area_id=item.area.id,
            unit=None,
            reporter=reporter,
            reporter_is_owner=False,
            source="app",
            assignee=pick(rng, world.post("维修工")),
            fault=fault,
        )
        parts = ("控制板", "传感器", "继电器")
        plan = builder.plan(order, problem_parts=parts)
        builder.materialize(
            order, fault.occurred_at + dt.timedelta(minutes=rng.randint(2, 20)), plan, parts
        )
        orders.append(order)
    return orders


def _showcase(builder: OrderBuilder) -> list[OrderDraft]:
    """Open orders at every non-final stage of every flow: one on time, one late, each."""
    rng, now = builder.rng, builder.ctx.now
    orders = []
    for order_type, flow in WORK_ORDER_FLOWS.items():
        for stage in [s.code for s in flow][:-1]:
            for copy in range(SHOWCASE_PER_STAGE):
                problem = pick(rng, PROBLEMS[order_type])
                parts = stage == "parts_procurement" or (
                    order_type == "repair"
                    and stage in ("in_progress", "awaiting_acceptance")
                    and copy == 1
                )
                if parts:
                    problem = pick(rng, [p for p in REPAIRS if p.parts and p.urgent < 1])
                order = builder.draft(
                    order_type, problem=problem, priority="normal" if parts else None
                )
                late = copy == 1
                plan = builder.plan(
                    order,
                    lateness=Lateness(late, late),
                    with_parts=parts,
                    problem_parts=problem.parts,
                )
                index = [s for s, _ in plan].index(stage)
                reached, following = plan[index][1], plan[index + 1][1]
                elapsed = reached + (following - reached) * rng.uniform(0.15, 0.8)
                builder.materialize(order, now - dt.timedelta(minutes=elapsed), plan, problem.parts)
                order.photos = copy == 0
                orders.append(order)
    return orders


def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


# --- writing -------------------------------------------------------------------------------------
def write_orders(
    session: Session, ctx: SeedContext, world: CommunityWorld, orders: list[OrderDraft]
) -> list[OrderDraft]:
    """Insert the orders (chronologically, so ids and codes follow time), events and parts."""
    orders = sorted(orders, key=lambda o: (o.created_at, o.title))
    per_day: dict[tuple[str, dt.date], int] = {}
    for order in orders:
        day = ctx.local(order.created_at).date()
        key = (order.order_type, day)
        per_day[key] = per_day.get(key, 0) + 1
        order.code = f"{CODE_PREFIX[order.order_type]}{day:%Y%m%d}{per_day[key]:03d}"
    rows = [
        {
            "community_id": world.id,
            "code": o.code,
            "external_id": None,
            "source": o.source,
            "order_type": o.order_type,
            "category": o.category,
            "priority": o.priority,
            "title": o.title,
            "description": o.description,
            "area_id": o.area_id,
            "unit_id": o.unit.id if o.unit else None,
            "location": o.location,
            "visibility": o.visibility,
            "reporter_id": o.reporter.account_id if o.reporter else None,
            "reporter_name": o.reporter.name if o.reporter else "",
            "reporter_phone": o.reporter.phone if o.reporter else "",
            "assignee_id": o.assignee.staff_id if o.assignee else None,
            "created_at": o.created_at,
            "respond_due_at": o.respond_due_at,
            "resolve_due_at": o.resolve_due_at,
            "responded_at": o.responded_at,
            "completed_at": o.completed_at,
            "version": len(o.events),
        }
        for o in orders
    ]
    ids = insert_returning_ids(session, WorkOrder, rows)
    for order, order_id in zip(orders, ids, strict=True):
        order.id = order_id
        if order.fault is not None:
            order.fault.work_order_id = order_id
            order.fault.resolved_at = order.completed_at
    events = [(o, e) for o in orders for e in o.events]
    event_ids = insert_returning_ids(
        session,
        WorkOrderEvent,
        [
            {
                "work_order_id": o.id,
                "stage": e.stage,
                "occurred_at": e.at,
                "actor_account_id": e.actor.account_id if e.actor else None,
                "actor_staff_id": e.actor.staff_id if e.actor else None,
                "actor_name": e.actor.name if e.actor else "",
                "note": e.note,
            }
            for o, e in events
        ],
    )
    for (_, event), event_id in zip(events, event_ids, strict=True):
        event.id = event_id
    parts = [
        {
            "work_order_id": o.id,
            "name": p.name,
            "quantity": p.quantity,
            "ordered_at": p.ordered_at,
            "arrived_at": p.arrived_at,
        }
        for o in orders
        for p in o.parts
    ]
    if parts:
        session.execute(insert(WorkOrderPart), parts)
    return orders


def add_order_photos(
    session: Session, ctx: SeedContext, world: CommunityWorld, orders: list[OrderDraft]
) -> None:
    """Before photos on submission and after photos on completion, for a sample of orders."""
    rng = ctx.rng("work_order_photos", world.code)
    since = ctx.now - dt.timedelta(days=RECENT_PHOTO_DAYS)
    recent = [
        o
        for o in orders
        if o.completed_at and o.created_at >= since and o.order_type in ("repair", "rectification")
    ]
    for order in rng.sample(recent, min(RECENT_PHOTO_ORDERS[world.size], len(recent))):
        order.photos = True
    for order in orders:
        if not order.photos:
            continue
        first = order.events[0]
        add_photo(
            session,
            ctx,
            kind="before",
            category=order.category,
            title=order.title,
            place=order.location,
            at=first.at,
            code=order.code,
            work_order_id=order.id,
            work_order_event_id=first.id,
        )
        if order.order_type == "brand_service":
            continue
        shown = next(
            (
                e
                for e in order.events
                if e.stage in ("awaiting_acceptance", "awaiting_confirmation", "answered")
            ),
            None,
        )
        if shown is None and order.stage == "in_progress":
            shown = order.events[-1]
            kind = "during"
        else:
            kind = "after"
        if shown is not None:
            add_photo(
                session,
                ctx,
                kind=kind,
                category=order.category,
                title=order.title,
                place=order.location,
                at=shown.at,
                code=order.code,
                work_order_id=order.id,
                work_order_event_id=shown.id,
            )
