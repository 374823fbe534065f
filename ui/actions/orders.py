"""Writes of the work-order pages."""

from __future__ import annotations

import datetime as dt

from data_access.accounts.auth import Viewer
from data_access.orders.order_commands import mark_order_seen
from ui.actions.commands import run_bookkeeping


def mark_seen(viewer: Viewer, order_id: int, at: dt.datetime) -> None:
    """Remember that the viewer looked at their order now (clears its unread marker)."""
    run_bookkeeping(mark_order_seen, viewer=viewer, order_id=order_id, at=at)
