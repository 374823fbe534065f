"""When each background job ran, and the requests to run one now.

``job_runs`` is the schedule: a job is due when its newest run started at least its interval
ago, or when somebody asked for it since (``job_requests``). The worker writes these rows
through a fenced session (``lease.fenced_factory``), so a run is recorded only by the lease's
holder."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from data_access.models import JobRequest, JobRun
from i18n import translate

SUMMARY_MAX = 2_000
ERROR_MAX = 2_000


@dataclass(frozen=True)
class JobSummary:
    """What a run did, as a catalog key (``job_summary.<key>``) and its numbers: stored as JSON,
    read in the reader's language."""

    key: str
    params: dict[str, int | str] = field(default_factory=dict)

    def as_json(self) -> str:
        return json.dumps({"key": self.key, "params": self.params}, ensure_ascii=False)


def summary_text(stored: str, lang: str = "zh") -> str:
    """A run's stored summary in ``lang`` ("" for none)."""
    if not stored:
        return ""
    data = json.loads(stored)
    return translate(f"job_summary.{data['key']}", lang, **data.get("params", {}))


def last_starts(session: Session) -> dict[str, dt.datetime]:
    """The newest start of every job that ever ran."""
    rows = session.execute(select(JobRun.job, func.max(JobRun.started_at)).group_by(JobRun.job))
    return {job: started for job, started in rows}


def requested_jobs(session: Session) -> set[str]:
    """Jobs somebody asked for that have not run since."""
    return set(session.scalars(select(JobRequest.job).where(JobRequest.done_at.is_(None))))


def start_run(session: Session, *, job: str, holder: str, token: int, now: dt.datetime) -> int:
    run = JobRun(job=job, holder=holder, token=token, started_at=now, status="running",
                 summary="", error="")  # fmt: skip
    session.add(run)
    session.execute(
        update(JobRequest)
        .where(JobRequest.job == job, JobRequest.done_at.is_(None))
        .values(done_at=now)
        .execution_options(synchronize_session=False)
    )
    session.flush()
    return run.id


def finish_run(
    session: Session,
    *,
    run_id: int,
    ok: bool,
    summary: JobSummary | None,
    error: str,
    now: dt.datetime,
) -> None:
    run = session.get_one(JobRun, run_id)
    run.status = "succeeded" if ok else "failed"
    run.finished_at = now
    run.summary = summary.as_json()[:SUMMARY_MAX] if summary else ""
    run.error = error[:ERROR_MAX]


def request_run(
    session: Session, *, job: str, requested_by_id: int | None, now: dt.datetime
) -> bool:
    """Ask the worker to run ``job`` at its next tick; False if it is already asked for."""
    if job in requested_jobs(session):
        return False
    session.add(JobRequest(job=job, requested_at=now, requested_by_id=requested_by_id))
    return True


@dataclass(frozen=True)
class JobRunView:
    job: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    status: str
    summary: str  # JSON (``summary_text`` reads it)
    error: str


def latest_runs(session: Session, jobs: list[str] | None = None) -> dict[str, JobRunView]:
    """The newest run of each job (of ``jobs``, if given)."""
    newest = select(JobRun.job, func.max(JobRun.id).label("id")).group_by(JobRun.job)
    if jobs is not None:
        newest = newest.where(JobRun.job.in_(jobs))
    ids = newest.subquery()
    rows = session.scalars(select(JobRun).join(ids, ids.c.id == JobRun.id))
    return {
        run.job: JobRunView(
            run.job, run.started_at, run.finished_at, run.status, run.summary, run.error
        )
        for run in rows
    }
