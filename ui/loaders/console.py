"""Reads and writes of the manager console (处理台) and of the notifications (消息通知).

Reads are cached a few seconds and always keyed by the viewer: both lists are personal. The
"since" moment (the last look when a visit began) is read uncached and passed in, so a visit's
"new" and "unread" marks stay put through its reruns while the stored look moves on.
The writes (marking seen, replying) are in ``ui.actions.console``.
"""

from __future__ import annotations

import datetime as dt

from data_access.accounts.auth import Viewer
from data_access.dashboards import console
from data_access.dashboards.console import InboxItem, InboxSummary
from data_access.notifications import notifications
from data_access.notifications.notifications import Notifications
from ui.database import read, session_factory
from ui.loaders.cache import community_cache

INBOX_TTL_SECONDS = 5


# --- the console -----------------------------------------------------------------------------------
def console_visit(viewer: Viewer, now: dt.datetime) -> tuple[dt.datetime, bool]:
    """(since when things are new, whether this is the manager's first look ever)."""
    with session_factory()() as session:
        first = console.last_console_look(session=session, viewer=viewer) is None
        return console.console_since(session=session, viewer=viewer, now=now), first


@community_cache(ttl=INBOX_TTL_SECONDS)
def summary(viewer: Viewer, now: dt.datetime, since: dt.datetime) -> InboxSummary:
    return read(console.inbox_summary, viewer=viewer, now=now, since=since)


@community_cache(ttl=INBOX_TTL_SECONDS)
def inbox(
    viewer: Viewer,
    now: dt.datetime,
    since: dt.datetime,
    kind: str | None,
    status: str | None,
    category: str | None,
    overdue_only: bool,
    order: str = "deadline",
) -> list[InboxItem]:
    return read(
        console.list_inbox, viewer=viewer, now=now, since=since, kind=kind, status=status,
        category=category, overdue_only=overdue_only, order=order,
    )  # fmt: skip


# --- notifications -------------------------------------------------------------------------------
def notifications_since(viewer: Viewer, now: dt.datetime) -> dt.datetime:
    return read(notifications.notifications_since, viewer=viewer, now=now)


def notification_list(viewer: Viewer, now: dt.datetime, since: dt.datetime) -> Notifications:
    """Not cached: an item opened a moment ago must read as read when the viewer comes back."""
    return read(notifications.list_notifications, viewer=viewer, now=now, since=since)
