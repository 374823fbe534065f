"""Commands that change a work order: advance it, note, photos, parts, "seen".

Who calls them: the work itself happens in the company's operational system; here the live
simulator (``manage.py simulate``) stands for it and writes through these commands. No page
offers them to a user, so they take no viewer. The one command a user's page triggers,
``mark_order_seen``, takes the viewer and refuses an order the viewer may not see.

Every command works in the caller's session (open it with ``db.write_session``) and either
writes everything it should or raises before writing. Refusals a user can cause are
``DomainError``s with a catalog key; misuse by calling code (an unknown stage code, a photo
for another order's event) is a ``ValueError``.

Concurrency: a command first locks the order row (``SELECT … FOR UPDATE`` on PostgreSQL; on
SQLite the write transaction already holds the database lock from ``BEGIN IMMEDIATE``), then
derives the order's stage from its events, and writes with ``UPDATE … WHERE version = :v`` so
that two writers starting from the same version can never both append an event.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.accounts.last_looks import ORDER_SCOPE, save_last_look
from data_access.errors import DomainError
from data_access.flows import FINAL_STAGE, RESPONSE_STAGE, derive_progress, flow_of
from data_access.media.photos import attach_photo, store_photo
from data_access.models import LastLook, PhotoAttachment, WorkOrder, WorkOrderEvent, WorkOrderPart
from data_access.notifications.notices import write_completion_notices
from data_access.orders.steps import is_effective
from data_access.orders.work_orders import visible_to
from data_access.text_input import clean_text
from data_access.timestamps import to_stored_utc
from data_access.versioning import bump_version
from i18n import label, translate

PARTS_STAGE = "parts_procurement"
MAX_PART_QUANTITY = 999
PART_NAME_MAX = 100  # WorkOrderPart.name is String(100)
ACTOR_NAME_MAX = 50  # WorkOrderEvent.actor_name is String(50)


class OrderStageError(DomainError):
    """``order.bad_stage``: the move is not allowed. The stages are kept as codes in
    ``params`` and shown as labels in the reader's language."""

    def __init__(self, current: str, target: str) -> None:
        super().__init__("order.bad_stage", current=current, target=target)

    def message(self, lang: str = "zh") -> str:
        return translate(
            self.key,
            lang,
            current=label("stage", str(self.params["current"]), lang),
            target=label("stage", str(self.params["target"]), lang),
        )


# --- stages -------------------------------------------------------------------------------------
def current_stage(*, session: Session, order: WorkOrder) -> str:
    """The order's stage, derived from its events (the furthest stage reached)."""
    stages = session.scalars(
        select(WorkOrderEvent.stage).where(WorkOrderEvent.work_order_id == order.id, is_effective())
    )
    return derive_progress(order.order_type, stages).stage


def next_stages(order_type: str, current: str) -> list[str]:
    """The stages an order at ``current`` may move to: the next required stage and any
    optional stages before it (e.g. dispatched → parts procurement or in progress)."""
    codes = [stage.code for stage in flow_of(order_type)]
    allowed = []
    for stage in flow_of(order_type)[codes.index(current) + 1 :]:
        allowed.append(stage.code)
        if not stage.optional:
            break
    return allowed


def check_move(order_type: str, current: str, target: str) -> None:
    """Raise ``OrderStageError`` unless ``target`` is a later stage of the flow reachable from
    ``current`` without skipping a required stage; ``ValueError`` if it is not in the flow."""
    codes = [stage.code for stage in flow_of(order_type)]
    if target not in codes:
        raise ValueError(f"{target!r} is not a stage of a {order_type} work order")
    if target not in next_stages(order_type, current):
        raise OrderStageError(current, target)


# --- commands -----------------------------------------------------------------------------------
def advance_order(
    *,
    session: Session,
    order_id: int,
    to_stage: str,
    at: dt.datetime,
    actor_name: str,
    actor_staff_id: int | None = None,
    actor_account_id: int | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> WorkOrderEvent:
    """Move the order to ``to_stage`` with one appended event at ``at`` (naive UTC).

    Sets ``responded_at`` the first time the order reaches its response stage (or a later
    one) and ``completed_at`` when it reaches "completed"; bumps ``version``.

    Raises ``DomainError``: ``order.not_found``, ``order.already_completed``,
    ``order.changed_meanwhile`` (``expected_version`` given and outdated, or a concurrent
    writer won), ``order.bad_stage`` (backwards, same stage, or a required stage skipped).
    """
    at = to_stored_utc(at)
    order = _lock_order(session, order_id)
    if order.completed_at is not None:
        raise DomainError("order.already_completed")
    _check_version(order, expected_version)
    current = current_stage(session=session, order=order)
    check_move(order.order_type, current, to_stage)
    if at < order.created_at:
        raise ValueError(f"event time {at} is before the order was created ({order.created_at})")

    codes = [stage.code for stage in flow_of(order.order_type)]
    changes: dict[str, Any] = {}
    response_stage = RESPONSE_STAGE[order.order_type]
    if order.responded_at is None and codes.index(to_stage) >= codes.index(response_stage):
        changes["responded_at"] = at
    if to_stage == FINAL_STAGE:
        changes["completed_at"] = at
    _bump_version(session, order, **changes)
    event = _append_event(
        session,
        order,
        stage=to_stage,
        at=at,
        actor_name=actor_name,
        actor_staff_id=actor_staff_id,
        actor_account_id=actor_account_id,
        note=note,
    )
    if to_stage == FINAL_STAGE:
        write_completion_notices(
            session=session, community_id=order.community_id, now=at, order_ids=[order.id]
        )
    return event


def add_order_note(
    *,
    session: Session,
    order_id: int,
    note: str,
    at: dt.datetime,
    actor_name: str,
    actor_staff_id: int | None = None,
    actor_account_id: int | None = None,
    expected_version: int | None = None,
) -> WorkOrderEvent:
    """Append a note in the order's current stage (the bar does not move); bumps ``version``
    so that viewers see the order as changed. Allowed on completed orders too (follow-up
    calls after completion are part of the record)."""
    at = to_stored_utc(at)
    note = clean_text(note)
    if not note:
        raise DomainError("order.note_required")
    order = _lock_order(session, order_id)
    _check_version(order, expected_version)
    stage = current_stage(session=session, order=order)
    _bump_version(session, order)
    return _append_event(
        session,
        order,
        stage=stage,
        at=at,
        actor_name=actor_name,
        actor_staff_id=actor_staff_id,
        actor_account_id=actor_account_id,
        note=note,
    )


def attach_order_photo(
    *,
    session: Session,
    order_id: int,
    event_id: int,
    kind: str,
    data: bytes,
    media_dir: Path,
    at: dt.datetime,
    caption: str = "",
) -> PhotoAttachment:
    """Validate and store the uploaded bytes (``media.store_photo``: EXIF stripped, stored
    once) and show the photo on the order, at its event ``event_id``, as ``kind``
    (before/during/after/evidence). The caption defaults to the order's title.

    Raises ``DomainError`` ``order.not_found`` or one of ``upload.*``; ``ValueError`` if the
    event belongs to another order or the kind is unknown.
    """
    at = to_stored_utc(at)
    order = session.get(WorkOrder, order_id)
    if order is None:
        raise DomainError("order.not_found")
    event = session.get(WorkOrderEvent, event_id)
    if event is None or event.work_order_id != order.id:
        raise ValueError(f"event {event_id} is not an event of work order {order_id}")
    photo = store_photo(session=session, data=data, media_dir=media_dir, uploaded_at=at)
    return attach_photo(
        session=session,
        photo=photo,
        kind=kind,
        attached_at=at,
        work_order_id=order.id,
        work_order_event_id=event.id,
        caption=(caption.strip() or order.title)[:200],
    )


def add_part(
    *,
    session: Session,
    order_id: int,
    name: str,
    quantity: int = 1,
    at: dt.datetime,
) -> WorkOrderPart:
    """Record a part ordered for the order; only while it is in 配件采购 (parts procurement).

    Raises ``DomainError``: ``order.not_found``, ``order.part_invalid`` (no name, name too
    long, quantity outside 1–999), ``order.parts_wrong_stage``.
    """
    at = to_stored_utc(at)
    name = name.strip()
    if not name or len(name) > PART_NAME_MAX or not 1 <= quantity <= MAX_PART_QUANTITY:
        raise DomainError("order.part_invalid", max_quantity=MAX_PART_QUANTITY)
    order = _lock_order(session, order_id)
    stage = current_stage(session=session, order=order)
    if order.completed_at is not None or stage != PARTS_STAGE:
        raise DomainError("order.parts_wrong_stage")
    part = WorkOrderPart(work_order_id=order.id, name=name, quantity=quantity, ordered_at=at)
    session.add(part)
    session.flush()
    return part


def mark_parts_arrived(*, session: Session, order_id: int, at: dt.datetime) -> int:
    """Set ``arrived_at`` on the order's parts that have not arrived; returns how many."""
    at = to_stored_utc(at)
    order = _lock_order(session, order_id)
    parts = session.scalars(
        select(WorkOrderPart).where(
            WorkOrderPart.work_order_id == order.id, WorkOrderPart.arrived_at.is_(None)
        )
    ).all()
    for part in parts:
        part.arrived_at = at
    session.flush()
    return len(parts)


def mark_order_seen(
    *, session: Session, viewer: Viewer, order_id: int, at: dt.datetime
) -> LastLook:
    """Remember that the viewer looked at the order at ``at`` (events after it are unread).
    An order the viewer may not see reads as not found (its existence is not revealed).

    The look is the viewer's ``LastLook`` of scope "order" for this order, written by
    ``last_looks.save_last_look`` (safe with a concurrent request; ``seen_at`` never moves
    backwards).
    """
    visible = session.scalar(
        select(WorkOrder.id).where(WorkOrder.id == order_id, visible_to(viewer))
    )
    if visible is None:
        raise DomainError("order.not_found")
    return save_last_look(
        session=session,
        account_id=viewer.account_id,
        scope=ORDER_SCOPE,
        subject_id=order_id,
        at=at,
    )


# --- helpers ------------------------------------------------------------------------------------


def _lock_order(session: Session, order_id: int) -> WorkOrder:
    """The order, re-read from the database and locked for this transaction."""
    order = session.scalars(
        select(WorkOrder)
        .where(WorkOrder.id == order_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
    if order is None:
        raise DomainError("order.not_found")
    return order


def _check_version(order: WorkOrder, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != order.version:
        raise DomainError("order.changed_meanwhile")


def _bump_version(session: Session, order: WorkOrder, **changes: Any) -> None:
    bump_version(session, order, "order.changed_meanwhile", **changes)


def _append_event(
    session: Session,
    order: WorkOrder,
    *,
    stage: str,
    at: dt.datetime,
    actor_name: str,
    actor_staff_id: int | None,
    actor_account_id: int | None,
    note: str,
) -> WorkOrderEvent:
    event = WorkOrderEvent(
        work_order_id=order.id,
        stage=stage,
        occurred_at=at,
        actor_name=actor_name.strip()[:ACTOR_NAME_MAX],
        actor_staff_id=actor_staff_id,
        actor_account_id=actor_account_id,
        note=clean_text(note),
    )
    session.add(event)
    session.flush()
    return event
