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
        close_on_phones()


# Streamlit closes the sidebar on a phone after a choice in its own menu; links drawn by the
# app do not get that, so this does it: a click on a menu link on a narrow screen also presses
# the sidebar's close button. Installed once per browser tab.
_CLOSE_ON_PHONES = """<script>
(() => {
  const doc = document;
  if (doc.ownerDashboardMenuCloser) return;
  doc.ownerDashboardMenuCloser = true;
  doc.addEventListener("click", (event) => {
    const link = event.target.closest('[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"]');
    if (!link || window.innerWidth >= 768) return;
    const close = doc.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (close) setTimeout(() => close.click(), 0);
  }, true);
})();
</script>"""


def close_on_phones() -> None:
    st.html(_CLOSE_ON_PHONES, unsafe_allow_javascript=True)


@st.fragment(run_every=BADGE_REFRESH_SECONDS)
def _notifications_link(viewer: Viewer, spec: PageSpec, page: st.Page) -> None:
    """The one cheap query of the menu: the viewer's unread count (cached a minute)."""
    unread = console_loaders.unread_count(viewer)
    st.page_link(page, label=page_title(spec, unread), icon=spec.icon)
