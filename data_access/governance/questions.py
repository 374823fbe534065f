"""Owners' questions about a line of the public ledger, answered in public.

An owner (or a committee member) asks about a line of a published month; a manager answers.
Every owner of the community reads the questions and answers (the asker shown masked, the
texts through the public masker). The answer is due within the deadline a ticket has for the
company's first response (``accept_deadline_hours`` of the contract in force the day it is
asked); an unanswered question past it is shown overdue. A question stays with its line
through corrections (it names the version the owner saw; the page shows it with the line's
current version).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.accounts.privacy import mask_name, public_text_masker
from data_access.communities import community_zone
from data_access.errors import DomainError, NotAllowed
from data_access.models import Account, LedgerLine, LedgerQuestion, LedgerReview
from data_access.text_input import clean_text
from data_access.tickets.ticket_commands import (
    DEFAULT_ACCEPT_DEADLINE_HOURS,
    contract_in_force,
    lock_account,
)
from data_access.timestamps import local_date

QUESTION_MIN = 5
QUESTION_MAX = 500
ANSWER_MAX = 2_000
OPEN_QUESTIONS_PER_OWNER = 5  # unanswered at once: a question is not a chat


@dataclass(frozen=True)
class QuestionView:
    question_id: int
    line_id: int  # the version asked about
    month_start: dt.date
    asker: str  # masked for everyone but managers and the asker
    is_mine: bool
    question: str
    asked_at: dt.datetime  # naive UTC
    due_at: dt.datetime
    answer: str | None
    answered_at: dt.datetime | None

    def is_overdue(self, now: dt.datetime) -> bool:
        return self.answer is None and now > self.due_at


def ask_question(
    *, session: Session, viewer: Viewer, line_id: int, question: str, now: dt.datetime
) -> int:
    """Ask about a line of a published month of the viewer's community."""
    if viewer.role not in ("owner", "committee"):
        raise NotAllowed("ledger.owners_ask")
    line = session.get(LedgerLine, line_id)
    if line is None or line.community_id != viewer.community_id:
        raise NotAllowed("ledger.owners_ask")
    published = session.scalar(
        select(LedgerReview.id)
        .where(
            LedgerReview.community_id == line.community_id,
            LedgerReview.month_start == line.month_start,
            LedgerReview.decision == "approve",
        )
        .limit(1)
    )
    if published is None:
        raise NotAllowed("ledger.owners_ask")
    text = clean_text(question)
    if not QUESTION_MIN <= len(text) <= QUESTION_MAX:
        raise DomainError("ledger.question_length", min=QUESTION_MIN, max=QUESTION_MAX)
    lock_account(session, viewer.account_id)  # the count below and the insert, one at a time
    open_ones = session.scalars(
        select(LedgerQuestion.id).where(
            LedgerQuestion.asker_id == viewer.account_id, LedgerQuestion.answer.is_(None)
        )
    ).all()
    if len(open_ones) >= OPEN_QUESTIONS_PER_OWNER:
        raise DomainError("ledger.too_many_open", n=OPEN_QUESTIONS_PER_OWNER)
    contract = contract_in_force(
        session, line.community_id, local_date(now, community_zone(session, line.community_id))
    )
    hours = contract.accept_deadline_hours if contract else DEFAULT_ACCEPT_DEADLINE_HOURS
    row = LedgerQuestion(
        community_id=line.community_id, line_id=line.id, asker_id=viewer.account_id,
        question=text, asked_at=now, due_at=now + dt.timedelta(hours=hours),
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row.id


def answer_question(
    *, session: Session, viewer: Viewer, question_id: int, answer: str, now: dt.datetime
) -> None:
    """A manager's public answer (once; a later word is a new line correction or question)."""
    if not viewer.is_manager:
        raise NotAllowed("ledger.managers_only")
    row = session.get(LedgerQuestion, question_id)
    if row is None or row.community_id != viewer.community_id:
        raise NotAllowed("ledger.managers_only")
    if row.answer is not None:
        raise DomainError("ledger.already_answered")
    text = clean_text(answer)
    if not 1 <= len(text) <= ANSWER_MAX:
        raise DomainError("ledger.answer_length", max=ANSWER_MAX)
    row.answer = text
    row.answered_by_id = viewer.account_id
    row.answered_at = now
    session.flush()


def month_questions(
    *, session: Session, viewer: Viewer, month_start: dt.date
) -> list[QuestionView]:
    """The questions about the month's lines, newest first."""
    rows = session.execute(
        select(LedgerQuestion, LedgerLine.month_start, Account.display_name)
        .join(LedgerLine, LedgerLine.id == LedgerQuestion.line_id)
        .join(Account, Account.id == LedgerQuestion.asker_id)
        .where(
            LedgerQuestion.community_id == viewer.community_id,
            LedgerLine.month_start == month_start,
        )
        .order_by(LedgerQuestion.asked_at.desc(), LedgerQuestion.id.desc())
    ).all()
    masked = public_text_masker(session, viewer.community_id, unmasked=viewer.is_manager)
    return [
        QuestionView(
            question_id=row.id, line_id=row.line_id, month_start=month,
            asker=name if viewer.is_manager or row.asker_id == viewer.account_id
            else mask_name(name),
            is_mine=row.asker_id == viewer.account_id, question=masked(row.question),
            asked_at=row.asked_at, due_at=row.due_at,
            answer=masked(row.answer) if row.answer is not None else None,
            answered_at=row.answered_at,
        )
        for row, month, name in rows
    ]  # fmt: skip
