"""Photos named by a source system: kept as references (``SyncLink`` of kind "photo" whose
``pending`` holds the URL, kind and order) until fetched and stored like an upload."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.media.photos import attach_photo, current_media_dir, store_photo
from data_access.models import SyncLink, WorkOrder
from data_access.timestamps import to_stored_utc


@dataclass(frozen=True)
class PendingPhoto:
    link_id: int
    url: str
    kind: str
    order_id: int


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
                int(reference.get("order_id", 0)),
            )
        )
    return found


def store_source_photo(
    *, session: Session, photo: PendingPhoto, data: bytes, now: dt.datetime
) -> None:
    """Store fetched bytes as an upload is stored (validated, re-encoded, metadata stripped) and
    show them on the order. Raises ``DomainError`` (``upload.*``) for bytes that are no photo."""
    link = session.get(SyncLink, photo.link_id)
    order = session.get(WorkOrder, photo.order_id)
    if link is None or order is None:
        return
    now = to_stored_utc(now)
    stored = store_photo(session=session, data=data, media_dir=current_media_dir(), uploaded_at=now)
    attachment = attach_photo(session=session, photo=stored, kind=photo.kind, attached_at=now,
                              work_order_id=order.id, caption=order.title[:200])  # fmt: skip
    link.local_id = attachment.id
    link.changed_at = now


def note_photo_problem(*, session: Session, photo: PendingPhoto, problem: str) -> None:
    """Keep the reference (to retry) with the last problem in it."""
    link = session.get(SyncLink, photo.link_id)
    if link is None:
        return
    reference = json.loads(link.pending or "{}")
    if reference.get("problem") != problem:
        reference["problem"] = problem
        link.pending = json.dumps(reference, ensure_ascii=False)
