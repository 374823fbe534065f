"""Reporting periods (day, ISO week, month, year) in a community's time zone.

A period is a range of local dates; its UTC bounds are local midnight at the start and local
midnight after the end, so an event at 23:59 local on the last day belongs to the period.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from data_access.timestamps import to_stored_utc

PeriodKind = Literal["day", "week", "month", "year"]
PERIOD_KINDS: tuple[PeriodKind, ...] = ("day", "week", "month", "year")
# The unit of a chart's time buckets and of its axis ticks.
TimeGrain = Literal["hour", "day", "month", "year"]

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date  # first local day
    end: dt.date  # last local day (inclusive)
    kind: PeriodKind | Literal["range"]

    @property
    def label(self) -> str:
        """The canonical text: 2026-10-05, 2026-W41, 2026-10, 2026 (or start~end for a range)."""
        if self.kind == "day":
            return self.start.isoformat()
        if self.kind == "week":
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "year":
            return f"{self.start:%Y}"
        return f"{self.start.isoformat()}~{self.end.isoformat()}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period just before, of the same kind (a range: the same length)."""
        if self.kind == "range":
            return range_period(
                self.start - dt.timedelta(days=self.days), self.start - dt.timedelta(days=1)
            )
        return period_containing(self.kind, self.start - dt.timedelta(days=1))

    def utc_bounds(self, time_zone: ZoneInfo | str) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) as naive UTC datetimes, for comparing with stored timestamps."""
        zone = time_zone if isinstance(time_zone, ZoneInfo) else ZoneInfo(time_zone)
        start = dt.datetime.combine(self.start, dt.time(), zone)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), zone)
        return to_stored_utc(start), to_stored_utc(end)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


def parse_period(text: str) -> Period:
    """``2026-10-05`` (day), ``2026-W41`` (ISO week), ``2026-10`` (month), ``2026`` (year)."""
    text = text.strip()
    try:
        if m := _DAY.match(text):
            return period_containing("day", dt.date(int(m[1]), int(m[2]), int(m[3])))
        if m := _WEEK.match(text):
            return period_containing("week", dt.date.fromisocalendar(int(m[1]), int(m[2]), 1))
        if m := _MONTH.match(text):
            return period_containing("month", dt.date(int(m[1]), int(m[2]), 1))
        if m := _YEAR.match(text):
            return period_containing("year", dt.date(int(m[1]), 1, 1))
    except ValueError as error:
        raise PeriodError(f"not a valid period: {text!r} ({error})") from None
    raise PeriodError(f"not a period (use 2026-10-05, 2026-W41, 2026-10 or 2026): {text!r}")


def period_containing(kind: PeriodKind, day: dt.date) -> Period:
    if kind == "day":
        return Period(day, day, "day")
    if kind == "week":
        start = day - dt.timedelta(days=day.isoweekday() - 1)
        return Period(start, start + dt.timedelta(days=6), "week")
    if kind == "month":
        start = day.replace(day=1)
        next_month = (start + dt.timedelta(days=32)).replace(day=1)
        return Period(start, next_month - dt.timedelta(days=1), "month")
    if kind == "year":
        return Period(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), "year")
    raise PeriodError(f"unknown period kind: {kind!r}")


def range_period(start: dt.date, end: dt.date) -> Period:
    if end < start:
        raise PeriodError(f"the range ends ({end}) before it starts ({start})")
    return Period(start, end, "range")


def bucket_grain(period: Period) -> TimeGrain:
    """What a period's chart counts by: hours of a day, days of a week or month, months of a
    year; a range by its length (a few days by hour, up to a quarter by day, up to three years
    by month, longer by year) so that a chart keeps between a handful and a few dozen bars."""
    if period.kind == "day" or (period.kind == "range" and period.days <= 2):
        return "hour"
    if period.kind in ("week", "month") or (period.kind == "range" and period.days <= 92):
        return "day"
    if period.kind == "year" or period.days <= 3 * 366:
        return "month"
    return "year"


def bucket_count(period: Period) -> int:
    """How many buckets of ``bucket_grain(period)`` the period spans."""
    grain = bucket_grain(period)
    if grain == "hour":
        return period.days * 24
    if grain == "day":
        return period.days
    if grain == "month":
        return (
            (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1
        )
    return period.end.year - period.start.year + 1


def running_period(period: Period, today: dt.date) -> bool:
    """Whether the period has not ended yet (today or later days are in it)."""
    return period.end >= today


def last_periods(kind: PeriodKind, day: dt.date, count: int) -> list[Period]:
    """The ``count`` periods of ``kind`` ending with the one containing ``day``, oldest first."""
    periods = [period_containing(kind, day)]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return periods[::-1]
