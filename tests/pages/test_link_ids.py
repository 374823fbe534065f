"""A detail page's ``?id=`` is read by one rule: anything that is not a plain ASCII id from 1 to
2^31 − 1 reads as "not found", like a record that does not exist — never the generic error page
and never another record. Before the shared reader, ``²`` crashed the order page (``isdigit``
accepts it, ``int`` refuses it) and ids over 2^31 overflowed PostgreSQL's integer."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from data_access.record_ids import MAX_RECORD_ID, parse_record_id
from tests.pages.conftest import ROOT, log_in

ORDER = str(ROOT / "pages" / "order_detail.py")
TICKET = str(ROOT / "pages" / "ticket_detail.py")
NOT_FOUND = {ORDER: "没有找到这张工单,或您无权查看。", TICKET: "没有找到这张整改单,或您无权查看。"}
BAD_IDS = ["²", "١٢", "１２", "+5", " 5", "5_0", "0", "007", str(2**31), str(2**63), "", "abc"]


@pytest.mark.parametrize("raw", BAD_IDS)
def test_the_reader_accepts_only_plain_ascii_ids_in_range(raw: str) -> None:
    assert parse_record_id(raw) is None


def test_the_reader_reads_plain_ids() -> None:
    assert parse_record_id("1") == 1
    assert parse_record_id("12") == 12
    assert parse_record_id(str(MAX_RECORD_ID)) == MAX_RECORD_ID


@pytest.mark.parametrize("page", [ORDER, TICKET])
@pytest.mark.parametrize("raw", ["²", "١٢", str(2**31), str(2**63)])
def test_an_odd_id_in_a_link_reads_as_not_found(app: AppTest, page: str, raw: str) -> None:
    log_in(app, "owner_a")
    app.switch_page(page)
    app.query_params["id"] = raw
    app.run()
    assert not app.exception
    assert [e.value for e in app.error] == [NOT_FOUND[page]]


def test_the_detail_queries_refuse_impossible_ids_as_not_found(demo_url: str) -> None:
    """The rule holds in data_access too, not only in the page's reader: an id beyond
    PostgreSQL's integer is "not found", not a database error."""
    import datetime as dt

    from sqlalchemy import select

    from data_access.accounts.auth import load_viewer
    from data_access.db import make_engine, make_session_factory
    from data_access.errors import DomainError
    from data_access.models import Account
    from data_access.orders.work_orders import get_order_detail
    from data_access.tickets.ticket_board import get_ticket_detail

    now = dt.datetime(2026, 11, 20, 12, 0)
    with make_session_factory(make_engine(demo_url))() as session:
        account = session.scalar(select(Account.id).where(Account.username == "owner_a"))
        assert account is not None
        viewer = load_viewer(session=session, account_id=account)
        assert viewer is not None
        for huge in (2**31, 2**63, 0, -1):
            with pytest.raises(DomainError) as order:
                get_order_detail(session=session, viewer=viewer, order_id=huge, now=now)
            assert order.value.key == "order.not_found"
            with pytest.raises(DomainError) as ticket:
                get_ticket_detail(session=session, viewer=viewer, ticket_id=huge, now=now)
            assert ticket.value.key == "ticket.not_found"
