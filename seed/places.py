"""Communities, their buildings and public areas (site-plan metres), and the homes (units)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from data_access.models import Area, Community, Unit
from seed.core import TIME_ZONE, AreaRef, CommunityWorld, SeedContext, UnitRef
from seed.texts import PUBLIC_AREAS


@dataclass(frozen=True)
class CommunitySpec:
    code: str
    name: str
    address: str
    size: str  # large / medium / small: picks public areas and volumes
    service_level: str
    fee_per_m2_month: Decimal
    site: tuple[float, float]  # width, height in metres
    buildings: int
    entrances: int
    floors: int
    rooms_per_floor: int  # per entrance
    owners: int  # owner accounts (not every household uses the app)
    orders_per_month: int


COMMUNITIES: tuple[CommunitySpec, ...] = (
    CommunitySpec(
        code="CUIHU",
        name="翠湖花园",
        address="杭州市西湖区翠湖路 88 号",
        size="large",
        service_level="一级",
        fee_per_m2_month=Decimal("3.20"),
        site=(520.0, 380.0),
        buildings=12,
        entrances=2,
        floors=18,
        rooms_per_floor=2,
        owners=260,
        orders_per_month=140,
    ),
    CommunitySpec(
        code="JINXIU",
        name="锦绣华庭",
        address="杭州市拱墅区锦绣路 16 号",
        size="medium",
        service_level="二级",
        fee_per_m2_month=Decimal("2.50"),
        site=(360.0, 260.0),
        buildings=6,
        entrances=2,
        floors=11,
        rooms_per_floor=2,
        owners=150,
        orders_per_month=95,
    ),
    CommunitySpec(
        code="WUTONG",
        name="梧桐里",
        address="杭州市上城区梧桐巷 3 号",
        size="small",
        service_level="三级",
        fee_per_m2_month=Decimal("1.60"),
        site=(220.0, 160.0),
        buildings=5,
        entrances=2,
        floors=6,
        rooms_per_floor=2,
        owners=70,
        orders_per_month=60,
    ),
)
CITY = "杭州"


def create_places(session: Session, ctx: SeedContext) -> list[CommunityWorld]:
    worlds: list[CommunityWorld] = []
    for spec in COMMUNITIES:
        community = Community(
            code=spec.code,
            name=spec.name,
            city=CITY,
            address=spec.address,
            time_zone=TIME_ZONE,
            # A made-up desk number per community (0571 is Hangzhou's area code).
            service_phone=f"0571-8600 {1000 + len(worlds) + 1}",
            site_width_m=spec.site[0],
            site_height_m=spec.site[1],
        )
        session.add(community)
        session.flush()
        world = CommunityWorld(
            id=community.id,
            code=spec.code,
            name=spec.name,
            size=spec.size,
            service_level=spec.service_level,
            site=spec.site,
        )
        _create_areas(session, ctx, spec, world)
        _create_units(session, ctx, spec, world)
        worlds.append(world)
    return worlds


def _create_areas(
    session: Session, ctx: SeedContext, spec: CommunitySpec, world: CommunityWorld
) -> None:
    rng = ctx.rng("places", spec.code)
    width, height = spec.site
    columns = 4 if spec.buildings > 8 else 3
    rows = -(-spec.buildings // columns)
    buildings = []
    for n in range(spec.buildings):
        row, column = divmod(n, columns)
        # Buildings sit on a grid in the middle band of the site, with a little jitter.
        x = width * (0.12 + 0.76 * (column + 0.5) / columns) + rng.uniform(-6, 6)
        y = height * (0.12 + 0.70 * (row + 0.5) / rows) + rng.uniform(-6, 6)
        buildings.append(Area(community_id=world.id, name=f"{n + 1}栋", kind="building", x=x, y=y))
    public = [
        Area(
            community_id=world.id,
            name=name,
            kind=kind,
            x=round(width * fx + rng.uniform(-4, 4), 1),
            y=round(height * fy + rng.uniform(-4, 4), 1),
        )
        for name, kind, fx, fy in PUBLIC_AREAS[spec.size]
    ]
    for area in buildings:
        area.x, area.y = round(area.x, 1), round(area.y, 1)
    session.add_all([*buildings, *public])
    session.flush()
    world.buildings = [AreaRef(a.id, a.name, a.kind, a.x, a.y) for a in buildings]
    world.public_areas = [AreaRef(a.id, a.name, a.kind, a.x, a.y) for a in public]


def _create_units(
    session: Session, ctx: SeedContext, spec: CommunitySpec, world: CommunityWorld
) -> None:
    rng = ctx.rng("units", spec.code)
    rows = []
    for building in world.buildings:
        for entrance in range(1, spec.entrances + 1):
            for floor in range(1, spec.floors + 1):
                for room in range(1, spec.rooms_per_floor + 1):
                    rows.append(
                        {
                            "community_id": world.id,
                            "building_id": building.id,
                            "entrance": entrance,
                            "room": f"{floor}{room:02d}",
                            "floor_area_m2": float(rng.choice((89, 96, 108, 119, 128, 143))),
                        }
                    )
    session.execute(insert(Unit), rows)
    by_id = {b.id: b for b in world.buildings}
    world.units = [
        UnitRef(id=u.id, building=by_id[u.building_id], entrance=u.entrance, room=u.room)
        for u in session.scalars(
            select(Unit).where(Unit.community_id == world.id).order_by(Unit.id)
        )
    ]
