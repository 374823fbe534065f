"""UI strings of the manager console (处理台) and in-app notifications (消息通知)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {}
