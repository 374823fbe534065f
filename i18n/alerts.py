"""UI strings of the alert engine's messages and the early-warning page (预警)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {}
