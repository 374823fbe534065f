"""Rectification tickets as viewers may see them (DESIGN §1.3): the public board is
community-wide, with personal data masked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from data_access.auth import Viewer
from data_access.flows import OPEN_TICKET_STATUSES
from data_access.models import RectificationTicket
from data_access.privacy import text_masker


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
    nearest_deadline = case(
        (RectificationTicket.status == "submitted", RectificationTicket.accept_due_at),
        else_=RectificationTicket.fix_due_at,
    )
    tickets = session.scalars(
        select(RectificationTicket)
        .where(
            RectificationTicket.community_id == viewer.community_id,
            RectificationTicket.status.in_(OPEN_TICKET_STATUSES),
        )
        .order_by(nearest_deadline, RectificationTicket.id)
        .limit(limit)
    ).all()
    masked = text_masker(session, viewer)  # names typed into a title (issue 7)
    result = []
    for ticket in tickets:
        accepting = ticket.status == "submitted"
        deadline = ticket.accept_due_at if accepting else ticket.fix_due_at
        result.append(
            OpenTicket(
                ticket_id=ticket.id,
                code=ticket.code,
                title=masked(ticket.title),
                category=ticket.category,
                status=ticket.status,
                created_at=ticket.created_at,
                deadline_kind="accept" if accepting else "fix",
                deadline_at=deadline,
                # Awaiting the owner's confirmation, the company's part is done.
                is_overdue=deadline < now and ticket.status != "awaiting_confirmation",
                is_mine=ticket.owner_id == viewer.account_id,
            )
        )
    return result
