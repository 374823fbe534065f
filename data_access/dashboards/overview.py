"""Figures for the Overview page (首页)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.accounts.privacy import (
    mask_name,
    private_title,
    public_text_masker,
    redacts_private,
    sees_unmasked,
    ticket_of_private_order,
)
from data_access.communities import OwnUnits
from data_access.flows import OPEN_TICKET_STATUSES
from data_access.models import (
    Area,
    Community,
    RectificationTicket,
    ServiceContract,
    TicketEvent,
    Unit,
    WorkOrder,
    WorkOrderEvent,
)
from data_access.orders.steps import is_effective


@dataclass(frozen=True)
class ContractSummary:
    code: str
    start_date: dt.date
    end_date: dt.date
    service_level: str | None  # None: not recorded
    fee_per_m2_month: Decimal | None  # None: not recorded


@dataclass(frozen=True)
class OverviewSummary:
    community_name: str
    community_code: str
    city: str
    address: str
    contract: ContractSummary | None
    open_work_orders: int
    open_tickets: int
    my_units: tuple[str, ...]


def get_overview(*, session: Session, viewer: Viewer, today: dt.date) -> OverviewSummary:
    """The viewer's community at a glance. Every role sees only its own community."""
    summary = community_overview(session=session, community_id=viewer.community_id, today=today)
    return replace(summary, my_units=unit_labels(session=session, unit_ids=viewer.unit_ids))


def community_overview(*, session: Session, community_id: int, today: dt.date) -> OverviewSummary:
    """``get_overview`` without the viewer's units: the same for everyone in the community, so
    the page caches it per community (callers pass their viewer's community)."""
    community = session.get_one(Community, community_id)
    contract = session.scalar(
        select(ServiceContract)
        .where(
            ServiceContract.community_id == community.id,
            ServiceContract.start_date <= today,
            ServiceContract.end_date >= today,
        )
        .order_by(ServiceContract.start_date.desc())
        .limit(1)
    )
    open_orders = session.scalar(
        select(func.count())
        .select_from(WorkOrder)
        .where(WorkOrder.community_id == community.id, WorkOrder.completed_at.is_(None))
    )
    open_tickets = session.scalar(
        select(func.count())
        .select_from(RectificationTicket)
        .where(
            RectificationTicket.community_id == community.id,
            RectificationTicket.status.in_(OPEN_TICKET_STATUSES),
        )
    )
    return OverviewSummary(
        community_name=community.name,
        community_code=community.code,
        city=community.city,
        address=community.address,
        contract=None
        if contract is None
        else ContractSummary(
            code=contract.code,
            start_date=contract.start_date,
            end_date=contract.end_date,
            service_level=contract.service_level,
            fee_per_m2_month=contract.fee_per_m2_month,
        ),
        open_work_orders=open_orders or 0,
        open_tickets=open_tickets or 0,
        my_units=(),
    )


def unit_labels(*, session: Session, unit_ids: tuple[int, ...]) -> tuple[str, ...]:
    """Human labels such as 3栋2单元1201 for the viewer's own units (shown only to them)."""
    return own_units(session=session, unit_ids=unit_ids).labels


def own_units(*, session: Session, unit_ids: tuple[int, ...]) -> OwnUnits:
    if not unit_ids:
        return OwnUnits()
    rows = session.execute(
        select(Area.id, Area.name, Unit.entrance, Unit.room)
        .join(Area, Unit.building_id == Area.id)
        .where(Unit.id.in_(unit_ids))
        .order_by(Unit.id)
    ).all()
    return OwnUnits.of([(area_id, name, entrance, room) for area_id, name, entrance, room in rows])


@dataclass(frozen=True)
class PublicUpdate:
    occurred_at: dt.datetime
    subject: str  # "order" or "ticket"
    title: str
    state: str  # a stage code (order) or a ticket status
    actor: str
    note: str


def list_public_updates(*, session: Session, viewer: Viewer, limit: int = 8) -> list[PublicUpdate]:
    """The newest steps of public work orders and of tickets in the viewer's community.

    Private (in-home) orders never appear here, whoever looks; for owners and the committee,
    actors are masked, and so are names and personal data typed into titles and notes; a
    ticket of an in-home order shows its neutral title and only the company's notes
    (``privacy.redacts_private``).
    """
    return community_updates(
        session=session,
        community_id=viewer.community_id,
        unmasked=sees_unmasked(viewer),
        limit=limit,
    )


def community_updates(
    *, session: Session, community_id: int, unmasked: bool, limit: int = 8
) -> list[PublicUpdate]:
    """``list_public_updates`` for every viewer of a community who sees names alike (managers:
    ``unmasked``; owners and the committee: masked). It depends on nothing else of the viewer,
    so the page caches it per community rather than per viewer: a hundred owners opening the
    Overview at once share one query (bench/concurrent.py). Callers pass their viewer's
    community and ``privacy.sees_unmasked(viewer)``."""
    order_steps = session.execute(
        select(
            WorkOrderEvent.occurred_at,
            WorkOrder.title,
            WorkOrderEvent.stage,
            WorkOrderEvent.actor_name,
            WorkOrderEvent.note,
        )
        .join(WorkOrder, WorkOrderEvent.work_order_id == WorkOrder.id)
        .where(
            WorkOrder.community_id == community_id,
            WorkOrder.visibility == "public",
            is_effective(),
        )
        .order_by(WorkOrderEvent.occurred_at.desc(), WorkOrderEvent.id.desc())
        .limit(limit)
    ).all()
    ticket_steps = session.execute(
        select(
            TicketEvent.occurred_at, RectificationTicket.title, TicketEvent.to_status,
            TicketEvent.actor_name, TicketEvent.note, ticket_of_private_order(),
            TicketEvent.actor_account_id.is_not(None)
            & (TicketEvent.actor_account_id == RectificationTicket.owner_id),
        )
        .join(RectificationTicket, TicketEvent.ticket_id == RectificationTicket.id)
        .where(RectificationTicket.community_id == community_id)
        .order_by(TicketEvent.occurred_at.desc(), TicketEvent.id.desc())
        .limit(limit)
    ).all()  # fmt: skip
    masked = public_text_masker(session, community_id, unmasked=unmasked)

    def update(
        subject: str, at: dt.datetime, title: str, state: str, actor: str, note: str
    ) -> PublicUpdate:
        return PublicUpdate(
            occurred_at=at,
            subject=subject,
            title=masked(title),
            state=state,
            actor=(actor if unmasked else mask_name(actor)) if actor else "",
            note=masked(note),
        )

    updates = [update("order", *step) for step in order_steps]
    for at, title, state, actor, note, private, by_owner in ticket_steps:
        if redacts_private(bool(private), unmasked=unmasked):
            # Only the company's steps keep their note; the owner is not named.
            title, note = private_title(), "" if by_owner else note
            actor = "" if by_owner else actor
        updates.append(update("ticket", at, title, state, actor, note))
    updates.sort(key=lambda u: u.occurred_at, reverse=True)
    return updates[:limit]
