"""Login: our form, a server-side session per login, and a signed cookie that only names it.

streamlit-authenticator's cookie ({username, expiry}) stays valid after logout and a password
change, and its lockout answers differently once the password is right, so the app no longer
relies on either (see ``data_access.accounts.login_security``). Every run: cookie or this tab's
session id → the session row is checked → the viewer (role, community, units) is read from the
database; nothing about rights is ever trusted from the cookie or the session state.

The cookie is read from the request headers (``st.context.cookies``). It is written and deleted
by the browser component extra-streamlit-components ships for that (its frontend, declared here
as our own component), drawn only on the runs that write or delete: a component on every run
reports the browser's cookies after the page has loaded and so starts a second run of every page
load, which also swallowed a click made in between (the click's run was interrupted by it).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st
import streamlit.components.v1 as components

from data_access.accounts.activation import redeem_code, request_password_code
from data_access.accounts.auth import PasswordRuleError
from data_access.accounts.login_security import (
    LAST_SEEN_PRECISION,
    LiveSession,
    attempt_login,
    client_key_for,
    decode_session_cookie,
    encode_session_cookie,
    end_session,
    live_session,
    session_end_reason,
    touch_session,
)
from data_access.data_versions import changes_no_figures
from data_access.db import write_session
from data_access.settings import AppSettings, wants_secure_cookie
from ui import clock, document_language
from ui.database import read_primary, session_factory
from ui.text import current_language, t
from ui.widgets import chrome

_SESSION_ID = "_login_session_id"  # this tab's live session (after login, or from the cookie)
_COOKIE_PENDING = "_login_cookie_pending"  # the cookie value to write on the next run
_LOGOUT_PENDING = "_logout_pending"
_LAST_TOUCH = "_login_last_touch"


def _cookie_frontend() -> str:
    spec = importlib.util.find_spec("extra_streamlit_components.CookieManager")
    assert spec is not None and spec.submodule_search_locations
    return str(Path(spec.submodule_search_locations[0]) / "frontend" / "build")


# Answers True once the browser has written (or deleted) the cookie.
_cookie_component = components.declare_component("login_cookie", path=_cookie_frontend())


@dataclass(frozen=True)
class LoginGate:
    """What the login page needs."""

    settings: AppSettings


def current_login(settings: AppSettings) -> tuple[LiveSession | None, LoginGate]:
    """The logged-in viewer's live session (the viewer, their display choices and homes), or
    None (then the login page is drawn)."""
    session_factory()  # an unusable database is reported now, not after the password is typed
    gate = LoginGate(settings)
    now = clock.now_utc()
    if st.session_state.pop(_LOGOUT_PENDING, False):
        # Handled at the start of the run after the click, so that this run — which deletes
        # the cookie — completes and the browser really receives the deletion.
        session_id = st.session_state.pop(_SESSION_ID, None)
        if session_id:
            with write_session(session_factory()) as session:
                changes_no_figures(session)  # logins change no page's figures
                end_session(session=session, session_id=session_id, now=now)
        _delete_cookie(gate)
        return None, gate
    session_id = st.session_state.get(_SESSION_ID)
    held_in_tab = session_id is not None
    if session_id is None:
        cookie = st.context.cookies.get(settings.cookie_name)
        session_id = decode_session_cookie(cookie, key=settings.cookie_key, now=now)
        if session_id is None:
            return None, gate
    live = read_primary(live_session, session_id=session_id, now=now)
    if live is None:
        st.session_state.pop(_SESSION_ID, None)
        if held_in_tab:  # logged in a moment ago: say why it ended
            st.warning(t(read_primary(session_end_reason, session_id=session_id)))
        _delete_cookie(gate)  # the browser's cookie names a dead session
        return None, gate
    st.session_state[_SESSION_ID] = session_id
    token = st.session_state.get(_COOKIE_PENDING)
    if token:
        expires = now + dt.timedelta(days=settings.cookie_expiry_days)
        options: dict[str, Any] = {
            "path": "/",
            "expires": expires.replace(tzinfo=dt.UTC).isoformat(),
            "sameSite": "strict",
            "secure": _served_over_https(settings),
        }
        # Drawn until the browser says it is written (the answer starts one more run).
        written = _cookie_component(
            method="set",
            cookie=settings.cookie_name,
            value=token,
            options=options,
            key="login_cookie_set",
            default=False,
        )
        if written:
            st.session_state.pop(_COOKIE_PENDING, None)
    _touch(session_id, now, due=live.touch_due)
    return live, gate


def _touch(session_id: str, now: dt.datetime, *, due: bool) -> None:
    # At most once a minute per tab, so that ordinary runs only read.
    last = st.session_state.get(_LAST_TOUCH)
    if isinstance(last, dt.datetime) and now - last < LAST_SEEN_PRECISION:
        return
    if due:
        with write_session(session_factory()) as session:
            changes_no_figures(session)  # logins change no page's figures
            touch_session(session=session, session_id=session_id, now=now)
    st.session_state[_LAST_TOUCH] = now


def _delete_cookie(gate: LoginGate) -> None:
    """Drawn on logout and while the browser's cookie names a dead session (the request's
    cookies are those of the page load, so a cookie written later by this tab is not seen)."""
    _cookie_component(
        method="delete", cookie=gate.settings.cookie_name, key="login_cookie_delete", default=False
    )


def login_page(settings: AppSettings, gate: LoginGate) -> None:
    _, middle, _ = st.columns([1, 3, 1])  # a narrow, centred form on wide screens
    with middle:
        # Every run of the login page (they end in st.stop, so none is marked delivered): few.
        document_language.send()
        chrome.login_header(settings)
        login_form(gate)
        code_forms(gate)


def login_form(gate: LoginGate) -> None:
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
    now = clock.now_utc()
    settings = gate.settings
    with write_session(session_factory()) as session:
        changes_no_figures(session)  # logins change no page's figures
        outcome = attempt_login(
            session=session,
            username=username,
            password=password,
            client_key=client_key_for(_client_address(), secret=settings.cookie_key),
            now=now,
            lifetime=dt.timedelta(days=settings.cookie_expiry_days),
        )
    if outcome.delay_s > 0:  # an account under attack answers slowly (after the commit)
        time.sleep(outcome.delay_s)
    session_id = outcome.session_id
    if session_id is None:
        # One message for every failure, locked out or not.
        st.error(t("login.failed"), icon="🔒")
        return
    # Start clean: the next run draws the app, and writes the cookie naming the session.
    st.session_state[_SESSION_ID] = session_id
    st.session_state[_COOKIE_PENDING] = encode_session_cookie(
        session_id=session_id,
        key=settings.cookie_key,
        expires_at=now + dt.timedelta(days=settings.cookie_expiry_days),
    )
    st.rerun()


def code_forms(gate: LoginGate) -> None:
    """首次登录 / 忘记密码: set a password with the code of the letter (or one sent on request),
    and ask for a code to be sent. Both answer the same whatever the account."""
    settings = gate.settings
    client = client_key_for(_client_address(), secret=settings.cookie_key)
    with st.expander(t("login.code_title"), icon=":material/key:"):
        st.caption(t("login.code_intro"))
        with st.form("code_form"):
            username = st.text_input(t("login.login_name"), key="code_username", max_chars=64)
            code = st.text_input(t("login.code"), key="code_code", max_chars=16)
            password = st.text_input(t("login.new_password"), type="password",
                                     key="code_password", max_chars=128)  # fmt: skip
            again = st.text_input(t("login.new_password_again"), type="password",
                                  key="code_password_again", max_chars=128)  # fmt: skip
            submitted = st.form_submit_button(t("login.code_submit"), width="stretch")
        if submitted:
            if password != again:
                st.error(t("login.passwords_differ"))
            else:
                try:
                    with write_session(session_factory()) as session:
                        changes_no_figures(session)
                        done = redeem_code(session=session, username=username, code=code,
                                           password=password, client_key=client,
                                           now=clock.now_utc(), key=settings.cookie_key)  # fmt: skip
                except PasswordRuleError as error:
                    st.error(error.message(current_language()))
                else:
                    if done:
                        st.success(t("login.code_done"), icon=":material/check_circle:")
                    else:
                        st.error(t("login.code_failed"), icon="🔒")
        with st.form("code_request_form"):
            st.markdown(t("login.code_request"))
            asked = st.text_input(t("login.login_name"), key="code_request_username", max_chars=64)
            requested = st.form_submit_button(t("login.code_request_submit"), width="stretch")
        if requested:
            with write_session(session_factory()) as session:
                changes_no_figures(session)
                request_password_code(session=session, username=asked, client_key=client,
                                      now=clock.now_utc(), key=settings.cookie_key)  # fmt: skip
            st.info(t("login.code_requested"), icon=":material/outgoing_mail:")


def _client_address() -> str | None:
    """The client's address as the server sees it: uvicorn has already replaced a trusted
    proxy's address with the client's from X-Forwarded-For (``manage.py serve`` tells it whose
    to believe). None for the local machine (Streamlit reports 127.0.0.1 and ::1 as None) and
    without a browser (AppTest): they count as one client."""
    try:
        address = st.context.ip_address
    except Exception:
        return None
    return address if isinstance(address, str) else None


def served_to_a_browser() -> bool:
    """Whether this run serves a real connection (a browser through the web server), not a
    bare or AppTest run: only then does the web server's proxy setting matter."""
    try:
        return bool(st.context.headers.get("Host"))
    except Exception:
        return False


def _served_over_https(settings: AppSettings) -> bool:
    """``wants_secure_cookie`` for this run. The cookie is written from JavaScript by the cookie
    component, so it cannot be HttpOnly: it names a server-side session only, which logout and
    password changes end."""
    try:
        url = st.context.url or ""
        proto = st.context.headers.get("X-Forwarded-Proto", "") or ""
    except Exception:
        url, proto = "", ""
    return wants_secure_cookie(settings, url, proto)


def logout_button() -> None:
    st.sidebar.button(t("app.logout"), key="app_logout", width="stretch", on_click=_request_logout)


def _request_logout() -> None:
    st.session_state[_LOGOUT_PENDING] = True
