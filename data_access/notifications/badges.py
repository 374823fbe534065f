"""The counts the menu shows next to page titles: unread notifications for everyone, and for
people who report orders of their own, the orders waiting for their rating, the notices in
force they have not opened and the open votes waiting for their ballot.

Every new visit asks, so the counts are one statement, built once per process per kind
of viewer with the viewer as bound parameters: building, keying and running three queries was
a tenth of a new owner's visit (issue 25)."""

from __future__ import annotations

import datetime as dt
import functools

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.governance import announcements, votes
from data_access.notifications import notifications
from data_access.orders import my_orders

UNREAD = "unread"
TO_RATE = "to_rate"
ANNOUNCEMENTS = "announcements"  # notices in force the viewer has not opened
TO_VOTE = "to_vote"  # open polls naming the viewer on their roll, without their ballot yet
# Who reports orders of their own and reads notices as their audience.
_RESIDENT_ROLES = ("owner", "committee")


def badge_counts(*, session: Session, viewer: Viewer, now: dt.datetime) -> dict[str, int]:
    """The viewer's counts by name (``UNREAD`` for everyone, the others for residents)."""
    resident = viewer.role in _RESIDENT_ROLES
    parameters = {
        **notifications.unread_count_parameters(viewer, now),
        **(my_orders.count_to_rate_parameters(viewer, now) if resident else {}),
        **(announcements.unread_count_parameters(viewer, now) if resident else {}),
        **(votes.awaiting_ballot_parameters(viewer, now) if resident else {}),
    }
    row = session.execute(_statement(viewer.role), parameters).one()
    return {name: int(value or 0) for name, value in row._mapping.items()}


@functools.cache
def _statement(role: str) -> Select[tuple[int, ...]]:
    """The counts of any viewer of ``role``, each a scalar subquery of one SELECT."""
    counts = [
        notifications.unread_count_statement(role == "manager").scalar_subquery().label(UNREAD)
    ]
    if role in _RESIDENT_ROLES:
        counts.append(my_orders.count_to_rate_statement().scalar_subquery().label(TO_RATE))
        counts.append(
            announcements.unread_count_statement(role == "owner")
            .scalar_subquery()
            .label(ANNOUNCEMENTS)
        )
        counts.append(votes.awaiting_ballot_statement().scalar_subquery().label(TO_VOTE))
    return select(*counts)
