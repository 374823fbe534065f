"""Property-based tests of the rating and ticket commands with random input (hypothesis): a
command either succeeds or refuses with a ``DomainError`` — never another exception — and a
refusal leaves nothing behind in the caller's session."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from data_access.errors import DomainError
from data_access.models import (
    WORK_ORDER_CATEGORIES,
    Photo,
    PhotoAttachment,
    Rating,
    RatingEdit,
    RectificationTicket,
    TicketEvent,
)
from data_access.tickets import ticket_commands as commands
from data_access.tickets.ratings import rate_order
from tests.data_access.test_ratings import NOW, World, world  # noqa: F401  (fixture)

TABLES = (Rating, RatingEdit, RectificationTicket, TicketEvent, Photo, PhotoAttachment)
PROPERTY_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scores = st.one_of(
    st.integers(min_value=-2, max_value=8),
    st.booleans(),
    st.none(),
    st.text(max_size=2),
    st.floats(allow_nan=True),
)
texts = st.one_of(
    st.text(max_size=40),
    st.text(min_size=990, max_size=1100),
    st.sampled_from(["<script>alert(1)</script>", "   ", "差" * 5000, "\x00\u202e"]),
)
who = st.sampled_from(["owner", "neighbour", "committee", "manager", "stranger_manager"])
photos = st.lists(st.binary(max_size=40), max_size=7)


def counts(session: Session) -> dict[str, int]:
    return {
        t.__tablename__: session.scalar(select(func.count()).select_from(t)) or 0 for t in TABLES
    }


def attempt(session: Session, command: Any, **arguments: Any) -> bool:
    """Run ``command``; True if it wrote, False if it refused — and then nothing changed."""
    before = counts(session)
    try:
        command(session=session, **arguments)
    except DomainError:
        assert counts(session) == before
        return False
    return True


@PROPERTY_SETTINGS
@given(
    viewer=who,
    order=st.sampled_from(["mine", "mine_open", "neighbours_public", "neighbours_private",
                           "elsewhere"]),
    speed=scores, attitude=scores, quality=scores, comment=texts, files=photos,
)  # fmt: skip
def test_rate_order_refuses_or_rates(
    session_factory: sessionmaker[Session],
    world: World,  # noqa: F811
    tmp_path: Path,
    viewer: str,
    order: str,
    speed: Any,
    attitude: Any,
    quality: Any,
    comment: str,
    files: list[bytes],
) -> None:
    with session_factory() as session:
        wrote = attempt(
            session, rate_order, viewer=getattr(world, viewer), order_id=getattr(world, order),
            score_speed=speed, score_attitude=attitude, score_quality=quality, comment=comment,
            photos=files, now=NOW, media_dir=tmp_path,
        )  # fmt: skip
        if wrote:  # only one's own completed order, with valid scores, can be rated
            own_completed = {("owner", "mine"), ("neighbour", "neighbours_public"),
                             ("neighbour", "neighbours_private")}  # fmt: skip
            assert (viewer, order) in own_completed
            assert all(type(s) is int and 1 <= s <= 5 for s in (speed, attitude, quality))
            assert files == []  # random bytes are never a picture
        session.rollback()


MOVES = {
    "accept": (commands.accept_ticket, {}),
    "reject": (commands.reject_ticket, {"reason": "text"}),
    "start": (commands.start_work, {}),
    "progress": (commands.post_progress, {"note": "text", "photos": "files"}),
    "request": (commands.request_confirmation, {"note": "text"}),
    "confirm": (commands.confirm_fix, {}),
    "reopen": (commands.reopen_ticket, {"reason": "text"}),
}


@PROPERTY_SETTINGS
@given(
    title=texts,
    category=st.one_of(st.sampled_from(WORK_ORDER_CATEGORIES), st.text(max_size=12)),
    opener=who,
    steps=st.lists(
        st.tuples(who, st.sampled_from(sorted(MOVES)), texts, photos,
                  st.one_of(st.none(), st.integers(min_value=0, max_value=4))),
        max_size=8,
    ),
)  # fmt: skip
def test_ticket_commands_refuse_or_move(
    session_factory: sessionmaker[Session],
    world: World,  # noqa: F811
    tmp_path: Path,
    title: str,
    category: str,
    opener: str,
    steps: list[tuple[str, str, str, list[bytes], int | None]],
) -> None:
    with session_factory() as session:
        owner_for = world.owner.account_id if opener.endswith("manager") else None
        before = counts(session)
        ticket_id: int | None  # None only when the refusal left no ticket to move
        try:
            ticket_id = commands.open_ticket(
                session=session, viewer=getattr(world, opener), title=title, category=category,
                description="", on_behalf_of_account_id=owner_for, media_dir=tmp_path, now=NOW,
            )  # fmt: skip
        except DomainError:
            assert counts(session) == before
            ticket_id = session.scalar(select(func.min(RectificationTicket.id)))
            if ticket_id is None:  # nothing to move; the refusal was the property under test
                session.rollback()
                return
        for i, (actor, move, text, files, version) in enumerate(steps):
            command, extra = MOVES[move]
            arguments: dict[str, Any] = {
                "viewer": getattr(world, actor), "ticket_id": ticket_id,
                "now": NOW + dt.timedelta(minutes=i + 1), "expected_version": version,
            }  # fmt: skip
            for name, source in extra.items():
                arguments[name] = text if source == "text" else files
            if "photos" in arguments:
                arguments["media_dir"] = tmp_path
            ticket = session.get_one(RectificationTicket, ticket_id)
            status, ticket_version = ticket.status, ticket.version
            if attempt(session, command, **arguments):
                session.refresh(ticket)
                assert ticket.version == ticket_version + 1
                assert getattr(world, actor).community_id == ticket.community_id
            else:
                session.refresh(ticket)
                assert (ticket.status, ticket.version) == (status, ticket_version)
        session.rollback()
