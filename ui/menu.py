"""The menu in the sidebar, drawn by the app rather than by ``st.navigation``: its section
headers and page links are ours (plain headings and links, no list markup that a screen reader
reads wrongly). A section with a counted page (unread notifications, orders to rate) is drawn in
a fragment that refreshes by itself every ``BADGE_REFRESH_SECONDS`` while a page is open — a
title given to ``st.navigation`` would only change at the next full run. Its counts come from
one cached read (``ui.loaders.menu``)."""

from __future__ import annotations

import streamlit as st

from data_access.accounts.auth import Viewer
from ui.loaders import menu as menu_loaders
from ui.navigation import MenuSection, PageSpec, page_title

BADGE_REFRESH_SECONDS = 30


def draw_menu(viewer: Viewer, sections: list[MenuSection]) -> None:
    with st.sidebar, st.container(key="app_menu"):
        for header, pages in sections:
            shown = [(spec, page) for spec, page in pages if not spec.hidden]
            if any(spec.badge for spec, _ in shown):
                _counted_section(viewer, header, shown)
            else:
                _section(header, shown, {})
        page_script()


def counts_changed(viewer: Viewer) -> bool:
    """Whether the page just read something that changes the counts the menu shows (it was
    drawn before the page ran, so that a page ending in ``st.stop()`` still has it)."""
    return menu_loaders.badge_counts_forgotten() and menu_loaders.badge_counts(viewer) != (
        menu_loaders.shown_badge_counts()
    )


def _section(header: str, pages: list[tuple[PageSpec, st.Page]], counts: dict[str, int]) -> None:
    st.caption(header)
    for spec, page in pages:
        count = counts.get(spec.badge, 0) if spec.badge else 0
        st.page_link(page, label=page_title(spec, count), icon=spec.icon)


@st.fragment(run_every=BADGE_REFRESH_SECONDS)
def _counted_section(viewer: Viewer, header: str, pages: list[tuple[PageSpec, st.Page]]) -> None:
    _section(header, pages, menu_loaders.badge_counts(viewer, shown=True))


# Fixed style and script every page gets with the menu (no user content). The style: headings
# break between words; captions in a grey that meets WCAG AA contrast; KPI cards two per row
# on a phone. The script: Streamlit closes the
# sidebar on a phone after a choice in its own menu; links drawn by the app do not get that, so
# a click on a menu link on a narrow screen also presses the sidebar's close button; and a card
# acted on in place scrolls back to its top. Installed once per browser tab.
_PAGE_SCRIPT = """<style>
/* Headings break between words (at spaces and separators), not inside one; a heading without
   any break opportunity still wraps rather than widen the page. */
[data-testid="stMain"] h1, [data-testid="stMain"] h2, [data-testid="stMain"] h3 {
  word-break: keep-all; overflow-wrap: anywhere;
}
/* Captions: Streamlit fades them with opacity 0.6, which leaves grey text (and any coloured
   word in it) below WCAG AA contrast (4.07:1 on white); a solid grey reads at 7:1. */
[data-testid="stCaptionContainer"] { opacity: 1; color: #52585f; }
/* Cards whose title and small print are one Markdown (fewer elements to send): the paragraphs
   after the first are drawn as a caption is (the overview's cards and steps, the KPI cards). */
.st-key-kpi_cards [data-testid="stMarkdownContainer"] p + p,
[class*="st-key-overview_cards_"] [data-testid="stMarkdownContainer"] p + p {
  font-size: 0.875rem; color: #52585f;
}
/* The overview's KPI cards: three per row, two on a phone. */
.st-key-kpi_cards > div { flex: 1 1 calc(33.3% - 1rem); min-width: 0; }
@media (max-width: 640px) {
  .st-key-kpi_cards > div { flex: 1 1 calc(50% - 0.5rem); }
}
</style>
<script>
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
  // A card that was just acted on in place (ui.actions.ticket_panel) brings its top back
  // into view: typing in its form scrolled the page, and the next move starts at its top.
  const scrolled = new WeakSet();
  new MutationObserver(() => {
    doc.querySelectorAll('[class*="st-key-scroll_to_"]').forEach((mark) => {
      if (scrolled.has(mark)) return;
      scrolled.add(mark);
      const card = mark.closest('[class*="st-key-card_"]') || mark;
      card.style.scrollMarginTop = "4.5rem";
      card.scrollIntoView({block: "start"});
    });
  }).observe(doc.body, {childList: true, subtree: true});
})();
</script>"""


def page_script() -> None:
    st.html(_PAGE_SCRIPT, unsafe_allow_javascript=True)
