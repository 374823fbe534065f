"""服务计划 Plans: did they do what the contract promised — item by item, day by day?"""

from __future__ import annotations

import streamlit as st

from data_access.models import SERVICE_CATEGORIES
from ui import clock, context
from ui.charts import common as charts
from ui.charts import summaries
from ui.charts.cache import show_chart
from ui.loaders import plans as plan_loaders
from ui.text import code_label, t
from ui.widgets.period_picker import period_picker
from ui.widgets.photos import thumbnail_grid

viewer = context.viewer()
st.title(t("plans.title"))
st.caption(t("plans.intro"))

period = period_picker("plans", open_on_complete=True)
category = st.selectbox(
    t("common.category"),
    options=[None, *SERVICE_CATEGORIES],
    format_func=lambda c: t("common.all") if c is None else code_label("service_category", c),
    key="plans_category",
    placeholder=t("common.choose"),
)
as_of = clock.now_utc_minute()
with st.spinner():
    daily = plan_loaders.daily(viewer, period, category, as_of)
    items = plan_loaders.by_item(viewer, period, category, as_of)

if daily.empty:
    st.info(t("plans.empty"), icon=":material/event_busy:")
    st.stop()

due, on_time, late, missed, pending = (
    int(daily[c].sum()) for c in ("due", "on_time", "late", "missed", "pending")
)
metrics = st.columns(4)
metrics[0].metric(
    t("plans.metric_due"), due, t("plans.metric_pending", count=pending),
    delta_color="off", delta_arrow="off", border=True,
)  # fmt: skip
for column, key, count in zip(
    metrics[1:], ("on_time", "late", "missed"), (on_time, late, missed), strict=True
):
    share = f"{count / due:.1%}" if due else "—"
    column.metric(t(f"plans.metric_{key}"), count, t("plans.rate_of", share=share),
                  delta_color="off", delta_arrow="off", border=True)  # fmt: skip

st.subheader(t("plans.items_header"))
st.dataframe(
    items.assign(
        category=items["category"].map(lambda c: code_label("service_category", c)),
        tier=items["tier"].map(lambda c: code_label("service_tier", c)),
        plan_completion_rate=items["plan_completion_rate"] * 100,
        actual_completion_rate=items["actual_completion_rate"] * 100,
    ),
    hide_index=True,
    width="stretch",
    column_order=[
        "item_name",
        "category",
        "tier",
        "planned",
        "done_on_time",
        "done_late",
        "missed",
        "plan_completion_rate",
        "actual_completion_rate",
    ],
    column_config={
        "item_name": st.column_config.TextColumn(t("plans.col_item")),
        "category": st.column_config.TextColumn(t("plans.col_category")),
        "tier": st.column_config.TextColumn(t("plans.col_tier")),
        "planned": st.column_config.NumberColumn(t("plans.col_planned")),
        "done_on_time": st.column_config.NumberColumn(t("plans.col_on_time")),
        "done_late": st.column_config.NumberColumn(t("plans.col_late")),
        "missed": st.column_config.NumberColumn(t("plans.col_missed")),
        "plan_completion_rate": st.column_config.ProgressColumn(
            t("plans.col_plan_rate"), min_value=0, max_value=100, format="%.1f%%"
        ),
        "actual_completion_rate": st.column_config.ProgressColumn(
            t("plans.col_actual_rate"), min_value=0, max_value=100, format="%.1f%%"
        ),
    },
    key="plans_items_table",
)

st.subheader(t("plans.calendar_header"))
show_chart(
    charts.calendar_heatmap, daily, period, width="content",
    summary=summaries.plan_calendar(daily),
)  # fmt: skip
st.caption(t("plans.calendar_caption"))

st.subheader(t("plans.drill_header"))
choices = plan_loaders.items(viewer, period, category)
if not choices:
    st.info(t("plans.no_items"))
    st.stop()
choice = st.selectbox(
    t("plans.drill_pick"),
    options=choices,
    format_func=lambda c: f"{c.name} · {code_label('service_category', c.category)}",
    key="plans_item",
    placeholder=t("common.choose"),
)
tasks = plan_loaders.tasks(viewer, choice.item_id, period, as_of)
st.dataframe(
    tasks.assign(
        window=tasks["window_start"].dt.strftime("%Y-%m-%d %H:%M")
        + "–"
        + tasks["window_end"].dt.strftime("%H:%M"),
        completed_at=tasks["completed_at"].dt.strftime("%Y-%m-%d %H:%M").fillna("—"),
        outcome=tasks["outcome"].map(lambda o: t(f"outcome.{o}")),
        photos=tasks["photos"].map(len),
    ),
    hide_index=True,
    width="stretch",
    column_order=["window", "completed_at", "assignee", "outcome", "photos"],
    column_config={
        "window": st.column_config.TextColumn(t("plans.col_window")),
        "completed_at": st.column_config.DatetimeColumn(
            t("plans.col_done_at"), format="YYYY-MM-DD HH:mm"
        ),
        "assignee": st.column_config.TextColumn(t("plans.col_assignee")),
        "outcome": st.column_config.TextColumn(t("plans.col_outcome")),
        "photos": st.column_config.NumberColumn(t("plans.col_photos")),
    },
    key="plans_tasks_table",
)
evidence = [photo for photos in tasks["photos"] for photo in photos]
st.markdown(f"**{t('plans.evidence_header')}**")
if evidence:
    thumbnail_grid(evidence[:12], key="plans_evidence")
else:
    st.caption(t("plans.no_evidence"))
