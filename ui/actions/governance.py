"""Writes of the announcements and public-money pages."""

from __future__ import annotations

import datetime as dt

from data_access.accounts.auth import Viewer
from data_access.governance import announcements, ledger, ledger_import, questions, votes
from data_access.governance.announcements import NewAnnouncement
from data_access.governance.ledger import LineInput
from data_access.governance.ledger_import import LedgerImportReport
from data_access.governance.votes import NewPoll
from data_access.media.photos import current_media_dir
from ui import clock
from ui.actions.commands import run_bookkeeping, run_command
from ui.database import read
from ui.loaders.menu import forget_badge_counts


def publish(viewer: Viewer, draft: NewAnnouncement) -> int:
    return run_command(announcements.publish_announcement, viewer=viewer, draft=draft,
                       now=clock.now_utc(), media_dir=current_media_dir())  # fmt: skip


def withdraw(viewer: Viewer, announcement_id: int, reason: str) -> None:
    run_command(announcements.withdraw_announcement, viewer=viewer,
                announcement_id=announcement_id, reason=reason, now=clock.now_utc())  # fmt: skip


def mark_read(viewer: Viewer, announcement_ids: list[int]) -> None:
    """The viewer has the notices in front of them: noted, and the menu's count refreshed."""
    new = run_bookkeeping(announcements.mark_read, viewer=viewer,
                          announcement_ids=announcement_ids, now=clock.now_utc())  # fmt: skip
    if new:
        forget_badge_counts(viewer)


def add_line(viewer: Viewer, month_start: dt.date, line: LineInput, reason: str) -> int:
    return run_command(ledger.add_line, viewer=viewer, month_start=month_start, line=line,
                       reason=reason, now=clock.now_utc())  # fmt: skip


def change_line(viewer: Viewer, line_id: int, line: LineInput | None, reason: str) -> int:
    return run_command(ledger.change_line, viewer=viewer, line_id=line_id, line=line,
                       reason=reason, now=clock.now_utc())  # fmt: skip


def review(viewer: Viewer, month_start: dt.date, decision: str, comment: str) -> None:
    run_command(ledger.review_month, viewer=viewer, month_start=month_start, decision=decision,
                comment=comment, now=clock.now_utc())  # fmt: skip


def import_lines(viewer: Viewer, month_start: dt.date, data: bytes, file_name: str, reason: str,
                 dry_run: bool) -> LedgerImportReport:  # fmt: skip
    """Check (``dry_run``: a read, nothing written) or import the file's lines."""
    run = read if dry_run else run_command
    return run(ledger_import.import_lines, viewer=viewer, month_start=month_start,
                       data=data, file_name=file_name, reason=reason, dry_run=dry_run,
                       now=clock.now_utc())  # fmt: skip


def ask(viewer: Viewer, line_id: int, question: str) -> int:
    return run_command(questions.ask_question, viewer=viewer, line_id=line_id, question=question,
                       now=clock.now_utc())  # fmt: skip


def answer(viewer: Viewer, question_id: int, text: str) -> None:
    run_command(questions.answer_question, viewer=viewer, question_id=question_id, answer=text,
                now=clock.now_utc())  # fmt: skip


def open_poll(viewer: Viewer, draft: NewPoll) -> int:
    return run_command(votes.open_poll, viewer=viewer, draft=draft, now=clock.now_utc())


def cast_ballot(viewer: Viewer, poll_id: int, option_id: int) -> int:
    return run_command(votes.cast_ballot, viewer=viewer, poll_id=poll_id, option_id=option_id,
                       now=clock.now_utc())  # fmt: skip


def remind_non_voters(viewer: Viewer, poll_id: int) -> int:
    return run_command(votes.remind_non_voters, viewer=viewer, poll_id=poll_id,
                       now=clock.now_utc())  # fmt: skip


def withdraw_poll(viewer: Viewer, poll_id: int, reason: str) -> None:
    run_command(votes.withdraw_poll, viewer=viewer, poll_id=poll_id, reason=reason,
                now=clock.now_utc())  # fmt: skip


def name_unit_voter(viewer: Viewer, unit_id: int, voter_id: int) -> None:
    run_command(votes.name_unit_voter, viewer=viewer, unit_id=unit_id, voter_id=voter_id,
                now=clock.now_utc())  # fmt: skip
