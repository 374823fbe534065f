"""Writes of the managers' accounts page and of a person's own password.

Issuing codes returns the letters (PDF) and the CSV at once: the codes exist nowhere else (only
their hashes are stored), so the page keeps the files for download in the manager's session.
"""

from __future__ import annotations

from dataclasses import dataclass

from data_access.accounts import activation, owner_accounts, roster
from data_access.accounts.auth import Viewer
from data_access.accounts.roster import RosterReport
from data_access.communities import community_name
from data_access.outbox.settings import channel_settings
from data_access.settings import load_settings
from reports.letters import letters_csv, letters_pdf
from ui import clock
from ui.actions.commands import run_bookkeeping, run_command
from ui.database import read_primary


@dataclass(frozen=True)
class Letters:
    count: int
    pdf: bytes
    csv: bytes


def import_roster(viewer: Viewer, data: bytes, file_name: str, dry_run: bool) -> RosterReport:
    return run_command(
        roster.import_roster, viewer=viewer, data=data, file_name=file_name, dry_run=dry_run,
        now=clock.now_utc(),
    )  # fmt: skip


def issue_letters(
    viewer: Viewer,
    *,
    building_id: int | None = None,
    account_ids: list[int] | None = None,
    include_activated: bool = False,
) -> Letters:
    codes = run_bookkeeping(
        activation.issue_codes, viewer=viewer, key=load_settings().cookie_key,
        now=clock.now_utc(), building_id=building_id, account_ids=account_ids,
        include_activated=include_activated,
    )  # fmt: skip
    base_url = channel_settings().base_url
    name = read_primary(community_name, community_id=viewer.community_id)
    return Letters(
        count=len(codes),
        pdf=letters_pdf(codes, community=name, base_url=base_url, time_zone=viewer.time_zone),
        csv=letters_csv(codes, base_url=base_url, time_zone=viewer.time_zone),
    )


def set_active(viewer: Viewer, account_id: int, active: bool) -> None:
    run_bookkeeping(
        owner_accounts.set_account_active, viewer=viewer, account_id=account_id, active=active
    )


def change_password(viewer: Viewer, current: str, new: str) -> None:
    run_bookkeeping(
        owner_accounts.change_own_password, viewer=viewer, current=current, new=new,
        now=clock.now_utc(),
    )  # fmt: skip
