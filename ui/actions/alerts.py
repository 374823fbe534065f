"""The early-warning page's moves (确认, 解除). Each raises ``DomainError`` for the page to show."""

from __future__ import annotations

from data_access.accounts.auth import Viewer
from data_access.alerts import rules as alerts
from ui import clock
from ui.actions.commands import run_command


def acknowledge(viewer: Viewer, alert_id: int, expected_version: int) -> None:
    run_command(
        alerts.acknowledge_alert, viewer=viewer, alert_id=alert_id, now=clock.now_utc(),
        expected_version=expected_version,
    )  # fmt: skip


def resolve(viewer: Viewer, alert_id: int, expected_version: int, note: str) -> None:
    run_command(
        alerts.resolve_alert, viewer=viewer, alert_id=alert_id, now=clock.now_utc(),
        expected_version=expected_version, note=note,
    )  # fmt: skip
