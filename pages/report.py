"""月度报告 Monthly report (committee and managers): one month's KPIs against the contract and the
previous month, the trend, work orders, tickets, hotspots, keywords and patrols; PDF and Excel
downloads; a meeting mode for the projector. Layout only: the figures
(``data_access.analytics.report``) and their tables and files (``reports``) come through
``ui.loaders.reports``."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from data_access.analytics.kpis import CORE_KPI_KEYS
from data_access.errors import DomainError
from data_access.periods import Period, last_periods
from reports.tables import ReportTable
from reports.text import report_file_name
from ui import clock, context
from ui.charts import common as charts
from ui.charts import summaries
from ui.charts.cache import show_chart
from ui.charts.common import HORIZONTAL_Y_TITLE
from ui.formatting import local_time
from ui.loaders import reports as report_loaders
from ui.text import code_label, current_language, plain, t

MONTHS_OFFERED = 24
# Meeting mode: our own fixed style block (no user text in it) — no sidebar, full width, large type.
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
</style>"""


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


def bar_chart(frame: pd.DataFrame, label: str, value: str, title: str, axis: str) -> alt.Chart:
    return (
        alt.Chart(frame)
        .mark_bar(color="#35557a")
        .encode(
            x=alt.X(f"{value}:Q", title=axis, axis=alt.Axis(format="d", tickMinStep=1)),
            y=alt.Y(f"{label}:N", sort="-x", title=None, axis=alt.Axis(**HORIZONTAL_Y_TITLE)),
            tooltip=[alt.Tooltip(f"{label}:N", title=None), alt.Tooltip(f"{value}:Q", title=axis)],
        )
        .properties(title=title)
    )


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
    st.html(MEETING_STYLE)
    st.info(t("report.meeting_on"), icon=":material/co_present:")

try:
    with st.spinner():
        report = report_loaders.monthly_report(viewer, month, now)
        tables = {table.key: table for table in report_loaders.tables(viewer, month, now, lang)}
except DomainError as error:
    st.error(error.message(lang))
    st.stop()

st.header(t("report.heading", community=report.community_name, month=month_label(month)))
st.caption(t("report.as_of", as_of=local_time(report.as_of)))
if report.is_empty:
    st.info(t("report.empty_month", month=month_label(month)), icon=":material/event_busy:")
    st.stop()

pdf_column, excel_column, hint_column = st.columns([1, 1, 3], vertical_alignment="center")
pdf_column.download_button(
    t("report.download_pdf"), report_loaders.pdf(viewer, month, now, lang),
    file_name=report_file_name(report, "pdf", lang), mime="application/pdf",
    icon=":material/picture_as_pdf:", key="report_download_pdf",
)  # fmt: skip
excel_column.download_button(
    t("report.download_excel"), report_loaders.excel(viewer, month, now, lang),
    file_name=report_file_name(report, "xlsx", lang),
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/table_view:", key="report_download_excel",
)  # fmt: skip
hint_column.caption(f":material/print: {t('report.print_hint')}")

# --- KPIs against the contract and the previous month ---------------------------------------
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
        below = f" · :red-badge[{t('report.below_target')}]" if row.meets_target is False else ""
        card.markdown(t("kpi.target", target=text[4]) + below)
show_table(kpi_table, meeting)

st.subheader(tables["trend"].title)
labels = {key: t(f"kpi.{key}") for key in CORE_KPI_KEYS}
show_chart(
    charts.kpi_trend, report.trend, labels, height=360,
    summary=summaries.kpi_trend(report.trend, labels),
)  # fmt: skip
with st.expander(tables["trend"].title):
    show_table(tables["trend"], meeting)

# --- work orders ----------------------------------------------------------------------------
st.subheader(tables["work_orders"].title)
orders_metric, median_metric, timely_metric = st.columns(3)
totals = tables["work_orders"].text_rows(lang)[-1]
orders_metric.metric(t("report.metric_orders"), totals[1], border=True)
median_metric.metric(t("report.metric_median"), t("report.hours", hours=totals[6]), border=True)
timely_metric.metric(t("kpi.timeliness_rate"), totals[5], border=True)
show_table(tables["work_orders"], meeting)

# --- rectification --------------------------------------------------------------------------
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

# --- hotspots and keywords ------------------------------------------------------------------
hotspot_column, keyword_column = st.columns(2)
with hotspot_column:
    st.subheader(tables["hotspots"].title)
    if not report.hotspots.empty:
        categories = report.hotspots["category"].map(lambda c: code_label("order_category", c))
        spots = report.hotspots.assign(place=report.hotspots["area"] + " · " + categories)
        st.altair_chart(
            bar_chart(spots, "place", "count", t("report.hotspot_chart"), t("report.axis_count")),
            width="stretch",
        )
    show_table(tables["hotspots"], meeting)
with keyword_column:
    st.subheader(tables["keywords"].title)
    if report.keywords:
        # Ranked by the texts a word occurs in, as the table (one rant does not outweigh ten).
        words = pd.DataFrame({"word": [k.word for k in report.keywords],
                              "texts": [k.documents for k in report.keywords]})  # fmt: skip
        chart = bar_chart(words, "word", "texts", t("report.keyword_chart"),
                          t("report.col_documents"))  # fmt: skip
        st.altair_chart(chart, width="stretch")
    show_table(tables["keywords"], meeting)

# --- patrols --------------------------------------------------------------------------------
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
