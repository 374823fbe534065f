"""The viewer of the current run and their homes, set by app.py after they were read from the
database (in the run's login check)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import streamlit as st

from data_access.accounts.auth import Viewer
from data_access.communities import OwnUnits
from data_access.timestamps import zone_named

_KEY = "_current_viewer"
_OWN_UNITS = "_current_own_units"


def set_viewer(viewer: Viewer, own_units: OwnUnits) -> None:
    st.session_state[_KEY] = viewer
    st.session_state[_OWN_UNITS] = own_units


def own_units() -> OwnUnits:
    """The viewer's homes (labels and buildings), as read with the viewer in this run."""
    current = st.session_state.get(_OWN_UNITS)
    return current if isinstance(current, OwnUnits) else OwnUnits()


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
