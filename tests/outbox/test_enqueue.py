"""Every event someone should hear about becomes one outbox row per recipient, in the event's
own transaction, on the recipient's first fitting channel (issue 22, item 2)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session, sessionmaker

from data_access.db import write_session
from data_access.models import Account, Alert, NotificationChoice
from data_access.orders.order_commands import advance_order
from data_access.outbox.enqueue import history_only
from data_access.tickets.ratings import reply_to_rating
from data_access.tickets.ticket_commands import accept_ticket
from tests.data_access import factories
from tests.outbox.support import configure, make_world, outbox_rows, utc_now


def _step(factory: sessionmaker[Session], order_id: int, stage: str, *, actor: int | None,
          at: dt.datetime | None = None) -> None:  # fmt: skip
    with write_session(factory) as session:
        advance_order(session=session, order_id=order_id, to_stage=stage, at=at or utc_now(),
                      actor_name="维修工", actor_account_id=actor)  # fmt: skip


def test_a_step_by_staff_queues_one_message_to_the_reporter(
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, "email")
    with write_session(session_factory) as session:
        world = make_world(session)
    _step(session_factory, world.order_id, "accepted", actor=world.manager_id)
    with session_factory() as session:
        rows = outbox_rows(session)
    assert [(r.account_id, r.channel, r.event_type, r.code, r.state) for r in rows] == [
        (world.owner_id, "email", "order_step", "accepted", "pending")
    ]
    assert rows[0].subject == "order" and rows[0].subject_id == world.order_id


def test_the_message_is_written_with_the_event_or_not_at_all(
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, "email")
    with write_session(session_factory) as session:
        world = make_world(session)
    with pytest.raises(RuntimeError), write_session(session_factory) as session:
        advance_order(session=session, order_id=world.order_id, to_stage="accepted",
                      at=utc_now(), actor_name="维修工", actor_account_id=world.manager_id)  # fmt: skip
        session.flush()
        raise RuntimeError("the command failed after the step was flushed")
    with session_factory() as session:
        assert outbox_rows(session) == []
    _step(session_factory, world.order_id, "accepted", actor=world.manager_id)
    with session_factory() as session:
        assert len(outbox_rows(session)) == 1


def test_own_steps_history_and_no_channel_queue_nothing(
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch)  # no channel: the in-app list tells everything
    with write_session(session_factory) as session:
        world = make_world(session, order_age=dt.timedelta(hours=5))
    _step(session_factory, world.order_id, "accepted", actor=world.manager_id)
    configure(monkeypatch, "email")
    _step(session_factory, world.order_id, "dispatched", actor=world.owner_id)  # own step
    # a step that happened three hours ago arrives now (a connector's late sync): history
    old = utc_now() - dt.timedelta(hours=3)
    _step(session_factory, world.order_id, "in_progress", actor=None, at=old)
    with session_factory() as session:
        assert outbox_rows(session) == []
    with write_session(session_factory) as session:
        history_only(session)  # the demo seed, an import
        advance_order(session=session, order_id=world.order_id,
                      to_stage="awaiting_acceptance", at=utc_now(), actor_name="维修工")  # fmt: skip
    with session_factory() as session:
        assert outbox_rows(session) == []


def test_completion_is_told_once_as_ready_to_rate(
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, "email")
    with write_session(session_factory) as session:
        world = make_world(session)
    for stage in ("accepted", "dispatched", "in_progress", "awaiting_acceptance", "completed"):
        _step(session_factory, world.order_id, stage, actor=world.manager_id)
    with session_factory() as session:
        rows = outbox_rows(session)
    assert [(r.event_type, r.code) for r in rows] == [
        ("order_step", "accepted"), ("order_step", "dispatched"),
        ("order_step", "in_progress"), ("order_step", "awaiting_acceptance"),
        ("order_to_rate", "completed"),
    ]  # fmt: skip


def test_ticket_moves_replies_and_alerts_reach_their_people(
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, "email")
    now = utc_now()
    with write_session(session_factory) as session:
        world = make_world(session)
        community = session.get(factories.Community, world.community_id)
        assert community is not None
        ticket = factories.ticket(session, community)
        ticket.owner_id, ticket.created_at = world.owner_id, now - dt.timedelta(minutes=5)
        rating = factories.rating(session, community, created_at=now - dt.timedelta(hours=1))
        rating_owner = session.get(Account, rating.owner_id)
        assert rating_owner is not None
        rating_owner.email = "rater@example.com"
        manager = session.get(Account, world.manager_id)
        assert manager is not None
        viewer = factories.viewer_of(manager)
        ids = {"ticket": ticket.id, "rating": rating.id, "rater": rating_owner.id}
    with write_session(session_factory) as session:
        accept_ticket(
            session=session, viewer=viewer, ticket_id=ids["ticket"], now=now, note="已安排"
        )
        reply_to_rating(session=session, viewer=viewer, rating_id=ids["rating"],
                        reply="感谢您的评价,已改进。", now=now, expected_version=1)  # fmt: skip
        session.add(Alert(community_id=world.community_id, rule="fix_overdue", cause_key="t:1",
                          severity="high", message="整改超期", raised_at=now))  # fmt: skip
    with session_factory() as session:
        rows = outbox_rows(session)
    told = sorted((r.event_type, r.account_id, r.code, r.urgent) for r in rows)
    assert told == sorted([
        ("ticket_move", world.owner_id, "accepted", False),
        ("rating_reply", ids["rater"], "", False),
        ("alert", world.manager_id, "fix_overdue", True),
    ])  # fmt: skip


def test_the_first_channel_in_the_persons_order_that_is_on_and_reachable(
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, "email", "wechat", "sms")
    with write_session(session_factory) as session:
        world = make_world(session, openid=None)  # WeChat first, but not bound
    _step(session_factory, world.order_id, "accepted", actor=world.manager_id)
    with write_session(session_factory) as session:
        owner = session.get(Account, world.owner_id)
        assert owner is not None
        owner.wechat_openid = "o-owner"
        owner.channel_order = "sms,wechat,email"
        session.add(NotificationChoice(account_id=owner.id, event_type="order_step",
                                       channel="sms", enabled=True))  # fmt: skip
    _step(session_factory, world.order_id, "dispatched", actor=world.manager_id)
    with write_session(session_factory) as session:
        session.add_all([
            NotificationChoice(account_id=world.owner_id, event_type="order_step",
                               channel=channel, enabled=False)
            for channel in ("wechat", "email")
        ] + [])  # fmt: skip
        session.merge(NotificationChoice(account_id=world.owner_id, event_type="order_step",
                                         channel="sms", enabled=False))  # fmt: skip
    _step(session_factory, world.order_id, "in_progress", actor=world.manager_id)
    with session_factory() as session:
        rows = outbox_rows(session)
    # unbound WeChat → e-mail; then SMS chosen and first in order; then everything off: nothing
    assert [(r.code, r.channel) for r in rows] == [("accepted", "email"), ("dispatched", "sms")]
