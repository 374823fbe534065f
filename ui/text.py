"""The viewer's language and the ``t()`` shortcut pages use for every string."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from i18n import DEFAULT_LANGUAGE, LANGUAGES, label, translate
from i18n.catalog import CATALOG

LANGUAGE_KEY = "app_language"


# The language as this script thread last read it, and for which run. A page asks for it
# hundreds of times a run (every ``t()``), and each ``st.session_state`` read goes through
# Streamlit's session-state proxy and its lock (a twentieth of a new visit's CPU). The language
# only changes between runs (the picker's value is set before a run starts) or by
# ``set_language``. A run is told by its cursors: Streamlit gives each run a new dict of them,
# and holding the dict keeps another run's from ever being the same object.
_remembered = threading.local()


def current_language() -> str:
    ctx = get_script_run_ctx()
    remembered = getattr(_remembered, "value", None)
    if ctx is not None and remembered is not None and remembered[0] is ctx.cursors:
        return str(remembered[1])
    lang = st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    if ctx is not None:
        _remembered.value = (ctx.cursors, lang)
    return lang


def set_language(language: str) -> None:
    """Make ``language`` the session's (the account's saved choice, at login)."""
    st.session_state[LANGUAGE_KEY] = language
    _remembered.value = None


def t(key: str, /, **params: object) -> str:
    return translate(key, current_language(), **params)


def code_label(prefix: str, code: str) -> str:
    return label(prefix, code, current_language())


def data_label(prefix: str, value: str) -> str:
    """A value written in the data in Chinese (a staff post, a service level) in the UI
    language when the catalog knows it (``{prefix}.{value}``), else as written: a company's
    own post names are shown as they are."""
    key = f"{prefix}.{value}"
    return translate(key, current_language()) if key in CATALOG else value


def language_picker(container: object = st, on_change: Callable[[], None] | None = None) -> None:
    """A language switch for the session; ``on_change`` keeps the choice with the account
    (``ui.preferences``) once someone is logged in."""
    container.selectbox(  # type: ignore[attr-defined]
        translate("app.language", current_language()),
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key=LANGUAGE_KEY,
        on_change=on_change,
        placeholder=t("common.choose"),
    )


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=])")


def plain(text: str) -> str:
    """User-written text made safe to put inside Markdown: shown as typed, never as links,
    images, HTML, colours or icons."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")
