"""In-app notifications: what an owner and a manager are told, unread counts, last looks
(data_access/notifications/notifications.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from data_access.accounts.auth import Viewer
from data_access.db import write_session
from data_access.models import LastLook, WorkOrderEvent
from data_access.notifications.notifications import (
    Notification,
    list_notifications,
    mark_notifications_seen,
    unread_count,
)
from data_access.tickets import ticket_commands
from data_access.tickets.ratings import rate_order, reply_to_rating
from tests.data_access import factories as f
from tests.data_access.factories import T0

H = dt.timedelta(hours=1)
NOW = T0 + 3 * H  # the orders below walk their flows in 10-minute steps from T0


viewer = f.viewer_of


@dataclass(frozen=True)
class World:
    owner: Viewer
    neighbour: Viewer
    manager: Viewer
    stranger_manager: Viewer
    my_order: int  # accepted: events "submitted" (by the owner) and "accepted" (by staff)
    neighbours_order: int
    my_completed: int


@pytest.fixture
def world(session: Session) -> World:
    c = f.community(session)
    f.contract(session, c)
    owner, neighbour = f.account(session, c), f.account(session, c)
    manager = f.account(session, c, role="manager")
    other = f.community(session)
    stranger_manager = f.account(session, other, role="manager")
    mine = f.order_at_stage(session, c, stage="accepted", reporter_id=owner.id, title="我家漏水")
    # The owner submitted it: their own step is no news to them.
    first = session.scalars(
        select(WorkOrderEvent).where(WorkOrderEvent.work_order_id == mine.id).order_by("id")
    ).first()
    assert first is not None and first.stage == "submitted"
    # Test data: the history as if the owner had written that step (events are append-only in
    # the app; a bulk UPDATE in a test's setup is not the app rewriting history).
    session.execute(
        update(WorkOrderEvent)
        .where(WorkOrderEvent.id == first.id)
        .values(actor_account_id=owner.id)
    )
    neighbours = f.order_at_stage(session, c, stage="accepted", reporter_id=neighbour.id)
    done = f.work_order(session, c, completed_at=T0 - 48 * H, created_at=T0 - 72 * H,
                        reporter_id=owner.id, title="门禁坏了")  # fmt: skip
    session.flush()
    return World(
        viewer(owner), viewer(neighbour), viewer(manager), viewer(stranger_manager),
        mine.id, neighbours.id, done.id,
    )  # fmt: skip


def kinds(items: tuple[Notification, ...]) -> list[tuple[str, str, int, str]]:
    return [(n.kind, n.code, n.target_id, n.target) for n in items]


def test_an_owner_sees_steps_of_their_own_orders_only(session: Session, world: World) -> None:
    notes = list_notifications(session=session, viewer=world.owner, now=NOW)
    assert kinds(notes.items) == [("order_stage", "accepted", world.my_order, "order")]
    [item] = notes.items
    assert (item.title, item.at, item.is_unread) == (
        "我家漏水",
        T0 + 10 * dt.timedelta(minutes=1),
        True,
    )
    assert notes.unread == 1 and notes.last_seen is None
    neighbour = list_notifications(session=session, viewer=world.neighbour, now=NOW)
    assert {n.target_id for n in neighbour.items} == {world.neighbours_order}
    assert [n.kind for n in neighbour.items] == ["order_stage", "order_stage"]


def test_unread_drops_to_zero_after_marking_and_rises_with_news(
    session: Session, world: World
) -> None:
    assert unread_count(session=session, viewer=world.owner, now=NOW) == 1
    mark_notifications_seen(session=session, viewer=world.owner, at=NOW)
    assert unread_count(session=session, viewer=world.owner, now=NOW) == 0
    notes = list_notifications(session=session, viewer=world.owner, now=NOW)
    assert notes.last_seen == NOW and [n.is_unread for n in notes.items] == [False]

    session.add(WorkOrderEvent(work_order_id=world.my_order, stage="dispatched",
                               occurred_at=NOW + H, actor_name="调度"))  # fmt: skip
    session.flush()
    assert unread_count(session=session, viewer=world.owner, now=NOW + H) == 1
    notes = list_notifications(session=session, viewer=world.owner, now=NOW + H)
    assert [(n.code, n.is_unread) for n in notes.items] == [
        ("dispatched", True),
        ("accepted", False),
    ]


def test_a_first_visit_counts_the_last_seven_days(session: Session, world: World) -> None:
    assert unread_count(session=session, viewer=world.owner, now=T0 + 7 * 24 * H) == 1
    later = T0 + 7 * 24 * H + dt.timedelta(minutes=11)  # the "accepted" step is 7 days old
    assert unread_count(session=session, viewer=world.owner, now=later) == 0
    notes = list_notifications(session=session, viewer=world.owner, now=later)
    assert notes.unread == 0 and len(notes.items) == 1 and not notes.items[0].is_unread


def test_a_reply_to_my_rating_shows(session: Session, world: World) -> None:
    result = rate_order(
        session=session, viewer=world.owner, order_id=world.my_completed, score_speed=5,
        score_attitude=5, score_quality=4, comment="不错", now=NOW,
    )  # fmt: skip
    mark_notifications_seen(session=session, viewer=world.owner, at=NOW)
    reply_to_rating(
        session=session, viewer=world.manager, rating_id=result.rating_id, reply="谢谢您的评价",
        now=NOW + H, expected_version=1,
    )  # fmt: skip
    notes = list_notifications(session=session, viewer=world.owner, now=NOW + H)
    reply = notes.items[0]
    assert (reply.kind, reply.note, reply.target, reply.target_id) == (
        "rating_reply", "谢谢您的评价", "order", world.my_completed,
    )  # fmt: skip
    assert reply.is_unread and notes.unread == 1
    assert all(n.kind != "rating_reply" for n in
               list_notifications(session=session, viewer=world.neighbour, now=NOW + H).items)  # fmt: skip


def test_ticket_moves_by_others_show_to_the_owner(session: Session, world: World) -> None:
    ticket_id = ticket_commands.open_ticket(
        session=session, viewer=world.owner, title="路灯不亮", category="electrical",
        description="北门", now=NOW,
    )  # fmt: skip
    ticket_commands.accept_ticket(
        session=session, viewer=world.manager, ticket_id=ticket_id, now=NOW + H
    )
    ticket_commands.start_work(session=session, viewer=world.manager, ticket_id=ticket_id,
                               now=NOW + 2 * H)  # fmt: skip
    ticket_commands.post_progress(session=session, viewer=world.manager, ticket_id=ticket_id,
                                  note="已换灯泡", now=NOW + 3 * H)  # fmt: skip
    notes = list_notifications(session=session, viewer=world.owner, now=NOW + 3 * H)
    assert kinds(notes.items)[:3] == [
        ("ticket_progress", "in_progress", ticket_id, "ticket"),
        ("ticket_status", "in_progress", ticket_id, "ticket"),
        ("ticket_status", "accepted", ticket_id, "ticket"),
    ]
    assert notes.items[0].note == "已换灯泡"
    assert ("ticket_status", "submitted", ticket_id, "ticket") not in kinds(notes.items)  # mine
    neighbour = list_notifications(session=session, viewer=world.neighbour, now=NOW + 3 * H)
    assert all(n.target != "ticket" for n in neighbour.items)


def test_a_manager_sees_new_ratings_tickets_and_owner_actions(
    session: Session, world: World
) -> None:
    mark_notifications_seen(session=session, viewer=world.manager, at=NOW)
    assert unread_count(session=session, viewer=world.manager, now=NOW) == 0
    rating = rate_order(
        session=session, viewer=world.owner, order_id=world.my_completed, score_speed=3,
        score_attitude=4, score_quality=4, comment="有点慢", now=NOW + H,
    )  # fmt: skip
    ticket_id = ticket_commands.open_ticket(
        session=session, viewer=world.owner, title="路灯不亮", category="electrical",
        description="北门", now=NOW + 2 * H,
    )  # fmt: skip
    for move, at in (("accept_ticket", 3), ("start_work", 4), ("request_confirmation", 5)):
        getattr(ticket_commands, move)(
            session=session, viewer=world.manager, ticket_id=ticket_id, now=NOW + at * H
        )
    ticket_commands.reopen_ticket(session=session, viewer=world.owner, ticket_id=ticket_id,
                                  reason="还是不亮", now=NOW + 6 * H)  # fmt: skip
    notes = list_notifications(session=session, viewer=world.manager, now=NOW + 6 * H)
    assert kinds(notes.items) == [
        ("owner_action", "in_progress", ticket_id, "ticket"),
        ("new_ticket", "in_progress", ticket_id, "ticket"),  # code: the ticket's status now
        ("new_rating", "", world.my_completed, "order"),
    ]
    assert notes.items[0].note == "还是不亮" and notes.items[2].note == "有点慢"
    # Limited, the list is the newest of all three sources (each source is limited first).
    for limit in (1, 2):
        limited = list_notifications(
            session=session, viewer=world.manager, now=NOW + 6 * H, limit=limit
        )
        assert limited.items == notes.items[:limit] and limited.unread == notes.unread
    assert notes.unread == 3 == unread_count(session=session, viewer=world.manager, now=NOW)
    assert rating.rating_id
    # Another community's manager hears nothing of it.
    stranger = list_notifications(session=session, viewer=world.stranger_manager, now=NOW + 6 * H)
    assert stranger.items == () and stranger.unread == 0


def test_a_ticket_a_manager_opened_is_no_news_to_them(session: Session, world: World) -> None:
    ticket_commands.open_ticket(
        session=session, viewer=world.manager, title="电梯异响", category="elevator",
        description="", on_behalf_of_account_id=world.owner.account_id, now=NOW,
    )  # fmt: skip
    assert list_notifications(session=session, viewer=world.manager, now=NOW).items == ()
    owner = list_notifications(session=session, viewer=world.owner, now=NOW)
    assert ("ticket_status", "submitted") in [(n.kind, n.code) for n in owner.items]


def test_newest_first_and_limited(session: Session, world: World) -> None:
    for i in range(5):
        session.add(WorkOrderEvent(work_order_id=world.my_order, stage="dispatched",
                                   occurred_at=NOW + i * H, note=f"#{i}"))  # fmt: skip
    session.flush()
    notes = list_notifications(session=session, viewer=world.owner, now=NOW + 5 * H, limit=3)
    assert [n.note for n in notes.items] == ["#4", "#3", "#2"]
    assert notes.unread == 6  # all of them, not only the listed ones


def test_marking_seen_is_an_upsert_per_scope(session_factory: sessionmaker[Session]) -> None:
    with write_session(session_factory) as s:
        c = f.community(s)
        owner = viewer(f.account(s, c))
    for at in (NOW, NOW + H, NOW - H):
        with write_session(session_factory) as s:
            mark_notifications_seen(session=s, viewer=owner, at=at)
    with session_factory() as s:
        looks = [(x.account_id, x.scope, x.seen_at) for x in s.scalars(select(LastLook))]
    assert looks == [(owner.account_id, "notifications", NOW + H)]
