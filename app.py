"""Entry point: page config, settings check, login, role → pages, shared chrome. Routing only."""

from __future__ import annotations

import streamlit as st

from data_access.errors import DatabaseUnavailable, is_database_outage
from data_access.settings import ConfigError, check_proxy_environment, load_settings
from ui import context, document_language, login, menu, navigation, preferences
from ui.actions import commands
from ui.loaders import communities as community_loaders
from ui.run_slots import run_slot
from ui.text import t
from ui.widgets import chrome

# The tab's icon is the app's own (chrome.favicon): a ":material/…:" icon would make every
# browser fetch it from fonts.gstatic.com (unreachable from mainland China, and a leak).
st.set_page_config(page_title=t("app.title"), page_icon=chrome.favicon(), layout="wide")

try:
    settings = load_settings()
    if login.served_to_a_browser():
        check_proxy_environment(settings)
except ConfigError as error:
    chrome.fatal(error)

with run_slot(settings.run_slots):
    try:
        live, authenticator = login.current_login(settings)
        if live is None:
            # Until login, the only page is the login form (hides the automatic pages/ menu).
            login_page = navigation.login_page(lambda: login.login_page(settings, authenticator))
            st.navigation([login_page], position="hidden").run()
            st.stop()
        viewer = live.viewer
        context.set_viewer(viewer, live.own_units)
        preferences.apply_account_preferences(viewer, live.preferences)
        preferences.show_large_text_if_chosen()
        sections = navigation.menu_for(viewer, menu.menu_counts(viewer))
        # Streamlit's own menu, every section open (ui.menu).
        page = st.navigation(
            {header: [page for _, page in pages] for header, pages in sections},
            position="sidebar",
            expanded=True,
        )
        with st.sidebar:
            menu.page_script()
            document_language.send()
            menu.watch_counts(viewer)
        chrome.sidebar(viewer, settings, community_loaders.sync_status(viewer.community_id))
        login.logout_button()
        commands.show_flashes()  # what the last action achieved, above the page it led to
        page.run()
        if menu.counts_changed(viewer):  # the page read notifications (an order opened)
            st.rerun()  # once: the menu then shows the new counts
        menu.page_script_delivered()  # this run completed: its style and script were delivered
        document_language.delivered()
    except DatabaseUnavailable as error:
        chrome.unavailable(error)
    except Exception as error:
        if is_database_outage(error):
            chrome.unavailable(error)
        else:
            chrome.unexpected(error)
