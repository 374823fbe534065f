"""Service history on a hand-built dataset (both engines).

October 2026 in Asia/Shanghai, public orders unless noted (UTC times; local = UTC+8):
  A  created 10-01 00:00 local (09-30 16:00 UTC), responded in 10 min, completed after 5 h  → on time
  B  created 10-10 02:00 UTC, responded after 45 min (late), completed after 2 h            → late
  C  created 10-31 15:59 UTC (23:59 local, last minute of October), open, deadlines ahead   → undecided
  D  created 11-01 00:00 local (10-31 16:00 UTC)                                             → November
  E  private order in October                                                                → never here
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Unpack

import openpyxl
import pandas as pd
import pytest
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.orders.history import export_csv, export_excel, list_history, summarize_by_bucket
from data_access.periods import parse_period
from tests.data_access import factories as f

NOW = dt.datetime(2026, 10, 31, 16, 10)  # C is 11 minutes old: its deadlines are ahead
M = dt.timedelta(minutes=1)
H = dt.timedelta(hours=1)


class OrderFields(f.OrderFields, total=False):
    """``f.work_order``'s arguments besides the community, ``created_at`` and ``title``."""

    order_type: str
    description: str
    completed_at: dt.datetime | None


@pytest.fixture
def viewer(session: Session) -> Viewer:
    home, other = f.community(session), f.community(session)

    def order(created: dt.datetime, title: str, **fields: Unpack[OrderFields]) -> None:
        f.work_order(session, home, created_at=created, title=title, **fields)

    a = dt.datetime(2026, 9, 30, 16, 0)
    order(a, "电梯按钮失灵", responded_at=a + 10 * M, completed_at=a + 5 * H, description="3栋电梯")
    b = dt.datetime(2026, 10, 10, 2, 0)
    order(b, "草坪100%枯黄_需补种", responded_at=b + 45 * M, completed_at=b + 2 * H)
    order(dt.datetime(2026, 10, 31, 15, 59), "路灯不亮", order_type="complaint")
    order(dt.datetime(2026, 10, 31, 16, 0), "十一月的工单")
    order(dt.datetime(2026, 10, 5), "户内漏水", visibility="private")
    f.work_order(session, other, created_at=dt.datetime(2026, 10, 5), title="别的小区电梯")
    session.commit()
    return Viewer(account_id=1, username="u", display_name="u", role="owner", community_id=home.id)


def test_month_holds_public_orders_created_in_local_october(
    session: Session, viewer: Viewer
) -> None:
    frame = list_history(session=session, viewer=viewer, period=parse_period("2026-10"), now=NOW)
    assert list(frame["title"]) == ["路灯不亮", "草坪100%枯黄_需补种", "电梯按钮失灵"]
    assert list(frame["status"]) == ["open", "completed", "completed"]
    assert frame["handling_hours"].tolist()[1:] == [2.0, 5.0]
    on_time = frame["on_time"]
    assert on_time.isna().tolist() == [True, False, False]  # the open order is undecided
    assert on_time.dropna().tolist() == [False, True]
    assert frame["created_at"].iloc[-1] == dt.datetime(2026, 10, 1, 0, 0)  # local time


@pytest.mark.parametrize(
    ("search", "titles"),
    [("电梯", ["电梯按钮失灵"]),  # title
     ("3栋", ["电梯按钮失灵"]),  # description
     ("100%", ["草坪100%枯黄_需补种"]),  # a LIKE wildcard taken literally
     ("_", ["草坪100%枯黄_需补种"]),
     ("漏水", [])],  # the private order is never history
)  # fmt: skip
def test_search_is_literal(
    session: Session, viewer: Viewer, search: str, titles: list[str]
) -> None:
    frame = list_history(
        session=session, viewer=viewer, period=parse_period("2026-10"), now=NOW, search=search
    )
    assert list(frame["title"]) == titles


def test_buckets_and_exports(session: Session, viewer: Viewer) -> None:
    october = parse_period("2026-10")
    frame = list_history(session=session, viewer=viewer, period=october, now=NOW)
    buckets = summarize_by_bucket(frame, october)
    first = buckets[buckets["bucket"] == pd.Timestamp("2026-10-01")].iloc[0]
    assert (
        first["order_type"],
        first["orders"],
        first["median_hours"],
        first["on_time_share"],
    ) == ("repair", 1, 5.0, 1.0)
    assert int(buckets["orders"].sum()) == 3

    csv = export_csv(frame)
    assert csv.startswith(b"\xef\xbb\xbf") and "草坪100%枯黄_需补种" in csv.decode("utf-8-sig")
    book = openpyxl.load_workbook(io.BytesIO(export_excel(frame, "服务记录")))
    sheet = book["服务记录"]
    assert [c.value for c in sheet[1]][:3] == ["order_id", "code", "created_at"]
    assert sheet.max_row == 4  # header + 3 orders


def test_exports_keep_formulas_typed_by_owners_as_text() -> None:
    frame = pd.DataFrame(
        {"title": ['=HYPERLINK("http://evil.example","点我")', "+1", "正常标题"], "n": [1, 2, 3]}
    )
    lines = export_csv(frame).decode("utf-8-sig").splitlines()
    assert lines[1].startswith("\"'=HYPERLINK(") and lines[2].startswith("'+1")
    assert lines[3] == "正常标题,3"
    sheet = openpyxl.load_workbook(io.BytesIO(export_excel(frame, "服务记录")))["服务记录"]
    assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("=HYPERLINK(")
    assert sheet["A4"].value == "正常标题"


def test_a_year_is_bucketed_by_month(session: Session, viewer: Viewer) -> None:
    year = parse_period("2026")
    buckets = summarize_by_bucket(
        list_history(session=session, viewer=viewer, period=year, now=NOW), year
    )
    assert sorted(set(buckets["bucket"])) == [
        pd.Timestamp("2026-10-01"),
        pd.Timestamp("2026-11-01"),
    ]
    assert buckets.groupby("bucket")["orders"].sum().tolist() == [3, 1]
