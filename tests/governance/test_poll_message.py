"""A new vote reaches everyone on its roll outside the app, once (issue 24, with the outbox of
issue 22): the owner voting a unit hears of it, a co-owner who does not vote it does not."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from data_access.db import write_session
from data_access.governance.votes import NewPoll, open_poll
from data_access.models import Account
from tests.governance.test_votes import owner, place, unit
from tests.outbox.support import configure, outbox_rows


def test_everyone_on_the_roll_hears_of_a_new_vote_once(
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, "email")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    with write_session(session_factory) as session:
        where = place(session)
        first, second = unit(session, where, 100.0), unit(session, where, 80.0)
        two_homes = owner(session, where, first, second)
        shared = unit(session, where, 90.0)
        co_owners = owner(session, where, shared), owner(session, where, shared)  # nobody named
        for account in session.scalars(select(Account)):
            account.email = f"{account.username}@example.com"
        poll = open_poll(
            session=session, viewer=where.committee, now=now,
            draft=NewPoll(rule="ordinary", title="更换门禁系统", body="方案见公告",
                          opens_at=now, closes_at=now + dt.timedelta(days=7)),
        )  # fmt: skip
    with session_factory() as session:
        rows = outbox_rows(session)
    assert [(r.account_id, r.event_type, r.subject, r.subject_id, r.title, r.code)
            for r in rows] == [(two_homes.account_id, "poll", "poll", poll, "更换门禁系统",
                                "ordinary")]  # fmt: skip
    assert all(co.account_id != rows[0].account_id for co in co_owners)
