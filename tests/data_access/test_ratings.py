"""Rating a completed order, the red-line ticket, edits and replies (data_access/tickets/ratings.py)."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from data_access.accounts.auth import Viewer
from data_access.db import write_session
from data_access.errors import DomainError
from data_access.models import (
    Account,
    Community,
    Photo,
    PhotoAttachment,
    Rating,
    RatingEdit,
    RectificationTicket,
    TicketEvent,
)
from data_access.tickets import ratings
from data_access.tickets.ratings import RatingResult, edit_rating, rate_order, reply_to_rating
from tests.data_access import factories as f

COMPLETED = f.T0 + dt.timedelta(hours=5)
NOW = dt.datetime(2026, 10, 2, 2, 0)  # 10:00 on 2 October, Asia/Shanghai
TABLES = (Rating, RatingEdit, RectificationTicket, TicketEvent, Photo, PhotoAttachment)


@dataclass(frozen=True)
class World:
    owner: Viewer
    neighbour: Viewer
    committee: Viewer
    manager: Viewer
    stranger_manager: Viewer
    mine: int  # the owner's completed order
    mine_open: int
    neighbours_public: int
    neighbours_private: int
    elsewhere: int  # a completed order of another community


def viewer(account: Account) -> Viewer:
    return Viewer(
        account_id=account.id, username=account.username, display_name=account.display_name,
        role=account.role, community_id=account.community_id,
    )  # fmt: skip


@pytest.fixture
def world(session_factory: sessionmaker[Session]) -> World:
    with write_session(session_factory) as s:
        c = f.community(s)
        building = f.building(s, c)
        contract = f.contract(s, c)
        contract.red_line_score = 2
        contract.reply_deadline_hours = 24
        contract.accept_deadline_hours = 24
        contract.fix_deadline_days = 7
        owner, neighbour = f.account(s, c), f.account(s, c)
        committee, manager = f.account(s, c, role="committee"), f.account(s, c, role="manager")
        other = f.community(s)
        stranger, stranger_manager = f.account(s, other), f.account(s, other, role="manager")

        def order(reporter: Account, community: Any = c, **fields: Any) -> int:
            fields.setdefault("completed_at", COMPLETED)
            return f.work_order(
                s, community, reporter_id=reporter.id, area_id=building.id if community is c
                else None, location="1栋2单元楼道", **fields,
            ).id  # fmt: skip

        return World(
            owner=viewer(owner), neighbour=viewer(neighbour), committee=viewer(committee),
            manager=viewer(manager), stranger_manager=viewer(stranger_manager),
            mine=order(owner), mine_open=order(owner, completed_at=None),
            neighbours_public=order(neighbour), neighbours_private=order(
                neighbour, visibility="private"),
            elsewhere=order(stranger, other),
        )  # fmt: skip


def counts(session_factory: sessionmaker[Session]) -> dict[str, int]:
    with session_factory() as s:
        return {t.__tablename__: s.scalar(select(func.count()).select_from(t)) or 0 for t in TABLES}


def picture(color: tuple[int, int, int] = (40, 120, 200)) -> bytes:
    out = BytesIO()
    Image.new("RGB", (64, 48), color).save(out, "JPEG")
    return out.getvalue()


def rate(
    session_factory: sessionmaker[Session], w: World, tmp_path: Path, **overrides: Any
) -> RatingResult:
    args: dict[str, Any] = dict(
        viewer=w.owner, order_id=w.mine, score_speed=5, score_attitude=5, score_quality=5,
        comment="", now=NOW, media_dir=tmp_path / "media",
    )  # fmt: skip
    args.update(overrides)
    with write_session(session_factory) as s:
        return rate_order(session=s, **args)


# --- refusals -----------------------------------------------------------------------------------
REFUSALS = [
    pytest.param({"order_id": "neighbours_private"}, "order.not_found", id="someone-elses-private"),
    pytest.param({"order_id": "neighbours_public"}, "rating.not_yours", id="someone-elses-public"),
    pytest.param({"order_id": "elsewhere"}, "order.not_found", id="another-community"),
    pytest.param({"order_id": "mine", "viewer": "manager"}, "rating.not_yours", id="manager"),
    pytest.param({"order_id": "mine", "viewer": "committee"}, "rating.not_yours", id="committee"),
    pytest.param({"order_id": "mine_open"}, "rating.not_completed", id="unfinished"),
    pytest.param({"score_speed": 0}, "rating.bad_score", id="score-0"),
    pytest.param({"score_quality": 6}, "rating.bad_score", id="score-6"),
    pytest.param({"score_attitude": "5"}, "rating.bad_score", id="score-str"),
    pytest.param({"score_speed": True}, "rating.bad_score", id="score-bool"),
    pytest.param({"score_speed": 2, "comment": "  "}, "rating.comment_required", id="low-no-comment"),
    pytest.param({"comment": "差" * 5000}, "rating.comment_too_long", id="5000-chars"),
    pytest.param({"photos": [picture()] * 7}, "rating.too_many_photos", id="7-photos"),
    pytest.param({"photos": [picture(), b"not an image"]}, "upload.bad_type", id="non-image"),
]  # fmt: skip


@pytest.mark.parametrize(("overrides", "key"), REFUSALS)
def test_refusals_write_nothing(
    session_factory: sessionmaker[Session],
    world: World,
    tmp_path: Path,
    overrides: dict[str, Any],
    key: str,
) -> None:
    args = dict(overrides)
    if isinstance(args.get("order_id"), str):
        args["order_id"] = getattr(world, args["order_id"])
    if isinstance(args.get("viewer"), str):
        args["viewer"] = getattr(world, args["viewer"])
    before = counts(session_factory)
    with pytest.raises(DomainError) as refused:
        rate(session_factory, world, tmp_path, **args)
    assert refused.value.key == key
    assert counts(session_factory) == before


def test_refusal_leaves_nothing_even_without_rollback(
    session: Session, world: World, tmp_path: Path
) -> None:
    """The command's savepoint undoes its own writes; the caller need not roll back."""
    with pytest.raises(DomainError):
        rate_order(
            session=session, viewer=world.owner, order_id=world.mine, score_speed=5,
            score_attitude=5, score_quality=5, comment="", now=NOW,
            photos=[picture(), b"not an image"], media_dir=tmp_path,
        )  # fmt: skip
    session.commit()
    assert session.scalar(select(func.count()).select_from(Rating)) == 0
    assert session.scalar(select(func.count()).select_from(Photo)) == 0


def test_twice_is_refused(
    session_factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    rate(session_factory, world, tmp_path, comment="很好")
    before = counts(session_factory)
    later = NOW + dt.timedelta(hours=1)
    for changes in ({"comment": "很好", "now": later}, {"comment": "还行", "score_speed": 4}):
        with pytest.raises(DomainError) as refused:
            rate(session_factory, world, tmp_path, **changes)
        assert refused.value.key == "rating.already_rated"
    assert counts(session_factory) == before


# --- red line -----------------------------------------------------------------------------------
def test_red_line_rating_opens_a_ticket(
    session_factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    result = rate(
        session_factory, world, tmp_path, score_attitude=2, comment="  师傅态度差  ",
        photos=[picture(), picture((200, 40, 40))],
    )  # fmt: skip
    assert result.created and result.ticket_id is not None
    with session_factory() as s:
        rating = s.get_one(Rating, result.rating_id)
        ticket = s.get_one(RectificationTicket, result.ticket_id)
        events = s.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id)).all()
        attachments = s.scalars(select(PhotoAttachment)).all()
    assert (rating.comment, rating.version) == ("师傅态度差", 1)
    assert (rating.created_at, rating.updated_at) == (NOW, NOW)
    assert rating.reply_due_at == dt.datetime(2026, 10, 3, 2, 0)  # + 24 h
    assert {
        "code": ticket.code, "source": ticket.source, "rating_id": ticket.rating_id,
        "work_order_id": ticket.work_order_id, "owner_id": ticket.owner_id,
        "title": ticket.title, "category": ticket.category, "description": ticket.description,
        "location": ticket.location, "status": ticket.status, "created_at": ticket.created_at,
        "accept_due_at": ticket.accept_due_at, "fix_due_at": ticket.fix_due_at,
    } == {
        "code": "ZGD20261002001", "source": "rating", "rating_id": rating.id,
        "work_order_id": world.mine, "owner_id": world.owner.account_id,
        "title": "差评整改:楼道漏水", "category": "plumbing", "description": "师傅态度差",
        "location": "1栋2单元楼道", "status": "submitted", "created_at": NOW,
        "accept_due_at": dt.datetime(2026, 10, 3, 2, 0),  # + 24 h
        "fix_due_at": dt.datetime(2026, 10, 9, 2, 0),  # + 7 days
    }  # fmt: skip
    assert ticket.area_id is not None
    assert [(e.from_status, e.to_status, e.occurred_at, e.actor_name, e.note) for e in events] == [
        (None, "submitted", NOW, "张三", "由差评自动生成")
    ]
    assert [(a.kind, a.rating_id) for a in attachments] == [("evidence", rating.id)] * 2


def test_good_rating_opens_no_ticket(
    session_factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    result = rate(session_factory, world, tmp_path, score_speed=3)
    assert result.created and result.ticket_id is None
    assert counts(session_factory)["rectification_tickets"] == 0


def test_ticket_codes_count_up_per_local_day(
    session_factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    with write_session(session_factory) as s:
        community = s.get_one(Community, world.owner.community_id)
        mine2 = f.work_order(
            s, community, reporter_id=world.owner.account_id, completed_at=COMPLETED
        ).id
    first = rate(session_factory, world, tmp_path, score_speed=1, comment="慢")
    # 16:30 UTC is 00:30 the next day in Shanghai: a new day, a new sequence
    second = rate(
        session_factory, world, tmp_path, order_id=mine2, score_speed=1, comment="慢",
        now=dt.datetime(2026, 10, 2, 16, 30),
    )  # fmt: skip
    with session_factory() as s:
        codes = [
            s.get_one(RectificationTicket, r.ticket_id).code for r in (first, second) if r.ticket_id
        ]
    assert codes == ["ZGD20261002001", "ZGD20261003001"]


# --- atomicity and double submits ---------------------------------------------------------------
def test_failing_ticket_leaves_no_rating(
    session_factory: sessionmaker[Session],
    world: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object, **kwargs: object) -> RectificationTicket:
        raise RuntimeError("ticket insert failed")

    monkeypatch.setattr(ratings, "_open_ticket", broken)
    before = counts(session_factory)
    with pytest.raises(RuntimeError):
        rate(session_factory, world, tmp_path, score_quality=1, comment="没修好",
             photos=[picture()])  # fmt: skip
    assert counts(session_factory) == before


def test_double_click_returns_the_first_rating(
    session_factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    first = rate(session_factory, world, tmp_path, score_speed=1, comment="太慢")
    again = rate(
        session_factory, world, tmp_path, score_speed=1, comment="太慢 ",
        now=NOW + dt.timedelta(seconds=30),
    )  # fmt: skip
    assert again == RatingResult(first.rating_id, first.ticket_id, created=False)
    assert counts(session_factory)["ratings"] == 1


def test_same_form_submitted_twice_is_one_rating(
    session_factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    """A resubmitted form (same one-time key) is the first rating, even minutes later and even
    if the browser sent changed values; a new form (new key) is a second rating and refused."""
    first = rate(
        session_factory, world, tmp_path, score_speed=1, comment="太慢", submission_key="k1"
    )
    again = rate(
        session_factory, world, tmp_path, score_speed=4, comment="还行", submission_key="k1",
        now=NOW + dt.timedelta(minutes=10),
    )  # fmt: skip
    assert again == RatingResult(first.rating_id, first.ticket_id, created=False)
    with pytest.raises(DomainError) as refused:
        rate(session_factory, world, tmp_path, score_speed=4, comment="还行", submission_key="k2",
             now=NOW + dt.timedelta(minutes=10))  # fmt: skip
    assert refused.value.key == "rating.already_rated"
    with session_factory() as s:
        stored = s.get_one(Rating, first.rating_id)
    assert (stored.score_speed, stored.comment, stored.submission_key) == (1, "太慢", "k1")
    assert counts(session_factory)["ratings"] == 1


def test_concurrent_double_submit(
    session_factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    start = threading.Barrier(2)
    outcomes: list[object] = []

    def submit() -> None:
        start.wait()
        try:
            outcomes.append(
                rate(session_factory, world, tmp_path, score_quality=2, comment="漏水没修好")
            )
        except DomainError as refused:
            outcomes.append(refused.key)
        except Exception as error:  # pragma: no cover - the failure we test against
            outcomes.append(error)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    created = [o for o in outcomes if isinstance(o, RatingResult) and o.created]
    others = [o for o in outcomes if o not in created]
    assert len(created) == 1, outcomes
    assert all(
        o == "rating.already_rated" or (isinstance(o, RatingResult) and not o.created)
        for o in others
    ), outcomes
    assert len(outcomes) == 2
    assert counts(session_factory)["ratings"] == 1
    assert counts(session_factory)["rectification_tickets"] == 1


# --- edits --------------------------------------------------------------------------------------
def edit(
    session_factory: sessionmaker[Session], who: Viewer, rating_id: int, **overrides: Any
) -> RatingResult:
    args: dict[str, Any] = dict(
        score_speed=5, score_attitude=5, score_quality=5, comment="", now=NOW,
        expected_version=1,
    )  # fmt: skip
    args.update(overrides)
    with write_session(session_factory) as s:
        return edit_rating(session=s, viewer=who, rating_id=rating_id, **args)


def test_edit_crossing_the_red_line_opens_a_ticket(
    session_factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    first = rate(session_factory, world, tmp_path, comment="不错")
    later = NOW + dt.timedelta(days=6)
    edited = edit(
        session_factory, world.owner, first.rating_id, score_quality=1, comment="又漏了",
        now=later,
    )  # fmt: skip
    assert edited.ticket_id is not None and not edited.created
    with session_factory() as s:
        rating = s.get_one(Rating, first.rating_id)
        ticket = s.get_one(RectificationTicket, edited.ticket_id)
    assert (rating.version, rating.updated_at, rating.created_at) == (2, later, NOW)
    assert (rating.score_quality, rating.comment) == (1, "又漏了")
    assert (ticket.created_at, ticket.description) == (later, "又漏了")
    # a second low edit does not open another ticket
    again = edit(
        session_factory, world.owner, first.rating_id, score_quality=2, comment="还是漏",
        now=later, expected_version=2,
    )  # fmt: skip
    assert again.ticket_id == edited.ticket_id
    assert counts(session_factory)["rectification_tickets"] == 1
    # every edit is recorded with what the rating said before it
    with session_factory() as s:
        history = s.scalars(
            select(RatingEdit)
            .where(RatingEdit.rating_id == first.rating_id)
            .order_by(RatingEdit.id)
        ).all()
    assert [
        (e.edited_at, e.edited_by_id, e.previous_speed, e.previous_attitude, e.previous_quality,
         e.previous_comment) for e in history
    ] == [
        (later, world.owner.account_id, 5, 5, 5, "不错"),
        (later, world.owner.account_id, 5, 5, 1, "又漏了"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("who", "changes", "key"),
    [
        pytest.param("owner", {"now": NOW + dt.timedelta(days=7, seconds=1)},
                     "rating.edit_window_over", id="after-7-days"),
        pytest.param("owner", {"expected_version": 0}, "rating.changed_meanwhile", id="stale"),
        pytest.param("neighbour", {}, "rating.not_yours", id="neighbour"),
        pytest.param("manager", {}, "rating.not_yours", id="manager"),
        pytest.param("stranger_manager", {}, "rating.not_found", id="another-community"),
        pytest.param("owner", {"score_speed": 1, "comment": ""}, "rating.comment_required", id="low-no-comment"),
    ],
)  # fmt: skip
def test_edit_refusals(
    session_factory: sessionmaker[Session],
    world: World,
    tmp_path: Path,
    who: str,
    changes: dict[str, Any],
    key: str,
) -> None:
    first = rate(session_factory, world, tmp_path, comment="不错")
    before = counts(session_factory)
    with pytest.raises(DomainError) as refused:
        edit(session_factory, getattr(world, who), first.rating_id, **{"comment": "改", **changes})
    assert refused.value.key == key
    assert counts(session_factory) == before
    with session_factory() as s:
        assert s.get_one(Rating, first.rating_id).version == 1


# --- replies ------------------------------------------------------------------------------------
def reply(
    session_factory: sessionmaker[Session], who: Viewer, rating_id: int, **overrides: Any
) -> Rating:
    args: dict[str, Any] = dict(reply="感谢反馈,已安排回访。", now=NOW, expected_version=1)
    args.update(overrides)
    with write_session(session_factory) as s:
        return reply_to_rating(session=s, viewer=who, rating_id=rating_id, **args)


def test_manager_replies(
    session_factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    first = rate(session_factory, world, tmp_path)
    later = NOW + dt.timedelta(hours=2)
    reply(session_factory, world.manager, first.rating_id, now=later)
    reply(session_factory, world.manager, first.rating_id, reply="补充", now=later + dt.timedelta(hours=1), expected_version=2)  # fmt: skip
    with session_factory() as s:
        rating = s.get_one(Rating, first.rating_id)
    assert (rating.reply, rating.replied_at, rating.replied_by_id, rating.version) == (
        "补充", later, world.manager.account_id, 3
    )  # fmt: skip


@pytest.mark.parametrize(
    ("who", "changes", "key"),
    [
        pytest.param("owner", {}, "rating.reply_not_allowed", id="owner"),
        pytest.param("committee", {}, "rating.reply_not_allowed", id="committee"),
        pytest.param("stranger_manager", {}, "rating.not_found", id="other-community"),
        pytest.param("manager", {"expected_version": 7}, "rating.changed_meanwhile", id="stale"),
        pytest.param("manager", {"reply": "   "}, "rating.reply_required", id="empty"),
        pytest.param("manager", {"reply": "好" * 1001}, "rating.reply_too_long", id="too-long"),
    ],
)
def test_reply_refusals(
    session_factory: sessionmaker[Session],
    world: World,
    tmp_path: Path,
    who: str,
    changes: dict[str, Any],
    key: str,
) -> None:
    first = rate(session_factory, world, tmp_path)
    with pytest.raises(DomainError) as refused:
        reply(session_factory, getattr(world, who), first.rating_id, **changes)
    assert refused.value.key == key
    with session_factory() as s:
        rating = s.get_one(Rating, first.rating_id)
    assert (rating.reply, rating.replied_at, rating.version) == ("", None, 1)
