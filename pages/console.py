"""处理台 Manager console: ratings awaiting a reply and tickets awaiting the company, nearest
deadline first; reply and act inline; what changed since the manager last looked.

A visit begins when the console's filter widgets are not in the session yet (Streamlit drops a
widget's state once a run no longer draws it, i.e. once the manager went elsewhere). The last
look read then is kept for the visit, so "new" marks survive filter changes; the console is
marked seen at the start of the visit, after the "changed since" figure was read.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from data_access.dashboards import console
from data_access.dashboards.console import InboxItem
from data_access.errors import DomainError
from data_access.models import WORK_ORDER_CATEGORIES
from data_access.tickets import ratings
from ui import clock, context
from ui.actions import console as console_actions
from ui.actions.commands import flash, version_seen
from ui.actions.ticket_panel import action_panel, moved_key
from ui.formatting import deadline_text, local_time, scores_line
from ui.loaders import console as console_loaders
from ui.loaders import tickets as ticket_loaders
from ui.navigation import link_to
from ui.text import code_label, current_language, plain, t

VISIT_MARKER = "console_kind"  # a filter widget's key: absent at the start of a visit
SINCE_KEY = "_console_visit"  # (since, first look) of the current visit

viewer = context.viewer()
st.title(t("page.console"))
st.caption(t("console.intro"))

now = clock.now_utc_minute()
visit_start = VISIT_MARKER not in st.session_state
if visit_start:
    st.session_state[SINCE_KEY] = console_loaders.console_visit(viewer, clock.now_utc())
since, first_look = st.session_state[SINCE_KEY]

summary = console_loaders.summary(viewer, now, since)
columns = st.columns(5)
columns[0].metric(t("console.metric_total"), summary.total)
columns[1].metric(t("console.metric_overdue"), summary.overdue)
columns[2].metric(t("console.metric_ratings"), summary.ratings)
columns[3].metric(t("console.metric_to_accept"), summary.to_accept)
columns[4].metric(
    t("console.metric_changed_first" if first_look else "console.metric_changed"),
    summary.changed_since_last_look,
    help=t("console.changed_help"),
)
if not first_look:
    st.caption(t("console.last_look", time=local_time(since)))
if visit_start:
    console_actions.mark_console_seen(viewer, clock.now_utc())


def status_label(code: str) -> str:
    if code == console.AWAITING_REPLY:
        return t("console.status_awaiting_reply")
    if code == console.AWAITING_OWNER:
        return t("console.status_awaiting_owner")
    return code_label("ticket_status", code)


view_column, order_column = st.columns(2, vertical_alignment="center")
view = view_column.segmented_control(
    t("console.view"), options=["all", "overdue"], default="all", key="console_view",
    format_func=lambda v: t(f"console.view_{v}"), label_visibility="collapsed",
)  # fmt: skip
order = order_column.segmented_control(
    t("console.order"), options=list(console.ORDERS), default="deadline", key="console_order",
    format_func=lambda o: t(f"console.order_{o}"), label_visibility="collapsed",
)  # fmt: skip
with st.expander(t("console.filters"), icon=":material/filter_list:"):
    left, middle, right = st.columns(3)
    kind = left.selectbox(
        t("console.filter_kind"), [None, *console.INBOX_KINDS], key=VISIT_MARKER,
        format_func=lambda k: t("common.all") if k is None else t(f"console.kind_{k}"), placeholder=t("common.choose")
    )  # fmt: skip
    status = middle.selectbox(
        t("console.filter_status"), [None, *console.STATUS_FILTERS], key="console_status",
        format_func=lambda s: t("common.all") if s is None else status_label(s), placeholder=t("common.choose")
    )  # fmt: skip
    category = right.selectbox(
        t("console.filter_category"), [None, *WORK_ORDER_CATEGORIES], key="console_category",
        format_func=lambda c: t("common.all") if c is None else code_label("order_category", c), placeholder=t("common.choose")
    )  # fmt: skip
overdue_only = view == "overdue"
items = console_loaders.inbox(
    viewer, now, since, kind, status, category, overdue_only, order or "deadline"
)


def header(item: InboxItem) -> None:
    badges = [f":gray-badge[{t(f'console.kind_{item.kind}')}]"]
    if item.is_new:
        badges.append(f":blue-badge[:material/fiber_new: {t('console.new')}]")
    if item.is_overdue:
        badges.append(f":red-badge[:material/schedule: {t('console.overdue_badge')}]")
    if item.is_red_line:
        badges.append(f":red-badge[:material/priority_high: {t('console.red_line_badge')}]")
    st.markdown(f"**{plain(item.title)}** {' '.join(badges)}")
    st.caption(
        f"{item.code} · {code_label('order_category', item.category)} · "
        f"{status_label(item.status)} · {t('console.owner', name=plain(item.owner_name))} · "
        f"{t('console.created', time=local_time(item.created_at))}"
    )
    deadline = {
        "reply": t("console.deadline_reply"),
        "accept": t("overview.deadline_accept"),
        "fix": t("overview.deadline_fix"),
    }[item.deadline_kind]
    st.markdown(
        f":material/timer: {deadline} {local_time(item.deadline_at)} · "
        f"{deadline_text(item.deadline_at, now)}"
    )


def rating_card(item: InboxItem) -> None:
    if item.scores:
        st.markdown(scores_line(*item.scores))
    st.markdown(plain(item.comment) if item.comment else f"*{t('console.no_comment')}*")
    if item.order_id is not None:
        st.page_link(
            link_to("order_detail.py"), label=t("console.open_order"),
            icon=":material/receipt_long:", query_params={"id": str(item.order_id)},
        )  # fmt: skip
    with st.form(key=f"console_reply_{item.id}", border=False):
        text = st.text_area(
            t("console.reply_label"), key=f"console_reply_text_{item.id}",
            max_chars=ratings.REPLY_MAX_CHARS,
        )  # fmt: skip
        sent = st.form_submit_button(t("console.reply_submit"), icon=":material/send:")
    expected = version_seen(f"_console_reply_version_{item.id}", item.version, submitted=sent)
    if not sent:
        return
    try:
        console_actions.reply(viewer, item.id, text, expected)
    except DomainError as error:
        st.error(error.message(current_language()), icon=":material/error:")
        version_seen(f"_console_reply_version_{item.id}", item.version, submitted=False)
        return
    flash(t("console.reply_sent"))
    st.rerun()


@st.fragment
def ticket_card(item: InboxItem) -> None:
    """A ticket's card; a move reruns only this card, which stays open where it is and offers
    the next move (the list is read again at the next full run)."""
    prefix = f"console_{item.id}"
    moved = bool(st.session_state.get(moved_key(prefix, item.id)))
    if moved:  # the list's copy is older than the move made here
        status, version = ticket_loaders.ticket_state(viewer, item.id)
        item = replace(item, status=status, version=version)
    header(item)
    if item.comment:
        st.caption(plain(item.comment))
    st.page_link(
        link_to("ticket_detail.py"), label=t("console.open_ticket"),
        icon=":material/assignment:", query_params={"id": str(item.id)},
    )  # fmt: skip
    with st.expander(t("console.actions"), icon=":material/task_alt:", expanded=moved):
        action_panel(
            viewer, ticket_id=item.id, status=item.status, version=item.version, is_mine=False,
            key_prefix=prefix, in_place=True,
        )  # fmt: skip


if not items:
    if overdue_only:
        st.success(t("console.empty_overdue"), icon=":material/task_alt:")
    elif kind or status or category:
        st.info(t("console.empty_filtered"))
    else:
        st.success(t("console.empty"), icon=":material/task_alt:")
    st.stop()

st.caption(t("console.count", n=len(items)))
for item in items:
    with st.container(border=True, key=f"card_{item.kind}_{item.id}"):
        if item.kind == "rating":
            header(item)
            rating_card(item)
        else:
            ticket_card(item)
