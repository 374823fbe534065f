"""The quality checklist's commands (重新分析, 采纳, 忽略); each raises ``DomainError`` for the
page to show."""

from __future__ import annotations

from data_access.accounts.auth import Viewer
from data_access.analytics import checklists
from data_access.analytics.checklists import AdoptResult, BuildReport
from ui import clock
from ui.actions.commands import run_command


def analyse(viewer: Viewer) -> BuildReport:
    return run_command(checklists.refresh_checklist, viewer=viewer, now=clock.now_utc())


def adopt(viewer: Viewer, item_id: int, expected_version: int, weekday: int) -> AdoptResult:
    return run_command(
        checklists.adopt_checklist_item, viewer=viewer, item_id=item_id, now=clock.now_utc(),
        expected_version=expected_version, weekday=weekday,
    )  # fmt: skip


def dismiss(viewer: Viewer, item_id: int, expected_version: int) -> None:
    run_command(
        checklists.dismiss_checklist_item, viewer=viewer, item_id=item_id, now=clock.now_utc(),
        expected_version=expected_version,
    )  # fmt: skip
