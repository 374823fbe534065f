"""The report's files: the Excel workbook and the PDF open and hold the month's figures in the
reader's language, text typed by owners stays text in both, an empty month still makes both,
and the downloads are named after the community and the month."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from data_access.analytics.report import MonthlyReport
from reports.excel import report_to_excel
from reports.pdf import report_to_pdf
from reports.text import report_file_name, report_title
from tests.reports.conftest import REJECTED, with_tickets


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_excel_holds_the_months_figures(october: MonthlyReport) -> None:
    workbook = load_workbook(io.BytesIO(report_to_excel(october)))
    assert workbook.sheetnames == ["概要", "合同指标", "物业说明", "近12个月趋势", "工单汇总",
                                   "整改汇总", "超期整改单", "驳回整改单", "问题热点", "关键词",
                                   "巡检覆盖"]  # fmt: skip
    assert workbook.properties.title == report_title(october) == "翠湖花园 月度报告 2026-10"
    assert workbook["概要"]["B2"].value == "翠湖花园 (CUIHU)"
    sheet = workbook["合同指标"]
    assert [c.value for c in sheet[1]][:4] == ["指标", "本月", "分子", "分母"]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    for row in october.kpis:
        cells = rows["满意度" if row.key == "satisfaction" else _zh_name(row.key)]
        assert cells[1].value == pytest.approx(row.value)
        assert cells[1].number_format == ("0.00" if row.is_score else "0.0%")
        assert cells[3].value == row.denominator
        assert cells[4].value == pytest.approx(row.target)
    assert sheet.column_dimensions["A"].width >= 10
    orders = workbook["工单汇总"]
    last = [c.value for c in list(orders.iter_rows())[-1]]
    assert last[0] == "合计" and last[1] == october.work_orders["created"].iloc[-1]
    english = load_workbook(io.BytesIO(report_to_excel(october, "en")))
    assert english.sheetnames[:2] == ["Summary", "Contract KPIs"]


def _zh_name(key: str) -> str:
    return {
        "plan_completion_rate": "计划完成率", "actual_completion_rate": "实际完成率",
        "timeliness_rate": "服务及时率", "rectification_rate": "问题整改率",
        "reply_timeliness_rate": "回复及时率",
    }[key]  # fmt: skip


def test_pdf_holds_the_months_figures(october: MonthlyReport) -> None:
    data = report_to_pdf(october)
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "翠湖花园 月度报告 2026-10" in text and "CUIHU" in text
    for row in october.kpis:
        assert row.value is not None
        assert (f"{row.value:.2f}" if row.is_score else f"{row.value:.1%}") in text, row.key
    pages = len(reader.pages)
    assert f"第 1 页 / 共 {pages} 页" in text and f"第 {pages} 页 / 共 {pages} 页" in text
    assert reader.pages[0].mediabox.width == pytest.approx(595.27, abs=0.5)  # A4 portrait
    assert "Contract KPIs" in pdf_text(report_to_pdf(october, "en"))


def test_owners_text_stays_text_in_the_files(october: MonthlyReport) -> None:
    """A title typed as a spreadsheet formula or as PDF markup is shown as typed."""
    title = '=HYPERLINK("http://evil.example","点我") <b>粗</b> & 更多'
    report = with_tickets(october, rejected=(replace(REJECTED, title=title),))
    sheet = load_workbook(io.BytesIO(report_to_excel(report)))["驳回整改单"]
    cell = sheet["B2"]
    assert (cell.value, cell.data_type) == (title, "s")
    assert "<b>粗</b> & 更多" in pdf_text(report_to_pdf(report))


def test_an_empty_month_still_makes_files(empty_month: MonthlyReport) -> None:
    assert empty_month.is_empty
    pdf = report_to_pdf(empty_month)
    assert pdf.startswith(b"%PDF") and "没有超期的整改单。" in pdf_text(pdf)
    assert load_workbook(io.BytesIO(report_to_excel(empty_month))).sheetnames[0] == "概要"


def test_file_names(october: MonthlyReport) -> None:
    assert report_file_name(october, "pdf") == "月度报告_CUIHU_2026-10.pdf"
    assert report_file_name(october, "xlsx", "en") == "monthly-report_CUIHU_2026-10.xlsx"
