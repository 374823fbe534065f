"""Reading HC's column values: the one home for the conversions both readers use."""

from __future__ import annotations

import datetime as dt


def naive(value: object) -> dt.datetime | None:
    """A TIMESTAMP column, read in the session zone UTC; None for a zero or invalid date (old
    MySQL servers keep '0000-00-00 00:00:00', which the driver cannot turn into a time)."""
    return value.replace(tzinfo=None) if isinstance(value, dt.datetime) else None


def integer(value: object) -> int | None:
    """A number HC keeps as text (or NULL); None when it is not a whole number."""
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None
