"""Rectification tickets as viewers may see them: the public board is community-wide, with
personal data masked and tickets of in-home orders redacted (``privacy.redacts_private``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.accounts.privacy import (
    private_title,
    public_text_masker,
    redacts_private,
    sees_unmasked,
    ticket_of_private_order,
)
from data_access.flows import OPEN_TICKET_STATUSES
from data_access.models import RectificationTicket


@dataclass(frozen=True)
class OpenTicket:
    ticket_id: int
    code: str
    title: str
    category: str
    status: str
    created_at: dt.datetime
    deadline_kind: str  # "accept" while submitted, else "fix"
    deadline_at: dt.datetime
    is_overdue: bool
    is_mine: bool


def list_open_tickets(
    *, session: Session, viewer: Viewer, now: dt.datetime, limit: int = 10
) -> list[OpenTicket]:
    """Open tickets of the viewer's community, nearest deadline first."""
    tickets = community_open_tickets(
        session=session,
        community_id=viewer.community_id,
        unmasked=sees_unmasked(viewer),
        now=now,
        limit=limit,
    )
    return mark_mine(tickets, viewer)


def mark_mine(tickets: list[CommunityOpenTicket], viewer: Viewer) -> list[OpenTicket]:
    """The community's open tickets as one viewer sees them: which are theirs."""
    return [replace(item.ticket, is_mine=item.owner_id == viewer.account_id) for item in tickets]


@dataclass(frozen=True)
class CommunityOpenTicket:
    """An open ticket as every owner or committee member sees it (not marked as anyone's);
    ``owner_id`` only serves ``mark_mine`` and is never shown."""

    ticket: OpenTicket
    owner_id: int | None


def community_open_tickets(
    *, session: Session, community_id: int, unmasked: bool, now: dt.datetime, limit: int = 10
) -> list[CommunityOpenTicket]:
    """A community's open tickets, nearest deadline first, for everyone there who sees names
    alike (managers: ``unmasked``; others: every name typed into a title masked, their own
    too, as in the public feed; a ticket of an in-home order shows its neutral title to all of
    them, its owner too). The page caches this per community rather than per viewer and marks
    the viewer's own with ``mark_mine``. Callers pass their viewer's community."""
    nearest_deadline = case(
        (RectificationTicket.status == "submitted", RectificationTicket.accept_due_at),
        else_=RectificationTicket.fix_due_at,
    )
    rows = session.execute(
        select(RectificationTicket, ticket_of_private_order())
        .where(
            RectificationTicket.community_id == community_id,
            RectificationTicket.status.in_(OPEN_TICKET_STATUSES),
        )
        .order_by(nearest_deadline, RectificationTicket.id)
        .limit(limit)
    ).all()
    masked = public_text_masker(session, community_id, unmasked=unmasked)
    result = []
    for ticket, private in rows:
        accepting = ticket.status == "submitted"
        deadline = ticket.accept_due_at if accepting else ticket.fix_due_at
        shown = OpenTicket(
            ticket_id=ticket.id,
            code=ticket.code,
            title=private_title()
            if redacts_private(bool(private), unmasked=unmasked)
            else masked(ticket.title),
            category=ticket.category,
            status=ticket.status,
            created_at=ticket.created_at,
            deadline_kind="accept" if accepting else "fix",
            deadline_at=deadline,
            # Awaiting the owner's confirmation, the company's part is done.
            is_overdue=deadline < now and ticket.status != "awaiting_confirmation",
            is_mine=False,
        )
        result.append(CommunityOpenTicket(shown, ticket.owner_id))
    return result
