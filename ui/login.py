"""Login through streamlit-authenticator, with our own form and one generic failure message.

The library checks the bcrypt hash and keeps the signed re-login cookie; the form is ours so
that an empty field, an unknown user and a wrong password all read the same. Who the viewer is
(role, community, units) is then read from the database on every run — the cookie only names
the account.
"""

from __future__ import annotations

import copy

import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.utilities import LoginError

from data_access.auth import Viewer, load_credentials, load_viewer, verify_password
from data_access.settings import AppSettings
from ui import chrome
from ui.database import read
from ui.text import t

# A valid bcrypt hash of a random string: checked against when the username is unknown, so that
# a miss costs as much time as a wrong password (no hint which part was wrong).
_COOKIE_PENDING = "_login_cookie_pending"
_LOGOUT_PENDING = "_logout_pending"
_TIMING_DUMMY_HASH = "$2b$12$r0pB18upZlLX8XbWFEVyEe7j1MChuW3TnStrwCcwj5SuNGEahc0ny"


@st.cache_data(ttl=30, show_spinner=False)
def _credentials() -> dict[str, dict[str, dict[str, object]]]:
    # Hashes only, kept in server memory for 30 s; never sent to the browser.
    return read(load_credentials)


def _authenticator(settings: AppSettings) -> stauth.Authenticate:
    return stauth.Authenticate(
        copy.deepcopy(_credentials()),  # the library mutates it
        settings.cookie_name,
        settings.cookie_key,
        settings.cookie_expiry_days,
        auto_hash=False,
        login_sleep_time=0,
    )


def current_viewer(settings: AppSettings) -> tuple[Viewer | None, stauth.Authenticate]:
    """The logged-in viewer (restoring the session from the cookie), or None."""
    authenticator = _authenticator(settings)
    if st.session_state.pop(_LOGOUT_PENDING, False) and st.session_state.get(
        "authentication_status"
    ):
        authenticator.logout(location="unrendered")  # clears the session, deletes the cookie
        return None, authenticator
    try:
        authenticator.login(location="unrendered")  # cookie → session, draws nothing
    except LoginError:
        # The cookie names an account that is no longer active.
        authenticator.logout(location="unrendered")
        st.warning(t("app.account_gone"))
        return None, authenticator
    if not st.session_state.get("authentication_status"):
        return None, authenticator
    if st.session_state.pop(_COOKIE_PENDING, False):
        authenticator.cookie_controller.set_cookie()
    viewer = read(load_viewer, username=st.session_state["username"])
    if viewer is None:
        authenticator.logout(location="unrendered")
        st.warning(t("app.account_gone"))
    return viewer, authenticator


def login_page(settings: AppSettings, authenticator: stauth.Authenticate) -> None:
    _, middle, _ = st.columns([1, 3, 1])  # a narrow, centred form on wide screens
    with middle:
        chrome.login_header(settings)
        login_form(authenticator)


def login_form(authenticator: stauth.Authenticate) -> None:
    """Draw the login form; on success the session is logged in and the app reruns."""
    with st.form("login_form"):
        st.subheader(t("login.title"))
        username = st.text_input(t("login.username"), key="login_username", max_chars=64)
        password = st.text_input(
            t("login.password"), type="password", key="login_password", max_chars=128
        )
        submitted = st.form_submit_button(
            t("login.submit"), type="primary", width="stretch", key="login_submit"
        )
    if not submitted:
        return
    username = username.strip().lower()
    known = (
        username
        in authenticator.authentication_controller.authentication_model.credentials["usernames"]
    )
    if not known and password:
        verify_password(password, _TIMING_DUMMY_HASH)  # equal cost for unknown users
    ok = bool(username and password and known) and bool(
        authenticator.authentication_controller.login(username, password)
    )
    if not ok:
        st.session_state["authentication_status"] = None
        st.error(t("login.failed"), icon="🔒")
        return
    # Start clean: the next run draws the app, and writes the re-login cookie.
    st.session_state[_COOKIE_PENDING] = True
    st.rerun()


def logout_button() -> None:
    # Handled at the start of the next run (current_viewer), so that the run which deletes the
    # cookie completes and the browser really receives the deletion.
    st.sidebar.button(t("app.logout"), key="app_logout", width="stretch", on_click=_request_logout)


def _request_logout() -> None:
    st.session_state[_LOGOUT_PENDING] = True
