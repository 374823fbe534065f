"""Reads of the notification settings page and the managers' delivery log (uncached: both are
personal or change with every delivery round, and small)."""

from __future__ import annotations

from data_access.accounts.auth import Viewer
from data_access.outbox import choices, delivery
from data_access.outbox.choices import MySettings
from data_access.outbox.delivery import LogLine
from data_access.outbox.settings import channel_settings
from ui.database import read_primary


def configured_channels() -> tuple[str, ...]:
    """The channels the company switched on (none: messages stay in the app)."""
    return channel_settings().configured


def my_settings(viewer: Viewer) -> MySettings:
    return read_primary(choices.my_settings, account_id=viewer.account_id)


def delivery_log(viewer: Viewer, states: tuple[str, ...]) -> tuple[dict[str, int], list[LogLine]]:
    """Managers only (the page checks the role too)."""
    if not viewer.is_manager:
        return {}, []
    return read_primary(delivery.delivery_log, community_id=viewer.community_id, states=states)
