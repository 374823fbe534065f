"""Page under construction (issue 3)."""

from __future__ import annotations

import streamlit as st

from ui import context

viewer = context.viewer()
st.title(":material/construction:")
