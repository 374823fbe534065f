"""The database goes away mid-session and comes back (issue 7), on a PostgreSQL server of its
own (the shared test server must stay up for the other tests).

1. Logged in, the server stops: the next run shows the friendly "temporarily unavailable"
   message, not a traceback; once the server is back, the next run shows the page again.
2. The server stops in the middle of opening a ticket (between the ticket's INSERT and its
   opening event's): the command fails as an outage, and after the restart there is no ticket
   without its opening event.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from sqlalchemy import event, func, select
from streamlit.testing.v1 import AppTest

from data_access.accounts.auth import hash_password, load_viewer
from data_access.db import make_engine, make_session_factory, migrate, write_session
from data_access.errors import is_database_outage
from data_access.models import RectificationTicket, TicketEvent
from data_access.tickets import ticket_commands as tc
from i18n import translate
from tests.data_access import factories as f
from tests.pages.conftest import APP, DEMO_PASSWORD, headings, log_in, texts
from tests.support.postgres import PostgresServer
from ui import database
from ui.loaders.cache import clear_all_caches

UNAVAILABLE = translate("app.unavailable_title", "zh")
COMMUNITY = "翠湖小区"  # the overview page's title


class StoppableServer(PostgresServer):
    """A private server that can be stopped and started again with its data kept."""

    def _options(self) -> str:
        return f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"

    def pause(self) -> None:
        self._pg_ctl("-m", "fast", "-w", "stop")

    def resume(self) -> None:
        self._pg_ctl("-l", str(self.dir / "log"), "-w", "-o", self._options(), "start")

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run(
            [*self._as_postgres, str(self.bin / "pg_ctl"), "-D", str(self.data), *args],
            check=True, capture_output=True, text=True,
        )  # fmt: skip


@pytest.fixture
def server() -> Iterator[StoppableServer]:
    server = StoppableServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()  # stops it if it is running, and removes its files


@pytest.fixture
def database_url(
    server: StoppableServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[str]:
    """A migrated database with one community, an owner ("owner_a") and a manager."""
    url = server.create_database("outage")
    engine = make_engine(url)
    migrate(engine)
    password_hash = hash_password(DEMO_PASSWORD, rounds=4)  # the lowest bcrypt cost: speed
    with write_session(make_session_factory(engine)) as session:
        c = f.community(session, code="CUIHU", name=COMMUNITY)
        f.contract(session, c)
        f.account(session, c, "owner", username="owner_a", password_hash=password_hash)
        f.account(session, c, "manager", username="manager_a", password_hash=password_hash)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("MEDIA_DIR", str(tmp_path / "media"))
    st.cache_data.clear()
    st.cache_resource.clear()
    database.forget_factories()
    clear_all_caches()
    yield url
    st.cache_data.clear()
    clear_all_caches()
    st.cache_resource.clear()
    database.forget_factories()  # the app's engine points at a server about to go


def _page_title(at: AppTest) -> list[str]:
    return [heading for heading in headings(at) if COMMUNITY in heading]


def test_a_stopped_database_shows_a_friendly_message_and_recovers(
    server: StoppableServer, database_url: str
) -> None:
    at = log_in(AppTest.from_file(APP, default_timeout=60), "owner_a")
    assert not at.exception
    assert _page_title(at) == [COMMUNITY] and UNAVAILABLE not in texts(at)

    server.pause()
    st.cache_data.clear()  # as when the loaders' entries expire: the page must read the database
    clear_all_caches()
    at.run()
    assert not at.exception
    assert [e.value for e in at.error if UNAVAILABLE in e.value] != []
    assert _page_title(at) == []

    server.resume()
    at.run()
    assert not at.exception
    assert UNAVAILABLE not in texts(at)
    assert _page_title(at) == [COMMUNITY]


def test_no_half_written_ticket_when_the_database_stops_mid_write(
    server: StoppableServer, database_url: str
) -> None:
    engine = make_engine(database_url)
    factory = make_session_factory(engine)
    with factory() as session:
        owner = load_viewer(session=session, username="owner_a")
    assert owner is not None
    seen: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _stop_before_the_event(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement.split("(")[0].strip())
        if statement.startswith("INSERT INTO ticket_events"):
            server.pause()  # the ticket row is inserted, its opening event is not

    with pytest.raises(Exception) as failed, write_session(factory) as session:
        tc.open_ticket(
            session=session, viewer=owner, title="电梯异响", category="elevator",
            description="3号楼电梯运行时有异响", now=dt.datetime(2026, 11, 20, 12, 0),
        )  # fmt: skip
    assert is_database_outage(failed.value), repr(failed.value)
    assert "INSERT INTO rectification_tickets" in seen  # the stop came after the ticket's insert
    event.remove(engine, "before_cursor_execute", _stop_before_the_event)

    server.resume()
    with factory() as session:
        tickets = session.scalar(select(func.count()).select_from(RectificationTicket))
        orphans = session.scalar(
            select(func.count())
            .select_from(RectificationTicket)
            .where(
                ~select(TicketEvent.id)
                .where(TicketEvent.ticket_id == RectificationTicket.id)
                .exists()
            )
        )
    assert (tickets, orphans) == (0, 0)

    # Back up: the same engine writes again, the ticket and its event together.
    with write_session(factory) as session:
        ticket_id = tc.open_ticket(
            session=session, viewer=owner, title="电梯异响", category="elevator",
            description="3号楼电梯运行时有异响", now=dt.datetime(2026, 11, 20, 12, 5),
        )  # fmt: skip
    with factory() as session:
        events = session.scalars(
            select(TicketEvent.to_status).where(TicketEvent.ticket_id == ticket_id)
        )
        assert list(events) == ["submitted"]
        assert session.scalar(select(func.count()).select_from(RectificationTicket)) == 1
    engine.dispose()
