"""The viewer's language and the ``t()`` shortcut pages use for every string."""

from __future__ import annotations

import re
from collections.abc import Callable

import streamlit as st

from i18n import DEFAULT_LANGUAGE, LANGUAGES, label, translate
from i18n.catalog import CATALOG

LANGUAGE_KEY = "app_language"


def current_language() -> str:
    lang = st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


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
