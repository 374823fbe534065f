"""整改公示 and 整改单详情 through AppTest on the demo data, checked against the tables."""

from __future__ import annotations

import re
from typing import TypedDict

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from data_access.accounts.auth import Viewer, load_viewer
from data_access.accounts.privacy import mask_name, private_title
from data_access.db import make_engine, make_session_factory
from data_access.models import Account, Rating, RectificationTicket, TicketEvent, WorkOrder
from data_access.tickets.ticket_board import list_board_tickets, list_public_ratings
from tests.conftest import ROOT
from tests.pages.conftest import DEMO_NOW, log_in, texts
from ui.text import plain

BOARD, DETAIL = (str(ROOT / "pages" / name) for name in ("tickets.py", "ticket_detail.py"))
SHOWN = 30  # pages/tickets.py shows this many tickets before "show more"
CODE = re.compile(r"^(ZGD\d+) · ")


def session_on(url: str) -> Session:
    return make_session_factory(make_engine(url))()


def viewer_of(session: Session, username: str) -> Viewer:
    viewer = load_viewer(session=session, username=username)
    assert viewer is not None
    return viewer


def shown_codes(at: AppTest) -> list[str]:
    """Ticket codes of the board's cards, top to bottom (a card's caption starts with it)."""
    return [m[1] for c in at.caption if (m := CODE.match(c.value))]


def open_board(app: AppTest, username: str) -> AppTest:
    log_in(app, username)
    app.switch_page(BOARD).run()
    assert not app.exception
    return app


def test_board_shows_the_communitys_tickets_and_never_another_communitys(
    app: AppTest, demo_url: str
) -> None:
    open_board(app, "owner_a")
    with session_on(demo_url) as s:
        viewer = viewer_of(s, "owner_a")
        expected = list_board_tickets(session=s, viewer=viewer, now=DEMO_NOW, limit=SHOWN)
        ours = set(
            s.scalars(
                select(RectificationTicket.code).where(
                    RectificationTicket.community_id == viewer.community_id
                )
            )
        )
        theirs = set(
            s.scalars(
                select(RectificationTicket.code).where(
                    RectificationTicket.community_id != viewer.community_id
                )
            )
        )
    assert shown_codes(app) == [t.code for t in expected]
    only_theirs = theirs - ours  # codes restart per community, so some are in both
    assert only_theirs and not only_theirs & set(shown_codes(app))
    assert f"共 {len(ours)} 张整改单,显示前 {SHOWN} 张" in texts(app)
    page = texts(app)
    assert not any(code in page for code in only_theirs)
    overdue = sum(t.is_overdue for t in expected)
    assert overdue and page.count(":red-badge[:material/alarm: 超时]") == overdue


def test_neighbours_names_are_masked_and_mine_is_not(app: AppTest, demo_url: str) -> None:
    open_board(app, "owner_a")
    with session_on(demo_url) as s:
        viewer = viewer_of(s, "owner_a")
        owners = dict(
            s.execute(
                select(RectificationTicket.code, Account.display_name)
                .join(Account, Account.id == RectificationTicket.owner_id)
                .where(
                    RectificationTicket.community_id == viewer.community_id,
                    RectificationTicket.owner_id != viewer.account_id,
                )
            ).all()
        )
    page = texts(app)
    neighbours = [owners[code] for code in shown_codes(app) if code in owners]
    assert neighbours
    for name in neighbours:
        assert f"业主 {plain(mask_name(name))}" in page
        assert name not in page
    app.toggle(key="tickets_mine").set_value(True).run()
    assert f"业主 {viewer.display_name}" in texts(app)


class BoardFilters(TypedDict, total=False):
    """``list_board_tickets``'s filters."""

    status: str | None
    category: str | None
    overdue_only: bool
    mine_only: bool
    search: str
    limit: int


@pytest.mark.parametrize(
    ("widget", "key", "value", "where"),
    [
        ("selectbox", "tickets_status", "rejected", {"status": "rejected"}),
        ("selectbox", "tickets_category", "elevator", {"category": "elevator"}),
        ("toggle", "tickets_mine", True, {"mine_only": True}),
        ("toggle", "tickets_overdue", True, {"overdue_only": True}),
        ("text_input", "tickets_search", "电梯", {"search": "电梯"}),
    ],
)
def test_a_filter_narrows_the_list(
    app: AppTest, demo_url: str, widget: str, key: str, value: object, where: BoardFilters
) -> None:
    open_board(app, "owner_a")
    control = getattr(app, widget)(key=key)
    (control.input(value) if widget == "text_input" else control.set_value(value)).run()
    assert not app.exception
    with session_on(demo_url) as s:
        viewer = viewer_of(s, "owner_a")
        everything = s.scalar(
            select(func.count()).where(RectificationTicket.community_id == viewer.community_id)
        )
        expected = list_board_tickets(session=s, viewer=viewer, now=DEMO_NOW, **where)
    assert 0 < len(expected) < (everything or 0)
    assert shown_codes(app) == [t.code for t in expected][:SHOWN]
    if where.get("status") == "rejected":
        page = texts(app)
        assert all(plain(t.reject_reason) in page for t in expected[:SHOWN])


def test_ratings_tab_shows_replies_and_masked_raters(app: AppTest, demo_url: str) -> None:
    open_board(app, "owner_a")
    board_count = re.compile(r"共 \d+ 张整改单")
    assert "评价人" not in texts(app) and board_count.search(texts(app))  # only the open tab runs
    app.session_state["tickets_tab"] = "评价公示"  # the user clicks the ratings tab
    app.run()
    assert not app.exception
    assert not board_count.search(texts(app))
    with session_on(demo_url) as s:
        viewer = viewer_of(s, "owner_a")
        ratings = list_public_ratings(session=s, viewer=viewer, now=DEMO_NOW, limit=SHOWN)
    page = texts(app)
    replied = [r for r in ratings if r.reply]
    assert replied
    for rating in replied:
        assert plain(rating.reply) in page
    others = [r for r in ratings if not r.is_mine]
    assert others and all(f"评价人 {plain(r.owner)}" in page for r in others)
    assert all("*" in r.owner for r in others)
    with session_on(demo_url) as s:
        unanswered = list_public_ratings(
            session=s, viewer=viewer, now=DEMO_NOW, unreplied_only=True
        )
    app.toggle(key="tickets_ratings_unreplied").set_value(True).run()
    page = texts(app)
    assert not [i.value for i in app.info if "物业回复 · " in i.value]
    assert f"共 {len(unanswered)} 条评价" in page
    assert ("待物业回复" in page) == bool(unanswered)


def _ticket_with_progress(url: str, username: str) -> RectificationTicket:
    """A ticket of the user's community with progress notes and a status change by staff."""
    with session_on(url) as s:
        community_id = s.scalar(select(Account.community_id).where(Account.username == username))
        ticket_id = s.scalar(
            select(TicketEvent.ticket_id)
            .join(RectificationTicket, RectificationTicket.id == TicketEvent.ticket_id)
            .where(
                RectificationTicket.community_id == community_id,
                RectificationTicket.status == "awaiting_confirmation",
                TicketEvent.from_status == TicketEvent.to_status,
            )
            .order_by(TicketEvent.ticket_id)
            .limit(1)
        )
        ticket = s.get_one(RectificationTicket, ticket_id)
        s.expunge(ticket)
        return ticket


def test_detail_shows_the_timeline(app: AppTest, demo_url: str) -> None:
    ticket = _ticket_with_progress(demo_url, "owner_a")
    with session_on(demo_url) as s:
        events = list(s.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id)))
    log_in(app, "owner_a")
    app.switch_page(DETAIL)
    app.query_params["id"] = str(ticket.id)
    app.run()
    assert not app.exception
    assert app.title[0].value == plain(ticket.title)
    page = texts(app)
    assert ticket.code in page and "整改过程" in page
    for event in events:
        if event.note:
            assert plain(event.note) in page
        if event.actor_account_id is not None and event.actor_account_id != ticket.owner_id:
            assert f"物业 {plain(mask_name(event.actor_name))}" in page
    heads = [m.value for m in app.markdown if m.value.startswith("**") and " · " in m.value]
    assert "**待受理 → 已受理**" in page
    assert sum(h.startswith("**进展更新**") for h in heads) == sum(
        e.from_status == e.to_status for e in events
    )
    assert "**整改中 → 待业主确认**" in page


def test_detail_for_a_manager_shows_names(app: AppTest, demo_url: str) -> None:
    ticket = _ticket_with_progress(demo_url, "manager_a")
    with session_on(demo_url) as s:
        owner = s.get_one(Account, ticket.owner_id)
        staff = s.scalar(
            select(TicketEvent.actor_name).where(
                TicketEvent.ticket_id == ticket.id, TicketEvent.to_status == "accepted"
            )
        )
    log_in(app, "manager_a")
    app.switch_page(DETAIL)
    app.query_params["id"] = str(ticket.id)
    app.run()
    assert not app.exception
    page = texts(app)
    assert f"**业主** {plain(owner.display_name)}" in page
    assert f"物业 {plain(staff or '')}" in page


@pytest.mark.parametrize("raw", ["abc", "0", "-3", "1.5", "99999999999999", "١٢"])
def test_detail_with_a_bad_id_reads_as_not_found(app: AppTest, raw: str) -> None:
    log_in(app, "owner_a")
    app.switch_page(DETAIL)
    app.query_params["id"] = raw
    app.run()
    assert not app.exception
    assert [e.value for e in app.error] == ["没有找到这张整改单,或您无权查看。"]


@pytest.mark.parametrize("target", ["other_community", "missing"])
def test_detail_of_another_communitys_ticket_is_not_found(
    app: AppTest, demo_url: str, target: str
) -> None:
    with session_on(demo_url) as s:
        viewer = viewer_of(s, "owner_a")
        ticket_id = {
            "other_community": s.scalar(
                select(func.min(RectificationTicket.id)).where(
                    RectificationTicket.community_id != viewer.community_id
                )
            ),
            "missing": (s.scalar(select(func.max(RectificationTicket.id))) or 0) + 1000,
        }[target]
    log_in(app, "owner_a")
    app.switch_page(DETAIL)
    app.query_params["id"] = str(ticket_id)
    app.run()
    assert not app.exception
    assert [e.value for e in app.error] == ["没有找到这张整改单,或您无权查看。"]
    assert not app.title or app.title[0].value == ""


def test_filters_survive_a_visit_to_the_ratings_tab(app: AppTest, demo_url: str) -> None:
    """Only the open tab runs; the closed tab's filters are kept all the same."""
    open_board(app, "owner_a")
    app.selectbox(key="tickets_status").set_value("closed").run()
    filtered = shown_codes(app)
    assert filtered
    app.session_state["tickets_tab"] = "评价公示"
    app.run()
    app.session_state["tickets_tab"] = "整改单"
    app.run()
    assert app.selectbox(key="tickets_status").value == "closed"
    assert shown_codes(app) == filtered
    # The filter left alone still shows "全部" (its first option): the browser is not told to
    # show a value set from session state (None there draws an empty select box).
    category = app.selectbox(key="tickets_category").proto
    assert (category.default, category.set_value) == (0, False)


def _a_neighbours_in_home_ticket(demo_url: str) -> tuple[RectificationTicket, str]:
    """A ticket of owner_a's community opened from a rating of someone else's in-home order,
    with that rating's comment."""
    with session_on(demo_url) as s:
        viewer = viewer_of(s, "owner_a")
        found = s.execute(
            select(RectificationTicket, Rating.comment)
            .join(Rating, Rating.id == RectificationTicket.rating_id)
            .join(WorkOrder, WorkOrder.id == RectificationTicket.work_order_id)
            .where(
                RectificationTicket.community_id == viewer.community_id,
                RectificationTicket.owner_id != viewer.account_id,
                WorkOrder.visibility == "private",
            )
            .order_by(RectificationTicket.id)
            .limit(1)
        ).first()
    assert found is not None, "the demo data has a ticket from a rating of an in-home order"
    return found[0], found[1]


def test_a_neighbours_in_home_ticket_shows_only_its_public_fields(
    app: AppTest, demo_url: str
) -> None:
    """Issue 14: a ticket opened from a rating of someone else's in-home order reads, on the
    board, as its neutral title, category, building, status and deadlines: neither its title,
    its unit, its description nor the rating's comment."""
    ticket, comment = _a_neighbours_in_home_ticket(demo_url)
    open_board(app, "owner_a")
    app.text_input(key="tickets_search").input(ticket.code).run()
    assert shown_codes(app) == [ticket.code]
    page = texts(app)
    assert plain(private_title()) in page
    secrets = [ticket.title, ticket.description, comment, ticket.location]
    for secret in (s.strip() for s in secrets):
        if secret and secret != plain(private_title()):
            assert plain(secret) not in page and secret not in page
    # Its words are not searchable either: a search would probe them.
    app.text_input(key="tickets_search").input(ticket.title).run()
    assert ticket.code not in shown_codes(app)


def test_a_neighbours_in_home_ticket_page_shows_no_details_and_no_order_link(
    app: AppTest, demo_url: str
) -> None:
    """The ticket's own page, as a neighbour: the neutral title, a note that the details are
    private (not "no description", which would be untrue), no link to the in-home order."""
    ticket, comment = _a_neighbours_in_home_ticket(demo_url)
    log_in(app, "owner_a")
    app.switch_page(DETAIL)
    app.query_params["id"] = str(ticket.id)
    app.run()
    assert not app.exception
    assert app.title[0].value == private_title()
    page = texts(app)
    assert "详情仅业主本人与物业可见。" in page
    assert "(未填写描述)" not in page
    for secret in (ticket.title, ticket.description, comment, ticket.location):
        if secret.strip():
            assert plain(secret) not in page
    assert not [link for link in app.get("page_link") if "order_detail" in str(link.proto.page)]


def test_every_ticket_status_has_one_badge_colour() -> None:
    from data_access.models import TICKET_STATUSES
    from ui.formatting import TICKET_STATUS_COLOR, ticket_status_badge

    assert set(TICKET_STATUS_COLOR) == set(TICKET_STATUSES)
    assert ticket_status_badge("submitted") == ":orange-badge[待受理]"
