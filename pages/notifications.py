"""消息通知 Notifications: news about the viewer's orders, tickets and ratings (owners), or new
ratings and tickets of the community (managers), newest first, unread ones marked.

An item stays unread until the viewer opens the order or ticket it is about (the detail page
records the look) or presses "mark all as read"; looking at the list reads nothing.
"""

from __future__ import annotations

import streamlit as st

from data_access.notifications.notifications import Notification
from ui import clock, context
from ui.actions import console as console_actions
from ui.actions.commands import flash
from ui.formatting import ago, local_time
from ui.loaders import console as console_loaders
from ui.navigation import link_to
from ui.text import code_label, plain, t

NOTE_PREVIEW_CHARS = 200

viewer = context.viewer()
st.title(t("page.notifications"))
st.caption(t("notify.intro_manager" if viewer.is_manager else "notify.intro_owner"))

now = clock.now_utc()
left, right = st.columns([3, 1], vertical_alignment="center")
if right.button(
    t("notify.mark_all_read"), key="notifications_mark_read", icon=":material/done_all:"
):
    console_actions.mark_notifications_seen(viewer, now)
    flash(t("notify.marked"))
    st.rerun()

updates = console_loaders.notification_list(
    viewer, clock.now_utc_minute(), console_loaders.notifications_since(viewer, now)
)
if updates.unread:
    left.markdown(f":red-badge[{t('notify.unread_count', n=updates.unread)}]")
else:
    left.caption(t("notify.all_read"))


def what_happened(item: Notification) -> str:
    if item.kind in ("order_stage", "followed_order_stage"):
        return t(f"notify.kind_{item.kind}", label=code_label("stage", item.code))
    if item.kind in ("ticket_status", "followed_ticket_status"):
        return t(f"notify.kind_{item.kind}", label=code_label("ticket_status", item.code))
    if item.kind == "new_ticket":
        return t("notify.kind_new_ticket", label=code_label("ticket_status", item.code))
    if item.kind == "owner_action":
        return t("notify.kind_owner_action", label=t(f"notify.owner_{item.code}"))
    return t(f"notify.kind_{item.kind}")


def link_label(item: Notification) -> str:
    if item.kind == "order_completed":
        return t("notify.open_to_rate")
    return t("notify.open_order" if item.target == "order" else "notify.open_ticket")


def card(item: Notification) -> None:
    badge = f":red-badge[{t('notify.unread')}] " if item.is_unread else ""
    st.markdown(f"{badge}**{what_happened(item)}** · {plain(item.title)}")
    st.caption(f"{item.ref} · {local_time(item.at)} · {ago(item.at, now)}")
    if item.note:
        note = item.note[:NOTE_PREVIEW_CHARS] + ("…" if len(item.note) > NOTE_PREVIEW_CHARS else "")
        st.markdown(plain(note))
    page = "order_detail.py" if item.target == "order" else "ticket_detail.py"
    st.page_link(
        link_to(page), label=link_label(item), icon=":material/chevron_right:",
        query_params={"id": str(item.target_id)},
    )  # fmt: skip


if not updates.items:
    st.info(t("notify.empty_manager" if viewer.is_manager else "notify.empty"))
for item in updates.items:
    with st.container(border=True):
        card(item)
