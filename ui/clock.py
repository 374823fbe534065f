"""The time as the pages see it: now in naive UTC (the form timestamps are stored in) and today
in the community's zone. Tests replace these functions to freeze the clock."""

from __future__ import annotations

import datetime as dt

from data_access.timestamps import zone_named

DEFAULT_TIME_ZONE = zone_named(None)


def local_today() -> dt.date:
    return dt.datetime.now(DEFAULT_TIME_ZONE).date()


def local_midnight_utc(day: dt.date) -> dt.datetime:
    """The start of a local day as naive UTC (the form timestamps are stored in)."""
    start = dt.datetime.combine(day, dt.time(), DEFAULT_TIME_ZONE)
    return start.astimezone(dt.UTC).replace(tzinfo=None)


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def now_utc_minute() -> dt.datetime:
    """The current minute (naive UTC): cached answers keyed by it are shared for a minute."""
    return now_utc().replace(second=0, microsecond=0)
