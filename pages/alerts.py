"""预警 Early warnings: what the rules found, by severity, with the way to the order, ticket or
patrol behind each; managers acknowledge and resolve, the committee reads."""

from __future__ import annotations

import streamlit as st

from data_access.alerts.rules import (
    ACTIVE_STATES,
    RESOLUTION_NOTE_MAX,
    RULES,
    STATE_FILTERS,
    TREND_WEEKS,
    AlertView,
)
from data_access.errors import DomainError
from data_access.models import SEVERITIES
from ui import clock, context
from ui.actions import alerts as alert_actions
from ui.actions.commands import flash, version_seen
from ui.charts import alerts as alert_charts
from ui.charts import summaries
from ui.charts.cache import show_chart
from ui.formatting import ago, local_time
from ui.loaders import alerts as alert_loaders
from ui.navigation import link_to
from ui.text import code_label, current_language, plain, t

PAGE_SIZE = 20  # cards per "show more": each manager card is a form, and 50 cost 80 ms a run
SEVERITY_COLOUR = {"high": "red", "medium": "orange", "low": "blue"}
STATE_COLOUR = {"open": "red", "acknowledged": "orange", "resolved": "green"}

viewer = context.viewer()
st.title(t("page.alerts"))
st.caption(t("alerts.intro"))
now = clock.now_utc_minute()

summary = alert_loaders.summary(viewer, now)
metrics = st.columns(len(SEVERITIES) + 1)
for column, level in zip(metrics, SEVERITIES, strict=False):
    column.metric(
        t("alerts.metric_severity", severity=code_label("alert_severity", level)),
        summary.active(level), help=t("alerts.metric_severity_help"), border=True,
    )  # fmt: skip
metrics[-1].metric(t("alerts.metric_acknowledged"), summary.in_state("acknowledged"), border=True)

st.subheader(t("alerts.trend_header"))
with st.spinner():
    trend = alert_loaders.trend(viewer, now, TREND_WEEKS)
if trend.empty:
    st.caption(t("alerts.trend_empty", weeks=TREND_WEEKS))
else:
    show_chart(
        alert_charts.weekly_trend_chart, trend, height=340,
        summary=summaries.alert_weeks(trend),
    )  # fmt: skip
    st.caption(t("alerts.trend_caption", weeks=TREND_WEEKS))

st.subheader(t("alerts.list_header"))
severity_column, rule_column, state_column = st.columns(3)
severity = severity_column.selectbox(
    t("alerts.filter_severity"), [None, *SEVERITIES], key="alerts_severity",
    format_func=lambda s: t("common.all") if s is None else code_label("alert_severity", s), placeholder=t("common.choose")
)  # fmt: skip
rule = rule_column.selectbox(
    t("alerts.filter_rule"), [None, *RULES], key="alerts_rule",
    format_func=lambda r: t("common.all") if r is None else code_label("alert_rule", r), placeholder=t("common.choose")
)  # fmt: skip
state = state_column.selectbox(
    t("alerts.filter_state"), list(STATE_FILTERS), key="alerts_state",
    format_func=lambda s: t("alerts.state_active") if s == "active" else code_label("alert_state", s), placeholder=t("common.choose")
)  # fmt: skip
states = ACTIVE_STATES if state == "active" else (state,)
with st.spinner():
    alerts = alert_loaders.alert_list(viewer, now, states, severity, rule)


def link(alert: AlertView) -> None:
    """The way to what the alert is about: its ticket, its order, or the patrol records."""
    if alert.ticket_id is not None:
        st.page_link(
            link_to("ticket_detail.py"), label=t("alerts.open_ticket"),
            icon=":material/assignment:", query_params={"id": str(alert.ticket_id)},
        )  # fmt: skip
    elif alert.work_order_id is not None:
        st.page_link(
            link_to("order_detail.py"), label=t("alerts.open_order"),
            icon=":material/receipt_long:", query_params={"id": str(alert.work_order_id)},
        )  # fmt: skip
    elif alert.shift_id is not None:
        st.page_link(
            link_to("patrols.py"), label=t("alerts.open_patrols"),
            icon=":material/security:",
        )  # fmt: skip


def history(alert: AlertView) -> None:
    lines = []
    if alert.acknowledged_at is not None:
        lines.append(t("alerts.acknowledged_by", name=plain(alert.acknowledged_by),
                       time=local_time(alert.acknowledged_at)))  # fmt: skip
    if alert.resolved_at is not None and alert.auto_resolved:
        lines.append(t("alerts.resolved_auto", time=local_time(alert.resolved_at)))
    elif alert.resolved_at is not None:
        lines.append(t("alerts.resolved_by", name=plain(alert.resolved_by),
                       time=local_time(alert.resolved_at)))  # fmt: skip
    if alert.resolution_note:
        lines.append(t("alerts.note", note=plain(alert.resolution_note)))
    if lines:
        st.caption("  \n".join(lines))


def actions(alert: AlertView) -> None:
    """A manager's moves: acknowledge (while open) and resolve, with an optional note."""
    key = f"alerts_{alert.alert_id}"
    with (
        st.expander(t("alerts.actions"), icon=":material/task_alt:"),
        st.form(key=f"{key}_form", border=False, clear_on_submit=True),
    ):
        note = st.text_input(
            t("alerts.note_label"), max_chars=RESOLUTION_NOTE_MAX, key=f"{key}_note"
        )
        left, right = st.columns(2)
        acknowledged = alert.state == "open" and left.form_submit_button(
            t("alerts.acknowledge"), icon=":material/visibility:", key=f"{key}_acknowledge"
        )
        resolved = right.form_submit_button(
            t("alerts.resolve"), icon=":material/check_circle:", type="primary",
            key=f"{key}_resolve",
        )  # fmt: skip
    submitted = bool(acknowledged or resolved)
    expected = version_seen(f"_{key}_version", alert.version, submitted=submitted)
    if not submitted:
        return
    try:
        if resolved:
            alert_actions.resolve(viewer, alert.alert_id, expected, note)
        else:
            alert_actions.acknowledge(viewer, alert.alert_id, expected)
    except DomainError as error:
        st.error(error.message(current_language()), icon=":material/error:")
        version_seen(f"_{key}_version", alert.version, submitted=False)
        return
    flash(t("alerts.resolved_done" if resolved else "alerts.acknowledged_done"))
    st.rerun()


def card(alert: AlertView) -> None:
    severity_badge = (
        f":{SEVERITY_COLOUR[alert.severity]}-badge[{code_label('alert_severity', alert.severity)}]"
    )
    state_badge = f":{STATE_COLOUR[alert.state]}-badge[{code_label('alert_state', alert.state)}]"
    st.markdown(f"{severity_badge} **{code_label('alert_rule', alert.rule)}** {state_badge}")
    st.markdown(plain(alert.describe(current_language())))
    if alert.subject:
        st.caption(plain(alert.subject))
    st.caption(
        t("alerts.since", time=local_time(alert.raised_at), age=ago(alert.raised_at, now))
        + (
            " · " + t("alerts.last_checked", time=local_time(alert.last_checked_at))
            if alert.last_checked_at and alert.state != "resolved"
            else ""
        )
    )
    history(alert)
    link(alert)
    if viewer.is_manager and alert.state != "resolved":
        actions(alert)


if not alerts:
    if severity or rule or state != "active":
        st.info(t("alerts.empty_filtered"), icon=":material/search_off:")
    else:
        st.success(t("alerts.empty"), icon=":material/task_alt:")
    st.stop()

st.caption(t("alerts.count", n=len(alerts)))
shown = st.session_state.get("alerts_shown", PAGE_SIZE)
for alert in alerts[:shown]:
    with st.container(border=True):
        card(alert)
if len(alerts) > shown:
    st.caption(t("alerts.truncated", shown=shown))
    st.button(
        t("alerts.show_more", n=min(PAGE_SIZE, len(alerts) - shown)), key="alerts_more",
        on_click=lambda: st.session_state.update(alerts_shown=shown + PAGE_SIZE),
    )  # fmt: skip
