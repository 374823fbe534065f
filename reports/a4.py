"""The plain A4 documents' common parts (the public ledger's month, a vote's record): the
embedded CJK font's paragraph styles, escaped text, and the tables' one look."""

from __future__ import annotations

import io
from typing import Any

from reports.fonts import register_pdf_font


class A4Sheet:
    """Styles and builders for one document; ``build`` lays ``story`` out on A4 pages."""

    def __init__(self, title_size: float = 18) -> None:
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.lib.units import mm

        self.font = register_pdf_font()
        self.body = ParagraphStyle("body", fontName=self.font, fontSize=10, leading=15)
        self.small = ParagraphStyle("small", fontName=self.font, fontSize=8.8, leading=12)
        self.heading = ParagraphStyle("heading", fontName=self.font, fontSize=13, leading=18,
                                      spaceBefore=8)  # fmt: skip
        self.title = ParagraphStyle("title", fontName=self.font, fontSize=title_size,
                                    leading=title_size * 4 / 3)  # fmt: skip
        self.margin = 15 * mm
        self.width = A4[0] - 2 * self.margin

    def text(self, value: str, style: Any = None) -> Any:
        """``value`` as a paragraph, shown as written (no markup), lines kept."""
        from reportlab.platypus import Paragraph

        escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return Paragraph(escaped.replace("\n", "<br/>"), style or self.small)

    def grid(self, rows: list[list[Any]], fractions: list[float], *,
             amounts_right: bool = False) -> Any:  # fmt: skip
        """A table with a header row, columns as fractions of the page's width; text cells are
        made paragraphs (so they wrap). ``amounts_right``: the last column right-aligned."""
        from reportlab.lib import colors
        from reportlab.platypus import Table, TableStyle

        cells = [[self.text(c) if isinstance(c, str) else c for c in row] for row in rows]
        table = Table(cells, colWidths=[self.width * f for f in fractions], repeatRows=1)
        style = [
            ("FONT", (0, 0), (-1, -1), self.font, 8.8),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#35557a")),
            ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa5b1")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        if amounts_right:
            style.append(("ALIGN", (-1, 1), (-1, -1), "RIGHT"))
        table.setStyle(TableStyle(style))
        return table

    def build(self, story: list[Any], title: str) -> bytes:
        from reportlab.lib.pagesizes import A4
        from reportlab.platypus import SimpleDocTemplate

        out = io.BytesIO()
        SimpleDocTemplate(out, pagesize=A4, leftMargin=self.margin, rightMargin=self.margin,
                          topMargin=self.margin, bottomMargin=self.margin,
                          title=title).build(story)  # fmt: skip
        return out.getvalue()
