"""Write one community's source records (``records.SourceBatch``) into our tables.

Rules (docs/connectors.md):

- **Idempotent.** Every source record is linked to our row in ``SyncLink`` with the fingerprint of
  what it said when last written; a record with the same fingerprint is not touched, so a run
  with nothing new writes nothing.
- **Corrections, never duplicates.** A changed order is updated through the correction model
  (``data_access.orders.steps``): a stage step whose time changed gets a correction, a step the
  order lacks is appended, a note is appended once (matched by its stage and text).
- **Deletions.** A record the source deleted is withdrawn (``withdraw``): it disappears from
  every page and figure, and a snapshot of it is kept. A ticket opened from it stays, with a note.
- **Ratings** are written by the same function as an owner's rating, so a red-line score opens a
  ticket — except historical ones at the first sync (``ratings.record_source_rating``).

Everything happens in the caller's transaction: a run that fails midway leaves nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from data_access.accounts.auth import UNUSABLE_PASSWORD_HASH
from data_access.accounts.login_names import normalized_mobile, owner_login_name
from data_access.data_versions import touch
from data_access.flows import FINAL_STAGE, RESPONSE_STAGE
from data_access.imports.order_import import CODE_MAX_CHARS, ContractDeadlines, order_code
from data_access.models import (
    Account,
    Area,
    Community,
    OwnerUnit,
    PhotoAttachment,
    Rating,
    RatingEdit,
    ServiceContract,
    SyncLink,
    Unit,
    WorkOrder,
    WorkOrderEvent,
    WorkOrderPart,
)
from data_access.notifications.notices import write_completion_notices
from data_access.orders.steps import correction, is_effective
from data_access.outbox.enqueue import ORDER_EVENT, history_only, note_events
from data_access.sync.operations import OPERATION_KINDS, apply_operations
from data_access.sync.records import (
    SourceBatch,
    SourceBuilding,
    SourceCommunity,
    SourceOrder,
    SourceOwner,
    SourcePart,
    SourceRating,
    SourceStep,
    SourceUnit,
    fingerprint,
)
from data_access.sync.withdraw import withdraw_order, withdraw_rating
from data_access.tickets.ratings import ContractsMemo, record_source_rating
from data_access.timestamps import DEFAULT_TIME_ZONE, to_stored_utc

USERNAME_MAX = 64  # Account.username
NAME_MAX = 50  # Account.display_name, Area.name
PHONE_MAX = 20
TITLE_MAX = 200
LOCATION_MAX = 200
ROOM_MAX = 10
# The contract a community created by a sync starts with: the product's usual targets, to be
# edited by the company (``--target NAME=VALUE`` on the command line).
DEFAULT_TARGETS: Mapping[str, float] = {
    "target_plan_completion": 0.95,
    "target_actual_completion": 0.95,
    "target_timeliness": 0.90,
    "target_rectification": 0.90,
    "target_satisfaction": 4.5,
    "target_reply_timeliness": 0.90,
}
CONTRACT_YEARS = 3
PREFETCH_CHUNK = 500


@dataclass
class KindCounts:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "withdrawn": self.withdrawn,
            "skipped": dict(sorted(self.skipped.items())),
        }


@dataclass
class ApplyReport:
    community_code: str
    community_id: int
    first_sync: bool
    counts: dict[str, KindCounts]

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated or c.withdrawn for c in self.counts.values())


class _Links:
    """The ledger rows of one source. A kind is read whole (``of``) where a run needs all of
    it; orders and what hangs on them are read a page at a time (``prefetch``) and let go after
    the page (``release``), so memory holds one page, not the whole history. ``get`` is
    right either way: a row not read yet is looked up."""

    def __init__(self, session: Session, source: str, now: dt.datetime) -> None:
        self.session, self.source, self.now = session, source, now
        self._by_kind: dict[str, dict[str, SyncLink]] = {}
        self._whole: set[str] = set()
        self._looked_up: dict[str, set[str]] = {}

    def of(self, kind: str) -> dict[str, SyncLink]:
        if kind not in self._whole:
            rows = self.session.scalars(
                select(SyncLink).where(SyncLink.source == self.source, SyncLink.kind == kind)
            )
            cache = self._by_kind.setdefault(kind, {})
            for row in rows:
                cache.setdefault(row.external_id, row)
            self._whole.add(kind)
        return self._by_kind[kind]

    def prefetch(self, kind: str, external_ids: Iterable[str]) -> None:
        """Read the rows of ``external_ids`` in a few queries (a page's worth)."""
        if kind in self._whole:
            return
        cache = self._by_kind.setdefault(kind, {})
        looked_up = self._looked_up.setdefault(kind, set())
        wanted = sorted(set(external_ids) - looked_up - set(cache))
        for start in range(0, len(wanted), PREFETCH_CHUNK):
            chunk = wanted[start : start + PREFETCH_CHUNK]
            for row in self.session.scalars(
                select(SyncLink).where(
                    SyncLink.source == self.source,
                    SyncLink.kind == kind,
                    SyncLink.external_id.in_(chunk),
                )
            ):
                cache.setdefault(row.external_id, row)
            looked_up.update(chunk)

    def release(self, *kinds: str) -> None:
        """Let go of what a page read (its changes were flushed)."""
        for kind in kinds:
            if kind not in self._whole:
                self._by_kind.pop(kind, None)
                self._looked_up.pop(kind, None)

    def get(self, kind: str, external_id: str) -> SyncLink | None:
        cache = self._by_kind.setdefault(kind, {})
        if external_id in cache or kind in self._whole:
            return cache.get(external_id)
        looked_up = self._looked_up.setdefault(kind, set())
        if external_id not in looked_up:
            self.prefetch(kind, [external_id])
        return cache.get(external_id)

    def local_id(self, kind: str, external_id: str | None) -> int | None:
        if external_id is None:
            return None
        link = self.get(kind, external_id)
        return link.local_id if link is not None else None

    def of_community(self, kind: str, community_id: int) -> list[str]:
        """The external ids of ``kind`` linked to rows of the community (ids only)."""
        return list(
            self.session.scalars(
                select(SyncLink.external_id).where(
                    SyncLink.source == self.source,
                    SyncLink.kind == kind,
                    SyncLink.community_id == community_id,
                )
            )
        )

    def with_local_ids(self, kind: str, local_ids: Iterable[int]) -> list[SyncLink]:
        ids = sorted(set(local_ids))
        if not ids:
            return []
        found = list(
            self.session.scalars(
                select(SyncLink).where(
                    SyncLink.source == self.source,
                    SyncLink.kind == kind,
                    SyncLink.local_id.in_(ids),
                )
            )
        )
        cache = self._by_kind.setdefault(kind, {})
        return [cache.setdefault(link.external_id, link) for link in found]

    def photos_of_order(self, order_id: int) -> list[SyncLink]:
        """The photo references of an order (``pending`` is the JSON ``_photos`` writes, with
        a "problem" key after the order's id once a fetch failed)."""
        found = list(
            self.session.scalars(
                select(SyncLink).where(
                    SyncLink.source == self.source,
                    SyncLink.kind == "photo",
                    or_(
                        SyncLink.pending.like(f'%"order_id": {order_id}}}'),
                        SyncLink.pending.like(f'%"order_id": {order_id},%'),
                    ),
                )
            )
        )
        cache = self._by_kind.setdefault("photo", {})
        return [cache.setdefault(link.external_id, link) for link in found]

    def save(
        self,
        kind: str,
        external_id: str,
        *,
        community_id: int | None,
        local_id: int | None,
        record: Any = None,
        pending: str = "",
    ) -> SyncLink:
        link = self.get(kind, external_id)
        print_ = fingerprint(record) if record is not None else ""
        if link is None:
            link = SyncLink(
                source=self.source,
                kind=kind,
                external_id=external_id,
                community_id=community_id,
                local_id=local_id,
                fingerprint=print_,
                pending=pending,
                first_seen_at=self.now,
                changed_at=self.now,
            )
            self.session.add(link)
            self._by_kind.setdefault(kind, {})[external_id] = link
        else:
            link.local_id, link.fingerprint, link.changed_at = local_id, print_, self.now
            link.pending = pending
        return link

    def insert_new(self, kind: str, rows: list[tuple[str, int | None, int | None, Any]]) -> None:
        """Ledger rows for records seen for the first time — (external id, community, our id,
        record) — inserted as one batch; the page sees them as if saved one by one."""
        if not rows:
            return
        values = [
            {
                "source": self.source,
                "kind": kind,
                "external_id": external_id,
                "community_id": community_id,
                "local_id": local_id,
                "fingerprint": fingerprint(record),
                "pending": "",
                "first_seen_at": self.now,
                "changed_at": self.now,
            }
            for external_id, community_id, local_id, record in rows
        ]
        self.session.execute(insert(SyncLink), values)
        cache = self._by_kind.setdefault(kind, {})
        for value in values:
            cache[str(value["external_id"])] = SyncLink(**value)  # a read-only view of the row

    def forget(self, kind: str, external_id: str) -> None:
        link = self.get(kind, external_id)
        self._by_kind.get(kind, {}).pop(external_id, None)
        if link is not None:
            self.session.delete(link)

    def unchanged(self, kind: str, external_id: str, record: Any) -> bool:
        link = self.get(kind, external_id)
        return link is not None and link.fingerprint == fingerprint(record)


def apply_batch(
    *,
    session: Session,
    source: str,
    batch: SourceBatch,
    now: dt.datetime,
    targets: Mapping[str, float] | None = None,
    history_opens_tickets: bool = False,
    page_done: Callable[[], None] | None = None,
) -> ApplyReport:
    """Write ``batch`` (see module doc); returns what was read, created, updated, left
    unchanged, withdrawn and skipped, per kind. ``history_opens_tickets``: at the first sync,
    treat old ratings like new ones (a red-line score opens a ticket). ``page_done`` is called
    after each page of orders was written and flushed (the sync commits there)."""
    now = to_stored_utc(now)
    links = _Links(session, source, now)
    actor = source.upper()
    kinds: tuple[str, ...] = ("community", "building", "unit", "owner", "order", "rating", "part",
                              "photo")  # fmt: skip
    if batch.operations is not None:
        kinds += OPERATION_KINDS
    counts = {kind: KindCounts() for kind in kinds}
    for kind in ("community", "building", "unit", "owner"):
        links.of(kind)  # bounded by the size of a community: read whole, once
    community, first_sync = _community(session, links, batch.community, now, targets, counts)
    if first_sync:
        history_only(session)  # a community's past arrives: it messages nobody
    _buildings(session, links, community, batch.buildings, counts["building"])
    _units(session, links, community, batch.units, counts["unit"])
    _owners(session, links, community, batch.owners, now, counts["owner"])
    if batch.complete:
        _owners_gone(session, links, community, batch.owners, counts["owner"])
    deadlines = ContractDeadlines(session, community.id, community.time_zone)
    prefix = f"{source.upper()}-"
    may_be_historical = first_sync and not history_opens_tickets
    present_orders: set[str] = set()
    present_ratings: set[str] = set()
    rated: set[tuple[int, int]] = set()  # (order, owner) rated in this run
    memo: ContractsMemo = {}
    for orders, ratings in batch.pages():
        links.prefetch("order", (r.external_id for r in orders))
        links.prefetch("rating", (r.external_id for r in ratings))
        links.prefetch("part", (p.external_id for r in orders for p in r.parts))
        links.prefetch("photo", (p.external_id for r in orders for p in r.photos))
        # Flushes happen where ids are needed (a page's new orders together), not before
        # every query: a run's queries look up what earlier pages or runs wrote.
        with session.no_autoflush:
            # Held for the page: its ratings find their orders without reading them again.
            written = _orders(session, links, community, orders, deadlines, prefix, actor,
                              now, counts)  # fmt: skip
            session.flush()
            unlinked: list[tuple[SourceRating, Rating]] = []
            fresh = {order.id for order in written}
            for rating in ratings:
                _rating(session, links, community, rating, may_be_historical, now,
                        counts["rating"], rated, unlinked, memo, fresh)  # fmt: skip
            session.flush()
            for record, row in unlinked:
                links.save("rating", record.external_id, community_id=community.id,
                           local_id=row.id, record=record)  # fmt: skip
        present_orders.update(r.external_id for r in orders)
        present_ratings.update(r.external_id for r in ratings)
        session.flush()
        _touch_if_changed(session, community, counts)
        # The page's orders that are completed and still ratable tell their reporters once.
        page_ids = {i for r in orders if (i := links.local_id("order", r.external_id))}
        write_completion_notices(session=session, community_id=community.id, now=now,
                                 order_ids=page_ids)  # fmt: skip
        if page_done is not None:
            page_done()
        links.release("order", "rating", "part", "photo")
        del written
    _withdraw_missing_orders(session, links, community, batch, present_orders, source, now,
                             counts["order"])  # fmt: skip
    if batch.complete:
        gone_ratings = set(links.of_community("rating", community.id)) - present_ratings
        for external_id in sorted(gone_ratings):
            link = links.get("rating", external_id)
            if link is not None:
                withdraw_rating(session, link, source=source, now=now)
                links.forget("rating", external_id)
                counts["rating"].withdrawn += 1
    if batch.operations is not None:
        apply_operations(session=session, links=links, community=community,
                         operations=batch.operations, source=source, now=now,
                         counts=counts)  # fmt: skip
    session.flush()
    _touch_if_changed(session, community, counts)
    return ApplyReport(community.code, community.id, first_sync, counts)


def _touch_if_changed(
    session: Session, community: Community, counts: dict[str, KindCounts]
) -> None:
    """The community's pages show something new: its data version is bumped at the commit
    (the ledger's bulk statements are not seen by the ORM's own bookkeeping)."""
    if any(c.created or c.updated or c.withdrawn for c in counts.values()):
        touch(session, community.id)


# --- places and people ----------------------------------------------------------------------------
def _community(
    session: Session,
    links: _Links,
    record: SourceCommunity,
    now: dt.datetime,
    targets: Mapping[str, float] | None,
    counts: dict[str, KindCounts],
) -> tuple[Community, bool]:
    """Our community for the source's: linked, adopted by code, or created with a contract."""
    tally = counts["community"]
    tally.read += 1
    community_id = links.local_id("community", record.external_id)
    community = session.get(Community, community_id) if community_id is not None else None
    first_sync = community is None
    if community is None:
        community = session.scalar(select(Community).where(Community.code == record.code))
        if community is None:
            community = Community(
                code=record.code,
                name=record.name[:100] or record.code,
                city=record.city[:50],
                address=record.address[:200],
                time_zone=DEFAULT_TIME_ZONE,
            )
            session.add(community)
            session.flush()
            _default_contract(session, community, now, targets)
            tally.created += 1
        links.save(
            "community",
            record.external_id,
            community_id=community.id,
            local_id=community.id,
            record=record,
        )
    else:
        tally.unchanged += 1
    phone = record.phone[:30]
    if phone and community.service_phone != phone:  # the desk's number as the source says
        community.service_phone = phone
    return community, first_sync


def _default_contract(
    session: Session, community: Community, now: dt.datetime, targets: Mapping[str, float] | None
) -> None:
    start = dt.date(now.year, 1, 1)
    values = {**DEFAULT_TARGETS, **(targets or {})}
    session.add(
        ServiceContract(
            community_id=community.id,
            code=f"{community.code}-{start:%Y}"[:32],
            start_date=start,
            end_date=dt.date(start.year + CONTRACT_YEARS, 1, 1) - dt.timedelta(days=1),
            fee_per_m2_month=None,  # unknown until recorded: `manage.py contracts set`
            service_level=None,
            **values,
        )
    )


def _buildings(
    session: Session,
    links: _Links,
    community: Community,
    records: Iterable[SourceBuilding],
    tally: KindCounts,
) -> None:
    taken = set(session.scalars(select(Area.name).where(Area.community_id == community.id)))
    for index, record in enumerate(records):
        tally.read += 1
        if links.unchanged("building", record.external_id, record):
            tally.unchanged += 1
            continue
        area_id = links.local_id("building", record.external_id)
        area = session.get(Area, area_id) if area_id is not None else None
        name = record.name.strip()[:NAME_MAX] or record.external_id[-NAME_MAX:]
        if (area is None or area.name != name) and name in taken:
            name = f"{name[: NAME_MAX - 8]}#{record.external_id[-6:]}"
        if area is None:
            # The source has no site plan: buildings are laid out on a grid in source order.
            area = Area(
                community_id=community.id,
                name=name,
                kind="building",
                x=40.0 + 60 * (index % 6),
                y=40.0 + 50 * (index // 6),
            )
            session.add(area)
            session.flush()
            tally.created += 1
        else:
            taken.discard(area.name)
            area.name = name
            tally.updated += 1
        taken.add(name)
        links.save(
            "building",
            record.external_id,
            community_id=community.id,
            local_id=area.id,
            record=record,
        )


def _units(
    session: Session,
    links: _Links,
    community: Community,
    records: Iterable[SourceUnit],
    tally: KindCounts,
) -> None:
    taken: dict[tuple[int, int, str], int | None] = {
        (building, entrance, room): unit_id
        for unit_id, building, entrance, room in session.execute(
            select(Unit.id, Unit.building_id, Unit.entrance, Unit.room).where(
                Unit.community_id == community.id
            )
        )
    }
    new: list[tuple[SourceUnit, Unit]] = []
    for record in records:
        tally.read += 1
        if links.unchanged("unit", record.external_id, record):
            tally.unchanged += 1
            continue
        building_id = links.local_id("building", record.building_external_id)
        if building_id is None:
            tally.skipped["building not found"] += 1
            continue
        room = record.room.strip()[:ROOM_MAX]
        place = (building_id, record.entrance, room)
        unit_id = links.local_id("unit", record.external_id)
        clash = taken.get(place)
        if place in taken and (clash is None or clash != unit_id):
            tally.skipped["same building, entrance and room as another unit"] += 1
            continue
        unit = session.get(Unit, unit_id) if unit_id is not None else None
        if unit is None:
            unit = Unit(
                community_id=community.id,
                building_id=building_id,
                entrance=record.entrance,
                room=room,
                floor_area_m2=record.floor_area_m2,
            )
            new.append((record, unit))
            taken[place] = None  # taken by a unit not written yet
            tally.created += 1
            continue
        taken.pop((unit.building_id, unit.entrance, unit.room), None)
        unit.building_id, unit.entrance, unit.room = building_id, record.entrance, room
        unit.floor_area_m2 = record.floor_area_m2
        taken[place] = unit.id
        tally.updated += 1
        links.save(
            "unit", record.external_id, community_id=community.id, local_id=unit.id, record=record
        )
    session.add_all(unit for _, unit in new)
    session.flush()
    for record, unit in new:
        links.save(
            "unit", record.external_id, community_id=community.id, local_id=unit.id, record=record
        )


def shadow_username(source: str, external_id: str) -> str:
    """An owner's login name when the source gives no usable mobile number: ``<source>-<id>``."""
    return f"{source}-{external_id}".lower()[:USERNAME_MAX]


def _owners(
    session: Session,
    links: _Links,
    community: Community,
    records: Iterable[SourceOwner],
    now: dt.datetime,
    tally: KindCounts,
) -> None:
    held: dict[int, set[int]] = defaultdict(set)
    for holder, unit_id in session.execute(
        select(OwnerUnit.account_id, OwnerUnit.unit_id)
        .join(Account, Account.id == OwnerUnit.account_id)
        .where(Account.community_id == community.id)
    ):
        held[holder].add(unit_id)
    written: list[tuple[SourceOwner, Account]] = []
    for record in records:
        tally.read += 1
        if links.unchanged("owner", record.external_id, record):
            tally.unchanged += 1
            continue
        account_id = links.local_id("owner", record.external_id)
        account = session.get(Account, account_id) if account_id is not None else None
        name = record.name.strip()[:NAME_MAX] or "业主"
        phone = record.phone.strip()[:PHONE_MAX]
        if account is None and normalized_mobile(phone):
            # The same person on the company's roster (imported on 业主账号): one account.
            account = session.scalar(
                select(Account)
                .where(
                    Account.community_id == community.id,
                    Account.role == "owner",
                    Account.phone == normalized_mobile(phone),
                )
                .order_by(Account.id)
                .limit(1)
            )
        if account is None:
            # Not opened yet, as a roster's owner: no usable password until the owner redeems
            # an activation code (the accounts page's letters); the login name is the mobile
            # number (``login_names``). The owner's orders and ratings hang on it.
            account = Account(
                username=owner_login_name(session, community, phone,
                                          shadow_username(links.source, record.external_id)),
                display_name=name,
                phone=phone,
                password_hash=UNUSABLE_PASSWORD_HASH,
                role="owner",
                community_id=community.id,
                is_active=True,
                created_at=now,
            )  # fmt: skip
            session.add(account)
            tally.created += 1
        else:
            account.display_name, account.phone = name, phone
            tally.updated += 1
        written.append((record, account))
    session.flush()
    for record, account in written:
        wanted = {
            unit_id
            for unit_id in (links.local_id("unit", u) for u in record.unit_external_ids)
            if unit_id is not None
        }
        mine = held.get(account.id, set())
        session.add_all(
            OwnerUnit(account_id=account.id, unit_id=unit_id) for unit_id in wanted - mine
        )
        if mine - wanted:
            for row in session.scalars(
                select(OwnerUnit).where(
                    OwnerUnit.account_id == account.id, OwnerUnit.unit_id.in_(mine - wanted)
                )
            ):
                session.delete(row)
        links.save(
            "owner",
            record.external_id,
            community_id=community.id,
            local_id=account.id,
            record=record,
        )


def _owners_gone(
    session: Session,
    links: _Links,
    community: Community,
    records: Iterable[SourceOwner],
    tally: KindCounts,
) -> None:
    """A person the source no longer lists (moved out, deleted): their account keeps their
    orders and ratings under their name, but no longer holds a home and cannot log in."""
    present = {record.external_id for record in records}
    for external_id, link in list(links.of("owner").items()):
        if link.community_id != community.id or external_id in present:
            continue
        account = session.get(Account, link.local_id or 0)
        if account is not None:
            account.is_active = False
            account.token_version += 1  # any open session ends
            for row in session.scalars(select(OwnerUnit).where(OwnerUnit.account_id == account.id)):
                session.delete(row)
        links.forget("owner", external_id)
        tally.withdrawn += 1


# --- orders -----------------------------------------------------------------------------------------
def _orders(
    session: Session,
    links: _Links,
    community: Community,
    records: list[SourceOrder],
    deadlines: ContractDeadlines,
    prefix: str,
    actor: str,
    now: dt.datetime,
    counts: dict[str, KindCounts],
) -> list[WorkOrder]:
    """A page of orders: new ones are inserted together (one flush for the page), changed ones
    one by one through the correction model. Returns the new orders."""
    tally = counts["order"]
    new: list[tuple[SourceOrder, WorkOrder]] = []
    for record in records:
        if links.local_id("order", record.external_id) is None:
            tally.read += 1
            code = record.code[:CODE_MAX_CHARS] or order_code(record.external_id, prefix)
            order = WorkOrder(
                community_id=community.id,
                code=code,
                external_id=record.external_id,
                source=links.source,
                version=1,
                **_order_fields(links, record, deadlines),
            )
            new.append((record, order))
        else:
            _order(session, links, community, record, deadlines, prefix, actor, now, counts)
    if not new:
        return []
    session.add_all(order for _, order in new)
    session.flush()
    # Steps and ledger rows of new orders are plain inserts, sent as one batch each (nothing
    # reads them back as objects in this page).
    steps = [_event_row(order.id, step) for record, order in new for step in record.steps]
    if steps:
        written = session.execute(insert(WorkOrderEvent).returning(WorkOrderEvent.id), steps)
        note_events(session, ORDER_EVENT, written.scalars().all())  # recent ones reach owners
    parts: list[tuple[SourcePart, WorkOrderPart]] = []
    for record, order in new:
        parts += _parts(session, links, community, order, record, counts["part"], new_order=True)
        _photos(session, links, community, order, record, counts["photo"], new_order=True)
        tally.created += 1
    links.insert_new(
        "order", [(record.external_id, community.id, order.id, record) for record, order in new]
    )
    session.flush()
    _link_parts(links, community, parts)
    return [order for _, order in new]


def _order(
    session: Session,
    links: _Links,
    community: Community,
    record: SourceOrder,
    deadlines: ContractDeadlines,
    prefix: str,
    actor: str,
    now: dt.datetime,
    counts: dict[str, KindCounts],
) -> None:
    tally = counts["order"]
    tally.read += 1
    if links.unchanged("order", record.external_id, record):
        tally.unchanged += 1
        return
    order_id = links.local_id("order", record.external_id)
    order = session.get(WorkOrder, order_id) if order_id is not None else None
    fields = _order_fields(links, record, deadlines)
    if order is None:
        code = record.code[:CODE_MAX_CHARS] or order_code(record.external_id, prefix)
        order = WorkOrder(
            community_id=community.id,
            code=code,
            external_id=record.external_id,
            source=links.source,
            version=1,
            **fields,
        )
        session.add(order)
        session.flush()
        session.add_all(_event(order.id, step) for step in record.steps)
        tally.created += 1
    else:
        for name, value in fields.items():
            if name == "completed_at" and value is None and order.completed_at is not None:
                tally.skipped["reopened at the source: kept completed until closed again"] += 1
                continue
            setattr(order, name, value)
        _update_steps(session, order, record.steps, actor, now)
        order.version += 1
        tally.updated += 1
    written = _parts(session, links, community, order, record, counts["part"])
    session.flush()
    _link_parts(links, community, written)
    _photos(session, links, community, order, record, counts["photo"])
    links.save(
        "order", record.external_id, community_id=community.id, local_id=order.id, record=record
    )


def _order_fields(
    links: _Links, record: SourceOrder, deadlines: ContractDeadlines
) -> dict[str, Any]:
    created_at = to_stored_utc(record.created_at)
    respond_due, resolve_due = deadlines.due(
        created_at, record.order_type, record.category, "normal"
    )
    if record.resolve_due_at is not None and record.resolve_due_at > created_at:
        resolve_due = to_stored_utc(record.resolve_due_at)
    reached = sorted((s for s in record.steps if s.reaches), key=lambda s: s.at)
    responded = next((s.at for s in reached if s.stage == RESPONSE_STAGE[record.order_type]), None)
    completed = next((s.at for s in reached if s.stage == FINAL_STAGE), None)
    return {
        "order_type": record.order_type,
        "category": record.category,
        "priority": "normal",
        "title": record.title.strip()[:TITLE_MAX] or record.external_id,
        "description": record.description,
        "location": record.location.strip()[:LOCATION_MAX],
        "visibility": record.visibility,
        "area_id": links.local_id("building", record.building_external_id),
        "unit_id": links.local_id("unit", record.unit_external_id),
        "reporter_id": links.local_id("owner", record.reporter_external_id),
        "reporter_name": record.reporter_name.strip()[:NAME_MAX],
        "reporter_phone": record.reporter_phone.strip()[:PHONE_MAX],
        "created_at": created_at,
        "respond_due_at": respond_due,
        "resolve_due_at": max(resolve_due, respond_due),
        "responded_at": responded,
        # Without a response step a finished order's response cannot be judged: not measured.
        "response_recorded": responded is not None or completed is None,
        "completed_at": completed,
    }


def _event_row(order_id: int, step: SourceStep) -> dict[str, Any]:
    return {
        "work_order_id": order_id,
        "stage": step.stage,
        "occurred_at": to_stored_utc(step.at),
        "actor_name": step.actor[:NAME_MAX],
        "note": step.note,
    }


def _event(order_id: int, step: SourceStep) -> WorkOrderEvent:
    return WorkOrderEvent(
        work_order_id=order_id,
        stage=step.stage,
        occurred_at=to_stored_utc(step.at),
        actor_name=step.actor[:NAME_MAX],
        note=step.note,
    )


def _update_steps(
    session: Session,
    order: WorkOrder,
    steps: Iterable[SourceStep],
    actor: str,
    now: dt.datetime,
) -> None:
    """Append the steps the order lacks and correct the stage steps whose time changed."""
    existing = list(
        session.scalars(
            select(WorkOrderEvent)
            .where(WorkOrderEvent.work_order_id == order.id, is_effective())
            .order_by(WorkOrderEvent.occurred_at, WorkOrderEvent.id)
        )
    )
    for step in steps:
        at = to_stored_utc(step.at)
        if step.reaches:
            first = next((e for e in existing if e.stage == step.stage), None)
            if first is None:
                session.add(_event(order.id, step))
            elif first.occurred_at != at:
                fixed = correction(
                    order_id=order.id,
                    step_id=first.id,
                    stage=step.stage,
                    to=at,
                    by=actor,
                    recorded_at=now,
                )
                fixed.note = first.note
                session.add(fixed)
        elif not any(e.stage == step.stage and e.note == step.note for e in existing):
            session.add(_event(order.id, step))


def _parts(
    session: Session,
    links: _Links,
    community: Community,
    order: WorkOrder,
    record: SourceOrder,
    tally: KindCounts,
    *,
    new_order: bool = False,
) -> list[tuple[SourcePart, WorkOrderPart]]:
    """Write the order's parts; returns the rows written, to be linked once flushed
    (``_link_parts``)."""
    written: list[tuple[SourcePart, WorkOrderPart]] = []
    for part in record.parts:
        tally.read += 1
        if links.unchanged("part", part.external_id, part):
            tally.unchanged += 1
            continue
        part_id = links.local_id("part", part.external_id)
        row = session.get(WorkOrderPart, part_id) if part_id is not None else None
        used_at = to_stored_utc(part.used_at)
        if row is None:
            row = WorkOrderPart(
                work_order_id=order.id,
                name=part.name[:100],
                quantity=part.quantity,
                ordered_at=used_at,
                arrived_at=used_at,
            )
            session.add(row)
            tally.created += 1
        else:
            row.name, row.quantity, row.ordered_at = part.name[:100], part.quantity, used_at
            tally.updated += 1
        written.append((part, row))
    if new_order:
        return written  # nothing of a new order can have been deleted at the source
    # A part the source no longer lists (deleted there) is no longer the order's.
    listed = {part.external_id for part in record.parts}
    held = session.scalars(select(WorkOrderPart.id).where(WorkOrderPart.work_order_id == order.id))
    for link in links.with_local_ids("part", held):
        if link.external_id not in listed:
            row = session.get(WorkOrderPart, link.local_id)
            if row is not None:
                session.delete(row)
            links.forget("part", link.external_id)
            tally.withdrawn += 1
    return written


def _link_parts(
    links: _Links, community: Community, written: list[tuple[SourcePart, WorkOrderPart]]
) -> None:
    """Link flushed part rows to their source records."""
    for part, row in written:
        links.save("part", part.external_id, community_id=community.id, local_id=row.id,
                   record=part)  # fmt: skip


def _photos(
    session: Session,
    links: _Links,
    community: Community,
    order: WorkOrder,
    record: SourceOrder,
    tally: KindCounts,
    *,
    new_order: bool = False,
) -> None:
    """New photos are kept as references; ``photo_fetch`` stores them (or says why not)."""
    for photo in record.photos:
        tally.read += 1
        if links.get("photo", photo.external_id) is not None:
            tally.unchanged += 1
            continue
        pending = json.dumps({"url": photo.url, "kind": photo.kind, "order_id": order.id})
        links.save(
            "photo", photo.external_id, community_id=community.id, local_id=None, pending=pending
        )
        tally.created += 1
    if new_order:
        return
    # A photo the source no longer lists (deleted there) is no longer shown on the order.
    listed = {photo.external_id for photo in record.photos}
    for link in links.photos_of_order(order.id):
        if link.external_id not in listed:
            attachment = session.get(PhotoAttachment, link.local_id or 0)
            if attachment is not None:
                session.delete(attachment)
            links.forget("photo", link.external_id)
            tally.withdrawn += 1


def _withdraw_missing_orders(
    session: Session,
    links: _Links,
    community: Community,
    batch: SourceBatch,
    present: set[str],
    source: str,
    now: dt.datetime,
    tally: KindCounts,
) -> None:
    gone = set(batch.deleted_orders)
    if batch.complete:
        gone |= set(links.of_community("order", community.id)) - present
    for external_id in sorted(gone):
        link = links.get("order", external_id)
        if link is None or link.community_id != community.id or link.local_id is None:
            continue
        ratings = session.scalars(select(Rating.id).where(Rating.work_order_id == link.local_id))
        for rating_link in links.with_local_ids("rating", ratings):
            withdraw_rating(session, rating_link, source=source, now=now)
            links.forget("rating", rating_link.external_id)
        parts = session.scalars(
            select(WorkOrderPart.id).where(WorkOrderPart.work_order_id == link.local_id)
        )
        part_links = links.with_local_ids("part", parts)
        photo_links = links.photos_of_order(link.local_id)
        withdraw_order(session, link, source=source, now=now)
        # Its parts and photos go with it: should the source restore the order, they come back.
        for other in (*part_links, *photo_links):
            links.forget(other.kind, other.external_id)
        links.forget("order", external_id)
        tally.withdrawn += 1


def _photo_of(link: SyncLink) -> int | None:
    """The order a photo reference belongs to."""
    order_id = json.loads(link.pending or "{}").get("order_id")
    return int(order_id) if order_id is not None else None


# --- ratings ----------------------------------------------------------------------------------------
def _rating(
    session: Session,
    links: _Links,
    community: Community,
    record: SourceRating,
    may_be_historical: bool,
    now: dt.datetime,
    tally: KindCounts,
    rated: set[tuple[int, int]],
    unlinked: list[tuple[SourceRating, Rating]],
    memo: ContractsMemo,
    fresh: set[int],
) -> None:
    """``rated``: (order, owner) pairs rated in this run; ``unlinked``: ratings to link after
    the page's flush; ``fresh``: orders created in this page (no earlier rating to look for)."""
    tally.read += 1
    if links.unchanged("rating", record.external_id, record):
        tally.unchanged += 1
        return
    order_id = links.local_id("order", record.order_external_id)
    order = session.get(WorkOrder, order_id) if order_id is not None else None
    if order is None:
        tally.skipped["order not read"] += 1
        return
    rating_id = links.local_id("rating", record.external_id)
    rating = session.get(Rating, rating_id) if rating_id is not None else None
    scores = (record.score_speed, record.score_attitude, record.score_quality)
    if rating is None:
        owner_id = links.local_id("owner", record.owner_external_id) or order.reporter_id
        if owner_id is None:
            tally.skipped["rater unknown (no owner of the order)"] += 1
            return
        if (order.id, owner_id) in rated or (
            order.id not in fresh
            and session.scalar(
                select(Rating.id).where(
                    Rating.work_order_id == order.id, Rating.owner_id == owner_id
                )
            )
        ):
            tally.skipped["a second rating of the same order by the same owner"] += 1
            return
        rated.add((order.id, owner_id))
        rating = record_source_rating(
            session=session,
            order_id=order.id,
            owner_id=owner_id,
            scores=scores,
            comment=record.comment,
            rated_at=record.rated_at,
            now=now,
            first_sync=may_be_historical,
            memo=memo,
        )
        tally.created += 1
    else:
        current = (rating.score_speed, rating.score_attitude, rating.score_quality)
        if current != scores or rating.comment != record.comment:
            session.add(
                RatingEdit(
                    rating_id=rating.id,
                    edited_at=now,
                    edited_by_id=rating.owner_id,
                    previous_speed=current[0],
                    previous_attitude=current[1],
                    previous_quality=current[2],
                    previous_comment=rating.comment,
                )
            )
            rating.score_speed, rating.score_attitude, rating.score_quality = scores
            rating.comment = record.comment
            rating.updated_at = now
        tally.updated += 1
    if record.reply and record.replied_at is not None:
        replied_at = to_stored_utc(record.replied_at)
        if rating.reply != record.reply or rating.replied_at != replied_at:
            rating.reply, rating.replied_at = record.reply, replied_at
            rating.version += 1
    if rating.id is None:
        unlinked.append((record, rating))  # linked after the page's flush
        return
    links.save(
        "rating", record.external_id, community_id=community.id, local_id=rating.id, record=record
    )
