"""How long a completed work order may be rated: ``RATING_WINDOW`` after its completion.

One home for the rule: the rating command refuses a late rating, the owner's 待评价 list and
its count in the menu list only orders still inside the window, and the order page offers the
form only then. Thirty days covers a month of "let me see whether the fix holds" while keeping
a rating about the work, not about the season.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BindParameter, ColumnElement

from data_access.models import WorkOrder

RATING_WINDOW = dt.timedelta(days=30)


def rating_closes_at(completed_at: dt.datetime) -> dt.datetime:
    return completed_at + RATING_WINDOW


def is_within_rating_window(completed_at: dt.datetime | None, now: dt.datetime) -> bool:
    return completed_at is not None and now <= rating_closes_at(completed_at)


def still_ratable(now: dt.datetime) -> ColumnElement[bool]:
    """SQL condition: the order is completed and its rating window is still open at ``now``
    (naive UTC, as stored)."""
    return completed_since(rating_cutoff(now))


def rating_cutoff(now: dt.datetime) -> dt.datetime:
    """The earliest completion still ratable at ``now``."""
    return now - RATING_WINDOW


def completed_since(cutoff: dt.datetime | BindParameter[dt.datetime]) -> ColumnElement[bool]:
    """``still_ratable`` with its cutoff given (``rating_cutoff``), e.g. as a bound parameter."""
    return WorkOrder.completed_at.is_not(None) & (WorkOrder.completed_at >= cutoff)
