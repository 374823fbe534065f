"""The worker delivers the outbox: retries after 1, 5 and 30 minutes, then the next channel;
never twice (an interrupted send is "unknown" unless the channel takes our key); digests
beyond five messages in ten minutes; quiet hours; choices and accounts re-checked (issue 22)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from data_access.db import write_session
from data_access.models import NotificationChoice, OutboxMessage
from data_access.orders.order_commands import advance_order
from data_access.outbox.delivery import Failed, NoAnswer, deliver_due, delivery_log
from tests.outbox.support import (
    RecordingSender,
    World,
    configure,
    make_world,
    outbox_rows,
    utc_now,
)

MINUTE = dt.timedelta(minutes=1)
STAGES = ("accepted", "dispatched", "in_progress", "awaiting_acceptance")


def _world_with_steps(
    factory: sessionmaker[Session], stages: tuple[str, ...] = ("accepted",), **world: object
) -> World:
    with write_session(factory) as session:
        made = make_world(session, **world)  # type: ignore[arg-type]
    for stage in stages:
        with write_session(factory) as session:
            advance_order(session=session, order_id=made.order_id, to_stage=stage,
                          at=utc_now(), actor_name="维修工",
                          actor_account_id=made.manager_id)  # fmt: skip
    return made


def _daytime() -> dt.datetime:
    """Today 12:00 in Shanghai (04:00 UTC): outside the default quiet hours."""
    return dt.datetime.combine(utc_now().date(), dt.time(4, 0)) + dt.timedelta(days=1)


def _states(factory: sessionmaker[Session]) -> list[tuple[str, str, int]]:
    with factory() as session:
        return [(r.channel, r.state, r.attempts) for r in outbox_rows(session)]


def test_a_message_is_sent_once_with_the_recipients_text(
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, "email")
    _world_with_steps(session_factory)
    email = RecordingSender()
    now = _daytime()
    report = deliver_due(session_factory, {"email": email}, now)
    again = deliver_due(session_factory, {"email": email}, now + MINUTE)
    assert (report.sent, again.sent, len(email.sent)) == (1, 0, 1)
    message = email.sent[0]
    assert (message.address, message.event_type, message.code) == (
        "owner@example.com", "order_step", "accepted",
    )  # fmt: skip
    assert _states(session_factory) == [("email", "sent", 1)]


def test_retries_after_1_5_and_30_minutes_then_the_next_channel(
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, "email", "wechat")
    _world_with_steps(session_factory, openid="o-owner")  # order: WeChat, then e-mail
    wechat = RecordingSender(True, lambda m: Failed("WeChat answered HTTP 502"))
    email = RecordingSender()
    senders = {"wechat": wechat, "email": email}
    now = _daytime()
    first = deliver_due(session_factory, senders, now)
    tries = [(first.retried, first.failed)]
    for minutes in (1, 5, 30):
        now += dt.timedelta(minutes=minutes)
        early = deliver_due(session_factory, senders, now - dt.timedelta(seconds=1))
        assert early.outcomes == []  # not due a second early
        report = deliver_due(session_factory, senders, now)
        tries.append((report.retried, report.failed))
    assert tries == [(1, 0), (1, 0), (1, 0), (0, 1)]
    assert len(wechat.sent) == 4 and len(email.sent) == 0  # the fall-back row is due now
    deliver_due(session_factory, senders, now)
    assert len(email.sent) == 1
    with session_factory() as session:
        rows = outbox_rows(session)
    assert [(r.channel, r.state, r.attempts) for r in rows] == [
        ("wechat", "failed", 4), ("email", "sent", 1),
    ]  # fmt: skip
    assert rows[0].last_error == "WeChat answered HTTP 502"
    assert rows[1].fallback_of_id == rows[0].id


def test_a_refused_address_fails_at_once_and_falls_back(
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, "email", "wechat")
    _world_with_steps(session_factory, openid="o-gone")
    unfollowed = RecordingSender(True, lambda m: Failed("errcode 43004", permanent=True))
    email = RecordingSender()
    now = _daytime()
    deliver_due(session_factory, {"wechat": unfollowed, "email": email}, now)
    deliver_due(session_factory, {"wechat": unfollowed, "email": email}, now)
    assert _states(session_factory) == [("wechat", "failed", 1), ("email", "sent", 1)]


def _stuck_sending(factory: sessionmaker[Session], since: dt.datetime) -> None:
    """What a worker killed between marking a row sending and the channel's answer leaves."""
    with write_session(factory) as session:
        session.execute(update(OutboxMessage).values(state="sending", sending_since=since,
                                                     attempts=1))  # fmt: skip


@pytest.mark.parametrize(
    ("takes_key", "stuck_for", "expected"),
    [
        (False, 2, [("email", "unknown", 1)]),  # SMTP cannot refuse a repeat: never resent
        (True, 2, [("email", "sent", 2)]),  # resent under the same key: the API drops a repeat
        (True, 12, [("email", "unknown", 1)]),  # past the key's 10 minutes: not resent
    ],
)
def test_an_interrupted_send_is_resent_only_under_the_same_key(
    session_factory: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
    takes_key: bool,
    stuck_for: int,
    expected: list[tuple[str, str, int]],
) -> None:
    configure(monkeypatch, "email")
    _world_with_steps(session_factory)
    now = _daytime()
    _stuck_sending(session_factory, now - dt.timedelta(minutes=stuck_for))
    with session_factory() as session:
        key = outbox_rows(session)[0].idempotency_key
    channel = RecordingSender(takes_key)
    deliver_due(session_factory, {"email": channel}, now)
    assert _states(session_factory) == expected
    assert [m.idempotency_key for m in channel.sent] == ([key] if expected[0][1] == "sent" else [])


def test_no_answer_is_unknown_where_a_repeat_cannot_be_refused(
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, "email")
    world = _world_with_steps(session_factory)
    timed_out = RecordingSender(False, lambda m: NoAnswer("read timed out"))
    now = _daytime()
    for minutes in (0, 1, 5, 30):
        deliver_due(session_factory, {"email": timed_out}, now + dt.timedelta(minutes=minutes))
    assert len(timed_out.sent) == 1
    assert _states(session_factory) == [("email", "unknown", 1)]
    with session_factory() as session:
        counts, lines = delivery_log(session=session, community_id=world.community_id)
    assert counts == {"unknown": 1}
    assert lines[0].last_error == "no answer: read timed out"


def test_more_than_five_in_ten_minutes_become_one_digest(
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, "email")
    world = _world_with_steps(session_factory, STAGES)  # 4 steps
    email = RecordingSender()
    now = _daytime()
    deliver_due(session_factory, {"email": email}, now)  # 4 ≤ 5: one by one
    with write_session(session_factory) as session:
        advance_order(session=session, order_id=world.order_id, to_stage="completed",
                      at=utc_now(), actor_name="维修工", actor_account_id=world.manager_id)  # fmt: skip
    _more_orders(session_factory, world, 3)  # 1 + 3 due; 4 sent in the last 10 minutes
    report = deliver_due(session_factory, {"email": email}, now + 2 * MINUTE)
    assert (report.digests, report.sent) == (1, 1)
    assert len(email.sent) == 5
    digest = email.sent[-1]
    assert digest.event_type == "digest" and digest.code == "4"
    assert [item.event_type for item in digest.items] == ["order_to_rate"] + ["order_step"] * 3
    with session_factory() as session:
        rows = outbox_rows(session)
    assert sorted(r.state for r in rows) == ["digested"] * 4 + ["sent"] * 5
    # ten minutes later the count starts again: one message is one message
    _more_orders(session_factory, world, 1)
    report = deliver_due(session_factory, {"email": email}, now + 13 * MINUTE)
    assert (report.digests, report.sent, email.sent[-1].event_type) == (0, 1, "order_step")


def _more_orders(factory: sessionmaker[Session], world: World, n: int) -> None:
    from tests.data_access import factories

    for _ in range(n):
        with write_session(factory) as session:
            community = session.get(factories.Community, world.community_id)
            assert community is not None
            order = factories.work_order(session, community, reporter_id=world.owner_id,
                                         created_at=utc_now() - MINUTE)  # fmt: skip
            advance_order(session=session, order_id=order.id, to_stage="accepted", at=utc_now(),
                          actor_name="客服", actor_account_id=world.manager_id)  # fmt: skip


def test_quiet_hours_hold_ordinary_messages_until_morning_but_not_urgent_ones(
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    from data_access.models import Alert

    configure(monkeypatch, "email")
    world = _world_with_steps(session_factory)
    with write_session(session_factory) as session:
        session.add(Alert(community_id=world.community_id, rule="fix_overdue", cause_key="x",
                          severity="high", message="整改超期", raised_at=utc_now()))  # fmt: skip
    email = RecordingSender()
    night = dt.datetime.combine(utc_now().date(), dt.time(15, 30)) + dt.timedelta(days=1)  # 23:30
    report = deliver_due(session_factory, {"email": email}, night)
    assert (report.sent, report.postponed) == (1, 1)
    assert [m.event_type for m in email.sent] == ["alert"]
    with session_factory() as session:
        held = [r for r in outbox_rows(session) if r.state == "pending"]
    morning = dt.datetime.combine(night.date() + dt.timedelta(days=1), dt.time(23, 0))  # 07:00
    assert [r.next_attempt_at for r in held] == [morning - dt.timedelta(days=1)]
    assert deliver_due(session_factory, {"email": email}, held[0].next_attempt_at).sent == 1


def test_a_choice_turned_off_or_an_account_disabled_since_is_respected(
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, "email")
    world = _world_with_steps(session_factory, ("accepted", "dispatched"))
    with write_session(session_factory) as session:
        session.add(NotificationChoice(account_id=world.owner_id, event_type="order_step",
                                       channel="email", enabled=False))  # fmt: skip
    email = RecordingSender()
    report = deliver_due(session_factory, {"email": email}, _daytime())
    assert (report.skipped, email.sent) == (2, [])


def test_the_delivery_log_shows_a_community_its_own_people_only(
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, "email")
    mine = _world_with_steps(session_factory)
    other = _world_with_steps(session_factory, ("accepted", "dispatched"))
    deliver_due(session_factory, {"email": RecordingSender()}, _daytime())
    with session_factory() as session:
        counts, lines = delivery_log(session=session, community_id=mine.community_id)
        other_counts, _ = delivery_log(session=session, community_id=other.community_id)
    assert counts == {"sent": 1} and other_counts == {"sent": 2}
    assert [(line.ref != "", line.channel, line.state) for line in lines] == [
        (True, "email", "sent")
    ]
