"""UI strings of the analytics page (分析): distributions, hotspots, keywords, risk points."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {}
