"""Work-order imports: the date parser, mapping checks, and imports on both engines.

Times in files are Asia/Shanghai (UTC+8) unless a test says otherwise; ``U(...)`` is the
stored naive-UTC form of a UTC wall-clock time, ``L(...)`` of a local one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.accounts.auth import load_viewer
from data_access.errors import DomainError, NotAllowed
from data_access.flows import derive_progress
from data_access.imports.order_import import (
    DateParseError,
    ImportMapping,
    ImportReport,
    RowIssue,
    import_orders,
    import_orders_for_viewer,
    load_mapping,
    parse_mapping,
    parse_moment,
    read_source,
    shipped_mappings,
)
from data_access.models import Community, WorkOrder, WorkOrderEvent
from tests.data_access import factories as f

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "imports" / "samples"
L = f.local
U = dt.datetime
SH = "Asia/Shanghai"

MAPPING = """
[source]
name = "测试系统"
encoding = "{encoding}"
time_zone = "Asia/Shanghai"
month_first = {month_first}
{extra}

[columns]
external_id = "编号"
created_at = "创建时间"
answered_at = "响应时间"
closed_at = "完成时间"
type = "类型"
category = "类别"
priority = "紧急程度"
title = "标题"
description = "内容"
location = "位置"
status = "状态"

[values.type]
"报修" = "repair"
"投诉" = "complaint"
"有偿服务" = "brand_service"

[values.category]
"水电" = "plumbing"
"电梯" = "elevator"

[values.priority]
"紧急" = "urgent"
"一般" = "normal"

[values.status]
"处理中" = "in_progress"
"已派工" = "dispatched"
"已完成" = "closed"
"未处理" = "open"
"作废" = "skip"
"""
HEADER = ["编号", "创建时间", "响应时间", "完成时间", "类型", "类别", "紧急程度", "标题", "内容", "位置", "状态"]  # fmt: skip


def mapping(encoding: str = "auto", month_first: bool = False, extra: str = "") -> ImportMapping:
    text = MAPPING.format(encoding=encoding, month_first=str(month_first).lower(), extra=extra)
    return parse_mapping(text, name="test.toml")


def row(
    external_id: str = "A1",
    created: str = "2026/10/9 10:00:00",
    answered: str = "",
    closed: str = "",
    order_type: str = "报修",
    category: str = "水电",
    priority: str = "一般",
    title: str = "楼道漏水",
    description: str = "",
    location: str = "3栋",
    status: str = "",
) -> list[str]:
    return [external_id, created, answered, closed, order_type, category, priority, title,
            description, location, status]  # fmt: skip


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def run(
    session: Session,
    community: Community,
    data: bytes,
    the_mapping: ImportMapping | None = None,
    dry_run: bool = False,
) -> ImportReport:
    return import_orders(
        session=session, community_id=community.id, data=data,
        mapping=the_mapping or mapping(), file_name="test.csv", dry_run=dry_run,
    )  # fmt: skip


def issues(found: tuple[RowIssue, ...]) -> list[tuple[int, str, str, dict[str, object]]]:
    return [(i.line, i.external_id, i.key, i.params) for i in found]


def snapshot(session: Session) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every work order and event column, for comparing whole tables."""
    session.expire_all()
    orders = [
        tuple(getattr(o, c.key) for c in WorkOrder.__table__.columns)
        for o in session.scalars(select(WorkOrder).order_by(WorkOrder.id))
    ]
    events = [
        tuple(getattr(e, c.key) for c in WorkOrderEvent.__table__.columns)
        for e in session.scalars(select(WorkOrderEvent).order_by(WorkOrderEvent.id))
    ]
    return orders, events


def events_of(session: Session, order: WorkOrder) -> list[tuple[str, dt.datetime]]:
    return [
        (e.stage, e.occurred_at)
        for e in session.scalars(
            select(WorkOrderEvent)
            .where(WorkOrderEvent.work_order_id == order.id)
            .order_by(WorkOrderEvent.id)
        )
    ]


def order_by_external_id(session: Session, external_id: str) -> WorkOrder:
    return session.scalars(select(WorkOrder).where(WorkOrder.external_id == external_id)).one()


# --- dates (pure) ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "month_first", "expected"),
    [
        ("2019/4/8 8:37:09", False, U(2019, 4, 8, 0, 37, 9)),
        ("2019/4/8 8:37", False, U(2019, 4, 8, 0, 37)),
        ("2019-04-08T08:37:09", False, U(2019, 4, 8, 0, 37, 9)),
        ("2019-04-08 08:37", False, U(2019, 4, 8, 0, 37)),
        ("2019-04-08 8:37", False, U(2019, 4, 8, 0, 37)),
        ("2019-04-08T08:37:09+00:00", False, U(2019, 4, 8, 8, 37, 9)),  # explicit offset kept
        ("2019-04-08T08:37:09Z", False, U(2019, 4, 8, 8, 37, 9)),
        ("2019-04-08", False, U(2019, 4, 7, 16, 0)),  # date only: local midnight
        ("2019/4/8", False, U(2019, 4, 7, 16, 0)),
        ("2019年4月8日 下午3:05", False, U(2019, 4, 8, 7, 5)),
        ("06/26/2018 10:58:54 AM", True, U(2018, 6, 26, 2, 58, 54)),
        ("06/26/2018 10:58:54 PM", True, U(2018, 6, 26, 14, 58, 54)),
        ("12/01/2018 12:05 AM", True, U(2018, 11, 30, 16, 5)),  # 12 AM is midnight
        ("12/01/2018 12:05 PM", True, U(2018, 12, 1, 4, 5)),  # 12 PM is noon
        ("26/06/2018 10:58:54", False, U(2018, 6, 26, 2, 58, 54)),
        ("06/07/2018", True, U(2018, 6, 6, 16, 0)),  # June 7th
        ("06/07/2018", False, U(2018, 7, 5, 16, 0)),  # 6 July
        (43466.5, False, U(2019, 1, 1, 4, 0)),  # Excel serial: 2019-01-01 12:00 local
        ("43466.5", False, U(2019, 1, 1, 4, 0)),
        (43466, False, U(2018, 12, 31, 16, 0)),
        (43466.37361111111, False, U(2019, 1, 1, 0, 58)),  # rounded to the second
        (dt.datetime(2019, 1, 1, 12, 0), False, U(2019, 1, 1, 4, 0)),  # an Excel date cell
        (dt.date(2019, 1, 1), False, U(2018, 12, 31, 16, 0)),
        ("", False, None),
        ("   ", False, None),
        (None, False, None),
    ],
)
def test_parse_moment(value: object, month_first: bool, expected: dt.datetime | None) -> None:
    assert parse_moment(value, time_zone=SH, month_first=month_first) == expected


@pytest.mark.parametrize(
    ("value", "month_first"),
    [
        ("06/26/2018 10:58:54 AM", False),  # day-first: there is no 26th month
        ("2019/13/01", False),
        ("2019/2/30 10:00", False),
        ("2019/4/8 25:00", False),
        ("2019/4/8 13:00 PM", False),
        ("9月15日上午10点", False),
        ("yesterday", False),
        (0, False),  # serial 0 is not a real date
        (3_000_000, False),
    ],
)
def test_unparseable_dates(value: object, month_first: bool) -> None:
    with pytest.raises(DateParseError):
        parse_moment(value, time_zone=SH, month_first=month_first)


def test_explicit_format_is_strict() -> None:
    formats = ("%d.%m.%Y %H:%M",)
    assert parse_moment("08.04.2019 08:37", time_zone=SH, formats=formats) == U(2019, 4, 8, 0, 37)
    with pytest.raises(DateParseError):
        parse_moment("2019/4/8 8:37:09", time_zone=SH, formats=formats)


def test_time_zone_of_the_mapping() -> None:
    # London is on summer time (UTC+1) in April.
    assert parse_moment("2019-04-08 08:00", time_zone="Europe/London") == U(2019, 4, 8, 7, 0)


# --- mappings (pure) -----------------------------------------------------------------------------
def test_shipped_mappings_are_valid() -> None:
    assert set(shipped_mappings()) == {"legacy_cn", "us_export"}
    legacy = load_mapping("legacy_cn")
    assert (legacy.encoding, legacy.month_first, legacy.time_zone) == ("gbk", False, SH)
    assert legacy.columns["external_id"] == "工单编号"
    us = load_mapping(ROOT / "imports" / "mappings" / "us_export.toml")
    assert us.month_first is True and us.values["priority"]["high"] == "urgent"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[columns\n", "imports.mapping_syntax"),
        ('[colums]\nexternal_id = "a"', "imports.mapping_unknown_section"),
        ('[source]\nzone = "x"\n[columns]\nexternal_id = "a"\ncreated_at = "b"\ntype = "c"',
         "imports.mapping_unknown_key"),
        ('[columns]\nexternal_id = "a"\ncreated_at = "b"\ntype = "c"\nreporter = "d"',
         "imports.mapping_unknown_field"),
        ('[columns]\nexternal_id = "a"\ntype = "c"', "imports.mapping_missing_field"),
        ('[columns]\nexternal_id = "a"\ncreated_at = "b"', "imports.mapping_no_type"),
        ('[source]\nencoding = "latin-1"\n[columns]\nexternal_id = "a"\ncreated_at = "b"\n'
         'type = "c"', "imports.mapping_bad_value"),
        ('[source]\ntime_zone = "Mars/Olympus"\n[columns]\nexternal_id = "a"\ncreated_at = "b"\n'
         'type = "c"', "imports.mapping_bad_value"),
        ('[columns]\nexternal_id = "a"\ncreated_at = "b"\ntype = "c"\n[values.category]\n'
         '"水电" = "water"', "imports.mapping_bad_value"),
        ('[columns]\nexternal_id = "a"\ncreated_at = "b"\ntype = "c"\n[values.reporter]\n'
         '"x" = "y"', "imports.mapping_unknown_field"),
    ],
)  # fmt: skip
def test_bad_mappings_are_refused_with_a_reason(text: str, key: str) -> None:
    with pytest.raises(DomainError) as caught:
        parse_mapping(text, name="bad.toml")
    assert caught.value.key == key
    assert caught.value.message("zh") != key and caught.value.message("en") != key


def test_a_mapped_column_missing_from_the_file() -> None:
    data = "编号,创建时间\nA1,2026/10/9 10:00\n".encode()
    with pytest.raises(DomainError) as caught:
        read_source(data, mapping=mapping())
    assert caught.value.key == "imports.file_missing_columns"
    columns = caught.value.params["columns"]
    assert isinstance(columns, str)
    assert "响应时间" in columns


def test_old_xls_files_are_refused_clearly() -> None:
    with pytest.raises(DomainError) as caught:
        read_source(b"\xd0\xcf\x11\xe0" + b"\0" * 100, mapping=mapping(), file_name="old.xls")
    assert caught.value.key == "imports.file_xls"


def test_quoted_multi_line_field_and_line_numbers() -> None:
    """A record's line is the physical line it starts on; the header is line 1."""
    data = csv_bytes(
        [row("A1", description="第一行\n第二行\n第三行"), row("A2"), row("A3", description="x\ny")]
    )
    table = read_source(data, mapping=mapping())
    assert [r.line for r in table.rows] == [2, 5, 6]
    assert table.rows[0].cells["内容"] == "第一行\n第二行\n第三行"


# --- imports (both engines) ----------------------------------------------------------------------
@pytest.fixture
def community(session: Session) -> Community:
    c = f.community(session, code="IMP")
    contract = f.contract(session, c)
    f.sla_rule(session, contract, "repair", "*", "normal", 20, 600)
    f.sla_rule(session, contract, "repair", "elevator", "urgent", 10, 120)
    session.commit()
    return c


def test_good_rows_create_orders_with_events(session: Session, community: Community) -> None:
    data = csv_bytes(
        [
            row("A1", "2026/10/9 10:00:00", "2026/10/9 10:15:00", "2026/10/9 16:30:00",
                status="已完成", description="楼上\n漏水"),
            row("A2", "2026/10/10 8:00", order_type="投诉", category="", status="未处理"),
            row("A3", "2026-10-11 09:00", "2026/10/11 9:05", category="电梯", priority="紧急",
                status="已派工"),
            row("A4", "2026/10/12 9:00", closed="2026/10/14 9:00", order_type="有偿服务"),
        ]
    )  # fmt: skip
    report = run(session, community, data)
    session.commit()
    assert (report.rows_read, report.created, report.updated, report.unchanged) == (4, 4, 0, 0)
    assert report.rejected == () and report.warnings == ()

    a1 = order_by_external_id(session, "A1")
    assert (a1.code, a1.source, a1.order_type, a1.category, a1.priority, a1.visibility) == (
        "IMP-A1", "import", "repair", "plumbing", "normal", "public",
    )  # fmt: skip
    assert (a1.title, a1.description, a1.location) == ("楼道漏水", "楼上\n漏水", "3栋")
    assert (a1.created_at, a1.responded_at, a1.completed_at) == (
        L(2026, 10, 9, 10, 0), L(2026, 10, 9, 10, 15), L(2026, 10, 9, 16, 30),
    )  # fmt: skip
    # the contract's rule for repair/*/normal: respond 20 min, resolve 10 h
    assert (a1.respond_due_at, a1.resolve_due_at) == (L(2026, 10, 9, 10, 20), L(2026, 10, 9, 20, 0))
    assert events_of(session, a1) == [
        ("submitted", L(2026, 10, 9, 10, 0)),
        ("accepted", L(2026, 10, 9, 10, 15)),
        ("completed", L(2026, 10, 9, 16, 30)),
    ]
    assert derive_progress("repair", [s for s, _ in events_of(session, a1)]).is_final

    a2 = order_by_external_id(session, "A2")
    assert (a2.order_type, a2.category, a2.completed_at, a2.responded_at) == (
        "complaint", "other", None, None,
    )  # fmt: skip
    # no rule for complaints: 30 min / 72 h
    assert a2.resolve_due_at - a2.created_at == dt.timedelta(hours=72)
    assert events_of(session, a2) == [("submitted", L(2026, 10, 10, 8, 0))]

    a3 = order_by_external_id(session, "A3")
    assert (a3.category, a3.priority, a3.resolve_due_at) == (
        "elevator", "urgent", L(2026, 10, 11, 11, 0),
    )  # fmt: skip
    # 已派工 → dispatched, recorded at the latest known time (the response)
    assert events_of(session, a3) == [
        ("submitted", L(2026, 10, 11, 9, 0)),
        ("accepted", L(2026, 10, 11, 9, 5)),
        ("dispatched", L(2026, 10, 11, 9, 5)),
    ]
    assert derive_progress("repair", [s for s, _ in events_of(session, a3)]).stage == "dispatched"

    a4 = order_by_external_id(session, "A4")  # no status column value: the closing time says closed
    assert events_of(session, a4) == [
        ("scheduled", L(2026, 10, 12, 9, 0)),
        ("completed", L(2026, 10, 14, 9, 0)),
    ]


def test_every_rejection_reason(session: Session, community: Community) -> None:
    data = csv_bytes(
        [
            row("OK1"),                                                         # line 2
            row(""),                                                            # 3
            row("B2", created=""),                                              # 4
            row("B3", created="2026/10/32 10:00"),                              # 5
            row("B4", closed="明天"),                                           # 6
            row("B5", closed="2026/10/9 9:59:59", status="已完成"),              # 7
            row("B6", answered="2026/10/9 9:00"),                               # 8
            row("OK1", title="重复"),                                           # 9
            row("B8", order_type="咨询"),                                       # 10
            row("B9", status="已完成"),                                          # 11
            row("B10", status="作废"),                                          # 12
            row("X" * 65),                                                      # 13
        ]
    )  # fmt: skip
    report = run(session, community, data)
    assert (report.rows_read, report.created) == (12, 1)
    assert issues(report.rejected) == [
        (3, "", "imports.reject.missing_id", {}),
        (4, "B2", "imports.reject.missing_created", {"column": "创建时间"}),
        (5, "B3", "imports.reject.bad_date", {"column": "创建时间", "value": "2026/10/32 10:00"}),
        (6, "B4", "imports.reject.bad_date", {"column": "完成时间", "value": "明天"}),
        (
            7,
            "B5",
            "imports.reject.closed_before_created",
            {"created": "2026/10/9 10:00:00", "closed": "2026/10/9 9:59:59"},
        ),
        (
            8,
            "B6",
            "imports.reject.answered_before_created",
            {"created": "2026/10/9 10:00:00", "answered": "2026/10/9 9:00"},
        ),
        (9, "OK1", "imports.reject.duplicate_id", {"first": 2}),
        (10, "B8", "imports.reject.unknown_type", {"value": "咨询"}),
        (11, "B9", "imports.reject.closed_without_time", {"column": "完成时间"}),
        (12, "B10", "imports.reject.skipped_status", {"value": "作废"}),
        (13, "X" * 65, "imports.reject.id_too_long", {"max": 64}),
    ]
    # Rejected rows never reach the database, so no KPI can count them.
    assert session.scalar(select(func.count()).select_from(WorkOrder)) == 1
    # Every reason reads as text in both languages.
    for issue in report.rejected:
        assert issue.message("zh") != issue.key and issue.message("en") != issue.key


def test_warnings_repair_what_can_be_repaired(session: Session, community: Community) -> None:
    data = csv_bytes(
        [
            row("W1", category="管道疏通"),
            row("W2", status="挂起"),
            row("W3", status="挂起", closed="2026/10/9 12:00"),
            row("W4", priority="特急"),
            row("W5", status="未处理", closed="2026/10/9 12:00"),
            row("W6", title="长" * 250),
            row("W7", title="", description="电梯困人\n已救出"),
        ]
    )
    report = run(session, community, data)
    session.commit()
    assert report.rejected == () and report.created == 7
    assert issues(report.warnings) == [
        (2, "W1", "imports.warn.unknown_category", {"value": "管道疏通", "code": _label("order_category", "other")}),
        (3, "W2", "imports.warn.unknown_status", {"value": "挂起"}),
        (4, "W3", "imports.warn.unknown_status", {"value": "挂起"}),
        (5, "W4", "imports.warn.unknown_priority", {"value": "特急", "code": _label("priority", "normal")}),
        (6, "W5", "imports.warn.open_with_closed_time", {"value": "未处理", "closed": "2026/10/9 12:00"}),
        (7, "W6", "imports.warn.truncated", {"column": "标题", "max": 200}),
        (8, "W7", "imports.warn.empty_title", {"title": "电梯困人"}),
    ]  # fmt: skip
    assert report.warnings[0].message("zh") == "未知类别“管道疏通”,已归为“其他”"
    assert report.warnings[0].message("en") == "Unknown category '管道疏通', filed as 'Other'"
    got = {o.external_id: o for o in session.scalars(select(WorkOrder))}
    assert got["W1"].category == "other"
    assert got["W2"].completed_at is None  # unknown status, no closing time: open
    assert got["W3"].completed_at == L(2026, 10, 9, 12, 0)  # unknown status + closing time: closed
    assert got["W4"].priority == "normal"
    assert got["W5"].completed_at is None
    assert got["W6"].title == "长" * 200
    assert got["W7"].title == "电梯困人"


def _label(prefix: str, code: str) -> object:
    from data_access.imports.order_import import CodeLabel

    return CodeLabel(prefix, code)


def test_reimporting_the_same_file_changes_nothing(session: Session, community: Community) -> None:
    data = (SAMPLES / "legacy_cn.csv").read_bytes()
    legacy = load_mapping("legacy_cn")
    first = run(session, community, data, legacy)
    session.commit()
    before = snapshot(session)
    again = run(session, community, data, legacy)
    session.commit()
    assert (first.created, first.updated, first.unchanged) == (16, 0, 0)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 16)
    assert issues(again.rejected) == issues(first.rejected)
    assert snapshot(session) == before


def test_a_changed_row_is_updated_and_only_missing_events_are_appended(
    session: Session, community: Community
) -> None:
    run(session, community, csv_bytes([row("C1", status="未处理")]))
    session.commit()
    order = order_by_external_id(session, "C1")
    first_event_ids = [e.id for e in session.scalars(select(WorkOrderEvent))]
    report = run(
        session,
        community,
        csv_bytes(
            [row("C1", answered="2026/10/9 10:30", closed="2026/10/10 10:00", title="楼道漏水已修",
                 status="已完成")]
        ),
    )  # fmt: skip
    session.commit()
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    session.refresh(order)
    assert (order.title, order.version) == ("楼道漏水已修", 2)
    assert (order.responded_at, order.completed_at) == (L(2026, 10, 9, 10, 30), L(2026, 10, 10, 10))
    assert events_of(session, order) == [
        ("submitted", L(2026, 10, 9, 10, 0)),
        ("accepted", L(2026, 10, 9, 10, 30)),
        ("completed", L(2026, 10, 10, 10, 0)),
    ]
    assert [e.id for e in session.scalars(select(WorkOrderEvent))][:1] == first_event_ids

    # The file later says "open" again: a completed order is not reopened (events stay).
    report = run(session, community, csv_bytes([row("C1", answered="2026/10/9 10:30",
                                                    title="楼道漏水已修", status="未处理")]))  # fmt: skip
    assert (report.updated, report.unchanged) == (0, 1)
    assert issues(report.warnings) == [(2, "C1", "imports.warn.not_reopened", {})]


def test_gbk_input(session: Session, community: Community) -> None:
    data = csv_bytes([row("G1", title="电梯异响", location="6栋1单元")], encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really not UTF-8
    for encoding in ("gbk", "auto"):
        report = run(session, community, data, mapping(encoding), dry_run=True)
        assert (report.created, report.rejected) == (1, ())
    run(session, community, data, mapping("gbk"))
    order = order_by_external_id(session, "G1")
    assert (order.title, order.location) == ("电梯异响", "6栋1单元")
    with pytest.raises(DomainError) as caught:
        run(session, community, data, mapping("utf-8"))
    assert caught.value.key == "imports.file_encoding"


def test_utf8_with_bom(session: Session, community: Community) -> None:
    data = b"\xef\xbb\xbf" + csv_bytes([row("B1")])
    assert run(session, community, data, mapping("utf-8")).created == 1


def _workbook(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    for cells in rows:
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_excel_serial_dates_and_date_cells(session: Session, community: Community) -> None:
    data = _workbook(
        [
            [1001, 43466.5, 43466.5 + 1 / 96, 43467, "报修", "水电", "一般", "水管爆裂", "", "1栋", ""],
            [1002.0, dt.datetime(2019, 1, 2, 8, 0), None, None, "报修", None, None, "灯坏", None, None, None],
            ["1003", "01/03/2019 09:00", "", "", "投诉", "", "", "噪音", "", "", ""],
        ]
    )  # fmt: skip
    report = run(session, community, data)
    assert (report.rows_read, report.created, report.rejected) == (3, 3, ())
    first = order_by_external_id(session, "1001")  # integer cells read as "1001", not "1001.0"
    # serial 43466.5 = 2019-01-01 12:00 local; + 15 min; 43467 = 2019-01-02 00:00 local
    assert (first.created_at, first.responded_at, first.completed_at) == (
        L(2019, 1, 1, 12, 0), L(2019, 1, 1, 12, 15), L(2019, 1, 2, 0, 0),
    )  # fmt: skip
    assert order_by_external_id(session, "1002").created_at == L(2019, 1, 2, 8, 0)
    assert order_by_external_id(session, "1003").created_at == L(2019, 3, 1, 9, 0)  # day-first


def test_month_first_versus_day_first(session: Session, community: Community) -> None:
    data = csv_bytes([row("M1", created="06/07/2018 10:00 AM"), row("M2", created="06/26/2018")])
    day_first = run(session, community, data, mapping(month_first=False), dry_run=True)
    assert issues(day_first.rejected) == [
        (3, "M2", "imports.reject.bad_date", {"column": "创建时间", "value": "06/26/2018"})
    ]
    run(session, community, data, mapping(month_first=True))
    assert order_by_external_id(session, "M1").created_at == L(2018, 6, 7, 10, 0)
    assert order_by_external_id(session, "M2").created_at == L(2018, 6, 26, 0, 0)


def test_explicit_date_format(session: Session, community: Community) -> None:
    the_mapping = mapping(extra='date_format = "%Y%m%d %H%M"')
    data = csv_bytes([row("F1", created="20261009 1000"), row("F2", created="2026/10/9 10:00")])
    report = run(session, community, data, the_mapping)
    assert [(i.line, i.key) for i in report.rejected] == [(3, "imports.reject.bad_date")]
    assert order_by_external_id(session, "F1").created_at == L(2026, 10, 9, 10, 0)


def test_a_dry_run_writes_nothing(session: Session, community: Community) -> None:
    data = (SAMPLES / "legacy_cn.csv").read_bytes()
    legacy = load_mapping("legacy_cn")
    before = snapshot(session)
    dry = run(session, community, data, legacy, dry_run=True)
    session.commit()
    assert snapshot(session) == before == ([], [])
    real = run(session, community, data, legacy)
    assert (dry.rows_read, dry.created, dry.updated, dry.unchanged) == (
        real.rows_read, real.created, real.updated, real.unchanged,
    )  # fmt: skip
    assert issues(dry.rejected) == issues(real.rejected)
    assert dry.dry_run and not real.dry_run
    assert "检查(未导入)" in dry.to_text("zh") and "Dry run" in dry.to_text("en")


def test_shipped_samples(session: Session, community: Community) -> None:
    legacy = run(
        session, community, (SAMPLES / "legacy_cn.csv").read_bytes(), load_mapping("legacy_cn")
    )
    assert (legacy.rows_read, legacy.created) == (20, 16)
    assert [(i.line, i.external_id, i.key) for i in legacy.rejected] == [
        (16, "GD2025090013", "imports.reject.missing_created"),
        (17, "GD2025090014", "imports.reject.closed_before_created"),
        (18, "GD2025090015", "imports.reject.bad_date"),
        (19, "GD2025090004", "imports.reject.duplicate_id"),
    ]
    assert [(i.line, i.key) for i in legacy.warnings] == [(12, "imports.warn.unknown_category")]
    # the quoted three-line description of line 4 survives whole
    assert order_by_external_id(session, "GD2025090003").description.count("\n") == 2

    us = run(
        session, community, (SAMPLES / "us_export.xlsx").read_bytes(), load_mapping("us_export")
    )
    assert (us.rows_read, us.created) == (7, 6)
    assert [(i.line, i.external_id, i.key) for i in us.rejected] == [
        (7, "10236", "imports.reject.unknown_type")
    ]
    assert order_by_external_id(session, "10231").created_at == U(2025, 9, 2, 2, 58, 54)
    assert order_by_external_id(session, "10233").created_at == L(2025, 9, 15, 10, 30)  # serial
    assert order_by_external_id(session, "10232").priority == "urgent"
    frame = legacy.rejected_frame("zh")
    assert list(frame.columns) == ["line", "external_id", "reason"]
    assert frame["line"].tolist() == [16, 17, 18, 19]


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("manager", True), ("owner", False), ("committee", False), ("other_manager", False)],
)
def test_only_a_manager_of_the_community_may_import(
    session: Session, community: Community, who: str, allowed: bool
) -> None:
    other = f.community(session, code="OTHER")
    home = other if who == "other_manager" else community
    role = "manager" if who == "other_manager" else who
    account = f.account(session, home, role=role)
    viewer = load_viewer(session=session, username=account.username)
    assert viewer is not None

    def attempt(dry_run: bool) -> ImportReport:
        return import_orders_for_viewer(
            session=session, viewer=viewer, community_id=community.id,
            data=csv_bytes([row("P1")]), mapping=mapping(), dry_run=dry_run,
        )  # fmt: skip

    if allowed:
        assert attempt(dry_run=False).created == 1
        return
    for dry_run in (True, False):
        with pytest.raises(NotAllowed):
            attempt(dry_run)
    assert session.scalar(select(func.count()).select_from(WorkOrder)) == 0
