"""UI strings of the committee's monthly report (月度报告) and its PDF / Excel files."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {}
