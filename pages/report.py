"""月度报告 Monthly report (committee and managers): one month's KPIs against the contract and the
previous month, the month in words and its open items, the company's explanation of every missed
KPI (物业说明, written by managers; 物业未说明 where there is none), the trend, work orders, tickets,
hotspots, keywords and patrols; PDF and Excel downloads; publishing the month to the committee;
a meeting mode for a projector that shows one section per screen, stepped with buttons or the
arrow keys. Layout only: the figures (``data_access.analytics.report``) and their tables and files
(``reports``) come through ``ui.loaders.reports``."""

from __future__ import annotations

import streamlit as st

from data_access.analytics.kpis import CORE_KPI_KEYS
from data_access.errors import DomainError
from data_access.periods import Period, last_periods
from reports.fonts import pdf_font_installed
from reports.summary import open_items, what_changed
from reports.tables import ReportTable
from reports.text import report_file_name
from ui import clock, context
from ui.actions.report_forms import explanation_form, publish_form
from ui.charts import common as charts
from ui.charts import summaries
from ui.charts.cache import show_chart
from ui.formatting import local_time
from ui.loaders import reports as report_loaders
from ui.text import current_language, plain, t

MONTHS_OFFERED = 24
# Meeting mode: our own fixed style block and script (no user text in them) — no sidebar, full
# width, large type and a readable month picker; ← / → (or PageUp / PageDown) step through the
# sections by pressing the page's own buttons.
MEETING_STYLE = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
header[data-testid="stHeader"] { display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 1.5rem 3rem !important; }
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] td,
[data-testid="stMain"] th { font-size: 1.35rem !important; }
[data-testid="stMain"] [data-testid="stMetricLabel"] p { font-size: 1.5rem !important; }
[data-testid="stMain"] [data-testid="stMetricValue"] p { font-size: 3.4rem !important; }
[data-testid="stMain"] [data-testid="stMetricDelta"] p { font-size: 1.3rem !important; }
[data-testid="stMain"] h1 { font-size: 3.4rem !important; }
[data-testid="stMain"] h2 { font-size: 2.6rem !important; }
[data-testid="stMain"] h3 { font-size: 2.2rem !important; }
[data-testid="stMain"] [data-testid="stSelectbox"] label p,
[data-testid="stMain"] [data-testid="stWidgetLabel"] p { font-size: 1.5rem !important; }
[data-testid="stMain"] [data-testid="stSelectbox"] input {
  font-size: 1.6rem !important; min-height: 2.8rem !important; }
[data-testid="stMain"] button p { font-size: 1.4rem !important; }
[data-testid="stMain"] [data-testid="stCaptionContainer"],
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1.2rem !important; }
</style>
<script>
(() => {
  if (document.ownerDashboardMeetingKeys) return;
  document.ownerDashboardMeetingKeys = true;
  document.addEventListener("keydown", (event) => {
    // Not while typing (a text box, the month picker); a switch or a button may have focus.
    if (event.target.closest("textarea, [contenteditable=true], [role=combobox], "
        + "input:not([type=checkbox]):not([type=radio]):not([type=button])")) return;
    const step = {ArrowRight: "next", PageDown: "next", ArrowLeft: "previous", PageUp: "previous"}[event.key];
    const button = step && document.querySelector(`.st-key-meeting_${step} button`);
    if (button && !button.disabled) { event.preventDefault(); button.click(); }
  });
})();
</script>"""
MEETING_SECTIONS = (
    "kpis", "month_in_words", "explanations", "trend", "work_orders", "tickets", "hotspots",
    "patrols",
)  # fmt: skip
# Charts on the projector: text as large as the page's (1920 px wide, read from the back row).
MEETING_CHART_CONFIG = {
    "axis": {"labelFontSize": 20, "titleFontSize": 22},
    "legend": {"labelFontSize": 20, "titleFontSize": 22, "symbolSize": 220},
    "title": {"fontSize": 28, "subtitleFontSize": 22},
    "header": {"labelFontSize": 20, "titleFontSize": 22},
    "text": {"fontSize": 20},
}


def month_label(month: Period, running: bool = False) -> str:
    text = t("report.month_option", year=month.start.year, month=month.start.month)
    return t("report.month_running", label=text) if running else text


def show_table(table: ReportTable, big: bool) -> None:
    """A section's table; in meeting mode a static table, whose type the style enlarges
    (``st.table`` renders Markdown: titles and reasons that owners wrote go through ``plain``)."""
    if not table.rows:
        st.info(table.empty_text)
    elif big:
        st.table(table.text_frame(lang).map(plain), hide_index=True)
    else:
        st.dataframe(table.text_frame(lang), hide_index=True, width="stretch")


viewer = context.viewer()
lang = current_language()
today, now = clock.local_today(), clock.now_utc_minute()
months = last_periods("month", today, MONTHS_OFFERED)[::-1]  # this month first, still running

st.title(t("page.report"))
st.caption(t("report.intro"))
month_column, mode_column = st.columns([3, 2], vertical_alignment="bottom")
month = month_column.selectbox(
    t("report.month_picker"), months, index=1, key="report_month",
    format_func=lambda m: month_label(m, running=m == months[0]), placeholder=t("common.choose")
)  # fmt: skip
meeting = mode_column.toggle(
    t("report.meeting_mode"), key="report_meeting_mode", help=t("report.meeting_mode_help")
)
if meeting:
    st.html(MEETING_STYLE, unsafe_allow_javascript=True)

try:
    with st.spinner():
        report = report_loaders.monthly_report(viewer, month, now)
        tables = {table.key: table for table in report_loaders.tables(viewer, month, now, lang)}
except DomainError as error:
    st.error(error.message(lang))
    st.stop()
month_running = month == months[0]
chart_config = MEETING_CHART_CONFIG if meeting else None


def heading() -> None:
    st.header(t("report.heading", community=report.community_name, month=month_label(month)))
    published = report.explanations.published_at
    state = (
        t("report.published_at", time=local_time(published))
        if published is not None
        else t("report.running_not_published") if month_running else t("report.not_published")
    )  # fmt: skip
    st.caption(f"{t('report.as_of', as_of=local_time(report.as_of))} · {state}")


def downloads() -> None:
    """The PDF and the workbook, made when their button is pressed (the PDF draws two charts:
    about two seconds the page need not wait for)."""
    pdf_column, excel_column, hint_column = st.columns([1, 1, 3], vertical_alignment="center")
    if pdf_font_installed():
        specs = report_loaders.pdf_chart_specs(report, lang)
        pdf_column.download_button(
            t("report.download_pdf"),
            lambda: report_loaders.pdf(viewer, month, now, lang, specs),
            file_name=report_file_name(report, "pdf", lang), mime="application/pdf",
            icon=":material/picture_as_pdf:", on_click="ignore", key="report_download_pdf",
        )  # fmt: skip
    else:
        pdf_column.caption(t("report.pdf_needs_font"))
    excel_column.download_button(
        t("report.download_excel"), lambda: report_loaders.excel(viewer, month, now, lang),
        file_name=report_file_name(report, "xlsx", lang),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table_view:", on_click="ignore", key="report_download_excel",
    )  # fmt: skip
    hint_column.caption(f":material/print: {t('report.print_hint')}")


def kpis_section() -> None:
    """The six KPIs against the contract and the previous month."""
    kpi_table = tables["kpis"]
    st.subheader(kpi_table.title)
    st.caption(t("report.kpi_caption"))
    kpi_text = kpi_table.text_rows(lang)
    for chunk in (range(0, 3), range(3, 6)):
        for column, i in zip(st.columns(3), chunk, strict=True):
            row, text = report.kpis[i], kpi_text[i]
            card = column.container(border=True)
            card.metric(
                t(f"kpi.{row.key}"), text[1], delta=None if row.change is None else text[6],
                help=t("report.metric_help", numerator=text[2], denominator=text[3]),
            )  # fmt: skip
            below = (
                f" · :red-badge[{t('report.below_target')}]" if row.meets_target is False else ""
            )
            card.markdown(t("kpi.target", target=text[4]) + below)
    if not meeting:
        show_table(kpi_table, meeting)


def month_in_words_section() -> None:
    """Three sentences on what changed, and what the committee should ask about."""
    st.subheader(t("report.summary_heading"))
    if month_running:
        st.caption(t("report.summary_running"))
    for sentence in what_changed(report, lang):
        st.markdown(plain(sentence))
    st.subheader(t("report.open_heading"))
    items = open_items(report, lang)
    if items:
        st.markdown("\n".join(f"- {plain(item)}" for item in items))
    else:
        st.caption(t("report.open_none"))


def explanations_section() -> None:
    """物业说明: each missed KPI with the company's word, or 物业未说明; managers write here."""
    st.subheader(tables["explanations"].title)
    explained = report.explanations.by_kpi
    keys = [k.key for k in report.kpis if k.meets_target is False or k.key in explained]
    if not keys:
        st.info(tables["explanations"].empty_text, icon=":material/task_alt:")
    writable = viewer.is_manager and not month_running
    for key in keys:
        kpi = report.kpi(key)
        view = explained.get(key)
        with st.container(border=True):
            verdict = (
                f" :red-badge[{t('report.below_target')}]" if kpi.meets_target is False else ""
            )
            st.markdown(f"**{t(f'kpi.{key}')}**{verdict}")
            if view is None:
                st.markdown(f":red-badge[:material/help: {t('report.unexplained')}]")
            else:
                version = view.current
                st.markdown(f"**{t('report.col_explanation')}:** {plain(version.reason)}")
                st.markdown(f"**{t('report.col_action')}:** {plain(version.action)}")
                st.caption(
                    t("report.explain_owner_due", owner=plain(version.action_owner),
                      due=f"{version.action_due:%Y-%m-%d}")
                    + (f" · {plain(version.author)}" if version.author else "")
                    + f" · {t('report.explain_written', time=local_time(version.written_at))}"
                )  # fmt: skip
                if view.edited_after_publication:
                    with st.expander(t("report.explain_history", n=len(view.replaced))):
                        for old in reversed(view.replaced):
                            st.markdown(
                                f"*{t('report.explain_written', time=local_time(old.written_at))}*"
                                f" — {plain(old.reason)} / {plain(old.action)} "
                                f"({plain(old.action_owner)}, {old.action_due:%Y-%m-%d})"
                            )
            if writable and not meeting:
                explanation_form(
                    viewer, month.start, key, view, published=report.explanations.is_published
                )
    if viewer.is_manager and not meeting:
        if month_running:
            st.caption(t("report.explain_after_month"))
        elif not report.explanations.is_published:
            publish_form(viewer, month.start)


def trend_section() -> None:
    st.subheader(tables["trend"].title)
    labels = {key: t(f"kpi.{key}") for key in CORE_KPI_KEYS}
    show_chart(
        charts.kpi_trend, report.trend, labels, height=560 if meeting else 360,
        summary=summaries.kpi_trend(report.trend, labels), config=chart_config,
    )  # fmt: skip
    if not meeting:
        with st.expander(tables["trend"].title):
            show_table(tables["trend"], meeting)


def work_orders_section() -> None:
    st.subheader(tables["work_orders"].title)
    orders_metric, median_metric, timely_metric = st.columns(3)
    totals = tables["work_orders"].text_rows(lang)[-1]
    orders_metric.metric(t("report.metric_orders"), totals[1], border=True)
    median_metric.metric(t("report.metric_median"), t("report.hours", hours=totals[6]), border=True)
    timely_metric.metric(t("kpi.timeliness_rate"), totals[5], border=True)
    show_table(tables["work_orders"], meeting)


def tickets_section() -> None:
    st.subheader(tables["tickets"].title)
    figures = (
        (t("report.metric_opened"), report.tickets.opened),
        (t("report.metric_closed"), report.tickets.closed),
        (t("report.metric_overdue"), report.tickets.overdue_now),
        (t("report.metric_rejected"), report.tickets.rejected),
    )
    for column, (name, value) in zip(st.columns(4), figures, strict=True):
        column.metric(name, value, border=True)
    st.markdown(f"**{tables['overdue'].title}**")
    st.caption(t("report.overdue_caption"))
    show_table(tables["overdue"], meeting)
    st.markdown(f"**{tables['rejected'].title}**")
    st.caption(t("report.rejected_caption"))
    show_table(tables["rejected"], meeting)


def hotspots_section() -> None:
    """Hotspots and keywords, side by side."""
    hotspot_column, keyword_column = st.columns(2)
    with hotspot_column:
        st.subheader(tables["hotspots"].title)
        if not report.hotspots.empty:
            spots = report_loaders.hotspot_bars(report, lang)
            show_chart(
                charts.ranked_bars, spots, "place", "count", t("report.hotspot_chart"),
                t("report.axis_count"), summary=summaries.ranked(spots, "place", "count"),
                config=chart_config,
            )  # fmt: skip
        show_table(tables["hotspots"], meeting)
    with keyword_column:
        st.subheader(tables["keywords"].title)
        if report.keywords:
            words = report_loaders.keyword_bars(report)
            show_chart(
                charts.ranked_bars, words, "word", "texts", t("report.keyword_chart"),
                t("report.col_documents"), summary=summaries.ranked(words, "word", "texts"),
                config=chart_config,
            )  # fmt: skip
        show_table(tables["keywords"], meeting)


def patrols_section() -> None:
    st.subheader(tables["patrols"].title)
    patrols = report.patrols
    shift_metric, coverage_metric, missed_metric = st.columns(3)
    shift_metric.metric(t("report.metric_shifts"), patrols.shifts, border=True)
    coverage_metric.metric(
        t("report.metric_coverage"),
        t("kpi.no_data") if patrols.coverage_share is None else f"{patrols.coverage_share:.1%}",
        border=True,
    )
    missed_metric.metric(t("report.metric_missed_shifts"), patrols.missed, border=True)
    show_table(tables["patrols"], meeting)


SECTIONS = {
    "kpis": kpis_section,
    "month_in_words": month_in_words_section,
    "explanations": explanations_section,
    "trend": trend_section,
    "work_orders": work_orders_section,
    "tickets": tickets_section,
    "hotspots": hotspots_section,
    "patrols": patrols_section,
}


def step_meeting(by: int) -> None:
    """A step button's callback: runs before the page, so the buttons drawn after it already
    know whether there is a section before or after the new one."""
    position = st.session_state.get("report_meeting_section", 0) + by
    st.session_state["report_meeting_section"] = max(0, min(position, len(MEETING_SECTIONS) - 1))


def meeting_steps() -> str:
    """The section on the projector, and the buttons (and keys) that step to the next one."""
    position = min(st.session_state.get("report_meeting_section", 0), len(MEETING_SECTIONS) - 1)
    previous_column, where_column, next_column = st.columns([1, 3, 1], vertical_alignment="center")
    previous_column.button(
        t("report.meeting_previous"), key="meeting_previous", icon=":material/arrow_back:",
        disabled=position == 0, width="stretch", on_click=step_meeting, args=(-1,),
    )  # fmt: skip
    next_column.button(
        t("report.meeting_next"), key="meeting_next", icon=":material/arrow_forward:",
        disabled=position == len(MEETING_SECTIONS) - 1, width="stretch",
        on_click=step_meeting, args=(1,),
    )  # fmt: skip
    where_column.markdown(
        t("report.meeting_where", n=position + 1, total=len(MEETING_SECTIONS),
          section=t(f"report.meeting_section_{MEETING_SECTIONS[position]}"))
    )  # fmt: skip
    return MEETING_SECTIONS[position]


heading()
if report.is_empty:
    st.info(t("report.empty_month", month=month_label(month)), icon=":material/event_busy:")
    st.stop()
if meeting:
    SECTIONS[meeting_steps()]()
else:
    downloads()
    for draw in SECTIONS.values():
        draw()
