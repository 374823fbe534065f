"""The framework floor of the concurrent rounds: two pages (the Overview's and the work-order
board's URL paths), each writing one line — its title, so the simulated users' checks pass —
with no login and no database."""

import streamlit as st

from i18n import translate


def _overview() -> None:
    st.write(translate("overview.kpi_header", "zh"))


def _board() -> None:
    st.write(translate("orders.title", "zh"))


st.navigation(
    [st.Page(_overview, url_path="home", default=True), st.Page(_board, url_path="orders-live")]
).run()
