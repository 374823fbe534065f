"""Periods and their boundaries in Asia/Shanghai."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.periods import PeriodError, last_periods, parse_period, range_period

D = dt.date


@pytest.mark.parametrize(
    ("text", "start", "end", "kind"),
    [
        ("2026-10-05", D(2026, 10, 5), D(2026, 10, 5), "day"),
        ("2026-W41", D(2026, 10, 5), D(2026, 10, 11), "week"),
        ("2026-W01", D(2025, 12, 29), D(2026, 1, 4), "week"),  # ISO week 1 starts in 2025
        ("2026-02", D(2026, 2, 1), D(2026, 2, 28), "month"),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29), "month"),
        ("2026", D(2026, 1, 1), D(2026, 12, 31), "year"),
    ],
)
def test_parse(text: str, start: dt.date, end: dt.date, kind: str) -> None:
    period = parse_period(text)
    assert (period.start, period.end, period.kind, period.label) == (start, end, kind, text)


@pytest.mark.parametrize("text", ["2026-13", "2026-W54", "2026-02-30", "yesterday", "26-10", ""])
def test_bad_periods(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(text)


def test_previous() -> None:
    assert parse_period("2026-01").previous().label == "2025-12"
    assert parse_period("2026-W01").previous().label == "2025-W52"
    assert parse_period("2026-03-01").previous().label == "2026-02-28"
    assert parse_period("2026").previous().label == "2025"
    assert range_period(D(2026, 10, 1), D(2026, 10, 10)).previous() == range_period(
        D(2026, 9, 21), D(2026, 9, 30)
    )


def test_utc_bounds_are_local_midnights() -> None:
    start, end = parse_period("2026-10").utc_bounds("Asia/Shanghai")
    assert start == dt.datetime(2026, 9, 30, 16, 0)  # 2026-10-01 00:00 +08:00
    assert end == dt.datetime(2026, 10, 31, 16, 0)  # 2026-11-01 00:00 +08:00
    # 23:59 local on 31 October is 15:59 UTC: inside the month.
    assert start <= dt.datetime(2026, 10, 31, 15, 59) < end


def test_last_periods() -> None:
    assert [p.label for p in last_periods("month", D(2026, 2, 10), 3)] == [
        "2025-12",
        "2026-01",
        "2026-02",
    ]
