"""The manager console (处理台): what the company still owes owners, nearest deadline first.

The inbox holds
- ratings without a reply (status "awaiting_reply"), due at ``reply_due_at``;
- tickets the company must move: "submitted" (due at ``accept_due_at``), "accepted" and
  "in_progress" (due at ``fix_due_at``).
Tickets awaiting the owner's confirmation are not the company's to do: they are never overdue
and appear only when asked for with ``status="awaiting_confirmation"``. Closed and rejected
tickets never appear.

"New" means created or changed after the manager's last look at the console
(``accounts.last_looks``, scope "console"); a manager who never looked counts the last
``last_looks.FIRST_LOOK_WINDOW`` (7 days) as new. A ticket's change is an event written by
someone other than this manager (their own moves are not news to them).

Managers only, always within their community: anyone else is refused with
``NotAllowed("console.managers_only")``. Managers see owners' names unmasked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.accounts.last_looks import (
    CONSOLE_SCOPE,
    last_look_at,
    save_last_look,
    since_last_look,
)
from data_access.communities import community_zone
from data_access.errors import NotAllowed
from data_access.models import (
    Account,
    LastLook,
    Rating,
    RectificationTicket,
    TicketEvent,
    WorkOrder,
)
from data_access.tickets.ratings import DEFAULT_RED_LINE
from data_access.tickets.ticket_commands import contract_in_force
from data_access.timestamps import local_date, to_stored_utc

INBOX_LIMIT = 200
INBOX_KINDS = ("rating", "ticket")
AWAITING_REPLY = "awaiting_reply"  # the status a rating has in the inbox
COMPANY_TICKET_STATUSES = ("submitted", "accepted", "in_progress")  # the company's move
AWAITING_OWNER = "awaiting_confirmation"  # listed only on request, never overdue
STATUS_FILTERS = (AWAITING_REPLY, *COMPANY_TICKET_STATUSES, AWAITING_OWNER)
ORDERS = ("deadline", "severity")  # how the inbox is sorted (see ``list_inbox``)


@dataclass(frozen=True)
class InboxItem:
    kind: str  # "rating" or "ticket"
    id: int  # the rating's or the ticket's id
    code: str  # the ticket's code; for a rating, the rated order's code
    title: str  # the ticket's title; for a rating, the rated order's title
    category: str  # order category code
    status: str  # ticket status, or "awaiting_reply" for a rating
    deadline_kind: str  # "reply", "accept" or "fix"
    deadline_at: dt.datetime
    is_overdue: bool
    created_at: dt.datetime
    owner_name: str  # unmasked: only managers see the console
    scores: tuple[int, int, int] | None  # speed, attitude, quality (ratings)
    comment: str  # the rating's comment; the ticket's description
    version: int  # for the optimistic lock of the reply / the ticket's moves
    is_new: bool
    order_id: int | None  # the rated order; the order a ticket came from, if any
    is_red_line: bool = (
        False  # a score at or below the contract's red line (its own or its rating's)
    )

    @property
    def worst_score(self) -> int | None:
        return min(self.scores) if self.scores else None


@dataclass(frozen=True)
class InboxSummary:
    total: int  # ratings awaiting a reply + tickets the company must move
    overdue: int
    ratings: int  # awaiting a reply
    tickets: int  # submitted, accepted or in progress
    to_accept: int  # submitted
    changed_since_last_look: int
    since: dt.datetime  # what "since the last look" means (the first-visit window if none)


# --- public functions --------------------------------------------------------------------------------
def console_since(*, session: Session, viewer: Viewer, now: dt.datetime) -> dt.datetime:
    """The moment after which things are new for this manager: their last look at the
    console, or ``now`` minus 7 days (``FIRST_LOOK_WINDOW``) on a first visit."""
    _check_manager(viewer)
    return since_last_look(
        session=session, account_id=viewer.account_id, scope=CONSOLE_SCOPE, now=now
    )


def last_console_look(*, session: Session, viewer: Viewer) -> dt.datetime | None:
    """When this manager last looked at the console, or None if they never did."""
    _check_manager(viewer)
    return last_look_at(session=session, account_id=viewer.account_id, scope=CONSOLE_SCOPE)


def list_inbox(
    *,
    session: Session,
    viewer: Viewer,
    now: dt.datetime,
    kind: str | None = None,
    status: str | None = None,
    category: str | None = None,
    overdue_only: bool = False,
    limit: int = INBOX_LIMIT,
    since: dt.datetime | None = None,
    order: str = "deadline",
) -> list[InboxItem]:
    """Ratings awaiting a reply and tickets awaiting the company. ``order`` "deadline": nearest
    deadline first (so the overdue ones lead); "severity": at or below the red line first, the
    lowest score first (1★ before 2★ …), then overdue, then nearest deadline — a ticket is as
    severe as the rating that opened it. ``status`` is one of ``STATUS_FILTERS``; ``since``
    overrides the stored last look (a page keeps the one it read when the visit began)."""
    _check_manager(viewer)
    now = to_stored_utc(now)
    since = since if since is not None else console_since(session=session, viewer=viewer, now=now)
    items: list[InboxItem] = []
    if kind in (None, "rating") and status in (None, AWAITING_REPLY):
        items += _ratings(session, viewer, now, since, category, overdue_only, limit)
    if kind in (None, "ticket") and status != AWAITING_REPLY:
        items += _tickets(session, viewer, now, since, status, category, overdue_only, limit)
    red_line = _red_line(session, viewer.community_id, now)
    items = [replace(i, is_red_line=(i.worst_score or SCORE_NONE) <= red_line) for i in items]
    if order == "severity":
        items.sort(key=lambda i: (not i.is_red_line, i.worst_score or SCORE_NONE,
                                  not i.is_overdue, i.deadline_at, i.kind, i.id))  # fmt: skip
    else:
        items.sort(key=lambda item: (item.deadline_at, item.kind, item.id))
    return items[:limit]


SCORE_NONE = 6  # sorts after every score: a ticket not opened by a rating


def _red_line(session: Session, community_id: int, now: dt.datetime) -> int:
    zone = community_zone(session, community_id)
    contract = contract_in_force(session, community_id, local_date(now, zone))
    return contract.red_line_score if contract is not None else DEFAULT_RED_LINE


def inbox_summary(
    *, session: Session, viewer: Viewer, now: dt.datetime, since: dt.datetime | None = None
) -> InboxSummary:
    """The console's figures (all without filters). ``changed_since_last_look`` counts ratings
    created or edited, tickets opened, and ticket events written by anyone but this manager
    (an opening counts once, as the new ticket), after ``since`` (default: the last look)."""
    _check_manager(viewer)
    now = to_stored_utc(now)
    since = since if since is not None else console_since(session=session, viewer=viewer, now=now)
    ratings, ratings_overdue = session.execute(
        select(func.count(), func.count().filter(Rating.reply_due_at < now)).where(
            *_open_rating_filter(viewer)
        )
    ).one()
    rows = session.execute(
        select(
            RectificationTicket.status,
            func.count(),
            func.count().filter(_ticket_deadline() < now),
        )
        .where(*_open_ticket_filter(viewer, None))
        .group_by(RectificationTicket.status)
    ).all()
    by_status = {status: count for status, count, _ in rows}
    tickets_overdue = sum(overdue for _, _, overdue in rows)
    tickets = sum(by_status.values())
    return InboxSummary(
        total=ratings + tickets,
        overdue=ratings_overdue + tickets_overdue,
        ratings=ratings,
        tickets=tickets,
        to_accept=by_status.get("submitted", 0),
        changed_since_last_look=_changes_after(session, viewer, since),
        since=since,
    )


def mark_console_seen(*, session: Session, viewer: Viewer, at: dt.datetime) -> LastLook:
    """Everything up to ``at`` is no longer new for this manager (caller's write session)."""
    _check_manager(viewer)
    return save_last_look(session=session, account_id=viewer.account_id, scope=CONSOLE_SCOPE, at=at)


# --- ratings -------------------------------------------------------------------------------------------
def _open_rating_filter(viewer: Viewer) -> list[ColumnElement[bool]]:
    return [
        Rating.community_id == viewer.community_id,
        Rating.reply == "",
        Rating.historical.is_(False),
    ]


def _ratings(
    session: Session,
    viewer: Viewer,
    now: dt.datetime,
    since: dt.datetime,
    category: str | None,
    overdue_only: bool,
    limit: int,
) -> list[InboxItem]:
    query = (
        select(Rating, WorkOrder.code, WorkOrder.title, WorkOrder.category, Account.display_name)
        .join(WorkOrder, WorkOrder.id == Rating.work_order_id)
        .join(Account, Account.id == Rating.owner_id)
        .where(*_open_rating_filter(viewer))
        .order_by(Rating.reply_due_at, Rating.id)
        .limit(limit)
    )
    if category:
        query = query.where(WorkOrder.category == category)
    if overdue_only:
        query = query.where(Rating.reply_due_at < now)
    rows = session.execute(query).all()
    return [_rating_item(rating, order, name, now, since) for rating, *order, name in rows]


def _rating_item(
    rating: Rating, order: list[str], owner_name: str, now: dt.datetime, since: dt.datetime
) -> InboxItem:
    code, title, category = order
    return InboxItem(
        kind="rating", id=rating.id, code=code, title=title, category=category,
        status=AWAITING_REPLY, deadline_kind="reply", deadline_at=rating.reply_due_at,
        is_overdue=rating.reply_due_at < now, created_at=rating.created_at,
        owner_name=owner_name,
        scores=(rating.score_speed, rating.score_attitude, rating.score_quality),
        comment=rating.comment, version=rating.version,
        is_new=max(rating.created_at, rating.updated_at) > since, order_id=rating.work_order_id,
    )  # fmt: skip


# --- tickets -------------------------------------------------------------------------------------------
def _ticket_deadline() -> ColumnElement[dt.datetime]:
    return case(
        (RectificationTicket.status == "submitted", RectificationTicket.accept_due_at),
        else_=RectificationTicket.fix_due_at,
    )


def _open_ticket_filter(viewer: Viewer, status: str | None) -> list[ColumnElement[bool]]:
    statuses = (status,) if status else COMPANY_TICKET_STATUSES
    return [
        RectificationTicket.community_id == viewer.community_id,
        RectificationTicket.status.in_(statuses),
    ]


def _others_last_event(viewer: Viewer) -> Any:
    """Per ticket: the time of its latest event not written by this manager — correlated per
    listed ticket (index ticket_id, occurred_at), never a grouping of the whole event table."""
    return (
        select(func.max(TicketEvent.occurred_at))
        .where(
            TicketEvent.ticket_id == RectificationTicket.id,
            _not_mine(TicketEvent.actor_account_id, viewer),
        )
        .correlate(RectificationTicket)
        .scalar_subquery()
    )


def _not_mine(actor: Any, viewer: Viewer) -> ColumnElement[bool]:
    result: ColumnElement[bool] = actor.is_(None) | (actor != viewer.account_id)
    return result


def _tickets(
    session: Session,
    viewer: Viewer,
    now: dt.datetime,
    since: dt.datetime,
    status: str | None,
    category: str | None,
    overdue_only: bool,
    limit: int,
) -> list[InboxItem]:
    if status is not None and status not in (*COMPANY_TICKET_STATUSES, AWAITING_OWNER):
        return []
    deadline = _ticket_deadline()
    query = (
        select(
            RectificationTicket,
            Account.display_name,
            _others_last_event(viewer),
            Rating.score_speed,
            Rating.score_attitude,
            Rating.score_quality,
        )
        .outerjoin(Account, Account.id == RectificationTicket.owner_id)
        .outerjoin(Rating, Rating.id == RectificationTicket.rating_id)
        .where(*_open_ticket_filter(viewer, status))
        .order_by(deadline, RectificationTicket.id)
        .limit(limit)
    )
    if category:
        query = query.where(RectificationTicket.category == category)
    if overdue_only:
        # Awaiting the owner, the company's part is done: never overdue.
        query = query.where(deadline < now, RectificationTicket.status != AWAITING_OWNER)
    rows = session.execute(query).all()
    return [
        _ticket_item(ticket, name, changed_at, now, since, None if speed is None else scores)
        for ticket, name, changed_at, speed, *rest in rows
        for scores in [(speed, *rest)]
    ]


def _ticket_item(
    ticket: RectificationTicket,
    owner_name: str | None,
    changed_at: dt.datetime | None,
    now: dt.datetime,
    since: dt.datetime,
    scores: tuple[int, int, int] | None,
) -> InboxItem:
    accepting = ticket.status == "submitted"
    deadline = ticket.accept_due_at if accepting else ticket.fix_due_at
    return InboxItem(
        kind="ticket", id=ticket.id, code=ticket.code, title=ticket.title,
        category=ticket.category, status=ticket.status,
        deadline_kind="accept" if accepting else "fix", deadline_at=deadline,
        is_overdue=deadline < now and ticket.status != AWAITING_OWNER,
        created_at=ticket.created_at, owner_name=owner_name or "", scores=scores,
        comment=ticket.description, version=ticket.version,
        is_new=ticket.created_at > since or (changed_at is not None and changed_at > since),
        order_id=ticket.work_order_id,
    )  # fmt: skip


# --- changes ---------------------------------------------------------------------------------------------
def _changes_after(session: Session, viewer: Viewer, since: dt.datetime) -> int:
    community = viewer.community_id
    ratings = session.scalar(
        select(func.count()).where(
            Rating.community_id == community,
            (Rating.created_at > since) | (Rating.updated_at > since),
        )
    )
    tickets = session.scalar(
        select(func.count()).where(
            RectificationTicket.community_id == community, RectificationTicket.created_at > since
        )
    )
    events = session.scalar(
        select(func.count())
        .select_from(TicketEvent)
        .join(RectificationTicket, RectificationTicket.id == TicketEvent.ticket_id)
        .where(
            RectificationTicket.community_id == community,
            TicketEvent.occurred_at > since,
            TicketEvent.from_status.is_not(None),  # the opening is counted as the new ticket
            _not_mine(TicketEvent.actor_account_id, viewer),
        )
    )
    return (ratings or 0) + (tickets or 0) + (events or 0)


def _check_manager(viewer: Viewer) -> None:
    if not viewer.is_manager:
        raise NotAllowed("console.managers_only")
