"""Withdrawing what a source system deleted.

A deleted source record must disappear from every page and figure, and history must stay
truthful. So our copy is removed whole — the order with its steps, parts, photos and rating —
after a snapshot of it is kept in ``WithdrawnRecord`` (append-only). This is the one place that
removes steps (the append-only guard lets it, see ``models.WITHDRAWING``).

A rectification ticket already opened from a withdrawn rating or order is public and may be in
progress: it stays, loses its link to the removed record, and gets a note saying why.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import inspect, select, update
from sqlalchemy.orm import Session

from data_access.accounts.last_looks import ORDER_SCOPE
from data_access.models import (
    WITHDRAWING,
    Alert,
    EquipmentFault,
    Follow,
    LastLook,
    MeToo,
    PhotoAttachment,
    Rating,
    RatingEdit,
    RectificationTicket,
    SyncLink,
    WithdrawnRecord,
    WorkOrder,
    WorkOrderEvent,
    WorkOrderPart,
)
from data_access.tickets.ticket_commands import append_ticket_event

TICKET_NOTE = "来源系统已删除原{what},本整改单保留"


def withdraw_order(session: Session, link: SyncLink, *, source: str, now: dt.datetime) -> None:
    """Remove the order ``link`` points at (its ratings first), keeping a snapshot."""
    order = session.get(WorkOrder, link.local_id or 0)
    if order is None:
        return
    for rating in session.scalars(select(Rating).where(Rating.work_order_id == order.id)):
        _remove_rating(session, rating, source=source, external_id="", now=now)
    events = session.scalars(
        select(WorkOrderEvent)
        .where(WorkOrderEvent.work_order_id == order.id)
        .order_by(WorkOrderEvent.id)
    ).all()
    parts = session.scalars(select(WorkOrderPart).where(WorkOrderPart.work_order_id == order.id))
    me_toos = session.scalars(
        select(MeToo).where(MeToo.subject == "order", MeToo.subject_id == order.id)
    ).all()
    snapshot = {
        "order": row_snapshot(order),
        "steps": [row_snapshot(e) for e in events],
        "parts": [row_snapshot(p) for p in parts],
        "me_too": [row_snapshot(m) for m in me_toos],
    }
    keep_snapshot(session, source, "order", link.external_id, order.community_id, now, snapshot)
    for ticket in session.scalars(
        select(RectificationTicket).where(RectificationTicket.work_order_id == order.id)
    ):
        ticket.work_order_id = None
        _note(session, ticket, now, "工单")
    session.execute(update(Alert).where(Alert.work_order_id == order.id).values(work_order_id=None))
    session.execute(
        update(EquipmentFault)
        .where(EquipmentFault.work_order_id == order.id)
        .values(work_order_id=None)
    )
    _delete_all(
        session,
        select(PhotoAttachment).where(PhotoAttachment.work_order_id == order.id),
        select(WorkOrderPart).where(WorkOrderPart.work_order_id == order.id),
        select(LastLook).where(LastLook.scope == ORDER_SCOPE, LastLook.subject_id == order.id),
        # An id can come back (SQLite reuses the highest): nobody's voice or follow carries over.
        select(Follow).where(Follow.subject == "order", Follow.subject_id == order.id),
    )
    session.info[WITHDRAWING] = True
    try:
        for me_too in me_toos:
            session.delete(me_too)
        # Corrections point at earlier steps: remove the newest first.
        for event in sorted(events, key=lambda e: e.id, reverse=True):
            session.delete(event)
            session.flush()
        session.delete(order)
        session.flush()
    finally:
        session.info.pop(WITHDRAWING, None)


def withdraw_rating(session: Session, link: SyncLink, *, source: str, now: dt.datetime) -> None:
    """Remove the rating ``link`` points at, keeping a snapshot; its ticket stays."""
    rating = session.get(Rating, link.local_id or 0)
    if rating is not None:
        _remove_rating(session, rating, source=source, external_id=link.external_id, now=now)


def _remove_rating(
    session: Session, rating: Rating, *, source: str, external_id: str, now: dt.datetime
) -> None:
    edits = session.scalars(select(RatingEdit).where(RatingEdit.rating_id == rating.id)).all()
    snapshot = {"rating": row_snapshot(rating), "edits": [row_snapshot(e) for e in edits]}
    key = external_id or f"order-rating-{rating.id}"
    keep_snapshot(session, source, "rating", key, rating.community_id, now, snapshot)
    for ticket in session.scalars(
        select(RectificationTicket).where(RectificationTicket.rating_id == rating.id)
    ):
        ticket.rating_id = None
        _note(session, ticket, now, "评价")
    _delete_all(session, select(PhotoAttachment).where(PhotoAttachment.rating_id == rating.id))
    session.info[WITHDRAWING] = True
    try:
        for edit in edits:
            session.delete(edit)
        session.delete(rating)
        session.flush()
    finally:
        session.info.pop(WITHDRAWING, None)


def _note(session: Session, ticket: RectificationTicket, now: dt.datetime, what: str) -> None:
    append_ticket_event(
        session,
        ticket,
        from_status=ticket.status,
        to_status=ticket.status,
        at=now,
        viewer=None,
        note=TICKET_NOTE.format(what=what),
    )


def keep_snapshot(
    session: Session,
    source: str,
    kind: str,
    external_id: str,
    community_id: int | None,
    now: dt.datetime,
    snapshot: dict[str, Any],
) -> None:
    session.add(
        WithdrawnRecord(
            source=source,
            kind=kind,
            external_id=external_id[:64],
            community_id=community_id,
            withdrawn_at=now,
            snapshot=json.dumps(snapshot, ensure_ascii=False, default=str),
        )
    )


def row_snapshot(row: Any) -> dict[str, Any]:
    return {attr.key: getattr(row, attr.key) for attr in inspect(row).mapper.column_attrs}


def _delete_all(session: Session, *queries: Any) -> None:
    for query in queries:
        for row in session.scalars(query):
            session.delete(row)
    session.flush()
