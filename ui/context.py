"""The viewer of the current run, set by app.py after it was read from the database."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import streamlit as st

from data_access.accounts.auth import Viewer
from data_access.timestamps import zone_named

_KEY = "_current_viewer"


def set_viewer(viewer: Viewer) -> None:
    st.session_state[_KEY] = viewer


def viewer() -> Viewer:
    """The logged-in viewer; pages only run after app.py has set it in this run."""
    current = st.session_state.get(_KEY)
    if not isinstance(current, Viewer):
        st.stop()
    return current


def time_zone() -> ZoneInfo:
    """The zone the viewer's community lives in (the default zone before anyone logged in):
    every local date and time a page shows is read in it."""
    current = st.session_state.get(_KEY)
    return zone_named(current.time_zone if isinstance(current, Viewer) else None)
