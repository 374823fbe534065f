"""我的工单: the orders a person reported, in three lists — to rate (completed, not rated by
them, still inside the rating window), open, and finished — and the count of the first for the
menu. The person sees their own orders in full: nothing of their own is masked."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Select, bindparam, func, select
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.accounts.last_looks import ORDER_SCOPE, look_matches
from data_access.flows import Progress
from data_access.models import LastLook, Rating, WorkOrder, WorkOrderEvent
from data_access.orders.rating_window import (
    completed_since,
    is_within_rating_window,
    rating_closes_at,
    rating_cutoff,
)
from data_access.orders.steps import is_effective
from data_access.orders.work_orders import progress_of
from data_access.timestamps import to_stored_utc

MAX_LISTED = 200  # per list; older finished orders are in 服务历史


@dataclass(frozen=True)
class MyOrder:
    order_id: int
    code: str
    order_type: str
    category: str
    title: str
    location: str
    created_at: dt.datetime
    completed_at: dt.datetime | None
    progress: Progress
    scores: tuple[int, int, int] | None  # the person's rating (speed, attitude, quality)
    rate_until: dt.datetime | None  # completed, not rated, still ratable: until when
    is_unread: bool  # changed since the person last opened it


@dataclass(frozen=True)
class MyOrders:
    to_rate: list[MyOrder]
    open: list[MyOrder]
    finished: list[MyOrder]


def _mine(viewer: Viewer) -> list[ColumnElement[bool]]:
    return [
        WorkOrder.community_id == viewer.community_id,
        WorkOrder.reporter_id == viewer.account_id,
    ]


def list_my_orders(*, session: Session, viewer: Viewer, now: dt.datetime) -> MyOrders:
    """The viewer's own orders: to rate (oldest deadline first), open (newest first), finished
    and rated or past the window (newest completion first); each list at most ``MAX_LISTED``."""
    now = to_stored_utc(now)
    last_event_at = (
        select(func.max(WorkOrderEvent.occurred_at))
        .where(WorkOrderEvent.work_order_id == WorkOrder.id, is_effective())
        .correlate(WorkOrder)
        .scalar_subquery()
    )
    query = (
        select(
            WorkOrder,
            Rating.score_speed,
            Rating.score_attitude,
            Rating.score_quality,
            last_event_at,
            LastLook.seen_at,
        )
        .outerjoin(
            Rating,
            (Rating.work_order_id == WorkOrder.id) & (Rating.owner_id == viewer.account_id),
        )
        .outerjoin(LastLook, look_matches(viewer.account_id, ORDER_SCOPE, WorkOrder.id))
        .where(*_mine(viewer))
    )
    open_rows = session.execute(
        query.where(WorkOrder.completed_at.is_(None))
        .order_by(WorkOrder.created_at.desc(), WorkOrder.id.desc())
        .limit(MAX_LISTED)
    ).all()
    done_rows = session.execute(
        query.where(WorkOrder.completed_at.is_not(None))
        .order_by(WorkOrder.completed_at.desc(), WorkOrder.id.desc())
        .limit(3 * MAX_LISTED)
    ).all()
    progress = progress_of(session=session, orders=[row[0] for row in [*open_rows, *done_rows]])
    to_rate: list[MyOrder] = []
    finished: list[MyOrder] = []
    for row in done_rows:
        item = _item(row, progress, now)
        if item.rate_until is not None:
            to_rate.append(item)
        elif len(finished) < MAX_LISTED:
            finished.append(item)
    to_rate.sort(key=lambda o: (o.rate_until, o.order_id))
    return MyOrders(
        to_rate=to_rate[:MAX_LISTED],
        open=[_item(row, progress, now) for row in open_rows],
        finished=finished,
    )


def count_to_rate(*, session: Session, viewer: Viewer, now: dt.datetime) -> int:
    """How many of the viewer's completed orders wait for their rating (one COUNT)."""
    return int(
        session.scalar(count_to_rate_statement(), count_to_rate_parameters(viewer, now)) or 0
    )


def count_to_rate_parameters(viewer: Viewer, now: dt.datetime) -> dict[str, object]:
    """The bound values of ``count_to_rate_statement`` for this viewer."""
    return {"account_id": viewer.account_id, "community_id": viewer.community_id,
            "ratable_since": rating_cutoff(to_stored_utc(now))}  # fmt: skip


@functools.cache
def count_to_rate_statement() -> Select[int]:
    """``count_to_rate`` for anyone, the viewer as bound parameters (``account_id``,
    ``community_id``, ``ratable_since``): built once per process (every new visit asks)."""
    account_id: BindParameter[int] = bindparam("account_id")
    rated = select(Rating.id).where(
        Rating.work_order_id == WorkOrder.id, Rating.owner_id == account_id
    )
    return (
        select(func.count())
        .select_from(WorkOrder)
        .where(
            WorkOrder.community_id == bindparam("community_id"),
            WorkOrder.reporter_id == account_id,
            completed_since(bindparam("ratable_since", type_=WorkOrder.completed_at.type)),
            ~rated.exists(),
        )
    )


def _item(row: Any, progress: dict[int, Progress], now: dt.datetime) -> MyOrder:
    order: WorkOrder = row[0]
    speed, attitude, quality, last_at, seen_at = row[1:]
    rated = speed is not None
    ratable = not rated and is_within_rating_window(order.completed_at, now)
    last = last_at or order.created_at
    return MyOrder(
        order_id=order.id,
        code=order.code,
        order_type=order.order_type,
        category=order.category,
        title=order.title,
        location=order.location,
        created_at=order.created_at,
        completed_at=order.completed_at,
        progress=progress[order.id],
        scores=(speed, attitude, quality) if rated else None,
        rate_until=rating_closes_at(order.completed_at)
        if ratable and order.completed_at is not None
        else None,
        is_unread=last > (seen_at or order.created_at),
    )
