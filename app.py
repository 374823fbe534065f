"""Entry point: page config, settings check, login, role → pages, shared chrome. Routing only."""

from __future__ import annotations

import streamlit as st

from data_access.errors import DatabaseUnavailable, is_database_outage
from data_access.settings import ConfigError, load_settings
from ui import chrome, context, login, navigation
from ui.text import t

st.set_page_config(page_title=t("app.title"), page_icon="🏘️", layout="wide")

try:
    settings = load_settings()
except ConfigError as error:
    chrome.fatal(error)

try:
    viewer, authenticator = login.current_viewer(settings)
    if viewer is None:
        chrome.login_header(settings)
        viewer = login.login_form(settings, authenticator)
    if viewer is None:
        st.stop()
    context.set_viewer(viewer)
    page = st.navigation(navigation.pages_for(viewer))
    chrome.sidebar(viewer, settings)
    login.logout_button(authenticator)
    page.run()
except DatabaseUnavailable as error:
    chrome.unavailable(error)
except Exception as error:
    if is_database_outage(error):
        chrome.unavailable(error)
    else:
        chrome.unexpected(error)
