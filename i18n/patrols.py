"""UI strings of the patrols page."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {}
