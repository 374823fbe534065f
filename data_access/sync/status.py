"""How fresh a community's data from its operational system is, for every page to show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.models import SyncLink, SyncRun


@dataclass(frozen=True)
class SyncStatus:
    source: str  # "hc"
    last_good_at: dt.datetime | None  # when the last successful run began (naive UTC)
    failed_since: dt.datetime | None  # the latest run failed: when it began
    error_key: str  # the failure's message key (sync.unreachable…), "" if none failed


def source_of(session: Session, community_id: int) -> str | None:
    """The connector that fills the community ("hc"), or None."""
    return session.scalar(
        select(SyncLink.source)
        .where(SyncLink.kind == "community", SyncLink.local_id == community_id)
        .limit(1)
    )


def failing_since(session: Session, source: str) -> dt.datetime | None:
    """When the source's current run of failures began (the first failed run after the last
    successful one), or None while its latest finished run succeeded."""
    runs = select(SyncRun).where(SyncRun.source == source, SyncRun.dry_run.is_(False))
    latest = session.scalars(
        runs.where(SyncRun.status != "running").order_by(SyncRun.id.desc()).limit(1)
    ).first()
    if latest is None or latest.status != "failed":
        return None
    last_good = session.scalar(
        select(func.max(SyncRun.id)).where(
            SyncRun.source == source, SyncRun.dry_run.is_(False), SyncRun.status == "succeeded"
        )
    )
    return session.scalar(
        select(func.min(SyncRun.started_at)).where(
            SyncRun.source == source,
            SyncRun.dry_run.is_(False),
            SyncRun.status == "failed",
            SyncRun.id > (last_good or 0),
        )
    )


def sync_status(*, session: Session, community_id: int) -> SyncStatus | None:
    """None for a community no connector fills (seeded, imported or typed in)."""
    source = source_of(session, community_id)
    if source is None:
        return None
    runs = select(SyncRun).where(SyncRun.source == source, SyncRun.dry_run.is_(False))
    good = session.scalars(
        runs.where(SyncRun.status == "succeeded").order_by(SyncRun.id.desc()).limit(1)
    ).first()
    latest = session.scalars(
        runs.where(SyncRun.status != "running").order_by(SyncRun.id.desc()).limit(1)
    ).first()
    failed = latest if latest is not None and latest.status == "failed" else None
    return SyncStatus(
        source=source,
        last_good_at=good.started_at if good is not None else None,
        failed_since=failed.started_at if failed is not None else None,
        error_key=failed.error_key if failed is not None else "",
    )
