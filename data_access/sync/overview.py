"""What the 数据来源 page shows a manager: where the community's data comes from, how fresh it
is, what the last sync found, the background jobs' last runs — and the "sync now" request."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.errors import DomainError, NotAllowed
from data_access.jobs.runs import JobRunView, latest_runs, request_run
from data_access.models import Community, JobRequest, SyncRun
from data_access.sync.status import failing_since, source_of

BACKGROUND_JOBS = ("tickets", "alerts", "photos")


@dataclass(frozen=True)
class KindLine:
    kind: str
    read: int
    created: int
    updated: int
    unchanged: int
    withdrawn: int


@dataclass(frozen=True)
class SourceReport:
    """The community's part of the last successful run, and the run's findings."""

    started_at: dt.datetime
    full: bool
    kinds: list[KindLine]
    unmapped: list[tuple[str, str, int]]  # ("r_repair_pool.state", "1234", rows)
    skipped: list[tuple[str, str, int]]  # (table, reason, rows)


@dataclass(frozen=True)
class SourceOverview:
    source: str  # "hc"
    last_good_at: dt.datetime | None
    failing_since: dt.datetime | None
    error_key: str  # the latest failure's kind (sync.unreachable…), "" while healthy
    report: SourceReport | None
    sync_requested_at: dt.datetime | None  # a "sync now" the worker has not run yet
    sync_job: JobRunView | None  # the worker's last run of the sync


@dataclass(frozen=True)
class DataSources:
    community_name: str
    source: SourceOverview | None  # None: the community is not read from a system
    jobs: dict[str, JobRunView] = field(default_factory=dict)  # the other background jobs


def data_sources(*, session: Session, viewer: Viewer) -> DataSources:
    """Managers only: the page names run reports and job errors."""
    if not viewer.is_manager:
        raise NotAllowed("sources.managers_only")
    community = session.get_one(Community, viewer.community_id)
    jobs = latest_runs(session, [*BACKGROUND_JOBS, "sync_hc"])
    source = source_of(session, viewer.community_id)
    overview = None
    if source is not None:
        runs = select(SyncRun).where(SyncRun.source == source, SyncRun.dry_run.is_(False))
        good = session.scalars(
            runs.where(SyncRun.status == "succeeded").order_by(SyncRun.id.desc()).limit(1)
        ).first()
        failing = failing_since(session, source)
        latest_failed = (
            session.scalars(
                runs.where(SyncRun.status == "failed").order_by(SyncRun.id.desc()).limit(1)
            ).first()
            if failing is not None
            else None
        )
        overview = SourceOverview(
            source=source,
            last_good_at=good.started_at if good else None,
            failing_since=failing,
            error_key=latest_failed.error_key if latest_failed else "",
            report=_report(good, community.code) if good else None,
            sync_requested_at=session.scalar(
                select(JobRequest.requested_at).where(
                    JobRequest.job == f"sync_{source}", JobRequest.done_at.is_(None)
                )
            ),
            sync_job=jobs.get(f"sync_{source}"),
        )
    return DataSources(
        community_name=community.name,
        source=overview,
        jobs={name: run for name, run in jobs.items() if name in BACKGROUND_JOBS},
    )


def request_sync(*, session: Session, viewer: Viewer, now: dt.datetime) -> bool:
    """A manager asks the worker to sync the community's source now (at its next round, within
    seconds). False when a request is already waiting."""
    if not viewer.is_manager:
        raise NotAllowed("sources.managers_only")
    source = source_of(session, viewer.community_id)
    if source is None:
        raise DomainError("sources.not_synced")
    return request_run(session, job=f"sync_{source}", requested_by_id=viewer.account_id, now=now)


def _report(run: SyncRun, community_code: str) -> SourceReport:
    data = json.loads(run.report or "{}")
    mine: dict[str, Any] = next(
        (c for c in data.get("communities", []) if c.get("code") == community_code), {}
    )
    kinds = [
        KindLine(
            kind,
            c.get("read", 0),
            c.get("created", 0),
            c.get("updated", 0),
            c.get("unchanged", 0),
            c.get("withdrawn", 0),
        )
        for kind, c in mine.get("kinds", {}).items()
    ]
    return SourceReport(
        started_at=run.started_at,
        full=run.full,
        kinds=kinds,
        unmapped=[
            (f"{u['table']}.{u['column']}", str(u["code"]), int(u["rows"]))
            for u in data.get("unmapped", [])
        ],
        skipped=[(s["table"], s["reason"], int(s["rows"])) for s in data.get("skipped", [])],
    )
