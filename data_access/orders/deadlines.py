"""Whether a work order met its deadlines: the one rule behind 服务及时率 (the timeliness KPI),
the monthly report's per-type table and the History page's 按时完成率.

An order has two deadlines: respond by ``respond_due_at`` and resolve by ``resolve_due_at``.
As of a moment it is

- **missed** once either deadline is known to be missed: resolved late, still open after the
  resolve deadline, or (with a recorded response) not responded to in time;
- **met** when it was resolved in time and responded to in time;
- **pending** while neither can be told yet (still inside its deadlines);
- **unknown** when the outcome hangs on a response the source never recorded
  (``WorkOrder.response_recorded`` false and no response time): an export without a response
  column says nothing about the response deadline. Such orders are "not measured" — left out
  of both numerator and denominator and counted apart — never counted as missed.

``judge`` is the rule for one order in Python; ``judged_sql``, ``met_sql`` and ``unknown_sql``
are the same rule as SQL over the order's columns, for counting in the database. A test holds
the two forms equal on every combination.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, not_, or_

Outcome = Literal["met", "missed", "pending", "unknown"]
OUTCOMES: tuple[Outcome, ...] = ("met", "missed", "pending", "unknown")


def judge(
    *,
    responded_at: dt.datetime | None,
    response_recorded: bool,
    respond_due_at: dt.datetime,
    completed_at: dt.datetime | None,
    resolve_due_at: dt.datetime,
    as_of: dt.datetime,
) -> Outcome:
    """The outcome of one order's deadlines as of ``as_of`` (all naive UTC)."""
    if completed_at is not None and completed_at > resolve_due_at:
        return "missed"
    if completed_at is None and resolve_due_at <= as_of:
        return "missed"
    if responded_at is None and not response_recorded:
        return "unknown" if completed_at is not None or respond_due_at <= as_of else "pending"
    responded_in_time = responded_at is not None and responded_at <= respond_due_at
    if completed_at is not None:
        return "met" if responded_in_time else "missed"
    if respond_due_at <= as_of and not responded_in_time:
        return "missed"
    return "pending"


# The order columns the SQL form reads: ``WorkOrder`` itself, an alias, or a subquery's ``.c``
# with the columns responded_at, response_recorded, respond_due_at, completed_at and
# resolve_due_at (SQLAlchemy gives these no common static type).
OrderColumns = Any


def _missed_resolution(o: OrderColumns, as_of: dt.datetime) -> ColumnElement[bool]:
    return or_(
        and_(o.completed_at.is_not(None), o.completed_at > o.resolve_due_at),
        and_(o.completed_at.is_(None), o.resolve_due_at <= as_of),
    )


def _response_untold(o: OrderColumns) -> ColumnElement[bool]:
    return and_(o.responded_at.is_(None), not_(o.response_recorded))


def _decided(o: OrderColumns, as_of: dt.datetime) -> ColumnElement[bool]:
    """Met, missed or unknown: no longer pending."""
    return or_(
        o.completed_at.is_not(None),
        o.resolve_due_at <= as_of,
        and_(
            o.respond_due_at <= as_of,
            or_(o.responded_at.is_(None), o.responded_at > o.respond_due_at),
        ),
    )


def unknown_sql(o: OrderColumns, as_of: dt.datetime) -> ColumnElement[bool]:
    """SQL: the outcome is ``unknown``."""
    return and_(_decided(o, as_of), _response_untold(o), not_(_missed_resolution(o, as_of)))


def judged_sql(o: OrderColumns, as_of: dt.datetime) -> ColumnElement[bool]:
    """SQL: the outcome is ``met`` or ``missed`` (the KPI's denominator)."""
    return and_(_decided(o, as_of), or_(not_(_response_untold(o)), _missed_resolution(o, as_of)))


def met_sql(o: OrderColumns) -> ColumnElement[bool]:
    """SQL: both deadlines met (with ``judged_sql``: the outcome is ``met``)."""
    return and_(o.responded_at <= o.respond_due_at, o.completed_at <= o.resolve_due_at)
