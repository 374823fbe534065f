"""Plan generation: recurrences, windows, validity ranges, time zones, idempotence."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from data_access.models import (
    Community,
    PatrolPlan,
    PatrolRoute,
    PatrolShift,
    PlanTask,
    ServiceContract,
    ServiceItem,
    Staff,
)
from data_access.plans.plans import change_service_item, generate_patrol_shifts, generate_plan_tasks

D = dt.date
T = dt.time


@pytest.fixture
def community(session: Session) -> Community:
    community = Community(code="TEST", name="测试小区", city="上海", address="测试路 1 号")
    session.add(community)
    session.flush()
    session.add(
        ServiceContract(
            community_id=community.id,
            code="TEST-2026",
            start_date=D(2025, 1, 1),
            end_date=D(2028, 12, 31),
            fee_per_m2_month=Decimal("2.50"),
            service_level="一级",
            target_plan_completion=0.95,
            target_actual_completion=0.98,
            target_timeliness=0.9,
            target_rectification=0.9,
            target_satisfaction=4.5,
            target_reply_timeliness=0.95,
        )
    )
    session.flush()
    return community


def add_item(session: Session, community: Community, code: str, **fields: object) -> ServiceItem:
    contract = community.contracts[0]
    values: dict[str, object] = {
        "name": code,
        "tier": "basic",
        "category": "cleaning",
        "standard": "地面无污渍",
        "recurrence": "daily",
        "window_start": T(8, 0),
        "window_end": T(9, 0),
        "expected_minutes": 30,
        "valid_from": D(2025, 1, 1),
    }
    values.update(fields)
    item = ServiceItem(contract_id=contract.id, code=code, **values)
    session.add(item)
    session.flush()
    return item


def tasks_of(session: Session, item: ServiceItem) -> list[PlanTask]:
    return list(
        session.scalars(
            select(PlanTask)
            .where(PlanTask.item_id == item.id)
            .order_by(PlanTask.due_date, PlanTask.seq)
        )
    )


def test_generating_twice_creates_nothing_new(session: Session, community: Community) -> None:
    add_item(session, community, "DAILY", times_per_day=2)
    add_item(session, community, "WEEKLY", recurrence="weekly", weekdays="1,4")
    first = generate_plan_tasks(
        session=session, community_id=community.id, start=D(2026, 3, 1), end=D(2026, 3, 31)
    )
    again = generate_plan_tasks(
        session=session, community_id=community.id, start=D(2026, 3, 1), end=D(2026, 3, 31)
    )
    wider = generate_plan_tasks(
        session=session, community_id=community.id, start=D(2026, 3, 1), end=D(2026, 4, 1)
    )
    assert (first, again, wider) == (31 * 2 + 9, 0, 2)


@pytest.mark.parametrize(
    ("month_days", "start", "end", "expected"),
    [
        ("31", D(2026, 4, 1), D(2026, 4, 30), [D(2026, 4, 30)]),
        ("30,31", D(2026, 4, 1), D(2026, 4, 30), [D(2026, 4, 30)]),
        ("30", D(2026, 2, 1), D(2026, 2, 28), [D(2026, 2, 28)]),
        ("29", D(2028, 2, 1), D(2028, 2, 29), [D(2028, 2, 29)]),
        (
            "1,15,31",
            D(2026, 1, 1),
            D(2026, 2, 28),
            [
                D(2026, 1, 1),
                D(2026, 1, 15),
                D(2026, 1, 31),
                D(2026, 2, 1),
                D(2026, 2, 15),
                D(2026, 2, 28),
            ],
        ),
    ],
)
def test_monthly_day_missing_from_month_falls_on_last_day(
    session: Session,
    community: Community,
    month_days: str,
    start: dt.date,
    end: dt.date,
    expected: list[dt.date],
) -> None:
    item = add_item(session, community, "MONTHLY", recurrence="monthly", month_days=month_days)
    generate_plan_tasks(session=session, community_id=community.id, start=start, end=end)
    assert [(t.due_date, t.seq) for t in tasks_of(session, item)] == [(d, 0) for d in expected]


def test_weekly_across_year_boundary(session: Session, community: Community) -> None:
    item = add_item(session, community, "WEEKLY", recurrence="weekly", weekdays="1,4")
    created = generate_plan_tasks(
        session=session, community_id=community.id, start=D(2026, 12, 28), end=D(2027, 1, 10)
    )
    days = [t.due_date for t in tasks_of(session, item)]
    assert days == [D(2026, 12, 28), D(2026, 12, 31), D(2027, 1, 4), D(2027, 1, 7)]
    assert created == 4


def test_daily_windows_split_evenly(session: Session, community: Community) -> None:
    item = add_item(
        session,
        community,
        "LOBBY",
        times_per_day=3,
        window_start=T(7, 0),
        window_end=T(22, 0),
        default_assignee_id=None,
    )
    generate_plan_tasks(
        session=session, community_id=community.id, start=D(2026, 6, 1), end=D(2026, 6, 1)
    )
    # Local 07:00–12:00, 12:00–17:00, 17:00–22:00 in Shanghai (UTC+8).
    assert [(t.seq, t.window_start_at, t.window_end_at) for t in tasks_of(session, item)] == [
        (0, dt.datetime(2026, 5, 31, 23, 0), dt.datetime(2026, 6, 1, 4, 0)),
        (1, dt.datetime(2026, 6, 1, 4, 0), dt.datetime(2026, 6, 1, 9, 0)),
        (2, dt.datetime(2026, 6, 1, 9, 0), dt.datetime(2026, 6, 1, 14, 0)),
    ]


def test_item_valid_to_limits_its_tasks(session: Session, community: Community) -> None:
    old = add_item(session, community, "OLD", valid_from=D(2025, 1, 1), valid_to=D(2026, 5, 10))
    new = add_item(session, community, "NEW", valid_from=D(2026, 5, 11))
    generate_plan_tasks(
        session=session, community_id=community.id, start=D(2026, 5, 1), end=D(2026, 5, 31)
    )
    old_days = [t.due_date for t in tasks_of(session, old)]
    new_days = [t.due_date for t in tasks_of(session, new)]
    assert (old_days[0], old_days[-1], len(old_days)) == (D(2026, 5, 1), D(2026, 5, 10), 10)
    assert (new_days[0], new_days[-1], len(new_days)) == (D(2026, 5, 11), D(2026, 5, 31), 21)


def test_tasks_stay_inside_the_contract_period(session: Session, community: Community) -> None:
    item = add_item(session, community, "DAILY")
    generate_plan_tasks(
        session=session, community_id=community.id, start=D(2028, 12, 30), end=D(2029, 1, 2)
    )
    assert [t.due_date for t in tasks_of(session, item)] == [D(2028, 12, 30), D(2028, 12, 31)]


def test_local_midnight_is_previous_day_in_utc(session: Session, community: Community) -> None:
    item = add_item(
        session,
        community,
        "NIGHT",
        window_start=T(0, 30),
        window_end=T(1, 30),
        default_assignee_id=None,
    )
    generate_plan_tasks(
        session=session, community_id=community.id, start=D(2026, 10, 1), end=D(2026, 10, 1)
    )
    [task] = tasks_of(session, item)
    assert (task.due_date, task.window_start_at, task.window_end_at) == (
        D(2026, 10, 1),
        dt.datetime(2026, 9, 30, 16, 30),
        dt.datetime(2026, 9, 30, 17, 30),
    )


def test_patrol_shifts_per_slot_and_idempotent(session: Session, community: Community) -> None:
    route = PatrolRoute(community_id=community.id, name="夜间巡逻")
    session.add(route)
    session.flush()
    plan = PatrolPlan(
        community_id=community.id,
        route_id=route.id,
        name="夜巡",
        post="保安",
        times_per_day=2,
        time_slots="08:00-08:40,23:40-00:20",
        expected_minutes=40,
        expected_distance_m=1200,
        valid_from=D(2026, 1, 1),
        valid_to=D(2026, 1, 2),
    )
    session.add(plan)
    session.flush()
    guard = Staff(
        community_id=community.id, name="王强", phone="13800000000", post="保安", team="安防一班"
    )
    session.add(guard)
    session.flush()
    guards = {0: guard.id, 1: None}
    created = generate_patrol_shifts(
        session=session,
        community_id=community.id,
        start=D(2025, 12, 31),
        end=D(2026, 1, 5),
        guard_for=lambda p, day, slot: guards[slot],
    )
    again = generate_patrol_shifts(
        session=session, community_id=community.id, start=D(2025, 12, 31), end=D(2026, 1, 5)
    )
    shifts = session.scalars(
        select(PatrolShift).order_by(PatrolShift.shift_date, PatrolShift.slot_no)
    ).all()
    assert (created, again) == (4, 0)
    assert [
        (s.shift_date, s.slot_no, s.guard_id, s.planned_start_at, s.planned_end_at)
        for s in shifts[:2]
    ] == [
        (D(2026, 1, 1), 0, guard.id, dt.datetime(2026, 1, 1, 0, 0), dt.datetime(2026, 1, 1, 0, 40)),
        (D(2026, 1, 1), 1, None, dt.datetime(2026, 1, 1, 15, 40), dt.datetime(2026, 1, 1, 16, 20)),
    ]


def test_a_year_for_one_community_is_written_in_batches(
    session: Session, community: Community
) -> None:
    """A year of 36 tasks a day (13,140) is written in a few batched statements, not a
    statement per task — what keeps generation fast is a property of the code, checked here;
    its time is measured in the benchmark, not asserted in a test (machines here are noisy)."""
    for n in range(18):
        add_item(session, community, f"I{n}", times_per_day=1 + n % 3)
    statements: list[str] = []

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        created = generate_plan_tasks(
            session=session, community_id=community.id, start=D(2026, 1, 1), end=D(2026, 12, 31)
        )
        session.flush()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert created == 365 * 36
    assert len(statements) < 100, len(statements)  # per-task inserts would be 13,140


def test_a_changed_item_affects_only_future_tasks(session: Session, community: Community) -> None:
    """Once a day in October; from 10-16 on, twice a day. Tasks up to 10-15 keep their ids and
    windows; 10-16 … 10-31 get two windows each; a task already done on 10-20 is kept."""
    item = add_item(session, community, "CL-CHANGE")
    generate = lambda: generate_plan_tasks(  # noqa: E731
        session=session, community_id=community.id, start=D(2026, 10, 1), end=D(2026, 10, 31)
    )
    assert generate() == 31
    before = {
        (t.due_date, t.id, t.window_start_at)
        for t in tasks_of(session, item)
        if t.due_date <= D(2026, 10, 15)
    }
    done_early = next(t for t in tasks_of(session, item) if t.due_date == D(2026, 10, 20))
    done_early.status, done_early.completed_at = "done", dt.datetime(2026, 10, 14, 0, 30)
    session.flush()

    new = change_service_item(
        session=session, item_id=item.id, effective_from=D(2026, 10, 16), times_per_day=2
    )

    assert (item.valid_to, new.valid_from, new.code, new.times_per_day) == (
        D(2026, 10, 15),
        D(2026, 10, 16),
        "CL-CHANGE",
        2,
    )
    assert {(t.due_date, t.id, t.window_start_at) for t in tasks_of(session, item)} == before
    later = tasks_of(session, new)
    per_day = Counter(t.due_date for t in later)
    assert set(per_day) == {D(2026, 10, d) for d in range(16, 32)} and set(per_day.values()) == {2}
    assert done_early in later and done_early.seq == 0  # kept, now part of the new version
    # Generating October again creates nothing: the past keeps its shape.
    assert generate() == 0


@pytest.mark.parametrize(
    ("changes", "effective_from", "message"),
    [
        ({"contract_id": 99}, D(2026, 10, 1), "cannot change"),
        ({"times_per_day": 2}, D(2025, 1, 1), "after"),
    ],
)
def test_bad_item_changes_are_refused(
    session: Session,
    community: Community,
    changes: dict[str, object],
    effective_from: dt.date,
    message: str,
) -> None:
    item = add_item(session, community, "CL-BAD")
    with pytest.raises(ValueError, match=message):
        change_service_item(
            session=session, item_id=item.id, effective_from=effective_from, **changes
        )
