"""消息设置 Message settings: where and when a person hears of what concerns them outside the
app — per kind of news and channel (WeChat, SMS, e-mail), the order channels are tried in,
quiet hours, their e-mail address and their WeChat binding. Only the channels the company has
switched on are offered; the in-app list (消息通知) tells everything anyway.

WeChat's OAuth sends the person back here with ``code`` and ``state``: the binding is made on
that run (``ui.actions.outbox``) and the parameters are removed from the address.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from data_access.errors import DomainError
from ui import context
from ui.actions import accounts as account_actions
from ui.actions import outbox as outbox_actions
from ui.actions.commands import flash
from ui.loaders import outbox as outbox_loaders
from ui.text import current_language, t

viewer = context.viewer()
st.title(t("page.notification_settings"))
st.caption(t("outbox.settings_intro"))

code, state = st.query_params.get("code", ""), st.query_params.get("state", "")
if code or state:
    try:
        outbox_actions.bind_wechat_from_callback(viewer, code, state)
        flash(t("outbox.wechat_bound"))
    except DomainError as error:
        st.session_state["_wechat_bind_error"] = error.message(current_language())
    st.query_params.clear()
    st.rerun()
if failed := st.session_state.pop("_wechat_bind_error", None):
    st.error(failed)


def channel_label(channel: str) -> str:
    return t(f"outbox.channel_{channel}")


def parse_time(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


def password_form() -> None:
    with (
        st.expander(t("settings.password_title"), icon=":material/password:"),
        st.form("password_form"),
    ):
        current = st.text_input(t("settings.current_password"), type="password",
                                    max_chars=128)  # fmt: skip
        new = st.text_input(t("login.new_password"), type="password", max_chars=128)
        again = st.text_input(t("login.new_password_again"), type="password", max_chars=128)
        if st.form_submit_button(t("settings.password_title")):
            if new != again:
                st.error(t("login.passwords_differ"))
                return
            try:
                account_actions.change_password(viewer, current, new)
            except DomainError as error:
                st.error(error.message(current_language()))
            else:
                st.success(t("settings.password_changed"))


def message_settings() -> None:
    configured = outbox_loaders.configured_channels()
    mine = outbox_loaders.my_settings(viewer)
    if not configured:
        st.info(t("outbox.no_channels"), icon=":material/info:")
        return

    if "wechat" in configured:
        with st.container(border=True):
            if mine.wechat_bound:
                st.markdown(t("outbox.wechat_is_bound"))
                if st.button(t("outbox.wechat_unbind"), icon=":material/link_off:"):
                    outbox_actions.unbind_wechat(viewer)
                    flash(t("outbox.wechat_unbound"))
                    st.rerun()
            else:
                st.markdown(t("outbox.wechat_not_bound"))
                url = outbox_actions.wechat_authorize_url(viewer)
                if url:
                    st.link_button(t("outbox.wechat_bind"), url, icon=":material/link:")
                st.caption(t("outbox.wechat_bind_help"))

    quiet_default = mine.quiet_hours if mine.quiet_hours != "off" else "22:00-07:00"
    with st.form("notification_settings"):
        email = mine.email
        if "email" in configured:
            email = st.text_input(t("outbox.email"), value=mine.email, max_chars=254)
        if "sms" in configured:
            st.caption(t("outbox.phone", phone=mine.phone or "—"))
        st.markdown(f"**{t('outbox.what_where')}**")
        picked: dict[str, list[str]] = {}
        for event_type in mine.event_types:
            picked[event_type] = st.pills(
                t(f"outbox.event_{event_type}"), options=list(configured), selection_mode="multi",
                default=[c for c in configured if mine.choices[(event_type, c)]],
                format_func=channel_label, key=f"outbox_choice_{event_type}",
            )  # fmt: skip
        order = st.multiselect(
            t("outbox.order"), options=list(configured),
            default=[c for c in mine.order if c in configured], format_func=channel_label,
            help=t("outbox.order_help"), placeholder=t("common.choose"),
        )  # fmt: skip
        quiet_on = st.toggle(t("outbox.quiet_on"), value=mine.quiet_hours != "off")
        start_text, end_text = quiet_default.split("-")
        left, right = st.columns(2)
        quiet_from = left.time_input(
            t("outbox.quiet_from"), value=parse_time(start_text), step=1800
        )
        quiet_to = right.time_input(t("outbox.quiet_to"), value=parse_time(end_text), step=1800)
        st.caption(t("outbox.quiet_help"))
        if st.form_submit_button(t("outbox.save"), type="primary", icon=":material/save:"):
            chosen = dict(mine.choices)
            for event_type, channels in picked.items():
                for channel in configured:
                    chosen[(event_type, channel)] = channel in channels
            quiet = f"{quiet_from:%H:%M}-{quiet_to:%H:%M}" if quiet_on else "off"
            try:
                outbox_actions.save_settings(
                    viewer, chosen=chosen, order=order, quiet_hours=quiet, email=email or ""
                )
            except DomainError as error:
                st.error(error.message(current_language()))
            else:
                flash(t("outbox.saved"))
                st.rerun()


message_settings()
password_form()
