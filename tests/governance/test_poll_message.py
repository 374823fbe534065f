"""A new vote, and its result at the close, reach everyone on its roll outside the app, once
(issue 24, with the outbox of issue 22): the owner voting a unit hears of it, a co-owner who
does not vote it does not."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from channels.text import headline, render
from data_access.db import write_session
from data_access.errors import DomainError, NotAllowed
from data_access.governance.votes import (
    NewPoll,
    cast_ballot,
    open_poll,
    publish_closed_polls,
    remind_non_voters,
    withdraw_poll,
)
from data_access.models import Account, Poll, PollOption
from data_access.outbox.delivery import OutgoingMessage
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


def test_a_closed_votes_result_is_published_once_to_its_roll(
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Three owners of 100 m²: two vote, both agree — 2 of 3 take part (exactly 2/3), 2 of 2
    # agree: passed. At the close the worker's job publishes it: each of the three hears the
    # result once (the one who did not vote too), with the participation in the note; a later
    # round publishes nothing again, a withdrawn poll is never published.
    configure(monkeypatch, "email")
    # Closed five minutes ago (the outbox dates the news at the close and drops old news).
    closes = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0) - dt.timedelta(minutes=5)
    opened = closes - dt.timedelta(days=1)
    with write_session(session_factory) as session:
        where = place(session)
        owners = [owner(session, where, unit(session, where, 100.0)) for _ in range(3)]
        for account in session.scalars(select(Account)):
            account.email = f"{account.username}@example.com"
        draft = NewPoll(rule="ordinary", title="更换门禁系统", body="方案见公告",
                        opens_at=opened, closes_at=closes)  # fmt: skip
        poll = open_poll(session=session, viewer=where.committee, now=opened, draft=draft)
        withdrawn = open_poll(session=session, viewer=where.committee, now=opened, draft=draft)
        withdraw_poll(session=session, viewer=where.committee, poll_id=withdrawn,
                      reason="重新征询", now=opened + dt.timedelta(hours=1))  # fmt: skip
        agree = session.scalars(
            select(PollOption.id).where(PollOption.poll_id == poll, PollOption.code == "agree")
        ).one()
        for who in owners[:2]:
            cast_ballot(session=session, viewer=who, poll_id=poll, option_id=agree,
                        now=opened + dt.timedelta(hours=2))  # fmt: skip
    with write_session(session_factory) as session:
        assert publish_closed_polls(session=session, now=closes - dt.timedelta(minutes=1)) == 0
    with write_session(session_factory) as session:
        assert publish_closed_polls(session=session, now=closes + dt.timedelta(minutes=1)) == 1
    with write_session(session_factory) as session:
        assert publish_closed_polls(session=session, now=closes + dt.timedelta(minutes=2)) == 0
        assert session.get_one(Poll, withdrawn).result_published_at is None

    with session_factory() as session:
        results = [r for r in outbox_rows(session) if r.event_type == "poll_result"]
    assert sorted((r.account_id, r.subject_id, r.code, r.note) for r in results) == sorted(
        (who.account_id, poll, "passed", "2 / 3 · 200.00 / 300.00 m²") for who in owners
    )
    message = OutgoingMessage(
        row_id=1, channel="email", address="a@example.com", language="zh",
        event_type="poll_result", subject="poll", subject_id=poll, title="更换门禁系统", ref="",
        code="passed", note="2 / 3 · 200.00 / 300.00 m²", urgent=False, idempotency_key="k",
    )  # fmt: skip
    text = render(message, "https://wuye.example.com")
    assert text.headline == "表决结果公布:通过"
    assert text.link == "https://wuye.example.com/owner-votes"


def test_a_result_published_hours_after_the_close_is_not_messaged(
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A worker stopped for longer than the outbox's history age: the result is on the page
    # (published), its news is history.
    configure(monkeypatch, "email")
    opened = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0) - dt.timedelta(days=3)
    with write_session(session_factory) as session:
        where = place(session)
        voter = owner(session, where, unit(session, where, 100.0))
        session.get_one(Account, voter.account_id).email = "a@example.com"
        open_poll(session=session, viewer=where.committee, now=opened,
                  draft=NewPoll(rule="ordinary", title="更换门禁系统", body="方案见公告",
                                opens_at=opened, closes_at=opened + dt.timedelta(days=1)))  # fmt: skip
    with write_session(session_factory) as session:
        late = opened + dt.timedelta(days=1, hours=3)
        assert publish_closed_polls(session=session, now=late) == 1
    with session_factory() as session:
        assert [r for r in outbox_rows(session) if r.event_type == "poll_result"] == []


def test_the_committee_reminds_the_owners_who_have_not_voted_once_a_day(
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Four owners on the roll: one voted, one's account is not opened, two have not voted —
    # those two hear of it. A second reminder the same day is refused; the next day reaches
    # whoever still has not voted. The company may not remind the committee's vote.
    configure(monkeypatch, "email")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    opened = now - dt.timedelta(days=1, hours=1)
    with write_session(session_factory) as session:
        where = place(session)
        voted, closed_account, first, second = [
            owner(session, where, unit(session, where, 100.0)) for _ in range(4)
        ]
        for account in session.scalars(select(Account)):
            account.email = f"{account.username}@example.com"
        session.get_one(Account, closed_account.account_id).is_active = False
        poll = open_poll(session=session, viewer=where.committee, now=opened,
                         draft=NewPoll(rule="ordinary", title="更换门禁系统", body="方案见公告",
                                       opens_at=opened, closes_at=now + dt.timedelta(days=5)))  # fmt: skip
        agree = session.scalars(
            select(PollOption.id).where(PollOption.poll_id == poll, PollOption.code == "agree")
        ).one()
        cast_ballot(session=session, viewer=voted, poll_id=poll, option_id=agree, now=opened)
        with pytest.raises(NotAllowed):
            remind_non_voters(session=session, viewer=where.manager, poll_id=poll, now=now)
    # (Reminders are dated when they are made, and the outbox drops old news: today and
    # tomorrow, not yesterday and today.)
    tomorrow = now + dt.timedelta(days=1)
    with write_session(session_factory) as session:
        reminded = remind_non_voters(session=session, viewer=where.committee, poll_id=poll,
                                     now=now)  # fmt: skip
    assert reminded == 2
    with write_session(session_factory) as session:
        cast_ballot(session=session, viewer=first, poll_id=poll, option_id=agree,
                    now=now + dt.timedelta(hours=1))  # fmt: skip
    with pytest.raises(DomainError) as refused, write_session(session_factory) as session:
        remind_non_voters(session=session, viewer=where.committee, poll_id=poll,
                          now=now + dt.timedelta(hours=23))  # fmt: skip
    assert refused.value.key == "poll.reminded_recently"
    with write_session(session_factory) as session:
        assert remind_non_voters(session=session, viewer=where.committee, poll_id=poll,
                                 now=tomorrow) == 1  # fmt: skip

    with session_factory() as session:
        sent = [(r.account_id, r.event_key.rsplit(":", 1)[0]) for r in outbox_rows(session)
                if r.event_type == "poll_reminder"]  # fmt: skip
    key = f"poll_reminder:{poll}"
    assert sorted(sent) == sorted([(first.account_id, key), (second.account_id, key),
                                   (second.account_id, key)])  # fmt: skip
    assert (
        headline("poll_reminder", "ordinary", "zh")
        == "提醒:你还没有投票(一般事项表决),请在截止前投票"
    )
