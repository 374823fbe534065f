"""The one catalog of UI text: Simplified Chinese (default) and English.

``translate(key, lang, **params)`` formats the entry with ``str.format``. A missing English entry
falls back to Chinese; a missing key shows the key itself (and a test makes sure none is missing).
"""

from __future__ import annotations

from i18n.catalog import CATALOG

LANGUAGES = {"zh": "简体中文", "en": "English"}
DEFAULT_LANGUAGE = "zh"


def translate(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    entry = CATALOG.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**params) if params else text


def label(prefix: str, code: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The label of a code, e.g. ``label("stage", "parts_procurement")`` → 配件采购."""
    return translate(f"{prefix}.{code}", lang)
