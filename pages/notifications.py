"""消息通知 Notifications: news about the viewer's orders, tickets and ratings (owners), or new
ratings and tickets of the community (managers), newest first, unread ones marked.

The page shows the unread marks first and only then records the visit (so the next visit is
clean); the marks stay for the whole visit, until "mark all as read". A visit begins when the
button's state is not in the session yet (Streamlit drops it once a run no longer draws it).
"""

from __future__ import annotations

import streamlit as st

from data_access.notifications.notifications import Notification
from ui import clock, context
from ui.actions import console as console_actions
from ui.actions.commands import flash
from ui.formatting import ago, local_time
from ui.loaders import console as console_loaders
from ui.navigation import PAGES_DIR
from ui.text import code_label, plain, t

VISIT_MARKER = "notifications_mark_read"  # the button's key: absent at the start of a visit
SINCE_KEY = "_notifications_since"
NOTE_PREVIEW_CHARS = 200

viewer = context.viewer()
st.title(t("page.notifications"))
st.caption(t("notify.intro_manager" if viewer.is_manager else "notify.intro_owner"))

now = clock.now_utc()
visit_start = VISIT_MARKER not in st.session_state
if visit_start:
    st.session_state[SINCE_KEY] = console_loaders.notifications_since(viewer, now)

left, right = st.columns([3, 1], vertical_alignment="center")
if right.button(t("notify.mark_all_read"), key=VISIT_MARKER, icon=":material/done_all:"):
    console_actions.mark_notifications_seen(viewer, now)
    st.session_state[SINCE_KEY] = now
    flash(t("notify.marked"))
    st.rerun()

updates = console_loaders.notification_list(
    viewer, clock.now_utc_minute(), st.session_state[SINCE_KEY]
)
if updates.unread:
    left.markdown(f":red-badge[{t('notify.unread_count', n=updates.unread)}]")
else:
    left.caption(t("notify.all_read"))


def what_happened(item: Notification) -> str:
    if item.kind == "order_stage":
        return t("notify.kind_order_stage", label=code_label("stage", item.code))
    if item.kind == "ticket_status":
        return t("notify.kind_ticket_status", label=code_label("ticket_status", item.code))
    if item.kind == "new_ticket":
        return t("notify.kind_new_ticket", label=code_label("ticket_status", item.code))
    if item.kind == "owner_action":
        return t("notify.kind_owner_action", label=t(f"notify.owner_{item.code}"))
    return t(f"notify.kind_{item.kind}")


def card(item: Notification) -> None:
    badge = f":red-badge[{t('notify.unread')}] " if item.is_unread else ""
    st.markdown(f"{badge}**{what_happened(item)}** · {plain(item.title)}")
    st.caption(f"{item.ref} · {local_time(item.at)} · {ago(item.at, now)}")
    if item.note:
        note = item.note[:NOTE_PREVIEW_CHARS] + ("…" if len(item.note) > NOTE_PREVIEW_CHARS else "")
        st.markdown(plain(note))
    page, label = (
        ("order_detail.py", t("notify.open_order"))
        if item.target == "order"
        else ("ticket_detail.py", t("notify.open_ticket"))
    )
    st.page_link(
        str(PAGES_DIR / page), label=label, icon=":material/chevron_right:",
        query_params={"id": str(item.target_id)},
    )  # fmt: skip


if not updates.items:
    st.info(t("notify.empty_manager" if viewer.is_manager else "notify.empty"))
for item in updates.items:
    with st.container(border=True):
        card(item)

if visit_start:
    # Shown with their marks; from now on they are read (the marks stay for this visit).
    # Rerun so that the menu's badge drops at once.
    console_actions.mark_notifications_seen(viewer, now)
    if updates.unread:
        st.rerun()
