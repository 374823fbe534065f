"""Photos named by a source system: kept as references (``SyncLink`` of kind "photo" whose
``pending`` holds the URL, kind and subject — an order, a patrol check-in or a plan task)
until fetched and stored like an upload."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.media.photos import attach_photo, current_media_dir, store_photo
from data_access.models import PatrolCheckin, PlanTask, SyncLink, WorkOrder
from data_access.timestamps import to_stored_utc


@dataclass(frozen=True)
class PendingPhoto:
    link_id: int
    url: str
    kind: str
    order_id: int = 0
    checkin_id: int = 0
    plan_task_id: int = 0


def pending_photos(*, session: Session, source: str, limit: int = 500) -> list[PendingPhoto]:
    """Photos of ``source`` not stored yet (fetched before and refused ones included: a
    refusal is recorded in the reference and shown in the report each time)."""
    links = session.scalars(
        select(SyncLink)
        .where(SyncLink.source == source, SyncLink.kind == "photo", SyncLink.local_id.is_(None))
        .order_by(SyncLink.id)
        .limit(limit)
    )
    found = []
    for link in links:
        reference = json.loads(link.pending or "{}")
        found.append(
            PendingPhoto(
                link.id,
                str(reference.get("url", "")),
                str(reference.get("kind")),
                order_id=int(reference.get("order_id", 0)),
                checkin_id=int(reference.get("checkin_id", 0)),
                plan_task_id=int(reference.get("plan_task_id", 0)),
            )
        )
    return found


def store_source_photo(
    *, session: Session, photo: PendingPhoto, data: bytes, now: dt.datetime
) -> None:
    """Store fetched bytes as an upload is stored (validated, re-encoded, metadata stripped) and
    show them on their subject. Raises ``DomainError`` (``upload.*``) for bytes that are no
    photo."""
    link = session.get(SyncLink, photo.link_id)
    subject = _subject(session, photo)
    if link is None or subject is None:
        return
    now = to_stored_utc(now)
    stored = store_photo(session=session, data=data, media_dir=current_media_dir(), uploaded_at=now)
    attachment = attach_photo(session=session, photo=stored, kind=photo.kind, attached_at=now,
                              **subject)  # fmt: skip
    link.local_id = attachment.id
    link.changed_at = now


def _subject(session: Session, photo: PendingPhoto) -> dict[str, Any] | None:
    """``attach_photo``'s subject arguments, or None when the subject is gone."""
    if photo.order_id:
        order = session.get(WorkOrder, photo.order_id)
        return None if order is None else {"work_order_id": order.id, "caption": order.title[:200]}
    if photo.checkin_id:
        checkin = session.get(PatrolCheckin, photo.checkin_id)
        return None if checkin is None else {"checkin_id": checkin.id}
    if photo.plan_task_id:
        task = session.get(PlanTask, photo.plan_task_id)
        return None if task is None else {"plan_task_id": task.id}
    return None


def note_photo_problem(*, session: Session, photo: PendingPhoto, problem: str) -> None:
    """Keep the reference (to retry) with the last problem in it."""
    link = session.get(SyncLink, photo.link_id)
    if link is None:
        return
    reference = json.loads(link.pending or "{}")
    if reference.get("problem") != problem:
        reference["problem"] = problem
        link.pending = json.dumps(reference, ensure_ascii=False)
