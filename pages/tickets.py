"""整改公示 The public board: every rectification ticket of the community with its status,
deadlines and progress, and the public ratings with the company's reply (docs/domain.md)."""

from __future__ import annotations

import streamlit as st

from data_access.accounts.privacy import PRIVATE_TITLE_KEY
from data_access.models import TICKET_STATUSES, WORK_ORDER_CATEGORIES
from data_access.periods import period_containing
from data_access.tickets.ticket_board import BoardTicket, PublicRating
from ui import clock, context
from ui.formatting import ago, deadline_text, local_time, scores_line, ticket_status_badge
from ui.loaders import me_too as me_too_loaders
from ui.loaders import tickets as ticket_loaders
from ui.navigation import link_to
from ui.text import code_label, plain, t

DETAIL_PAGE = link_to("ticket_detail.py")
ORDER_PAGE = link_to("order_detail.py")
PAGE_SIZE = 30  # tickets per "show more"
FILTER_KEYS = (
    "tickets_status", "tickets_category", "tickets_search", "tickets_overdue", "tickets_mine",
    "tickets_ratings_low", "tickets_ratings_unreplied",
)  # fmt: skip
RATINGS_SHOWN = 30

viewer = context.viewer()
now = clock.now_utc_minute()
st.title(t("page.tickets"))
st.caption(t("board.intro"))

month_start = clock.local_midnight_utc(period_containing("month", clock.local_today()).start)
summary = ticket_loaders.summary(viewer, now, month_start)
open_, overdue, awaiting, closed = st.columns(4)
open_.metric(t("board.metric_open"), summary.open)
overdue.metric(t("board.metric_overdue"), summary.overdue)
awaiting.metric(t("board.metric_awaiting"), summary.awaiting_confirmation)
closed.metric(
    t("board.metric_closed_month"), summary.closed_since,
    help=t("board.metric_closed_help", closed=summary.closed,
           rejected=summary.by_status.get("rejected", 0), total=summary.total),
)  # fmt: skip


def deadline_line(ticket: BoardTicket) -> str:
    if ticket.status == "awaiting_confirmation":
        return t("board.awaiting_owner")
    if ticket.deadline_kind is None or ticket.deadline_at is None:
        return t("board.finished", time=local_time(ticket.last_update_at))
    return (
        f"{t(f'board.deadline_{ticket.deadline_kind}')} {local_time(ticket.deadline_at)} · "
        f"{deadline_text(ticket.deadline_at, now)}"
    )


def ticket_card(ticket: BoardTicket, affected: int = 0) -> None:
    with st.container(border=True):
        badges = [ticket_status_badge(ticket.status)]
        if ticket.is_overdue:
            badges.append(f":red-badge[:material/alarm: {t('board.overdue')}]")
        if ticket.is_mine:
            badges.append(f":blue-badge[{t('board.mine')}]")
        if ticket.source == "rating":
            badges.append(f":orange-badge[{t('board.from_rating')}]")
        if ticket.opened_on_behalf:
            badges.append(f":gray-badge[{t('board.on_behalf')}]")
        if affected and not ticket.is_redacted:
            badges.append(f":violet-badge[:material/groups: {t('voice.count', n=affected)}]")
        # A redacted ticket (an in-home order's) shows its neutral title in the UI language.
        title = t(PRIVATE_TITLE_KEY) if ticket.is_redacted else ticket.title
        st.markdown(f"**{plain(title)}** {' '.join(badges)}")
        if ticket.is_redacted:
            st.caption(t("board.private_ticket_hint"))
        facts = [plain(ticket.code), code_label("order_category", ticket.category)]
        facts += [plain(place) for place in (ticket.area, ticket.location) if place]
        if ticket.owner:
            facts.append(t("board.owner", name=plain(ticket.owner)))
        facts.append(t("board.created", time=local_time(ticket.created_at)))
        st.caption(" · ".join(facts))
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.markdown(
            f"{deadline_line(ticket)}  \n"
            f"{t('board.progress_count', n=ticket.progress_count)} · "
            f"{t('board.updated', ago=ago(ticket.last_update_at, now))}"
        )
        right.page_link(
            DETAIL_PAGE, label=t("board.details"), icon=":material/chevron_right:",
            query_params={"id": str(ticket.id)},
        )  # fmt: skip
        if ticket.status == "rejected" and ticket.reject_reason:
            st.markdown(t("board.reject_reason", reason=plain(ticket.reject_reason)))


def rating_card(rating: PublicRating) -> None:
    with st.container(border=True):
        badges = [f":red-badge[{t('board.low')}]"] if rating.is_low else []
        if rating.is_mine:
            badges.append(f":blue-badge[{t('board.mine')}]")
        title = t(PRIVATE_TITLE_KEY) if rating.is_redacted else rating.order_title
        st.markdown(f"**{plain(title)}** {' '.join(badges)}")
        st.caption(
            f"{plain(rating.order_code)} · {code_label('order_category', rating.category)} · "
            f"{t('board.rated_by', name=plain(rating.owner))} · {local_time(rating.created_at)}"
        )
        st.markdown(scores_line(rating.score_speed, rating.score_attitude, rating.score_quality))
        if rating.comment:
            st.markdown(f"“{plain(rating.comment)}”")
        if rating.reply:
            st.info(
                f"**{t('board.reply_at', time=local_time(rating.replied_at))}**\n\n"
                f"{plain(rating.reply)}"
            )
        else:
            due = rating.reply_due_at
            mark = f" :red-badge[{t('board.overdue')}]" if rating.reply_overdue else ""
            st.markdown(
                f":orange-badge[{t('board.awaiting_reply')}]{mark} "
                f"{t('board.reply_by', time=local_time(due))} · {deadline_text(due, now)}"
            )
        links = st.columns(2)
        if rating.ticket_id is not None:
            links[0].page_link(
                DETAIL_PAGE, label=t("board.ticket_link", code=plain(rating.ticket_code)),
                icon=":material/assignment:", query_params={"id": str(rating.ticket_id)},
            )  # fmt: skip
        links[1].page_link(
            ORDER_PAGE, label=t("board.order_link", code=plain(rating.order_code)),
            icon=":material/receipt_long:", query_params={"id": str(rating.order_id)},
        )  # fmt: skip


def show_more() -> None:
    st.session_state["tickets_shown"] = st.session_state.get("tickets_shown", PAGE_SIZE) + PAGE_SIZE


def tickets_panel() -> None:
    """The tickets with their filters and "show more"."""
    status_column, category_column, search_column = st.columns([1, 1, 2])
    status = status_column.selectbox(
        t("board.filter_status"), [None, *TICKET_STATUSES], key="tickets_status",
        format_func=lambda s: t("common.all") if s is None else code_label("ticket_status", s), placeholder=t("common.choose")
    )  # fmt: skip
    category = category_column.selectbox(
        t("board.filter_category"), [None, *WORK_ORDER_CATEGORIES], key="tickets_category",
        format_func=lambda c: t("common.all") if c is None else code_label("order_category", c), placeholder=t("common.choose")
    )  # fmt: skip
    search = search_column.text_input(
        t("board.search"), key="tickets_search", placeholder=t("board.search_placeholder"),
        max_chars=100,
    )  # fmt: skip
    toggles = st.columns(4)
    overdue_only = toggles[0].toggle(t("board.overdue_only"), key="tickets_overdue")
    mine_only = False
    if not viewer.is_manager:  # managers own no tickets
        mine_only = toggles[1].toggle(t("board.mine_only"), key="tickets_mine")

    shown = st.session_state.get("tickets_shown", PAGE_SIZE)
    tickets, total = ticket_loaders.board(
        viewer, now, status, category, overdue_only, mine_only, search.strip(), shown
    )
    if len(tickets) < total:
        st.markdown(t("board.count_limited", total=total, shown=len(tickets)))
    else:
        st.markdown(t("board.count", total=total))
    filtered = status or category or overdue_only or mine_only or search.strip()
    if not tickets:
        st.info(t("board.empty_filtered" if filtered else "board.empty"))
    affected = me_too_loaders.counts(viewer, "ticket", [ticket.id for ticket in tickets])
    for ticket in tickets:
        ticket_card(ticket, affected.get(ticket.id, 0))
    if len(tickets) < total:
        st.button(t("board.show_more"), key="tickets_more", on_click=show_more)


def ratings_panel() -> None:
    """The community's ratings with the company's replies."""
    st.caption(t("board.ratings_intro"))
    toggles = st.columns(4)
    low_only = toggles[0].toggle(t("board.ratings_low"), key="tickets_ratings_low")
    unreplied_only = toggles[1].toggle(
        t("board.ratings_unreplied"), key="tickets_ratings_unreplied"
    )
    ratings, rating_total = ticket_loaders.ratings(
        viewer, now, low_only, unreplied_only, RATINGS_SHOWN
    )
    if len(ratings) < rating_total:
        st.markdown(t("board.ratings_count_limited", total=rating_total, shown=len(ratings)))
    else:
        st.markdown(t("board.ratings_count", total=rating_total))
    if not ratings:
        st.info(t("board.ratings_empty"))
    for rating in ratings:
        rating_card(rating)


# Only the open tab runs (a tab switch reruns the page): the board and the ratings are two
# separate reads and a few dozen cards each, and nobody sees both at once. Streamlit forgets the
# state of widgets a run does not draw; written back here, the closed tab's filters survive.
# Only chosen filters: a written-back None would show the select box empty, not "全部".
for key in FILTER_KEYS:
    if st.session_state.get(key) not in (None, False, ""):
        st.session_state[key] = st.session_state[key]
tickets_tab, ratings_tab = st.tabs(
    [t("board.tab_tickets"), t("board.tab_ratings")], key="tickets_tab", on_change="rerun"
)
if tickets_tab.open:
    with tickets_tab:
        tickets_panel()
if ratings_tab.open:
    with ratings_tab:
        ratings_panel()
