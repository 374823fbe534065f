"""One sync run from an HC database: read each community, write it, fetch its photos.

A run writes a page of orders at a time (``mapping.PAGE_SIZE`` repairs with their steps,
parts, photos and ratings), each page one transaction of ours, so memory holds a page and
other writers (the pages, the worker's lease) are never held up for long. A run cut off midway
leaves whole orders only — never an order without its steps — and the next run, idempotent,
finishes the work; what a full run withdraws (records deleted at the source) is withdrawn only
after every page was read. A dry run writes everything in one transaction and rolls it back.
The source is read inside one read-only transaction, a consistent snapshot.
Incremental runs read rows created since the last good run (with an overlap) and re-read every
order not finished yet; a full reconciliation (``--full``, or when the last one is older than
``full_every``) reads everything, which catches in-place changes, late replies and deletions.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from connectors.hc.mapping import Reader, ReadScope
from connectors.hc.source import (
    SourceError,
    check_source,
    describe_source,
    open_source,
    source_error,
)
from connectors.photos import PhotoRefused, PhotoUnreachable, fetch_photo
from data_access.db import write_session
from data_access.errors import DomainError
from data_access.models import Equipment, EquipmentFault, SyncLink, SyncRun, WorkOrder
from data_access.sync.apply import ApplyReport, apply_batch
from data_access.sync.photos import note_photo_problem, pending_photos, store_source_photo
from data_access.sync.records import Findings
from data_access.sync.sources import DEFAULT_FULL_EVERY
from data_access.timestamps import DEFAULT_TIME_ZONE

SOURCE = "hc"
DEFAULT_SOURCE_ZONE = DEFAULT_TIME_ZONE  # HC writes China time, as our communities default to
# Rows are read from a little before the last good run began: a row committed late in HC
# (a long transaction) still has a create_time before our last read.
OVERLAP = dt.timedelta(hours=1)


@dataclass
class SyncOutcome:
    run_id: int
    source_label: str
    full: bool
    dry_run: bool
    communities: list[ApplyReport]
    findings: Findings
    photos: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "run": self.run_id,
            "source": self.source_label,
            "full": self.full,
            "dry_run": self.dry_run,
            "communities": [
                {
                    "code": report.community_code,
                    "first_sync": report.first_sync,
                    "kinds": {kind: c.as_dict() for kind, c in report.counts.items()},
                }
                for report in self.communities
            ],
            "unmapped": [
                {"table": t, "column": c, "code": v, "rows": n}
                for (t, c, v), n in sorted(self.findings.unmapped.items())
            ],
            "skipped": [
                {"table": t, "reason": r, "rows": n}
                for (t, r), n in sorted(self.findings.skipped.items())
            ],
            "photos": self.photos,
        }


def parse_communities(values: Sequence[str]) -> dict[str, str]:
    """``HC_ID=CODE`` pairs from the command line."""
    pairs = {}
    for value in values:
        hc_id, sep, code = value.partition("=")
        if not sep or not hc_id.strip() or not code.strip() or len(code.strip()) > 32:
            raise DomainError("sync.bad_community", value=value)
        pairs[hc_id.strip()] = code.strip()
    return pairs


def sync_hc(
    *,
    factory: sessionmaker[Session],
    url: str,
    communities: Mapping[str, str] | None = None,
    full: bool = False,
    dry_run: bool = False,
    now: dt.datetime | None = None,
    source_zone: str = DEFAULT_SOURCE_ZONE,
    photo_base: str = "",
    photo_hosts: Sequence[str] = (),
    targets: Mapping[str, float] | None = None,
    full_every: dt.timedelta = DEFAULT_FULL_EVERY,
    history_opens_tickets: bool = False,
) -> SyncOutcome:
    """Run one sync (see module doc). Raises ``SourceError`` when the source cannot be read;
    the run is then recorded as failed and nothing else was written."""
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(tzinfo=None)
    label = describe_source(url)
    run_id = _start_run(factory, label, full, dry_run, now)
    try:
        engine = open_source(url)
        try:
            check_source(engine)
            try:
                outcome = _run(factory, engine, run_id, label, communities, full, dry_run, now,
                               ZoneInfo(source_zone), photo_base, targets, full_every,
                               history_opens_tickets)  # fmt: skip
            except DBAPIError as error:
                if not is_source_error(error, engine):
                    raise
                raise source_error(error, engine) from None
        finally:
            engine.dispose()
    except Exception as error:
        _finish_run(factory, run_id, "failed", {}, _describe(error), _error_key(error))
        raise
    if not dry_run:
        outcome.photos = fetch_pending_photos(factory, photo_hosts, now)
    _finish_run(factory, run_id, "succeeded", outcome.as_dict(), "")
    return outcome


def _run(
    factory: sessionmaker[Session],
    engine: Any,
    run_id: int,
    label: str,
    communities: Mapping[str, str] | None,
    full: bool,
    dry_run: bool,
    now: dt.datetime,
    zone: ZoneInfo,
    photo_base: str,
    targets: Mapping[str, float] | None,
    full_every: dt.timedelta,
    history_opens_tickets: bool,
) -> SyncOutcome:
    with engine.connect() as connection, connection.begin():
        connection.execute(text("SET SESSION TRANSACTION READ ONLY"))
        wanted = dict(communities) if communities else _all_communities(connection)
        reader = Reader(connection, source_zone=zone, photo_base=photo_base)
        reports = []
        session = factory()
        try:
            last_full, last_good = _last_runs(session)
            is_full = full or last_full is None or now - last_full >= full_every
            for hc_id, code in wanted.items():
                scope = _scope(session, hc_id, code, is_full, last_good)
                batch = reader.read(hc_id, code, scope)
                reports.append(
                    apply_batch(
                        session=session,
                        source=SOURCE,
                        batch=batch,
                        now=now,
                        targets=targets,
                        page_done=None if dry_run else session.commit,
                    )
                )
                if not dry_run:
                    session.commit()
            if dry_run:
                session.rollback()
        finally:
            session.close()
    return SyncOutcome(run_id, label, is_full, dry_run, reports, reader.findings)


def is_source_error(error: DBAPIError, engine: Any) -> bool:
    """Whether a database error came from the source (PyMySQL), not from our database."""
    return type(error.orig).__module__.startswith("pymysql")


def _all_communities(connection: Any) -> dict[str, str]:
    rows = connection.execute(
        text("SELECT community_id FROM s_community WHERE status_cd = '0' ORDER BY community_id")
    ).all()
    return {str(row[0]): f"hc-{row[0]}"[:32] for row in rows}


def _last_runs(session: Session) -> tuple[dt.datetime | None, dt.datetime | None]:
    good = select(SyncRun.started_at).where(
        SyncRun.source == SOURCE, SyncRun.status == "succeeded", SyncRun.dry_run.is_(False)
    )
    last_full = session.scalar(good.where(SyncRun.full.is_(True)).order_by(SyncRun.id.desc()))
    last_good = session.scalar(good.order_by(SyncRun.id.desc()))
    return last_full, last_good


def _scope(
    session: Session, hc_id: str, code: str, is_full: bool, last_good: dt.datetime | None
) -> ReadScope:
    linked = session.scalar(
        select(SyncLink.local_id).where(
            SyncLink.source == SOURCE, SyncLink.kind == "community", SyncLink.external_id == hc_id
        )
    )
    if is_full or last_good is None or linked is None:
        return ReadScope(since=None)
    unfinished = session.scalars(
        select(WorkOrder.external_id).where(
            WorkOrder.community_id == linked,
            WorkOrder.source == SOURCE,
            WorkOrder.completed_at.is_(None),
        )
    ).all()
    repairs = frozenset(e.split(":", 1)[1] for e in unfinished if e and e.startswith("repair:"))
    complaints = frozenset(
        e.split(":", 1)[1] for e in unfinished if e and e.startswith("complaint:")
    )
    open_faults_since = session.scalar(
        select(func.min(EquipmentFault.occurred_at))
        .join(Equipment, EquipmentFault.equipment_id == Equipment.id)
        .where(Equipment.community_id == linked, EquipmentFault.resolved_at.is_(None))
    )
    return ReadScope(since=last_good - OVERLAP, recheck_repairs=repairs,
                     recheck_complaints=complaints,
                     open_faults_since=open_faults_since)  # fmt: skip


def fetch_pending_photos(
    factory: sessionmaker[Session], hosts: Sequence[str], now: dt.datetime
) -> dict[str, int]:
    """Fetch and store the photos not stored yet; each in its own transaction."""
    counts = {"stored": 0, "refused": 0, "unreachable": 0}
    with factory() as session:
        pending = pending_photos(session=session, source=SOURCE)
    for photo in pending:
        try:
            data = fetch_photo(photo.url, hosts)
            with write_session(factory) as session:
                store_source_photo(session=session, photo=photo, data=data, now=now)
            counts["stored"] += 1
        except (PhotoRefused, DomainError) as error:
            with write_session(factory) as session:
                note_photo_problem(session=session, photo=photo, problem=f"refused: {error}")
            counts["refused"] += 1
        except PhotoUnreachable as error:
            with write_session(factory) as session:
                note_photo_problem(session=session, photo=photo, problem=f"unreachable: {error}")
            counts["unreachable"] += 1
    return counts


def _start_run(
    factory: sessionmaker[Session], label: str, full: bool, dry_run: bool, now: dt.datetime
) -> int:
    with write_session(factory) as session:
        run = SyncRun(source=SOURCE, source_label=label[:200], full=full, dry_run=dry_run,
                      started_at=now, status="running", report="", error="")  # fmt: skip
        session.add(run)
        session.flush()
        return run.id


def _finish_run(
    factory: sessionmaker[Session],
    run_id: int,
    status: str,
    report: dict[str, Any],
    error: str,
    error_key: str = "",
) -> None:
    with write_session(factory) as session:
        run = session.get(SyncRun, run_id)
        if run is None:
            return
        run.status, run.error, run.error_key = status, error, error_key
        run.finished_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        run.report = json.dumps(report, ensure_ascii=False)
        if status == "succeeded":
            run.full = bool(report.get("full", run.full))


def _error_key(error: BaseException) -> str:
    return error.key if isinstance(error, DomainError) else "sync.failed"


def _describe(error: BaseException) -> str:
    if isinstance(error, DomainError):
        return error.message("zh")
    return f"{type(error).__name__}: {error}"[:500]


__all__ = ["SourceError", "parse_communities", "sync_hc"]
