"""巡检 Patrols: plans, shifts and route coverage of the viewer's community, one shift on the
site plan with its photos, and the checkpoints nobody checked in at. Layout only; the figures
come from ``data_access.plans.patrols`` through ``ui.loaders.patrols``."""

from __future__ import annotations

import streamlit as st

from data_access.plans.patrols import (
    COVERAGE_TARGET,
    LATE_START_TOLERANCE,
    default_shift_id,
)
from ui import clock, context
from ui.charts import patrols as patrol_charts
from ui.charts import summaries
from ui.charts.cache import show_chart
from ui.formatting import walked_time
from ui.loaders import patrols as patrol_loaders
from ui.text import t
from ui.widgets.period_picker import period_picker
from ui.widgets.photos import thumbnail_grid

STATUS_LABELS = {
    "done": t("patrols.status_done"),
    "late": t("patrols.status_late"),
    "missed": t("patrols.status_missed"),
    "in_progress": t("patrols.status_in_progress"),
    "planned": t("patrols.status_planned"),
}


def status_label(status: str | int | float | bool) -> str:
    return STATUS_LABELS.get(str(status), str(status))


ALL_PLANS = 0  # the plan filter's "all plans" choice (plan ids start at 1)
DATETIME = "YYYY-MM-DD HH:mm"


# --- the page ---------------------------------------------------------------------------------
viewer = context.viewer()
as_of = clock.now_utc_minute()  # statuses are judged as of now; cached for a minute

st.title(f":material/security: {t('patrols.title')}")
st.caption(t("patrols.intro"))

period = period_picker("patrols")
with st.spinner(t("patrols.loading")):
    plans = patrol_loaders.plans(viewer, period)
plan_names = dict(zip(plans["plan_id"].tolist(), plans["plan"].tolist(), strict=True))
if st.session_state.get("patrols_plan") not in (ALL_PLANS, *plan_names):
    st.session_state["patrols_plan"] = ALL_PLANS  # e.g. that plan is not valid in this period
chosen_plan = st.columns([3, 2])[0].selectbox(
    t("patrols.plan"),
    [ALL_PLANS, *plan_names],
    format_func=lambda p: plan_names.get(p, t("patrols.all_plans")),
    key="patrols_plan",
    placeholder=t("common.choose"),
)
plan_id = None if chosen_plan == ALL_PLANS else chosen_plan

with st.spinner(t("patrols.loading")):
    summary = patrol_loaders.summary(viewer, period, as_of, plan_id)
    shifts = patrol_loaders.shifts(viewer, period, as_of, plan_id)

shift_metric, coverage_metric, missed_metric, late_metric = st.columns(4)
shift_metric.metric(
    t("patrols.metric_shifts"),
    summary.shifts,
    help=t(
        "patrols.metric_shifts_help",
        done=summary.done,
        late=summary.late,
        missed=summary.missed,
        in_progress=summary.in_progress,
        planned=summary.planned,
    ),
    border=True,
)
coverage_metric.metric(
    t("patrols.metric_coverage"),
    "—" if summary.mean_coverage is None else f"{summary.mean_coverage:.1%}",
    help=t("patrols.metric_coverage_help"),
    border=True,
)
missed_metric.metric(
    t("patrols.metric_missed_checkpoints"),
    summary.missed_checkpoints,
    help=t("patrols.metric_missed_checkpoints_help"),
    border=True,
)
late_metric.metric(
    t("patrols.metric_late_shifts"),
    summary.late,
    help=t(
        "patrols.metric_late_shifts_help",
        minutes=int(LATE_START_TOLERANCE.total_seconds() // 60),
    ),
    border=True,
)

st.subheader(f":material/route: {t('patrols.plans_heading')}")
st.dataframe(
    plans,
    hide_index=True,
    placeholder="—",
    column_order=[
        "plan", "route", "post", "times_per_day", "time_slots", "expected_minutes",
        "expected_distance_m", "checkpoints", "photo_checkpoints", "valid_from",
    ],
    column_config={
        "plan": st.column_config.TextColumn(t("patrols.col_plan")),
        "route": st.column_config.TextColumn(t("patrols.col_route")),
        "post": st.column_config.TextColumn(t("patrols.col_post")),
        "times_per_day": st.column_config.NumberColumn(
            t("patrols.col_frequency"), format=t("patrols.format_per_day")
        ),
        "time_slots": st.column_config.TextColumn(t("patrols.col_time_slots")),
        "expected_minutes": st.column_config.NumberColumn(
            t("patrols.col_expected_minutes"), format=t("patrols.format_minutes")
        ),
        "expected_distance_m": st.column_config.NumberColumn(
            t("patrols.col_expected_distance"), format=t("patrols.format_metres")
        ),
        "checkpoints": st.column_config.NumberColumn(t("patrols.col_checkpoints")),
        "photo_checkpoints": st.column_config.NumberColumn(
            t("patrols.col_photo_checkpoints"), help=t("patrols.col_photo_checkpoints_help")
        ),
        "valid_from": st.column_config.DateColumn(t("patrols.col_valid_from"), format="YYYY-MM-DD"),
    },
)  # fmt: skip

if summary.shifts == 0:
    st.info(t("patrols.no_shifts", period=period.label))
    st.stop()

st.subheader(f":material/trending_up: {t('patrols.trend_heading')}")
with st.spinner(t("patrols.loading")):
    trend = patrol_loaders.coverage_trend(viewer, period, as_of, plan_id)
if trend["judged"].sum() == 0:
    st.info(t("patrols.no_judged_shifts"))
else:
    show_chart(patrol_charts.coverage_chart, trend, summary=summaries.patrol_coverage(trend))
    st.caption(t("patrols.trend_caption", target=f"{COVERAGE_TARGET:.0%}"))

st.subheader(f":material/directions_walk: {t('patrols.shifts_heading')}")
st.dataframe(
    shifts,
    hide_index=True,
    placeholder="—",
    column_order=[
        "planned_start", "slot", "plan", "guard", "status", "coverage", "visited",
        "planned_checkpoints", "started_at", "ended_at", "duration_min", "expected_min",
        "distance_m", "expected_distance_m", "late_checkins", "photos",
    ],
    column_config={
        "planned_start": st.column_config.DatetimeColumn(
            t("patrols.col_planned_start"), format=DATETIME, pinned=True
        ),
        "slot": st.column_config.TextColumn(t("patrols.col_slot")),
        "plan": st.column_config.TextColumn(t("patrols.col_plan")),
        "guard": st.column_config.TextColumn(t("patrols.col_guard")),
        "status": st.column_config.SelectboxColumn(
            t("patrols.col_status"), options=list(STATUS_LABELS), format_func=status_label
        ),
        "coverage": st.column_config.ProgressColumn(
            t("patrols.col_coverage"), format="percent", min_value=0, max_value=1,
            help=t("patrols.col_coverage_help"),
        ),
        "visited": st.column_config.NumberColumn(t("patrols.col_visited")),
        "planned_checkpoints": st.column_config.NumberColumn(t("patrols.col_planned_checkpoints")),
        "started_at": st.column_config.DatetimeColumn(t("patrols.col_started_at"), format=DATETIME),
        "ended_at": st.column_config.DatetimeColumn(t("patrols.col_ended_at"), format=DATETIME),
        "duration_min": st.column_config.NumberColumn(
            t("patrols.col_duration"), format=t("patrols.format_minutes")
        ),
        "expected_min": st.column_config.NumberColumn(
            t("patrols.col_expected_minutes"), format=t("patrols.format_minutes")
        ),
        "distance_m": st.column_config.NumberColumn(
            t("patrols.col_distance"), format=t("patrols.format_metres")
        ),
        "expected_distance_m": st.column_config.NumberColumn(
            t("patrols.col_expected_distance"), format=t("patrols.format_metres")
        ),
        "late_checkins": st.column_config.NumberColumn(
            t("patrols.col_late_checkins"), help=t("patrols.col_late_checkins_help")
        ),
        "photos": st.column_config.NumberColumn(t("patrols.col_photos")),
    },
)  # fmt: skip

st.subheader(f":material/map: {t('patrols.route_heading')}")
shift_labels = dict(zip(shifts["shift_id"].tolist(), shifts["label"].tolist(), strict=True))
shift_statuses = dict(zip(shifts["shift_id"].tolist(), shifts["status"].tolist(), strict=True))
if st.session_state.get("patrols_shift") not in shift_labels:
    st.session_state["patrols_shift"] = default_shift_id(shifts)
shift_id = st.selectbox(
    t("patrols.shift"),
    list(shift_labels),
    format_func=lambda s: f"{shift_labels[s]} · {STATUS_LABELS[shift_statuses[s]]}",
    key="patrols_shift",
    placeholder=t("common.choose"),
)
with st.spinner(t("patrols.loading")):
    route = patrol_loaders.shift_route(viewer, shift_id, as_of) if shift_id else None
if route is None:
    st.info(t("patrols.no_route"))
else:
    chart_column, facts_column = st.columns([3, 2])
    with chart_column:
        if route.checkpoints["x"].notna().any():
            show_chart(
                patrol_charts.site_plan_chart, route,
                summary=summaries.site_plan(route, patrol_charts.checkpoint_labels()),
            )  # fmt: skip
            st.caption(t("patrols.site_plan_caption"))
            unplaced = route.checkpoints[route.checkpoints["x"].isna()]
            if not unplaced.empty:
                st.caption(t("patrols.unplaced_checkpoints", names="、".join(unplaced["name"])))
        else:
            st.info(t("patrols.no_coordinates"))
            st.dataframe(
                route.checkpoints.assign(
                    status=route.checkpoints["status"].map(patrol_charts.checkpoint_labels())
                ),
                hide_index=True,
                column_order=["seq", "name", "status", "checked_at"],
                column_config={
                    "seq": st.column_config.NumberColumn(t("patrols.col_seq")),
                    "name": st.column_config.TextColumn(t("patrols.col_checkpoint")),
                    "status": st.column_config.TextColumn(t("patrols.legend_status")),
                    "checked_at": st.column_config.DatetimeColumn(
                        t("patrols.col_checked_at"), format="HH:mm:ss"
                    ),
                },
            )
    with facts_column:
        distance = route.distance_m
        st.markdown(
            t(
                "patrols.route_facts",
                status=STATUS_LABELS[route.status],
                coverage="—" if route.coverage is None else f"{route.coverage:.0%}",
                walked=walked_time(
                    route.started_at,
                    route.ended_at,
                    route.duration_min,
                    planned=(route.planned_start, route.planned_end),
                    expected_minutes=route.expected_minutes,
                ),
                distance="—" if distance is None else f"{distance:,.0f}",
                expected_distance=(
                    "—"
                    if route.expected_distance_m is None
                    else f"{route.expected_distance_m:,.0f}"
                ),
            )
        )
        st.markdown(f"**{t('patrols.photos_heading')}**")
        if not route.photos:
            st.caption(t("patrols.no_photos"))
        thumbnail_grid(route.photos, columns=2, key="patrols_photos")

st.subheader(f":material/report: {t('patrols.missed_heading')}")
with st.spinner(t("patrols.loading")):
    missed = patrol_loaders.missed_checkpoints(viewer, period, as_of, plan_id)
if missed.empty:
    st.success(t("patrols.no_missed"))
else:
    st.dataframe(
        missed,
        hide_index=True,
        column_order=[
            "planned_start",
            "slot",
            "plan",
            "seq",
            "checkpoint",
            "guard",
            "shift_status",
        ],
        column_config={
            "planned_start": st.column_config.DatetimeColumn(
                t("patrols.col_planned_start"), format=DATETIME
            ),
            "slot": st.column_config.TextColumn(t("patrols.col_slot")),
            "plan": st.column_config.TextColumn(t("patrols.col_plan")),
            "seq": st.column_config.NumberColumn(t("patrols.col_seq")),
            "checkpoint": st.column_config.TextColumn(t("patrols.col_checkpoint")),
            "guard": st.column_config.TextColumn(t("patrols.col_guard")),
            "shift_status": st.column_config.SelectboxColumn(
                t("patrols.col_shift_status"),
                options=list(STATUS_LABELS),
                format_func=status_label,
            ),
        },
    )
