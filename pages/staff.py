"""员工绩效 Staff KPIs (managers only): per staff member of the community, orders handled, on-time
share, owners' rating, rectifications and rework, patrol coverage; and one person's trend."""

from __future__ import annotations

import streamlit as st

from data_access.analytics.staff_kpis import (
    SORT_KEYS,
    has_activity,
    select_staff,
    summarize_staff,
)
from ui import clock, context
from ui.charts import summaries
from ui.charts.cache import show_chart
from ui.charts.quality import staff_measure_chart, trend_measures
from ui.formatting import STAFF_RATE_FORMATS, shown_with_dashes
from ui.loaders import quality as quality_loaders
from ui.text import data_label, t
from ui.widgets.period_picker import period_picker

viewer = context.viewer()
st.title(t("page.staff"))
st.caption(t("staff.intro"))

period = period_picker("staff", open_on_complete=True)
if st.session_state.get("staff_person_period") != period:  # another period: its first person
    st.session_state.pop("staff_person", None)
    st.session_state["staff_person_period"] = period
now = clock.now_utc_minute()
with st.spinner():
    table = quality_loaders.staff_table(viewer, period, now)
if table.empty:
    st.info(t("staff.empty"), icon=":material/group_off:")
    st.stop()


def show_top_person() -> None:
    """A new order or filter (or period) shows the trend of whoever now comes first."""
    st.session_state.pop("staff_person", None)


post_column, sort_column = st.columns(2)
posts = sorted(table["post"].unique())
post = post_column.selectbox(
    t("staff.filter_post"), [None, *posts], key="staff_post", on_change=show_top_person,
    format_func=lambda p: t("staff.all_posts") if p is None else data_label("post", p), placeholder=t("common.choose")
)  # fmt: skip
sort_by = sort_column.selectbox(
    t("staff.sort_by"), SORT_KEYS, key="staff_sort", on_change=show_top_person,
    format_func=lambda c: t(f"staff.col_{c}"), placeholder=t("common.choose")
)  # fmt: skip
shown = select_staff(table, post=post, sort_by=sort_by or "orders_handled")

summary = summarize_staff(shown)
metrics = st.columns(4)
metrics[0].metric(t("staff.metric_people"), summary.people, border=True)
metrics[1].metric(t("staff.metric_orders"), summary.orders_handled, border=True)
metrics[2].metric(
    t("staff.metric_rating"),
    t("kpi.no_data") if summary.mean_rating is None else f"{summary.mean_rating:.2f}",
    border=True,
)
metrics[3].metric(t("staff.metric_rework"), summary.rework, border=True)

st.dataframe(
    shown_with_dashes(shown, STAFF_RATE_FORMATS).assign(
        post=[data_label("post", post) for post in shown["post"]]
    ),
    hide_index=True,
    width="stretch",
    column_order=[
        "name",
        "post",
        "team",
        "orders_handled",
        "on_time_share",
        "ratings",
        "mean_rating",
        "rectifications",
        "rework",
        "shifts_walked",
        "shifts_missed",
        "patrol_coverage",
    ],
    column_config={
        "name": st.column_config.TextColumn(t("staff.col_name"), pinned=True),
        "post": st.column_config.TextColumn(t("staff.col_post")),
        "team": st.column_config.TextColumn(t("staff.col_team")),
        "orders_handled": st.column_config.NumberColumn(t("staff.col_orders_handled")),
        "on_time_share": st.column_config.TextColumn(t("staff.col_on_time_share")),
        "ratings": st.column_config.NumberColumn(t("staff.col_ratings")),
        "mean_rating": st.column_config.TextColumn(t("staff.col_mean_rating")),
        "rectifications": st.column_config.NumberColumn(t("staff.col_rectifications")),
        "rework": st.column_config.NumberColumn(t("staff.col_rework")),
        "shifts_walked": st.column_config.NumberColumn(t("staff.col_shifts_walked")),
        "shifts_missed": st.column_config.NumberColumn(t("staff.col_shifts_missed")),
        "patrol_coverage": st.column_config.TextColumn(t("staff.col_patrol_coverage")),
    },
    key="staff_table",
)
with st.expander(t("staff.definitions_title")):
    st.caption(t("staff.definitions"))

st.subheader(t("staff.trend_header"))
names = {
    staff_id: f"{name} · {data_label('post', post)}"
    for staff_id, name, post in zip(shown["staff_id"], shown["name"], shown["post"], strict=True)
}
if not names:
    st.stop()
staff_id = st.selectbox(
    t("staff.person"),
    list(names),
    key="staff_person",
    format_func=lambda i: names.get(i, ""),
    placeholder=t("common.choose"),
)
if staff_id is None:
    st.stop()
name = names[staff_id]
with st.spinner():
    trend = quality_loaders.staff_trend(viewer, int(staff_id), now)
measures = trend_measures(trend)
if not has_activity(trend):
    st.info(t("staff.trend_empty", name=name), icon=":material/timeline:")
    st.stop()
st.markdown(f"**{t('staff.trend_title', name=name)}**")
for start in range(0, len(measures), 2):
    for column, measure in zip(st.columns(2), measures[start : start + 2], strict=False):
        with column:
            show_chart(
                staff_measure_chart, trend, measure,
                summary=summaries.staff_measure(trend, measure),
            )  # fmt: skip
with st.expander(t("staff.trend_details")):
    st.dataframe(
        shown_with_dashes(
            trend, {m: f for m, f in STAFF_RATE_FORMATS.items() if m in trend.columns}
        ),
        hide_index=True,
        width="stretch",
        column_order=["period", *measures],
        column_config={
            "period": st.column_config.TextColumn(t("staff.col_month")),
            **{m: st.column_config.NumberColumn(t(f"staff.col_{m}")) for m in measures},
        },
        key="staff_trend_table",
    )
