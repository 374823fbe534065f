"""Equipment (电梯, 水泵, 门禁, 消防, 监控) and its fault history.

Faults are drafted before the work orders (each fault becomes a repair order) and written
after them, linked to their order and resolved when it completed. Two pieces of equipment
have streaks of repeated faults, for the early-warning board.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import insert
from sqlalchemy.orm import Session

from data_access.models import Equipment, EquipmentFault
from seed.core import AreaRef, CommunityWorld, SeedContext, insert_returning_ids, pick
from seed.texts import FAULTS

# kind → (code prefix, faults per month, work-order category)
KINDS: dict[str, tuple[str, float, str]] = {
    "elevator": ("DT", 0.22, "elevator"),
    "pump": ("SB", 0.15, "plumbing"),
    "access_control": ("MJ", 0.25, "access_control"),
    "fire": ("XF", 0.10, "facilities"),
    "cctv": ("JK", 0.15, "security"),
}
# community code → (equipment name, faults, within the last N days)
STREAKS = {"CUIHU": ("5栋2单元电梯", 4, 20), "JINXIU": ("南门门禁", 3, 10)}


@dataclass(frozen=True)
class EquipmentRef:
    id: int
    name: str
    kind: str
    area: AreaRef
    entrance: int | None = None  # elevators: which entrance of the building


@dataclass
class FaultDraft:
    equipment: EquipmentRef
    occurred_at: dt.datetime
    description: str
    urgent: bool
    work_order_id: int | None = None
    resolved_at: dt.datetime | None = None


def create_equipment(
    session: Session, ctx: SeedContext, world: CommunityWorld
) -> tuple[list[EquipmentRef], list[FaultDraft]]:
    rng = ctx.rng("equipment", world.code)
    specs = _equipment_specs(world)
    counters: dict[str, int] = {}
    rows = []
    for name, kind, area, _ in specs:
        counters[kind] = counters.get(kind, 0) + 1
        rows.append(
            {
                "community_id": world.id,
                "area_id": area.id,
                "code": f"{KINDS[kind][0]}-{counters[kind]:03d}",
                "name": name,
                "kind": kind,
                "installed_on": dt.date(rng.randint(2012, 2021), rng.randint(1, 12), 1),
            }
        )
    ids = insert_returning_ids(session, Equipment, rows)
    equipment = [
        EquipmentRef(id, name, kind, area, entrance)
        for id, (name, kind, area, entrance) in zip(ids, specs, strict=True)
    ]
    return equipment, _draft_faults(ctx, rng, world, equipment)


def write_faults(session: Session, faults: list[FaultDraft]) -> None:
    rows = [
        {
            "equipment_id": f.equipment.id,
            "occurred_at": f.occurred_at,
            "resolved_at": f.resolved_at,
            "description": f.description,
            "work_order_id": f.work_order_id,
        }
        for f in sorted(faults, key=lambda f: (f.occurred_at, f.equipment.id))
    ]
    if rows:
        session.execute(insert(EquipmentFault), rows)


def _equipment_specs(world: CommunityWorld) -> list[tuple[str, str, AreaRef, int | None]]:
    specs: list[tuple[str, str, AreaRef, int | None]] = []
    entrances = 2
    # Small, older communities only have the elevators retrofitted into two buildings.
    buildings = world.buildings if world.size != "small" else world.buildings[:2]
    for building in buildings:
        for entrance in range(1, (entrances if world.size != "small" else 1) + 1):
            specs.append((f"{building.name}{entrance}单元电梯", "elevator", building, entrance))
    pumps = world.area("水泵房")
    specs += [("生活水泵1#", "pump", pumps, None), ("生活水泵2#", "pump", pumps, None)]
    if world.size != "small":
        specs.append(("消防水泵", "pump", pumps, None))
    for gate in world.areas_of("gate"):
        specs.append((f"{gate.name}门禁", "access_control", gate, None))
    if world.areas_of("garage"):
        specs.append(("地库道闸", "access_control", world.area("地下车库"), None))
    control = next(iter(world.areas_of("facility")), world.public_areas[0])
    if any(a.name == "监控中心" for a in world.public_areas):
        control = world.area("监控中心")
    specs += [
        ("消防报警主机", "fire", control, None),
        ("喷淋系统", "fire", pumps, None),
        ("监控硬盘录像机", "cctv", control, None),
        ("周界摄像头", "cctv", world.area("南门"), None),
    ]
    return specs


def _draft_faults(
    ctx: SeedContext, rng: random.Random, world: CommunityWorld, equipment: list[EquipmentRef]
) -> list[FaultDraft]:
    days = (ctx.as_of - ctx.history_start).days
    faults = []
    for item in equipment:
        expected = KINDS[item.kind][1] * days / 30
        count = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
        for _ in range(count):
            day = ctx.history_start + dt.timedelta(days=rng.randrange(days - 3))
            faults.append(_fault(ctx, rng, item, day))
    streak = STREAKS.get(world.code)
    if streak:
        name, count, within = streak
        item = next(e for e in equipment if e.name == name)
        for n in range(count):
            day = ctx.as_of - dt.timedelta(days=within - 1 - n * (within - 2) // count)
            faults.append(_fault(ctx, rng, item, day))
    return sorted(faults, key=lambda f: (f.occurred_at, f.equipment.id))


def _fault(ctx: SeedContext, rng: random.Random, item: EquipmentRef, day: dt.date) -> FaultDraft:
    description = pick(rng, FAULTS[item.kind])
    at = ctx.utc(day, dt.time(rng.randint(7, 19), rng.randrange(60)))
    return FaultDraft(
        item, at, description, urgent="困人" in description or "压力不足" in description
    )
