"""A month's ledger lines from Excel or CSV, checked like the order import.

The template (``template_xlsx``) has one row per line: 类别 (section), 科目 (category), 说明,
金额(元), 工单编号 (optional: the work a fund line paid for). Sections and categories are
recognised by their Chinese or English label or their code. Amounts are yuan with at most two
decimals, turned into integer fen exactly (decimal arithmetic; an Excel float such as
12345.6000000001 is accepted when it is within a millionth of a fen-exact amount).

The file is read with the order import's bounded reader (bytes, rows, blank runs, Excel
checks). ``import_lines`` with ``dry_run`` only checks; otherwise the good rows are added to
the month (after publication: as corrections, each with the reason given for the import).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.errors import DomainError, NotAllowed
from data_access.governance.ledger import (
    DESCRIPTION_MAX,
    MAX_AMOUNT_FEN,
    LineInput,
    add_line,
    check_line,
    month_period,
)
from data_access.imports.order_import import ImportMapping, _cell_text, read_source
from data_access.models import LEDGER_CATEGORIES
from i18n import LANGUAGES, translate

COLUMNS: dict[str, tuple[str, ...]] = {
    "section": ("类别", "section"),
    "category": ("科目", "category"),
    "description": ("说明", "摘要", "description"),
    "amount": ("金额(元)", "金额(元)", "金额", "amount"),
    "order": ("工单编号", "工单", "work order", "order"),
}
REQUIRED = ("section", "category", "description", "amount")
_FEN = Decimal("0.01")
_SLACK = Decimal("0.000001")


@dataclass(frozen=True)
class ImportedLine:
    line: int
    input: LineInput


@dataclass
class LedgerImportReport:
    rows: int = 0
    good: list[ImportedLine] = field(default_factory=list)
    rejected: list[tuple[int, str, dict[str, object]]] = field(default_factory=list)
    written: int = 0
    dry_run: bool = False

    @property
    def total_fen(self) -> dict[str, int]:
        totals = dict.fromkeys(LEDGER_CATEGORIES, 0)
        for item in self.good:
            totals[item.input.section] += item.input.amount_fen
        return totals


def _labels(prefix: str, codes: tuple[str, ...]) -> dict[str, str]:
    """Every way a code may be written (its code, each language's label), lower-cased."""
    found: dict[str, str] = {}
    for code in codes:
        found[code.lower()] = code
        for lang in LANGUAGES:
            found[translate(f"{prefix}.{code}", lang).strip().lower()] = code
    return found


_SECTIONS = _labels("ledger_section", tuple(LEDGER_CATEGORIES))
_CATEGORIES = {
    section: _labels("ledger_category", codes) for section, codes in LEDGER_CATEGORIES.items()
}


def amount_to_fen(text: str) -> int | None:
    """Yuan as written ("12,345.60", "12345.6", "¥80") → fen; None if not an amount."""
    cleaned = text.strip().replace(",", "").replace(",", "").lstrip("¥￥").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    exact = value.quantize(_FEN)
    if abs(value - exact) > _SLACK:
        return None  # a third decimal: not an amount of money
    fen = int(exact * 100)
    return fen if 0 < fen <= MAX_AMOUNT_FEN else None


def _parse(line: int, cells: dict[str, str]) -> LineInput | tuple[str, dict[str, object]]:
    section = _SECTIONS.get(cells.get("section", "").strip().lower())
    if section is None:
        return "ledger.import_bad_section", {"value": cells.get("section", "")[:20]}
    category = _CATEGORIES[section].get(cells.get("category", "").strip().lower())
    if category is None:
        return "ledger.import_bad_category", {"value": cells.get("category", "")[:20]}
    description = " ".join(cells.get("description", "").split())
    if not description or len(description) > DESCRIPTION_MAX:
        return "ledger.import_bad_description", {"n": DESCRIPTION_MAX}
    fen = amount_to_fen(cells.get("amount", ""))
    if fen is None:
        return "ledger.import_bad_amount", {"value": cells.get("amount", "")[:20]}
    return LineInput(section, category, description, fen, cells.get("order", "").strip()[:32])


def _columns(header: tuple[str, ...]) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, names in COLUMNS.items():
        for column in header:
            if column.strip().lower() in names:
                found[name] = column
                break
    missing = [COLUMNS[f][0] for f in REQUIRED if f not in found]
    if missing:
        raise DomainError("ledger.import_missing_columns", columns="、".join(missing))
    return found


def import_lines(
    *,
    session: Session,
    viewer: Viewer,
    month_start: dt.date,
    data: bytes,
    now: dt.datetime,
    file_name: str = "",
    reason: str = "",
    dry_run: bool = False,
) -> LedgerImportReport:
    """Check (and unless ``dry_run`` add) the file's lines to the month (managers)."""
    if not viewer.is_manager:
        raise NotAllowed("ledger.managers_only")
    month_period(month_start)
    table = read_source(data, mapping=ImportMapping(name="ledger", columns={}), file_name=file_name)
    columns = _columns(table.header)
    report = LedgerImportReport(rows=len(table.rows), dry_run=dry_run)
    for row in table.rows:
        cells = {f: _cell_text(row.cells.get(h)).strip() for f, h in columns.items()}
        if not any(cells.values()):
            continue
        parsed = _parse(row.line, cells)
        if isinstance(parsed, tuple):
            report.rejected.append((row.line, *parsed))
            continue
        try:
            check_line(session, viewer.community_id, parsed)  # the order exists, and so on
        except DomainError as error:
            report.rejected.append((row.line, error.key, dict(error.params)))
            continue
        report.good.append(ImportedLine(row.line, parsed))
    if dry_run:
        return report
    for item in report.good:
        add_line(session=session, viewer=viewer, month_start=month_start, line=item.input,
                 now=now, reason=reason)  # fmt: skip
        report.written += 1
    return report


def template_xlsx(lang: str = "zh") -> bytes:
    """The import template: the header row, one example per section, and a sheet listing every
    section's categories."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = translate("ledger.template_sheet", lang)
    header = [translate(f"ledger.column_{name}", lang) for name in COLUMNS]
    sheet.append(header)
    examples = [
        ("income", "parking", translate("ledger.example_parking", lang), 12345.60, ""),
        ("cost", "management_fee", translate("ledger.example_fee", lang), 1851.84, ""),
        ("share_use", "to_fund", translate("ledger.example_use", lang), 5000.00, ""),
        ("fund", "lift", translate("ledger.example_fund", lang), 8800.00, ""),
    ]
    for section, category, text, amount, order in examples:
        sheet.append([translate(f"ledger_section.{section}", lang),
                      translate(f"ledger_category.{category}", lang), text, amount, order])  # fmt: skip
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDE", (22, 16, 40, 14, 14), strict=True):
        sheet.column_dimensions[column].width = width
    codes = workbook.create_sheet(translate("ledger.template_codes", lang))
    codes.append(header[:2])
    for section, categories in LEDGER_CATEGORIES.items():
        for category in categories:
            codes.append([translate(f"ledger_section.{section}", lang),
                          translate(f"ledger_category.{category}", lang)])  # fmt: skip
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
