"""The time as the pages see it: now in naive UTC (the form timestamps are stored in) and today
in the viewer's community's zone. Tests replace these functions to freeze the clock."""

from __future__ import annotations

import datetime as dt

from ui import context


def local_today() -> dt.date:
    return dt.datetime.now(context.time_zone()).date()


def local_midnight_utc(day: dt.date) -> dt.datetime:
    """The start of a local day as naive UTC (the form timestamps are stored in)."""
    start = dt.datetime.combine(day, dt.time(), context.time_zone())
    return start.astimezone(dt.UTC).replace(tzinfo=None)


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def now_utc_minute() -> dt.datetime:
    """The current minute (naive UTC): cached answers keyed by it are shared for a minute."""
    return now_utc().replace(second=0, microsecond=0)
