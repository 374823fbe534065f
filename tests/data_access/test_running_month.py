"""A running month is judged as far as it has come and compared with the same stretch of the
month before, judged as of the same moment into it; undecided items are left out of both.

Hand-computed: "now" is 2026-12-02 12:00 local, a day and a half into December, so December is
compared with 2026-11-01 and 11-02 as they stood on 11-02 at 12:00.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from data_access.analytics.kpis import compute_kpis, monthly_trend
from data_access.models import Community
from data_access.periods import parse_period, range_period
from tests.data_access import factories as f

L = f.local
H = dt.timedelta(hours=1)
NOW = L(2026, 12, 2, 12, 0)
NOV, DEC = parse_period("2026-11"), parse_period("2026-12")


def order(
    session: Session,
    home: Community,
    created: dt.datetime,
    responded: dt.datetime | None,
    completed: dt.datetime | None,
) -> None:
    """Respond within 30 min, resolve within 72 h (the factory's deadlines)."""
    f.work_order(session, home, created_at=created, responded_at=responded, completed_at=completed)


def add_orders(session: Session, home: Community) -> None:
    # December so far
    order(session, home, L(2026, 12, 1, 9), L(2026, 12, 1, 9, 10), L(2026, 12, 1, 15))  # met
    order(session, home, L(2026, 12, 1, 10), L(2026, 12, 1, 11), None)  # responded late: missed
    order(session, home, L(2026, 12, 2, 8), L(2026, 12, 2, 8, 10), None)  # in time so far: pending
    order(session, home, L(2026, 12, 2, 9), None, None)  # no response by 09:30: missed
    # November's first two days, as they stood on 11-02 12:00
    order(session, home, L(2026, 11, 1, 9), L(2026, 11, 1, 9, 10), L(2026, 11, 1, 12))  # met
    # resolved in time, but only on 11-03: on 11-02 12:00 still pending
    order(session, home, L(2026, 11, 1, 10), L(2026, 11, 1, 10, 5), L(2026, 11, 3, 9))
    order(session, home, L(2026, 11, 2, 11), L(2026, 11, 2, 11, 20), L(2026, 11, 2, 11, 50))  # met
    # created on 11-02 after 12:00: did not exist yet at the same moment of November
    order(session, home, L(2026, 11, 2, 13), L(2026, 11, 2, 13, 5), L(2026, 11, 2, 14))
    # later in November: resolved after 5 days, missed (counts for the whole month only)
    order(session, home, L(2026, 11, 15, 9), L(2026, 11, 15, 9, 5), L(2026, 11, 20, 9))


def add_tickets(session: Session, home: Community) -> None:
    closed = (
        ("accepted", L(2026, 12, 1, 9, 30)),
        ("in_progress", L(2026, 12, 1, 10)),
        ("awaiting_confirmation", L(2026, 12, 2, 9)),
        ("closed", L(2026, 12, 2, 10)),
    )
    f.rectification_ticket(session, home, L(2026, 12, 1, 9), closed)  # closed: rectified
    f.rectification_ticket(session, home, L(2026, 12, 1, 10))  # fix due 12-08: not decided
    # November: closed on 11-05, so on 11-02 12:00 still within its fix deadline (11-08)
    f.rectification_ticket(
        session, home, L(2026, 11, 1, 9),
        (("accepted", L(2026, 11, 1, 10)), ("closed", L(2026, 11, 5, 9))),
    )  # fmt: skip
    f.rectification_ticket(session, home, L(2026, 11, 2, 8), (("rejected", L(2026, 11, 2, 9)),))


def test_a_running_month_is_compared_with_the_same_days_of_the_month_before(
    session: Session,
) -> None:
    home = f.community(session)
    add_orders(session, home)
    add_tickets(session, home)
    report = compute_kpis(session=session, community_id=home.id, period=DEC, as_of=NOW)
    assert report.running
    assert report.compared_period == range_period(dt.date(2026, 11, 1), dt.date(2026, 11, 2))

    timeliness = report["timeliness_rate"]
    # December: met 1 of 3 judged, 1 pending; November 1–2 on 11-02 12:00: met 2 of 2, 1 pending
    assert (timeliness.numerator, timeliness.denominator, timeliness.pending) == (1, 3, 1)
    assert timeliness.value == pytest.approx(1 / 3)
    assert timeliness.previous == pytest.approx(1.0)
    assert timeliness.change == pytest.approx(1 / 3 - 1)  # not 1/3 − 4/5 against all November

    rectification = report["rectification_rate"]
    # December: 1 closed of 1 decided, 1 not yet due (it was 1 of 2, "50 %", before);
    # November 1–2: the closed-later ticket undecided then, the rejected one decided: 0 of 1
    assert (rectification.numerator, rectification.denominator) == (1, 1)
    assert (rectification.pending, rectification.previous) == (1, 0.0)


def test_an_ended_month_is_compared_with_the_whole_month_before(session: Session) -> None:
    home = f.community(session)
    add_orders(session, home)
    report = compute_kpis(
        session=session, community_id=home.id, period=DEC, as_of=L(2027, 1, 5, 12)
    )
    assert not report.running and report.compared_period == NOV
    # November as a whole: 4 met, 1 missed
    assert report["timeliness_rate"].previous == pytest.approx(4 / 5)


def test_the_trend_marks_the_running_month_partial(session: Session) -> None:
    home = f.community(session)
    add_orders(session, home)
    trend = monthly_trend(session=session, community_id=home.id, months=[NOV, DEC], as_of=NOW)
    timeliness = trend[trend["kpi"] == "timeliness_rate"].set_index("period")
    assert list(timeliness["partial"]) == [False, True]
    assert (timeliness.loc["2026-12", "value"], timeliness.loc["2026-12", "pending"]) == (
        pytest.approx(1 / 3),
        1,
    )
    assert timeliness.loc["2026-11", "value"] == pytest.approx(4 / 5)
