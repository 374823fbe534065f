"""An owner who asked about a line of the public ledger hears of the answer outside the app
(issue 23, item 2, with the outbox of issue 22)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from data_access.db import write_session
from data_access.governance.ledger import LineInput, add_line, review_month
from data_access.governance.questions import answer_question, ask_question
from data_access.models import Account
from tests.governance.test_ledger import make_people
from tests.outbox.support import configure, outbox_rows

OCTOBER = dt.date(2026, 10, 1)


def test_the_asker_hears_of_the_answer_once(
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, "email")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    with write_session(session_factory) as session:
        people = make_people(session)
        for account in session.scalars(select(Account)):
            account.email = f"{account.username}@example.com"
        line = add_line(session=session, viewer=people.manager, month_start=OCTOBER, now=now,
                        line=LineInput("income", "parking", "地面车位", 100_000))  # fmt: skip
        review_month(session=session, viewer=people.committee, month_start=OCTOBER,
                     decision="approve", comment="", now=now)  # fmt: skip
        question = ask_question(session=session, viewer=people.owner, line_id=line,
                                question="车位数量是多少?", now=now)  # fmt: skip
    with session_factory() as session:
        assert outbox_rows(session) == []  # a question is news to nobody yet
    with write_session(session_factory) as session:
        answer_question(session=session, viewer=people.manager, question_id=question,
                        answer="地面车位 95 个。", now=now)  # fmt: skip
    with session_factory() as session:
        rows = outbox_rows(session)
    assert [(r.account_id, r.event_type, r.subject, r.title, r.ref, r.note) for r in rows] == [
        (people.owner.account_id, "question_answer", "ledger", "地面车位", "2026-10",
         "地面车位 95 个。")
    ]  # fmt: skip
