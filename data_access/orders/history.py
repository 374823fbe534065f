"""Service history (服务记录): public work orders over any period, searchable and exportable.

Only public-area orders are history for the community; in-home orders stay with their reporter.
For everyone but managers, names and personal data typed into titles and locations are masked
(``privacy.public_text_masker``), in the list and in its exports alike.
Handling time = completion − creation; an order is on time when it met both its response and
its resolution deadline (judged once both are decided, as for 服务及时率).
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.accounts.privacy import public_text_masker, sees_unmasked
from data_access.communities import community_zone
from data_access.models import WorkOrder
from data_access.orders import deadlines
from data_access.periods import Period, TimeGrain, bucket_grain
from data_access.timestamps import local_date, stored_to_local

MAX_ROWS = 5000  # what one screen or one export holds
HISTORY_COLUMNS = [
    "order_id", "code", "created_at", "order_type", "category", "title", "location",
    "status", "handling_hours", "on_time", "timeliness",
]  # fmt: skip


def history_span(*, session: Session, community_id: int) -> tuple[dt.date, dt.date] | None:
    """The first and last local day on which a public order of the community was created (None
    without any; the same for everyone there): the History page lets the viewer pick any day in
    between, however old an import is."""
    first, last = session.execute(
        select(func.min(WorkOrder.created_at), func.max(WorkOrder.created_at)).where(
            WorkOrder.community_id == community_id, WorkOrder.visibility == "public"
        )
    ).one()
    if first is None or last is None:
        return None
    local = community_zone(session, community_id)
    return local_date(first, local), local_date(last, local)


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_history(
    *,
    session: Session,
    viewer: Viewer,
    period: Period,
    now: dt.datetime,
    search: str = "",
    order_type: str | None = None,
    category: str | None = None,
) -> pd.DataFrame:
    """Public orders of the viewer's community created in ``period``, newest first.

    ``search`` matches titles and descriptions (any characters, taken literally). Times are
    local. ``status`` is "completed" or "open"; ``timeliness`` is the deadlines' outcome as of
    ``now`` (``data_access.orders.deadlines``: met, missed, pending, unknown) and ``on_time``
    True/False for met/missed, NA while pending or when the source cannot tell.
    """
    local = community_zone(session, viewer.community_id)
    start, end = period.utc_bounds(local)
    query = (
        select(
            WorkOrder.id,
            WorkOrder.code,
            WorkOrder.created_at,
            WorkOrder.order_type,
            WorkOrder.category,
            WorkOrder.title,
            WorkOrder.location,
            WorkOrder.completed_at,
            WorkOrder.responded_at,
            WorkOrder.response_recorded,
            WorkOrder.respond_due_at,
            WorkOrder.resolve_due_at,
        )
        .where(
            WorkOrder.community_id == viewer.community_id,
            WorkOrder.visibility == "public",
            WorkOrder.created_at >= start,
            WorkOrder.created_at < end,
        )
        .order_by(WorkOrder.created_at.desc(), WorkOrder.id.desc())
        .limit(MAX_ROWS)
    )
    if search.strip():
        pattern = _like_pattern(search.strip())
        query = query.where(
            or_(
                WorkOrder.title.like(pattern, escape="\\"),
                WorkOrder.description.like(pattern, escape="\\"),
            )
        )
    if order_type:
        query = query.where(WorkOrder.order_type == order_type)
    if category:
        query = query.where(WorkOrder.category == category)
    masked = public_text_masker(session, viewer.community_id, unmasked=sees_unmasked(viewer))
    rows = []
    for (order_id, code, created, kind, cat, title, location, completed, responded,
         recorded, respond_due, resolve_due) in session.execute(query):  # fmt: skip
        outcome = deadlines.judge(
            responded_at=responded, response_recorded=recorded, respond_due_at=respond_due,
            completed_at=completed, resolve_due_at=resolve_due, as_of=now,
        )  # fmt: skip
        rows.append(
            {
                "order_id": order_id,
                "code": code,
                "created_at": stored_to_local(created, local),
                "order_type": kind,
                "category": cat,
                "title": masked(title),
                "location": masked(location),
                "status": "completed" if completed else "open",
                "handling_hours": (completed - created).total_seconds() / 3600
                if completed
                else None,
                "on_time": {"met": True, "missed": False}.get(outcome),
                "timeliness": outcome,
            }
        )
    frame = pd.DataFrame(rows, columns=HISTORY_COLUMNS)
    frame["handling_hours"] = frame["handling_hours"].astype("float64")
    frame["on_time"] = frame["on_time"].astype("boolean")
    return frame


def summarize_by_bucket(history: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Per sub-period (``periods.bucket_grain``: hours of a day, days of a week or month,
    months of a year, a range by its length): orders by type, median handling hours and
    on-time share. Columns: bucket, order_type, orders, median_hours, on_time_share (the last
    two repeat per bucket)."""
    if history.empty:
        return pd.DataFrame(
            columns=["bucket", "order_type", "orders", "median_hours", "on_time_share"]
        )
    frequency = _PANDAS_FREQUENCY[bucket_grain(period)]
    frame = history.assign(bucket=history["created_at"].dt.to_period(frequency).dt.start_time)
    counts = frame.groupby(["bucket", "order_type"]).size().rename("orders").reset_index()
    per_bucket = frame.groupby("bucket").agg(
        median_hours=("handling_hours", "median"),
        on_time_share=("on_time", lambda s: s.dropna().mean() if s.notna().any() else None),
    )
    return counts.merge(per_bucket.reset_index(), on="bucket")


_PANDAS_FREQUENCY: dict[TimeGrain, str] = {"hour": "h", "day": "D", "month": "M", "year": "Y"}


# A cell starting with one of these is a formula to a spreadsheet ("CSV injection"): a title
# typed as =HYPERLINK(…) would run when the committee opens the export.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a BOM, so that Excel opens Chinese text correctly. Text that a spreadsheet
    would read as a formula gets a leading apostrophe (shown by Excel as plain text)."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].map(lambda v: isinstance(v, str)).any():
            safe[column] = safe[column].map(
                lambda v: f"'{v}" if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v
            )
    return safe.to_csv(index=False).encode("utf-8-sig")


def export_excel(frame: pd.DataFrame, sheet: str) -> bytes:
    """One sheet; text cells are stored as text, never as formulas."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=sheet[:31])
        for row in writer.sheets[sheet[:31]].iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    cell.data_type = "s"
    return buffer.getvalue()
