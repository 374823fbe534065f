"""Notices: messages to one account kept as rows (``models.Notice``), so that the same row the
in-app notifications list shows can also be delivered outside the app.

Today one kind, ``ORDER_COMPLETED``: an order an owner (or committee member) reported is
completed and may be rated. Written by ``write_completion_notices`` wherever an order becomes
completed — a manager's move (``orders.order_commands.advance_order``), a sync from the
operational system, the demo seed — once per order and account (a unique constraint; the insert
skips what exists), and only while the order may still be rated: a first sync of years of
history does not wake anyone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import exists, insert, literal, select
from sqlalchemy.orm import Session

from data_access.models import Account, Notice, WorkOrder
from data_access.orders.rating_window import still_ratable
from data_access.outbox.enqueue import NOTICE, note_events
from data_access.timestamps import to_stored_utc

ORDER_COMPLETED = "order_completed"
# Who reports orders of their own and rates them.
NOTIFIED_ROLES = ("owner", "committee")


def write_completion_notices(
    *,
    session: Session,
    community_id: int,
    now: dt.datetime,
    order_ids: Collection[int] | None = None,
) -> int:
    """One ``ORDER_COMPLETED`` notice for each completed, still ratable order of the community
    (only ``order_ids`` when given) whose reporter is an account of the community that rates,
    unless it has one already. The notice is dated when the order was completed. Returns how
    many were written (one INSERT … SELECT)."""
    if order_ids is not None and not order_ids:
        return 0
    already = exists().where(
        Notice.kind == ORDER_COMPLETED,
        Notice.work_order_id == WorkOrder.id,
        Notice.account_id == WorkOrder.reporter_id,
    )
    source = (
        select(
            WorkOrder.reporter_id,
            WorkOrder.community_id,
            literal(ORDER_COMPLETED),
            WorkOrder.id,
            WorkOrder.completed_at,
        )
        .join(Account, Account.id == WorkOrder.reporter_id)
        .where(
            WorkOrder.community_id == community_id,
            Account.community_id == community_id,
            Account.role.in_(NOTIFIED_ROLES),
            still_ratable(to_stored_utc(now)),
            ~already,
        )
    )
    if order_ids is not None:
        source = source.where(WorkOrder.id.in_(list(order_ids)))
    columns = ["account_id", "community_id", "kind", "work_order_id", "created_at"]
    # Counted from RETURNING: the driver reports no row count for INSERT … SELECT here.
    written = session.execute(insert(Notice).from_select(columns, source).returning(Notice.id))
    ids = written.scalars().all()
    note_events(session, NOTICE, ids)  # each may leave the app (data_access.outbox)
    return len(ids)
