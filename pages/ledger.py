"""公共收益与费用公示 Public money: the income from the community's common parts, the costs set
against it, the owners' share and its use, and the maintenance fund's spending — month by
month, signed off by the owners' committee before owners see it.

Owners: the published months (a month not yet signed off says so — it is not zero), the
12-month chart, the share per m² and for their own units, every line with its corrections, and
a question about any line, answered here in public. The committee: every month, the review
(approve = publish, or return with a comment). Managers: write or import the lines, correct a
published month (a visible correction with its reason), answer questions; Excel and PDF for all.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from data_access.errors import DomainError
from data_access.governance.ledger import LedgerLineView, LineInput, MonthLedger
from data_access.governance.ledger_import import amount_to_fen, template_xlsx
from data_access.governance.questions import QUESTION_MAX, QuestionView
from data_access.models import LEDGER_CATEGORIES
from data_access.periods import last_periods
from data_access.timestamps import stored_to_local
from reports.charts import chart_png
from reports.fonts import pdf_font_installed
from reports.ledger import ledger_pdf, ledger_xlsx, per_m2_text, yuan
from ui import clock, context
from ui.actions import governance as actions
from ui.actions.commands import flash, show_flashes
from ui.charts import governance as ledger_charts
from ui.charts.cache import show_chart, vega_lite_spec
from ui.formatting import deadline_text, local_time
from ui.loaders import governance as loaders
from ui.navigation import link_to
from ui.text import code_label, current_language, plain, t

MAX_IMPORT_BYTES = 10 * 1024 * 1024
MONTHS_OFFERED = 24

viewer = context.viewer()
now = clock.now_utc()
today = clock.local_today()
lang = current_language()
st.title(t("page.ledger"))
st.caption(t("ledger.intro"))
show_flashes()

months = [p.start for p in reversed(last_periods("month", today, MONTHS_OFFERED))]
# Opened on the latest month with figures (for owners: the latest published one), else on the
# last ended month: the one a committee reviews.
with_figures = [m.month_start for m in loaders.months(viewer, today) if m.totals is not None]
latest = max(with_figures, default=months[1] if len(months) > 1 else months[0])
month_start = st.selectbox(t("ledger.month"), months, index=months.index(latest),
                           format_func=lambda m: f"{m:%Y-%m}", key="ledger_month")  # fmt: skip
ledger = loaders.month(viewer, month_start, now)


def error_box(error: DomainError) -> None:
    st.error(error.message(lang), icon=":material/error:")


def cards(month: MonthLedger) -> None:
    """The month's figures: income, costs, the owners' share, per m², mine, the fund's spending."""
    totals = month.totals
    mine = month.my_share_fen
    figures = [
        ("income", t("ledger.total_income"), f"¥{yuan(totals.income_fen)}"),
        ("cost", t("ledger.total_cost"), f"¥{yuan(totals.cost_fen)}"),
        ("share", t("ledger.owners_share"), f"¥{yuan(totals.owners_share_fen)}"),
        ("per_m2", t("ledger.per_m2"), per_m2_text(month.share_per_m2_fen, lang)),
        ("mine", t("ledger.my_share"), "—" if mine is None else f"¥{yuan(mine)}"),
        ("fund", t("ledger.total_fund"), f"¥{yuan(totals.fund_fen)}"),
    ]
    for start in (0, 3):
        for column, (key, label, value) in zip(
            st.columns(3), figures[start : start + 3], strict=True
        ):
            with column, st.container(border=True, key=f"ledger_card_{key}"):
                st.metric(label, value)


def line_rows(lines: list[LedgerLineView]) -> pd.DataFrame:
    rows = []
    for line in lines:
        text = line.description
        if line.removed:
            text = t("ledger.removed_line", text=text)
        for old in line.earlier:
            text += " · " + t("ledger.was", amount=yuan(old.amount_fen), text=old.description)
        marks = []
        if line.corrected:
            marks.append(t("ledger.corrected_at", at=local_time(line.written_at)))
        if line.unreviewed:
            marks.append(t("ledger.unreviewed"))
        rows.append({
            t("ledger.col_category"): code_label("ledger_category", line.category),
            t("ledger.col_description"): text,
            t("ledger.col_amount"): "—" if line.removed else yuan(line.amount_fen),
            t("ledger.col_order"): line.work_order_code or "",
            t("ledger.col_note"): " · ".join(marks),
        })  # fmt: skip
    return pd.DataFrame(rows)


def sections(month: MonthLedger) -> None:
    for section in LEDGER_CATEGORIES:
        lines = month.section(section)
        st.subheader(code_label("ledger_section", section), anchor=False)
        if not lines:
            st.caption(t("ledger.no_lines"))
            continue
        st.dataframe(line_rows(lines), hide_index=True, width="stretch")
        linked = [x for x in lines if x.work_order_id is not None]
        for line in linked:
            st.page_link(link_to("order_detail.py"),
                         label=t("ledger.see_order", code=line.work_order_code),
                         icon=":material/receipt_long:", query_params={"id": str(line.work_order_id)})  # fmt: skip


def status_box(month: MonthLedger) -> None:
    status = month.status
    icon = {"published": ":material/verified:", "corrected": ":material/history_edu:",
            "returned": ":material/undo:", "draft": ":material/draft:"}[status]  # fmt: skip
    text = t(f"ledger_status.{status}")
    if month.running:
        text += " · " + t("ledger.running")
    (st.success if status == "published" else st.info)(text, icon=icon)
    for review in month.reviews:
        st.caption(t(f"ledger.review_{review.decision}", who=review.reviewer,
                     at=local_time(review.reviewed_at), comment=review.comment or "—"))  # fmt: skip


def chart() -> dict[str, Any]:
    """Draw the 12 months up to the chosen one; returns the spec (the PDF draws the same)."""
    figures = loaders.months(viewer, month_start)
    frame = ledger_charts.months_frame(figures, lang)
    show_chart(ledger_charts.ledger_months, frame, summary=ledger_charts.summary(figures))
    return vega_lite_spec(ledger_charts.ledger_months, "ui.charts.governance.ledger_months",
                          frame, language=lang)  # fmt: skip


def questions_part(month: MonthLedger, asked: list[QuestionView]) -> None:
    st.subheader(t("ledger.questions"), anchor=False)
    current = {line.line_id: line for line in month.lines}
    if viewer.role in ("owner", "committee") and month.is_published and month.lines:
        with st.form("ask_question", clear_on_submit=True):
            choices = [x for x in month.lines if not x.removed]
            line_id = st.selectbox(
                t("ledger.ask_about"), [x.line_id for x in choices],
                format_func=lambda i: f"{current[i].description} · ¥{yuan(current[i].amount_fen)}",
            )  # fmt: skip
            text = st.text_area(t("ledger.your_question"), max_chars=QUESTION_MAX)
            if st.form_submit_button(t("ledger.ask"), type="primary"):
                try:
                    actions.ask(viewer, line_id, text)
                except DomainError as error:
                    error_box(error)
                else:
                    flash(t("ledger.asked"))
                    st.rerun()
    if not asked:
        st.caption(t("ledger.no_questions"))
    for question in asked:
        with st.container(border=True):
            st.markdown(f"**{plain(question.asker)}** · {local_time(question.asked_at)}")
            st.markdown(plain(question.question))
            if question.answer is not None:
                st.markdown(f":material/support_agent: {plain(question.answer)}")
                st.caption(t("ledger.answered_at", at=local_time(question.answered_at)))
            else:
                due = deadline_text(question.due_at, now)
                st.caption(t("ledger.answer_due", due=due) if not question.is_overdue(now)
                           else f":red[{t('ledger.answer_overdue', due=local_time(question.due_at))}]")  # fmt: skip
                if viewer.is_manager:
                    with st.form(f"answer_{question.question_id}", clear_on_submit=True):
                        text = st.text_area(t("ledger.your_answer"), max_chars=2000)
                        if st.form_submit_button(t("ledger.answer"), type="primary"):
                            try:
                                actions.answer(viewer, question.question_id, text)
                            except DomainError as error:
                                error_box(error)
                            else:
                                flash(t("ledger.answered"))
                                st.rerun()


def line_form(key: str, month: MonthLedger | None, line: LedgerLineView | None = None) -> None:
    """Add a line, or change / remove ``line`` (after publication: with a reason)."""
    published = month is not None and month.is_published
    with st.form(key, clear_on_submit=line is None):
        every = [(s, c) for s in LEDGER_CATEGORIES for c in LEDGER_CATEGORIES[s]]
        section, category = st.selectbox(
            t("ledger.col_category"), every,
            index=every.index((line.section, line.category)) if line else 0,
            format_func=lambda sc: f"{code_label('ledger_section', sc[0])} · "
            f"{code_label('ledger_category', sc[1])}", key=f"{key}_category",
        )  # fmt: skip
        description = st.text_input(t("ledger.col_description"), max_chars=200,
                                    value=line.description if line else "")  # fmt: skip
        amount = st.text_input(t("ledger.amount_yuan"), placeholder="12345.60",
                               value=yuan(line.amount_fen).replace(",", "") if line else "")  # fmt: skip
        order = st.text_input(t("ledger.order_code"), max_chars=32,
                              value=line.work_order_code if line else "")  # fmt: skip
        reason = st.text_input(t("ledger.reason"), max_chars=200,
                               help=t("ledger.reason_help")) if published else ""  # fmt: skip
        left, right = st.columns(2)
        save = left.form_submit_button(t("ledger.save" if line else "ledger.add"), type="primary")
        remove = right.form_submit_button(t("ledger.remove")) if line else False
    if not save and not remove:
        return
    fen = amount_to_fen(amount)
    if save and fen is None:
        st.error(t("ledger.bad_amount"))
        return
    entry = LineInput(section, category, description, fen or 0, order)
    try:
        if line is None:
            actions.add_line(viewer, month_start, entry, reason)
        else:
            actions.change_line(viewer, line.line_id, None if remove else entry, reason)
    except DomainError as error:
        error_box(error)
    else:
        flash(t("ledger.saved"))
        st.rerun()


def manager_tools(month: MonthLedger | None) -> None:
    write_tab, change_tab, import_tab = st.tabs(
        [t("ledger.tab_add"), t("ledger.tab_change"), t("ledger.tab_import")]
    )
    with write_tab:
        line_form("add_line", month)
    with change_tab:
        lines = [x for x in (month.lines if month else ()) if not x.removed]
        if not lines:
            st.caption(t("ledger.no_lines"))
        else:
            chosen = st.selectbox(
                t("ledger.choose_line"), [x.line_id for x in lines], key="ledger_change_choice",
                format_func=lambda i: next(f"{x.description} · ¥{yuan(x.amount_fen)}"
                                           for x in lines if x.line_id == i),
            )  # fmt: skip
            line_form(f"change_line_{chosen}", month, next(x for x in lines if x.line_id == chosen))
    with import_tab:
        st.caption(t("ledger.import_help"))
        st.download_button(t("ledger.template"), template_xlsx(lang), file_name="ledger-template.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           icon=":material/download:", on_click="ignore")  # fmt: skip
        upload = st.file_uploader(
            t("ledger.import_file"), type=["xlsx", "csv"], key="ledger_upload"
        )
        reason = ""
        if month is not None and month.is_published:
            reason = st.text_input(t("ledger.reason"), max_chars=200, key="ledger_import_reason")
        left, right = st.columns(2)
        check = left.button(t("ledger.import_check"), disabled=upload is None, width="stretch")
        run = right.button(t("ledger.import_run"), type="primary", disabled=upload is None,
                           width="stretch")  # fmt: skip
        if upload is not None and (check or run):
            data = upload.getvalue()
            if len(data) > MAX_IMPORT_BYTES:
                st.error(t("imports.file_too_large", size_mb=f"{len(data) / 2**20:.1f}",
                           max_mb=MAX_IMPORT_BYTES // 2**20))  # fmt: skip
                return
            try:
                report = actions.import_lines(viewer, month_start, data, upload.name, reason,
                                              dry_run=not run)  # fmt: skip
            except DomainError as error:
                error_box(error)
                return
            st.info(t("ledger.import_result", good=len(report.good), bad=len(report.rejected),
                      written=report.written))  # fmt: skip
            for line_no, key, params in report.rejected:
                st.caption(t("ledger.import_row", line=line_no, reason=t(key, **params)))
            if report.written:
                flash(t("ledger.import_done", n=report.written))
                st.rerun()


def committee_review(month: MonthLedger) -> None:
    if month.running:
        st.caption(t("ledger.review_after_end"))
        return
    with st.form("review_month"):
        st.markdown(t("ledger.review_prompt"))
        decision = st.radio(t("ledger.decision"), ("approve", "return"), horizontal=True,
                            format_func=lambda d: t(f"ledger.decision_{d}"))  # fmt: skip
        comment = st.text_area(t("ledger.comment"), max_chars=500)
        if st.form_submit_button(t("ledger.submit_review"), type="primary"):
            try:
                actions.review(viewer, month_start, decision, comment)
            except DomainError as error:
                error_box(error)
            else:
                flash(t(f"ledger.reviewed_{decision}"))
                st.rerun()


def exports(month: MonthLedger, asked: list[QuestionView], spec: dict[str, Any]) -> None:
    """The workbook and the PDF, made when their button is pressed (from what this run read)."""
    community = loaders.name_of_community(viewer)
    zone = context.time_zone()
    made = stored_to_local(now, zone)
    left, right = st.columns(2)
    name = f"ledger-{month_start:%Y-%m}"
    left.download_button(
        t("ledger.excel"),
        lambda: ledger_xlsx(month, asked, community=community, time_zone=zone, lang=lang),
        file_name=f"{name}.xlsx", icon=":material/table_view:", width="stretch",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore", key="ledger_download_excel",
    )  # fmt: skip
    if not pdf_font_installed():
        right.caption(t("report.pdf_needs_font"))
        return
    right.download_button(
        t("ledger.pdf"),
        lambda: ledger_pdf(month, asked, community=community, time_zone=zone, lang=lang,
                           chart=chart_png(spec), generated_at=made),
        file_name=f"{name}.pdf", icon=":material/picture_as_pdf:", mime="application/pdf",
        width="stretch", on_click="ignore", key="ledger_download_pdf",
    )  # fmt: skip


if ledger is None:
    st.info(t("ledger.not_published", month=f"{month_start:%Y-%m}"), icon=":material/hourglass:")
else:
    status_box(ledger)
    cards(ledger)
chart_spec = chart()
if ledger is not None:
    questions = loaders.month_questions(viewer, month_start)
    sections(ledger)
    exports(ledger, questions, chart_spec)
    if viewer.is_committee:
        st.subheader(t("ledger.review"), anchor=False)
        committee_review(ledger)
    questions_part(ledger, questions)
if viewer.is_manager:
    st.subheader(t("ledger.manage"), anchor=False)
    manager_tools(ledger)
