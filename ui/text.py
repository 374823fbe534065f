"""The viewer's language and the ``t()`` shortcut pages use for every string."""

from __future__ import annotations

import re

import streamlit as st

from i18n import DEFAULT_LANGUAGE, LANGUAGES, label, translate

LANGUAGE_KEY = "app_language"


def current_language() -> str:
    lang = st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, /, **params: object) -> str:
    return translate(key, current_language(), **params)


def code_label(prefix: str, code: str) -> str:
    return label(prefix, code, current_language())


def language_picker(container: object = st) -> None:
    """A language switch; the choice lives in the session (each tab is a session)."""
    container.selectbox(  # type: ignore[attr-defined]
        translate("app.language", current_language()),
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key=LANGUAGE_KEY,
    )


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=])")


def plain(text: str) -> str:
    """User-written text made safe to put inside Markdown: shown as typed, never as links,
    images, HTML, colours or icons."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")
