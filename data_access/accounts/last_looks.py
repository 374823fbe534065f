"""When an account last looked at something (``models.LastLook``): one table, one upsert.

What was looked at is a ``scope`` and a ``subject_id``:
- a whole list — the notifications (``NOTIFICATIONS_SCOPE``) or the manager console
  (``CONSOLE_SCOPE``) — has ``subject_id`` ``WHOLE_LIST`` (0);
- one work order (``ORDER_SCOPE``) or rectification ticket (``TICKET_SCOPE``) has its id: what
  happened to it after the look is unread.

Whatever happened after the look counts as new for that account. An account that never looked
at a list counts the last ``FIRST_LOOK_WINDOW`` as new (``since_last_look``), so a first visit
is not a flood of years of history.

Every read and write of ``last_looks`` goes through this module; the commands that check who
may mark what seen are ``orders.order_commands.mark_order_seen``,
``notifications.mark_notifications_seen`` and ``dashboards.console.mark_console_seen``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from data_access.models import LastLook
from data_access.timestamps import to_stored_utc

NOTIFICATIONS_SCOPE = "notifications"
CONSOLE_SCOPE = "console"
ORDER_SCOPE = "order"
TICKET_SCOPE = "ticket"
WHOLE_LIST = 0  # the subject_id of a look at a whole list
FIRST_LOOK_WINDOW = dt.timedelta(days=7)


def last_look_at(
    *, session: Session, account_id: int, scope: str, subject_id: int = WHOLE_LIST
) -> dt.datetime | None:
    """When the account last looked at ``scope`` (and ``subject_id``), or None if it never did."""
    look = _find_look(session, account_id, scope, subject_id)
    return look.seen_at if look else None


def since_last_look(
    *, session: Session, account_id: int, scope: str, now: dt.datetime
) -> dt.datetime:
    """The moment after which things in the list ``scope`` count as new: the last look, else
    ``now`` minus ``FIRST_LOOK_WINDOW``."""
    seen = last_look_at(session=session, account_id=account_id, scope=scope)
    return seen if seen is not None else first_look_since(now)


def first_look_since(now: dt.datetime) -> dt.datetime:
    """For an account that never looked at a list: what counts as new (naive UTC, as stored)."""
    return to_stored_utc(now) - FIRST_LOOK_WINDOW


def since_last_look_sql(
    account_id: int | BindParameter[int], scope: str, first_look: BindParameter[dt.datetime]
) -> ColumnElement[dt.datetime]:
    """``since_last_look`` as an SQL expression, for a statement built once: the account's last
    look at the list ``scope``, else ``first_look`` (bound to ``first_look_since(now)``). The
    look is read through an alias, so a statement that joins ``LastLook`` itself is unaffected."""
    whole_list = aliased(LastLook)
    seen = select(whole_list.seen_at).where(
        whole_list.account_id == account_id,
        whole_list.scope == scope,
        whole_list.subject_id == WHOLE_LIST,
    )
    return func.coalesce(seen.scalar_subquery(), first_look)


def look_matches(account_id: int, scope: str, subject_id: Any) -> ColumnElement[bool]:
    """Join condition for the account's ``LastLook`` at each row's ``subject_id`` (a column,
    e.g. ``WorkOrder.id``): outer-join ``LastLook`` on it and read ``LastLook.seen_at``
    (NULL: never looked). The primary key (account, scope, subject) serves the join."""
    return and_(
        LastLook.account_id == account_id,
        LastLook.scope == scope,
        LastLook.subject_id == subject_id,
    )


def save_last_look(
    *,
    session: Session,
    account_id: int,
    scope: str,
    at: dt.datetime,
    subject_id: int = WHOLE_LIST,
) -> LastLook:
    """Upsert the account's last look at ``scope`` / ``subject_id`` in the caller's (write)
    session. Callers check first that the account may look at it.

    Portable and safe with two concurrent writers: update the row if it exists, else insert it
    inside a savepoint; if a concurrent request inserted it first, the primary key refuses ours
    and we update theirs. ``seen_at`` never moves back.
    """
    at = to_stored_utc(at)
    look = _find_look(session, account_id, scope, subject_id)
    if look is None:
        look = LastLook(account_id=account_id, scope=scope, subject_id=subject_id, seen_at=at)
        try:
            with session.begin_nested():
                session.add(look)
        except IntegrityError:
            look = _find_look(session, account_id, scope, subject_id)
            if look is None:  # not a race: something else is wrong (e.g. unknown account)
                raise
    look.seen_at = max(look.seen_at, at)
    session.flush()
    return look


def _find_look(session: Session, account_id: int, scope: str, subject_id: int) -> LastLook | None:
    return session.scalars(
        select(LastLook)
        .where(look_matches(account_id, scope, subject_id))
        .execution_options(populate_existing=True)
    ).one_or_none()
