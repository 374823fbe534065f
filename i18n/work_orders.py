"""UI strings of the work_orders pages."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {}
