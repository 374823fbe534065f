"""Plans page figures on a hand-built dataset (both engines).

Community in Asia/Shanghai; one daily item with the window 08:00–09:00 local = 00:00–01:00 UTC.
  2026-10-30  task A done 00:30 UTC (inside)          → on_time
  2026-10-30  task B done 05:00 UTC (after 01:00)      → late
  2026-10-31  task C not done                          → missed once 01:00 UTC has passed
  2026-10-31  task D cancelled                         → excluded
  2026-11-01  task E done on time                      → outside October
Another community has a task on 2026-10-30 that must never appear.
"""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

import pytest
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.models import Community, Photo, PhotoAttachment, PlanTask, ServiceItem, Staff
from data_access.periods import parse_period
from data_access.plans.plan_views import daily_completion, item_tasks, list_items
from tests.data_access import factories as f

AFTER = dt.datetime(2026, 11, 2)  # every window above has ended
DURING_31 = dt.datetime(2026, 10, 31, 0, 30)  # task C's window is still open


class Dataset(TypedDict):
    home: Community
    item: ServiceItem
    greening: ServiceItem
    other_item: ServiceItem


def _task(
    session: Session, item: ServiceItem, day: dt.date, seq: int = 0, **fields: object
) -> PlanTask:
    start = dt.datetime.combine(day, dt.time(0, 0))  # 08:00 local
    task = PlanTask(
        community_id=item.contract.community_id, item_id=item.id, due_date=day, seq=seq,
        window_start_at=start, window_end_at=start + dt.timedelta(hours=1), **fields,
    )  # fmt: skip
    session.add(task)
    session.flush()
    return task


@pytest.fixture
def dataset(session: Session) -> Dataset:
    home, other = f.community(session), f.community(session)
    item = f.service_item(session, f.contract(session, home), name="大堂保洁")
    greening = f.service_item(session, home.contracts[0], name="草坪修剪", category="greening")
    other_item = f.service_item(session, f.contract(session, other))
    guard = Staff(
        community_id=home.id, name="李建国", phone="13900001111", post="保洁", team="保洁一组"
    )
    session.add(guard)
    session.flush()
    a = _task(
        session,
        item,
        dt.date(2026, 10, 30),
        0,
        status="done",
        completed_at=dt.datetime(2026, 10, 30, 0, 30),
        assignee_id=guard.id,
    )
    _task(
        session,
        item,
        dt.date(2026, 10, 30),
        1,
        status="done",
        completed_at=dt.datetime(2026, 10, 30, 5, 0),
    )
    _task(session, item, dt.date(2026, 10, 31), 0)
    _task(session, item, dt.date(2026, 10, 31), 1, status="cancelled")
    _task(
        session,
        item,
        dt.date(2026, 11, 1),
        0,
        status="done",
        completed_at=dt.datetime(2026, 11, 1, 0, 10),
    )
    _task(
        session,
        other_item,
        dt.date(2026, 10, 30),
        0,
        status="done",
        completed_at=dt.datetime(2026, 10, 30, 0, 5),
    )
    photo = Photo(
        sha256="a" * 64,
        mime_type="image/jpeg",
        size_bytes=10,
        width=4,
        height=3,
        uploaded_at=dt.datetime(2026, 10, 30),
    )
    session.add(photo)
    session.flush()
    session.add(
        PhotoAttachment(
            photo_id=photo.id,
            kind="evidence",
            plan_task_id=a.id,
            caption="大堂地面",
            attached_at=dt.datetime(2026, 10, 30),
        )
    )
    session.commit()
    return {"home": home, "item": item, "greening": greening, "other_item": other_item}


def viewer(community_id: int, role: str = "owner") -> Viewer:
    return Viewer(
        account_id=1, username="u", display_name="u", role=role, community_id=community_id
    )


def test_daily_completion(session: Session, dataset: Dataset) -> None:
    home = dataset["home"]
    frame = daily_completion(
        session=session, viewer=viewer(home.id), period=parse_period("2026-10"), as_of=AFTER
    )
    rows = frame.assign(date=frame["date"].dt.date).to_dict("records")
    assert [
        (r["date"], r["due"], r["on_time"], r["late"], r["missed"], r["pending"]) for r in rows
    ] == [
        (dt.date(2026, 10, 30), 2, 1, 1, 0, 0),
        (dt.date(2026, 10, 31), 1, 0, 0, 1, 0),
    ]
    assert [r["plan_rate"] for r in rows] == [0.5, 0.0]
    assert [r["actual_rate"] for r in rows] == [1.0, 0.0]


def test_a_task_inside_its_window_is_pending_not_missed(session: Session, dataset: Dataset) -> None:
    home = dataset["home"]
    frame = daily_completion(
        session=session, viewer=viewer(home.id), period=parse_period("2026-10-31"), as_of=DURING_31
    )
    row = frame.iloc[0]
    assert (row["due"], row["missed"], row["pending"]) == (1, 0, 1)
    assert row["plan_rate"] != row["plan_rate"] or row["plan_rate"] is None  # NaN/None: no data yet


def test_category_filter_and_empty_period(session: Session, dataset: Dataset) -> None:
    home = dataset["home"]
    october = parse_period("2026-10")
    assert daily_completion(
        session=session, viewer=viewer(home.id), period=october, as_of=AFTER, category="greening"
    ).empty
    assert daily_completion(
        session=session, viewer=viewer(home.id), period=parse_period("2025-01"), as_of=AFTER
    ).empty
    names = [c.name for c in list_items(session=session, viewer=viewer(home.id), period=october)]
    assert names == ["大堂保洁", "草坪修剪"]
    assert [
        c.name
        for c in list_items(
            session=session, viewer=viewer(home.id), period=october, category="greening"
        )
    ] == ["草坪修剪"]


@pytest.mark.parametrize(
    ("role", "assignee"), [("owner", "李**"), ("committee", "李**"), ("manager", "李建国")]
)
def test_item_tasks_masks_the_assignee(
    session: Session, dataset: Dataset, role: str, assignee: str
) -> None:
    home, item = dataset["home"], dataset["item"]
    frame = item_tasks(
        session=session,
        viewer=viewer(home.id, role),
        item_id=item.id,
        period=parse_period("2026-10"),
        as_of=AFTER,
    )
    assert list(frame["outcome"]) == ["cancelled", "missed", "late", "on_time"]  # newest first
    on_time = frame[frame["outcome"] == "on_time"].iloc[0]
    assert on_time["assignee"] == assignee
    assert on_time["window_start"] == dt.datetime(2026, 10, 30, 8, 0)  # local time
    assert on_time["completed_at"] == dt.datetime(2026, 10, 30, 8, 30)
    assert [p.caption for p in on_time["photos"]] == ["大堂地面"]


def test_another_communitys_item_shows_nothing(session: Session, dataset: Dataset) -> None:
    home, other_item = dataset["home"], dataset["other_item"]
    frame = item_tasks(
        session=session,
        viewer=viewer(home.id),
        item_id=other_item.id,
        period=parse_period("2026-10"),
        as_of=AFTER,
    )
    assert frame.empty
