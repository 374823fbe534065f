"""Reads and writes of the manager console (处理台) and of the notifications (消息通知).

Reads are cached a few seconds and always keyed by the viewer: both lists are personal. The
"since" moment (the last look when a visit began) is read uncached and passed in, so a visit's
"new" and "unread" marks stay put through its reruns while the stored look moves on.
Writes (marking seen, replying) are uncached, each in its own write transaction.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from data_access.accounts.auth import Viewer
from data_access.dashboards import console
from data_access.dashboards.console import InboxItem, InboxSummary
from data_access.db import write_session
from data_access.notifications import notifications
from data_access.notifications.notifications import Notifications
from data_access.tickets.ratings import reply_to_rating
from ui import loaders
from ui.commands import run_command
from ui.database import read, session_factory

INBOX_TTL_SECONDS = 5
BADGE_TTL_SECONDS = 10


# --- the console -----------------------------------------------------------------------------------
def console_visit(viewer: Viewer, now: dt.datetime) -> tuple[dt.datetime, bool]:
    """(since when things are new, whether this is the manager's first look ever)."""
    with session_factory()() as session:
        first = console.last_console_look(session=session, viewer=viewer) is None
        return console.console_since(session=session, viewer=viewer, now=now), first


@st.cache_data(ttl=INBOX_TTL_SECONDS, show_spinner=False)
def summary(viewer: Viewer, now: dt.datetime, since: dt.datetime) -> InboxSummary:
    return read(console.inbox_summary, viewer=viewer, now=now, since=since)


@st.cache_data(ttl=INBOX_TTL_SECONDS, show_spinner=False)
def inbox(
    viewer: Viewer,
    now: dt.datetime,
    since: dt.datetime,
    kind: str | None,
    status: str | None,
    category: str | None,
    overdue_only: bool,
) -> list[InboxItem]:
    return read(
        console.list_inbox, viewer=viewer, now=now, since=since, kind=kind, status=status,
        category=category, overdue_only=overdue_only,
    )  # fmt: skip


def mark_console_seen(viewer: Viewer, at: dt.datetime) -> None:
    with write_session(session_factory()) as session:
        console.mark_console_seen(session=session, viewer=viewer, at=at)


def reply(viewer: Viewer, rating_id: int, text: str, expected_version: int) -> None:
    """Reply to a rating; raises ``DomainError`` for the page to show. Clears cached reads."""
    run_command(
        reply_to_rating, viewer=viewer, rating_id=rating_id, reply=text,
        now=loaders.now_utc(), expected_version=expected_version,
    )  # fmt: skip


# --- notifications -------------------------------------------------------------------------------
def notifications_since(viewer: Viewer, now: dt.datetime) -> dt.datetime:
    return read(notifications.notifications_since, viewer=viewer, now=now)


@st.cache_data(ttl=INBOX_TTL_SECONDS, show_spinner=False)
def notification_list(viewer: Viewer, now: dt.datetime, since: dt.datetime) -> Notifications:
    return read(notifications.list_notifications, viewer=viewer, now=now, since=since)


def unread_count(viewer: Viewer) -> int:
    """The badge of the notifications page in the menu (cached ``BADGE_TTL_SECONDS``)."""
    return _unread_count(viewer, loaders.now_utc_minute())


@st.cache_data(ttl=BADGE_TTL_SECONDS, show_spinner=False)
def _unread_count(viewer: Viewer, now: dt.datetime) -> int:
    return read(notifications.unread_count, viewer=viewer, now=now)


def mark_notifications_seen(viewer: Viewer, at: dt.datetime) -> None:
    with write_session(session_factory()) as session:
        notifications.mark_notifications_seen(session=session, viewer=viewer, at=at)
    _unread_count.clear(viewer, loaders.now_utc_minute())  # the menu's badge
