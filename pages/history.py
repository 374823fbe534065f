"""服务记录 History: every public work order of a period, with counts, handling time, export."""

from __future__ import annotations

import streamlit as st

from data_access.models import WORK_ORDER_CATEGORIES, WORK_ORDER_TYPES
from data_access.orders.history import MAX_ROWS
from ui import clock, context
from ui.charts import common as charts
from ui.charts import summaries
from ui.charts.cache import show_chart
from ui.loaders import orders as order_loaders
from ui.text import code_label, t
from ui.widgets.period_picker import period_picker

viewer = context.viewer()
st.title(t("history.title"))
st.caption(t("history.intro"))

period = period_picker(
    "history", span=order_loaders.history_days(viewer), allow_range=True, open_on_complete=True
)
search_column, type_column, category_column = st.columns([2, 1, 1])
search = search_column.text_input(
    t("history.search"), placeholder=t("history.search_placeholder"), max_chars=50,
    key="history_search",
)  # fmt: skip
order_type = type_column.selectbox(
    t("orders.filter_type"), [None, *WORK_ORDER_TYPES], key="history_type",
    format_func=lambda c: t("common.all") if c is None else code_label("order_type", c), placeholder=t("common.choose")
)  # fmt: skip
category = category_column.selectbox(
    t("orders.filter_category"), [None, *WORK_ORDER_CATEGORIES], key="history_category",
    format_func=lambda c: t("common.all") if c is None else code_label("order_category", c), placeholder=t("common.choose")
)  # fmt: skip
with st.spinner():
    history = order_loaders.history(
        viewer, period, clock.now_utc_minute(), search, order_type, category
    )
if history.empty:
    st.info(t("history.empty"), icon=":material/search_off:")
    st.stop()
if len(history) >= MAX_ROWS:
    st.warning(t("history.truncated", rows=MAX_ROWS))

completed = history[history["status"] == "completed"]
median = completed["handling_hours"].median()
on_time = history["on_time"].dropna()
untold = int((history["timeliness"] == "unknown").sum())  # the source has no response time
hours = completed["handling_hours"]


def share(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else t("kpi.no_data")


figures: list[tuple[str, int | str]] = [
    (t("history.metric_orders"), len(history)),
    (t("history.metric_completed"), len(completed)),
    (t("history.metric_median"),
     t("history.hours", hours=f"{median:.1f}") if len(completed) else t("kpi.no_data")),
    (t("history.metric_24h"), share(int((hours <= 24).sum()), len(completed))),
    (t("history.metric_72h"), share(int((hours <= 72).sum()), len(completed))),
    (t("history.metric_on_time"),
     share(int(on_time.sum()), len(on_time)) if len(on_time) or not untold else "—"),
]  # fmt: skip
for row in (figures[:3], figures[3:]):
    for column, (label, value) in zip(st.columns(3), row, strict=True):
        column.metric(label, value, border=True)
if untold:
    key = "kpi.left_out" if len(on_time) else "kpi.not_measured"
    st.caption(
        f"{t('history.metric_on_time')}: "
        + t(key, count=untold, reason=t("kpi.timeliness_rate.left_out_reason"))
    )

buckets = order_loaders.history_buckets(history, period)
buckets["type_label"] = buckets["order_type"].map(lambda c: code_label("order_type", c))
show_chart(
    charts.history_buckets, buckets, period, height=320,
    summary=summaries.history_buckets(buckets),
)  # fmt: skip

shown = history.assign(
    created_at=history["created_at"].dt.strftime("%Y-%m-%d %H:%M"),
    order_type=history["order_type"].map(lambda c: code_label("order_type", c)),
    category=history["category"].map(lambda c: code_label("order_category", c)),
    status=history["status"].map(lambda s: t(f"history.status_{s}")),
    handling_hours=history["handling_hours"].map(lambda h: "—" if h != h else f"{h:.1f}"),
    on_time=history["timeliness"].map(
        {
            "met": t("history.yes"),
            "missed": t("history.no"),
            "pending": "—",
            "unknown": t("history.on_time_unknown"),
        }
    ),
)
labels = {
    "code": t("history.col_code"), "created_at": t("history.col_created"),
    "order_type": t("history.col_type"), "category": t("history.col_category"),
    "title": t("history.col_title"), "location": t("history.col_location"),
    "status": t("history.col_status"), "handling_hours": t("history.col_hours"),
    "on_time": t("history.col_on_time"),
}  # fmt: skip
st.subheader(t("history.table"))
st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    column_order=list(labels),
    column_config={key: st.column_config.Column(label) for key, label in labels.items()},
)
export = shown[list(labels)].rename(columns=labels)
name = f"服务记录-{period.label}"
csv_column, excel_column, _ = st.columns([1, 1, 4])
csv_column.download_button(
    t("history.export_csv"), order_loaders.history_csv(export), file_name=f"{name}.csv", mime="text/csv",
    icon=":material/download:", on_click="ignore", key="history_export_csv",
)  # fmt: skip
excel_column.download_button(
    t("history.export_excel"), order_loaders.history_excel(export, t("history.title")), file_name=f"{name}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/table_view:", on_click="ignore", key="history_export_excel",
)  # fmt: skip
