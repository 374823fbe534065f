"""The ledger's files (issue 23, item 2): the Excel template read back exactly, rows that cannot
be lines refused with their line and reason, and the month's Excel and PDF carrying the page's
figures."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.errors import NotAllowed
from data_access.governance.ledger import month_ledger, review_month
from data_access.governance.ledger_import import amount_to_fen, import_lines, template_xlsx
from data_access.governance.questions import ask_question, month_questions
from data_access.models import LedgerLine
from data_access.timestamps import zone_named
from reports.charts import chart_png
from reports.ledger import ledger_pdf, ledger_xlsx, yuan
from tests.governance.test_ledger import AFTER, DURING, OCTOBER, People, october, people

__all__ = ["people"]  # the fixture


@pytest.mark.parametrize(
    ("text", "fen"),
    [("12345.6", 1_234_560), ("12,345.60", 1_234_560), ("¥80", 8_000), ("0.01", 1),
     ("12345.6000000001", 1_234_560), ("1.005", None), ("0", None), ("-3", None), ("abc", None),
     ("NaN", None), ("1e3", 100_000), ("10000000000.01", None)],
)  # fmt: skip
def test_yuan_become_exact_fen(text: str, fen: int | None) -> None:
    assert amount_to_fen(text) == fen


def test_yuan_are_written_from_fen_exactly() -> None:
    assert [yuan(1_234_567), yuan(5), yuan(-120), yuan(0)] == ["12,345.67", "0.05", "-1.20", "0.00"]


def test_the_template_reads_back_as_four_lines(session: Session, people: People) -> None:
    report = import_lines(session=session, viewer=people.manager, month_start=OCTOBER,
                          data=template_xlsx(), now=DURING, dry_run=True)  # fmt: skip
    assert report.rejected == []
    assert [(g.input.section, g.input.category, g.input.amount_fen) for g in report.good] == [
        ("income", "parking", 1_234_560), ("cost", "management_fee", 185_184),
        ("share_use", "to_fund", 500_000), ("fund", "lift", 880_000),
    ]  # fmt: skip
    assert report.written == 0


def test_rows_that_cannot_be_lines_are_named_and_the_good_ones_written(
    session: Session, people: People
) -> None:
    csv = (
        "类别,科目,说明,金额(元),工单编号\n"
        "公共收益,停车收益,地面车位,1500.50,\n"  # line 2: good
        "Income from common parts,advertising,电梯广告,300,\n"  # line 3: English and codes
        "公共收益,电梯,错科目,10,\n"  # line 4: a fund category under income
        "相关成本,税费,税,12.345,\n"  # line 5: a third decimal
        "维修资金使用,电梯,换绳,8800,WO-NOPE\n"  # line 6: no such order
        ",,,,\n"  # blank: skipped
    ).encode("gb18030")
    report = import_lines(session=session, viewer=people.manager, month_start=OCTOBER, data=csv,
                          now=DURING, file_name="ledger.csv")  # fmt: skip
    assert [(line, key) for line, key, _ in report.rejected] == [
        (4, "ledger.import_bad_category"), (5, "ledger.import_bad_amount"),
        (6, "ledger.unknown_order"),
    ]  # fmt: skip
    assert report.written == 2
    month = month_ledger(session=session, viewer=people.manager, month_start=OCTOBER, now=AFTER)
    assert month is not None and month.totals.income_fen == 150_050 + 30_000


def test_only_managers_import(session: Session, people: People) -> None:
    with pytest.raises(NotAllowed):
        import_lines(session=session, viewer=people.committee, month_start=OCTOBER,
                     data=template_xlsx(), now=DURING, dry_run=True)  # fmt: skip


def test_the_month_as_excel_and_pdf(session: Session, people: People) -> None:
    october(session, people)
    review_month(session=session, viewer=people.committee, month_start=OCTOBER,
                 decision="approve", comment="已核对票据", now=AFTER)  # fmt: skip
    first_line = session.scalar(select(LedgerLine.id).order_by(LedgerLine.id).limit(1))
    assert first_line is not None
    ask_question(session=session, viewer=people.owner, line_id=first_line,
                 question="停车收入包括地库吗?", now=AFTER)  # fmt: skip
    month = month_ledger(session=session, viewer=people.owner, month_start=OCTOBER, now=AFTER)
    assert month is not None
    asked = month_questions(session=session, viewer=people.owner, month_start=OCTOBER)
    zone = zone_named(None)

    book = load_workbook(
        io.BytesIO(ledger_xlsx(month, asked, community="测试小区", time_zone=zone))
    )
    cells = [
        c for row in book.worksheets[0].iter_rows(values_only=True) for c in row if c is not None
    ]
    assert "测试小区 公共收益与费用公示 2026-10" in cells
    assert ("业主共有收益" in cells) and ("12,810.43" in cells)  # 1,281,043 fen
    amounts = [c for c in cells if not isinstance(c, str)]
    assert float(sum(amounts)) == pytest.approx((1_534_500 + 253_457 + 500_000 + 880_000) / 100)
    questions_sheet = [c for row in book.worksheets[1].iter_rows(values_only=True) for c in row]
    assert "停车收入包括地库吗?" in questions_sheet and "尚未回复" in questions_sheet

    spec = {"mark": "bar", "data": {"values": [{"m": "2026-10", "v": 1}]},
            "encoding": {"x": {"field": "m", "type": "ordinal"}, "y": {"field": "v", "type": "quantitative"}}}  # fmt: skip
    pdf = ledger_pdf(month, asked, community="测试小区", time_zone=zone, chart=chart_png(spec))
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    for expected in ("公共收益与费用公示", "已公示", "已核对票据", "12,810.43", "15,345.00",
                     "地面车位 95 个", "停车收入包括地库吗?"):  # fmt: skip
        assert expected in text, expected
    assert any(page.images for page in reader.pages)  # the chart
