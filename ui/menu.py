"""The menu in the sidebar, drawn by the app rather than by ``st.navigation``: its section
headers and page links are ours (plain headings and links, no list markup that a screen reader
reads wrongly), and the notifications link carries an unread count that refreshes by itself
every ``BADGE_REFRESH_SECONDS`` while a page is open — a title given to ``st.navigation``
would only change at the next full run."""

from __future__ import annotations

import streamlit as st

from data_access.accounts.auth import Viewer
from ui.loaders import console as console_loaders
from ui.navigation import NOTIFICATIONS_FILE, MenuSection, PageSpec, page_title
from ui.text import t

BADGE_REFRESH_SECONDS = 30


def draw_menu(viewer: Viewer, sections: list[MenuSection]) -> None:
    with st.sidebar, st.container(key="app_menu"):
        for header, pages in sections:
            st.caption(header)
            for spec, page in pages:
                if spec.hidden:
                    continue
                if spec.file == NOTIFICATIONS_FILE:
                    _notifications_link(viewer, spec, page)
                else:
                    st.page_link(page, label=t(spec.title_key), icon=spec.icon)


@st.fragment(run_every=BADGE_REFRESH_SECONDS)
def _notifications_link(viewer: Viewer, spec: PageSpec, page: st.Page) -> None:
    """The one cheap query of the menu: the viewer's unread count (cached a minute)."""
    unread = console_loaders.unread_count(viewer)
    st.page_link(page, label=page_title(spec, unread), icon=spec.icon)
