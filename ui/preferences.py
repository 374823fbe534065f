"""The viewer's language and large text, applied at the start of a browser session from the
account and saved to it when changed (``data_access.accounts.preferences``). Before login the
language lives in the session only; a choice made on the login page becomes the account's if it
has none yet."""

from __future__ import annotations

import streamlit as st

from data_access.accounts import preferences
from data_access.accounts.auth import Viewer
from i18n import DEFAULT_LANGUAGE
from ui.actions.commands import run_bookkeeping
from ui.text import current_language, set_language

_APPLIED = "_preferences_applied_for"  # the account whose choices this session has taken
LARGE_TEXT_KEY = "app_large_text"


def apply_account_preferences(viewer: Viewer, saved: preferences.Preferences) -> None:
    """Once per session and account: take the account's language and text size (``saved``,
    read with the viewer by the run's login check)."""
    if st.session_state.get(_APPLIED) == viewer.account_id:
        return
    st.session_state[_APPLIED] = viewer.account_id
    if saved.language is not None:
        set_language(saved.language)
    elif current_language() != DEFAULT_LANGUAGE:  # chosen on the login page: keep it
        run_bookkeeping(preferences.save_preferences, viewer=viewer, language=current_language())
    st.session_state[LARGE_TEXT_KEY] = saved.large_text


def save_language(viewer: Viewer) -> None:
    """``on_change`` of the language picker once logged in."""
    run_bookkeeping(preferences.save_preferences, viewer=viewer, language=current_language())


def save_large_text(viewer: Viewer) -> None:
    """``on_change`` of the large-text switch."""
    run_bookkeeping(
        preferences.save_preferences,
        viewer=viewer,
        large_text=bool(st.session_state.get(LARGE_TEXT_KEY)),
    )


def large_text_on() -> bool:
    return bool(st.session_state.get(LARGE_TEXT_KEY))


# 大字模式: Streamlit sizes its text in rem, so growing the root size grows every text, widget
# and caption alike (fixed CSS, no user content).
_LARGE_TEXT_STYLE = """<style>
html { font-size: 125%; }
[data-testid="stCaptionContainer"], [data-testid="stMarkdownContainer"] p { line-height: 1.7; }
</style>"""


def show_large_text_if_chosen() -> None:
    if large_text_on():
        st.html(_LARGE_TEXT_STYLE)
