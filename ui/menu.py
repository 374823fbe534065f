"""The menu: Streamlit's own page menu in the sidebar (``st.navigation``), every section open,
with counts in the titles of counted pages (unread notifications, orders to rate, notices not
opened). Streamlit sends the menu with every run whatever it shows, so drawing it is free; the
menu the app used to draw itself was 21 more elements on every page (a fifth of a new visit's
CPU, issue 25). Counts change while a page is open: a fragment without elements re-reads them
every ``BADGE_REFRESH_SECONDS`` and reruns the page when they moved, so the titles follow. The
counts come from one cached read (``ui.loaders.menu``)."""

from __future__ import annotations

import json

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from data_access.accounts.auth import Viewer
from ui.loaders import menu as menu_loaders

BADGE_REFRESH_SECONDS = 30


def menu_counts(viewer: Viewer) -> dict[str, int]:
    """The counts the menu's titles carry on this run (remembered as shown)."""
    return menu_loaders.badge_counts(viewer, shown=True)


def counts_changed(viewer: Viewer) -> bool:
    """Whether the page just read something that changes the counts the menu shows (it was
    drawn before the page ran, so that a page ending in ``st.stop()`` still has it)."""
    return menu_loaders.badge_counts_forgotten() and menu_loaders.badge_counts(viewer) != (
        menu_loaders.shown_badge_counts()
    )


@st.fragment(run_every=BADGE_REFRESH_SECONDS)
def watch_counts(viewer: Viewer) -> None:
    """Rerun the page when the counts the menu shows are no longer the viewer's (a new
    notification, an order completed elsewhere). Draws nothing. In a run of the whole page
    the menu has just read them: only the fragment's own runs read again."""
    ctx = get_script_run_ctx()
    if ctx is None or not ctx.fragment_ids_this_run:
        return
    if menu_loaders.badge_counts(viewer) != menu_loaders.shown_badge_counts():
        st.rerun(scope="app")


# Fixed style and script every page gets (no user content; sent once per session, see
# page_script). The style: headings break between
# words; captions and the menu's icons in a grey that meets WCAG AA contrast; KPI cards two per
# row on a phone. The script: on a narrow screen a choice in the menu closes the sidebar; the
# menu's list markup made plain (see below); a card acted on in place scrolls back to its top.
# Installed once per browser tab. (No markup in the script's comments: a tag written there
# made Streamlit drop the whole script.)
_PAGE_STYLE = """
/* Headings break between words (at spaces and separators), not inside one; a heading without
   any break opportunity still wraps rather than widen the page. */
[data-testid="stMain"] h1, [data-testid="stMain"] h2, [data-testid="stMain"] h3 {
  word-break: keep-all; overflow-wrap: anywhere;
}
/* Captions: Streamlit fades them with opacity 0.6, which leaves grey text (and any coloured
   word in it) below WCAG AA contrast (4.07:1 on white); a solid grey reads at 7:1. */
[data-testid="stCaptionContainer"] { opacity: 1; color: #52585f; }
/* A work-order card's small print, in the Markdown of its title (pages/work_orders.py): drawn
   as a caption is. */
[class*="st-key-board_card_"] [data-testid="stMarkdownContainer"] p + p {
  font-size: 0.875rem; color: #52585f;
}
/* A heading and its caption in one Markdown (ui.widgets.chrome.heading_with_caption; the
   sidebar's title and who is logged in): the lines after the heading as a caption is drawn.
   In the main area Streamlit wraps a Markdown heading in a block of its own (with its link):
   hence "~"; in the sidebar the heading is bare. */
[data-testid="stSidebarUserContent"] [data-testid="stMarkdownContainer"] h3 + p,
[data-testid="stMarkdownContainer"] > [data-testid="stHeadingWithActionElements"] ~ p {
  font-size: 0.875rem; color: #52585f;
}
/* The menu's icons: Streamlit draws them in a faded grey below AA contrast; a solid one. */
[data-testid="stSidebarNav"] [data-testid="stIconMaterial"] { color: #52585f !important; }
/* KPI cards (one Markdown each, fewer elements to send): the lines after the value, a
   heading, are drawn as a caption by the heading-and-caption rule above; the help icon, which
   Streamlit puts after the last word, sits at the card's top right, beside the title it
   explains. */
.st-key-kpi_cards [data-testid="stMarkdownContainer"] { position: relative; }
.st-key-kpi_cards [data-testid="stMarkdownContainer"] > p:first-child { padding-right: 1.5rem; }
.st-key-kpi_cards [data-testid="stMarkdownContainer"] :is(span, label):has(> [data-testid="stTooltipIcon"], > label > [data-testid="stTooltipIcon"]) {
  position: static; transform: none;
}
.st-key-kpi_cards [data-testid="stTooltipIcon"] { position: absolute; top: 0.125rem; right: 0; }
/* The overview's read-only card lists, one HTML element each (ui.widgets.card_lists): cards
   and small print as Streamlit draws its bordered containers and captions; the progress bar
   as its own, in the theme's colour; badges in AA contrast. */
.od-card {
  border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem;
  padding: 0.75rem 1rem; margin-bottom: 0.75rem;
}
.od-card p, .od-step p { margin: 0 0 0.25rem 0; }
.od-step { margin-bottom: 0.75rem; }
.od-small { font-size: 0.875rem; color: #52585f; }
.od-overdue { color: #b3261e; }
.od-badge {
  display: inline-block; font-size: 0.875rem; font-weight: 400; border-radius: 0.25rem;
  padding: 0 0.375rem; margin-left: 0.375rem;
}
.od-badge-blue { background: rgba(28, 131, 225, 0.1); color: #0b4f8a; }
.od-badge-gray { background: rgba(49, 51, 63, 0.08); color: #43474e; }
.od-progress {
  height: 0.5rem; border-radius: 0.25rem; background: #e6ebe9; overflow: hidden;
  margin: 0.5rem 0 0.375rem 0;
}
.od-progress > div { height: 100%; background: #146650; }
/* A ticket's card on the overview is its link: bordered, its title on the first line and
   the rest in small print below, its words wrapping. */
.st-key-overview_ticket_cards [data-testid="stPageLink"] a {
  border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem;
  padding: 0.75rem 1rem; height: auto; align-items: flex-start;
}
.st-key-overview_ticket_cards [data-testid="stPageLink"] a * { white-space: normal; }
.st-key-overview_ticket_cards [data-testid="stPageLink"] p { font-size: 0.875rem; color: #52585f; }
.st-key-overview_ticket_cards [data-testid="stPageLink"] p > strong {
  display: block; font-size: 1rem; color: #1f2933; margin-bottom: 0.25rem;
}
/* The overview's KPI cards: each element of the row is a card (a bordered container's look),
   three per row, two on a phone, the cards of a row as tall as its tallest. */
.st-key-kpi_cards { align-items: stretch; }
.st-key-kpi_cards > div {
  flex: 1 1 calc(33.3% - 1rem); min-width: 0;
  border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; padding: calc(1rem - 1px);
}
@media (max-width: 640px) {
  .st-key-kpi_cards > div { flex: 1 1 calc(50% - 0.5rem); }
}
"""

_PAGE_SCRIPT = """<script>
const PAGE_STYLE = __PAGE_STYLE__;

(() => {
  const doc = document;
  if (doc.ownerDashboardScript) return;
  doc.ownerDashboardScript = true;
  // The page style lives in the document's head: the element that brought it is sent with a
  // session's first run only.
  const style = doc.createElement("style");
  style.id = "owner-dashboard-style";
  style.textContent = PAGE_STYLE;
  doc.head.appendChild(style);
  // Streamlit closes its sidebar after a choice in the menu only on a device it takes for a
  // phone (by the browser's name); a narrow window or a tablet kept it open over the page. For
  // a moment after the choice, while the chosen page is drawn, an open sidebar is closed.
  let closeUntil = 0;
  const closeMenu = () => {
    if (Date.now() > closeUntil) return;
    const sidebar = doc.querySelector('[data-testid="stSidebar"]');
    const close = doc.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (sidebar && sidebar.getAttribute("data-collapsed") === "false" && close) close.click();
  };
  doc.addEventListener("click", (event) => {
    const link = event.target.closest('[data-testid="stSidebar"] a[data-testid="stSidebarNavLink"]');
    if (!link || window.innerWidth >= 768) return;
    closeUntil = Date.now() + 1500;
    setTimeout(closeMenu, 0);
  }, true);
  // Streamlit's menu is a list holding its section headers beside its items (axe: list,
  // listitem; a screen reader announces wrong list sizes). Headers and links are what it
  // means, so its list markup is made plain.
  const plainMenu = () => {
    doc.querySelectorAll('[data-testid="stSidebarNav"] :is(ul, li):not([role="none"])')
      .forEach((node) => node.setAttribute("role", "none"));
  };
  plainMenu();
  // A card that was just acted on in place (ui.actions.ticket_panel) brings its top back
  // into view: typing in its form scrolled the page, and the next move starts at its top.
  const scrolled = new WeakSet();
  new MutationObserver(() => {
    plainMenu();
    closeMenu();
    doc.querySelectorAll('[class*="st-key-scroll_to_"]').forEach((mark) => {
      if (scrolled.has(mark)) return;
      scrolled.add(mark);
      const card = mark.closest('[class*="st-key-card_"]') || mark;
      card.style.scrollMarginTop = "4.5rem";
      card.scrollIntoView({block: "start"});
    });
  }).observe(doc.body, {childList: true, subtree: true});
})();
</script>""".replace("__PAGE_STYLE__", json.dumps(_PAGE_STYLE))


_PAGE_SCRIPT_SENT = "_page_script_sent"


def page_script() -> None:
    """Send the page style and script until a run that carried them completed: the script puts
    the style in the document's head and its listeners on the document, which outlive the
    element (the 5 kB element on every run was a fiftieth of a new visit; issue 25). A reload
    is a new session, and gets them again."""
    if not st.session_state.get(_PAGE_SCRIPT_SENT):
        st.html(_PAGE_SCRIPT, unsafe_allow_javascript=True)


def page_script_delivered() -> None:
    """Called at the end of a run that completed (a run cut short by ``st.rerun`` or
    ``st.stop`` may not have delivered its elements): later runs need not send them."""
    st.session_state[_PAGE_SCRIPT_SENT] = True
