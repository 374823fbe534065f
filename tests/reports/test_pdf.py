"""The meeting pack's PDF (issue 20, point 2), read back: its font is embedded (a reader without
Chinese fonts sees the same), page one is the month at a glance — KPIs with ▲/▼ and ✘ 未达标,
three sentences, the open items — the company's word or 物业未说明 for every missed KPI, the
charts are pictures in it, every page says where it is and how many there are, a total never
starts a page alone, and only the ten keywords that matter are listed."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from typing import Any

from PIL import Image
from pypdf import PdfReader

from data_access.analytics.explanations import (
    ExplanationVersion,
    KpiExplanationView,
    MonthExplanations,
)
from data_access.analytics.report import Keyword, MonthlyReport
from reports.pdf import report_to_pdf
from reports.summary import what_changed

MADE = dt.datetime(2026, 11, 20, 20, 0)


def pages_of(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def png(width: int = 1440, height: int = 700) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (53, 85, 122)).save(out, "PNG")
    return out.getvalue()


def explained(report: MonthlyReport, kpi: str, *, edits: int = 0) -> MonthlyReport:
    def version(n: int) -> ExplanationVersion:
        return ExplanationVersion(
            explanation_id=n, reason=f"电梯配件到货晚(第{n}稿)", action="签订 48 小时到货协议",
            action_owner="工程部 王经理", action_due=dt.date(2026, 11, 30), author="",
            written_at=dt.datetime(2026, 11, 2, 2, 0) + dt.timedelta(hours=n),
        )  # fmt: skip

    view = KpiExplanationView(
        kpi=kpi, current=version(edits + 1), replaced=tuple(version(n) for n in range(1, edits + 1))
    )
    words = MonthExplanations(
        month_start=report.month.start, published_at=dt.datetime(2026, 11, 2, 2, 30),
        by_kpi={kpi: view},
    )  # fmt: skip
    return replace(report, explanations=words)


def test_the_font_is_embedded_and_latin_is_not_letter_spaced(october: MonthlyReport) -> None:
    reader = PdfReader(io.BytesIO(report_to_pdf(october, generated_at=MADE)))
    fonts: dict[str, Any] = {}
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for reference in resources["/Font"].values():
            font: Any = reference.get_object()
            descriptor = (
                font.get("/FontDescriptor")
                or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            )
            fonts[str(font["/BaseFont"])] = descriptor.get_object()
    assert fonts, "the PDF uses fonts"
    for name, descriptor in fonts.items():
        assert "/FontFile2" in descriptor, f"{name} is not embedded"
        assert "WenQuanYi" in str(name) or "MicroHei" in str(name), name
    first = reader.pages[0].extract_text()
    assert "CUIHU" in first  # one word, not "C U I H U"


def test_page_one_is_the_month_at_a_glance(october: MonthlyReport) -> None:
    assert october.missed_kpis, "the demo's October misses a target"
    first, *rest = pages_of(report_to_pdf(october, generated_at=MADE))
    for heading in ("合同指标", "本月要点", "待跟进事项"):
        assert heading in first, heading
    assert "工单汇总" not in first  # the detail starts on page two
    assert first.count("✘ 未达标") == len(october.missed_kpis)
    for sentence in what_changed(october):
        assert sentence.replace(" ", "")[:12] in first.replace(" ", "").replace("\n", "")
    assert "▲" in first or "▼" in first
    # No explanation was written: each missed KPI is an open item, and says so in the detail.
    assert first.count("物业未说明") == len(october.missed_kpis)
    assert "物业未说明" in rest[0]


def test_the_company_s_explanation_replaces_the_gap(october: MonthlyReport) -> None:
    kpi = october.missed_kpis[0]
    pages = pages_of(report_to_pdf(explained(october, kpi, edits=2), generated_at=MADE))
    text = "".join(pages).replace("\n", "")  # a table cell wraps its text
    assert "签订 48 小时到货协议" in text and "工程部 王经理" in text and "2026-11-30" in text
    assert "电梯配件到货晚(第3稿)" in text and "第1稿" not in text
    assert "发布后修改 2 次" in text
    assert pages[0].count("物业未说明") == len(october.missed_kpis) - 1


def test_every_page_says_where_it_is(october: MonthlyReport) -> None:
    pages = pages_of(report_to_pdf(october, generated_at=MADE))
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert "翠湖花园" in text and "2026-10" in text and "生成于 2026-11-20 20:00" in text
        assert f"第 {number} 页 / 共 {len(pages)} 页" in text


def test_charts_are_drawn_in(october: MonthlyReport) -> None:
    data = report_to_pdf(october, charts={"trend": png(), "hotspots": png()}, generated_at=MADE)
    reader = PdfReader(io.BytesIO(data))
    images = sum(len(page.images) for page in reader.pages)
    assert images == 2
    assert (
        sum(len(page.images) for page in PdfReader(io.BytesIO(report_to_pdf(october))).pages) == 0
    )


def test_a_total_is_never_alone_at_the_top_of_a_page(october: MonthlyReport) -> None:
    """Slide the work-order table down page two with a taller and taller chart above it: at
    every position its total row stays on the page of the row above it (a page holding the
    total right after the repeated header row would be the total alone)."""
    for height in range(200, 1500, 60):
        pages = pages_of(
            report_to_pdf(october, charts={"trend": png(height=height)}, generated_at=MADE)
        )
        for text in pages:
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            totals = [i for i, line in enumerate(lines) if line.startswith("合计")]
            for i in totals:
                assert i > 0 and not lines[i - 1].startswith("工单类型"), (height, lines[:6])


def test_only_the_ten_keywords_that_matter(october: MonthlyReport) -> None:
    words = tuple(Keyword(word=f"词{n:02d}", count=30 - n, documents=20 - n) for n in range(20))
    text = "\n".join(pages_of(report_to_pdf(replace(october, keywords=words), generated_at=MADE)))
    assert "词09" in text and "词10" not in text


def test_the_workbook_has_the_explanations_sheet(october: MonthlyReport) -> None:
    from openpyxl import load_workbook

    from reports.excel import report_to_excel

    kpi = october.missed_kpis[0]
    sheet = load_workbook(io.BytesIO(report_to_excel(explained(october, kpi, edits=1))))["物业说明"]
    rows = {row[0].value: [cell.value for cell in row] for row in sheet.iter_rows(min_row=2)}
    assert len(rows) == len(october.missed_kpis)
    explained_rows = [r for r in rows.values() if r[3] == "电梯配件到货晚(第2稿)"]
    (row,) = explained_rows
    assert row[4:7] == ["签订 48 小时到货协议", "工程部 王经理", dt.datetime(2026, 11, 30)]
    assert row[7] == "已说明(发布后修改 1 次)"
    assert sum(r[7] == "物业未说明" for r in rows.values()) == len(october.missed_kpis) - 1
