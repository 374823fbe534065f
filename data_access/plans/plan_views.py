"""What the Plans page (服务计划) shows: daily completion, one item's tasks with evidence.

A task's outcome, as of a moment: ``on_time`` (done inside its window), ``late`` (done after it),
``missed`` (not done and its window has ended), ``pending`` (not done, window not over yet),
``cancelled``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.accounts.privacy import person_for
from data_access.models import (
    Community,
    Photo,
    PhotoAttachment,
    PlanTask,
    ServiceContract,
    ServiceItem,
    Staff,
)
from data_access.periods import Period
from data_access.timestamps import DEFAULT_TIME_ZONE, stored_to_local

TASK_OUTCOMES = ("on_time", "late", "missed", "pending", "cancelled")


def task_outcome(as_of: dt.datetime) -> ColumnElement[str]:
    """SQL expression classifying a PlanTask row (see the module docstring)."""
    return case(
        (PlanTask.status == "cancelled", "cancelled"),
        (
            and_(
                PlanTask.completed_at.is_not(None),
                PlanTask.completed_at >= PlanTask.window_start_at,
                PlanTask.completed_at <= PlanTask.window_end_at,
            ),
            "on_time",
        ),
        (PlanTask.completed_at.is_not(None), "late"),
        (PlanTask.window_end_at < as_of, "missed"),
        else_="pending",
    )


@dataclass(frozen=True)
class ItemChoice:
    item_id: int
    code: str
    name: str
    category: str
    tier: str


def list_items(
    *, session: Session, viewer: Viewer, period: Period, category: str | None = None
) -> list[ItemChoice]:
    """Service items of the viewer's community that have tasks due in ``period``."""
    query = (
        select(
            ServiceItem.id,
            ServiceItem.code,
            ServiceItem.name,
            ServiceItem.category,
            ServiceItem.tier,
        )
        .join(ServiceContract, ServiceItem.contract_id == ServiceContract.id)
        .where(
            ServiceContract.community_id == viewer.community_id,
            ServiceItem.valid_from <= period.end,
            (ServiceItem.valid_to.is_(None)) | (ServiceItem.valid_to >= period.start),
        )
        .order_by(ServiceItem.category, ServiceItem.code)
    )
    if category:
        query = query.where(ServiceItem.category == category)
    return [ItemChoice(*row) for row in session.execute(query)]


def daily_completion(
    *,
    session: Session,
    viewer: Viewer,
    period: Period,
    as_of: dt.datetime,
    category: str | None = None,
) -> pd.DataFrame:
    """Per local date in ``period``: tasks due (cancelled excluded) and their outcomes.

    Columns: date, due, on_time, late, missed, pending, plan_rate, actual_rate. Rates are over
    the tasks whose outcome is known (due − pending); None when nothing is due yet.
    """
    outcome = task_outcome(as_of)
    counts = [func.sum(case((outcome == name, 1), else_=0)).label(name) for name in TASK_OUTCOMES]
    query = (
        select(PlanTask.due_date, func.count().label("all_tasks"), *counts)
        .join(ServiceItem, PlanTask.item_id == ServiceItem.id)
        .where(
            PlanTask.community_id == viewer.community_id,
            PlanTask.due_date >= period.start,
            PlanTask.due_date <= period.end,
        )
        .group_by(PlanTask.due_date)
        .order_by(PlanTask.due_date)
    )
    if category:
        query = query.where(ServiceItem.category == category)
    rows = session.execute(query).all()
    frame = pd.DataFrame(rows, columns=["date", "all_tasks", *TASK_OUTCOMES])
    frame["date"] = pd.to_datetime(frame["date"])
    for name in TASK_OUTCOMES:
        frame[name] = frame[name].astype(int)
    frame["due"] = frame["all_tasks"] - frame["cancelled"]
    decided = frame["due"] - frame["pending"]
    frame["plan_rate"] = (frame["on_time"] / decided).where(decided > 0)
    frame["actual_rate"] = ((frame["on_time"] + frame["late"]) / decided).where(decided > 0)
    return frame[
        ["date", "due", "on_time", "late", "missed", "pending", "plan_rate", "actual_rate"]
    ]


@dataclass(frozen=True)
class TaskPhoto:
    sha256: str
    mime_type: str
    caption: str


def item_tasks(
    *, session: Session, viewer: Viewer, item_id: int, period: Period, as_of: dt.datetime
) -> pd.DataFrame:
    """The tasks of one item in ``period``, newest first, with evidence photos.

    Columns: task_id, due_date, window_start, window_end, completed_at (local times),
    assignee (masked unless the viewer is a manager), outcome, photos (list of TaskPhoto).
    An item of another community gives an empty frame.
    """
    zone = ZoneInfo(
        session.scalar(select(Community.time_zone).where(Community.id == viewer.community_id))
        or DEFAULT_TIME_ZONE
    )
    rows = session.execute(
        select(
            PlanTask.id,
            PlanTask.due_date,
            PlanTask.window_start_at,
            PlanTask.window_end_at,
            PlanTask.completed_at,
            Staff.name,
            task_outcome(as_of),
        )
        .outerjoin(Staff, PlanTask.assignee_id == Staff.id)
        .where(
            PlanTask.community_id == viewer.community_id,
            PlanTask.item_id == item_id,
            PlanTask.due_date >= period.start,
            PlanTask.due_date <= period.end,
        )
        .order_by(PlanTask.window_start_at.desc(), PlanTask.seq.desc())
    ).all()
    photos = _task_photos(session=session, task_ids=[row[0] for row in rows])
    return pd.DataFrame(
        [
            {
                "task_id": task_id,
                "due_date": due_date,
                "window_start": stored_to_local(start, zone),
                "window_end": stored_to_local(end, zone),
                "completed_at": stored_to_local(completed, zone),
                "assignee": person_for(viewer, name) if name else "",
                "outcome": outcome,
                "photos": photos.get(task_id, []),
            }
            for task_id, due_date, start, end, completed, name, outcome in rows
        ],
        columns=[
            "task_id", "due_date", "window_start", "window_end", "completed_at",
            "assignee", "outcome", "photos",
        ],
    )  # fmt: skip


def _task_photos(*, session: Session, task_ids: list[int]) -> dict[int, list[TaskPhoto]]:
    if not task_ids:
        return {}
    result: dict[int, list[TaskPhoto]] = {}
    rows = session.execute(
        select(PhotoAttachment.plan_task_id, Photo.sha256, Photo.mime_type, PhotoAttachment.caption)
        .join(Photo, PhotoAttachment.photo_id == Photo.id)
        .where(PhotoAttachment.plan_task_id.in_(task_ids))
        .order_by(PhotoAttachment.id)
    )
    for task_id, sha256, mime_type, caption in rows:
        if task_id is not None:
            result.setdefault(task_id, []).append(TaskPhoto(sha256, mime_type, caption))
    return result
