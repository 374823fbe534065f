"""Work orders as viewers may see them.

Public-area orders are visible to the whole community. In-home (private) orders are visible to
their reporter, to the committee (masked) and to managers. Names and personal data typed into
titles, descriptions, notes, comments and replies are masked (``privacy.text_masker``) for all
but managers and, in what they wrote themself, the reporter; the rating of an in-home order is
redacted for all but its owner and managers (``privacy.redacts_private``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, func, null, select, true
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.accounts.last_looks import ORDER_SCOPE, look_matches
from data_access.accounts.privacy import (
    mask_name,
    mask_unit,
    person_for,
    public_text_masker,
    redacts_private_for,
    text_masker,
)
from data_access.errors import DomainError
from data_access.flows import RESPONSE_STAGE, Progress, derive_progress
from data_access.models import (
    Community,
    LastLook,
    Photo,
    PhotoAttachment,
    Rating,
    RatingEdit,
    RectificationTicket,
    WorkOrder,
    WorkOrderEvent,
    WorkOrderPart,
)
from data_access.orders.rating_window import is_within_rating_window, rating_closes_at
from data_access.orders.steps import (
    StepCorrection,
    effective_steps,
    is_effective,
    original_actors,
)
from data_access.record_ids import is_record_id


def visible_to(viewer: Viewer) -> ColumnElement[bool]:
    """SQL condition: the work orders ``viewer`` may see (always within their community)."""
    in_community = WorkOrder.community_id == viewer.community_id
    if viewer.is_owner:
        return in_community & (
            (WorkOrder.visibility == "public") | (WorkOrder.reporter_id == viewer.account_id)
        )
    return in_community & true()


def shows_personal_data(viewer: Viewer, order: WorkOrder) -> bool:
    """Whether the viewer sees an order's location/unit and reporter unmasked."""
    return (
        order.visibility == "public" or viewer.is_manager or order.reporter_id == viewer.account_id
    )


@dataclass(frozen=True)
class OpenOrder:
    order_id: int
    code: str
    order_type: str
    category: str
    title: str
    location: str
    created_at: dt.datetime
    resolve_due_at: dt.datetime
    progress: Progress
    is_mine: bool
    is_private: bool


def progress_of(*, session: Session, orders: list[WorkOrder]) -> dict[int, Progress]:
    """Derived progress of several orders with one query for their events."""
    stages: dict[int, list[str]] = defaultdict(list)
    if orders:
        rows = session.execute(
            select(WorkOrderEvent.work_order_id, WorkOrderEvent.stage)
            .where(WorkOrderEvent.work_order_id.in_([o.id for o in orders]), is_effective())
            .order_by(WorkOrderEvent.occurred_at, WorkOrderEvent.id)
        )
        for order_id, stage in rows:
            stages[order_id].append(stage)
    return {o.id: derive_progress(o.order_type, stages[o.id]) for o in orders}


def list_open_orders(*, session: Session, viewer: Viewer, limit: int = 10) -> list[OpenOrder]:
    """The newest open orders the viewer may see; private ones of others are masked.

    For an owner that is the community's public open orders (the same for every owner: the
    page caches them per community) merged with their own private ones."""
    if viewer.is_owner:
        public = community_public_open_orders(
            session=session, community_id=viewer.community_id, limit=limit
        )
        own = own_private_open_orders(session=session, viewer=viewer, limit=limit)
        return merge_open_orders(public, own, viewer, limit)
    return _open_orders(session, viewer, visible_to(viewer), limit)


@dataclass(frozen=True)
class CommunityOpenOrder:
    """A public open order as every owner sees it; ``reporter_id`` only serves
    ``merge_open_orders`` (is it theirs?) and is never shown."""

    order: OpenOrder
    reporter_id: int | None


def community_public_open_orders(
    *, session: Session, community_id: int, limit: int = 10
) -> list[CommunityOpenOrder]:
    """The community's newest open public orders (public orders show everything to everyone
    in the community). Callers pass their viewer's community."""
    condition = (WorkOrder.community_id == community_id) & (WorkOrder.visibility == "public")
    orders = _newest_open(session, condition, limit)
    progress = progress_of(session=session, orders=orders)
    masked = public_text_masker(session, community_id)  # shared by every owner, theirs too
    return [
        CommunityOpenOrder(
            _open_order(o, progress[o.id], is_mine=False, location=o.location, masked=masked),
            o.reporter_id,
        )
        for o in orders
    ]


def own_private_open_orders(
    *, session: Session, viewer: Viewer, limit: int = 10
) -> list[OpenOrder]:
    """The viewer's own open in-home orders, newest first."""
    condition = (
        (WorkOrder.community_id == viewer.community_id)
        & (WorkOrder.visibility == "private")
        & (WorkOrder.reporter_id == viewer.account_id)
    )
    return _open_orders(session, viewer, condition, limit)


@dataclass(frozen=True)
class OpenReporters:
    """The accounts with an open order in a community: any order, and an in-home (private)
    one. The same for every owner, so read once per community; an owner not among them has
    nothing of their own to read (most owners), and is spared the read. Never shown."""

    any_order: frozenset[int]
    private_order: frozenset[int]


def open_order_reporters(*, session: Session, community_id: int) -> OpenReporters:
    """Who has open orders in the community (``OpenReporters``)."""
    rows = session.execute(
        select(WorkOrder.reporter_id, WorkOrder.visibility)
        .distinct()
        .where(
            WorkOrder.community_id == community_id,
            WorkOrder.completed_at.is_(None),
            WorkOrder.reporter_id.is_not(None),
        )
    ).all()
    reporters = [(int(reporter), kind) for reporter, kind in rows if reporter is not None]
    return OpenReporters(
        any_order=frozenset(reporter for reporter, _ in reporters),
        private_order=frozenset(reporter for reporter, kind in reporters if kind == "private"),
    )


def merge_open_orders(
    public: list[CommunityOpenOrder], own: list[OpenOrder], viewer: Viewer, limit: int
) -> list[OpenOrder]:
    """An owner's list: the public orders (theirs marked) and their own private ones, newest
    first, at most ``limit``."""
    marked = [replace(item.order, is_mine=item.reporter_id == viewer.account_id) for item in public]
    merged = sorted([*marked, *own], key=lambda o: (o.created_at, o.order_id), reverse=True)
    return merged[:limit]


def _newest_open(session: Session, condition: ColumnElement[bool], limit: int) -> list[WorkOrder]:
    return list(
        session.scalars(
            select(WorkOrder)
            .where(condition, WorkOrder.completed_at.is_(None))
            .order_by(WorkOrder.created_at.desc(), WorkOrder.id.desc())
            .limit(limit)
        )
    )


def _open_orders(
    session: Session, viewer: Viewer, condition: ColumnElement[bool], limit: int
) -> list[OpenOrder]:
    orders = _newest_open(session, condition, limit)
    progress = progress_of(session=session, orders=orders)
    # Only others' titles are masked; the masker costs two reads and a pattern of every name
    # in the community, which an owner's own private orders (most often none) never need.
    others = any(o.reporter_id != viewer.account_id for o in orders)
    masked = text_masker(session, viewer) if others else _as_written
    return [
        _open_order(
            o,
            progress[o.id],
            is_mine=o.reporter_id == viewer.account_id,
            location=o.location if shows_personal_data(viewer, o) else mask_unit(o.location),
            masked=masked,
        )
        for o in orders
    ]


def _as_written(text: str) -> str:
    return text


def _open_order(
    order: WorkOrder,
    progress: Progress,
    *,
    is_mine: bool,
    location: str,
    masked: Callable[[str], str],
) -> OpenOrder:
    return OpenOrder(
        order_id=order.id,
        code=order.code,
        order_type=order.order_type,
        category=order.category,
        title=order.title if is_mine else masked(order.title),
        location=location,
        created_at=order.created_at,
        resolve_due_at=order.resolve_due_at,
        progress=progress,
        is_mine=is_mine,
        is_private=order.visibility == "private",
    )


# --- the live board ----------------------------------------------------------------------------
@dataclass(frozen=True)
class BoardOrder:
    order_id: int
    code: str
    order_type: str
    category: str
    priority: str
    title: str
    location: str
    area_id: int | None
    created_at: dt.datetime
    last_event_at: dt.datetime
    progress: Progress
    deadline_kind: str  # "respond" until the order was responded to, then "resolve"
    deadline_at: dt.datetime
    is_overdue: bool
    is_mine: bool
    is_private: bool
    is_unread: bool  # the viewer's own order changed since they last looked


@dataclass(frozen=True)
class Board:
    orders: list[BoardOrder]
    total: int  # matching orders before the display limit


@dataclass(frozen=True)
class BoardFilters:
    """What the board's filters ask for (None: any)."""

    mine_only: bool = False
    order_type: str | None = None
    category: str | None = None
    stage: str | None = None
    area_id: int | None = None
    created_from: dt.datetime | None = None
    created_before: dt.datetime | None = None


@dataclass(frozen=True)
class OwnBoard:
    """An owner's own open orders for the board: the first ones, how many match, and how many
    of those are in-home (the public ones are counted in the community's total too)."""

    orders: list[BoardOrder]
    total: int
    private_total: int


def list_board(
    *,
    session: Session,
    viewer: Viewer,
    now: dt.datetime,
    mine_only: bool = False,
    order_type: str | None = None,
    category: str | None = None,
    stage: str | None = None,
    area_id: int | None = None,
    created_from: dt.datetime | None = None,
    created_before: dt.datetime | None = None,
    limit: int = 60,
) -> Board:
    """Open work orders the viewer may see, newest activity first, with derived progress,
    the deadline that matters now, and an unread marker on the viewer's own orders.

    For an owner that is the community's public board (the same for every owner: the page
    caches it per community) merged with their own orders (``merge_board``)."""
    filters = BoardFilters(mine_only, order_type, category, stage, area_id, created_from,
                           created_before)  # fmt: skip
    if viewer.is_owner:
        public = None
        if not mine_only:
            public = community_board(
                session=session, community_id=viewer.community_id, now=now, filters=filters,
                limit=limit,
            )  # fmt: skip
        own = own_board(session=session, viewer=viewer, now=now, filters=filters, limit=limit)
        return merge_board(public, own, limit)
    masked = text_masker(session, viewer)
    cards, matched = _board(session, visible_to(viewer), filters, now, limit, viewer.account_id,
                            masked, lambda o: shows_personal_data(viewer, o))  # fmt: skip
    return Board(orders=cards, total=len(matched))


def community_board(
    *, session: Session, community_id: int, now: dt.datetime, filters: BoardFilters, limit: int
) -> Board:
    """The community's open public orders as every owner sees them (nobody's marked as theirs,
    names in free text masked for all). Callers pass their viewer's community."""
    condition = (WorkOrder.community_id == community_id) & (WorkOrder.visibility == "public")
    masked = public_text_masker(session, community_id)
    cards, matched = _board(session, condition, filters, now, limit, None, masked, lambda o: True)
    return Board(orders=cards, total=len(matched))


def own_board(
    *, session: Session, viewer: Viewer, now: dt.datetime, filters: BoardFilters, limit: int
) -> OwnBoard:
    """The owner's own open orders (public and in-home), as written, unread ones marked."""
    condition = (WorkOrder.community_id == viewer.community_id) & (
        WorkOrder.reporter_id == viewer.account_id
    )
    cards, matched = _board(session, condition, filters, now, limit, viewer.account_id,
                            lambda text: text, lambda o: True)  # fmt: skip
    private = sum(1 for order in matched if order.visibility == "private")
    return OwnBoard(orders=cards, total=len(matched), private_total=private)


def merge_board(public: Board | None, own: OwnBoard, limit: int) -> Board:
    """An owner's board: their own orders (theirs as written, unread first) and the
    community's public ones (None: only theirs were asked for), in the board's order, at most
    ``limit``. An own public order beyond their own first ``limit`` ranks below that many of
    theirs, so the cut leaves it out whichever list it came from."""
    if public is None:
        return Board(orders=own.orders[:limit], total=own.total)
    own_ids = {order.order_id for order in own.orders}
    merged = [*own.orders, *(o for o in public.orders if o.order_id not in own_ids)]
    merged.sort(key=_board_order)
    return Board(orders=merged[:limit], total=public.total + own.private_total)


def _board_order(card: BoardOrder) -> tuple[bool, float, int]:
    """Unread first, then the newest activity, then the newest order."""
    return (not card.is_unread, -card.last_event_at.timestamp(), -card.order_id)


def _board(
    session: Session,
    condition: ColumnElement[bool],
    filters: BoardFilters,
    now: dt.datetime,
    limit: int,
    account_id: int | None,
    masked: Callable[[str], str],
    shows_personal: Callable[[WorkOrder], bool],
) -> tuple[list[BoardOrder], list[WorkOrder]]:
    """The open orders meeting ``condition`` and ``filters``: the first ``limit`` cards in the
    board's order, and every order that matches. ``account_id``: whose orders are "mine" (their titles
    as written, unread markers from their last looks); None: nobody's."""
    # Correlated per open order (index work_order_id, occurred_at): grouping the whole event
    # table first read all 6.5 M events of the large dataset for 36 open orders.
    last_event_at = (
        select(func.max(WorkOrderEvent.occurred_at))
        .where(WorkOrderEvent.work_order_id == WorkOrder.id, is_effective())
        .correlate(WorkOrder)
        .scalar_subquery()
    )
    seen = LastLook.seen_at if account_id is not None else null()
    query = select(WorkOrder, last_event_at, seen)
    if account_id is not None:
        query = query.outerjoin(LastLook, look_matches(account_id, ORDER_SCOPE, WorkOrder.id))
    query = query.where(condition, WorkOrder.completed_at.is_(None))
    for column, value in (
        (WorkOrder.order_type, filters.order_type),
        (WorkOrder.category, filters.category),
        (WorkOrder.area_id, filters.area_id),
    ):
        if value is not None:
            query = query.where(column == value)
    if filters.mine_only:
        query = query.where(WorkOrder.reporter_id == account_id)
    if filters.created_from is not None:
        query = query.where(WorkOrder.created_at >= filters.created_from)
    if filters.created_before is not None:
        query = query.where(WorkOrder.created_at < filters.created_before)
    rows = list(session.execute(query).all())
    if filters.stage is not None:  # the stage is derived from the steps: read them for all
        progress = progress_of(session=session, orders=[row[0] for row in rows])
        rows = [row for row in rows if progress[row[0].id].stage == filters.stage]

    def unread(order: WorkOrder, last_at: dt.datetime | None, seen_at: dt.datetime | None) -> bool:
        last = last_at or order.created_at
        return order.reporter_id == account_id and last > (seen_at or order.created_at)

    # Sorted before anything is built: only the shown cards read their steps and have their
    # titles masked (a community's backlog of open orders made every view pay for all of them).
    rows.sort(key=lambda r: (not unread(r[0], r[1], r[2]),
                             -(r[1] or r[0].created_at).timestamp(), -r[0].id))  # fmt: skip
    shown = rows[:limit]
    progress = progress_of(session=session, orders=[row[0] for row in shown])
    cards = []
    for order, last_at, seen_at in shown:
        mine = account_id is not None and order.reporter_id == account_id
        responding = order.responded_at is None
        deadline = order.respond_due_at if responding else order.resolve_due_at
        cards.append(
            BoardOrder(
                order_id=order.id,
                code=order.code,
                order_type=order.order_type,
                category=order.category,
                priority=order.priority,
                title=order.title if mine else masked(order.title),
                location=order.location if shows_personal(order) else mask_unit(order.location),
                area_id=order.area_id,
                created_at=order.created_at,
                last_event_at=last_at or order.created_at,
                progress=progress[order.id],
                deadline_kind="respond" if responding else "resolve",
                deadline_at=deadline,
                is_overdue=deadline < now,
                is_mine=mine,
                is_private=order.visibility == "private",
                is_unread=unread(order, last_at, seen_at),
            )
        )
    return cards, [row[0] for row in rows]


# --- one order in detail --------------------------------------------------------------------------
@dataclass(frozen=True)
class TimelineStep:
    stage: str
    occurred_at: dt.datetime
    actor: str
    note: str
    spent: dt.timedelta | None  # until the next stage (or until now while it is the current one)
    deadline_kind: str | None  # "respond" / "resolve" when this step had to meet a deadline
    deadline_met: bool | None
    # How this step's time was corrected, oldest first (data_access.orders.steps).
    corrections: tuple[StepCorrection, ...] = ()


@dataclass(frozen=True)
class OrderPhoto:
    sha256: str
    mime_type: str
    caption: str
    kind: str


@dataclass(frozen=True)
class OrderPart:
    name: str
    quantity: int
    ordered_at: dt.datetime
    arrived_at: dt.datetime | None


@dataclass(frozen=True)
class OrderRating:
    rating_id: int
    version: int
    score_speed: int
    score_attitude: int
    score_quality: int
    comment: str
    created_at: dt.datetime
    edited: bool
    reply: str
    replied_at: dt.datetime | None
    reply_due_at: dt.datetime
    is_mine: bool
    editable_until: dt.datetime | None  # set while the viewer may still edit their rating
    ticket_id: int | None
    ticket_code: str
    photos: list[OrderPhoto]


@dataclass(frozen=True)
class OrderDetail:
    order_id: int
    code: str
    order_type: str
    category: str
    priority: str
    title: str
    description: str
    location: str
    reporter: str
    is_mine: bool
    is_private: bool
    preferred_visit: str  # the visit slot asked for ("" if none); the reporter and managers only
    service_phone: str  # the service desk's number, for the reporter to call ("" for others)
    created_at: dt.datetime
    respond_due_at: dt.datetime
    resolve_due_at: dt.datetime
    responded_at: dt.datetime | None
    completed_at: dt.datetime | None
    progress: Progress
    steps: list[TimelineStep]
    parts: list[OrderPart]
    photos: list[OrderPhoto]
    rating: OrderRating | None
    can_rate: bool  # the viewer's own completed order, not rated yet, inside the window
    rate_until: dt.datetime | None  # when the viewer's own completed order stops being ratable


def get_order_detail(
    *, session: Session, viewer: Viewer, order_id: int, now: dt.datetime
) -> OrderDetail:
    """One work order as the viewer may see it; an order they may not see (another community,
    someone else's in-home order for an owner) reads as not found — its existence is not leaked.
    So does an impossible id (PostgreSQL would refuse one beyond its integer range)."""
    if not is_record_id(order_id):
        raise DomainError("order.not_found")
    order = session.scalar(select(WorkOrder).where(WorkOrder.id == order_id, visible_to(viewer)))
    if order is None:
        raise DomainError("order.not_found")
    personal = shows_personal_data(viewer, order)
    all_steps = session.scalars(
        select(WorkOrderEvent)
        .where(WorkOrderEvent.work_order_id == order.id)
        .order_by(WorkOrderEvent.occurred_at, WorkOrderEvent.id)
    ).all()
    events, corrections = effective_steps(all_steps)
    actors = original_actors(all_steps)
    progress = derive_progress(order.order_type, [e.stage for e in events])
    masked = text_masker(session, viewer)
    mine = order.reporter_id is not None and order.reporter_id == viewer.account_id
    return OrderDetail(
        order_id=order.id,
        code=order.code,
        order_type=order.order_type,
        category=order.category,
        priority=order.priority,
        title=order.title if mine else masked(order.title),
        description=order.description if mine else masked(order.description),
        location=order.location if personal else mask_unit(order.location),
        # A name is personal even on a public-area order: only its owner and managers see it.
        reporter=order.reporter_name
        if viewer.is_manager or order.reporter_id == viewer.account_id
        else mask_name(order.reporter_name),
        is_mine=order.reporter_id == viewer.account_id,
        is_private=order.visibility == "private",
        preferred_visit=order.preferred_visit if mine or viewer.is_manager else "",
        service_phone=_service_phone(session, order.community_id) if mine else "",
        created_at=order.created_at,
        respond_due_at=order.respond_due_at,
        resolve_due_at=order.resolve_due_at,
        responded_at=order.responded_at,
        completed_at=order.completed_at,
        progress=progress,
        steps=_timeline(order, events, corrections, actors, viewer, now, masked),
        parts=[
            OrderPart(p.name, p.quantity, p.ordered_at, p.arrived_at)
            for p in session.scalars(
                select(WorkOrderPart)
                .where(WorkOrderPart.work_order_id == order.id)
                .order_by(WorkOrderPart.ordered_at, WorkOrderPart.id)
            )
        ],
        photos=photos_attached(session, PhotoAttachment.work_order_id == order.id),
        rating=(rating := _rating(session, viewer, order, now, masked)),
        can_rate=rating is None
        and is_within_rating_window(order.completed_at, now)
        and order.reporter_id == viewer.account_id
        and viewer.role in ("owner", "committee"),
        rate_until=rating_closes_at(order.completed_at)
        if order.completed_at is not None and mine
        else None,
    )


def _timeline(
    order: WorkOrder,
    events: list[WorkOrderEvent],
    corrections: dict[int, tuple[StepCorrection, ...]],
    actors: dict[int, str],
    viewer: Viewer,
    now: dt.datetime,
    masked: Callable[[str], str],
) -> list[TimelineStep]:
    """Every effective step, each with the corrections that led to it; a stage's time spent
    runs from its first step to the next stage's."""
    firsts: list[tuple[str, dt.datetime]] = []
    for event in events:
        if not firsts or firsts[-1][0] != event.stage:
            firsts.append((event.stage, event.occurred_at))
    ends = {
        stage: (firsts[i + 1][1] if i + 1 < len(firsts) else None)
        for i, (stage, _) in enumerate(firsts)
    }
    response_stage = RESPONSE_STAGE[order.order_type]
    steps = []
    seen: set[str] = set()
    for event in events:
        first = event.stage not in seen
        seen.add(event.stage)
        kind: str | None = None
        met: bool | None = None
        if first and event.stage == response_stage:
            kind, met = "respond", event.occurred_at <= order.respond_due_at
        elif first and event.stage == "completed":
            kind, met = "resolve", event.occurred_at <= order.resolve_due_at
        spent = None
        if first and event.stage != "completed":
            end = ends[event.stage] or (None if order.completed_at else now)
            spent = None if end is None else end - event.occurred_at
        steps.append(
            TimelineStep(
                stage=event.stage,
                occurred_at=event.occurred_at,
                actor=_actor_for(viewer, order, event, actors.get(event.id, event.actor_name)),
                note=masked(event.note),
                spent=spent,
                deadline_kind=kind,
                deadline_met=met,
                # A correction's "by" is the source system (an import mapping, the operational
                # database), not a person: shown as it is.
                corrections=corrections.get(event.id, ()),
            )
        )
    return steps


def _service_phone(session: Session, community_id: int) -> str:
    phone = session.scalar(select(Community.service_phone).where(Community.id == community_id))
    return phone or ""


def _actor_for(viewer: Viewer, order: WorkOrder, event: WorkOrderEvent, name: str) -> str:
    """Who took a step, as the viewer may see it: their own name, and on their own order the
    names of the people working on it, in full; otherwise as ``privacy.person_for`` says."""
    if not name:
        return ""
    own_step = event.actor_account_id is not None and event.actor_account_id == viewer.account_id
    if own_step or (order.reporter_id is not None and order.reporter_id == viewer.account_id):
        return name
    return person_for(viewer, name)


def _rating(
    session: Session,
    viewer: Viewer,
    order: WorkOrder,
    now: dt.datetime,
    masked: Callable[[str], str],
) -> OrderRating | None:
    """The order's rating: its comment as written for its owner, masked for others; a rating
    of an in-home order shows the committee neither comment, reply nor photos."""
    # Imported here: ratings builds on this module (visible_to).
    from data_access.tickets.ratings import EDIT_WINDOW

    rating = session.scalar(select(Rating).where(Rating.work_order_id == order.id))
    if rating is None:
        return None
    mine = rating.owner_id == viewer.account_id
    redacted = redacts_private_for(viewer, order.visibility == "private", rating.owner_id)
    editable_until = rating.created_at + EDIT_WINDOW
    ticket = session.execute(
        select(RectificationTicket.id, RectificationTicket.code).where(
            RectificationTicket.rating_id == rating.id
        )
    ).first()
    edited = session.scalar(
        select(func.count()).select_from(RatingEdit).where(RatingEdit.rating_id == rating.id)
    )
    return OrderRating(
        rating_id=rating.id,
        version=rating.version,
        score_speed=rating.score_speed,
        score_attitude=rating.score_attitude,
        score_quality=rating.score_quality,
        comment="" if redacted else rating.comment if mine else masked(rating.comment),
        created_at=rating.created_at,
        edited=bool(edited),
        reply="" if redacted else masked(rating.reply),
        replied_at=rating.replied_at,
        reply_due_at=rating.reply_due_at,
        is_mine=mine,
        editable_until=editable_until if mine and now <= editable_until else None,
        ticket_id=ticket.id if ticket else None,
        ticket_code=ticket.code if ticket else "",
        photos=[] if redacted else photos_attached(session, PhotoAttachment.rating_id == rating.id),
    )


def photos_attached(session: Session, attached: ColumnElement[bool]) -> list[OrderPhoto]:
    """The photos of one subject (``PhotoAttachment.<subject>_id == id``), oldest first."""
    return [
        OrderPhoto(sha, mime, caption, kind)
        for sha, mime, caption, kind in session.execute(
            select(Photo.sha256, Photo.mime_type, PhotoAttachment.caption, PhotoAttachment.kind)
            .join(Photo, PhotoAttachment.photo_id == Photo.id)
            .where(attached)
            .order_by(PhotoAttachment.attached_at, PhotoAttachment.id)
        )
    ]
