"""KPIs (docs/domain.md#kpis) on small hand-built datasets; every figure is worked out in comments.

Communities are in Asia/Shanghai (UTC+8) unless a test says otherwise: 2026-10 runs from
2026-09-30 16:00 to 2026-10-31 16:00 UTC. ``L(...)`` gives the stored (naive UTC) form of a
local time. Each test runs on SQLite and on PostgreSQL (the ``session`` fixture).
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from sqlalchemy.orm import Session

from data_access.accounts.auth import load_viewer
from data_access.analytics.kpis import (
    CORE_KPI_KEYS,
    KPI_KEYS,
    Kpi,
    RectificationKpi,
    SatisfactionKpi,
    actual_completion_rate,
    compute_kpis,
    kpis_for_viewer,
    monthly_trend,
    plan_completion_by_category,
    plan_completion_by_item,
    plan_completion_rate,
    rectification_rate,
    reply_timeliness_rate,
    satisfaction,
    timeliness_rate,
)
from data_access.models import Community, ServiceItem
from data_access.periods import Period, parse_period, range_period
from tests.data_access import factories as f

L = f.local
D = dt.date
H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)
SEP, OCT, NOV = parse_period("2026-09"), parse_period("2026-10"), parse_period("2026-11")
AS_OF = L(2026, 11, 20, 20, 0)  # the demo's "now": 2026-11-20 20:00 local


def approx(value: float | None) -> object:
    return None if value is None else pytest.approx(value)


def figures(kpi: Kpi) -> tuple[object, ...]:
    """(value, numerator, denominator, target, previous) with floats compared approximately."""
    return (
        approx(kpi.value),
        approx(kpi.numerator),
        kpi.denominator,
        approx(kpi.target),
        approx(kpi.previous),
    )


# --- plan completion --------------------------------------------------------------------------------
def add_plan_tasks(session: Session) -> tuple[Community, ServiceItem, ServiceItem]:
    home = f.community(session)
    contract = f.contract(session, home)
    clean = f.service_item(session, contract, code="CL-A", name="大堂保洁")  # 08:00–09:00
    green = f.service_item(session, contract, code="GR-B", name="草坪养护", category="greening",
                           window_start=dt.time(14), window_end=dt.time(16))  # fmt: skip
    # cleaning, 08:00–09:00 local
    f.plan_task(session, clean, D(2026, 10, 5), L(2026, 10, 5, 8, 0))  # on time (window start)
    f.plan_task(session, clean, D(2026, 10, 6), L(2026, 10, 6, 10, 0))  # late: actual, not plan
    f.plan_task(session, clean, D(2026, 10, 7), status="cancelled")  # excluded everywhere
    f.plan_task(session, clean, D(2026, 10, 31), L(2026, 10, 31, 9, 0))  # last day, on time (end)
    f.plan_task(session, clean, D(2026, 11, 1), L(2026, 11, 1, 8, 10))  # November, on time
    # greening, 14:00–16:00 local
    f.plan_task(session, green, D(2026, 10, 8))  # never done
    f.plan_task(session, green, D(2026, 10, 10), L(2026, 10, 10, 13, 0))  # before its window
    f.plan_task(session, green, D(2026, 10, 31))  # open: in its window at 15:00 on the 31st
    # another community's task on time: never counted here
    other = f.community(session)
    other_item = f.service_item(session, f.contract(session, other))
    f.plan_task(session, other_item, D(2026, 10, 5), L(2026, 10, 5, 8, 30))
    return home, clean, green


@pytest.mark.parametrize(
    ("period", "plan", "actual"),
    [
        # due in October, cancelled excluded: 10-05, 10-06, 10-31 (cleaning), 10-08, 10-10,
        # 10-31 (greening) = 6. In the window: 10-05, 10-31 cleaning = 2. Done at all: + the late
        # 10-06 and the early 10-10 = 4.
        ("2026-10", (2, 6), (4, 6)),
        # the last day alone: cleaning on time + greening still open = 1 of 2 (both rates)
        ("2026-10-31", (1, 2), (1, 2)),
        # ISO week 44 = 10-26 … 11-01: both 10-31 tasks and the 11-01 cleaning = 2 of 3
        ("2026-W44", (2, 3), (2, 3)),
        ("2026-11", (1, 1), (1, 1)),
        ("2026-09", (0, 0), (0, 0)),  # nothing due: no data, not 0 %
    ],
)
def test_plan_and_actual_completion(
    session: Session,
    period: str,
    plan: tuple[int, int],
    actual: tuple[int, int],
) -> None:
    home, _, _ = add_plan_tasks(session)
    p = parse_period(period)
    on_plan = plan_completion_rate(session=session, community_id=home.id, period=p)
    done = actual_completion_rate(session=session, community_id=home.id, period=p)
    assert (on_plan.numerator, on_plan.denominator) == plan
    assert (done.numerator, done.denominator) == actual
    assert on_plan.value == (plan[0] / plan[1] if plan[1] else None)
    assert done.value == (actual[0] / actual[1] if actual[1] else None)


@pytest.mark.parametrize(
    ("as_of", "plan", "actual"),
    [
        # 15:00 on 10-31: the open greening task's window (14–16) has not ended → not due yet:
        # 2 on time of 5 due; done at all 4 of 5
        (L(2026, 10, 31, 15, 0), (2, 5), (4, 5)),
        # 16:00 exactly: its window has ended → due (and missed): 2/6 and 4/6
        (L(2026, 10, 31, 16, 0), (2, 6), (4, 6)),
    ],
)
def test_tasks_not_yet_due_do_not_count(
    session: Session, as_of: dt.datetime, plan: tuple[int, int], actual: tuple[int, int]
) -> None:
    home, _, _ = add_plan_tasks(session)
    on_plan = plan_completion_rate(session=session, community_id=home.id, period=OCT, as_of=as_of)
    done = actual_completion_rate(session=session, community_id=home.id, period=OCT, as_of=as_of)
    assert (on_plan.numerator, on_plan.denominator) == plan
    assert (done.numerator, done.denominator) == actual


def test_plan_completion_previous_and_target(session: Session) -> None:
    home, _, _ = add_plan_tasks(session)
    november = plan_completion_rate(session=session, community_id=home.id, period=NOV)
    # November 1/1; its previous is October's 2/6; the contract's target is 0.95
    assert figures(november) == (1.0, 1, 1, 0.95, approx(2 / 6))
    october = actual_completion_rate(session=session, community_id=home.id, period=OCT)
    assert figures(october) == (approx(4 / 6), 4, 6, 0.98, None)  # September: no data


_CLEAN = {"item_code": "CL-A", "item_name": "大堂保洁", "category": "cleaning", "tier": "basic"}
_GREEN = {"item_code": "GR-B", "item_name": "草坪养护", "category": "greening", "tier": "basic"}


@pytest.mark.parametrize(
    ("as_of", "green_missed", "green_pending", "green_actual"),
    [
        # inside the open greening task's window (14–16 on 10-31): it is pending, not missed,
        # and not yet due: actual = 1 done / 2 due
        (L(2026, 10, 31, 15, 0), 1, 1, 1 / 2),
        # later, its window is over: both open greening tasks are missed; actual = 1/3
        (AS_OF, 2, 0, 1 / 3),
    ],
)
def test_plan_completion_by_category_and_item(
    session: Session, as_of: dt.datetime, green_missed: int, green_pending: int, green_actual: float
) -> None:
    home, clean, green = add_plan_tasks(session)
    # cleaning in October: 10-05 and 10-31 on time, 10-06 late, 10-07 cancelled → planned 3
    cleaning = {"planned": 3, "done_on_time": 2, "done_late": 1, "missed": 0, "pending": 0,
                "cancelled": 1, "plan_completion_rate": approx(2 / 3),
                "actual_completion_rate": 1.0}  # fmt: skip
    # greening: 10-10 done before its window (counts as done, not on plan), 10-08 never done,
    # 10-31 still open → planned 3, plan 0, actual 1 / (tasks due so far)
    greening = {"planned": 3, "done_on_time": 0, "done_late": 1, "missed": green_missed,
                "pending": green_pending, "cancelled": 0, "plan_completion_rate": 0.0,
                "actual_completion_rate": approx(green_actual)}  # fmt: skip

    by_category = plan_completion_by_category(
        session=session, community_id=home.id, period=OCT, as_of=as_of
    )
    assert by_category.to_dict("records") == [
        {"category": "cleaning", **cleaning},
        {"category": "greening", **greening},
    ]

    by_item = plan_completion_by_item(
        session=session, community_id=home.id, period=OCT, as_of=as_of
    )
    assert by_item.to_dict("records") == [
        {"item_id": clean.id, **_CLEAN, **cleaning},
        {"item_id": green.id, **_GREEN, **greening},
    ]


def test_plan_breakdowns_of_an_empty_period(session: Session) -> None:
    home, _, _ = add_plan_tasks(session)
    frame = plan_completion_by_category(
        session=session, community_id=home.id, period=SEP, as_of=AS_OF
    )
    assert frame.empty
    assert list(frame.columns) == [
        "category", "planned", "done_on_time", "done_late", "missed", "pending", "cancelled",
        "plan_completion_rate", "actual_completion_rate",
    ]  # fmt: skip
    items = plan_completion_by_item(session=session, community_id=home.id, period=SEP, as_of=AS_OF)
    assert items.empty and list(items.columns)[:5] == [
        "item_id", "item_code", "item_name", "category", "tier",
    ]  # fmt: skip


def test_a_category_with_only_cancelled_tasks_has_no_rate(session: Session) -> None:
    home = f.community(session)
    item = f.service_item(session, f.contract(session, home))
    f.plan_task(session, item, D(2026, 10, 5), status="cancelled")
    row = plan_completion_by_category(
        session=session, community_id=home.id, period=OCT, as_of=AS_OF
    ).iloc[0]
    assert (row["planned"], row["cancelled"]) == (0, 1)
    assert math.isnan(row["plan_completion_rate"]) and math.isnan(row["actual_completion_rate"])
    assert plan_completion_rate(session=session, community_id=home.id, period=OCT).value is None


# --- period boundaries ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("created_local", "time_zone", "counts_in"),
    [
        # 23:59 local on 31 Oct (15:59 UTC) is October; 00:00 local on 1 Nov (16:00 UTC)
        # is November; both are in ISO week 44 (10-26 … 11-01)
        ((2026, 10, 31, 23, 59), "Asia/Shanghai", {"2026-10", "2026-10-31", "2026-W44"}),
        ((2026, 11, 1, 0, 0), "Asia/Shanghai", {"2026-11", "2026-11-01", "2026-W44"}),
        # the community's own zone decides: 23:30 on 31 Oct in London (GMT, after BST ended on
        # 10-25) is 07:30 on 1 Nov in Shanghai, yet October for a London community
        ((2026, 10, 31, 23, 30), "Europe/London", {"2026-10", "2026-10-31", "2026-W44"}),
    ],
)
def test_events_belong_to_the_local_period(
    session: Session,
    created_local: tuple[int, int, int, int, int],
    time_zone: str,
    counts_in: set[str],
) -> None:
    home = f.community(session)
    home.time_zone = time_zone
    created = L(*created_local, tz=time_zone)
    # one of each: an order met in time, a rating, a ticket — all created at that moment
    f.work_order(session, home, created_at=created, responded_at=created + 5 * M,
                 completed_at=created + H)  # fmt: skip
    f.rating(session, home, created_at=created)
    f.rectification_ticket(session, home, created_at=created)
    session.flush()
    for label in ("2026-10", "2026-11", "2026-10-31", "2026-11-01", "2026-W44"):
        report = compute_kpis(
            session=session, community_id=home.id, period=parse_period(label), as_of=AS_OF
        )
        expected = 1 if label in counts_in else 0
        found = [report[key].denominator for key in ("timeliness_rate", "satisfaction",
                                                     "rectification_rate")]  # fmt: skip
        assert found == [expected] * 3, label


# --- timeliness ----------------------------------------------------------------------------------------
CREATED = L(2026, 10, 10, 10, 0)  # respond by 10:30, resolve by 10-13 10:00 (30 min / 72 h)


@pytest.mark.parametrize(
    ("responded", "completed", "now", "expected"),
    [
        # met both deadlines → counted and met
        (10 * M, 5 * H, AS_OF - CREATED, (1, 1)),
        # both exactly on the deadline still count as met
        (30 * M, 72 * H, AS_OF - CREATED, (1, 1)),
        # responded late, resolved in time → in the denominator, not met
        (45 * M, 5 * H, AS_OF - CREATED, (0, 1)),
        # responded in time, resolved late → not met
        (10 * M, 80 * H, AS_OF - CREATED, (0, 1)),
        # responded in time, unresolved, resolution deadline not passed yet → not judged yet
        (10 * M, None, 10 * H, (0, 0)),
        # … and once the resolution deadline has passed → failed
        (10 * M, None, 73 * H, (0, 1)),
        # no response yet, response deadline not passed → not judged yet
        (None, None, 10 * M, (0, 0)),
        # no response and the response deadline passed → failed already
        (None, None, 1 * H, (0, 1)),
        # a deadline reached exactly at as_of has passed (respond_due_at <= as_of)
        (None, None, 30 * M, (0, 1)),
        # responded late, still open, resolution deadline far away → failed already
        (45 * M, None, 2 * H, (0, 1)),
    ],
)
def test_timeliness_cases(
    session: Session,
    responded: dt.timedelta | None,
    completed: dt.timedelta | None,
    now: dt.timedelta,
    expected: tuple[int, int],
) -> None:
    home = f.community(session)
    f.work_order(session, home, created_at=CREATED,
                 responded_at=None if responded is None else CREATED + responded,
                 completed_at=None if completed is None else CREATED + completed)  # fmt: skip
    kpi = timeliness_rate(session=session, community_id=home.id, period=OCT, as_of=CREATED + now)
    assert (kpi.numerator, kpi.denominator) == expected
    assert kpi.value == (expected[0] / expected[1] if expected[1] else None)


def test_timeliness_accepts_an_aware_as_of(session: Session) -> None:
    home = f.community(session)
    f.work_order(session, home, created_at=CREATED, responded_at=CREATED + 10 * M)
    # 10-10 20:00 in Shanghai = 12:00 UTC: the resolution deadline has not passed → (0, 0)
    aware = dt.datetime(2026, 10, 10, 12, 0, tzinfo=dt.UTC)
    kpi = timeliness_rate(session=session, community_id=home.id, period=OCT, as_of=aware)
    assert (kpi.value, kpi.denominator) == (None, 0)


# --- rectification -------------------------------------------------------------------------------------
def test_rectification_counts_rejected_and_late(session: Session) -> None:
    home = f.community(session)
    # fix deadline = created + 7 days
    f.rectification_ticket(session, home, L(2026, 10, 3, 10), moves=(  # closed right at the
        ("accepted", L(2026, 10, 3, 12)), ("in_progress", L(2026, 10, 3, 14)),  # fix deadline
        ("awaiting_confirmation", L(2026, 10, 9, 10)), ("closed", L(2026, 10, 10, 10)),  # on time
    ))  # fmt: skip
    f.rectification_ticket(session, home, L(2026, 10, 5, 10), moves=(  # closed late (10-14 > 10-12)
        ("accepted", L(2026, 10, 5, 11)), ("in_progress", L(2026, 10, 5, 14)),
        ("awaiting_confirmation", L(2026, 10, 13, 10)), ("closed", L(2026, 10, 14, 10)),
    ))  # fmt: skip
    f.rectification_ticket(session, home, L(2026, 10, 8, 10), moves=(  # rejected: still opened
        ("rejected", L(2026, 10, 8, 15)),
    ))  # fmt: skip
    f.rectification_ticket(session, home, L(2026, 10, 20, 10), moves=(  # still being fixed
        ("accepted", L(2026, 10, 20, 12)), ("in_progress", L(2026, 10, 21, 9)),
    ))  # fmt: skip
    f.rectification_ticket(session, home, L(2026, 11, 1, 0, 0))  # November
    f.rectification_ticket(session, f.community(session), L(2026, 10, 3, 10))  # elsewhere

    october = rectification_rate(session=session, community_id=home.id, period=OCT)
    # opened 4 (rejected included); closed 2 → 0.5; closed by the fix deadline 1 → 0.25
    assert isinstance(october, RectificationKpi)
    assert figures(october) == (0.5, 2, 4, None, None)  # no contract, nothing in September
    assert october.on_time_share == 0.25
    november = rectification_rate(session=session, community_id=home.id, period=NOV)
    assert figures(november) == (0.0, 0, 1, None, 0.5)  # opened 1, none closed: 0 %, not "no data"
    assert november.on_time_share == 0.0


# --- satisfaction ----------------------------------------------------------------------------------------
def test_satisfaction_mean_and_good_share(session: Session) -> None:
    home = f.community(session)
    f.contract(session, home)
    f.rating(session, home, (5, 5, 5), L(2026, 10, 2, 9))  # 5.0        good
    f.rating(session, home, (4, 4, 3), L(2026, 10, 9, 9))  # 11/3 ≈ 3.67 not good (< 4)
    f.rating(session, home, (4, 4, 4), L(2026, 10, 16, 9))  # 4.0       good (≥ 4)
    f.rating(session, home, (1, 2, 1), L(2026, 10, 23, 9))  # 4/3 ≈ 1.33 not good
    f.rating(session, home, (3, 3, 3), L(2026, 9, 30, 23, 30))  # 23:30 local: September, 3.0
    f.rating(session, f.community(session), (1, 1, 1), L(2026, 10, 2, 9))  # elsewhere

    kpi = satisfaction(session=session, community_id=home.id, period=OCT)
    # sum of scores 5 + 11/3 + 4 + 4/3 = 14 over 4 ratings → mean 3.5; good 2 of 4
    assert isinstance(kpi, SatisfactionKpi)
    assert figures(kpi) == (3.5, 14.0, 4, 4.5, 3.0)
    assert kpi.good_share == 0.5
    assert (kpi.is_score, kpi.meets_target, kpi.change) == (True, False, 0.5)


# --- reply timeliness ------------------------------------------------------------------------------------
def test_reply_timeliness_of_ratings_and_tickets(session: Session) -> None:
    home = f.community(session)
    now = L(2026, 10, 31, 12, 0)
    day10 = L(2026, 10, 10, 10, 0)  # reply / accept due 24 h later: 10-11 10:00
    late_day = L(2026, 10, 31, 10, 0)  # due 11-01 10:00, after "now"
    # ratings
    f.rating(session, home, created_at=day10, replied_at=day10 + 2 * H)  # due, in time
    f.rating(session, home, created_at=day10, replied_at=day10 + 30 * H)  # due, late
    f.rating(session, home, created_at=day10)  # unanswered, deadline passed: due, late
    f.rating(session, home, created_at=late_day)  # unanswered, deadline ahead: not due
    f.rating(session, home, created_at=late_day, replied_at=late_day + H)  # answered: due, in time
    # tickets
    f.rectification_ticket(session, home, day10, moves=(("accepted", day10 + 30 * H),))  # late
    f.rectification_ticket(session, home, day10, moves=(("rejected", day10 + 3 * H),))  # in time
    f.rectification_ticket(session, home, day10)  # still submitted, deadline passed: late
    f.rectification_ticket(session, home, late_day)  # still submitted, deadline ahead: not due
    f.rectification_ticket(session, home, day10, moves=(  # accepted in time; later moves
        ("accepted", day10 + 1 * H), ("in_progress", day10 + 40 * H),  # do not matter
    ))  # fmt: skip
    # imported without its event log: accepted_at stands in → in time
    f.rectification_ticket(session, home, day10, (("accepted", day10 + 2 * H),), log_moves=False)
    # … and one rejected without a log, deadline ahead: answered (so due) at an unknown time
    f.rectification_ticket(session, home, late_day, (("rejected", late_day + H),), log_moves=False)
    f.rating(session, f.community(session), created_at=day10)  # elsewhere

    kpi = reply_timeliness_rate(session=session, community_id=home.id, period=OCT, as_of=now)
    # ratings: due 4, in time 2 (+2 h, +1 h); tickets: due 6, in time 3 (rejected +3 h,
    # accepted +1 h, accepted_at +2 h) → 5 of 10
    assert figures(kpi) == (0.5, 5, 10, None, None)


# --- targets and scope -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (parse_period("2025-12"), 0.80),  # A in force on 12-31
        (parse_period("2026-01"), 0.90),  # B
        (parse_period("2026-10"), 0.90),  # B ended 10-15, none in force on 10-31: latest overlap
        (parse_period("2026-11"), 0.97),  # C
        (parse_period("2026"), 0.97),  # in force on 2026-12-31: C
        (range_period(D(2025, 12, 20), D(2026, 1, 5)), 0.90),  # in force on the last day: B
        (range_period(D(2026, 10, 20), D(2026, 10, 25)), None),  # gap between B and C
        (parse_period("2028-03"), None),  # after every contract
    ],
)
def test_target_comes_from_the_contract_in_force(
    session: Session, period: Period, expected: float | None
) -> None:
    home = f.community(session)
    for start, end, target in (
        (D(2025, 1, 1), D(2025, 12, 31), 0.80),  # A
        (D(2026, 1, 1), D(2026, 10, 15), 0.90),  # B
        (D(2026, 11, 1), D(2027, 12, 31), 0.97),  # C
    ):
        f.contract(session, home, start, end).target_plan_completion = target
    session.flush()
    kpi = plan_completion_rate(session=session, community_id=home.id, period=period)
    assert kpi.target == approx(expected)


@pytest.mark.parametrize("role", ["owner", "committee", "manager"])
def test_every_role_sees_only_its_own_community(session: Session, role: str) -> None:
    home, other = f.community(session, name="翠湖花园"), f.community(session, name="锦绣华庭")
    f.account(session, home, role=role, username="home_user")
    f.account(session, other, role=role, username="other_user")
    # home: one order met in time; other: one order answered late and two tickets
    f.work_order(session, home, created_at=CREATED, responded_at=CREATED + 5 * M,
                 completed_at=CREATED + H)  # fmt: skip
    f.work_order(session, other, created_at=CREATED, responded_at=CREATED + 2 * H,
                 completed_at=CREATED + 3 * H)  # fmt: skip
    f.rectification_ticket(session, other, CREATED)
    f.rectification_ticket(session, other, CREATED)
    session.commit()

    for username, community, timeliness, tickets in (
        ("home_user", home, 1.0, 0),
        ("other_user", other, 0.0, 2),
    ):
        viewer = load_viewer(session=session, username=username)
        assert viewer is not None
        report = kpis_for_viewer(session=session, viewer=viewer, period=OCT, as_of=AS_OF)
        assert (report.community_code, report.community_name) == (community.code, community.name)
        assert report["timeliness_rate"].value == timeliness
        assert report["rectification_rate"].denominator == tickets


# --- the whole report and the trend ------------------------------------------------------------------------
def add_three_months(session: Session) -> Community:
    """September to November of one community, a bit of everything (worked out below)."""
    home = f.community(session)
    contract = f.contract(session, home)  # targets 0.95, 0.98, 0.9, 0.9, 4.5, 0.95
    clean = f.service_item(session, contract)  # 08:00–09:00
    f.plan_task(session, clean, D(2026, 9, 30), L(2026, 9, 30, 8, 30))  # Sep on time
    f.plan_task(session, clean, D(2026, 10, 1), L(2026, 10, 1, 8, 30))  # Oct on time
    f.plan_task(session, clean, D(2026, 10, 2), L(2026, 10, 2, 11, 0))  # Oct late
    f.plan_task(session, clean, D(2026, 10, 31))  # Oct never done
    f.plan_task(session, clean, D(2026, 11, 1), L(2026, 11, 1, 8, 5))  # Nov on time

    def order(created: dt.datetime, responded: dt.timedelta | None, completed: dt.timedelta | None) -> None:  # fmt: skip
        f.work_order(session, home, created_at=created,
                     responded_at=None if responded is None else created + responded,
                     completed_at=None if completed is None else created + completed)  # fmt: skip

    order(L(2026, 9, 30, 23, 59), 10 * M, 2 * H)  # Sep, met
    order(L(2026, 10, 1, 0, 0), 10 * M, 2 * H)  # Oct, met
    order(L(2026, 10, 15, 10), 45 * M, 2 * H)  # Oct, answered late
    order(L(2026, 10, 31, 23, 59), None, None)  # Oct, never answered: both deadlines passed
    order(L(2026, 11, 2, 10), 10 * M, 1 * H)  # Nov, met
    order(L(2026, 11, 20, 19), 10 * M, None)  # Nov, open, resolve by 11-23: not judged yet

    f.rectification_ticket(session, home, L(2026, 10, 3, 10), moves=(  # accepted +2 h, closed on time
        ("accepted", L(2026, 10, 3, 12)), ("in_progress", L(2026, 10, 3, 14)),
        ("awaiting_confirmation", L(2026, 10, 6, 10)), ("closed", L(2026, 10, 7, 10)),
    ))  # fmt: skip
    f.rectification_ticket(session, home, L(2026, 10, 20, 10), moves=(  # rejected after 30 h
        ("rejected", L(2026, 10, 21, 16)),
    ))  # fmt: skip
    f.rectification_ticket(session, home, L(2026, 11, 5, 10))  # Nov, still submitted

    f.rating(session, home, (5, 5, 5), L(2026, 9, 15, 10), replied_at=L(2026, 9, 15, 12))
    f.rating(session, home, (5, 4, 4), L(2026, 10, 10, 10), replied_at=L(2026, 10, 10, 11))
    f.rating(session, home, (2, 2, 2), L(2026, 10, 12, 10))  # never answered
    f.rating(session, home, (4, 4, 4), L(2026, 11, 3, 10), replied_at=L(2026, 11, 4, 16))
    return home


def test_the_whole_report(session: Session) -> None:
    home = add_three_months(session)
    report = compute_kpis(session=session, community_id=home.id, period=OCT, as_of=AS_OF)
    assert (report.community_code, report.period_label, report.as_of) == (
        home.code,
        "2026-10",
        AS_OF,
    )
    assert list(report.kpis) == list(KPI_KEYS)
    assert {key: figures(kpi) for key, kpi in report.kpis.items()} == {
        # due 10-01, 10-02, 10-31; on time 1, done 2; September 1/1
        "plan_completion_rate": (approx(1 / 3), 1, 3, 0.95, 1.0),
        "actual_completion_rate": (approx(2 / 3), 2, 3, 0.98, 1.0),
        # 3 orders, all judged (resolved or past deadline), met 1; September 1/1
        "timeliness_rate": (approx(1 / 3), 1, 3, 0.9, 1.0),
        # opened 2 (one rejected), closed 1; nothing in September
        "rectification_rate": (0.5, 1, 2, 0.9, None),
        # (5+4+4)/3 + 2 = 19/3 over 2 ratings → 19/6; September 5.0
        "satisfaction": (approx(19 / 6), approx(19 / 3), 2, 4.5, 5.0),
        # ratings: replied in 1 h (in time), never (due 10-13, late); tickets: accepted in 2 h
        # (in time), rejected after 30 h (late) → 2 of 4; September: 1 of 1
        "reply_timeliness_rate": (0.5, 2, 4, 0.95, 1.0),
    }
    assert report.satisfaction.good_share == 0.5  # 13/3 ≥ 4 yes, 2 no
    assert report.rectification.on_time_share == 0.5  # closed 10-07, fix due 10-10


def test_an_empty_period_is_no_data(session: Session) -> None:
    home = f.community(session)  # no contract, no data at all
    report = compute_kpis(session=session, community_id=home.id, period=OCT, as_of=AS_OF)
    assert {key: figures(kpi) for key, kpi in report.kpis.items()} == {
        key: (None, 0, 0, None, None) for key in KPI_KEYS
    }
    assert (report.satisfaction.good_share, report.rectification.on_time_share) == (None, None)
    assert all(kpi.change is None and kpi.meets_target is None for kpi in report.kpis.values())


def test_monthly_trend_equals_the_report_of_each_month(session: Session) -> None:
    home = add_three_months(session)
    months = [parse_period(label) for label in ("2026-08", "2026-09", "2026-10", "2026-11")]
    trend = monthly_trend(session=session, community_id=home.id, months=months, as_of=AS_OF)
    assert list(trend.columns) == ["period", "month_start", "kpi", "value", "numerator",
                                   "denominator", "pending", "partial"]  # fmt: skip
    assert list(zip(trend["period"], trend["kpi"], strict=True)) == [
        (month.label, key) for month in months for key in CORE_KPI_KEYS
    ]
    assert list(trend["month_start"].drop_duplicates()) == [month.start for month in months]
    for month in months:
        report = compute_kpis(session=session, community_id=home.id, period=month, as_of=AS_OF)
        rows = trend[trend["period"] == month.label].set_index("kpi")
        for key in CORE_KPI_KEYS:
            kpi, row = report[key], rows.loc[key]
            assert (row["numerator"], row["denominator"]) == (kpi.numerator, kpi.denominator)
            assert row["pending"] == kpi.pending
            assert row["partial"] == (month.label == "2026-11")  # AS_OF is in November
            if kpi.value is None:
                assert pd.isna(row["value"]), (month.label, key)
            else:
                assert row["value"] == pytest.approx(kpi.value), (month.label, key)
    # spot checks: November plan 1/1, timeliness 1/1 (the open order is not judged yet),
    # rectification 0/1; August has nothing at all
    november = trend[trend["period"] == "2026-11"].set_index("kpi")["value"].to_dict()
    assert november == {"plan_completion_rate": 1.0, "actual_completion_rate": 1.0,
                        "timeliness_rate": 1.0, "rectification_rate": 0.0}  # fmt: skip
    assert trend[trend["period"] == "2026-08"]["value"].isna().all()


def test_monthly_trend_refuses_overlapping_periods(session: Session) -> None:
    home = f.community(session)
    with pytest.raises(ValueError, match="overlap"):
        monthly_trend(session=session, community_id=home.id, months=[OCT, parse_period("2026-W44")],
                      as_of=AS_OF)  # fmt: skip
