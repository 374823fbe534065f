"""The monthly report as an A4 PDF: title, the moment of the figures, one table per section of
``report_tables``, page numbers below."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from data_access.analytics.report import MonthlyReport
from i18n import translate
from reports.tables import report_tables
from reports.text import as_of_text, display_width, report_title

PDF_FONT = "STSong-Light"  # reportlab's built-in CID font: Chinese without a font file


def report_to_pdf(report: MonthlyReport, lang: str = "zh") -> bytes:
    """An A4 portrait PDF: title, month, then one table per section, page numbers below."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    title_style = ParagraphStyle("title", fontName=PDF_FONT, fontSize=18, leading=24)
    subtitle_style = ParagraphStyle(
        "subtitle", fontName=PDF_FONT, fontSize=10, leading=14, textColor=colors.grey
    )
    heading_style = ParagraphStyle(
        "heading", fontName=PDF_FONT, fontSize=13, leading=18, spaceBefore=10, spaceAfter=4
    )
    cell_style = ParagraphStyle("cell", fontName=PDF_FONT, fontSize=8.5, leading=11)
    header_style = ParagraphStyle("header", parent=cell_style, textColor=colors.white)
    note_style = ParagraphStyle("note", fontName=PDF_FONT, fontSize=9, textColor=colors.grey)

    buffer = io.BytesIO()
    margin = 15 * mm
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin + 5 * mm,
        title=report_title(report, lang),
        author=translate("app.title", lang),
    )
    # reportlab's CID fonts lack "·": keep the footer to characters every viewer has.
    footer = f"{report.community_name}  {report.month_label}"

    def draw_footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(PDF_FONT, 8)
        canvas.setFillColor(colors.grey)
        canvas.drawString(margin, 10 * mm, footer)
        page = translate("report.page_number", lang, n=doc.page)
        canvas.drawRightString(A4[0] - margin, 10 * mm, page)
        canvas.restoreState()

    story: list[Any] = [
        Paragraph(_escape(report_title(report, lang)), title_style),
        Paragraph(
            _escape(
                translate("report.pdf_subtitle", lang, code=report.community_code,
                          as_of=as_of_text(report))
            ),
            subtitle_style,
        ),
    ]  # fmt: skip
    width = A4[0] - 2 * margin
    for section in report_tables(report, lang):
        story.append(Paragraph(_escape(section.title), heading_style))
        if not section.rows:
            story.append(Paragraph(_escape(section.empty_text), note_style))
            continue
        text_rows = section.text_rows(lang)
        data = [[Paragraph(_escape(c), header_style) for c in section.columns]]
        data += [[Paragraph(_escape(c), cell_style) for c in row] for row in text_rows]
        grid = Table(
            data,
            colWidths=_column_widths(section.columns, text_rows, width, cell_style.fontSize),
            repeatRows=1,
        )
        grid.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#35557a")),
                    (
                        "ROWBACKGROUNDS",
                        (0, 1),
                        (-1, -1),
                        [colors.white, colors.HexColor("#f2f5f8")],
                    ),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0bac5")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story += [grid, Spacer(1, 4 * mm)]
    document.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()


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
