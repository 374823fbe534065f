"""The public rectification board (整改公示): every ticket of the viewer's community
with its status, deadlines and progress, one ticket in full, and the public ratings.

Everything here is community-wide and public, except personal data: the owner's name and the
free-text location are shown unmasked only to managers and to the ticket's own owner; the area
(a building or public place) is public. Event actors are shown by name to managers and to the
actor themself, masked to everyone else. Personal data typed into titles, descriptions, notes,
comments and replies is masked (``privacy.text_masker``) except for managers and, in the texts
the owner wrote themself, for the ticket's owner.

A ticket opened from a rating of an in-home order, and that rating, are redacted for everyone
but its owner and managers (``privacy.redacts_private``): a neutral title, the building, the
category, status, deadlines and the company's progress notes; no description, place, comment,
reply, owner's notes or photos.

Deadlines: while "submitted" the accept deadline runs, after that the fix deadline. A ticket
awaiting the owner's confirmation has done the company's part, and a closed or rejected one is
finished: neither is overdue.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, case, func, or_, select
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.accounts.privacy import (
    mask_name,
    mask_unit,
    person_for,
    private_title,
    redacts_private,
    redacts_private_for,
    sees_unmasked,
    text_masker,
    ticket_of_private_order,
)
from data_access.errors import DomainError
from data_access.models import (
    Account,
    Area,
    Community,
    Photo,
    PhotoAttachment,
    Rating,
    RectificationTicket,
    ServiceContract,
    TicketEvent,
    WorkOrder,
)
from data_access.orders.work_orders import OrderPhoto, photos_attached, visible_to
from data_access.record_ids import is_record_id
from data_access.tickets.ratings import DEFAULT_RED_LINE
from data_access.tickets.ticket_commands import SYSTEM_ACTOR
from data_access.timestamps import DEFAULT_TIME_ZONE, stored_to_local

RUNNING_STATUSES = ("submitted", "accepted", "in_progress")  # a company deadline is running
FINISHED_STATUSES = ("closed", "rejected")
BOARD_LIMIT = 200
RATINGS_LIMIT = 100
SEARCH_MAX_CHARS = 100

_T = RectificationTicket


# --- results ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BoardTicket:
    id: int
    code: str
    title: str
    category: str
    status: str
    source: str
    created_at: dt.datetime
    deadline_kind: str | None  # "accept" while submitted, "fix" after, None when finished
    deadline_at: dt.datetime | None
    is_overdue: bool
    owner: str  # masked unless the viewer is a manager or the owner
    is_mine: bool
    area: str  # public
    location: str  # free text beyond the area, masked like the owner; "" when it is the area
    progress_count: int  # progress notes (events that kept the status)
    last_update_at: dt.datetime
    reject_reason: str  # public
    opened_on_behalf: bool
    is_redacted: bool  # of an in-home order and not the viewer's: see privacy.redacts_private


@dataclass(frozen=True)
class BoardSummary:
    by_status: dict[str, int]
    total: int
    open: int
    overdue: int
    awaiting_confirmation: int
    closed: int
    closed_since: int  # closed at or after the ``closed_since`` moment asked for


@dataclass(frozen=True)
class DeadlineState:
    """One deadline as the public sees it. ``outcome``: "met" / "missed" once the company's part
    was done at ``done_at``; "running" / "overdue" while it is still to be done; "void" when
    it no longer applies (a rejected ticket is never fixed)."""

    due_at: dt.datetime
    done_at: dt.datetime | None
    outcome: str


@dataclass(frozen=True)
class TicketStep:
    event_id: int
    occurred_at: dt.datetime
    from_status: str | None
    to_status: str
    is_progress: bool  # a progress note: the status did not change
    actor_kind: str  # "system" / "owner" / "staff"
    actor: str  # "" for the system
    note: str
    photos: list[OrderPhoto]


@dataclass(frozen=True)
class TicketRating:
    rating_id: int
    score_speed: int
    score_attitude: int
    score_quality: int
    comment: str
    created_at: dt.datetime
    reply: str
    replied_at: dt.datetime | None
    reply_due_at: dt.datetime
    photos: list[OrderPhoto]  # the rating's photos (none on a redacted ticket)


@dataclass(frozen=True)
class TicketDetail(BoardTicket):
    description: str
    version: int  # for the optimistic lock of the moves
    accept_due_at: dt.datetime
    fix_due_at: dt.datetime
    accepted_at: dt.datetime | None
    closed_at: dt.datetime | None
    auto_closed: bool
    accept_deadline: DeadlineState
    fix_deadline: DeadlineState
    rating: TicketRating | None  # the rating that opened the ticket (public with it)
    work_order_id: int | None  # only when the viewer may see that order
    events: list[TicketStep]  # oldest first
    other_photos: list[OrderPhoto]  # attached to the ticket but to none of its events


@dataclass(frozen=True)
class PublicRating:
    rating_id: int
    order_id: int
    order_code: str
    order_title: str
    category: str
    score_speed: int
    score_attitude: int
    score_quality: int
    is_low: bool  # a score at or below the contract's red line
    comment: str
    created_at: dt.datetime
    owner: str  # masked unless the viewer is a manager or the rater
    is_mine: bool
    reply: str
    replied_at: dt.datetime | None
    reply_due_at: dt.datetime
    reply_overdue: bool  # still unanswered after its deadline
    ticket_id: int | None
    ticket_code: str
    is_redacted: bool  # of an in-home order and not the viewer's: see privacy.redacts_private


# --- rules --------------------------------------------------------------------------------------
def current_deadline(
    status: str, accept_due_at: dt.datetime, fix_due_at: dt.datetime, now: dt.datetime
) -> tuple[str | None, dt.datetime | None, bool]:
    """(kind, due, overdue) of the deadline that matters now."""
    if status in FINISHED_STATUSES:
        return None, None, False
    kind, due = ("accept", accept_due_at) if status == "submitted" else ("fix", fix_due_at)
    return kind, due, status in RUNNING_STATUSES and due < now


def _overdue_condition(now: dt.datetime) -> ColumnElement[bool]:
    """SQL twin of ``current_deadline``'s overdue flag."""
    return or_(
        (_T.status == "submitted") & (_T.accept_due_at < now),
        _T.status.in_(("accepted", "in_progress")) & (_T.fix_due_at < now),
    )


def _sees_personal(viewer: Viewer, owner_id: int | None) -> bool:
    return viewer.is_manager or (owner_id is not None and owner_id == viewer.account_id)


def _location(viewer: Viewer, owner_id: int | None, location: str, area: str) -> str:
    location = location.strip()
    if not location or location == area:
        return ""
    return location if _sees_personal(viewer, owner_id) else mask_unit(location)


# --- the board ----------------------------------------------------------------------------------
def _last_event_at() -> Any:
    """When the ticket last moved: correlated per ticket (index ticket_id, occurred_at) so a
    page of one community never groups the whole event table."""
    return (
        select(func.max(TicketEvent.occurred_at))
        .where(TicketEvent.ticket_id == _T.id)
        .correlate(_T)
        .scalar_subquery()
    )


def _progress_count() -> Any:
    """How many progress notes (events that keep the status) the ticket has."""
    return (
        select(func.count())
        .where(TicketEvent.ticket_id == _T.id, TicketEvent.from_status == TicketEvent.to_status)
        .correlate(_T)
        .scalar_subquery()
    )


def _filters(
    viewer: Viewer,
    now: dt.datetime,
    status: str | None,
    category: str | None,
    overdue_only: bool,
    mine_only: bool,
    search: str,
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [_T.community_id == viewer.community_id]
    if status is not None:
        conditions.append(_T.status == status)
    if category is not None:
        conditions.append(_T.category == category)
    if overdue_only:
        conditions.append(_overdue_condition(now))
    if mine_only:
        conditions.append(_T.owner_id == viewer.account_id)
    words = search.strip()[:SEARCH_MAX_CHARS]
    if words:
        # The free-text location is personal: searching it would let anyone probe masked units.
        pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        public = [column.ilike(pattern, escape="\\") for column in (_T.code, Area.name)]
        texts = or_(*(column.ilike(pattern, escape="\\") for column in (_T.title, _T.description)))
        if not sees_unmasked(viewer):
            # A redacted ticket's texts are not searchable: a search would probe them.
            texts = texts & (~ticket_of_private_order() | (_T.owner_id == viewer.account_id))
        conditions.append(or_(*public, texts))
    return conditions


def _board_query(conditions: list[ColumnElement[bool]]) -> Select[Any]:
    last_at = _last_event_at()
    group = case(
        (_T.status.in_(RUNNING_STATUSES), 0), (_T.status == "awaiting_confirmation", 1), else_=2
    )
    deadline = case((_T.status == "submitted", _T.accept_due_at), else_=_T.fix_due_at)
    # Selected once under a name and ordered by that name: the correlated max runs once a row.
    last = func.coalesce(last_at, _T.closed_at, _T.created_at).label("last_update_at")
    return (
        select(
            _T, Area.name, Account.display_name, last, _progress_count(), ticket_of_private_order()
        )
        .outerjoin(Area, Area.id == _T.area_id)
        .outerjoin(Account, Account.id == _T.owner_id)
        .where(*conditions)
        # Running deadlines first (nearest first), then those awaiting the owner, then the
        # finished ones, most recently finished first.
        .order_by(group, case((group < 2, deadline)), last.desc(), _T.id.desc())
    )


def _board_ticket(
    viewer: Viewer, row: Sequence[Any], now: dt.datetime, masked: Callable[[str], str]
) -> dict[str, Any]:
    """The fields of a ``BoardTicket`` from a row of ``_board_query``; ``masked`` hides names
    and personal data typed into the free text (privacy.text_masker). The owner reads their
    own title as written; a redacted ticket (privacy.redacts_private) keeps only its public
    fields."""
    ticket: RectificationTicket
    ticket, area, owner_name, last_update_at, progress, private = row
    kind, due, overdue = current_deadline(
        ticket.status, ticket.accept_due_at, ticket.fix_due_at, now
    )
    personal = _sees_personal(viewer, ticket.owner_id)
    mine = ticket.owner_id is not None and ticket.owner_id == viewer.account_id
    redacted = redacts_private_for(viewer, bool(private), ticket.owner_id)
    if redacted:
        title, owner, location = private_title(), "", ""
    else:
        title = ticket.title if mine else masked(ticket.title)
        owner = (owner_name or "") if personal else mask_name(owner_name or "")
        location = _location(viewer, ticket.owner_id, ticket.location, area or "")
    return dict(
        id=ticket.id, code=ticket.code, title=title, category=ticket.category,
        status=ticket.status, source=ticket.source, created_at=ticket.created_at,
        deadline_kind=kind, deadline_at=due, is_overdue=overdue, owner=owner, is_mine=mine,
        area=area or "", location=location,
        progress_count=int(progress or 0),
        last_update_at=last_update_at,
        reject_reason=masked(ticket.reject_reason),
        opened_on_behalf=ticket.source == "on_behalf",
        is_redacted=redacted,
    )  # fmt: skip


def list_board_tickets(
    *,
    session: Session,
    viewer: Viewer,
    now: dt.datetime,
    status: str | None = None,
    category: str | None = None,
    overdue_only: bool = False,
    mine_only: bool = False,
    search: str = "",
    limit: int = BOARD_LIMIT,
) -> list[BoardTicket]:
    """Tickets of the viewer's community: running ones by nearest deadline, then those awaiting
    the owner's confirmation, then the finished ones, newest first. ``search`` looks in the
    code, title, description and area name."""
    conditions = _filters(viewer, now, status, category, overdue_only, mine_only, search)
    rows = session.execute(_board_query(conditions).limit(limit)).all()
    masked = text_masker(session, viewer)
    return [BoardTicket(**_board_ticket(viewer, row, now, masked)) for row in rows]


def count_board_tickets(
    *,
    session: Session,
    viewer: Viewer,
    now: dt.datetime,
    status: str | None = None,
    category: str | None = None,
    overdue_only: bool = False,
    mine_only: bool = False,
    search: str = "",
) -> int:
    """How many tickets ``list_board_tickets`` would list without its limit."""
    conditions = _filters(viewer, now, status, category, overdue_only, mine_only, search)
    query = select(func.count(_T.id)).outerjoin(Area, Area.id == _T.area_id).where(*conditions)
    return int(session.scalar(query) or 0)


def board_summary(
    *, session: Session, viewer: Viewer, now: dt.datetime, closed_since: dt.datetime
) -> BoardSummary:
    """Counts of the viewer's community: by status, open, overdue, closed (ever and since)."""
    rows = session.execute(
        select(
            _T.status,
            func.count(_T.id),
            func.sum(case((_overdue_condition(now), 1), else_=0)),
            func.sum(case((_T.closed_at >= closed_since, 1), else_=0)),
        )
        .where(_T.community_id == viewer.community_id)
        .group_by(_T.status)
    ).all()
    by_status = {status: int(count) for status, count, _, _ in rows}
    return BoardSummary(
        by_status=by_status,
        total=sum(by_status.values()),
        open=sum(n for s, n in by_status.items() if s not in FINISHED_STATUSES),
        overdue=sum(int(overdue or 0) for _, _, overdue, _ in rows),
        awaiting_confirmation=by_status.get("awaiting_confirmation", 0),
        closed=by_status.get("closed", 0),
        closed_since=sum(int(n or 0) for s, _, _, n in rows if s == "closed"),
    )


# --- one ticket -----------------------------------------------------------------------------------
def ticket_state(*, session: Session, viewer: Viewer, ticket_id: int) -> tuple[str, int]:
    """(status, version) of a ticket of the viewer's community: what a card that has just
    moved it needs to offer the next move. Another community's reads as not found."""
    if not is_record_id(ticket_id):
        raise DomainError("ticket.not_found")
    row = session.execute(
        select(_T.status, _T.version).where(
            _T.id == ticket_id, _T.community_id == viewer.community_id
        )
    ).one_or_none()
    if row is None:
        raise DomainError("ticket.not_found")
    return row.status, row.version


def get_ticket_detail(
    *, session: Session, viewer: Viewer, ticket_id: int, now: dt.datetime
) -> TicketDetail:
    """One ticket in full with its events and their photos. Another community's ticket reads
    as not found (``ticket.not_found``), like a missing one, and so does an impossible id."""
    if not is_record_id(ticket_id):
        raise DomainError("ticket.not_found")
    row = session.execute(
        _board_query([_T.id == ticket_id, _T.community_id == viewer.community_id])
    ).one_or_none()
    if row is None:
        raise DomainError("ticket.not_found")
    ticket: RectificationTicket = row[0]
    events = list(
        session.scalars(
            select(TicketEvent)
            .where(TicketEvent.ticket_id == ticket.id)
            .order_by(TicketEvent.occurred_at, TicketEvent.id)
        )
    )
    photos = _photos_by_event(session, ticket.id)
    masked = text_masker(session, viewer)
    shown = _board_ticket(viewer, row, now, masked)
    redacted, mine = shown["is_redacted"], shown["is_mine"]
    if redacted:  # no photo at all: they show the inside of a home
        photos = {}
        description = ""
    else:
        description = ticket.description if mine else masked(ticket.description)
    return TicketDetail(
        **shown,
        description=description,
        version=ticket.version,
        accept_due_at=ticket.accept_due_at,
        fix_due_at=ticket.fix_due_at,
        accepted_at=ticket.accepted_at,
        closed_at=ticket.closed_at,
        auto_closed=ticket.auto_closed,
        accept_deadline=_accept_deadline(ticket, events, now),
        fix_deadline=_fix_deadline(ticket, events, now),
        rating=_rating(session, ticket.rating_id, masked, redacted=redacted, mine=mine),
        work_order_id=_visible_order(session, viewer, ticket.work_order_id),
        events=[
            _step(viewer, ticket, e, photos.pop(e.id, []), masked, redacted) for e in events
        ],
        other_photos=[photo for rest in photos.values() for photo in rest],
    )  # fmt: skip


def _accept_deadline(
    ticket: RectificationTicket, events: list[TicketEvent], now: dt.datetime
) -> DeadlineState:
    due = ticket.accept_due_at
    if ticket.status == "submitted":
        return DeadlineState(due, None, "overdue" if due < now else "running")
    decided = ticket.accepted_at or next(
        (e.occurred_at for e in events if e.from_status == "submitted" and e.to_status != "submitted"),
        None,
    )  # fmt: skip
    if decided is None:  # imported without its log: we cannot tell
        return DeadlineState(due, None, "void")
    return DeadlineState(due, decided, "met" if decided <= due else "missed")


def _fix_deadline(
    ticket: RectificationTicket, events: list[TicketEvent], now: dt.datetime
) -> DeadlineState:
    """The fix counts as done when the ticket (last) went to the owner for confirmation."""
    due = ticket.fix_due_at
    if ticket.status == "rejected":
        return DeadlineState(due, None, "void")
    if ticket.status in RUNNING_STATUSES:
        return DeadlineState(due, None, "overdue" if due < now else "running")
    handed = [
        e.occurred_at
        for e in events
        if e.to_status == "awaiting_confirmation" and e.from_status != "awaiting_confirmation"
    ]
    done = handed[-1] if handed else ticket.closed_at
    if done is None:
        return DeadlineState(due, None, "void")
    return DeadlineState(due, done, "met" if done <= due else "missed")


def _step(
    viewer: Viewer,
    ticket: RectificationTicket,
    event: TicketEvent,
    photos: list[OrderPhoto],
    masked: Callable[[str], str],
    redacted: bool = False,
) -> TicketStep:
    """One event; on a redacted ticket the owner's own steps show neither name nor note."""
    actor_id, name = event.actor_account_id, event.actor_name
    if actor_id is None and name == SYSTEM_ACTOR:
        kind, shown = "system", ""
    else:
        kind = "owner" if actor_id is not None and actor_id == ticket.owner_id else "staff"
        if viewer.is_manager or (actor_id is not None and actor_id == viewer.account_id):
            shown = name
        else:
            shown = person_for(viewer, name) if kind == "staff" else mask_name(name)
    note = masked(event.note)
    if redacted and kind == "owner":
        shown, note = "", ""
    return TicketStep(
        event_id=event.id, occurred_at=event.occurred_at, from_status=event.from_status,
        to_status=event.to_status, is_progress=event.from_status == event.to_status,
        actor_kind=kind, actor=shown, note=note, photos=photos,
    )  # fmt: skip


def _photos_by_event(session: Session, ticket_id: int) -> dict[int | None, list[OrderPhoto]]:
    grouped: dict[int | None, list[OrderPhoto]] = defaultdict(list)
    rows = session.execute(
        select(
            PhotoAttachment.ticket_event_id,
            Photo.sha256,
            Photo.mime_type,
            PhotoAttachment.caption,
            PhotoAttachment.kind,
        )
        .join(Photo, PhotoAttachment.photo_id == Photo.id)
        .where(PhotoAttachment.ticket_id == ticket_id)
        .order_by(PhotoAttachment.attached_at, PhotoAttachment.id)
    )
    for event_id, sha, mime, caption, kind in rows:
        grouped[event_id].append(OrderPhoto(sha, mime, caption, kind))
    return grouped


def _rating(
    session: Session,
    rating_id: int | None,
    masked: Callable[[str], str],
    *,
    redacted: bool,
    mine: bool,
) -> TicketRating | None:
    """The rating that opened the ticket: its comment as written for its owner, masked for
    others; neither comment nor reply on a redacted ticket."""
    rating = session.get(Rating, rating_id) if rating_id is not None else None
    if rating is None:
        return None
    if redacted:
        comment, reply = "", ""
    else:
        comment = rating.comment if mine else masked(rating.comment)
        reply = masked(rating.reply)
    photos = [] if redacted else photos_attached(session, PhotoAttachment.rating_id == rating.id)
    return TicketRating(
        rating.id, rating.score_speed, rating.score_attitude, rating.score_quality,
        comment, rating.created_at, reply, rating.replied_at, rating.reply_due_at, photos,
    )  # fmt: skip


def _visible_order(session: Session, viewer: Viewer, order_id: int | None) -> int | None:
    if order_id is None:
        return None
    return session.scalar(select(WorkOrder.id).where(WorkOrder.id == order_id, visible_to(viewer)))


# --- public ratings -----------------------------------------------------------------------------
def _red_line(session: Session, community_id: int, now: dt.datetime) -> int:
    """The red line of the contract in force on the community's local day, else of the latest
    contract, else the default."""
    community = session.get_one(Community, community_id)
    day = stored_to_local(now, ZoneInfo(community.time_zone or DEFAULT_TIME_ZONE))
    assert day is not None
    contracts = session.scalars(
        select(ServiceContract).where(ServiceContract.community_id == community_id)
    ).all()
    in_force = [c for c in contracts if c.start_date <= day.date() <= c.end_date]
    contract = max(in_force or contracts, key=lambda c: (c.start_date, c.id), default=None)
    return DEFAULT_RED_LINE if contract is None else contract.red_line_score


def _ratings_conditions(
    viewer: Viewer, red_line: int, low_only: bool, unreplied_only: bool
) -> list[ColumnElement[bool]]:
    conditions = [visible_to(viewer), Rating.community_id == viewer.community_id]
    if low_only:
        conditions.append(_is_low(red_line))
    if unreplied_only:
        conditions.append(Rating.replied_at.is_(None))
    return conditions


def _is_low(red_line: int) -> ColumnElement[bool]:
    return or_(
        Rating.score_speed <= red_line,
        Rating.score_attitude <= red_line,
        Rating.score_quality <= red_line,
    )


def list_public_ratings(
    *,
    session: Session,
    viewer: Viewer,
    now: dt.datetime,
    low_only: bool = False,
    unreplied_only: bool = False,
    limit: int = RATINGS_LIMIT,
) -> list[PublicRating]:
    """Ratings of the work orders the viewer may see, newest first, with the company's reply
    and the ticket a red-line rating opened. "Low" means at or below the contract's red line.
    A rating of an in-home order is redacted for all but its owner and managers
    (privacy.redacts_private): a neutral order title, no comment, no reply."""
    red_line = _red_line(session, viewer.community_id, now)
    masked = text_masker(session, viewer)
    rows = session.execute(
        select(
            Rating,
            WorkOrder.code,
            WorkOrder.title,
            WorkOrder.category,
            Account.display_name,
            _T.id,
            _T.code,
            _is_low(red_line),
            WorkOrder.visibility,
        )
        .join(WorkOrder, WorkOrder.id == Rating.work_order_id)
        .join(Account, Account.id == Rating.owner_id)
        .outerjoin(_T, _T.rating_id == Rating.id)
        .where(*_ratings_conditions(viewer, red_line, low_only, unreplied_only))
        .order_by(Rating.created_at.desc(), Rating.id.desc())
        .limit(limit)
    ).all()
    result = []
    for rating, code, title, category, owner, ticket_id, ticket_code, low, visibility in rows:
        mine = rating.owner_id == viewer.account_id
        redacted = redacts_private(
            visibility == "private", unmasked=sees_unmasked(viewer), own=mine
        )
        result.append(
            PublicRating(
                rating_id=rating.id,
                order_id=rating.work_order_id,
                order_code=code,
                order_title=private_title() if redacted else masked(title) if not mine else title,
                category=category,
                score_speed=rating.score_speed,
                score_attitude=rating.score_attitude,
                score_quality=rating.score_quality,
                is_low=bool(low),
                comment="" if redacted else rating.comment if mine else masked(rating.comment),
                created_at=rating.created_at,
                owner=owner if mine or viewer.is_manager else mask_name(owner),
                is_mine=mine,
                reply="" if redacted else masked(rating.reply),
                replied_at=rating.replied_at,
                reply_due_at=rating.reply_due_at,
                reply_overdue=rating.replied_at is None and rating.reply_due_at < now,
                ticket_id=ticket_id,
                ticket_code=ticket_code or "",
                is_redacted=redacted,
            )
        )
    return result


def count_public_ratings(
    *,
    session: Session,
    viewer: Viewer,
    now: dt.datetime,
    low_only: bool = False,
    unreplied_only: bool = False,
) -> int:
    """How many ratings ``list_public_ratings`` would list without its limit."""
    red_line = _red_line(session, viewer.community_id, now)
    query = (
        select(func.count(Rating.id))
        .join(WorkOrder, WorkOrder.id == Rating.work_order_id)
        .where(*_ratings_conditions(viewer, red_line, low_only, unreplied_only))
    )
    return int(session.scalar(query) or 0)
