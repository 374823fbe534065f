"""The monthly report as an Excel workbook (.xlsx): one sheet per table of ``report_tables``."""

from __future__ import annotations

import io
from typing import Any

from data_access.analytics.report import MonthlyReport
from reports.tables import Cell, format_cell, report_tables
from reports.text import display_width, report_title

_EXCEL_FORMATS: dict[str, str] = {
    "int": "0",
    "share": "0.0%",
    "score": "0.00",
    "decimal": "0.0",
    "share_change": "+0.0%;-0.0%;0.0%",
    "score_change": "+0.00;-0.00;0.00",
    "datetime": "yyyy-mm-dd hh:mm",
    "date": "yyyy-mm-dd",
}
_SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})
_MAX_COLUMN_WIDTH = 60


def report_to_excel(report: MonthlyReport, lang: str = "zh") -> bytes:
    """An .xlsx workbook, one sheet per section: a header row, then the rows. Numbers stay
    numbers (percentages with a % format), so they can be computed with."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = report_title(report, lang)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE6F0")
    for section in report_tables(report, lang):
        sheet = workbook.create_sheet(section.title.translate(_SHEET_NAME_FORBIDDEN)[:31])
        sheet.append(list(section.columns))
        for header in sheet[1]:
            header.font, header.fill = header_font, header_fill
        widths = [display_width(c) for c in section.columns]
        for row_number, row in enumerate(section.rows, start=2):
            for column_number, cell in enumerate(row, start=1):
                target = sheet.cell(row=row_number, column=column_number)
                target.value = _excel_value(cell, lang)
                if cell.kind in _EXCEL_FORMATS:
                    target.number_format = _EXCEL_FORMATS[cell.kind]
                if cell.kind == "text":
                    # Text stays text: openpyxl would store "=HYPERLINK(…)" typed by an owner
                    # as a formula that Excel runs.
                    target.data_type = "s"
                    target.alignment = Alignment(wrap_text=True, vertical="top")
                shown = format_cell(cell, lang)
                widths[column_number - 1] = max(widths[column_number - 1], display_width(shown))
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = min(width + 2, _MAX_COLUMN_WIDTH)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _excel_value(cell: Cell, lang: str) -> Any:
    """Numbers and times as themselves (the cell's format shows them), the rest as text."""
    value = cell.value
    if value is None or (isinstance(value, float) and value != value):
        return None
    if cell.kind in ("text", "flag"):
        return format_cell(cell, lang)
    return value
