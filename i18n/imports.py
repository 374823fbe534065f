"""UI strings of the imports pages."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {}
