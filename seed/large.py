"""The large dataset: ``python manage.py seed --scale large`` (100 communities, 36 months).

Same vocabulary and rules as the demo (texts, SLA rules, stage flows, rating and ticket
rules, the demo logins) but built for volume: every row is drafted in Python with its id
assigned here (no RETURNING round trips) and written with Core ``insert(table)`` executemany
in chunks, one transaction per community. Work orders are drafted by the demo's own
``OrderBuilder``; plan tasks and patrol shifts follow the items' and plans' recurrence
directly rather than through ``data_access.plans.plans`` (per community and row by row).
Photos are a small pool stored once and attached by reference.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select, text
from sqlalchemy.orm import Session, sessionmaker

from data_access.accounts.auth import UNUSABLE_PASSWORD_HASH
from data_access.db import write_session
from data_access.errors import DomainError
from data_access.flows import TICKET_MAIN_PATH
from data_access.media.photos import store_photo
from data_access.models import Base, Community
from data_access.plans.plans import occurs_on
from data_access.timestamps import DEFAULT_TIME_ZONE
from seed.contracts import (
    DEADLINES,
    EXTRA_DAILY_ROUNDS,
    ITEMS,
    POST_FOR_CATEGORY,
    SLA_RULES,
    STAIR_UPGRADE,
    TARGETS,
    ItemSpec,
)
from seed.core import (
    AreaRef,
    CommunityWorld,
    ContractRef,
    PersonRef,
    SeedContext,
    UnitRef,
    pick,
    seconds,
    weighted,
)
from seed.demo_accounts import DEMO_ACCOUNTS, create_demo_accounts
from seed.patrols import OUTCOMES as PATROL_OUTCOMES
from seed.patrols import PATH_FACTOR, ROUTES
from seed.people import STAFFING
from seed.photos import draw_photo
from seed.places import CITY, COMMUNITIES, CommunitySpec
from seed.plan_tasks import CANCEL_NOTES, LATE_NOTES
from seed.plan_tasks import OUTCOMES as TASK_OUTCOMES
from seed.ratings import RATED_SHARE, _reply, _scores
from seed.texts import PUBLIC_AREAS, SUGGESTIONS, person_name, phone_number
from seed.work_orders import CODE_PREFIX, PROBLEMS, TYPE_MIX, OrderBuilder, OrderDraft, _poisson

CHUNK = 10_000
SIZES = {"large": 0.35, "medium": 0.4, "small": 0.25}
LEVEL_FOR_SIZE = {"large": "一级", "medium": "二级", "small": "三级"}
# Volumes here are about twice the demo's: the large set is for load, not for reading.
ORDERS_PER_MONTH = {"large": 440, "medium": 280, "small": 180}
OWNERS_SHARE = 0.55  # of homes with an app account
BUILDINGS = {"large": (10, 16), "medium": (6, 10), "small": (4, 6)}
FLOORS = {"large": (15, 26), "medium": (9, 15), "small": (5, 7)}
# Per building, every day: lobby and lift-hall cleaning twice, a safety walk, a bin round.
BUILDING_ITEMS = (
    ("BD-CLEAN", "楼栋大堂及电梯厅保洁", "cleaning", "大堂、电梯厅地面无污渍,电梯轿厢无异味", 2),
    ("BD-SAFE", "楼栋安全巡查", "security", "楼道无堆物,消防门常闭,单元门禁完好", 1),
    ("BD-BIN", "楼栋垃圾桶清理", "cleaning", "楼栋垃圾桶不满溢,桶身清洁", 1),
)
OWNER_TICKETS_PER_MONTH = {"large": 6.0, "medium": 4.0, "small": 3.0}
PHOTO_POOL = 12  # distinct pictures, shared by every attachment
PHOTO_SHARE = 0.05  # of completed repair/rectification orders that get an "after" photo
Progress = Callable[[str], None]


class LargeContext(SeedContext):
    """The demo's context with a longer history (``months`` instead of twelve)."""

    months: int = 36

    def __init__(self, *, months: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        object.__setattr__(self, "months", months)

    @property
    def history_start(self) -> dt.date:
        month = self.as_of.year * 12 + self.as_of.month - 1 - self.months
        return dt.date(month // 12, month % 12 + 1, 1)


class Ids:
    """The next id of every table: rows get their ids here, in insertion order."""

    def __init__(self) -> None:
        self._next: dict[str, itertools.count[int]] = {}

    def start(self, table: str, first: int) -> None:
        self._next[table] = itertools.count(first)

    def __call__(self, table: str) -> int:
        return next(self._next.setdefault(table, itertools.count(1)))


@dataclass
class Batch:
    """Rows per table for one community, written in dependency order."""

    rows: dict[str, list[dict[str, Any]]]

    def add(self, table: str, row: dict[str, Any]) -> None:
        self.rows.setdefault(table, []).append(row)


def populate_large(
    session_factory: sessionmaker[Session],
    *,
    communities: int = 100,
    months: int = 36,
    seed: int = 42,
    as_of: dt.date,
    media_dir: Path,
    now_time: dt.time = dt.time(20, 0),
    progress: Progress | None = None,
) -> dict[str, int]:
    """Fill the empty database with the large dataset; returns the number of rows per table."""
    if communities < 2:
        raise ValueError("the large dataset needs at least 2 communities (the demo logins' homes)")
    say = progress or (lambda _message: None)
    ctx = LargeContext(
        months=months, seed=seed, as_of=as_of, media_dir=Path(media_dir), now_time=now_time
    )
    specs = community_specs(ctx, communities)
    ids = Ids()
    with write_session(session_factory) as session:
        existing = session.scalar(select(func.count()).select_from(Community))
        if existing:
            raise DomainError("seed.not_empty", communities=existing)
        _write(session.connection(), "communities", [_community_row(i, s) for i, s in specs])
        demo = create_demo_accounts(session, ctx, {s.code: i for i, s in specs if i <= 3})
        photos = _photo_pool(session, ctx)
        max_account = max(a.id for a in demo.values())
    ids.start("accounts", max_account + 1)
    demo_people = {
        d.username: (d, PersonRef(d.display_name, d.phone, demo[d.username].id))
        for d in DEMO_ACCOUNTS
    }
    for community_id, spec in specs:
        batch = Batch({})
        world, items = _build_community(ctx, ids, batch, community_id, spec, demo_people)
        _build_plan_tasks(ctx, ids, batch, world, items)
        _build_patrols(ctx, ids, batch, world)
        orders = _build_orders(ctx, ids, batch, world, spec.orders_per_month)
        ratings = _build_ratings(ctx, ids, batch, world, orders)
        _build_tickets(ctx, ids, batch, world, ratings)
        _build_photos(ctx, ids, batch, world, orders, photos)
        with write_session(session_factory) as session:
            conn = session.connection()
            for table in Base.metadata.sorted_tables:
                _write(conn, table.name, batch.rows.get(table.name, []))
        say(f"{community_id}/{len(specs)} {spec.code}: {len(orders):,} work orders")
    with write_session(session_factory) as session:
        _reset_sequences(session.connection())
        # Fresh statistics, so the first queries are planned for 23 M rows, not for empty tables
        # (PostgreSQL's autovacuum would get there later; SQLite plans well without them).
        if session.connection().dialect.name == "postgresql":
            session.execute(text("ANALYZE"))
    with session_factory() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


# --- communities ---------------------------------------------------------------------------------
def community_specs(ctx: SeedContext, count: int) -> list[tuple[int, CommunitySpec]]:
    """The demo's three communities first (the demo logins live there), then generated ones."""
    rng = ctx.rng("large_communities")
    specs = [
        dataclasses.replace(s, orders_per_month=ORDERS_PER_MONTH[s.size])
        for s in COMMUNITIES[:count]
    ]
    districts = ("西湖区", "拱墅区", "上城区", "滨江区", "萧山区", "余杭区", "临平区", "钱塘区")
    for n in range(len(specs), count):
        size = weighted(rng, SIZES)
        buildings = rng.randint(*BUILDINGS[size])
        floors = rng.randint(*FLOORS[size])
        homes = buildings * 2 * floors * 2
        specs.append(
            CommunitySpec(
                code=f"LG{n + 1:04d}",
                name=f"{pick(rng, ('云栖', '香樟', '望江', '金桂', '玉泉', '紫荆'))}"
                f"{pick(rng, ('花园', '华庭', '雅苑', '公寓', '名邸'))}{n + 1}期",
                address=f"杭州市{pick(rng, districts)}{rng.randint(1, 300)} 号",
                size=size,
                service_level=LEVEL_FOR_SIZE[size],
                fee_per_m2_month=Decimal(str(round(rng.uniform(1.5, 3.5), 2))),
                site=(120.0 + 32 * buildings, 90.0 + 24 * buildings),
                buildings=buildings,
                entrances=2,
                floors=floors,
                rooms_per_floor=2,
                owners=int(homes * OWNERS_SHARE),
                orders_per_month=ORDERS_PER_MONTH[size],
            )
        )
    return [(n + 1, spec) for n, spec in enumerate(specs)]


def _community_row(community_id: int, spec: CommunitySpec) -> dict[str, Any]:
    return {
        "id": community_id,
        "code": spec.code,
        "name": spec.name,
        "city": CITY,
        "address": spec.address,
        "time_zone": DEFAULT_TIME_ZONE,
        "site_width_m": spec.site[0],
        "site_height_m": spec.site[1],
    }


def _build_community(
    ctx: SeedContext,
    ids: Ids,
    batch: Batch,
    community_id: int,
    spec: CommunitySpec,
    demo_people: dict[str, tuple[Any, PersonRef]],
) -> tuple[CommunityWorld, list[_Item]]:
    rng = ctx.rng("large_places", spec.code)
    world = CommunityWorld(
        id=community_id,
        code=spec.code,
        name=spec.name,
        size=spec.size,
        service_level=spec.service_level,
        site=spec.site,
    )
    width, height = spec.site
    columns = 4 if spec.buildings > 8 else 3
    rows = -(-spec.buildings // columns)
    for n in range(spec.buildings):
        row, column = divmod(n, columns)
        x = round(width * (0.12 + 0.76 * (column + 0.5) / columns) + rng.uniform(-6, 6), 1)
        y = round(height * (0.12 + 0.70 * (row + 0.5) / rows) + rng.uniform(-6, 6), 1)
        world.buildings.append(AreaRef(ids("areas"), f"{n + 1}栋", "building", x, y))
    for name, kind, fx, fy in PUBLIC_AREAS[spec.size]:
        x, y = round(width * fx + rng.uniform(-4, 4), 1), round(height * fy + rng.uniform(-4, 4), 1)
        world.public_areas.append(AreaRef(ids("areas"), name, kind, x, y))
    for area in (*world.buildings, *world.public_areas):
        batch.add(
            "areas",
            {
                "id": area.id,
                "community_id": community_id,
                "name": area.name,
                "kind": area.kind,
                "x": area.x,
                "y": area.y,
            },
        )
    for building in world.buildings:
        for entrance in range(1, spec.entrances + 1):
            for floor in range(1, spec.floors + 1):
                for room in range(1, spec.rooms_per_floor + 1):
                    unit = UnitRef(ids("units"), building, entrance, f"{floor}{room:02d}")
                    world.units.append(unit)
                    batch.add(
                        "units",
                        {
                            "id": unit.id,
                            "community_id": community_id,
                            "building_id": building.id,
                            "entrance": entrance,
                            "room": unit.room,
                            "floor_area_m2": float(rng.choice((89, 96, 108, 119, 128, 143))),
                        },
                    )
    _build_people(ctx, ids, batch, world, spec, rng, demo_people)
    return world, _build_contract(ctx, ids, batch, world)


def _build_people(
    ctx: SeedContext,
    ids: Ids,
    batch: Batch,
    world: CommunityWorld,
    spec: CommunitySpec,
    rng: random.Random,
    demo_people: dict[str, tuple[Any, PersonRef]],
) -> None:
    created = ctx.utc(ctx.history_start - dt.timedelta(days=60), dt.time(9, 0))
    by_label = {u.label: u for u in world.units}
    links: list[tuple[int, int]] = []
    for demo, person in demo_people.values():
        if demo.community_code != world.code:
            continue
        units = (by_label[demo.unit],) if demo.unit else ()
        person = PersonRef(person.name, person.phone, person.account_id, units=units)
        links += [(person.account_id or 0, u.id) for u in units]
        if demo.role == "owner":
            world.demo_owner = person
        elif demo.role == "committee":
            world.committee = person
        else:
            world.manager = person
    if world.manager is None:
        world.manager = _account(ids, batch, world, f"{world.code.lower()}_manager", rng, created)
    taken = {unit_id for _, unit_id in links}
    free = [u for u in world.units if u.id not in taken]
    rng.shuffle(free)
    for n in range(min(spec.owners, len(free))):
        unit = free.pop()
        joined = ctx.history_start - dt.timedelta(days=rng.randrange(30, 900))
        owner = _account(
            ids, batch, world, f"{world.code.lower()}_owner_{n + 1:05d}", rng, joined, "owner"
        )
        owner = PersonRef(owner.name, owner.phone, owner.account_id, units=(unit,))
        world.owners.append(owner)
        links.append((owner.account_id or 0, unit.id))
    if world.demo_owner is not None:
        world.owners.insert(0, world.demo_owner)
    for account_id, unit_id in sorted(links):
        batch.add("owner_units", {"account_id": account_id, "unit_id": unit_id})
    size = {"large": 0, "medium": 1, "small": 2}[world.size]
    for post, (counts, teams) in STAFFING.items():
        for n in range(counts[size] + (len(world.buildings) // 4 if post == "保洁" else 0)):
            person = PersonRef(person_name(rng), phone_number(rng), staff_id=ids("staff"))
            world.staff.setdefault(post, []).append(person)
            _staff_row(batch, world, person, post, teams[n % len(teams)])
    manager = world.manager
    world.manager = PersonRef(manager.name, manager.phone, manager.account_id, ids("staff"))
    _staff_row(batch, world, world.manager, "经理", "项目部")


def _account(
    ids: Ids,
    batch: Batch,
    world: CommunityWorld,
    username: str,
    rng: random.Random,
    created: dt.date | dt.datetime,
    role: str = "manager",
) -> PersonRef:
    person = PersonRef(person_name(rng), phone_number(rng), ids("accounts"))
    if isinstance(created, dt.datetime):
        created_at = created
    else:
        created_at = dt.datetime.combine(created, dt.time(rng.randrange(0, 14), rng.randrange(60)))
    batch.add(
        "accounts",
        {
            "id": person.account_id,
            "username": username,
            "display_name": person.name,
            "phone": person.phone,
            "password_hash": UNUSABLE_PASSWORD_HASH,
            "role": role,
            "community_id": world.id,
            "is_active": True,
            "token_version": 0,
            "created_at": created_at,
        },
    )
    return person


def _staff_row(
    batch: Batch, world: CommunityWorld, person: PersonRef, post: str, team: str
) -> None:
    batch.add(
        "staff",
        {
            "id": person.staff_id,
            "community_id": world.id,
            "name": person.name,
            "phone": person.phone,
            "post": post,
            "team": team,
            "account_id": person.account_id,
            "is_active": True,
        },
    )


# --- contract, items, plan tasks -----------------------------------------------------------------
@dataclass(frozen=True)
class _Item:
    id: int
    spec: ItemSpec
    times: int
    assignee: int | None
    valid_from: dt.date
    valid_to: dt.date | None


def _build_contract(ctx: SeedContext, ids: Ids, batch: Batch, world: CommunityWorld) -> list[_Item]:
    """The contract, its SLA rules and service items (the demo's, plus per-building rounds)."""
    start = dt.date(ctx.history_start.year, 1, 1)
    end = dt.date(ctx.as_of.year + 2, 1, 1) - dt.timedelta(days=1)
    plan, actual, timely, rectify, satisfaction, reply = TARGETS[world.service_level]
    reply_h, accept_h, fix_d, auto_close_d = DEADLINES[world.service_level]
    contract_id = ids("service_contracts")
    batch.add(
        "service_contracts",
        {
            "id": contract_id,
            "community_id": world.id,
            "code": f"{world.code}-{start.year}",
            "start_date": start,
            "end_date": end,
            "fee_per_m2_month": Decimal("2.50"),
            "service_level": world.service_level,
            "target_plan_completion": plan,
            "target_actual_completion": actual,
            "target_timeliness": timely,
            "target_rectification": rectify,
            "target_satisfaction": satisfaction,
            "target_reply_timeliness": reply,
            "red_line_score": 2,
            "reply_deadline_hours": reply_h,
            "accept_deadline_hours": accept_h,
            "fix_deadline_days": fix_d,
            "auto_close_days": auto_close_d,
            "hotspot_min_count": 3,
            "hotspot_window_days": 30,
            "missed_checkpoints_per_day": 3,
            "fault_streak_count": 3,
            "fault_streak_days": 30,
        },
    )
    for (order_type, category, priority), (respond, resolve) in SLA_RULES.items():
        batch.add(
            "sla_rules",
            {
                "id": ids("sla_rules"),
                "contract_id": contract_id,
                "order_type": order_type,
                "category": category,
                "priority": priority,
                "respond_minutes": respond,
                "resolve_minutes": resolve,
            },
        )
    world.contract = ContractRef(
        contract_id, world.service_level, 2, reply_h, accept_h, fix_d, auto_close_d, dict(SLA_RULES)
    )
    specs: list[tuple[ItemSpec, int | None]] = [(s, None) for s in (*ITEMS, STAIR_UPGRADE)]
    for building in world.buildings:
        for code, name, category, standard, times in BUILDING_ITEMS:
            building_item = ItemSpec(
                f"{code}-{building.name[:-1]}",
                f"{building.name}{name}",
                "basic",
                category,
                standard,
                "daily",
                ("07:00", "20:00"),
                20,
                times_per_day=times,
            )
            specs.append((building_item, building.id))
    upgrade_on = ctx.history_start + dt.timedelta(days=150)
    turn: dict[str, int] = {}
    items = []
    for spec, area_id in specs:
        if world.size[0] not in spec.sizes:
            continue
        staff = world.post(POST_FOR_CATEGORY[spec.category])
        assignee = staff[turn.get(spec.category, 0) % len(staff)].staff_id
        turn[spec.category] = turn.get(spec.category, 0) + 1
        valid_from, valid_to = start, None
        if spec.code == "CL-STAIR":
            valid_to = upgrade_on - dt.timedelta(days=1)
        elif spec is STAIR_UPGRADE:
            valid_from = upgrade_on
        times = spec.times_per_day
        if spec.recurrence == "daily" and spec.category in ("cleaning", "security") and not area_id:
            times += EXTRA_DAILY_ROUNDS[world.size]
        if spec.area:
            area_id = next((a.id for a in world.public_areas if a.name == spec.area), None)
        item = _Item(ids("service_items"), spec, times, assignee, valid_from, valid_to)
        items.append(item)
        batch.add(
            "service_items",
            {
                "id": item.id,
                "contract_id": contract_id,
                "code": spec.code,
                "name": spec.name,
                "tier": spec.tier,
                "category": spec.category,
                "standard": spec.standard,
                "recurrence": spec.recurrence,
                "times_per_day": times,
                "weekdays": spec.weekdays,
                "month_days": spec.month_days,
                "window_start": dt.time.fromisoformat(spec.window[0]),
                "window_end": dt.time.fromisoformat(spec.window[1]),
                "expected_minutes": spec.minutes,
                "area_id": area_id,
                "default_assignee_id": assignee,
                "valid_from": valid_from,
                "valid_to": valid_to,
            },
        )
    return items


def _occurs(item: _Item, day: dt.date) -> bool:
    if day < item.valid_from or (item.valid_to is not None and day > item.valid_to):
        return False
    spec = item.spec
    return occurs_on(
        day, recurrence=spec.recurrence, weekdays=spec.weekdays, month_days=spec.month_days
    )


def _windows(item: _Item) -> list[tuple[dt.timedelta, dt.timedelta]]:
    """The item's windows of a day, as offsets from local midnight (equal slices)."""
    spec = item.spec
    start = dt.time.fromisoformat(spec.window[0])
    end = dt.time.fromisoformat(spec.window[1])
    first = dt.timedelta(hours=start.hour, minutes=start.minute)
    span = dt.timedelta(hours=end.hour, minutes=end.minute) - first
    step = span / item.times
    return [(first + step * n, first + step * (n + 1)) for n in range(item.times)]


def _build_plan_tasks(
    ctx: SeedContext, ids: Ids, batch: Batch, world: CommunityWorld, items: list[_Item]
) -> None:
    """Every window of every item from the history's start to two weeks ahead; past windows
    are worked with the demo's odds (on time, late, missed = left planned, cancelled)."""
    rng = ctx.rng("large_plan_tasks", world.code)
    odds = TASK_OUTCOMES[world.service_level]
    outcomes, weights = list(odds), list(odds.values())
    now = ctx.now
    windows = {item.id: _windows(item) for item in items}
    rows = batch.rows.setdefault("plan_tasks", [])
    for day in ctx.days(ctx.history_start, ctx.plan_end):
        midnight = ctx.utc(day, dt.time(0, 0))  # Asia/Shanghai has no DST: one offset a day
        for item in items:
            if not _occurs(item, day):
                continue
            work = dt.timedelta(minutes=item.spec.minutes)
            for seq, (start_offset, end_offset) in enumerate(windows[item.id]):
                start, end = midnight + start_offset, midnight + end_offset
                status, done_at, note = "planned", None, ""
                if end <= now:
                    outcome = rng.choices(outcomes, weights)[0]
                    window = (end - start).total_seconds()
                    if outcome == "on_time":
                        busy = min(work.total_seconds(), window * 0.8)
                        done_at = start + dt.timedelta(seconds=rng.uniform(busy, window - 60))
                    elif outcome == "late":
                        done_at = min(end + dt.timedelta(minutes=rng.randint(10, 360)), now)
                        note = pick(rng, LATE_NOTES)
                    elif outcome == "cancelled":
                        status, note = "cancelled", pick(rng, CANCEL_NOTES)
                    if done_at is not None:
                        status, done_at = "done", seconds(done_at)
                rows.append(
                    {
                        "id": ids("plan_tasks"),
                        "community_id": world.id,
                        "item_id": item.id,
                        "due_date": day,
                        "seq": seq,
                        "window_start_at": start,
                        "window_end_at": end,
                        "assignee_id": item.assignee,
                        "status": status,
                        "completed_at": done_at,
                        "note": note,
                    }
                )


# --- patrols -------------------------------------------------------------------------------------
def _build_patrols(ctx: SeedContext, ids: Ids, batch: Batch, world: CommunityWorld) -> None:
    rng = ctx.rng("large_patrols", world.code)
    width, height = world.site
    odds = PATROL_OUTCOMES[world.service_level]
    guards = [g.staff_id for g in world.post("保安")]
    now = ctx.now
    plans = []
    for spec in ROUTES[world.size]:
        route_id = ids("patrol_routes")
        batch.add("patrol_routes", {"id": route_id, "community_id": world.id, "name": spec.name})
        points = []
        for seq, point in enumerate(spec.points, start=1):
            if isinstance(point, str):
                area = world.area(point)
                name, x, y = f"{point}巡检点", area.x + rng.uniform(-5, 5), area.y
                photo = point in spec.photo_points
            else:
                name, fx, fy = point
                x, y = width * fx, height * fy
                photo = name in spec.photo_points
            checkpoint = (ids("checkpoints"), round(x, 1), round(y, 1))
            points.append(checkpoint)
            batch.add(
                "checkpoints",
                {
                    "id": checkpoint[0],
                    "route_id": route_id,
                    "seq": seq,
                    "name": name,
                    "x": checkpoint[1],
                    "y": checkpoint[2],
                    "photo_required": photo,
                },
            )
        legs = [math.dist(a[1:], b[1:]) * PATH_FACTOR for a, b in itertools.pairwise(points)]
        slots = [s.split("-") for s in spec.time_slots.split(",")]
        plan_id = ids("patrol_plans")
        minutes = [(_hhmm(a), _hhmm(b)) for a, b in slots]
        batch.add(
            "patrol_plans",
            {
                "id": plan_id,
                "community_id": world.id,
                "route_id": route_id,
                "name": spec.plan_name,
                "post": "保安",
                "times_per_day": len(slots),
                "time_slots": spec.time_slots,
                "expected_minutes": (minutes[0][1] - minutes[0][0]) % (24 * 60),
                "expected_distance_m": max(10.0, round(sum(legs), -1)),
                "valid_from": dt.date(ctx.history_start.year, 1, 1),
                "valid_to": None,
            },
        )
        plans.append((plan_id, points, legs, minutes))
    shifts = batch.rows.setdefault("patrol_shifts", [])
    checkins = batch.rows.setdefault("patrol_checkins", [])
    outcomes, weights = list(odds), list(odds.values())
    for day in ctx.days(ctx.history_start, ctx.as_of + dt.timedelta(days=1)):
        midnight = ctx.utc(day, dt.time(0, 0))
        for plan_id, points, legs, minutes in plans:
            for slot_no, (first, last) in enumerate(minutes, start=1):
                start = midnight + dt.timedelta(minutes=first)
                end = midnight + dt.timedelta(minutes=last if last > first else last + 24 * 60)
                row = {
                    "id": ids("patrol_shifts"),
                    "community_id": world.id,
                    "plan_id": plan_id,
                    "shift_date": day,
                    "slot_no": slot_no,
                    "guard_id": guards[(day.toordinal() + 3 * slot_no + 5 * plan_id) % len(guards)],
                    "planned_start_at": start,
                    "planned_end_at": end,
                    "started_at": None,
                    "ended_at": None,
                    "distance_m": None,
                }
                shifts.append(row)
                if end > now:
                    continue
                outcome = rng.choices(outcomes, weights)[0]
                if outcome == "skipped":
                    continue
                at = start + dt.timedelta(
                    minutes=rng.uniform(15, 50) if outcome == "late" else rng.uniform(-3, 6)
                )
                row["started_at"] = seconds(at)
                missed = (
                    set(rng.sample(range(1, len(points)), rng.randint(1, 3)))
                    if outcome == "partial"
                    else set()
                )
                speed = rng.uniform(1.0, 1.3)
                for index, (checkpoint_id, _, _) in enumerate(points):
                    if index:
                        at += dt.timedelta(seconds=legs[index - 1] / speed + rng.uniform(20, 90))
                    if index not in missed:
                        checkins.append(
                            {
                                "id": ids("patrol_checkins"),
                                "shift_id": row["id"],
                                "checkpoint_id": checkpoint_id,
                                "checked_at": seconds(at),
                            }
                        )
                row["ended_at"] = seconds(at + dt.timedelta(minutes=rng.uniform(1, 4)))
                row["distance_m"] = round(sum(legs) * rng.uniform(0.95, 1.08), 1)


def _hhmm(text_: str) -> int:
    hours, minutes = text_.split(":")
    return int(hours) * 60 + int(minutes)


# --- work orders, ratings, tickets, photos -------------------------------------------------------
def _build_orders(
    ctx: SeedContext, ids: Ids, batch: Batch, world: CommunityWorld, monthly: int
) -> list[OrderDraft]:
    """Everyday orders drafted by the demo's ``OrderBuilder`` (same texts, flows, SLA rules)."""
    builder = OrderBuilder(ctx, world, ctx.rng("large_orders", world.code), [])
    rng = builder.rng
    orders: list[OrderDraft] = []
    hours = {h: (3.0 if 8 <= h <= 11 or 18 <= h <= 21 else 1.0) for h in range(7, 23)}
    for day in ctx.days(ctx.history_start, ctx.as_of):
        rate = monthly / 30 * (1.15 if day.isoweekday() >= 6 else 0.94)
        for _ in range(_poisson(rng, rate)):
            created = ctx.utc(day, dt.time(weighted(rng, hours), rng.randrange(60)))
            if created > ctx.now:
                continue
            order_type = weighted(rng, TYPE_MIX)
            problem = pick(rng, PROBLEMS[order_type])
            order = builder.draft(order_type, problem=problem)
            plan = builder.plan(order, problem_parts=problem.parts)
            builder.materialize(order, created, plan, problem.parts)
            orders.append(order)
    orders.sort(key=lambda o: o.created_at)
    per_day: dict[tuple[str, dt.date], int] = {}
    for order in orders:
        day = ctx.local(order.created_at).date()
        key = (order.order_type, day)
        per_day[key] = per_day.get(key, 0) + 1
        order.id, order.code = ids("work_orders"), f"{CODE_PREFIX[order.order_type]}{day:%Y%m%d}"
        order.code += f"{per_day[key]:03d}"
        reporter, assignee = order.reporter, order.assignee
        batch.add(
            "work_orders",
            {
                "id": order.id,
                "community_id": world.id,
                "code": order.code,
                "external_id": None,
                "source": order.source,
                "order_type": order.order_type,
                "category": order.category,
                "priority": order.priority,
                "title": order.title,
                "description": order.description,
                "area_id": order.area_id,
                "unit_id": order.unit.id if order.unit else None,
                "location": order.location,
                "visibility": order.visibility,
                "reporter_id": reporter.account_id if reporter else None,
                "reporter_name": reporter.name if reporter else "",
                "reporter_phone": reporter.phone if reporter else "",
                "assignee_id": assignee.staff_id if assignee else None,
                "created_at": order.created_at,
                "respond_due_at": order.respond_due_at,
                "resolve_due_at": order.resolve_due_at,
                "responded_at": order.responded_at,
                "completed_at": order.completed_at,
                "version": len(order.events),
            },
        )
        for event in order.events:
            event.id = ids("work_order_events")
            actor = event.actor
            batch.add(
                "work_order_events",
                {
                    "id": event.id,
                    "work_order_id": order.id,
                    "stage": event.stage,
                    "occurred_at": event.at,
                    "actor_account_id": actor.account_id if actor else None,
                    "actor_staff_id": actor.staff_id if actor else None,
                    "actor_name": actor.name if actor else "",
                    "note": event.note,
                },
            )
        for part in order.parts:
            batch.add(
                "work_order_parts",
                {
                    "id": ids("work_order_parts"),
                    "work_order_id": order.id,
                    "name": part.name,
                    "quantity": part.quantity,
                    "ordered_at": part.ordered_at,
                    "arrived_at": part.arrived_at,
                },
            )
    return orders


@dataclass
class _Rating:
    id: int
    order: OrderDraft
    owner: PersonRef
    scores: tuple[int, int, int]
    created_at: dt.datetime


def _build_ratings(
    ctx: SeedContext, ids: Ids, batch: Batch, world: CommunityWorld, orders: list[OrderDraft]
) -> list[_Rating]:
    """The demo's rule: a share of owners rate their completed orders; scores follow SLA."""
    from seed.ratings import RatingDraft

    rng = ctx.rng("large_ratings", world.code)
    assert world.contract is not None and world.manager is not None
    hours = world.contract.reply_deadline_hours
    drafts = []
    for order in orders:
        completed = order.completed_at
        if completed is None or not order.reporter_is_owner or rng.random() >= RATED_SHARE:
            continue
        scores, comment = _scores(rng, world, order)
        created = seconds(completed + dt.timedelta(hours=min(rng.expovariate(1 / 10), 168)))
        if created > ctx.now:
            continue
        assert order.reporter is not None
        draft = RatingDraft(
            order=order,
            owner=order.reporter,
            scores=scores,
            comment=comment,
            created_at=created,
            reply_due_at=created + dt.timedelta(hours=hours),
        )
        _reply(rng, ctx, draft, hours)
        drafts.append(draft)
    drafts.sort(key=lambda r: (r.created_at, r.order.code))
    ratings = []
    for draft in drafts:
        rating = _Rating(ids("ratings"), draft.order, draft.owner, draft.scores, draft.created_at)
        ratings.append(rating)
        batch.add(
            "ratings",
            {
                "id": rating.id,
                "community_id": world.id,
                "work_order_id": draft.order.id,
                "owner_id": draft.owner.account_id,
                "score_speed": draft.scores[0],
                "score_attitude": draft.scores[1],
                "score_quality": draft.scores[2],
                "comment": draft.comment,
                "created_at": draft.created_at,
                "updated_at": draft.created_at,
                "reply_due_at": draft.reply_due_at,
                "reply": draft.reply,
                "replied_at": draft.replied_at,
                "replied_by_id": world.manager.account_id if draft.replied_at else None,
                "submission_key": None,
                "version": 1,
            },
        )
    return ratings


def _build_tickets(
    ctx: SeedContext, ids: Ids, batch: Batch, world: CommunityWorld, ratings: list[_Rating]
) -> None:
    """A ticket for every red-line rating, plus owners' own suggestions; walked along the
    ticket's main path as far as its age and the contract's deadlines allow."""
    rng = ctx.rng("large_tickets", world.code)
    contract = world.contract
    assert contract is not None and world.manager is not None
    drafts: list[tuple[dt.datetime, str, _Rating | None, PersonRef | None, str, str, int | None]]
    drafts = []
    for rating in ratings:
        if min(rating.scores) <= contract.red_line_score:
            order = rating.order
            drafts.append(
                (
                    rating.created_at,
                    "rating",
                    rating,
                    rating.owner,
                    f"差评整改:{order.title}"[:200],
                    order.category,
                    order.area_id,
                )
            )
    monthly = OWNER_TICKETS_PER_MONTH[world.size]
    for day in ctx.days(ctx.history_start, ctx.as_of):
        for _ in range(_poisson(rng, monthly / 30)):
            created = ctx.utc(day, dt.time(rng.randrange(8, 21), rng.randrange(60)))
            if created > ctx.now:
                continue
            category, title, _description = pick(rng, SUGGESTIONS)
            owner = pick(rng, world.owners)
            area = pick(rng, world.public_areas)
            title = title.format(area=area.name)
            drafts.append((created, "owner", None, owner, title, category, area.id))
    drafts.sort(key=lambda d: (d[0], d[4]))
    per_day: dict[dt.date, int] = {}
    staff = world.manager
    for created, source, red_line, proposer, title, category, area_id in drafts:
        day = ctx.local(created).date()
        per_day[day] = per_day.get(day, 0) + 1
        ticket_id = ids("rectification_tickets")
        accept = created + dt.timedelta(
            hours=contract.accept_deadline_hours * rng.uniform(0.1, 1.2)
        )
        fix = accept + dt.timedelta(days=contract.fix_deadline_days * rng.uniform(0.2, 1.1))
        times = [created, accept, accept + (fix - accept) * 0.2, fix]
        times.append(fix + dt.timedelta(days=contract.auto_close_days * rng.uniform(0.1, 1.0)))
        reached = [(s, t) for s, t in zip(TICKET_MAIN_PATH, times, strict=True) if t <= ctx.now]
        events = []
        for (status, at), previous in zip(reached, [None, *TICKET_MAIN_PATH], strict=False):
            actor = proposer if status in ("submitted", "closed") else staff
            events.append(
                {
                    "id": ids("ticket_events"),
                    "ticket_id": ticket_id,
                    "from_status": previous,
                    "to_status": status,
                    "occurred_at": seconds(at),
                    "actor_account_id": actor.account_id if actor else None,
                    "actor_name": actor.name if actor else "",
                    "note": "",
                }
            )
        status = reached[-1][0]
        batch.add(
            "rectification_tickets",
            {
                "id": ticket_id,
                "community_id": world.id,
                "code": f"ZGD{day:%Y%m%d}{per_day[day]:03d}",
                "source": source,
                "rating_id": red_line.id if red_line else None,
                "work_order_id": red_line.order.id if red_line else None,
                "title": title,
                "category": category,
                "description": title,
                "area_id": area_id,
                "location": "",
                "owner_id": proposer.account_id if proposer else None,
                "opened_by_id": None,
                "status": status,
                "created_at": seconds(created),
                "accept_due_at": seconds(created)
                + dt.timedelta(hours=contract.accept_deadline_hours),
                "fix_due_at": seconds(created) + dt.timedelta(days=contract.fix_deadline_days),
                "accepted_at": seconds(accept) if len(reached) > 1 else None,
                "reject_reason": "",
                "closed_at": seconds(times[4]) if status == "closed" else None,
                "auto_closed": False,
                "version": len(events),
            },
        )
        batch.rows.setdefault("ticket_events", []).extend(events)


def _photo_pool(session: Session, ctx: SeedContext) -> list[tuple[int, str]]:
    """A few pictures stored once (content-addressed); attachments point at them."""
    pool = []
    at = ctx.now
    for n in range(PHOTO_POOL):
        kind = ("before", "after")[n % 2]
        category = ("plumbing", "electrical", "cleaning", "greening", "facilities", "other")[n // 2]
        data = draw_photo(
            kind=kind,
            category=category,
            title="样例照片",
            place="大数据集",
            local_time=ctx.local(at),
            code=f"POOL{n:02d}",
        )
        photo = store_photo(
            session=session, data=data, media_dir=ctx.media_dir, taken_at=at, uploaded_at=at
        )
        pool.append((photo.id, kind))
    return pool


def _build_photos(
    ctx: SeedContext,
    ids: Ids,
    batch: Batch,
    world: CommunityWorld,
    orders: list[OrderDraft],
    pool: list[tuple[int, str]],
) -> None:
    rng = ctx.rng("large_photos", world.code)
    after = [photo_id for photo_id, kind in pool if kind == "after"]
    for order in orders:
        if order.completed_at is None or order.order_type not in ("repair", "rectification"):
            continue
        if rng.random() >= PHOTO_SHARE:
            continue
        last = order.events[-1]
        batch.add(
            "photo_attachments",
            {
                "id": ids("photo_attachments"),
                "photo_id": pick(rng, after),
                "kind": "after",
                "work_order_id": order.id,
                "work_order_event_id": last.id,
                "ticket_id": None,
                "ticket_event_id": None,
                "rating_id": None,
                "plan_task_id": None,
                "checkin_id": None,
                "caption": order.title,
                "attached_at": last.at,
            },
        )


# --- writing -------------------------------------------------------------------------------------
def _write(conn: Connection, table_name: str, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (all with the same keys): COPY on PostgreSQL, executemany on SQLite."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        _copy(conn, table_name, rows)
        return
    table: Table = Base.metadata.tables[table_name]
    for chunk in _chunks(rows):
        conn.execute(insert(table), chunk)


def _copy(conn: Connection, table_name: str, rows: list[dict[str, Any]]) -> None:
    """COPY through the session's own psycopg connection (same transaction). The values are
    already what the columns store (naive UTC timestamps), so no type processing is skipped."""
    columns = list(rows[0])
    driver = conn.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor:
        statement = f"COPY {table_name} ({', '.join(columns)}) FROM STDIN"
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def _reset_sequences(conn: Connection) -> None:
    """Ids were given explicitly: move PostgreSQL's sequences past them (SQLite needs nothing)."""
    if conn.dialect.name != "postgresql":
        return
    for table in Base.metadata.sorted_tables:
        if "id" not in table.c:
            continue
        sequence = conn.scalar(text(f"SELECT pg_get_serial_sequence('{table.name}', 'id')"))
        if sequence is None:  # not a serial id (login sessions)
            continue
        conn.execute(
            text(
                f"SELECT setval(:seq, COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            ),
            {"seq": sequence},
        )
