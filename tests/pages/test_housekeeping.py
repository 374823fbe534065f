"""The app closes tickets the owner left unconfirmed past the contract's days by itself, on
the first page run after its interval — no scheduler needed — in a background thread."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from data_access.accounts.auth import Viewer
from data_access.db import make_engine, make_session_factory, write_session
from data_access.models import Account, RectificationTicket
from data_access.tickets.ticket_commands import request_confirmation
from tests.pages.conftest import DEMO_NOW, log_in
from ui import housekeeping


@pytest.mark.parametrize("inline", ["1", "0"], ids=["inline", "background"])
def test_first_page_run_auto_closes_a_long_unconfirmed_ticket(
    app: AppTest, demo_url: str, inline: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(housekeeping.INLINE_ENV, inline)
    factory = make_session_factory(make_engine(demo_url))
    with write_session(factory) as session:
        ticket = session.scalars(
            select(RectificationTicket)
            .where(RectificationTicket.status == "in_progress")
            .order_by(RectificationTicket.id)
            .limit(1)
        ).one()
        manager = session.scalars(
            select(Account).where(
                Account.role == "manager", Account.community_id == ticket.community_id
            )
        ).first()
        assert manager is not None
        viewer = Viewer(
            account_id=manager.id, username=manager.username, display_name=manager.display_name,
            role="manager", community_id=manager.community_id,
        )  # fmt: skip
        ticket_id = ticket.id
        request_confirmation(
            session=session, viewer=viewer, ticket_id=ticket_id,
            now=DEMO_NOW - dt.timedelta(days=8),
        )  # fmt: skip
    log_in(app, "owner_a")
    assert not app.exception
    if inline == "0":  # the app's way: a background thread no page waits for
        assert housekeeping._schedule().thread is not None
        housekeeping.wait_for_jobs()
    with factory() as session:
        closed = session.get_one(RectificationTicket, ticket_id)
    assert (closed.status, closed.auto_closed, closed.closed_at) == ("closed", True, DEMO_NOW)
