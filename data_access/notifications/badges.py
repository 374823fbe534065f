"""The counts the menu shows next to page titles: unread notifications for everyone, and for
people who report orders of their own, the orders waiting for their rating and the notices in
force they have not opened."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.governance.announcements import unread_count as unread_announcements
from data_access.notifications.notifications import unread_count
from data_access.orders.my_orders import count_to_rate

UNREAD = "unread"
TO_RATE = "to_rate"
ANNOUNCEMENTS = "announcements"  # notices in force the viewer has not opened


def badge_counts(*, session: Session, viewer: Viewer, now: dt.datetime) -> dict[str, int]:
    counts = {UNREAD: unread_count(session=session, viewer=viewer, now=now)}
    if viewer.role in ("owner", "committee"):
        counts[TO_RATE] = count_to_rate(session=session, viewer=viewer, now=now)
        counts[ANNOUNCEMENTS] = unread_announcements(session=session, viewer=viewer, now=now)
    return counts
