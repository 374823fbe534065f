"""The framework floor: a page that only writes one line (no login, no database)."""

import streamlit as st

st.write("floor")
