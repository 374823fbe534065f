"""The monthly report as an A4 PDF a committee member can print in black and white and hand to a
neighbour who has never seen the app.

Page one is the month at a glance: the six KPIs against target and last month (▲/▼, and ✘ 未达标
in bold as well as red, so a grey print still says it), three sentences on what changed, and the
open items. Then the company's explanations, the 12-month trend and the hotspot chart (the
pages' own chart specs, drawn by ``reports.charts``), work orders, tickets, hotspots, patrol
coverage and the ten keywords that matter. Every page carries the community, the month, when the
file was made and "page n of N"; a table never leaves its total row alone on the next page.
The font (``reports.fonts``) is embedded as a subset.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import Any

from data_access.analytics.report import MonthlyReport
from i18n import translate
from reports.fonts import register_pdf_font
from reports.summary import change_text, open_items, what_changed
from reports.tables import Cell, ReportTable, format_cell, report_tables
from reports.text import as_of_text, display_width, report_title

KEYWORDS_IN_PDF = 10
RED = "#b3261e"
INK = "#1f2933"
HEADER_BLUE = "#35557a"
# Sections after the first page, in order (the cover and KPI tables are page one's).
SECTIONS_AFTER_SUMMARY = (
    "explanations", "work_orders", "tickets", "overdue", "rejected", "hotspots", "patrols",
    "keywords",
)  # fmt: skip
CHART_TITLES = {"trend": "report.section_trend"}


def report_to_pdf(
    report: MonthlyReport,
    lang: str = "zh",
    *,
    charts: Mapping[str, bytes] | None = None,
    generated_at: dt.datetime | None = None,
) -> bytes:
    """The report as PDF bytes. ``charts``: PNG pictures by name ("trend", "hotspots"), drawn
    from the pages' chart specs; ``generated_at``: local time printed on every page."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        Image,
        KeepTogether,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    font = register_pdf_font()
    style = {
        "title": ParagraphStyle("title", fontName=font, fontSize=20, leading=26, textColor=INK),
        "subtitle": ParagraphStyle(
            "subtitle",
            fontName=font,
            fontSize=9.5,
            leading=13,
            textColor=colors.HexColor("#52585f"),
        ),
        "heading": ParagraphStyle(
            "heading",
            fontName=font,
            fontSize=13.5,
            leading=18,
            spaceBefore=8,
            spaceAfter=4,
            textColor=INK,
        ),
        "body": ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, alignment=TA_LEFT),
        "bullet": ParagraphStyle(
            "bullet",
            fontName=font,
            bulletFontName=font,
            fontSize=10,
            leading=15,
            leftIndent=10,
            bulletIndent=0,
        ),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=8.8, leading=11.5),
        "note": ParagraphStyle(
            "note", fontName=font, fontSize=9, leading=12, textColor=colors.HexColor("#52585f")
        ),
    }
    style["header"] = ParagraphStyle("header", parent=style["cell"], textColor=colors.white)
    style["missed"] = ParagraphStyle("missed", parent=style["cell"], textColor=colors.HexColor(RED))

    margin = 15 * mm
    width = A4[0] - 2 * margin
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=margin + 6 * mm,
        bottomMargin=margin + 4 * mm, title=report_title(report, lang),
        author=translate("app.title", lang),
    )  # fmt: skip
    made = generated_at or dt.datetime.now()
    running = translate(
        "report.pdf_running_head", lang, community=report.community_name,
        month=report.month_label, made=f"{made:%Y-%m-%d %H:%M}",
    )  # fmt: skip
    tables = {table.key: table for table in report_tables(report, lang)}

    def paragraph(text: str, kind: str = "body") -> Any:
        return Paragraph(_escape(text), style[kind])

    def grid(table: ReportTable, *, rows: Sequence[Sequence[Cell]] | None = None,
             total_row: bool = False, missed_column: int | None = None) -> Any:  # fmt: skip
        chosen = table.rows if rows is None else rows
        text_rows = [[format_cell(cell, lang) for cell in row] for row in chosen]
        data = [[Paragraph(_escape(c), style["header"]) for c in table.columns]]
        for row in text_rows:
            data.append(
                [
                    Paragraph(
                        f"<b>{_escape(text)}</b>"
                        if i == missed_column and text.startswith("✘")
                        else _escape(text),
                        style["missed"]
                        if i == missed_column and text.startswith("✘")
                        else style["cell"],
                    )
                    for i, text in enumerate(row)
                ]
            )
        commands: list[Any] = [
            ("FONTNAME", (0, 0), (-1, -1), font),  # the table's own default is Helvetica
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEADER_BLUE)),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f5f8")]),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#9aa5b1")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        if total_row and len(data) > 2:
            # The total is bold, ruled off, and never on a page without the row above it.
            commands += [
                ("LINEABOVE", (0, -1), (-1, -1), 1.0, colors.HexColor(INK)),
                ("NOSPLIT", (0, -2), (-1, -1)),
            ]
            data[-1] = [Paragraph(f"<b>{_escape(t)}</b>", style["cell"]) for t in text_rows[-1]]
        widths = _column_widths(table.columns, text_rows, width, style["cell"].fontSize)
        flowable = Table(data, colWidths=widths, repeatRows=1)
        flowable.setStyle(TableStyle(commands))
        return flowable

    def section(key: str, chart: str = "", **options: Any) -> list[Any]:
        """A section's heading, its chart (if one was drawn) and its table."""
        table = tables[key]
        head = [paragraph(table.title, "heading"), *picture(chart)]
        if not table.rows:
            return [KeepTogether([*head, paragraph(table.empty_text, "note")])]
        body = grid(table, **options)
        # A short table stays with its heading; a long one starts with the heading and its
        # first rows (the header row repeats on every page).
        return [KeepTogether([*head, body])] if len(table.rows) <= 12 else [*head, body]

    def summary_grid() -> Any:
        """Page one's KPI table, from the KPI section's own cells: value, target, last month,
        the change with its arrow, and the verdict (✘ 未达标 bold and red)."""
        kpis = tables["kpis"]  # kpi, value, numerator, denominator, target, previous, change, met
        shown = (0, 1, 4, 5, 6, 7)
        data: list[list[Any]] = [
            [Paragraph(_escape(kpis.columns[i]), style["header"]) for i in shown]
        ]
        for kpi, text in zip(report.kpis, kpis.text_rows(lang), strict=True):
            cells = [text[0], text[1], text[4], text[5], change_text(kpi, lang)]
            row = [Paragraph(_escape(cell), style["cell"]) for cell in cells]
            missed = kpi.meets_target is False
            verdict = f"<b>{_escape(text[7])}</b>" if missed else _escape(text[7])
            row.append(Paragraph(verdict, style["missed" if missed else "cell"]))
            data.append(row)
        table = Table(data, colWidths=[w * width for w in (0.26, 0.13, 0.13, 0.13, 0.19, 0.16)])
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), font),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEADER_BLUE)),
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa5b1")),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("TOPPADDING", (0, 1), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 1), (-1, -1), 5),
                ]
            )
        )
        return table

    def picture(name: str) -> list[Any]:
        png = (charts or {}).get(name)
        if not png:
            return []
        from reportlab.lib.utils import ImageReader

        pixels_wide, pixels_high = ImageReader(io.BytesIO(png)).getSize()
        shown_width = min(width, pixels_wide * 0.5)  # PNGs are drawn at scale 2
        shown_height = shown_width * pixels_high / pixels_wide
        return [Image(io.BytesIO(png), width=shown_width, height=shown_height)]

    def chart_section(name: str) -> list[Any]:
        drawn = picture(name)
        heading = paragraph(translate(CHART_TITLES[name], lang), "heading")
        return [KeepTogether([heading, *drawn])] if drawn else []  # fmt: skip

    # --- page one: the month at a glance --------------------------------------------------------
    story: list[Any] = [
        paragraph(report_title(report, lang), "title"),
        paragraph(
            translate(
                "report.pdf_subtitle", lang, code=report.community_code, as_of=as_of_text(report)
            ),
            "subtitle",
        ),
        Spacer(1, 3 * mm),
        paragraph(tables["kpis"].title, "heading"),
        summary_grid(),
        paragraph(translate("report.summary_heading", lang), "heading"),
        *[paragraph(sentence) for sentence in what_changed(report, lang)],
        paragraph(translate("report.open_heading", lang), "heading"),
    ]
    items = open_items(report, lang)
    story += [Paragraph(_escape(item), style["bullet"], bulletText="•") for item in items] or [
        paragraph(translate("report.open_none", lang), "note")
    ]
    story.append(PageBreak())

    # --- then the detail ------------------------------------------------------------------------
    story += section("explanations")
    story += chart_section("trend")
    story += section("work_orders", total_row=True)
    story += section("tickets")
    story += section("overdue")
    story += section("rejected")
    story += section("hotspots", chart="hotspots")
    story += section("patrols")
    keywords = tables["keywords"]
    story += [
        KeepTogether(
            [paragraph(keywords.title, "heading")]
            + (
                [grid(keywords, rows=keywords.rows[:KEYWORDS_IN_PDF])]
                if keywords.rows
                else [paragraph(keywords.empty_text, "note")]
            )
        )
    ]

    def draw_page(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(colors.HexColor("#52585f"))
        canvas.drawString(margin, A4[1] - margin, running)
        canvas.setStrokeColor(colors.HexColor("#9aa5b1"))
        canvas.line(margin, A4[1] - margin - 2 * mm, A4[0] - margin, A4[1] - margin - 2 * mm)
        canvas.restoreState()

    document.build(
        story, onFirstPage=draw_page, onLaterPages=draw_page,
        canvasmaker=_numbered_canvas(font, lang, margin),
    )  # fmt: skip
    return buffer.getvalue()


def _numbered_canvas(font: str, lang: str, margin: float) -> Any:
    """A canvas that writes "第 n 页 / 共 N 页" once the number of pages is known."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # Every page starts in the report's font: no Helvetica that no reader would embed.
            kwargs["initialFontName"] = font
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.saveState()
                self.setFont(font, 8)
                self.setFillColor(colors.HexColor("#52585f"))
                self.drawRightString(
                    A4[0] - margin, 10 * mm,
                    translate("report.page_of", lang, n=self._pageNumber, total=total),
                )  # fmt: skip
                self.restoreState()
                super().showPage()
            super().save()

    return NumberedCanvas


def _escape(text: str) -> str:
    """Paragraph text is mini-markup: user text must not become tags."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _column_widths(
    columns: Sequence[str], rows: Sequence[Sequence[str]], total: float, font_size: float
) -> list[float]:
    """Column widths (points) filling ``total``: each column gets the width of its widest text
    if it can; when they do not all fit, short columns keep theirs and the long ones share
    what is left (their text wraps)."""
    padding = 14.0  # the cell's left and right padding, and a little air
    needs = [
        max(display_width(text) for text in (columns[i], *(row[i] for row in rows))) * font_size / 2
        + padding
        for i in range(len(columns))
    ]
    if sum(needs) <= total:
        return [need * total / sum(needs) for need in needs]
    widths = [0.0] * len(needs)
    remaining, left = total, len(needs)
    for i in sorted(range(len(needs)), key=needs.__getitem__):
        widths[i] = min(needs[i], remaining / left)
        remaining, left = remaining - widths[i], left - 1
    return widths
