"""Page under construction (issue 4)."""

from __future__ import annotations

import streamlit as st

from ui import context

viewer = context.viewer()
st.info(":material/construction:")
