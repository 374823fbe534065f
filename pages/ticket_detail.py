"""整改单详情 One rectification ticket: deadlines met or missed, the rating that opened it, every
event with its photos, and the moves the viewer may make.

Opened from the board with ``?id=<ticket id>``; another community's ticket reads as not found.
"""

from __future__ import annotations

import streamlit as st

from data_access.accounts.privacy import PRIVATE_TITLE_KEY
from data_access.errors import DomainError
from data_access.tickets.ticket_board import DeadlineState, TicketStep
from ui import clock, context
from ui.actions import orders as order_actions
from ui.actions.ticket_panel import action_panel
from ui.actions.voice_bar import voice_bar
from ui.formatting import deadline_text, local_time, scores_line, ticket_status_badge
from ui.loaders import tickets as ticket_loaders
from ui.navigation import link_to
from ui.query import record_id_from_link
from ui.text import code_label, current_language, plain, t
from ui.widgets.photos import thumbnail_grid

viewer = context.viewer()
st.page_link(link_to("tickets.py"), label=t("board.back"), icon=":material/arrow_back:")
ticket_id = record_id_from_link()
if ticket_id is None:
    st.error(t("ticket.not_found"))
    st.stop()
now = clock.now_utc()
try:
    ticket = ticket_loaders.ticket_detail(viewer, ticket_id, now)
except DomainError as error:
    st.error(error.message(current_language()))
    st.stop()
order_actions.mark_ticket_seen(viewer, ticket.id, now)


def deadline(label_key: str, state: DeadlineState) -> str:
    """The deadline with met/missed once decided, else its countdown."""
    head = f"**{t(label_key)}** {local_time(state.due_at)}"
    if state.outcome in ("met", "missed"):
        color = "green" if state.outcome == "met" else "red"
        done = t("board.done_at", time=local_time(state.done_at))
        return f"{head} :{color}-badge[{t(f'board.{state.outcome}')}] {done}"
    if state.outcome == "void":
        return f"{head} · {t('board.not_applicable')}"
    mark = f" :red-badge[{t('board.overdue')}]" if state.outcome == "overdue" else ""
    return f"{head} · {deadline_text(state.due_at, now)}{mark}"


def change_label(step: TicketStep) -> str:
    status = code_label("ticket_status", step.to_status)
    if step.from_status is None:
        return f"{t('board.event_opened')} · {status}"
    if step.is_progress:
        return t("board.event_progress")
    return f"{code_label('ticket_status', step.from_status)} → {status}"


def actor_label(step: TicketStep) -> str:
    if step.actor_kind == "system":
        return t("board.actor_system")
    return t(f"board.actor_{step.actor_kind}", name=plain(step.actor))


st.title(t(PRIVATE_TITLE_KEY) if ticket.is_redacted else plain(ticket.title))
if ticket.is_redacted:
    st.caption(f":material/lock: {t('board.private_ticket_hint')}")
badges = [ticket_status_badge(ticket.status)]
if ticket.is_overdue:
    badges.append(f":red-badge[:material/alarm: {t('board.overdue')}]")
if ticket.is_mine:
    badges.append(f":blue-badge[{t('board.mine')}]")
if ticket.source == "rating":
    badges.append(f":orange-badge[{t('board.from_rating')}]")
if ticket.opened_on_behalf:
    badges.append(f":gray-badge[{t('board.on_behalf')}]")
st.markdown(f"{plain(ticket.code)} {' '.join(badges)}")
voice_bar(viewer, "ticket", ticket.id)

# The area alone when the location starts with it (6栋 · 6栋1单元1502 reads as 6栋1单元1502).
places = [
    p
    for p in (ticket.area, ticket.location)
    if p and not (p == ticket.area and ticket.location.startswith(p))
]
info, side = st.columns([3, 2])
with info, st.container(border=True):
    st.markdown(
        f"**{t('board.category')}** {code_label('order_category', ticket.category)}"
        + (f" · **{t('board.place')}** {' · '.join(plain(p) for p in places)}" if places else "")
    )
    if ticket.owner:
        st.markdown(f"**{t('board.owner_label')}** {plain(ticket.owner)}")
    st.markdown(f"**{t('board.opened_at')}** {local_time(ticket.created_at)}")
    st.markdown(deadline("board.deadline_accept", ticket.accept_deadline))
    st.markdown(deadline("board.deadline_fix", ticket.fix_deadline))
    if ticket.status == "rejected" and ticket.reject_reason:
        st.markdown(t("board.reject_reason", reason=plain(ticket.reject_reason)))
    if ticket.auto_closed:
        st.caption(t("board.auto_closed"))

with side:
    st.subheader(t("board.actions"))
    action_panel(
        viewer, ticket_id=ticket.id, status=ticket.status, version=ticket.version,
        is_mine=ticket.is_mine, key_prefix="ticket_detail",
    )  # fmt: skip

st.subheader(t("board.description"))
if ticket.is_redacted:
    st.caption(f":material/lock: {t('board.private_details')}")
else:
    st.markdown(plain(ticket.description) if ticket.description else t("board.no_description"))
if ticket.other_photos:
    thumbnail_grid(ticket.other_photos, columns=3, key="ticket_photos")

if ticket.rating is not None or ticket.work_order_id is not None:
    st.subheader(t("board.rating"))
    with st.container(border=True):
        rating = ticket.rating
        if rating is not None:
            st.markdown(
                scores_line(rating.score_speed, rating.score_attitude, rating.score_quality)
            )
            if rating.comment:
                st.markdown(f"“{plain(rating.comment)}” · {local_time(rating.created_at)}")
            if rating.photos:
                thumbnail_grid(rating.photos, columns=3, key="ticket_rating_photos")
            if rating.reply:
                st.info(
                    f"**{t('board.reply_at', time=local_time(rating.replied_at))}**\n\n"
                    f"{plain(rating.reply)}"
                )
            elif rating.replied_at is not None:  # replied; the reply is not this viewer's
                st.caption(t("board.reply_at", time=local_time(rating.replied_at)))
            else:
                st.caption(
                    f"{t('board.awaiting_reply')} · "
                    f"{t('board.reply_by', time=local_time(rating.reply_due_at))}"
                )
        if ticket.work_order_id is not None and not ticket.is_redacted:
            st.page_link(
                link_to("order_detail.py"), label=t("board.order_detail"),
                icon=":material/receipt_long:", query_params={"id": str(ticket.work_order_id)},
            )  # fmt: skip

st.subheader(t("board.timeline"))
if not ticket.events:
    st.caption(t("board.no_events"))
for step in reversed(ticket.events):
    with st.container(border=True):
        st.markdown(
            f"**{change_label(step)}** · {local_time(step.occurred_at)} · {actor_label(step)}"
        )
        if step.note:
            st.markdown(plain(step.note))
        if step.photos:
            thumbnail_grid(step.photos, columns=3, key=f"ticket_event_{step.event_id}")
