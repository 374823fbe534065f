"""Jobs the app runs by itself while people use it, so nothing waits for a cron job: today,
closing tickets the owner left unconfirmed past the contract's days (``manage.py tickets
auto-close`` does the same from a scheduler).

At most once per ``INTERVAL`` per server process, on the first page run after it has passed.
A failure is logged and never shown: the page the user asked for matters more.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass, field

import streamlit as st

from data_access.db import write_session
from data_access.ticket_commands import auto_close_due_tickets
from ui import loaders
from ui.database import session_factory

INTERVAL = dt.timedelta(minutes=5)
log = logging.getLogger(__name__)


@dataclass
class _Schedule:
    lock: threading.Lock = field(default_factory=threading.Lock)
    last_run: dt.datetime | None = None


@st.cache_resource(show_spinner=False)
def _schedule() -> _Schedule:
    return _Schedule()


def run_due_jobs() -> None:
    schedule = _schedule()
    now = loaders.now_utc()
    if schedule.last_run is not None and now - schedule.last_run < INTERVAL:
        return
    if not schedule.lock.acquire(blocking=False):
        return  # another session is running them
    try:
        schedule.last_run = now
        with write_session(session_factory()) as session:
            closed = auto_close_due_tickets(session=session, now=now)
        if closed:
            log.info("auto-closed %d rectification tickets", closed)
            st.cache_data.clear()
    except Exception:
        log.exception("housekeeping failed; will retry in %s", INTERVAL)
    finally:
        schedule.lock.release()
