"""Issue 14: personal data typed into free text, and tickets and ratings of in-home orders, on
every surface where others' text reaches an owner or the committee.

One small community: Alice (the author) wrote a public ticket, a public order's rating and a
red-line rating of her in-home order, which opened a ticket; Bob is her neighbour; the committee
and a manager look too. Each test reads one surface as each of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import insert
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.accounts.privacy import private_title
from data_access.analytics.checklists import build_checklist, checklist_evidence, list_checklist
from data_access.analytics.keywords import list_feedback_texts
from data_access.analytics.report import build_monthly_report
from data_access.dashboards.overview import list_public_updates
from data_access.models import (
    Account,
    Community,
    Photo,
    PhotoAttachment,
    Rating,
    RectificationTicket,
    TicketEvent,
    WorkOrder,
)
from data_access.notifications.notifications import list_notifications
from data_access.orders.history import list_history
from data_access.orders.work_orders import get_order_detail
from data_access.periods import period_containing
from data_access.tickets.open_tickets import list_open_tickets
from data_access.tickets.ticket_board import (
    get_ticket_detail,
    list_board_tickets,
    list_public_ratings,
)
from tests.data_access import factories as f

T0 = f.T0  # 2026-10-01 10:00 local
NOW = T0 + dt.timedelta(hours=30)
LATER = T0 + dt.timedelta(days=10)  # both tickets are overdue by then
OCTOBER = period_containing("month", dt.date(2026, 10, 1))

TEXT = (
    "电话13800138000 座机021-12345678 身份证110101199003071234 邮箱zhang.san@example.com "
    "住3栋2单元1201 工单BX20261124001 2026-11-24 14:30 赔偿¥1,234.50"
)
MASKED = (
    "电话138****8000 座机021-******78 身份证110101********1234 邮箱z***@example.com "
    "住3栋2单元*** 工单BX20261124001 2026-11-24 14:30 赔偿¥1,234.50"
)
PRIVATE = private_title()
# What only Alice and managers may read of her in-home order's rating and ticket.
SECRETS = ("卫生间漏水", "3栋2单元1201", "踩脏了卧室地板", "已向您致歉", "我在家等师傅")
NEIGHBOURS = ("bob", "committee")


@dataclass
class World:
    alice: Account
    bob: Account
    committee: Account
    manager: Account
    public_ticket: RectificationTicket
    private_ticket: RectificationTicket
    public_order: WorkOrder
    private_order: WorkOrder
    private_rating: Rating

    def viewer(self, who: str) -> Viewer:
        account: Account = getattr(self, who)
        return Viewer(account.id, account.username, account.display_name, account.role,
                      account.community_id)  # fmt: skip


def _person(session: Session, home: Community, role: str, name: str, phone: str) -> Account:
    account = f.account(session, home, role=role)
    account.display_name, account.phone = name, phone
    return account


def _event(session: Session, ticket: RectificationTicket, at: dt.datetime, note: str,
           actor: Account | None = None, to_status: str = "accepted") -> TicketEvent:  # fmt: skip
    event = TicketEvent(
        ticket_id=ticket.id, from_status="accepted" if to_status == "accepted" else None,
        to_status=to_status, occurred_at=at, actor_account_id=actor.id if actor else None,
        actor_name=actor.display_name if actor else "黎家豪", note=note,
    )  # fmt: skip
    session.add(event)
    session.flush()
    return event


def _ticket(session: Session, home: Community, **fields: object) -> RectificationTicket:
    ticket = f.ticket(session, home, "accepted")
    for name, value in fields.items():
        setattr(ticket, name, value)
    ticket.accepted_at = T0 + dt.timedelta(minutes=30)
    session.flush()
    return ticket


def _rating(session: Session, order: WorkOrder, owner: Account, scores: int, comment: str,
            reply: str) -> Rating:  # fmt: skip
    rating = Rating(
        community_id=order.community_id, work_order_id=order.id, owner_id=owner.id,
        score_speed=scores, score_attitude=scores, score_quality=scores, comment=comment,
        created_at=T0, updated_at=T0, reply=reply, replied_at=T0 + dt.timedelta(hours=1),
        reply_due_at=T0 + dt.timedelta(hours=24),
    )  # fmt: skip
    session.add(rating)
    session.flush()
    return rating


@pytest.fixture
def world(session: Session) -> World:
    home = f.community(session)
    f.contract(session, home)
    building = f.building(session, home, "3栋")
    f.staff(session, home, name="黎家豪")
    alice = _person(session, home, "owner", "陈美玲", "13812341234")
    bob = _person(session, home, "owner", "周建华", "13900000001")
    committee = _person(session, home, "committee", "吴委员", "13900000002")
    manager = _person(session, home, "manager", "刘经理", "13900000003")

    public_ticket = _ticket(session, home, title=TEXT, description=TEXT, owner_id=alice.id,
                            area_id=building.id, location="3栋2单元1201")  # fmt: skip
    _event(session, public_ticket, T0 + dt.timedelta(hours=1), TEXT + " 业主电话13812341234")

    public_order = f.work_order(
        session, home, title=TEXT, description=TEXT, reporter_id=alice.id, area_id=building.id,
        location="3栋大堂", completed_at=T0 - dt.timedelta(hours=1), order_type="complaint",
    )  # fmt: skip
    _rating(session, public_order, alice, 5, TEXT, TEXT)

    private_order = f.work_order(
        session, home, title="卫生间漏水", description="卫生间漏水,3栋2单元1201",
        reporter_id=alice.id, visibility="private", area_id=building.id,
        location="3栋2单元1201", completed_at=T0 - dt.timedelta(hours=2),
    )  # fmt: skip
    private_rating = _rating(session, private_order, alice, 1, "师傅踩脏了卧室地板", "已向您致歉")
    private_ticket = _ticket(
        session, home, title="卫生间漏水返工", description="师傅踩脏了卧室地板", source="rating",
        rating_id=private_rating.id, work_order_id=private_order.id, owner_id=alice.id,
        area_id=building.id, location="3栋2单元1201", category="plumbing",
    )  # fmt: skip
    _event(session, private_ticket, T0, "", alice, to_status="submitted")
    _event(session, private_ticket, T0 + dt.timedelta(hours=2), "已安排复查")
    _event(session, private_ticket, T0 + dt.timedelta(hours=3), "我在家等师傅", alice)
    # Only the columns named here: the photo table grows under other work.
    values = dict(sha256="ab" * 32, mime_type="image/jpeg", size_bytes=1, width=1, height=1,
                  uploaded_at=T0)  # fmt: skip
    photo_id = session.execute(insert(Photo).values(**values).returning(Photo.id)).scalar_one()
    session.add(PhotoAttachment(photo_id=photo_id, kind="before", ticket_id=private_ticket.id,
                                attached_at=T0))  # fmt: skip
    session.flush()
    return World(alice, bob, committee, manager, public_ticket, private_ticket, public_order,
                 private_order, private_rating)  # fmt: skip


def _no_secret(*texts: str) -> bool:
    return not any(secret in text for secret in SECRETS for text in texts)


# --- the public board ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "title"), [("alice", TEXT), ("bob", MASKED), ("committee", MASKED), ("manager", TEXT)]
)
def test_board_masks_personal_data_in_others_titles(
    session: Session, world: World, who: str, title: str
) -> None:
    board = list_board_tickets(session=session, viewer=world.viewer(who), now=NOW)
    [shown] = [t for t in board if t.id == world.public_ticket.id]
    assert shown.title == title


@pytest.mark.parametrize("who", NEIGHBOURS)
def test_board_shows_a_private_orders_ticket_redacted_to_neighbours(
    session: Session, world: World, who: str
) -> None:
    viewer = world.viewer(who)
    [shown] = [t for t in list_board_tickets(session=session, viewer=viewer, now=NOW)
               if t.id == world.private_ticket.id]  # fmt: skip
    assert (shown.title, shown.category, shown.area, shown.location, shown.owner) == (
        PRIVATE,
        "plumbing",
        "3栋",
        "",
        "",
    )
    assert shown.status == "accepted" and shown.deadline_kind == "fix"
    # Its words cannot be probed through the search either.
    for words in ("卫生间", "卧室地板"):
        assert list_board_tickets(session=session, viewer=viewer, now=NOW, search=words) == []


@pytest.mark.parametrize("who", ["alice", "manager"])
def test_board_shows_a_private_orders_ticket_in_full_to_its_owner_and_managers(
    session: Session, world: World, who: str
) -> None:
    viewer = world.viewer(who)
    [shown] = list_board_tickets(session=session, viewer=viewer, now=NOW, search="卫生间")
    assert (shown.title, shown.location) == ("卫生间漏水返工", "3栋2单元1201")


# --- a ticket's page ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "description", "note"),
    [
        ("alice", TEXT, MASKED + " 业主电话13812341234"),  # her own text; her own phone
        ("bob", MASKED, MASKED + " 业主电话138****1234"),
        ("committee", MASKED, MASKED + " 业主电话138****1234"),
        ("manager", TEXT, TEXT + " 业主电话13812341234"),
    ],
)
def test_ticket_detail_masks_personal_data(
    session: Session, world: World, who: str, description: str, note: str
) -> None:
    detail = get_ticket_detail(session=session, viewer=world.viewer(who),
                               ticket_id=world.public_ticket.id, now=NOW)  # fmt: skip
    assert (detail.description, detail.events[-1].note) == (description, note)


@pytest.mark.parametrize("who", NEIGHBOURS)
def test_private_orders_ticket_detail_is_redacted_for_neighbours(
    session: Session, world: World, who: str
) -> None:
    detail = get_ticket_detail(session=session, viewer=world.viewer(who),
                               ticket_id=world.private_ticket.id, now=NOW)  # fmt: skip
    assert (detail.title, detail.description, detail.location, detail.area) == (
        PRIVATE,
        "",
        "",
        "3栋",
    )
    assert detail.rating is not None
    assert (detail.rating.comment, detail.rating.reply) == ("", "")
    assert [e.note for e in detail.events] == ["", "已安排复查", ""]  # the company's note only
    assert detail.other_photos == [] and all(e.photos == [] for e in detail.events)
    assert detail.fix_deadline.due_at == world.private_ticket.fix_due_at


@pytest.mark.parametrize("who", ["alice", "manager"])
def test_private_orders_ticket_detail_is_whole_for_its_owner_and_managers(
    session: Session, world: World, who: str
) -> None:
    detail = get_ticket_detail(session=session, viewer=world.viewer(who),
                               ticket_id=world.private_ticket.id, now=NOW)  # fmt: skip
    assert (detail.title, detail.description) == ("卫生间漏水返工", "师傅踩脏了卧室地板")
    assert detail.rating is not None and detail.rating.comment == "师傅踩脏了卧室地板"
    assert [e.note for e in detail.events][-1] == "我在家等师傅"
    assert len(detail.other_photos) == 1


# --- the ratings tab ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "comment"), [("alice", TEXT), ("bob", MASKED), ("committee", MASKED), ("manager", TEXT)]
)
def test_ratings_tab_masks_personal_data(
    session: Session, world: World, who: str, comment: str
) -> None:
    ratings = list_public_ratings(session=session, viewer=world.viewer(who), now=NOW)
    [shown] = [r for r in ratings if r.order_id == world.public_order.id]
    assert shown.comment == comment
    assert shown.reply == (TEXT if who == "manager" else MASKED)


def test_ratings_tab_redacts_a_private_orders_rating(session: Session, world: World) -> None:
    def shown(who: str) -> list[tuple[str, str, str]]:
        ratings = list_public_ratings(session=session, viewer=world.viewer(who), now=NOW)
        return [(r.order_title, r.comment, r.reply) for r in ratings
                if r.rating_id == world.private_rating.id]  # fmt: skip

    assert shown("bob") == []  # an owner never sees a neighbour's in-home order
    assert shown("committee") == [(PRIVATE, "", "")]
    whole = [("卫生间漏水", "师傅踩脏了卧室地板", "已向您致歉")]
    assert shown("alice") == whole and shown("manager") == whole


# --- the Overview -----------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["alice", "bob", "committee", "manager"])
def test_overview_feed_and_open_tickets(session: Session, world: World, who: str) -> None:
    viewer = world.viewer(who)
    updates = list_public_updates(session=session, viewer=viewer, limit=20)
    tickets = list_open_tickets(session=session, viewer=viewer, now=NOW, limit=20)
    shown = [(u.title, u.note) for u in updates if u.subject == "ticket"]
    titles = {t.ticket_id: t.title for t in tickets}
    if who == "manager":
        assert (TEXT, TEXT + " 业主电话13812341234") in shown
        assert ("卫生间漏水返工", "我在家等师傅") in shown
        assert titles[world.private_ticket.id] == "卫生间漏水返工"
        return
    # Cached once per community: Alice sees her own ticket as everyone else does.
    assert (MASKED, MASKED + " 业主电话138****1234") in shown
    assert (PRIVATE, "已安排复查") in shown and (PRIVATE, "") in shown
    assert _no_secret(*(text for pair in shown for text in pair))
    assert titles == {world.public_ticket.id: MASKED, world.private_ticket.id: PRIVATE}


# --- keywords ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["alice", "bob", "committee", "manager"])
def test_keyword_texts(session: Session, world: World, who: str) -> None:
    texts = list_feedback_texts(session=session, viewer=world.viewer(who), period=OCTOBER)
    public = {(t.source, t.text) for t in texts if t.source in ("ticket", "rating")
              and t.target_id in (world.public_ticket.id, world.public_order.id)}  # fmt: skip
    expected = TEXT if who == "manager" else MASKED
    assert ("ticket", expected) in public and ("rating", expected) in public
    if who in NEIGHBOURS:
        assert _no_secret(*(t.text for t in texts))
    else:
        assert any("踩脏了卧室地板" in t.text for t in texts if t.source == "rating")
        assert any("卫生间漏水返工" in t.text for t in texts if t.source == "ticket")


# --- checklist examples ----------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["committee", "manager"])
def test_checklist_examples(session: Session, world: World, who: str) -> None:
    build_checklist(session=session, now=NOW, min_evidence=1)
    viewer = world.viewer(who)
    examples = [
        example
        for item in list_checklist(session=session, viewer=viewer)
        for example in checklist_evidence(
            session=session, viewer=viewer, item_id=item.item_id
        ).examples
    ]
    by_code = {e.code: e for e in examples}
    complaint = by_code[world.public_order.code]
    private = by_code[world.private_order.code]
    if who == "manager":
        assert (complaint.title, private.detail) == (TEXT, "师傅踩脏了卧室地板")
        return
    assert complaint.title == MASKED and complaint.detail.startswith(MASKED)
    assert _no_secret(private.title, private.detail, private.location)
    assert (private.title, private.detail, private.location) == (PRIVATE, "", "3栋")


# --- the monthly report ----------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["committee", "manager"])
def test_monthly_report_masks_and_redacts_for_everyone(
    session: Session, world: World, who: str
) -> None:
    """The report is printed and passed around: masked alike for every viewer."""
    report = build_monthly_report(session=session, viewer=world.viewer(who), month=OCTOBER,
                                  now=LATER)  # fmt: skip
    rows = {row.code: row for row in report.overdue_tickets}
    assert rows[world.public_ticket.code].title == MASKED
    private = rows[world.private_ticket.code]
    assert (private.title, private.place, private.owner) == (PRIVATE, "3栋", "")


# --- the service-history export --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "title"), [("alice", MASKED), ("bob", MASKED), ("committee", MASKED), ("manager", TEXT)]
)
def test_history_export_masks_titles(session: Session, world: World, who: str, title: str) -> None:
    frame = list_history(session=session, viewer=world.viewer(who), period=OCTOBER, now=NOW)
    assert list(frame["title"]) == [title]  # public orders only: never the in-home one


# --- notifications and an order's page --------------------------------------------------------------
def test_notifications_mask_others_data_but_not_the_owners_own(
    session: Session, world: World
) -> None:
    items = list_notifications(session=session, viewer=world.viewer("alice"), now=NOW).items
    notes = [n.note for n in items if n.ref == world.public_ticket.code and n.note]
    assert notes == [MASKED + " 业主电话13812341234"]


@pytest.mark.parametrize(
    ("who", "description", "comment"),
    [("alice", TEXT, TEXT), ("bob", MASKED, MASKED), ("committee", MASKED, MASKED),
     ("manager", TEXT, TEXT)],
)  # fmt: skip
def test_order_detail_masks_descriptions_and_comments(
    session: Session, world: World, who: str, description: str, comment: str
) -> None:
    detail = get_order_detail(session=session, viewer=world.viewer(who),
                              order_id=world.public_order.id, now=NOW)  # fmt: skip
    assert detail.description == description
    assert detail.rating is not None
    assert detail.rating.comment == comment  # Alice's own comment, as she wrote it
    assert detail.rating.reply == (TEXT if who == "manager" else MASKED)  # the company's text
