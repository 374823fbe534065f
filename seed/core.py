"""What every generator shares: the run's context (seed, "now", period) and the world so far.

Generators never read the clock or the global ``random``: "now" is ``as_of`` at ``now_time``
(20:00 local unless the caller says otherwise) and every generator draws from its own ``random.Random`` derived from the seed and a name,
so adding draws to one generator does not change another's data.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.orm import Session

from data_access.timestamps import DEFAULT_TIME_ZONE

T = TypeVar("T")

TIME_ZONE = DEFAULT_TIME_ZONE
NOW_LOCAL_TIME = dt.time(20, 0)
HISTORY_MONTHS = 12
FUTURE_PLAN_DAYS = 14


@dataclass(frozen=True)
class SeedContext:
    seed: int
    as_of: dt.date
    media_dir: Path
    now_time: dt.time = NOW_LOCAL_TIME

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(TIME_ZONE)

    @property
    def now(self) -> dt.datetime:
        """The demo's present moment, naive UTC."""
        return self.utc(self.as_of, self.now_time)

    @property
    def history_start(self) -> dt.date:
        """The first day of the month twelve months before ``as_of``'s month."""
        month = self.as_of.year * 12 + self.as_of.month - 1 - HISTORY_MONTHS
        return dt.date(month // 12, month % 12 + 1, 1)

    @property
    def plan_end(self) -> dt.date:
        return self.as_of + dt.timedelta(days=FUTURE_PLAN_DAYS)

    def rng(self, *names: object) -> random.Random:
        """A generator's own random stream (string seeds are hashed stably by ``random``)."""
        return random.Random("-".join(str(n) for n in (self.seed, *names)))

    def utc(self, day: dt.date, time: dt.time) -> dt.datetime:
        local = dt.datetime.combine(day, time, tzinfo=self.tz)
        return local.astimezone(dt.UTC).replace(tzinfo=None)

    def local(self, moment: dt.datetime) -> dt.datetime:
        return moment.replace(tzinfo=dt.UTC).astimezone(self.tz).replace(tzinfo=None)

    def days(self, first: dt.date, last: dt.date) -> list[dt.date]:
        return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


# --- the world so far: what later generators need to know about earlier rows -------------------
@dataclass(frozen=True)
class AreaRef:
    id: int
    name: str
    kind: str
    x: float
    y: float


@dataclass(frozen=True)
class UnitRef:
    id: int
    building: AreaRef
    entrance: int
    room: str

    @property
    def label(self) -> str:
        return f"{self.building.name}{self.entrance}单元{self.room}"


@dataclass(frozen=True)
class PersonRef:
    """An owner account or a staff member; ``account_id`` when the person can log in."""

    name: str
    phone: str
    account_id: int | None = None
    staff_id: int | None = None
    units: tuple[UnitRef, ...] = ()


@dataclass(frozen=True)
class ContractRef:
    id: int
    service_level: str
    red_line_score: int
    reply_deadline_hours: int
    accept_deadline_hours: int
    fix_deadline_days: int
    auto_close_days: int
    # (order_type, category or "*", priority) → (respond minutes, resolve minutes)
    sla: dict[tuple[str, str, str], tuple[int, int]]

    def deadlines(self, order_type: str, category: str, priority: str) -> tuple[int, int]:
        return (
            self.sla.get((order_type, category, priority)) or self.sla[(order_type, "*", priority)]
        )


@dataclass
class CommunityWorld:
    id: int
    code: str
    name: str
    size: str  # large / medium / small
    service_level: str
    site: tuple[float, float]
    buildings: list[AreaRef] = field(default_factory=list)
    public_areas: list[AreaRef] = field(default_factory=list)
    units: list[UnitRef] = field(default_factory=list)
    owners: list[PersonRef] = field(default_factory=list)
    staff: dict[str, list[PersonRef]] = field(default_factory=dict)  # post → people
    manager: PersonRef | None = None  # the 经理 (staff row with an account)
    committee: PersonRef | None = None
    demo_owner: PersonRef | None = None
    contract: ContractRef | None = None

    def area(self, name: str) -> AreaRef:
        for area in (*self.buildings, *self.public_areas):
            if area.name == name:
                return area
        raise KeyError(name)

    def areas_of(self, *kinds: str) -> list[AreaRef]:
        return [a for a in self.public_areas if a.kind in kinds]

    def post(self, post: str) -> list[PersonRef]:
        return self.staff.get(post, [])


# --- small helpers -------------------------------------------------------------------------------
def weighted(rng: random.Random, options: dict[T, float]) -> T:
    return rng.choices(list(options), weights=list(options.values()))[0]


def pick(rng: random.Random, options: Sequence[T]) -> T:
    return options[rng.randrange(len(options))]


def seconds(moment: dt.datetime) -> dt.datetime:
    """Timestamps are kept to whole seconds (what a phone app would record)."""
    return moment.replace(microsecond=0)


INSERT_CHUNK = 1000


def insert_returning_ids(
    session: Session, model: type[Any], rows: list[dict[str, Any]]
) -> list[int]:
    """Bulk-insert ``rows`` and return their ids in order.

    In chunks: one huge RETURNING insert makes SQLAlchemy splice its batches quadratically.
    """
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)
    ids: list[int] = []
    for start in range(0, len(rows), INSERT_CHUNK):
        ids += session.scalars(statement, rows[start : start + INSERT_CHUNK]).all()
    return ids
