"""The viewer of the current run, set by app.py after it was read from the database."""

from __future__ import annotations

import streamlit as st

from data_access.accounts.auth import Viewer

_KEY = "_current_viewer"


def set_viewer(viewer: Viewer) -> None:
    st.session_state[_KEY] = viewer


def viewer() -> Viewer:
    """The logged-in viewer; pages only run after app.py has set it in this run."""
    current = st.session_state.get(_KEY)
    if not isinstance(current, Viewer):
        st.stop()
    return current
