"""The worker's loop: hold the lease, run the due jobs, keep the lease alive while they run.

Every ``tick`` (a second by default) the worker takes or renews the lease. The holder runs, in
order, every job whose newest run started at least its interval ago (the schedule lives in the
database, so a worker taking over keeps the cadence) or that somebody asked for. Other workers
only wait: when the holder dies its lease expires after ``lease_ttl`` and one of them takes
over, with a new fencing token. While a job runs, a heartbeat thread renews the lease; each of
the job's write transactions first checks the token (``fenced_factory``). A run's own
``job_runs`` row is finished in any case, with what happened (a lost lease is its error).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session, sessionmaker

from data_access.db import write_session
from data_access.jobs.lease import LeaseLost, fenced_factory, hold_lease, release_lease
from data_access.jobs.runs import (
    finish_run,
    last_starts,
    requested_jobs,
    start_run,
    summary_text,
)
from worker.jobs import Job, JobFailed

DEFAULT_LEASE_TTL = dt.timedelta(seconds=30)
DEFAULT_TICK_SECONDS = 1.0
log = logging.getLogger(__name__)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def new_holder_name() -> str:
    """host:pid:random — unique across machines and restarts."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"[:120]


class Worker:
    def __init__(
        self,
        factory: sessionmaker[Session],
        jobs: Sequence[Job],
        *,
        holder: str | None = None,
        lease_ttl: dt.timedelta = DEFAULT_LEASE_TTL,
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        self.factory = factory
        self.jobs = list(jobs)
        self.holder = holder or new_holder_name()
        self.lease_ttl = lease_ttl
        self.clock = clock
        self.token: int | None = None

    # --- the lease ---------------------------------------------------------------------------
    def hold(self) -> int | None:
        """Take or renew the lease; the token while held."""
        try:
            with write_session(self.factory) as session:
                token = hold_lease(
                    session, holder=self.holder, now=self.clock(), ttl=self.lease_ttl
                )
        except Exception:
            log.exception("could not renew the worker lease")
            token = None
        if token != self.token:
            log.info("%s: lease %s", self.holder, f"held, token {token}" if token else "not held")
        self.token = token
        return token

    def release(self) -> None:
        if self.token is None:
            return
        with write_session(self.factory) as session:
            release_lease(session, holder=self.holder)
        self.token = None

    # --- one round ---------------------------------------------------------------------------
    def tick(self) -> list[str]:
        """Hold the lease and run the due jobs; the names of the jobs run."""
        token = self.hold()
        if token is None:
            return []
        ran = []
        for job in self.due_jobs():
            if not self._run(job, token):
                break  # the lease was lost: stop, the new holder carries on
            ran.append(job.name)
        return ran

    def due_jobs(self) -> list[Job]:
        now = self.clock()
        with self.factory() as session:
            starts = last_starts(session)
            asked = requested_jobs(session)
        return [
            job
            for job in self.jobs
            if job.name in asked or job.name not in starts or now - starts[job.name] >= job.every
        ]

    def _run(self, job: Job, token: int) -> bool:
        """Run one job under the lease; False if the lease turned out to be lost."""
        fenced = fenced_factory(self.factory, holder=self.holder, token=token, clock=self.clock)
        try:
            with write_session(fenced) as session:
                run_id = start_run(
                    session, job=job.name, holder=self.holder, token=token, now=self.clock()
                )
        except LeaseLost:
            return False
        ok, summary, error, lost = True, None, "", False
        with _Heartbeat(self):
            try:
                summary = job.run(fenced, self.clock())
            except LeaseLost as failure:
                log.warning("%s: lease lost during %s", self.holder, job.name)
                ok, error, lost = False, f"LeaseLost: {failure}", True
            except JobFailed as failure:
                ok, error = False, str(failure)
            except Exception as failure:
                log.exception("job %s failed", job.name)
                ok, error = False, f"{type(failure).__name__}: {failure}"
        # The run's own row is finished without the fence: it tells truthfully how the run
        # ended (its data writes were fenced), also when the lease ran out during a long one.
        with write_session(self.factory) as session:
            finish_run(session, run_id=run_id, ok=ok, summary=summary, error=error,
                       now=self.clock())  # fmt: skip
        shown = summary_text(summary.as_json(), "en") if summary else error
        log.info("job %s %s: %s", job.name, "done" if ok else "failed", shown)
        return not lost

    # --- the loop ----------------------------------------------------------------------------
    def run_forever(
        self, stop: threading.Event, tick_seconds: float = DEFAULT_TICK_SECONDS
    ) -> None:
        try:
            while not stop.is_set():
                self.tick()
                stop.wait(tick_seconds)
        finally:
            try:
                self.release()
            except Exception:
                log.exception("could not release the worker lease")


class _Heartbeat:
    """Renews the lease every third of its lifetime while a job runs."""

    def __init__(self, worker: Worker) -> None:
        self.worker = worker
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, name="worker-heartbeat", daemon=True)

    def __enter__(self) -> _Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()

    def _beat(self) -> None:
        interval = self.worker.lease_ttl.total_seconds() / 3
        while not self.stop.wait(interval):
            self.worker.hold()
