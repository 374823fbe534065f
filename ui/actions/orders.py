"""Writes of the work-order and ticket pages that only remember what the viewer looked at."""

from __future__ import annotations

import datetime as dt

from data_access.accounts.auth import Viewer
from data_access.orders.order_commands import mark_order_seen
from data_access.tickets import ticket_commands
from ui.actions.commands import run_bookkeeping
from ui.loaders import menu as menu_loaders


def mark_seen(viewer: Viewer, order_id: int, at: dt.datetime) -> None:
    """Remember that the viewer looked at the order now (clears its unread marker on the board
    and reads its notifications)."""
    run_bookkeeping(mark_order_seen, viewer=viewer, order_id=order_id, at=at)
    menu_loaders.forget_badge_counts(viewer)  # the menu's badge


def mark_ticket_seen(viewer: Viewer, ticket_id: int, at: dt.datetime) -> None:
    """Remember that the viewer opened the ticket now (reads its notifications)."""
    run_bookkeeping(ticket_commands.mark_ticket_seen, viewer=viewer, ticket_id=ticket_id, at=at)
    menu_loaders.forget_badge_counts(viewer)
