"""Patrol routes and checkpoints, patrol plans, shifts (via ``data_access.plans.plans``), check-ins.

Guards mostly walk the whole route in order; some start late, some miss checkpoints, a few
shifts are skipped. Shifts that have not started by "now" stay without check-ins.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from data_access.models import Checkpoint, PatrolCheckin, PatrolPlan, PatrolRoute, PatrolShift
from data_access.plans.plans import GuardFor, generate_patrol_shifts
from seed.core import CommunityWorld, SeedContext, seconds, weighted
from seed.photos import add_photo

PATH_FACTOR = 1.2  # paths are not straight lines between checkpoints


@dataclass(frozen=True)
class RouteSpec:
    name: str
    plan_name: str
    time_slots: str
    # Checkpoints: a public area's name, or (name, fx, fy) placed by fraction of the site.
    points: tuple[str | tuple[str, float, float], ...]
    photo_points: tuple[str, ...] = ()


ROUTES: dict[str, tuple[RouteSpec, ...]] = {
    "large": (
        RouteSpec(
            "全园白班巡逻",
            "白班巡检",
            "08:00-08:45,11:00-11:45,14:00-14:45,17:00-17:45",
            (
                "南门",
                "中心花园",
                "健身广场",
                "儿童游乐区",
                "会所",
                "东门",
                "垃圾分类站",
                "北门",
                "水泵房",
                "配电房",
            ),
            ("南门", "水泵房", "配电房"),
        ),
        RouteSpec(
            "夜间巡逻",
            "夜间巡检",
            "20:00-20:50,23:30-00:20,02:30-03:20",
            (
                "南门",
                "1栋大堂",
                ("地库入口", 0.30, 0.72),
                "中心花园",
                "东门",
                "监控中心",
                "北门",
                "非机动车棚",
            ),
            ("地库入口", "非机动车棚"),
        ),
        RouteSpec(
            "地库巡查",
            "地库巡检",
            "09:30-10:10,15:30-16:10,21:30-22:10",
            (
                ("地库B1入口", 0.30, 0.72),
                ("地库A区", 0.22, 0.64),
                ("地库B区", 0.34, 0.60),
                ("地库C区", 0.46, 0.64),
                ("地库消防泵房", 0.50, 0.70),
                ("地库排风机房", 0.40, 0.74),
                ("地库出口", 0.38, 0.78),
            ),
            ("地库消防泵房",),
        ),
    ),
    "medium": (
        RouteSpec(
            "全园巡逻",
            "全园巡检",
            "08:00-08:45,14:00-14:45,20:00-20:45,23:30-00:15",
            (
                "南门",
                "中心花园",
                "儿童游乐区",
                "垃圾分类站",
                "北门",
                "水泵房",
                "配电房",
                "非机动车棚",
            ),
            ("南门", "水泵房"),
        ),
        RouteSpec(
            "地库巡查",
            "地库巡检",
            "10:00-10:35,16:00-16:35,22:00-22:35",
            (
                ("地库入口", 0.28, 0.70),
                ("地库A区", 0.22, 0.62),
                ("地库B区", 0.34, 0.58),
                ("地库消防泵房", 0.40, 0.66),
                ("地库排风机房", 0.32, 0.74),
                ("地库出口", 0.26, 0.78),
            ),
            ("地库消防泵房",),
        ),
    ),
    "small": (
        RouteSpec(
            "全园巡逻",
            "全园巡检",
            "08:30-09:10,14:30-15:10,20:30-21:10,00:30-01:10",
            (
                "南门",
                "1栋大堂",
                "中心花园",
                ("东侧围墙", 0.96, 0.45),
                "垃圾分类站",
                "水泵房",
                "非机动车棚",
            ),
            ("南门", "水泵房"),
        ),
    ),
}
# service level → (normal, late start, missed checkpoints, skipped) shares of shifts
OUTCOMES: dict[str, dict[str, float]] = {
    "一级": {"normal": 0.90, "late": 0.05, "partial": 0.04, "skipped": 0.01},
    "二级": {"normal": 0.87, "late": 0.065, "partial": 0.055, "skipped": 0.01},
    "三级": {"normal": 0.84, "late": 0.08, "partial": 0.065, "skipped": 0.015},
}
PHOTO_DAYS = 2
PHOTOS_PER_COMMUNITY = 6


@dataclass(frozen=True)
class _Point:
    id: int
    name: str
    x: float
    y: float


def create_patrols(session: Session, ctx: SeedContext, worlds: list[CommunityWorld]) -> None:
    for world in worlds:
        routes = _create_routes(session, ctx, world)
        generate_patrol_shifts(
            session=session,
            community_id=world.id,
            start=ctx.history_start,
            end=ctx.as_of + dt.timedelta(days=1),
            guard_for=_rota([g.staff_id for g in world.post("保安")]),
        )
        _walk_shifts(session, ctx, world, routes)
        _add_photos(session, ctx, world)


def _create_routes(
    session: Session, ctx: SeedContext, world: CommunityWorld
) -> dict[int, list[_Point]]:
    """Routes, checkpoints and plans; returns each plan's checkpoints in route order."""
    rng = ctx.rng("patrol_routes", world.code)
    width, height = world.site
    by_plan: dict[int, list[_Point]] = {}
    for spec in ROUTES[world.size]:
        route = PatrolRoute(community_id=world.id, name=spec.name)
        session.add(route)
        session.flush()
        checkpoints = []
        for seq, point in enumerate(spec.points, start=1):
            if isinstance(point, str):
                area = world.area(point)
                name, x, y = (
                    f"{point}巡检点",
                    area.x + rng.uniform(-5, 5),
                    area.y + rng.uniform(-5, 5),
                )
                photo = point in spec.photo_points
            else:
                name, fx, fy = point
                x, y = width * fx + rng.uniform(-3, 3), height * fy + rng.uniform(-3, 3)
                photo = name in spec.photo_points
            checkpoints.append(
                Checkpoint(
                    route_id=route.id,
                    seq=seq,
                    name=name,
                    x=round(x, 1),
                    y=round(y, 1),
                    photo_required=photo,
                )
            )
        session.add_all(checkpoints)
        session.flush()
        points = [_Point(c.id, c.name, c.x or 0.0, c.y or 0.0) for c in checkpoints]
        slots = spec.time_slots.split(",")
        first_start, first_end = slots[0].split("-")
        slot_minutes = _minutes(first_end) - _minutes(first_start)
        plan = PatrolPlan(
            community_id=world.id,
            route_id=route.id,
            name=spec.plan_name,
            post="保安",
            times_per_day=len(slots),
            time_slots=spec.time_slots,
            expected_minutes=slot_minutes,
            expected_distance_m=round(_path_length(points) * PATH_FACTOR, -1),
            valid_from=dt.date(ctx.history_start.year, 1, 1),
            valid_to=None,
        )
        session.add(plan)
        session.flush()
        by_plan[plan.id] = points
    return by_plan


def _walk_shifts(
    session: Session, ctx: SeedContext, world: CommunityWorld, routes: dict[int, list[_Point]]
) -> None:
    rng = ctx.rng("patrol_shifts", world.code)
    odds = OUTCOMES[world.service_level]
    shifts = session.execute(
        select(PatrolShift.id, PatrolShift.plan_id, PatrolShift.planned_start_at)
        .where(PatrolShift.community_id == world.id)
        .order_by(PatrolShift.id)
    ).all()
    changes, checkins = [], []
    for shift_id, plan_id, planned_start in shifts:
        if planned_start >= ctx.now:
            continue
        outcome = weighted(rng, odds)
        if outcome == "skipped":
            continue
        points = routes[plan_id]
        delay = rng.uniform(15, 50) if outcome == "late" else rng.uniform(-3, 6)
        started = planned_start + dt.timedelta(minutes=delay)
        if started > ctx.now:
            continue
        missed: set[int] = set()
        if outcome == "partial":
            missed = set(rng.sample(range(1, len(points)), rng.randint(1, 3)))
        speed = rng.uniform(1.0, 1.3)  # m/s
        at, walked, last = started, 0.0, None
        finished = True
        for index, point in enumerate(points):
            if last is not None:
                step = math.dist((last.x, last.y), (point.x, point.y)) * PATH_FACTOR
                at += dt.timedelta(seconds=step / speed + rng.uniform(20, 90))
            if at > ctx.now:
                finished = False
                break
            if last is not None:
                walked += math.dist((last.x, last.y), (point.x, point.y)) * PATH_FACTOR
            last = point
            if index not in missed:
                checkins.append(
                    {"shift_id": shift_id, "checkpoint_id": point.id, "checked_at": seconds(at)}
                )
        ended = at + dt.timedelta(minutes=rng.uniform(1, 4))
        done = finished and ended <= ctx.now
        changes.append(
            {
                "id": shift_id,
                "started_at": seconds(started),
                "ended_at": seconds(ended) if done else None,
                "distance_m": round(walked * rng.uniform(0.95, 1.08), 1) if done else None,
            }
        )
    session.execute(update(PatrolShift), changes)
    session.execute(insert(PatrolCheckin), checkins)


def _add_photos(session: Session, ctx: SeedContext, world: CommunityWorld) -> None:
    rng = ctx.rng("patrol_photos", world.code)
    rows = session.execute(
        select(PatrolCheckin.id, PatrolCheckin.checked_at, Checkpoint.name)
        .join(Checkpoint, PatrolCheckin.checkpoint_id == Checkpoint.id)
        .join(PatrolShift, PatrolCheckin.shift_id == PatrolShift.id)
        .where(
            PatrolShift.community_id == world.id,
            Checkpoint.photo_required.is_(True),
            PatrolCheckin.checked_at >= ctx.now - dt.timedelta(days=PHOTO_DAYS),
        )
        .order_by(PatrolCheckin.id)
    ).all()
    for checkin_id, at, name in sorted(rng.sample(rows, min(PHOTOS_PER_COMMUNITY, len(rows)))):
        add_photo(
            session,
            ctx,
            kind="evidence",
            category="security",
            title=f"巡检打卡:{name}",
            place=world.name,
            at=at,
            code=f"XJ{checkin_id:07d}",
            checkin_id=checkin_id,
        )


def _rota(guards: list[int | None]) -> GuardFor:
    """Guards take turns by day and slot, so each walks every route now and then."""

    def guard_for(plan: PatrolPlan, day: dt.date, slot_no: int) -> int | None:
        return guards[(day.toordinal() + 3 * slot_no + 5 * plan.id) % len(guards)]

    return guard_for


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _path_length(points: list[_Point]) -> float:
    return sum(math.dist((a.x, a.y), (b.x, b.y)) for a, b in itertools.pairwise(points))
