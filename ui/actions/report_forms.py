"""The monthly report's two writes, for managers: the company's explanation of a missed KPI
(物业说明) and publishing the month's report to the committee (发布)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from data_access.accounts.auth import Viewer
from data_access.analytics import explanations
from data_access.analytics.explanations import KpiExplanationView
from data_access.errors import DomainError
from ui import clock
from ui.actions.commands import flash, run_command, version_seen
from ui.text import current_language, t


def explanation_form(
    viewer: Viewer, month_start: dt.date, kpi: str, current: KpiExplanationView | None,
    *, published: bool,
) -> None:  # fmt: skip
    """Write or rewrite the explanation of ``kpi``. After publication the form says that the
    edit will show next to the text it replaces."""
    key = f"report_explain_{month_start:%Y%m}_{kpi}"
    now = current.current if current else None
    label = t("report.explain_edit" if now else "report.explain_write")
    with st.expander(label, icon=":material/edit_note:"), st.form(key, border=False):
        if published and now:
            st.caption(t("report.explain_edit_public"))
        reason = st.text_area(
            t("report.explain_reason"), value=now.reason if now else "",
            max_chars=explanations.REASON_MAX, key=f"{key}_reason",
        )  # fmt: skip
        action = st.text_area(
            t("report.explain_action"), value=now.action if now else "",
            max_chars=explanations.ACTION_MAX, key=f"{key}_action",
        )  # fmt: skip
        owner_column, due_column = st.columns(2)
        owner = owner_column.text_input(
            t("report.explain_owner"), value=now.action_owner if now else "",
            max_chars=explanations.OWNER_MAX, key=f"{key}_owner",
        )  # fmt: skip
        due = due_column.date_input(
            t("report.explain_due"), value=now.action_due if now else default_due(month_start),
            min_value=month_start, key=f"{key}_due", format="YYYY-MM-DD",
        )  # fmt: skip
        submitted = st.form_submit_button(t("report.explain_save"), type="primary")
    seen = version_seen(f"{key}_seen", now.explanation_id if now else 0, submitted=submitted)
    if not submitted:
        return
    try:
        run_command(
            explanations.write_explanation, viewer=viewer, month_start=month_start, kpi=kpi,
            reason=reason, action=action, action_owner=owner,
            action_due=due if isinstance(due, dt.date) else None,
            replaces_id=seen or None, now=clock.now_utc(),
        )  # fmt: skip
    except DomainError as error:
        st.error(error.message(current_language()), icon=":material/error:")
        return
    flash(t("report.explain_saved"))
    st.rerun()


def default_due(month_start: dt.date) -> dt.date:
    """The end of the month after the report's: a date to change, never an empty field (whose
    widget Streamlit draws without the ARIA value a screen reader needs)."""
    following = (month_start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return (following.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def publish_form(viewer: Viewer, month_start: dt.date) -> None:
    """Publish the month's report: once, after the manager confirms the explanations are in."""
    with st.form(f"report_publish_{month_start:%Y%m}", border=True):
        st.markdown(t("report.publish_intro"))
        sure = st.checkbox(
            t("report.publish_confirm"), key=f"report_publish_sure_{month_start:%Y%m}"
        )
        submitted = st.form_submit_button(
            t("report.publish"), type="primary", icon=":material/campaign:"
        )
    if not submitted:
        return
    if not sure:
        st.warning(t("report.publish_tick_first"), icon=":material/warning:")
        return
    try:
        run_command(
            explanations.publish_report, viewer=viewer, month_start=month_start,
            now=clock.now_utc(),
        )  # fmt: skip
    except DomainError as error:
        st.error(error.message(current_language()), icon=":material/error:")
        return
    flash(t("report.published_now"))
    st.rerun()
