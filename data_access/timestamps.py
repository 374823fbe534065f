"""Times and time zones: timestamps are stored as naive UTC; these convert to and from that form,
and name the zone a community's local dates and times are read in (one home for that rule: a
community's own zone comes from ``communities.community_zone``)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

# The zone of a community that names none, and of the demo: mainland China (no DST).
DEFAULT_TIME_ZONE = "Asia/Shanghai"


def zone_named(name: str | None) -> ZoneInfo:
    """The zone called ``name`` (an IANA name), or ``DEFAULT_TIME_ZONE`` when there is none."""
    return ZoneInfo(name or DEFAULT_TIME_ZONE)


def local_date(moment: dt.datetime, zone: ZoneInfo) -> dt.date:
    """The calendar date, in ``zone``, of a stored (naive UTC) moment."""
    return moment.replace(tzinfo=dt.UTC).astimezone(zone).date()


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
