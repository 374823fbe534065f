"""Free text from users, made safe to store: control characters removed.

PostgreSQL refuses NUL in text columns (the write would fail with a database error instead of
a message), and other control characters only hide or garble what the public board shows.
Line breaks and tabs stay; carriage returns become line breaks.
"""

from __future__ import annotations

import unicodedata

_KEPT = {"\n", "\t"}


def clean_text(value: str | None) -> str:
    """``value`` without control characters (``None`` → ""), stripped at both ends."""
    if not value:
        return ""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in value if ch in _KEPT or unicodedata.category(ch) != "Cc").strip()
