"""Placeholder: being built (issue 6)."""

from __future__ import annotations

import streamlit as st

from ui.text import t

st.title(t("page.checklists"))
st.info(t("common.coming_soon"))
