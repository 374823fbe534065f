"""Deterministic demo data: ``python -m seed --scale demo --seed 42 --as-of 2026-11-20``.

``populate`` fills an empty, migrated database with three communities and a year of history
up to ``as_of`` (plans, patrols, work orders, ratings, tickets, equipment, photos). The same
seed and ``as_of`` give the same rows and the same photo files (password hashes aside: they
are salted). One generator per table group, each with its own seeded ``random.Random``.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from data_access.db import write_session
from data_access.errors import DomainError
from data_access.media.photos import MEDIA_DIR
from data_access.models import Base, Community
from data_access.notifications.notices import write_completion_notices
from data_access.outbox.enqueue import history_only
from seed.contracts import create_contracts
from seed.core import NOW_LOCAL_TIME, TIME_ZONE, SeedContext
from seed.equipment import create_equipment, write_faults
from seed.governance import create_governance
from seed.patrols import create_patrols
from seed.people import create_people
from seed.places import COMMUNITIES, create_places
from seed.plan_tasks import create_plan_tasks
from seed.ratings import create_ratings
from seed.stories import draft_stories
from seed.tickets import create_tickets
from seed.work_orders import OrderBuilder, add_order_photos, draft_orders, write_orders

SCALES = ("demo",)


def default_media_dir() -> Path:
    return Path(os.environ.get("MEDIA_DIR") or MEDIA_DIR)


def is_empty(*, session_factory: sessionmaker[Session]) -> bool:
    with session_factory() as session:
        return not session.scalar(select(func.count()).select_from(Community))


def populate(
    *,
    session_factory: sessionmaker[Session],
    scale: str = "demo",
    seed: int = 42,
    as_of: dt.date | None = None,
    media_dir: Path,
    now_time: dt.time = NOW_LOCAL_TIME,
) -> dict[str, int]:
    """Fill the empty database; returns the number of rows per table."""
    if scale not in SCALES:
        raise ValueError(
            f"unknown scale {scale!r}: only 'demo' exists; large scale arrives in a later step"
        )
    as_of = as_of or dt.datetime.now(ZoneInfo(TIME_ZONE)).date()
    ctx = SeedContext(seed=seed, as_of=as_of, media_dir=Path(media_dir), now_time=now_time)
    with write_session(session_factory) as session:
        existing = session.scalar(select(func.count()).select_from(Community))
        if existing:
            raise DomainError("seed.not_empty", communities=existing)
        history_only(session)  # the demo's past reaches nobody's phone
        _populate(session, ctx)
    with session_factory() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


def _populate(session: Session, ctx: SeedContext) -> None:
    worlds = create_places(session, ctx)
    create_people(session, ctx, worlds)
    create_contracts(session, ctx, worlds)
    create_plan_tasks(session, ctx, worlds)
    create_patrols(session, ctx, worlds)
    for world in worlds:
        spec = next(s for s in COMMUNITIES if s.code == world.code)
        equipment, faults = create_equipment(session, ctx, world)
        elevators = [e for e in equipment if e.kind == "elevator"]
        orders = draft_orders(ctx, world, spec.orders_per_month, elevators, faults)
        stories = OrderBuilder(ctx, world, ctx.rng("stories", world.code), elevators)
        orders += draft_stories(stories, world)
        orders = write_orders(session, ctx, world, orders)
        write_faults(session, faults)
        add_order_photos(session, ctx, world, orders)
        ratings = create_ratings(session, ctx, world, orders)
        # Recent completions told their owners, as a live completion does (rated or not).
        write_completion_notices(session=session, community_id=world.id, now=ctx.now)
        create_tickets(session, ctx, world, ratings)
        create_governance(session, ctx, world)
