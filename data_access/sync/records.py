"""What a connector hands to ``data_access.sync.apply``: source records already translated into
our vocabulary (stages, categories, kinds) with times in UTC, and what it could not translate.

A connector (``connectors/<system>/``) knows the source system and nothing of our tables; the
apply step knows our tables and nothing of the source. Ids are the source's, as text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any


@dataclass(frozen=True)
class SourceCommunity:
    external_id: str
    code: str  # ours: the community's code on our side (``--community HC_ID=CODE``)
    name: str
    address: str
    city: str
    phone: str = ""  # the service desk's


@dataclass(frozen=True)
class SourceBuilding:
    external_id: str
    name: str


@dataclass(frozen=True)
class SourceUnit:
    external_id: str
    building_external_id: str
    entrance: int
    room: str
    floor_area_m2: float


@dataclass(frozen=True)
class SourceOwner:
    """A person living in the community: becomes a shadow owner account (cannot log in until
    a manager activates it). Identity documents are never part of this record."""

    external_id: str
    name: str
    phone: str
    unit_external_ids: tuple[str, ...]


@dataclass(frozen=True)
class SourceStep:
    """A step of an order. ``reaches`` True: the order reached ``stage`` then (the first such
    step of a stage is *the* stage step, corrected if its time changes); False: a note in
    ``stage`` (a reassignment, a return, a pause), matched by its text."""

    stage: str
    at: dt.datetime
    actor: str
    note: str
    reaches: bool


@dataclass(frozen=True)
class SourcePart:
    external_id: str
    name: str
    quantity: int
    used_at: dt.datetime


@dataclass(frozen=True)
class SourcePhoto:
    external_id: str
    url: str
    kind: str  # before / after / evidence


@dataclass(frozen=True)
class SourceOrder:
    external_id: str
    order_type: str  # repair / complaint
    category: str
    visibility: str  # public / private
    title: str
    description: str
    location: str
    building_external_id: str | None
    unit_external_id: str | None
    reporter_external_id: str | None  # a SourceOwner, when the source says who
    reporter_name: str
    reporter_phone: str
    created_at: dt.datetime
    resolve_due_at: dt.datetime | None  # the source's own deadline, when it has one
    steps: tuple[SourceStep, ...]
    parts: tuple[SourcePart, ...] = ()
    photos: tuple[SourcePhoto, ...] = ()
    code: str = ""  # the code to show (≤ 32 characters); empty: made from the external id


@dataclass(frozen=True)
class SourceRating:
    external_id: str
    order_external_id: str
    owner_external_id: str | None  # None: the order's reporter rated it
    score_speed: int
    score_attitude: int
    score_quality: int
    comment: str
    rated_at: dt.datetime
    reply: str = ""
    replied_at: dt.datetime | None = None


# --- the company's own work: patrols, maintenance, equipment ----------------------------------------
@dataclass(frozen=True)
class SourceStaff:
    """A member of staff named by the source's plans and tasks (becomes a ``Staff`` row)."""

    external_id: str
    name: str
    post: str  # ours: 保安 / 维修工 …


@dataclass(frozen=True)
class SourceCheckpoint:
    """A point on a route for a span of local dates (``valid_to`` None: still on it).
    ``x``/``y``: metres east and south of the community's north-west-most point (None: the
    source does not know where it is)."""

    external_id: str
    name: str
    seq: int
    x: float | None
    y: float | None
    photo_required: bool
    valid_from: dt.date | None
    valid_to: dt.date | None


@dataclass(frozen=True)
class SourceRoute:
    external_id: str
    name: str
    checkpoints: tuple[SourceCheckpoint, ...]


@dataclass(frozen=True)
class SourcePatrolPlan:
    """One post's daily walk of a route in one time slot."""

    external_id: str
    route_external_id: str
    name: str
    post: str
    slot_start: dt.time  # local
    slot_end: dt.time
    expected_minutes: int
    expected_distance_m: float | None  # None: not known
    valid_from: dt.date
    valid_to: dt.date | None


@dataclass(frozen=True)
class SourceCheckin:
    checkpoint_external_id: str
    checked_at: dt.datetime
    photos: tuple[SourcePhoto, ...] = ()


@dataclass(frozen=True)
class SourceShift:
    external_id: str
    plan_external_id: str
    shift_date: dt.date  # local
    planned_start_at: dt.datetime
    planned_end_at: dt.datetime
    guard_external_id: str | None
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    distance_m: float | None  # None: not measured
    checkins: tuple[SourceCheckin, ...]


@dataclass(frozen=True)
class SourceServiceItem:
    external_id: str
    name: str
    category: str
    standard: str
    recurrence: str  # daily / weekly / monthly
    weekdays: str
    month_days: str
    window_start: dt.time
    window_end: dt.time
    expected_minutes: int
    valid_from: dt.date
    valid_to: dt.date | None


@dataclass(frozen=True)
class SourcePlanTask:
    external_id: str
    item_external_id: str
    due_date: dt.date  # local
    window_start_at: dt.datetime
    window_end_at: dt.datetime
    assignee_external_id: str | None
    status: str  # planned / done
    completed_at: dt.datetime | None
    note: str
    photos: tuple[SourcePhoto, ...] = ()


@dataclass(frozen=True)
class SourceEquipment:
    external_id: str
    code: str
    name: str
    kind: str
    building_external_id: str | None  # where it is, when the source says a building
    installed_on: dt.date


@dataclass(frozen=True)
class SourceFault:
    """An abnormal result the source recorded on a piece of equipment."""

    external_id: str
    equipment_external_id: str
    occurred_at: dt.datetime
    resolved_at: dt.datetime | None  # the next normal result on the same equipment
    description: str


@dataclass
class SourceOperations:
    """A community's patrols, maintenance and equipment. Routes, plans, items and equipment
    are always read whole; shifts, tasks and faults are read whole only when ``complete``
    (otherwise those of recent days: nothing missing from them is withdrawn)."""

    staff: list[SourceStaff] = field(default_factory=list)
    routes: list[SourceRoute] = field(default_factory=list)
    patrol_plans: list[SourcePatrolPlan] = field(default_factory=list)
    shifts: list[SourceShift] = field(default_factory=list)
    service_items: list[SourceServiceItem] = field(default_factory=list)
    plan_tasks: list[SourcePlanTask] = field(default_factory=list)
    equipment: list[SourceEquipment] = field(default_factory=list)
    faults: list[SourceFault] = field(default_factory=list)
    complete: bool = False


@dataclass
class Findings:
    """What the connector could not translate: values per (table, column, code) and skipped
    rows per reason. Reported, never dropped silently."""

    unmapped: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    skipped: Counter[tuple[str, str]] = field(default_factory=Counter)  # (table, reason)

    def unmapped_value(self, table: str, column: str, code: object) -> None:
        self.unmapped[(table, column, str(code))] += 1

    def skip(self, table: str, reason: str) -> None:
        self.skipped[(table, reason)] += 1


@dataclass
class SourceBatch:
    """One community's records from one run. ``complete``: the batch holds every live record
    of the kinds it carries (a full reconciliation), so a linked record missing from it was
    deleted at the source. Otherwise only ``deleted`` ids are withdrawn (records re-read and
    found deleted)."""

    community: SourceCommunity
    buildings: list[SourceBuilding] = field(default_factory=list)
    units: list[SourceUnit] = field(default_factory=list)
    owners: list[SourceOwner] = field(default_factory=list)
    orders: list[SourceOrder] = field(default_factory=list)
    ratings: list[SourceRating] = field(default_factory=list)
    deleted_orders: set[str] = field(default_factory=set)
    complete: bool = False
    findings: Findings = field(default_factory=Findings)
    operations: SourceOperations | None = None  # None: the connector does not read them
    # More orders with their ratings, a page at a time (read while the previous page is
    # written: a large history is never held whole).
    order_pages: Iterable[tuple[list[SourceOrder], list[SourceRating]]] = ()

    def pages(self) -> Iterator[tuple[list[SourceOrder], list[SourceRating]]]:
        """The orders and ratings, page by page: ``orders``/``ratings`` first, then
        ``order_pages``."""
        if self.orders or self.ratings:
            yield self.orders, self.ratings
        yield from self.order_pages


def fingerprint(record: Any) -> str:
    """A stable hash of everything a record says (its dataclass fields, recursively)."""
    return hashlib.sha256(repr(_plain(record)).encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return tuple((f.name, _plain(getattr(value, f.name))) for f in fields(value))
    if isinstance(value, (tuple, list)):
        return tuple(_plain(v) for v in value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return value
