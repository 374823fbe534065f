"""Placeholder: being built (issue 5)."""

from __future__ import annotations

import streamlit as st

from ui.text import t

st.title(t("page.notifications"))
