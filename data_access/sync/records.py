"""What a connector hands to ``data_access.sync.apply``: source records already translated into
our vocabulary (stages, categories, kinds) with times in UTC, and what it could not translate.

A connector (``connectors/<system>/``) knows the source system and nothing of our tables; the
apply step knows our tables and nothing of the source. Ids are the source's, as text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any


@dataclass(frozen=True)
class SourceCommunity:
    external_id: str
    code: str  # ours: the community's code on our side (``--community HC_ID=CODE``)
    name: str
    address: str
    city: str


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


def fingerprint(record: Any) -> str:
    """A stable hash of everything a record says (its dataclass fields, recursively)."""
    return hashlib.sha256(repr(_plain(record)).encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return tuple((f.name, _plain(getattr(value, f.name))) for f in fields(value))
    if isinstance(value, (tuple, list)):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value
