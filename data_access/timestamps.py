"""Timestamps are stored as naive UTC; these convert to and from that form."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def to_stored_utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` as naive UTC: aware values are converted, naive ones are taken as UTC."""
    if moment.tzinfo is not None:
        return moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def stored_to_local(moment: dt.datetime | None, zone: ZoneInfo) -> dt.datetime | None:
    """A stored (naive UTC) timestamp as naive local time in ``zone``; None stays None."""
    if moment is None:
        return None
    return moment.replace(tzinfo=dt.UTC).astimezone(zone).replace(tzinfo=None)
