"""The public rectification board, a ticket in full and the public ratings
(data_access/tickets/ticket_board.py): community isolation, masking, deadlines, order, filters, events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from data_access.accounts.auth import Viewer
from data_access.accounts.privacy import private_title
from data_access.db import write_session
from data_access.errors import DomainError
from data_access.models import (
    Account,
    Community,
    Photo,
    PhotoAttachment,
    RectificationTicket,
    TicketEvent,
)
from data_access.tickets import ticket_commands as tc
from data_access.tickets.ratings import rate_order, reply_to_rating
from data_access.tickets.ticket_board import (
    board_summary,
    count_board_tickets,
    count_public_ratings,
    get_ticket_detail,
    list_board_tickets,
    list_public_ratings,
)
from tests.data_access import factories as f
from tests.data_access.factories import T0

HOUR, DAY = dt.timedelta(hours=1), dt.timedelta(days=1)
NAMES = {
    "owner": "林晓雯",
    "neighbour": "王大力",
    "committee": "陈淑珍",
    "manager": "赵立新",
    "stranger": "孙悟空",
    "stranger_manager": "钱经理",
}
PATHS: dict[str, tuple[str, ...]] = {
    "submitted": (),
    "accepted": ("accepted",),
    "rejected": ("rejected",),
    "in_progress": ("accepted", "in_progress"),
    "awaiting_confirmation": ("accepted", "in_progress", "awaiting_confirmation"),
    "closed": ("accepted", "in_progress", "awaiting_confirmation", "closed"),
}


@dataclass(frozen=True)
class World:
    community_id: int
    other_community_id: int
    building_id: int
    viewers: dict[str, Viewer]


def _viewer(account: Account) -> Viewer:
    return Viewer(
        account_id=account.id, username=account.username, display_name=account.display_name,
        role=account.role, community_id=account.community_id,
    )  # fmt: skip


@pytest.fixture
def world(session_factory: sessionmaker[Session]) -> World:
    """Two communities with a contract each (accept 24 h, fix 7 days) and named people."""
    with write_session(session_factory) as s:
        c, other = f.community(s), f.community(s)
        f.contract(s, c), f.contract(s, other)
        building = f.building(s, c, "1栋")
        roles = {
            "owner": (c, "owner"), "neighbour": (c, "owner"), "committee": (c, "committee"),
            "manager": (c, "manager"), "stranger": (other, "owner"),
            "stranger_manager": (other, "manager"),
        }  # fmt: skip
        viewers = {}
        for key, (community, role) in roles.items():
            account = f.account(s, community, role=role)
            account.display_name = NAMES[key]
            s.flush()
            viewers[key] = _viewer(account)
        return World(c.id, other.id, building.id, viewers)


def _picture(colour: str) -> bytes:
    out = BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "PNG")
    return out.getvalue()


def _ticket(
    s: Session,
    world: World,
    status: str,
    created_at: dt.datetime = T0,
    owner: str = "neighbour",
    step: dt.timedelta = HOUR,
    **fields: Any,
) -> RectificationTicket:
    """A ticket that walked the main path to ``status``, ``step`` apart after ``created_at``."""
    moves = tuple((m, created_at + step * (i + 1)) for i, m in enumerate(PATHS[status]))
    community = s.get_one(Community, world.community_id)
    ticket = f.rectification_ticket(s, community, created_at=created_at, moves=moves)
    ticket.owner_id = world.viewers[owner].account_id
    for field, value in fields.items():
        setattr(ticket, field, value)
    s.flush()
    return ticket


def _open(
    session_factory: sessionmaker[Session], world: World, tmp_path: Path, **overrides: Any
) -> int:
    """The owner opens a ticket with a personal location and one photo, at T0."""
    args: dict[str, Any] = dict(
        viewer=world.viewers["owner"], title="楼道灯不亮", category="electrical",
        description="晚上楼道一片漆黑", location="1栋2单元1201", area_id=world.building_id,
        photos=[_picture("red")], media_dir=tmp_path, now=T0,
    )  # fmt: skip
    args.update(overrides)
    with write_session(session_factory) as s:
        return tc.open_ticket(session=s, **args)


# --- deadlines and overdue ----------------------------------------------------------------------
# now → status → (deadline kind, hours after creation it is due, overdue). Accept is due at
# 24 h, fix at 7 days = 168 h.
OVERDUE_CASES = [
    pytest.param(T0 + HOUR, {
        "submitted": ("accept", 24, False), "accepted": ("fix", 168, False),
        "in_progress": ("fix", 168, False), "awaiting_confirmation": ("fix", 168, False),
        "closed": (None, None, False), "rejected": (None, None, False),
    }, id="early"),
    pytest.param(T0 + 2 * DAY, {
        "submitted": ("accept", 24, True), "accepted": ("fix", 168, False),
        "in_progress": ("fix", 168, False), "awaiting_confirmation": ("fix", 168, False),
        "closed": (None, None, False), "rejected": (None, None, False),
    }, id="accept-passed"),
    pytest.param(T0 + 8 * DAY, {
        "submitted": ("accept", 24, True), "accepted": ("fix", 168, True),
        "in_progress": ("fix", 168, True), "awaiting_confirmation": ("fix", 168, False),
        "closed": (None, None, False), "rejected": (None, None, False),
    }, id="both-passed"),
]  # fmt: skip


@pytest.mark.parametrize(("now", "expected"), OVERDUE_CASES)
def test_deadline_and_overdue_per_status(
    session_factory: sessionmaker[Session],
    world: World,
    now: dt.datetime,
    expected: dict[str, tuple[str | None, int | None, bool]],
) -> None:
    with write_session(session_factory) as s:
        codes = {_ticket(s, world, status).code: status for status in PATHS}
    viewer = world.viewers["owner"]
    with session_factory() as s:
        board = list_board_tickets(session=s, viewer=viewer, now=now)
        shown = {
            codes[t.code]: (
                t.deadline_kind,
                None if t.deadline_at is None else (t.deadline_at - T0) // HOUR,
                t.is_overdue,
            )
            for t in board
        }
        overdue = count_board_tickets(session=s, viewer=viewer, now=now, overdue_only=True)
        summary = board_summary(session=s, viewer=viewer, now=now, closed_since=T0)
    assert shown == expected
    overdue_statuses = sorted(status for status, (_, _, late) in expected.items() if late)
    assert overdue == summary.overdue == len(overdue_statuses)
    with session_factory() as s:
        listed = list_board_tickets(session=s, viewer=viewer, now=now, overdue_only=True)
    assert sorted(codes[t.code] for t in listed) == overdue_statuses


def test_summary_counts(session_factory: sessionmaker[Session], world: World) -> None:
    with write_session(session_factory) as s:
        for status in PATHS:
            _ticket(s, world, status)
        _ticket(s, world, "closed", created_at=T0 - 30 * DAY)  # closed long before
    now = T0 + 2 * DAY
    with session_factory() as s:
        summary = board_summary(session=s, viewer=world.viewers["committee"], now=now,
                                closed_since=T0)  # fmt: skip
    assert summary.by_status == {
        "submitted": 1, "accepted": 1, "rejected": 1, "in_progress": 1,
        "awaiting_confirmation": 1, "closed": 2,
    }  # fmt: skip
    assert (summary.total, summary.open, summary.overdue) == (7, 4, 1)
    assert (summary.awaiting_confirmation, summary.closed, summary.closed_since) == (1, 2, 1)


def test_order_running_by_deadline_then_awaiting_then_finished_newest_first(
    session_factory: sessionmaker[Session], world: World
) -> None:
    with write_session(session_factory) as s:
        made = {
            "fix_due_in_1h": _ticket(s, world, "accepted", created_at=T0 - 7 * DAY + HOUR),
            "accept_due_in_27h": _ticket(s, world, "submitted", created_at=T0 + 3 * HOUR),
            "fix_due_in_7d": _ticket(s, world, "in_progress", created_at=T0),
            "awaiting": _ticket(s, world, "awaiting_confirmation", created_at=T0 - 8 * DAY),
            "closed_at_T0+4h": _ticket(s, world, "closed", created_at=T0 - 10 * DAY,
                                       step=(10 * DAY + 4 * HOUR) / 4),
            "rejected_at_T0+2h": _ticket(s, world, "rejected", created_at=T0 + HOUR),
        }  # fmt: skip
        names = {ticket.code: name for name, ticket in made.items()}
    with session_factory() as s:
        board = list_board_tickets(session=s, viewer=world.viewers["owner"], now=T0 + 5 * HOUR)
    assert [names[t.code] for t in board] == [
        "fix_due_in_1h", "accept_due_in_27h", "fix_due_in_7d", "awaiting", "closed_at_T0+4h",
        "rejected_at_T0+2h",
    ]  # fmt: skip
    with session_factory() as s:
        limited = list_board_tickets(session=s, viewer=world.viewers["owner"], now=T0, limit=2)
    assert [names[t.code] for t in limited] == ["fix_due_in_1h", "accept_due_in_27h"]


# --- community isolation --------------------------------------------------------------------------
def test_another_communitys_tickets_are_never_listed_nor_found(
    session_factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    mine = _open(session_factory, world, tmp_path)
    theirs = _open(session_factory, world, tmp_path, viewer=world.viewers["stranger"], area_id=None)
    with session_factory() as s:
        for name in ("owner", "committee", "manager"):
            viewer = world.viewers[name]
            board = list_board_tickets(session=s, viewer=viewer, now=T0)
            assert [t.id for t in board] == [mine]
            assert count_board_tickets(session=s, viewer=viewer, now=T0) == 1
            summary = board_summary(session=s, viewer=viewer, now=T0, closed_since=T0)
            assert summary.total == 1
            for ticket_id in (theirs, 999_999):
                with pytest.raises(DomainError) as refused:
                    get_ticket_detail(session=s, viewer=viewer, ticket_id=ticket_id, now=T0)
                assert refused.value.key == "ticket.not_found"
        stranger = world.viewers["stranger_manager"]
        assert [t.id for t in list_board_tickets(session=s, viewer=stranger, now=T0)] == [theirs]


# --- masking --------------------------------------------------------------------------------------
MASKING = [
    pytest.param("owner", "林晓雯", "1栋2单元1201", "林晓雯", "赵**", True, id="own-ticket"),
    pytest.param("neighbour", "林**", "1栋2单元***", "林**", "赵**", False, id="neighbour"),
    pytest.param("committee", "林**", "1栋2单元***", "林**", "赵**", False, id="committee"),
    pytest.param("manager", "林晓雯", "1栋2单元1201", "林晓雯", "赵立新", False, id="manager"),
]


@pytest.mark.parametrize(
    ("who", "owner", "location", "opener", "acceptor", "is_mine"), MASKING
)  # fmt: skip
def test_masking_of_owner_location_and_actors(
    session_factory: sessionmaker[Session],
    world: World,
    tmp_path: Path,
    who: str,
    owner: str,
    location: str,
    opener: str,
    acceptor: str,
    is_mine: bool,
) -> None:
    ticket_id = _open(session_factory, world, tmp_path)
    with write_session(session_factory) as s:
        tc.accept_ticket(session=s, viewer=world.viewers["manager"], ticket_id=ticket_id,
                         now=T0 + HOUR)  # fmt: skip
    viewer = world.viewers[who]
    with session_factory() as s:
        (listed,) = list_board_tickets(session=s, viewer=viewer, now=T0 + 2 * HOUR)
        detail = get_ticket_detail(session=s, viewer=viewer, ticket_id=ticket_id, now=T0)
    for shown in (listed, detail):
        assert (shown.owner, shown.area, shown.location, shown.is_mine) == (
            owner, "1栋", location, is_mine,
        )  # fmt: skip
    assert [(e.actor_kind, e.actor) for e in detail.events] == [
        ("owner", opener), ("staff", acceptor),
    ]  # fmt: skip


def test_location_equal_to_the_area_is_not_repeated(
    session_factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    _open(session_factory, world, tmp_path, location="1栋")
    with session_factory() as s:
        (ticket,) = list_board_tickets(session=s, viewer=world.viewers["neighbour"], now=T0)
    assert (ticket.area, ticket.location) == ("1栋", "")


def test_search_never_looks_in_the_personal_location(
    session_factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    _open(session_factory, world, tmp_path)
    with session_factory() as s:
        neighbour = world.viewers["neighbour"]
        found = {
            words: count_board_tickets(session=s, viewer=neighbour, now=T0, search=words)
            for words in ("1201", "楼道灯", "漆黑", "1栋", "ZGD", "无此内容", "%", "_")
        }
    assert found == {
        "1201": 0, "楼道灯": 1, "漆黑": 1, "1栋": 1, "ZGD": 1, "无此内容": 0, "%": 0, "_": 0,
    }  # fmt: skip


# --- filters ----------------------------------------------------------------------------------------
FILTERS = [
    pytest.param({"status": "in_progress"}, ["in_progress"], id="status"),
    pytest.param({"category": "electrical"}, ["accepted"], id="category"),
    pytest.param({"mine_only": True}, ["submitted", "closed"], id="mine"),
    pytest.param({"search": "电梯"}, ["rejected"], id="search-title"),
    pytest.param({"mine_only": True, "status": "closed"}, ["closed"], id="combined"),
    pytest.param({}, ["submitted", "accepted", "in_progress", "awaiting_confirmation", "closed",
                      "rejected"], id="none"),
]  # fmt: skip


@pytest.mark.parametrize(("filters", "expected"), FILTERS)
def test_filters(
    session_factory: sessionmaker[Session],
    world: World,
    filters: dict[str, Any],
    expected: list[str],
) -> None:
    with write_session(session_factory) as s:
        _ticket(s, world, "submitted", owner="owner", created_at=T0 + HOUR)
        _ticket(s, world, "accepted", category="electrical", created_at=T0 + 2 * HOUR)
        _ticket(s, world, "in_progress", created_at=T0 + 3 * HOUR)
        _ticket(s, world, "awaiting_confirmation", created_at=T0 + 4 * HOUR)
        _ticket(s, world, "closed", owner="owner", created_at=T0)
        _ticket(s, world, "rejected", title="电梯广告太吵", created_at=T0 - HOUR)
    viewer = world.viewers["owner"]
    with session_factory() as s:
        board = list_board_tickets(session=s, viewer=viewer, now=T0 + 5 * HOUR, **filters)
        total = count_board_tickets(session=s, viewer=viewer, now=T0 + 5 * HOUR, **filters)
    assert [t.status for t in board] == expected
    assert total == len(expected)


# --- a ticket's events, photos and deadlines --------------------------------------------------------
def test_events_photos_progress_and_deadlines(
    session_factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    ticket_id = _open(session_factory, world, tmp_path)
    manager = world.viewers["manager"]
    media = {"media_dir": tmp_path}
    moves: list[tuple[Callable[..., TicketEvent], dt.datetime, dict[str, object]]] = [
        (tc.accept_ticket, T0 + 30 * HOUR, {}),  # 6 h after the accept deadline
        (tc.start_work, T0 + 31 * HOUR, {"note": "已派电工"}),
        (tc.post_progress, T0 + 2 * DAY,
         {"note": "已更换灯管", "photos": [_picture("blue"), _picture("green")], **media}),
        (tc.post_progress, T0 + 3 * DAY, {"note": "线路已检查", **media}),
        (tc.request_confirmation, T0 + 4 * DAY, {"photos": [_picture("white")], **media}),
    ]  # fmt: skip
    for command, at, extra in moves:
        with write_session(session_factory) as s:
            command(session=s, viewer=manager, ticket_id=ticket_id, now=at, **extra)
    now = T0 + 5 * DAY
    owner = world.viewers["owner"]
    with session_factory() as s:
        (listed,) = list_board_tickets(session=s, viewer=owner, now=now)
        detail = get_ticket_detail(session=s, viewer=owner, ticket_id=ticket_id, now=now)
        shas = {
            kind: sorted(sha for (sha,) in s.execute(
                select(Photo.sha256).join(PhotoAttachment, PhotoAttachment.photo_id == Photo.id)
                .where(PhotoAttachment.ticket_id == ticket_id, PhotoAttachment.kind == kind)))
            for kind in ("before", "during", "after")
        }  # fmt: skip
        version = s.get_one(RectificationTicket, ticket_id).version
    assert (listed.progress_count, listed.last_update_at) == (2, T0 + 4 * DAY)
    assert (listed.deadline_kind, listed.is_overdue) == ("fix", False)
    assert [(e.from_status, e.to_status, e.is_progress) for e in detail.events] == [
        (None, "submitted", False),
        ("submitted", "accepted", False),
        ("accepted", "in_progress", False),
        ("in_progress", "in_progress", True),
        ("in_progress", "in_progress", True),
        ("in_progress", "awaiting_confirmation", False),
    ]
    assert [e.note for e in detail.events][2:5] == ["已派电工", "已更换灯管", "线路已检查"]
    by_event = [sorted(p.sha256 for p in e.photos) for e in detail.events]
    assert by_event == [shas["before"], [], [], shas["during"], [], shas["after"]]
    assert len(shas["during"]) == 2 and len(shas["before"]) == len(shas["after"]) == 1
    assert {p.kind for e in detail.events for p in e.photos} == {"before", "during", "after"}
    assert {p.mime_type for e in detail.events for p in e.photos} == {"image/png"}
    assert detail.other_photos == []
    assert (detail.version, detail.description, detail.status) == (
        version, "晚上楼道一片漆黑", "awaiting_confirmation",
    )  # fmt: skip
    assert (detail.accept_deadline.outcome, detail.accept_deadline.done_at) == (
        "missed", T0 + 30 * HOUR,
    )  # fmt: skip
    assert (detail.fix_deadline.outcome, detail.fix_deadline.done_at) == ("met", T0 + 4 * DAY)
    assert (detail.rating, detail.work_order_id) == (None, None)


DEADLINE_STATES = [
    pytest.param("submitted", T0 + 2 * DAY, ("overdue", None), ("running", None), id="submitted"),
    pytest.param("rejected", T0 + 2 * DAY, ("met", T0 + HOUR), ("void", None), id="rejected"),
    pytest.param("in_progress", T0 + 8 * DAY, ("met", T0 + HOUR), ("overdue", None),
                 id="in-progress-late"),
    pytest.param("closed", T0 + 8 * DAY, ("met", T0 + HOUR), ("met", T0 + 3 * HOUR), id="closed"),
]  # fmt: skip


@pytest.mark.parametrize(("status", "now", "accept", "fix"), DEADLINE_STATES)
def test_deadline_states_in_detail(
    session_factory: sessionmaker[Session],
    world: World,
    status: str,
    now: dt.datetime,
    accept: tuple[str, dt.datetime | None],
    fix: tuple[str, dt.datetime | None],
) -> None:
    with write_session(session_factory) as s:
        ticket_id = _ticket(s, world, status).id
    with session_factory() as s:
        detail = get_ticket_detail(session=s, viewer=world.viewers["owner"], ticket_id=ticket_id,
                                   now=now)  # fmt: skip
    assert (detail.accept_deadline.outcome, detail.accept_deadline.done_at) == accept
    assert (detail.fix_deadline.outcome, detail.fix_deadline.done_at) == fix


# --- ratings ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rated:
    own: int  # the owner's 5-star rating of a public order, replied to
    neighbours_private: int  # the neighbour's red-line rating of an in-home order (a ticket)
    neighbours_public: int  # the neighbour's 4-star rating of a public order, unanswered
    elsewhere: int


@pytest.fixture
def rated(session_factory: sessionmaker[Session], world: World, tmp_path: Path) -> Rated:
    with write_session(session_factory) as s:
        c = s.get_one(Community, world.community_id)
        other = s.get_one(Community, world.other_community_id)

        def order(who: str, community: Community = c, **fields: Any) -> int:
            return f.work_order(
                s, community, reporter_id=world.viewers[who].account_id,
                completed_at=T0 + HOUR, **fields,
            ).id  # fmt: skip

        orders = {
            "own": order("owner"), "neighbours_private": order("neighbour", visibility="private"),
            "neighbours_public": order("neighbour"), "elsewhere": order("stranger", other),
        }  # fmt: skip
    ratings = {}
    for (name, order_id), (who, scores, comment, at) in zip(orders.items(), [
        ("owner", (5, 5, 5), "很好", T0 + 2 * HOUR),
        ("neighbour", (1, 2, 3), "家里还是漏水", T0 + 3 * HOUR),
        ("neighbour", (4, 4, 4), "", T0 + 4 * HOUR),
        ("stranger", (1, 1, 1), "太差", T0 + 5 * HOUR),
    ], strict=True):  # fmt: skip
        with write_session(session_factory) as s:
            ratings[name] = rate_order(
                session=s, viewer=world.viewers[who], order_id=order_id, score_speed=scores[0],
                score_attitude=scores[1], score_quality=scores[2], comment=comment, now=at,
                media_dir=tmp_path,
            ).rating_id  # fmt: skip
    with write_session(session_factory) as s:
        reply_to_rating(session=s, viewer=world.viewers["manager"], rating_id=ratings["own"],
                        reply="感谢认可", now=T0 + 6 * HOUR, expected_version=1)  # fmt: skip
    return Rated(**ratings)


RATINGS_VISIBLE = [
    pytest.param("owner", ["neighbours_public", "own"], {"own": "林晓雯",
                 "neighbours_public": "王**"}, id="owner"),
    pytest.param("neighbour", ["neighbours_public", "neighbours_private", "own"], {
        "own": "林**", "neighbours_public": "王大力", "neighbours_private": "王大力"},
        id="neighbour"),
    pytest.param("committee", ["neighbours_public", "neighbours_private", "own"], {
        "own": "林**", "neighbours_public": "王**", "neighbours_private": "王**"},
        id="committee"),
    pytest.param("manager", ["neighbours_public", "neighbours_private", "own"], {
        "own": "林晓雯", "neighbours_public": "王大力", "neighbours_private": "王大力"},
        id="manager"),
    pytest.param("stranger", ["elsewhere"], {"elsewhere": "孙悟空"}, id="other-community"),
]  # fmt: skip


@pytest.mark.parametrize(("who", "order", "owners"), RATINGS_VISIBLE)
def test_public_ratings_follow_order_visibility_and_mask_names(
    session_factory: sessionmaker[Session],
    world: World,
    rated: Rated,
    who: str,
    order: list[str],
    owners: dict[str, str],
) -> None:
    names = {getattr(rated, name): name for name in ("own", "neighbours_private",
                                                      "neighbours_public", "elsewhere")}  # fmt: skip
    viewer = world.viewers[who]
    now = T0 + 30 * HOUR
    with session_factory() as s:
        shown = list_public_ratings(session=s, viewer=viewer, now=now)
        total = count_public_ratings(session=s, viewer=viewer, now=now)
    assert [names[r.rating_id] for r in shown] == order
    assert {names[r.rating_id]: r.owner for r in shown} == owners
    assert total == len(order)


def test_public_rating_fields_reply_ticket_and_filters(
    session_factory: sessionmaker[Session], world: World, rated: Rated
) -> None:
    committee = world.viewers["committee"]
    now = T0 + 30 * HOUR  # the unanswered ratings were due 24 h after they were made

    def ids(**filters: bool) -> list[int]:
        with session_factory() as s:
            return [r.rating_id for r in
                    list_public_ratings(session=s, viewer=committee, now=now, **filters)]  # fmt: skip

    with session_factory() as s:
        by_id = {r.rating_id: r for r in list_public_ratings(session=s, viewer=committee, now=now)}
        ticket = s.scalars(
            select(RectificationTicket).where(RectificationTicket.rating_id == rated.neighbours_private)
        ).one()  # fmt: skip
    own, low, plain = (
        by_id[rated.own],
        by_id[rated.neighbours_private],
        by_id[rated.neighbours_public],
    )
    assert (own.reply, own.replied_at, own.reply_overdue) == ("感谢认可", T0 + 6 * HOUR, False)
    assert (low.reply, low.replied_at, low.reply_overdue) == ("", None, True)
    # A neighbour's in-home order: the committee sees its rating redacted (issue 14).
    assert (low.reply_due_at, low.comment) == (T0 + 27 * HOUR, "")
    assert (low.order_title, low.is_redacted) == (private_title(), True)
    assert (low.score_speed, low.score_attitude, low.score_quality, low.is_low) == (1, 2, 3, True)
    assert (low.ticket_id, low.ticket_code) == (ticket.id, ticket.code)
    assert (plain.is_low, plain.ticket_id, plain.ticket_code) == (False, None, "")
    assert (own.order_title, own.category) == ("楼道漏水", "plumbing")
    assert ids(low_only=True) == [rated.neighbours_private]
    assert ids(unreplied_only=True) == [rated.neighbours_public, rated.neighbours_private]
    assert ids(low_only=True, unreplied_only=True) == [rated.neighbours_private]
    with session_factory() as s:
        limited = list_public_ratings(session=s, viewer=committee, now=now, limit=1)
        total = count_public_ratings(session=s, viewer=committee, now=now, low_only=True)
    assert [r.rating_id for r in limited] == [rated.neighbours_public] and total == 1


def test_ticket_from_a_rating_shows_the_rating_and_the_order_only_if_visible(
    session_factory: sessionmaker[Session], world: World, rated: Rated
) -> None:
    with session_factory() as s:
        ticket_id = s.scalars(
            select(RectificationTicket.id).where(
                RectificationTicket.rating_id == rated.neighbours_private
            )
        ).one()
        order_id = s.get_one(RectificationTicket, ticket_id).work_order_id
        seen = {
            who: get_ticket_detail(
                session=s, viewer=world.viewers[who], ticket_id=ticket_id, now=T0 + 30 * HOUR
            )
            for who in ("owner", "neighbour", "manager")
        }
    # Its owner (the neighbour here) and managers read the comment; another owner not (issue 14).
    comments = {"owner": "", "neighbour": "家里还是漏水", "manager": "家里还是漏水"}
    for who, detail in seen.items():
        assert detail.rating is not None and detail.source == "rating"
        assert (detail.rating.rating_id, detail.rating.comment) == (
            rated.neighbours_private, comments[who],
        )  # fmt: skip
        assert (detail.rating.score_speed, detail.rating.score_quality) == (1, 3)
    # The neighbour's in-home order: its own owner and managers may open it, another owner not.
    assert {who: d.work_order_id for who, d in seen.items()} == {
        "owner": None, "neighbour": order_id, "manager": order_id,
    }  # fmt: skip


def test_names_typed_into_a_ticket_are_masked_for_owners(
    session_factory: sessionmaker[Session],
) -> None:
    """A staff member's or a neighbour's full name written into the title, description, a
    progress note or the reject reason reaches managers as written and everyone else masked."""
    with write_session(session_factory) as s:
        c = f.community(s)
        f.contract(s, c)
        f.staff(s, c, name="黎家豪")
        owner, manager = f.account(s, c), f.account(s, c, role="manager")
        owner.display_name = "范丽华"
        s.flush()
        ticket = f.ticket(s, c, status="rejected")
        ticket.title = "黎家豪师傅没上门"
        ticket.description = "联系了黎家豪,他说范丽华家不在范围"
        ticket.reject_reason = "已由黎家豪解释"
        ticket_id, viewers = ticket.id, (_viewer(owner), _viewer(manager))
    with session_factory() as s:
        as_owner = get_ticket_detail(session=s, viewer=viewers[0], ticket_id=ticket_id, now=T0)
        as_manager = get_ticket_detail(session=s, viewer=viewers[1], ticket_id=ticket_id, now=T0)
        listed = list_board_tickets(session=s, viewer=viewers[0], now=T0)
    # the owner's own name stays; the staff member's is masked
    assert (as_owner.title, as_owner.description, as_owner.reject_reason) == (
        "黎**师傅没上门", "联系了黎**,他说范丽华家不在范围", "已由黎**解释",
    )  # fmt: skip
    assert [t.title for t in listed] == ["黎**师傅没上门"]
    assert (as_manager.title, as_manager.description) == (
        "黎家豪师傅没上门", "联系了黎家豪,他说范丽华家不在范围",
    )  # fmt: skip
