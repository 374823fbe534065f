"""首页 Overview: the viewer's community, its contract, and what is open right now."""

from __future__ import annotations

import streamlit as st

from ui import context, loaders
from ui.text import t

viewer = context.viewer()
with st.spinner():
    summary = loaders.overview(viewer, loaders.local_today())

st.title(summary.community_name)
st.caption(f":material/location_on: {summary.city} · {summary.address}")
if summary.my_units:
    st.caption(t("overview.my_units", units="、".join(summary.my_units)))

open_orders, open_tickets = st.columns(2)
open_orders.metric(
    t("overview.open_work_orders"),
    summary.open_work_orders,
    help=t("overview.open_work_orders_help"),
    border=True,
)
open_tickets.metric(
    t("overview.open_tickets"),
    summary.open_tickets,
    help=t("overview.open_tickets_help"),
    border=True,
)

with st.container(border=True):
    st.subheader(f":material/contract: {t('overview.contract')}")
    if summary.contract is None:
        st.info(t("overview.no_contract"))
    else:
        contract = summary.contract
        st.markdown(
            t(
                "overview.contract_period",
                start=f"{contract.start_date:%Y年%m月%d日}",
                end=f"{contract.end_date:%Y年%m月%d日}",
            )
        )
        st.caption(
            t(
                "overview.contract_level",
                level=contract.service_level,
                fee=f"{contract.fee_per_m2_month:.2f}",
            )
        )
