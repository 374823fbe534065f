"""The manager console: inbox by nearest deadline, filters, overdue, changes since the last look
(data_access/dashboards/console.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypedDict, Unpack

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from data_access.accounts.auth import Viewer
from data_access.dashboards import console
from data_access.db import write_session
from data_access.errors import NotAllowed
from data_access.models import Community, LastLook, Rating, RectificationTicket
from data_access.tickets import ticket_commands
from data_access.tickets.ratings import edit_rating, rate_order, reply_to_rating
from tests.data_access import factories as f
from tests.data_access.factories import T0

NOW = T0 + dt.timedelta(days=9)  # 2026-10-10 02:00 UTC
H = dt.timedelta(hours=1)


viewer = f.viewer_of


@dataclass(frozen=True)
class World:
    community: Community
    owner: Viewer
    committee: Viewer
    manager: Viewer
    stranger_manager: Viewer
    ids: dict[str, int]  # name → rating or ticket id


def _ticket(
    session: Session, c: Community, created_at: dt.datetime, *moves: str, category: str = ""
) -> RectificationTicket:
    times = tuple((status, created_at + H * (i + 1)) for i, status in enumerate(moves))
    ticket = f.rectification_ticket(session, c, created_at=created_at, moves=times)
    if category:
        ticket.category = category
    return ticket


@pytest.fixture
def world(session: Session) -> World:
    """Deadlines (hand-computed, NOW = 10-10 02:00):
    in_progress 10-08 02:00 (overdue) < rating_overdue 10-09 02:00 (overdue) <
    submitted 10-10 00:00 (overdue) < rating_due 10-10 12:00 < accepted 10-13 02:00.
    Not in the inbox: the replied rating, awaiting confirmation (fix due 10-09, past), closed,
    rejected, and everything of the other community."""
    c = f.community(session)
    owner = f.account(session, c)
    committee = f.account(session, c, role="committee")
    manager = f.account(session, c, role="manager", username="mgr_console")
    manager.display_name = "经理甲"
    other = f.community(session)
    stranger_manager = f.account(session, other, role="manager")
    ids = {
        "in_progress": _ticket(session, c, T0, "accepted", "in_progress").id,
        "rating_overdue": f.rating(session, c, (2, 3, 4), created_at=T0 + 7 * 24 * H).id,
        "submitted": _ticket(session, c, NOW - 26 * H, category="plumbing").id,
        "rating_due": f.rating(session, c, created_at=NOW - 14 * H).id,
        "accepted": _ticket(session, c, NOW - 4 * 24 * H, "accepted").id,
        "replied": f.rating(session, c, created_at=NOW - 5 * H, replied_at=NOW - 4 * H).id,
        "awaiting": _ticket(
            session, c, NOW - 8 * 24 * H, "accepted", "in_progress", "awaiting_confirmation"
        ).id,
        "closed": _ticket(
            session, c, T0, "accepted", "in_progress", "awaiting_confirmation", "closed"
        ).id,
        "rejected": _ticket(session, c, T0, "rejected").id,
        "other_rating": f.rating(session, other, created_at=T0 - 48 * H).id,
        "other_ticket": _ticket(session, other, T0 - 72 * H).id,
    }
    session.flush()
    return World(
        c, viewer(owner), viewer(committee), viewer(manager), viewer(stranger_manager), ids
    )


class InboxFilters(TypedDict, total=False):
    """``console.list_inbox``'s filters."""

    kind: str | None
    status: str | None
    category: str | None
    overdue_only: bool
    limit: int
    since: dt.datetime | None
    order: str


def inbox(session: Session, w: World, **filters: Unpack[InboxFilters]) -> list[tuple[str, int]]:
    items = console.list_inbox(session=session, viewer=w.manager, now=NOW, **filters)
    return [(item.kind, item.id) for item in items]


def named(w: World, *names: str) -> list[tuple[str, int]]:
    return [("rating" if "rating" in n else "ticket", w.ids[n]) for n in names]


# --- who may look ----------------------------------------------------------------------------------
CALLS = {
    "list_inbox": lambda s, v: console.list_inbox(session=s, viewer=v, now=NOW),
    "inbox_summary": lambda s, v: console.inbox_summary(session=s, viewer=v, now=NOW),
    "mark_console_seen": lambda s, v: console.mark_console_seen(session=s, viewer=v, at=NOW),
    "console_since": lambda s, v: console.console_since(session=s, viewer=v, now=NOW),
    "last_console_look": lambda s, v: console.last_console_look(session=s, viewer=v),
}


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("role", ["owner", "committee"])
def test_only_managers_get_the_console(
    session: Session, world: World, call: str, role: str
) -> None:
    with pytest.raises(NotAllowed) as refused:
        CALLS[call](session, getattr(world, role))
    assert refused.value.key == "console.managers_only"
    assert session.scalars(select(LastLook)).all() == []


def test_the_inbox_is_sorted_by_nearest_deadline(session: Session, world: World) -> None:
    assert inbox(session, world) == named(
        world, "in_progress", "rating_overdue", "submitted", "rating_due", "accepted"
    )


def test_items_carry_deadlines_scores_owner_and_version(session: Session, world: World) -> None:
    listed = console.list_inbox(session=session, viewer=world.manager, now=NOW)
    items = {(i.kind, i.id): i for i in listed}
    rating = items[named(world, "rating_overdue")[0]]
    assert (rating.kind, rating.status, rating.deadline_kind) == (
        "rating",
        "awaiting_reply",
        "reply",
    )
    assert (rating.deadline_at, rating.is_overdue) == (T0 + 8 * 24 * H, True)
    assert (rating.scores, rating.owner_name, rating.version) == ((2, 3, 4), "张三", 1)
    assert (rating.title, rating.category) == ("楼道漏水", "plumbing")
    submitted = items[named(world, "submitted")[0]]
    assert (submitted.deadline_kind, submitted.deadline_at) == ("accept", NOW - 2 * H)
    assert submitted.is_overdue and submitted.scores is None
    accepted = items[named(world, "accepted")[0]]
    assert (accepted.deadline_kind, accepted.deadline_at) == ("fix", NOW + 3 * 24 * H)
    assert not accepted.is_overdue
    assert not items[named(world, "rating_due")[0]].is_overdue


def test_another_community_never_appears(session: Session, world: World) -> None:
    theirs = console.list_inbox(session=session, viewer=world.stranger_manager, now=NOW)
    assert [(i.kind, i.id) for i in theirs] == named(world, "other_ticket", "other_rating")
    assert not set(inbox(session, world)) & set(named(world, "other_ticket", "other_rating"))
    summary = console.inbox_summary(session=session, viewer=world.stranger_manager, now=NOW)
    assert (summary.total, summary.ratings, summary.tickets) == (2, 1, 1)


FILTERS = [
    pytest.param({"kind": "rating"}, ("rating_overdue", "rating_due"), id="ratings"),
    pytest.param({"kind": "ticket"}, ("in_progress", "submitted", "accepted"), id="tickets"),
    pytest.param({"status": "awaiting_reply"}, ("rating_overdue", "rating_due"), id="awaiting-reply"),
    pytest.param({"status": "submitted"}, ("submitted",), id="submitted"),
    pytest.param({"status": "in_progress"}, ("in_progress",), id="in-progress"),
    pytest.param({"status": "awaiting_confirmation"}, ("awaiting",), id="awaiting-owner"),
    pytest.param({"status": "closed"}, (), id="closed-never"),
    pytest.param({"kind": "rating", "status": "submitted"}, (), id="contradiction"),
    pytest.param({"category": "plumbing"}, ("rating_overdue", "submitted", "rating_due"), id="category"),
    pytest.param({"category": "cleaning"}, ("in_progress", "accepted"), id="category-2"),
    pytest.param({"overdue_only": True}, ("in_progress", "rating_overdue", "submitted"), id="overdue"),
    pytest.param({"overdue_only": True, "kind": "rating"}, ("rating_overdue",), id="overdue-ratings"),
    pytest.param({"status": "awaiting_confirmation", "overdue_only": True}, (), id="owner-not-overdue"),
    pytest.param({"limit": 2}, ("in_progress", "rating_overdue"), id="limit"),
]  # fmt: skip


@pytest.mark.parametrize(("filters", "expected"), FILTERS)
def test_filters(
    session: Session, world: World, filters: InboxFilters, expected: tuple[str, ...]
) -> None:
    assert inbox(session, world, **filters) == named(world, *expected)


def test_awaiting_the_owner_is_never_overdue(session: Session, world: World) -> None:
    [item] = console.list_inbox(
        session=session, viewer=world.manager, now=NOW, status="awaiting_confirmation"
    )
    assert item.deadline_at < NOW and not item.is_overdue


def test_summary_counts(session: Session, world: World) -> None:
    summary = console.inbox_summary(session=session, viewer=world.manager, now=NOW)
    assert (summary.total, summary.overdue) == (5, 3)
    assert (summary.ratings, summary.tickets, summary.to_accept) == (2, 3, 1)
    assert summary.since == NOW - console_window()


def console_window() -> dt.timedelta:
    from data_access.accounts.last_looks import FIRST_LOOK_WINDOW

    return FIRST_LOOK_WINDOW


def test_a_replied_rating_leaves_the_inbox(session: Session, world: World) -> None:
    rating_id = world.ids["rating_due"]
    reply_to_rating(
        session=session, viewer=world.manager, rating_id=rating_id, reply="已安排回访",
        now=NOW, expected_version=1,
    )  # fmt: skip
    assert ("rating", rating_id) not in inbox(session, world)
    summary = console.inbox_summary(session=session, viewer=world.manager, now=NOW)
    assert (summary.total, summary.ratings) == (4, 1)


# --- what changed since the last look --------------------------------------------------------------
def test_first_visit_counts_the_last_seven_days(session: Session) -> None:
    c = f.community(session)
    manager = viewer(f.account(session, c, role="manager"))
    f.rating(session, c, created_at=NOW - 8 * 24 * H)  # before the window
    f.rating(session, c, created_at=NOW - 6 * 24 * H)
    _ticket(session, c, NOW - 9 * 24 * H, "accepted")  # opened and accepted before the window
    _ticket(session, c, NOW - 2 * 24 * H)
    assert console.last_console_look(session=session, viewer=manager) is None
    summary = console.inbox_summary(session=session, viewer=manager, now=NOW)
    assert summary.since == NOW - 7 * 24 * H
    assert summary.changed_since_last_look == 2
    assert [i.is_new for i in console.list_inbox(session=session, viewer=manager, now=NOW)] == [
        False, True, False, True,  # 8 days old rating, 6 days old rating, old ticket, new ticket
    ]  # fmt: skip


@dataclass(frozen=True)
class Desk:
    owner: Viewer
    manager: Viewer
    colleague: Viewer
    order_id: int


@pytest.fixture
def desk(session: Session) -> Desk:
    c = f.community(session)
    f.contract(session, c)
    owner = f.account(session, c)
    order = f.work_order(session, c, completed_at=T0 + 5 * H, reporter_id=owner.id)
    return Desk(
        owner=viewer(owner),
        manager=viewer(f.account(session, c, role="manager")),
        colleague=viewer(f.account(session, c, role="manager")),
        order_id=order.id,
    )


def changed(session: Session, desk: Desk, at: dt.datetime) -> int:
    summary = console.inbox_summary(session=session, viewer=desk.manager, now=at)
    return summary.changed_since_last_look


def test_changes_since_the_last_look(session: Session, desk: Desk) -> None:
    t = NOW
    console.mark_console_seen(session=session, viewer=desk.manager, at=t)
    assert changed(session, desk, t + H) == 0

    rating = rate_order(
        session=session, viewer=desk.owner, order_id=desk.order_id, score_speed=4,
        score_attitude=4, score_quality=4, comment="", now=t + 1 * H,
    )  # fmt: skip
    assert changed(session, desk, t + 2 * H) == 1
    ticket_id = ticket_commands.open_ticket(
        session=session, viewer=desk.owner, title="路灯不亮", category="electrical",
        description="", now=t + 2 * H,
    )  # fmt: skip
    assert changed(session, desk, t + 3 * H) == 2  # the new ticket, not also its opening event

    ticket_commands.accept_ticket(
        session=session, viewer=desk.manager, ticket_id=ticket_id, now=t + 3 * H
    )
    assert changed(session, desk, t + 4 * H) == 2  # my own move is no news to me
    ticket_commands.start_work(
        session=session, viewer=desk.colleague, ticket_id=ticket_id, now=t + 4 * H
    )
    assert changed(session, desk, t + 5 * H) == 3  # a colleague's move is

    console.mark_console_seen(session=session, viewer=desk.manager, at=t + 5 * H)
    assert changed(session, desk, t + 6 * H) == 0
    items = console.list_inbox(session=session, viewer=desk.manager, now=t + 6 * H)
    assert [(i.kind, i.is_new) for i in items] == [("rating", False), ("ticket", False)]

    edit_rating(
        session=session, viewer=desk.owner, rating_id=rating.rating_id, score_speed=3,
        score_attitude=4, score_quality=4, comment="", now=t + 6 * H, expected_version=1,
    )  # fmt: skip
    ticket_commands.post_progress(
        session=session, viewer=desk.manager, ticket_id=ticket_id, note="已联系电工", now=t + 6 * H
    )
    assert changed(session, desk, t + 7 * H) == 1  # the edit; my own progress note is not news
    items = console.list_inbox(session=session, viewer=desk.manager, now=t + 7 * H)
    assert [(i.kind, i.is_new) for i in items] == [("rating", True), ("ticket", False)]
    # A page keeps the moment its visit began: with it, the earlier changes stay new.
    items = console.list_inbox(session=session, viewer=desk.manager, now=t + 7 * H, since=t)
    assert [i.is_new for i in items] == [True, True]


def test_mark_seen_is_an_upsert_that_never_goes_back(
    session_factory: sessionmaker[Session],
) -> None:
    with write_session(session_factory) as s:
        c = f.community(s)
        manager = viewer(f.account(s, c, role="manager"))
    for at in (NOW, NOW + H, NOW - H):
        with write_session(session_factory) as s:
            console.mark_console_seen(session=s, viewer=manager, at=at)
    with session_factory() as s:
        looks = s.scalars(select(LastLook)).all()
        assert [(x.account_id, x.scope, x.seen_at) for x in looks] == [
            (manager.account_id, "console", NOW + H)
        ]
        assert console.console_since(session=s, viewer=manager, now=NOW + 9 * H) == NOW + H
        assert console.last_console_look(session=s, viewer=manager) == NOW + H


def test_by_severity_the_red_line_and_the_lowest_score_lead(session: Session, world: World) -> None:
    """Red line 2 (no contract: the default). rating_overdue (2★ worst) is at the red line;
    rating_due (all 5★) is not; tickets opened by owners have no score and follow, overdue
    first (in_progress, then submitted), then by deadline (accepted)."""
    f.rating(session, world.community, (4, 1, 5), created_at=NOW - H)  # 1★: before 2★
    one_star = session.scalars(
        select(Rating.id).where(
            Rating.score_attitude == 1, Rating.community_id == world.community.id
        )
    ).one()
    session.flush()
    ordered = inbox(session, world, order="severity")
    assert ordered == [("rating", one_star), *named(
        world, "rating_overdue", "rating_due", "in_progress", "submitted", "accepted"
    )]  # fmt: skip
    items = console.list_inbox(session=session, viewer=world.manager, now=NOW, order="severity")
    assert [i.is_red_line for i in items] == [True, True, False, False, False, False]
    # By deadline (the default) the same items keep their nearest-deadline order.
    assert inbox(session, world)[:2] == named(world, "in_progress", "rating_overdue")
