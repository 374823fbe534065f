"""Jobs the app runs by itself while people use it, so nothing waits for a cron job: closing
tickets the owner left unconfirmed past the contract's days (``manage.py tickets auto-close``
does the same from a scheduler), then bringing the early warnings in step with the data —
raising new alerts, resolving those whose cause ended (``manage.py alerts run``). Once a day it
also removes the photos of in-home orders past their retention period
(``manage.py photos purge-private``; issue 7).

At most once per ``INTERVAL`` per server process: the first page run after it has passed starts
them in a background thread and goes on (on the large dataset the alert rules take seconds
across 100 communities; no owner should wait for them). Each job has its own transaction, so
one failing does not keep the other from running. A failure is logged and never shown.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from dataclasses import dataclass, field

import streamlit as st
from sqlalchemy.orm import Session, sessionmaker

from data_access.alerts.rules import run_alerts
from data_access.db import write_session
from data_access.media.photos import current_media_dir
from data_access.media.retention import purge_private_photos
from data_access.settings import private_photo_retention_days
from data_access.tickets.ticket_commands import auto_close_due_tickets
from ui import clock
from ui.database import session_factory

INTERVAL = dt.timedelta(minutes=5)
# "1": run the jobs inside the page run that starts them (the test suite, where a job racing a
# test's own steps would make it flaky); anything else: in the background.
INLINE_ENV = "OWNER_DASHBOARD_JOBS_INLINE"
RETENTION_INTERVAL = dt.timedelta(days=1)
log = logging.getLogger(__name__)


@dataclass
class _Schedule:
    lock: threading.Lock = field(default_factory=threading.Lock)
    last_run: dt.datetime | None = None
    last_retention_run: dt.datetime | None = None
    thread: threading.Thread | None = None


@st.cache_resource(show_spinner=False)
def _schedule() -> _Schedule:
    return _Schedule()


def run_due_jobs() -> None:
    """Start the due jobs in the background, if they are due and not already running."""
    schedule = _schedule()
    now = clock.now_utc()
    if schedule.last_run is not None and now - schedule.last_run < INTERVAL:
        return
    if not schedule.lock.acquire(blocking=False):
        return  # another session started them
    schedule.last_run = now
    factory = session_factory()  # resolved here: the thread has no script run context
    if os.environ.get(INLINE_ENV) == "1":
        _run_jobs(schedule, factory, now)
        return
    schedule.thread = threading.Thread(
        target=_run_jobs, args=(schedule, factory, now), name="housekeeping", daemon=True
    )
    try:
        schedule.thread.start()
    except RuntimeError:
        schedule.lock.release()
        raise


def wait_for_jobs(timeout_s: float = 60.0) -> None:
    """Block until the jobs started last have finished (tests, benchmarks, shutdown)."""
    thread = _schedule().thread
    if thread is not None:
        thread.join(timeout_s)


def _run_jobs(schedule: _Schedule, factory: sessionmaker[Session], now: dt.datetime) -> None:
    try:
        changed = _auto_close_tickets(factory, now)
        # After the tickets: a ticket closed just now ends its alerts in the same round.
        changed = _run_alerts(factory, now) or changed
        last = schedule.last_retention_run
        if last is None or now - last >= RETENTION_INTERVAL:
            schedule.last_retention_run = now
            changed = _purge_private_photos(factory, now) or changed
        if changed:
            st.cache_data.clear()
    finally:
        schedule.lock.release()


def _auto_close_tickets(factory: sessionmaker[Session], now: dt.datetime) -> bool:
    try:
        with write_session(factory) as session:
            closed = auto_close_due_tickets(session=session, now=now)
    except Exception:
        log.exception("auto-closing tickets failed; will retry in %s", INTERVAL)
        return False
    if closed:
        log.info("auto-closed %d rectification tickets", closed)
    return closed > 0


def _run_alerts(factory: sessionmaker[Session], now: dt.datetime) -> bool:
    try:
        with write_session(factory) as session:
            report = run_alerts(session=session, now=now)
    except Exception:
        log.exception("running the alert rules failed; will retry in %s", INTERVAL)
        return False
    if report.raised or report.auto_resolved or report.reopened:
        log.info(
            "alerts: %d raised, %d auto-resolved, %d reopened, %d still open",
            report.raised, report.auto_resolved, report.reopened, report.still_open,
        )  # fmt: skip
    return bool(report.raised or report.auto_resolved or report.reopened)


def _purge_private_photos(factory: sessionmaker[Session], now: dt.datetime) -> bool:
    try:
        days = private_photo_retention_days()
        with write_session(factory) as session:
            report = purge_private_photos(
                session=session, now=now, days=days, media_dir=current_media_dir()
            )
    except Exception:
        log.exception("purging photos of in-home orders failed; will retry in %s", INTERVAL)
        return False
    if report.attachments:
        log.info(
            "retention: %d photos of %d in-home orders removed (%d files)",
            report.attachments, report.orders, report.files,
        )  # fmt: skip
    return report.attachments > 0
