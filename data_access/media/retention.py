"""Data retention: photos taken inside people's homes are not kept forever (issue 7).

A private (in-home, ``visibility == "private"``) work order's photos — on the order, on its
events and on its rating — are removed once the order has been completed for longer than the
retention period (``settings.private_photo_retention_days``; 0 keeps them forever). The order,
its events and its rating stay: only the pictures go.

Photos are content-addressed and shared: the same picture may also be attached to a public order,
a ticket, a plan task or a notice. A ``Photo`` row and its files (original and thumbnail) are deleted only
when no attachment at all uses it any more; otherwise only the private order's attachments go.
Running it again finds nothing more to do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import CompoundSelect, delete, func, select, union
from sqlalchemy.orm import Session

from data_access.media.photos import photo_path, thumbnail_path
from data_access.models import AnnouncementFile, Photo, PhotoAttachment, Rating, WorkOrder

_CHUNK = 500  # ids per DELETE, well under every engine's limit on bound parameters


@dataclass(frozen=True)
class PurgeReport:
    orders: int  # private orders whose photos were (or would be) removed
    attachments: int
    photos: int  # Photo rows no longer used by anything
    files: int  # files on disk removed (originals and thumbnails); 0 on a dry run
    dry_run: bool = False


def purge_private_photos(
    *, session: Session, now: dt.datetime, days: int, media_dir: Path, dry_run: bool = False
) -> PurgeReport:
    """Remove the photos of private orders completed more than ``days`` days before ``now``.

    Database rows are deleted and flushed first, then the files no row uses any more; the caller
    commits right after (``write_session``). With ``dry_run`` nothing is written: the report says
    what would go.
    """
    if days < 0:
        raise ValueError("retention days must be ≥ 0")
    if days == 0:
        return PurgeReport(orders=0, attachments=0, photos=0, files=0, dry_run=dry_run)
    cutoff = now - dt.timedelta(days=days)
    expired_orders = select(WorkOrder.id).where(
        WorkOrder.visibility == "private",
        WorkOrder.completed_at.is_not(None),
        WorkOrder.completed_at < cutoff,
    )
    their_ratings = select(Rating.id).where(Rating.work_order_id.in_(expired_orders))
    # Event photos carry the order's id too (work_order_event_id is extra detail). Each side is
    # TRUE or FALSE, never NULL, so that NOT doomed is exact.
    doomed = (
        PhotoAttachment.work_order_id.is_not(None)
        & PhotoAttachment.work_order_id.in_(expired_orders)
    ) | (PhotoAttachment.rating_id.is_not(None) & PhotoAttachment.rating_id.in_(their_ratings))
    attachments = session.scalar(select(func.count()).where(doomed)) or 0
    if not attachments:
        return PurgeReport(orders=0, attachments=0, photos=0, files=0, dry_run=dry_run)
    orders = session.scalar(
        select(func.count(func.distinct(PhotoAttachment.work_order_id))).where(doomed)
    )
    candidates = select(PhotoAttachment.photo_id).where(doomed)
    still_used: CompoundSelect[tuple[int]] = union(
        select(PhotoAttachment.photo_id).where(PhotoAttachment.photo_id.in_(candidates), ~doomed),
        # A notice's photo may be the same picture (content-addressed): it stays.
        select(AnnouncementFile.photo_id).where(AnnouncementFile.photo_id.in_(candidates)),
    )
    unused = session.execute(
        select(Photo.id, Photo.sha256, Photo.mime_type)
        .where(Photo.id.in_(candidates), Photo.id.not_in(still_used))
        .order_by(Photo.id)
    ).all()
    if dry_run:
        return PurgeReport(
            orders=orders or 0, attachments=attachments, photos=len(unused), files=0, dry_run=True
        )

    session.execute(delete(PhotoAttachment).where(doomed))
    ids = [row.id for row in unused]
    for start in range(0, len(ids), _CHUNK):
        session.execute(delete(Photo).where(Photo.id.in_(ids[start : start + _CHUNK])))
    session.flush()
    files = 0
    for row in unused:
        for path in (
            photo_path(row.sha256, row.mime_type, media_dir),
            thumbnail_path(row.sha256, media_dir),
        ):
            if path.exists():
                path.unlink()
                files += 1
    return PurgeReport(orders=orders or 0, attachments=attachments, photos=len(unused), files=files)
