"""Many writers at once (issue 7): 20 threads for 10 s on each engine.

Half the threads are owners rating their own completed orders and then editing those ratings;
the other half are managers posting progress on their own tickets. No two threads share a row,
so every attempt must succeed: afterwards every successful write is present exactly once, every
version counts exactly the successful updates (no lost update), and no thread met any error —
in particular no "database is locked" on SQLite. Long-running: about 10 s per engine.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from data_access.accounts.auth import Viewer
from data_access.db import make_engine, make_session_factory, migrate, write_session
from data_access.models import Account, Rating, RatingEdit, RectificationTicket, TicketEvent
from data_access.tickets import ratings
from data_access.tickets import ticket_commands as tc
from tests.data_access import factories as f
from tests.data_access.factories import T0
from tests.support.postgres import PostgresServer

DURATION_SECONDS = 10.0  # from the issue
RATERS = 10
PROGRESSERS = 10
ORDERS_PER_RATER = 40  # more than a rater can use: it rates a new one every other step
NOW = T0 + dt.timedelta(days=1)
_names = (f"security_concurrency_{n}" for n in itertools.count())


@dataclass
class Tally:
    rated: list[int] = field(default_factory=list)  # rating ids, in order of creation
    edits: dict[int, int] = field(default_factory=dict)  # rating id → successful edits
    progress: int = 0
    errors: list[BaseException] = field(default_factory=list)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('concurrency') / 'writers.db'}"
    else:
        server: PostgresServer = request.getfixturevalue("postgres_server")
        url = server.create_database(next(_names))
    engine = make_engine(url)  # as the app makes it
    migrate(engine)
    yield engine
    engine.dispose()


def _viewer(account: Account) -> Viewer:
    return Viewer(
        account_id=account.id, username=account.username, display_name=account.username,
        role=account.role, community_id=account.community_id,
    )  # fmt: skip


def _build(
    factory: sessionmaker[Session],
) -> tuple[list[tuple[Viewer, list[int]]], list[tuple[Viewer, int]]]:
    """Raters (an owner and their completed orders) and progressers (a manager and a ticket)."""
    with write_session(factory) as session:
        c = f.community(session)
        # Every owner edits many times at one moment: lift the per-hour edit limit (spam).
        f.contract(session, c).max_rating_edits_per_hour = 1_000_000
        raters = []
        for _ in range(RATERS):
            owner = f.account(session, c, "owner")
            orders = [
                f.work_order(
                    session, c, completed_at=T0 + dt.timedelta(hours=5), reporter_id=owner.id
                ).id
                for _ in range(ORDERS_PER_RATER)
            ]
            raters.append((_viewer(owner), orders))
        progressers = []
        for _ in range(PROGRESSERS):
            manager = f.account(session, c, "manager")
            moves = (
                ("accepted", T0 + dt.timedelta(hours=1)),
                ("in_progress", T0 + dt.timedelta(hours=2)),
            )
            ticket = f.rectification_ticket(session, c, moves=moves)
            progressers.append((_viewer(manager), ticket.id))
    return raters, progressers


def _rater(
    factory: sessionmaker[Session], viewer: Viewer, orders: list[int], tally: Tally, stop: float
) -> None:
    versions: dict[int, int] = {}
    step = 0
    try:
        while time.monotonic() < stop:
            step += 1
            if orders and (step % 2 == 1 or not tally.rated):
                with write_session(factory) as session:
                    result = ratings.rate_order(
                        session=session, viewer=viewer, order_id=orders.pop(), score_speed=5,
                        score_attitude=5, score_quality=4, comment=f"第{step}次", now=NOW,
                    )  # fmt: skip
                assert result.created
                tally.rated.append(result.rating_id)
                tally.edits[result.rating_id] = 0
                versions[result.rating_id] = 1
                continue
            rating_id = tally.rated[step % len(tally.rated)]
            with write_session(factory) as session:
                ratings.edit_rating(
                    session=session, viewer=viewer, rating_id=rating_id, score_speed=4,
                    score_attitude=5, score_quality=3 + step % 3, comment=f"改{step}", now=NOW,
                    expected_version=versions[rating_id],
                )  # fmt: skip
            versions[rating_id] += 1
            tally.edits[rating_id] += 1
    except BaseException as error:  # every error is a finding
        tally.errors.append(error)


def _progresser(
    factory: sessionmaker[Session], viewer: Viewer, ticket_id: int, tally: Tally, stop: float
) -> None:
    step = 0
    try:
        while time.monotonic() < stop:
            step += 1
            with factory() as session:  # what the page read before the manager pressed the button
                version = session.get_one(RectificationTicket, ticket_id).version
            with write_session(factory) as session:
                tc.post_progress(
                    session=session, viewer=viewer, ticket_id=ticket_id, note=f"进展{step}",
                    now=NOW, expected_version=version,
                )  # fmt: skip
            tally.progress += 1
    except BaseException as error:  # every error is a finding
        tally.errors.append(error)


def test_twenty_writers_for_ten_seconds(engine: Engine) -> None:
    factory = make_session_factory(engine)
    raters, progressers = _build(factory)
    with factory() as session:
        initial_events = {
            t: session.execute(select(func.count()).where(TicketEvent.ticket_id == t)).scalar_one()
            for _, t in progressers
        }
        initial_versions = {
            t: session.get_one(RectificationTicket, t).version for _, t in progressers
        }

    tallies = [Tally() for _ in range(RATERS + PROGRESSERS)]
    stop = time.monotonic() + DURATION_SECONDS
    threads = [
        threading.Thread(target=_rater, args=(factory, v, orders, tallies[i], stop))
        for i, (v, orders) in enumerate(raters)
    ] + [
        threading.Thread(target=_progresser, args=(factory, v, t, tallies[RATERS + i], stop))
        for i, (v, t) in enumerate(progressers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    errors = [repr(e) for tally in tallies for e in tally.errors]
    assert errors == []  # no "database is locked", no "changed meanwhile", nothing
    assert all(t.rated for t in tallies[:RATERS]) and all(t.progress for t in tallies[RATERS:])

    with factory() as session:
        # Ratings: each successful rating once, each successful edit once, versions exact.
        rating_ids = [r for t in tallies[:RATERS] for r in t.rated]
        stored = session.scalars(select(Rating)).all()
        assert sorted(r.id for r in stored) == sorted(rating_ids)
        assert len({(r.work_order_id, r.owner_id) for r in stored}) == len(stored)
        edits = {r: n for t in tallies[:RATERS] for r, n in t.edits.items()}
        assert {r.id: r.version for r in stored} == {r: 1 + n for r, n in edits.items()}
        edit_rows = dict(
            session.execute(
                select(RatingEdit.rating_id, func.count()).group_by(RatingEdit.rating_id)
            ).all()
        )
        assert edit_rows == {r: n for r, n in edits.items() if n}
        # Tickets: every progress note is one event, and the version counts them all.
        for (_, ticket_id), tally in zip(progressers, tallies[RATERS:], strict=True):
            events = session.scalar(select(func.count()).where(TicketEvent.ticket_id == ticket_id))
            ticket = session.get_one(RectificationTicket, ticket_id)
            assert events == initial_events[ticket_id] + tally.progress
            assert ticket.version == initial_versions[ticket_id] + tally.progress
            assert ticket.status == "in_progress"
