"""UI strings of the plans page."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {}
