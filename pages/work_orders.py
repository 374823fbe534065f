"""工单进度 Work orders: open orders live, with progress bars, deadlines and unread markers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from data_access.flows import WORK_ORDER_FLOWS
from data_access.models import WORK_ORDER_CATEGORIES, WORK_ORDER_TYPES
from data_access.periods import PERIOD_KINDS, period_containing
from ui import clock, context
from ui.formatting import ago, deadline_text, local, local_time
from ui.loaders import me_too as me_too_loaders
from ui.loaders import orders as order_loaders
from ui.navigation import link_to
from ui.text import code_label, plain, t
from ui.widgets.chrome import heading_with_caption

viewer = context.viewer()
heading_with_caption(1, t("orders.title"), [t("orders.intro")])

scope = st.segmented_control(
    t("orders.scope"),
    options=["mine", "community"],
    format_func=lambda s: t(f"orders.scope_{s}"),
    default="mine" if viewer.is_owner else "community",
    key="orders_scope",
    label_visibility="collapsed",
)
stages = list(dict.fromkeys(stage.code for flow in WORK_ORDER_FLOWS.values() for stage in flow))
# The filters are drawn only while their panel is open (most visits never open it: five
# choice boxes are a tenth of the board's elements). What was chosen stays chosen when it is
# closed: kept apart from the boxes, whose own state Streamlit drops when they are not drawn.
FILTER_KEYS = ("orders_type", "orders_category", "orders_stage", "orders_area", "orders_created")
kept: dict[str, Any] = st.session_state.setdefault("_orders_filters_kept", {})
filters_panel = st.expander(
    t("orders.filters"), icon=":material/filter_list:", key="orders_filters", on_change="rerun"
)
if filters_panel.open:
    areas = {a.area_id: a.name for a in order_loaders.areas(viewer)}
    # (key, label, options, how an option is shown), in the panel's order
    filters: tuple[tuple[str, str, list[Any], Callable[[Any], str]], ...] = (
        ("orders_type", t("orders.filter_type"), [None, *WORK_ORDER_TYPES],
         lambda c: t("common.all") if c is None else code_label("order_type", c)),
        ("orders_category", t("orders.filter_category"), [None, *WORK_ORDER_CATEGORIES],
         lambda c: t("common.all") if c is None else code_label("order_category", c)),
        ("orders_stage", t("orders.filter_stage"), [None, *(s for s in stages if s != "completed")],
         lambda c: t("common.all") if c is None else code_label("stage", c)),
        ("orders_area", t("orders.filter_area"), [None, *areas],
         lambda a: t("common.all") if a is None else areas[a]),
        ("orders_created", t("orders.filter_created"), [None, *PERIOD_KINDS],
         lambda k: t(f"orders.created_{k or 'any'}")),
    )  # fmt: skip
    with filters_panel:
        for column, (key, label, options, shown_as) in zip(st.columns(5), filters, strict=True):
            chosen = kept.get(key)
            if chosen is not None and chosen in options and key not in st.session_state:
                st.session_state[key] = chosen  # the panel was closed: show what is chosen
            kept[key] = column.selectbox(
                label, options, key=key, format_func=shown_as, placeholder=t("common.choose")
            )
order_type, category, stage, area_id, created = (kept.get(key) for key in FILTER_KEYS)
filters_on = sum(kept.get(key) is not None for key in FILTER_KEYS)
created_from = None
if created:
    start = period_containing(created, clock.local_today()).start
    created_from = clock.local_midnight_utc(start)

DETAIL_PAGE = "order_detail.py"


@st.fragment(run_every=order_loaders.BOARD_REFRESH)
def live_board() -> None:
    now = clock.now_utc()
    board = order_loaders.board(
        viewer, now.replace(microsecond=0), scope == "mine", order_type, category, stage,
        area_id, created_from,
    )  # fmt: skip
    unread = sum(o.is_unread for o in board.orders)
    count = (
        t("orders.count_limited", total=board.total, shown=len(board.orders))
        if len(board.orders) < board.total
        else t("orders.count", total=board.total)
    )
    # A closed filter panel still filters: say so next to the count. The time of this refresh
    # in small print on the same line (one element: the fragment redraws it every few seconds).
    filters_note = f" · {t('orders.filters_on', n=filters_on)}" if filters_on else ""
    stamp = t("orders.updated_at", time=f"{local(now):%H:%M:%S}")
    st.markdown(f"{count}{filters_note} · :small[:material/autorenew: {stamp}]")
    if unread:
        st.info(t("orders.unread_count", count=unread), icon=":material/notifications_active:")
    if not board.orders:
        st.info(t("orders.empty_mine" if scope == "mine" else "orders.empty"))
        return
    affected = me_too_loaders.counts(viewer, "order", [o.order_id for o in board.orders])
    for column, order in zip(st.columns(2) * len(board.orders), board.orders, strict=False):
        with column, st.container(border=True, key=f"board_card_{order.order_id}"):
            badges = (
                [f":red-badge[:material/fiber_new: {t('orders.unread')}]"]
                if order.is_unread
                else []
            )
            if order.is_mine:
                badges.append(f":blue-badge[{t('overview.mine')}]")
            if order.is_private:
                badges.append(f":gray-badge[{t('overview.private')}]")
            if affected.get(order.order_id):
                count = t("voice.count", n=affected[order.order_id])
                badges.append(f":violet-badge[:material/groups: {count}]")
            # The title, then its small print in the same Markdown (the page style draws the
            # second paragraph as a caption): one element fewer per card.
            st.markdown(
                f"**{plain(order.title)}** {' '.join(badges)}\n\n"
                f"{order.code} · {code_label('order_type', order.order_type)} · "
                f"{code_label('order_category', order.category)} · {plain(order.location)}"
            )
            progress = order.progress
            st.progress(
                progress.percent / 100,
                text=f"{code_label('stage', progress.stage)} {progress.step}/{progress.steps}",
            )
            deadline = t(f"orders.deadline_{order.deadline_kind}")
            left, right = st.columns([2, 1], vertical_alignment="center")  # room for 查看详情
            left.caption(
                f"{deadline} {local_time(order.deadline_at)} · {deadline_text(order.deadline_at, now)} · "
                f"{t('orders.updated_ago', ago=ago(order.last_event_at, now))}"
            )
            right.page_link(
                link_to(DETAIL_PAGE), label=t("orders.details"), icon=":material/chevron_right:",
                query_params={"id": str(order.order_id)},
            )  # fmt: skip


live_board()
