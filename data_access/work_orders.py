"""Work orders as viewers may see them (DESIGN §1.2 visibility, §2 masking).

Public-area orders are visible to the whole community. In-home (private) orders are visible to
their reporter, to the committee (masked) and to managers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from data_access.auth import Viewer
from data_access.flows import Progress, derive_progress
from data_access.models import WorkOrder, WorkOrderEvent
from data_access.privacy import mask_unit


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
            .where(WorkOrderEvent.work_order_id.in_([o.id for o in orders]))
            .order_by(WorkOrderEvent.occurred_at, WorkOrderEvent.id)
        )
        for order_id, stage in rows:
            stages[order_id].append(stage)
    return {o.id: derive_progress(o.order_type, stages[o.id]) for o in orders}


def list_open_orders(*, session: Session, viewer: Viewer, limit: int = 10) -> list[OpenOrder]:
    """The newest open orders the viewer may see; private ones of others are masked."""
    orders = list(
        session.scalars(
            select(WorkOrder)
            .where(visible_to(viewer), WorkOrder.completed_at.is_(None))
            .order_by(WorkOrder.created_at.desc(), WorkOrder.id.desc())
            .limit(limit)
        )
    )
    progress = progress_of(session=session, orders=orders)
    return [
        OpenOrder(
            order_id=o.id,
            code=o.code,
            order_type=o.order_type,
            category=o.category,
            title=o.title,
            location=o.location if shows_personal_data(viewer, o) else mask_unit(o.location),
            created_at=o.created_at,
            resolve_due_at=o.resolve_due_at,
            progress=progress[o.id],
            is_mine=o.reporter_id == viewer.account_id,
            is_private=o.visibility == "private",
        )
        for o in orders
    ]
