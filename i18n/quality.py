"""UI strings of quality checklists (品质检查清单) and staff KPIs (员工绩效)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {}
