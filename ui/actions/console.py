"""Writes of the manager console (处理台) and the notifications page: replying to a rating, and
remembering when the viewer last looked (which changes no figure, so no cache is cleared)."""

from __future__ import annotations

import datetime as dt

from data_access.accounts.auth import Viewer
from data_access.dashboards import console
from data_access.notifications import notifications
from data_access.tickets.ratings import reply_to_rating
from ui import clock
from ui.actions.commands import run_bookkeeping, run_command
from ui.loaders import menu as menu_loaders


def mark_console_seen(viewer: Viewer, at: dt.datetime) -> None:
    run_bookkeeping(console.mark_console_seen, viewer=viewer, at=at)


def reply(viewer: Viewer, rating_id: int, text: str, expected_version: int) -> None:
    """Reply to a rating; raises ``DomainError`` for the page to show. Clears cached reads."""
    run_command(
        reply_to_rating, viewer=viewer, rating_id=rating_id, reply=text,
        now=clock.now_utc(), expected_version=expected_version,
    )  # fmt: skip


def mark_notifications_seen(viewer: Viewer, at: dt.datetime) -> None:
    run_bookkeeping(notifications.mark_notifications_seen, viewer=viewer, at=at)
    menu_loaders.forget_badge_counts(viewer)  # the menu's badge
