"""我的工单 My work orders: what I reported, in three lists — 待评价 (completed, not rated, still
ratable: the first list when there is one), 进行中 and 已完成 — each order a link to its page,
where the rating form waits at the top."""

from __future__ import annotations

import streamlit as st

from data_access.orders.my_orders import MyOrder
from ui import clock, context
from ui.formatting import deadline_text, local_time, scores_line
from ui.loaders import orders as order_loaders
from ui.navigation import link_to
from ui.text import code_label, plain, t

DETAIL_PAGE = link_to("order_detail.py")

viewer = context.viewer()
st.title(t("page.my_orders"))
now = clock.now_utc()
mine = order_loaders.my_orders(viewer, now)
lists = {"to_rate": mine.to_rate, "open": mine.open, "finished": mine.finished}

choice = st.segmented_control(
    t("my_orders.lists"),
    options=list(lists),
    format_func=lambda name: t(f"my_orders.list_{name}", n=len(lists[name])),
    default="to_rate" if mine.to_rate else "open",
    key="my_orders_list",
    label_visibility="collapsed",
)
shown = lists[choice or "to_rate"]


def card(order: MyOrder) -> None:
    badge = f" :red-badge[{t('orders.unread')}]" if order.is_unread else ""
    st.markdown(f"**{plain(order.title)}**{badge}")
    st.caption(
        f"{order.code} · {code_label('order_category', order.category)} · {plain(order.location)}"
    )
    if order.completed_at is None:
        progress = order.progress
        st.progress(
            progress.percent / 100,
            text=f"{code_label('stage', progress.stage)} {progress.step}/{progress.steps}",
        )
        label = t("my_orders.open_order")
    elif order.rate_until is not None:
        st.caption(
            t("my_orders.completed_at", time=local_time(order.completed_at)) + " · "
            + t("my_orders.rate_until", left=deadline_text(order.rate_until, now))
        )  # fmt: skip
        label = t("my_orders.rate_now")
    else:
        line = t("my_orders.completed_at", time=local_time(order.completed_at))
        if order.scores is not None:
            st.caption(f"{line} · {t('my_orders.rated')}")
            st.caption(scores_line(*order.scores))
        else:
            st.caption(f"{line} · {t('my_orders.not_rated')}")
        label = t("my_orders.open_order")
    st.page_link(
        DETAIL_PAGE, label=label, icon=":material/chevron_right:",
        query_params={"id": str(order.order_id)},
    )  # fmt: skip


if not shown:
    st.info(t(f"my_orders.empty_{choice or 'to_rate'}"))
for order in shown:
    with st.container(border=True):
        card(order)
