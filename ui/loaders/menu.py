"""The menu's counts: unread notifications and (for owners) orders waiting for a rating, read
together and cached ``BADGE_TTL_SECONDS`` per viewer; an action that reads notifications drops
the cached counts (``forget_badge_counts``)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from data_access.accounts.auth import Viewer
from data_access.notifications import badges
from ui import clock
from ui.database import read
from ui.loaders.cache import community_cache

BADGE_TTL_SECONDS = 10


_SHOWN = "_menu_counts_shown"


def badge_counts(viewer: Viewer, shown: bool = False) -> dict[str, int]:
    """The viewer's counts; ``shown``: the menu draws these (remembered for the session)."""
    counts = _badge_counts(viewer, clock.now_utc_minute())
    if shown:
        st.session_state[_SHOWN] = counts
    return counts


def shown_badge_counts() -> dict[str, int] | None:
    return st.session_state.get(_SHOWN)


_FORGOTTEN = "_menu_counts_forgotten"


def forget_badge_counts(viewer: Viewer) -> None:
    """Drop the viewer's cached counts (they just read something) and note it for this run."""
    _badge_counts.clear(viewer, clock.now_utc_minute())
    st.session_state[_FORGOTTEN] = True


def badge_counts_forgotten() -> bool:
    """Whether the counts were dropped since this was last asked (then: no longer)."""
    return bool(st.session_state.pop(_FORGOTTEN, False))


@community_cache(ttl=BADGE_TTL_SECONDS)
def _badge_counts(viewer: Viewer, now: dt.datetime) -> dict[str, int]:
    return read(badges.badge_counts, viewer=viewer, now=now)
