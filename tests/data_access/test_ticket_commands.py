"""Rectification ticket commands: who may do which move, deadlines, auto-close, races."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
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
    PhotoAttachment,
    RectificationTicket,
    TicketEvent,
)
from data_access.tickets import ticket_commands as tc
from tests.data_access import factories as f
from tests.data_access.factories import T0

LATER = T0 + dt.timedelta(days=1)


# --- a small world ------------------------------------------------------------------------------
@dataclass
class World:
    community: Community
    viewers: dict[str, Viewer]  # owner, other_owner, committee, manager, foreign_manager


def _viewer(account: Account, name: str) -> Viewer:
    return Viewer(
        account_id=account.id, username=account.username, display_name=name, role=account.role,
        community_id=account.community_id,
    )  # fmt: skip


def _world(session: Session, **contract_fields: int) -> World:
    c = f.community(session)
    contract = f.contract(session, c)
    for field, value in contract_fields.items():
        setattr(contract, field, value)
    other = f.community(session)
    accounts = {
        "owner": (f.account(session, c, "owner"), "业主甲"),
        "other_owner": (f.account(session, c, "owner"), "业主乙"),
        "committee": (f.account(session, c, "committee"), "业委会丙"),
        "manager": (f.account(session, c, "manager"), "经理丁"),
        "foreign_manager": (f.account(session, other, "manager"), "外区经理"),
    }
    session.flush()
    return World(c, {role: _viewer(a, name) for role, (a, name) in accounts.items()})


PATHS: dict[str, tuple[str, ...]] = {
    "submitted": (),
    "accepted": ("accepted",),
    "rejected": ("rejected",),
    "in_progress": ("accepted", "in_progress"),
    "awaiting_confirmation": ("accepted", "in_progress", "awaiting_confirmation"),
    "closed": ("accepted", "in_progress", "awaiting_confirmation", "closed"),
}


def _ticket_at(
    session: Session, world: World, status: str, owner: str = "owner"
) -> RectificationTicket:
    """A ticket of ``owner`` that walked the main path to ``status``, one hour per move."""
    moves = tuple((s, T0 + dt.timedelta(hours=i + 1)) for i, s in enumerate(PATHS[status]))
    ticket = f.rectification_ticket(session, world.community, moves=moves)
    ticket.owner_id = world.viewers[owner].account_id
    session.flush()
    return ticket


def _events(session: Session, ticket_id: int) -> list[tuple[str | None, str]]:
    return [
        (e.from_status, e.to_status)
        for e in session.scalars(
            select(TicketEvent).where(TicketEvent.ticket_id == ticket_id).order_by(TicketEvent.id)
        )
    ]


def _png(colour: str = "green") -> bytes:
    out = BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "PNG")
    return out.getvalue()


# --- the matrix: every move × every role --------------------------------------------------------
Command = Callable[..., TicketEvent]


@dataclass(frozen=True)
class Move:
    name: str
    command: Command
    from_status: str
    to_status: str
    by: str  # "manager" or "owner"
    kwargs: dict[str, Any]


MOVES = (
    Move("accept", tc.accept_ticket, "submitted", "accepted", "manager", {}),
    Move("reject", tc.reject_ticket, "submitted", "rejected", "manager", {"reason": "不属于物业范围"}),
    Move("start", tc.start_work, "accepted", "in_progress", "manager", {}),
    Move("progress", tc.post_progress, "in_progress", "in_progress", "manager", {"note": "已清理"}),
    Move("ready", tc.request_confirmation, "in_progress", "awaiting_confirmation", "manager", {}),
    Move("confirm", tc.confirm_fix, "awaiting_confirmation", "closed", "owner", {}),
    Move("reopen", tc.reopen_ticket, "awaiting_confirmation", "in_progress", "owner",
         {"reason": "还是有异味"}),
)  # fmt: skip
ROLES = ("owner", "other_owner", "committee", "manager", "foreign_manager")


def _expected_refusal(move: Move, role: str) -> str | None:
    if role == "foreign_manager":
        return "ticket.not_found"
    if move.by == "manager":
        return None if role == "manager" else "ticket.managers_only"
    return None if role == "owner" else "ticket.owner_only"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("move", MOVES, ids=lambda m: m.name)
def test_every_move_by_every_role(session: Session, move: Move, role: str) -> None:
    world = _world(session)
    ticket = _ticket_at(session, world, move.from_status)
    before = _events(session, ticket.id)
    refusal = _expected_refusal(move, role)
    call = dict(
        session=session, viewer=world.viewers[role], ticket_id=ticket.id, now=LATER,
        expected_version=1, **move.kwargs,
    )  # fmt: skip
    if refusal is None:
        event = move.command(**call)
        assert (event.from_status, event.to_status) == (move.from_status, move.to_status)
        assert event.actor_name == world.viewers[role].display_name
        assert event.actor_account_id == world.viewers[role].account_id
        assert _events(session, ticket.id) == [*before, (move.from_status, move.to_status)]
        assert (ticket.status, ticket.version) == (move.to_status, 2)
    else:
        with pytest.raises(DomainError) as error:
            move.command(**call)
        assert error.value.key == refusal
        assert _events(session, ticket.id) == before
        session.refresh(ticket)
        assert (ticket.status, ticket.version) == (move.from_status, 1)


def test_moves_set_their_timestamps_and_reason(session: Session) -> None:
    world = _world(session)
    manager, owner = world.viewers["manager"], world.viewers["owner"]
    ticket = _ticket_at(session, world, "submitted")
    tc.accept_ticket(session=session, viewer=manager, ticket_id=ticket.id, now=LATER)
    assert ticket.accepted_at == LATER
    ticket = _ticket_at(session, world, "awaiting_confirmation")
    tc.confirm_fix(session=session, viewer=owner, ticket_id=ticket.id, now=LATER)
    assert (ticket.closed_at, ticket.auto_closed) == (LATER, False)
    ticket = _ticket_at(session, world, "submitted")
    event = tc.reject_ticket(
        session=session, viewer=manager, ticket_id=ticket.id, reason="  属于市政管辖  ", now=LATER
    )
    assert (ticket.reject_reason, event.note) == ("属于市政管辖", "属于市政管辖")


def test_a_committee_member_confirms_their_own_ticket(session: Session) -> None:
    world = _world(session)
    ticket = _ticket_at(session, world, "awaiting_confirmation", owner="committee")
    tc.confirm_fix(
        session=session, viewer=world.viewers["committee"], ticket_id=ticket.id, now=LATER
    )
    assert ticket.status == "closed"


# --- the state machine --------------------------------------------------------------------------
FORBIDDEN = (
    ("confirm", "submitted"),  # submitted → closed
    ("start", "closed"),  # closed → in_progress
    ("start", "awaiting_confirmation"),  # a manager cannot reopen for the owner
    ("reopen", "in_progress"),
    ("accept", "accepted"),
    ("accept", "rejected"),
    ("reject", "in_progress"),
    ("progress", "accepted"),
    ("ready", "accepted"),
    ("ready", "awaiting_confirmation"),
    ("confirm", "closed"),
)


@pytest.mark.parametrize(("name", "status"), FORBIDDEN)
def test_forbidden_moves_are_refused(session: Session, name: str, status: str) -> None:
    move = next(m for m in MOVES if m.name == name)
    world = _world(session)
    ticket = _ticket_at(session, world, status)
    before = _events(session, ticket.id)
    with pytest.raises(DomainError) as error:
        move.command(
            session=session, viewer=world.viewers[move.by], ticket_id=ticket.id, now=LATER,
            **move.kwargs,
        )  # fmt: skip
    assert error.value.key == "ticket.bad_transition"
    assert error.value.params == {"current": status, "target": move.to_status}
    assert _events(session, ticket.id) == before
    assert ticket.status == status


def test_bad_transition_shows_labels(session: Session) -> None:
    error = tc.TicketTransitionError("submitted", "closed")
    assert error.message("zh") == "整改单不能从“待受理”转到“已关闭”。"
    assert error.message("en") == "The ticket cannot move from 'Submitted' to 'Closed'."


@pytest.mark.parametrize("reason", ["", "   ", "x", "长" * 501])
@pytest.mark.parametrize("name", ["reject", "reopen"])
def test_reject_and_reopen_need_a_reason(session: Session, name: str, reason: str) -> None:
    move = next(m for m in MOVES if m.name == name)
    world = _world(session)
    ticket = _ticket_at(session, world, move.from_status)
    before = _events(session, ticket.id)
    with pytest.raises(DomainError) as error:
        move.command(
            session=session, viewer=world.viewers[move.by], ticket_id=ticket.id, now=LATER,
            reason=reason,
        )  # fmt: skip
    assert error.value.key == "ticket.reason_invalid"
    assert _events(session, ticket.id) == before
    assert ticket.reject_reason == ""


def test_progress_needs_a_note(session: Session) -> None:
    world = _world(session)
    ticket = _ticket_at(session, world, "in_progress")
    with pytest.raises(DomainError) as error:
        tc.post_progress(
            session=session, viewer=world.viewers["manager"], ticket_id=ticket.id, note=" ",
            now=LATER,
        )  # fmt: skip
    assert error.value.key == "ticket.note_required"


def test_an_outdated_version_is_refused(session: Session) -> None:
    world = _world(session)
    ticket = _ticket_at(session, world, "submitted")
    manager = world.viewers["manager"]
    tc.accept_ticket(
        session=session, viewer=manager, ticket_id=ticket.id, now=LATER, expected_version=1
    )
    with pytest.raises(DomainError) as error:
        tc.start_work(
            session=session, viewer=manager, ticket_id=ticket.id, now=LATER, expected_version=1
        )
    assert error.value.key == "ticket.changed_meanwhile"
    assert len(_events(session, ticket.id)) == 2


def test_an_unknown_ticket_is_not_found(session: Session) -> None:
    world = _world(session)
    with pytest.raises(DomainError) as error:
        tc.accept_ticket(session=session, viewer=world.viewers["manager"], ticket_id=999, now=LATER)
    assert error.value.key == "ticket.not_found"


# --- photos -------------------------------------------------------------------------------------
def _attachments(session: Session, ticket_id: int) -> list[tuple[str, int | None]]:
    return [
        (a.kind, a.ticket_event_id)
        for a in session.scalars(
            select(PhotoAttachment)
            .where(PhotoAttachment.ticket_id == ticket_id)
            .order_by(PhotoAttachment.id)
        )
    ]


def test_progress_and_ready_photos_attach_to_their_events(session: Session, tmp_path: Path) -> None:
    world = _world(session)
    manager = world.viewers["manager"]
    ticket = _ticket_at(session, world, "in_progress")
    during = tc.post_progress(
        session=session, viewer=manager, ticket_id=ticket.id, note="已清理一半", now=LATER,
        photos=[_png("red")], media_dir=tmp_path,
    )  # fmt: skip
    after = tc.request_confirmation(
        session=session, viewer=manager, ticket_id=ticket.id, now=LATER,
        photos=[_png("blue"), _png("white")], media_dir=tmp_path,
    )  # fmt: skip
    assert _attachments(session, ticket.id) == [
        ("during", during.id), ("after", after.id), ("after", after.id)
    ]  # fmt: skip


def test_too_many_progress_photos_are_refused(session: Session, tmp_path: Path) -> None:
    world = _world(session)
    ticket = _ticket_at(session, world, "in_progress")
    with pytest.raises(DomainError) as error:
        tc.post_progress(
            session=session, viewer=world.viewers["manager"], ticket_id=ticket.id, note="进展",
            now=LATER, photos=[_png()] * 7, media_dir=tmp_path,
        )  # fmt: skip
    assert error.value.key == "ticket.too_many_photos"
    assert len(_events(session, ticket.id)) == 3


def test_a_bad_photo_writes_nothing(session: Session, tmp_path: Path) -> None:
    world = _world(session)
    ticket = _ticket_at(session, world, "in_progress")
    with pytest.raises(DomainError) as error:
        tc.post_progress(
            session=session, viewer=world.viewers["manager"], ticket_id=ticket.id, note="进展",
            now=LATER, photos=[_png(), b"not a picture"], media_dir=tmp_path,
        )  # fmt: skip
    assert error.value.key.startswith("upload.")
    assert len(_events(session, ticket.id)) == 3
    assert _attachments(session, ticket.id) == []
    session.refresh(ticket)
    assert ticket.version == 1


# --- opening ------------------------------------------------------------------------------------
def _open(session: Session, viewer: Viewer, **kw: Any) -> int:
    values: dict[str, Any] = dict(
        title="垃圾桶满溢", category="cleaning", description="3栋门口垃圾桶每天傍晚满溢", now=T0
    )
    values.update(kw)
    return tc.open_ticket(session=session, viewer=viewer, **values)


def test_an_owner_opens_a_ticket_with_deadlines_from_the_contract(
    session: Session, tmp_path: Path
) -> None:
    world = _world(session)  # contract: accept 24 h, fix 7 days
    owner = world.viewers["owner"]
    ticket_id = _open(session, owner, photos=[_png(), _png("red")], media_dir=tmp_path)
    ticket = session.get_one(RectificationTicket, ticket_id)
    assert (ticket.source, ticket.owner_id, ticket.opened_by_id) == (
        "owner",
        owner.account_id,
        None,
    )
    assert (ticket.status, ticket.version, ticket.created_at) == ("submitted", 1, T0)
    assert ticket.accept_due_at == dt.datetime(2026, 10, 2, 2, 0)  # T0 + 24 h
    assert ticket.fix_due_at == dt.datetime(2026, 10, 8, 2, 0)  # T0 + 7 days
    assert ticket.code == "ZGD20261001001"  # local date of T0 (10:00 in Shanghai)
    event = session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id)).one()
    assert (event.from_status, event.to_status, event.actor_name) == (None, "submitted", "业主甲")
    assert _attachments(session, ticket_id) == [("before", event.id), ("before", event.id)]


def test_deadlines_follow_the_contracts_settings(session: Session) -> None:
    world = _world(session, accept_deadline_hours=12, fix_deadline_days=3)
    ticket = session.get_one(RectificationTicket, _open(session, world.viewers["committee"]))
    assert ticket.accept_due_at == dt.datetime(2026, 10, 1, 14, 0)
    assert ticket.fix_due_at == dt.datetime(2026, 10, 4, 2, 0)


def test_without_a_contract_in_force_the_defaults_apply(session: Session) -> None:
    world = _world(session)
    now = dt.datetime(2027, 3, 1, 2, 0)  # the 2026 contract has ended
    ticket = session.get_one(RectificationTicket, _open(session, world.viewers["owner"], now=now))
    assert ticket.accept_due_at == now + dt.timedelta(hours=24)
    assert ticket.fix_due_at == now + dt.timedelta(days=7)


def test_codes_are_numbered_per_local_day_and_community(session: Session) -> None:
    world = _world(session)
    other = _world(session)
    owner = world.viewers["owner"]
    evening = dt.datetime(2026, 10, 1, 17, 0)  # 01:00 on 2 Oct in Shanghai
    ids = [_open(session, owner), _open(session, owner), _open(session, owner, now=evening)]
    ids.append(_open(session, other.viewers["owner"]))
    codes = [session.get_one(RectificationTicket, i).code for i in ids]
    assert codes == ["ZGD20261001001", "ZGD20261001002", "ZGD20261002001", "ZGD20261001001"]


def test_a_manager_opens_on_an_owners_behalf(session: Session) -> None:
    world = _world(session)
    manager, owner = world.viewers["manager"], world.viewers["owner"]
    ticket_id = _open(session, manager, on_behalf_of_account_id=owner.account_id)
    ticket = session.get_one(RectificationTicket, ticket_id)
    assert (ticket.source, ticket.owner_id, ticket.opened_by_id) == (
        "on_behalf", owner.account_id, manager.account_id
    )  # fmt: skip
    event = session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id)).one()
    assert (event.actor_name, event.actor_account_id) == ("经理丁", manager.account_id)
    # …and the owner, not the manager, confirms it in the end
    tc.accept_ticket(session=session, viewer=manager, ticket_id=ticket_id, now=LATER)
    tc.start_work(session=session, viewer=manager, ticket_id=ticket_id, now=LATER)
    tc.request_confirmation(session=session, viewer=manager, ticket_id=ticket_id, now=LATER)
    tc.confirm_fix(session=session, viewer=owner, ticket_id=ticket_id, now=LATER)
    assert ticket.status == "closed"


def _ticket_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(RectificationTicket)) or 0


OPEN_REFUSALS: tuple[tuple[str, dict[str, Any], str], ...] = (
    ("manager", {}, "ticket.owner_required"),
    ("manager", {"on_behalf_of_account_id": "foreign_manager"}, "ticket.owner_invalid"),
    ("manager", {"on_behalf_of_account_id": "manager"}, "ticket.owner_invalid"),
    ("owner", {"on_behalf_of_account_id": "other_owner"}, "ticket.open_not_allowed"),
    ("owner", {"title": "  "}, "ticket.title_invalid"),
    ("owner", {"title": "长" * 201}, "ticket.title_invalid"),
    ("owner", {"description": "长" * 2001}, "ticket.description_too_long"),
    ("owner", {"location": "长" * 201}, "ticket.location_too_long"),
    ("owner", {"category": "nope"}, "ticket.category_invalid"),
    ("owner", {"photos": [b"x"] * 7}, "ticket.too_many_photos"),
    ("owner", {"photos": [b"not a picture"]}, "upload.bad_type"),
)


@pytest.mark.parametrize(("role", "kw", "key"), OPEN_REFUSALS)
def test_opening_refusals_write_nothing(
    session: Session, tmp_path: Path, role: str, kw: dict[str, Any], key: str
) -> None:
    world = _world(session)
    kw = {
        k: world.viewers[v].account_id if k == "on_behalf_of_account_id" else v
        for k, v in kw.items()
    }
    before = _ticket_count(session)
    with pytest.raises(DomainError) as error:
        _open(session, world.viewers[role], media_dir=tmp_path, **kw)
    assert error.value.key == key
    assert _ticket_count(session) == before
    assert session.scalar(select(func.count()).select_from(TicketEvent)) == 0


def test_invisible_characters_are_removed_from_what_the_owner_typed(session: Session) -> None:
    world = _world(session)
    ticket_id = _open(
        session, world.viewers["owner"], title="照片\u202egnp.exe", location="3栋\u200b门口",
        description="\u2066张\u200b三\u2069家门口",
    )  # fmt: skip
    ticket = session.get_one(RectificationTicket, ticket_id)
    assert (ticket.title, ticket.location, ticket.description) == (
        "照片gnp.exe",
        "3栋门口",
        "张三家门口",
    )


def test_an_area_of_another_community_is_refused(session: Session) -> None:
    world = _world(session)
    foreign_area = f.building(session, f.community(session))
    with pytest.raises(DomainError) as error:
        _open(session, world.viewers["owner"], area_id=foreign_area.id)
    assert error.value.key == "ticket.area_invalid"


# --- auto-close ---------------------------------------------------------------------------------
def test_auto_close_exactly_after_n_days(session: Session) -> None:
    world = _world(session, auto_close_days=5)
    ticket = _ticket_at(session, world, "awaiting_confirmation")  # entered at T0 + 3 h
    due = T0 + dt.timedelta(hours=3, days=5)
    assert tc.auto_close_due_tickets(session=session, now=due - dt.timedelta(minutes=1)) == 0
    assert ticket.status == "awaiting_confirmation"
    assert tc.auto_close_due_tickets(session=session, now=due) == 1
    assert (ticket.status, ticket.closed_at, ticket.auto_closed) == ("closed", due, True)
    last = session.scalars(
        select(TicketEvent)
        .where(TicketEvent.ticket_id == ticket.id)
        .order_by(TicketEvent.id.desc())
    ).first()
    assert last is not None
    assert (last.from_status, last.to_status, last.actor_name, last.note) == (
        "awaiting_confirmation", "closed", "系统", "业主 5 天未确认,系统自动关闭"
    )  # fmt: skip
    assert tc.auto_close_due_tickets(session=session, now=due + dt.timedelta(days=1)) == 0


def test_auto_close_counts_from_the_latest_request(session: Session) -> None:
    """Reopened and asked again: the owner gets the full N days from the second request."""
    world = _world(session, auto_close_days=5)
    second = T0 + dt.timedelta(days=2)
    moves = (
        ("accepted", T0 + dt.timedelta(hours=1)), ("in_progress", T0 + dt.timedelta(hours=2)),
        ("awaiting_confirmation", T0 + dt.timedelta(hours=3)), ("in_progress", T0 + dt.timedelta(days=1)),
        ("awaiting_confirmation", second),
    )  # fmt: skip
    ticket = f.rectification_ticket(session, world.community, moves=moves)
    assert tc.auto_close_due_tickets(session=session, now=T0 + dt.timedelta(days=6)) == 0
    assert tc.auto_close_due_tickets(session=session, now=second + dt.timedelta(days=5)) == 1
    assert ticket.auto_closed


def test_auto_close_leaves_other_statuses_alone(session: Session) -> None:
    world = _world(session)
    for status in ("submitted", "accepted", "in_progress", "rejected", "closed"):
        _ticket_at(session, world, status)
    assert tc.auto_close_due_tickets(session=session, now=T0 + dt.timedelta(days=60)) == 0


# --- two managers at once -----------------------------------------------------------------------
def _race(
    factory: sessionmaker[Session], ticket_id: int, calls: tuple[Callable[[Session], Any], ...]
) -> list[object]:
    """Each call runs in its own thread, session and write transaction, at the same moment.
    Returns what each got: the event id or the refusal's key."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def writer(i: int) -> None:
        barrier.wait()
        try:
            with write_session(factory) as s:
                results[i] = calls[i](s).id
        except DomainError as error:
            results[i] = error.key
        except Exception as error:  # surfaced by the assertions below
            results[i] = error

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.parametrize("second", ["accept", "reject"])
def test_two_managers_on_the_same_version_only_one_wins(
    session_factory: sessionmaker[Session], second: str
) -> None:
    with write_session(session_factory) as s:
        world = _world(s)
        colleague = f.account(s, world.community, "manager")
        ticket_id = _ticket_at(s, world, "submitted").id
        first_viewer, second_viewer = world.viewers["manager"], _viewer(colleague, "经理戊")

    def accept(s: Session) -> TicketEvent:
        return tc.accept_ticket(
            session=s, viewer=first_viewer, ticket_id=ticket_id, now=LATER, expected_version=1
        )

    def other(s: Session) -> TicketEvent:
        if second == "accept":
            return tc.accept_ticket(
                session=s, viewer=second_viewer, ticket_id=ticket_id, now=LATER, expected_version=1
            )
        return tc.reject_ticket(
            session=s, viewer=second_viewer, ticket_id=ticket_id, reason="重复提交", now=LATER,
            expected_version=1,
        )  # fmt: skip

    results = _race(session_factory, ticket_id, (accept, other))
    assert sum(isinstance(r, int) for r in results) == 1, results
    assert [r for r in results if not isinstance(r, int)] == ["ticket.changed_meanwhile"]
    with session_factory() as s:
        assert len(_events(s, ticket_id)) == 2  # the opening and the winner's move
        ticket = s.get_one(RectificationTicket, ticket_id)
        assert ticket.version == 2
        assert ticket.status in ("accepted", "rejected")
