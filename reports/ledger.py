"""A month of the public ledger as an Excel workbook and as an A4 PDF (公共收益与费用公示).

Both carry what the page shows: the status and the committee's sign-off, the four sections'
lines with their totals (amounts in yuan from integer fen: 1234567 fen → 12,345.67), the
owners' share and per m², the visible corrections, and the questions with their answers. The
PDF also carries the page's 12-month chart (drawn from its spec by ``reports.charts``).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from data_access.governance.ledger import LedgerLineView, MonthLedger
from data_access.governance.questions import QuestionView
from data_access.models import LEDGER_CATEGORIES
from data_access.timestamps import stored_to_local
from i18n import translate
from reports.a4 import A4Sheet


def yuan(fen: int) -> str:
    """1234567 → "12,345.67" (exact: integer arithmetic)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def per_m2_text(value: Decimal | None, lang: str) -> str:
    """Fen per m² (two decimals) as yuan per m² with four decimals, or "not measured"."""
    if value is None:
        return translate("ledger.no_area", lang)
    return f"{(value / 100).quantize(Decimal('0.0001'))}"


def _line_text(line: LedgerLineView, lang: str) -> str:
    text = line.description
    if line.work_order_code:
        text += f" ({line.work_order_code})"
    if line.removed:
        text = translate("ledger.removed_line", lang, text=text)
    for old in line.earlier:
        text += "\n" + translate("ledger.was", lang, amount=yuan(old.amount_fen),
                                 text=old.description)  # fmt: skip
    return text


def _rows(ledger: MonthLedger, section: str, lang: str) -> list[list[str]]:
    return [
        [translate(f"ledger_category.{line.category}", lang), _line_text(line, lang),
         "—" if line.removed else yuan(line.amount_fen)]
        for line in ledger.section(section)
    ]  # fmt: skip


def _totals(ledger: MonthLedger, lang: str) -> list[tuple[str, str]]:
    t = ledger.totals
    rows = [
        (translate("ledger.total_income", lang), yuan(t.income_fen)),
        (translate("ledger.total_cost", lang), yuan(t.cost_fen)),
        (translate("ledger.owners_share", lang), yuan(t.owners_share_fen)),
        (translate("ledger.per_m2", lang), per_m2_text(ledger.share_per_m2_fen, lang)),
        (translate("ledger.total_use", lang), yuan(t.share_use_fen)),
        (translate("ledger.total_fund", lang), yuan(t.fund_fen)),
    ]
    if ledger.my_share_fen is not None:
        rows.append((translate("ledger.my_share", lang), yuan(ledger.my_share_fen)))
    return rows


def _status_lines(ledger: MonthLedger, time_zone: Any, lang: str) -> list[str]:
    lines = [translate(f"ledger_status.{ledger.status}", lang)]
    for review in ledger.reviews:
        lines.append(
            translate(
                f"ledger.review_{review.decision}", lang, who=review.reviewer,
                at=f"{stored_to_local(review.reviewed_at, time_zone):%Y-%m-%d %H:%M}",
                comment=review.comment or "—",
            )
        )  # fmt: skip
    return lines


def ledger_xlsx(
    ledger: MonthLedger,
    questions: Sequence[QuestionView],
    *,
    community: str,
    time_zone: Any,
    lang: str = "zh",
) -> bytes:
    """One sheet for the month (status, totals, each section's lines), one for the questions.
    Amounts are numbers in yuan (two decimals), so they can be added up."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{ledger.month_start:%Y-%m}"
    bold = Font(bold=True)
    sheet.append([translate("ledger.pdf_title", lang, community=community,
                            month=f"{ledger.month_start:%Y-%m}")])  # fmt: skip
    sheet["A1"].font = Font(bold=True, size=14)
    for text in _status_lines(ledger, time_zone, lang):
        sheet.append([text])
    sheet.append([])
    for label, value in _totals(ledger, lang):
        sheet.append([label, value])
    for section in LEDGER_CATEGORIES:
        sheet.append([])
        sheet.append([translate(f"ledger_section.{section}", lang)])
        sheet.cell(sheet.max_row, 1).font = bold
        sheet.append([translate("ledger.col_category", lang), translate("ledger.col_description", lang),
                      translate("ledger.col_amount", lang)])  # fmt: skip
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for line in ledger.section(section):
            amount = None if line.removed else Decimal(line.amount_fen) / 100
            sheet.append([translate(f"ledger_category.{line.category}", lang),
                          _line_text(line, lang), amount])  # fmt: skip
            sheet.cell(sheet.max_row, 2).alignment = Alignment(wrap_text=True)
            sheet.cell(sheet.max_row, 3).number_format = "#,##0.00"
    for column, width in zip("ABC", (22, 60, 16), strict=True):
        sheet.column_dimensions[column].width = width
    asked = workbook.create_sheet(translate("ledger.questions", lang)[:31])
    asked.append([translate("ledger.col_asked", lang), translate("ledger.col_question", lang),
                  translate("ledger.col_answer", lang)])  # fmt: skip
    for question in questions:
        asked.append([f"{stored_to_local(question.asked_at, time_zone):%Y-%m-%d %H:%M}",
                      question.question, question.answer or translate("ledger.unanswered", lang)])  # fmt: skip
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def ledger_pdf(
    ledger: MonthLedger,
    questions: Sequence[QuestionView],
    *,
    community: str,
    time_zone: Any,
    lang: str = "zh",
    chart: bytes | None = None,
    generated_at: dt.datetime | None = None,
) -> bytes:
    """The month on A4: title, status and sign-off, totals, the chart, each section, the
    questions and answers."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Spacer

    sheet = A4Sheet()
    text, width = sheet.text, sheet.width
    name = translate("ledger.pdf_title", lang, community=community,
                     month=f"{ledger.month_start:%Y-%m}")  # fmt: skip
    story: list[Any] = [text(name, sheet.title), Spacer(1, 3 * mm)]
    story += [text(line, sheet.body) for line in _status_lines(ledger, time_zone, lang)]
    if generated_at is not None:
        story.append(text(translate("ledger.pdf_made", lang, at=f"{generated_at:%Y-%m-%d %H:%M}")))
    story.append(Spacer(1, 4 * mm))
    story.append(sheet.grid([[translate("ledger.col_item", lang), translate("ledger.col_amount", lang)]]
                            + [[label, value] for label, value in _totals(ledger, lang)],
                            [0.6, 0.4], amounts_right=True))  # fmt: skip
    if chart is not None:
        picture = Image(io.BytesIO(chart))
        scale = width / picture.imageWidth
        picture.drawWidth, picture.drawHeight = width, picture.imageHeight * scale
        story += [Spacer(1, 4 * mm), picture]
    header = [translate(f"ledger.col_{c}", lang) for c in ("category", "description", "amount")]
    for section in LEDGER_CATEGORIES:
        story.append(text(translate(f"ledger_section.{section}", lang), sheet.heading))
        rows = _rows(ledger, section, lang)
        if not rows:
            story.append(text(translate("ledger.no_lines", lang)))
            continue
        story.append(sheet.grid([header, *rows], [0.2, 0.6, 0.2], amounts_right=True))
    story.append(text(translate("ledger.questions", lang), sheet.heading))
    if not questions:
        story.append(text(translate("ledger.no_questions", lang)))
    for question in questions:
        asked = f"{stored_to_local(question.asked_at, time_zone):%Y-%m-%d %H:%M}"
        story.append(text(f"{asked} {question.asker}:{question.question}", sheet.body))
        story.append(text(translate("ledger.answer_is", lang,
                                    answer=question.answer or translate("ledger.unanswered", lang))))  # fmt: skip
    return sheet.build(story, name)
