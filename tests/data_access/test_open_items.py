"""Open orders, open tickets and the public feed: who sees what (docs/domain.md)."""

from __future__ import annotations

import datetime as dt
from typing import Literal, TypedDict

import pytest
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.dashboards.overview import list_public_updates
from data_access.models import Account, Community, TicketEvent, WorkOrder, WorkOrderEvent
from data_access.orders.work_orders import list_open_orders, open_order_reporters
from data_access.tickets.open_tickets import list_open_tickets
from tests.data_access import factories as f

T0 = f.T0
NOW = T0 + dt.timedelta(hours=30)

Person = Literal["alice", "bob", "committee", "manager", "stranger"]


class World(TypedDict):
    alice: Account
    bob: Account
    committee: Account
    manager: Account
    stranger: Account
    home: Community
    other: Community
    public: WorkOrder


def as_viewer(account: Account) -> Viewer:
    return Viewer(account_id=account.id, username=account.username, display_name="x",
                  role=account.role, community_id=account.community_id)  # fmt: skip


@pytest.fixture
def world(session: Session) -> World:
    home, other = f.community(session), f.community(session)
    alice, bob = f.account(session, home), f.account(session, home)
    committee, manager = (
        f.account(session, home, role="committee"),
        f.account(session, home, role="manager"),
    )
    stranger = f.account(session, other)
    public = f.work_order(session, home, title="电梯异响", location="3栋电梯")
    alice_private = f.work_order(session, home, title="卫生间漏水", location="3栋2单元1201",
                                 visibility="private", reporter_id=alice.id)  # fmt: skip
    bob_private = f.work_order(session, home, title="厨房下水道堵塞", location="5栋1单元301",
                               visibility="private", reporter_id=bob.id)  # fmt: skip
    f.work_order(session, home, title="已修好", completed_at=T0 + dt.timedelta(hours=2))
    f.work_order(session, other, title="别的小区")
    for order, stages in ((public, ["submitted", "accepted", "dispatched", "parts_procurement"]),
                          (alice_private, ["submitted"]), (bob_private, ["submitted", "accepted"])):  # fmt: skip
        for i, stage in enumerate(stages):
            session.add(WorkOrderEvent(work_order_id=order.id, stage=stage, occurred_at=T0 + dt.timedelta(minutes=i),
                                       actor_name="王师傅", note=f"{order.title}:{stage}"))  # fmt: skip
    session.flush()
    return {"alice": alice, "bob": bob, "committee": committee, "manager": manager, "stranger": stranger,
            "home": home, "other": other, "public": public}  # fmt: skip


@pytest.mark.parametrize(
    ("who", "titles"),
    [
        ("alice", ["电梯异响", "卫生间漏水"]),  # public + her own private order, not Bob's
        ("bob", ["电梯异响", "厨房下水道堵塞"]),
        ("committee", ["电梯异响", "卫生间漏水", "厨房下水道堵塞"]),
        ("manager", ["电梯异响", "卫生间漏水", "厨房下水道堵塞"]),
        ("stranger", ["别的小区"]),
    ],
)
def test_open_orders_by_viewer(
    session: Session, world: World, who: Person, titles: list[str]
) -> None:
    orders = list_open_orders(session=session, viewer=as_viewer(world[who]))
    assert sorted(o.title for o in orders) == sorted(titles)


def test_the_owners_with_an_open_order_are_read_once_per_community(
    session: Session, world: World
) -> None:
    """Alice and Bob each have an open in-home order, Carol an open public one; completed
    orders do not count (the committee member's in-home one, Dan's public one); the other
    community's owners are not among them."""
    carol = f.account(session, world["home"], username="carol", role="owner")
    dan = f.account(session, world["home"], username="dan", role="owner")
    f.work_order(session, world["home"], title="已修好的私单", visibility="private",
                 reporter_id=world["committee"].id, completed_at=T0 + dt.timedelta(hours=3))  # fmt: skip
    f.work_order(
        session, world["home"], title="楼道灯不亮", visibility="public", reporter_id=carol.id
    )
    f.work_order(session, world["home"], title="已修好的公单", visibility="public",
                 reporter_id=dan.id, completed_at=T0 + dt.timedelta(hours=3))  # fmt: skip
    f.work_order(session, world["other"], title="别处的私单", visibility="private",
                 reporter_id=world["stranger"].id)  # fmt: skip
    home = open_order_reporters(session=session, community_id=world["home"].id)
    assert home.private_order == {world["alice"].id, world["bob"].id}
    assert home.any_order == {world["alice"].id, world["bob"].id, carol.id}
    other = open_order_reporters(session=session, community_id=world["other"].id)
    assert other.private_order == other.any_order == {world["stranger"].id}


def test_private_location_is_masked_for_the_committee_only(session: Session, world: World) -> None:
    def location(who: Person) -> str:
        orders = list_open_orders(session=session, viewer=as_viewer(world[who]))
        return next(o.location for o in orders if o.title == "卫生间漏水")

    assert location("alice") == "3栋2单元1201"
    assert location("manager") == "3栋2单元1201"
    assert location("committee") == "3栋2单元***"


def test_open_order_progress_is_derived_from_events(session: Session, world: World) -> None:
    orders = list_open_orders(session=session, viewer=as_viewer(world["alice"]))
    public = next(o for o in orders if o.title == "电梯异响")
    assert (public.progress.stage, public.progress.step, public.progress.steps) == (
        "parts_procurement",
        3,
        6,
    )
    mine = next(o for o in orders if o.title == "卫生间漏水")
    assert mine.is_mine and mine.is_private


def test_an_owners_open_orders_merge_public_and_own_newest_first(
    session: Session, world: World
) -> None:
    """An owner's list is the community's public orders (one cached list for every owner)
    merged with their own private ones: newest first, cut at the limit, theirs marked."""
    home, alice = world["home"], world["alice"]
    hour = dt.timedelta(hours=1)
    f.work_order(session, home, title="公共旧", created_at=T0 + 1 * hour)
    f.work_order(session, home, title="阿丽私密", created_at=T0 + 2 * hour,
                 visibility="private", reporter_id=alice.id)  # fmt: skip
    f.work_order(session, home, title="阿丽公共", created_at=T0 + 3 * hour,
                 reporter_id=alice.id)  # fmt: skip
    f.work_order(session, home, title="鲍勃私密", created_at=T0 + 4 * hour,
                 visibility="private", reporter_id=world["bob"].id)  # fmt: skip
    orders = list_open_orders(session=session, viewer=as_viewer(alice), limit=3)
    assert [(o.title, o.is_mine, o.is_private) for o in orders] == [
        ("阿丽公共", True, False),
        ("阿丽私密", True, True),
        ("公共旧", False, False),
    ]


def test_open_tickets_nearest_deadline_first(session: Session, world: World) -> None:
    home = world["home"]
    submitted = f.ticket(session, home, "submitted")  # accept due T0+24h → overdue at NOW
    in_progress = f.ticket(session, home, "in_progress")  # fix due T0+7d
    waiting = f.ticket(session, home, "awaiting_confirmation")
    f.ticket(session, home, "closed")
    f.ticket(session, home, "rejected")
    f.ticket(session, world["other"])
    waiting.fix_due_at = T0 + dt.timedelta(hours=1)  # passed, but the company's part is done
    session.flush()
    tickets = list_open_tickets(session=session, viewer=as_viewer(world["alice"]), now=NOW)
    assert [t.ticket_id for t in tickets] == [waiting.id, submitted.id, in_progress.id]
    assert [(t.deadline_kind, t.is_overdue) for t in tickets] == [
        ("fix", False),
        ("accept", True),
        ("fix", False),
    ]


def test_public_feed_never_shows_private_orders(session: Session, world: World) -> None:
    ticket = f.ticket(session, world["home"], "accepted")
    session.add(TicketEvent(ticket_id=ticket.id, from_status="submitted", to_status="accepted",
                            occurred_at=T0 + dt.timedelta(hours=1), actor_name="刘经理", note="已安排"))  # fmt: skip
    session.flush()
    for account in (world["alice"], world["committee"], world["manager"]):
        updates = list_public_updates(session=session, viewer=as_viewer(account), limit=20)
        assert {u.title for u in updates} == {"电梯异响", "垃圾清运不及时"}
        assert updates[0].subject == "ticket"  # newest first
    owner_view = list_public_updates(session=session, viewer=as_viewer(world["alice"]))
    manager_view = list_public_updates(session=session, viewer=as_viewer(world["manager"]))
    assert {u.actor for u in owner_view} == {"王**", "刘**"}
    assert {u.actor for u in manager_view} == {"王师傅", "刘经理"}


def test_public_feed_masks_names_typed_into_ticket_titles_and_notes(
    session: Session, world: World
) -> None:
    """The Overview's feed is cached once per community for every owner and committee member,
    so names typed into free text are masked there, as on the rectification board (issue 7)."""
    f.staff(session, world["home"], name="黎家豪")
    world["alice"].display_name = "陈美玲"
    ticket = f.ticket(session, world["home"], "accepted")
    ticket.title = "陈美玲家门口垃圾未清"
    session.add(TicketEvent(ticket_id=ticket.id, from_status="submitted", to_status="accepted",
                            occurred_at=T0 + dt.timedelta(hours=1), actor_name="刘经理",
                            note="已派单给黎家豪师傅"))  # fmt: skip
    session.flush()
    for account in (world["alice"], world["bob"], world["committee"]):
        newest = list_public_updates(session=session, viewer=as_viewer(account))[0]
        assert (newest.title, newest.note) == ("陈**家门口垃圾未清", "已派单给黎**师傅")
    newest = list_public_updates(session=session, viewer=as_viewer(world["manager"]))[0]
    assert (newest.title, newest.note) == ("陈美玲家门口垃圾未清", "已派单给黎家豪师傅")


def test_open_ticket_titles_mask_names_like_the_public_feed(session: Session, world: World) -> None:
    """The Overview's open tickets are one list per community (cached once for every owner),
    so names typed into a title are masked for owners and the committee, their own too;
    which ticket is theirs still shows."""
    world["alice"].display_name = "陈美玲"
    world["bob"].display_name = "周建华"
    ticket = f.ticket(session, world["home"], "submitted")
    ticket.title = "陈美玲反映周建华家装修噪音"
    ticket.owner_id = world["alice"].id
    session.flush()

    def shown_to(who: Person) -> tuple[str, bool]:
        [shown] = list_open_tickets(session=session, viewer=as_viewer(world[who]), now=NOW)
        return shown.title, shown.is_mine

    assert shown_to("alice") == ("陈**反映周**家装修噪音", True)
    assert shown_to("bob") == ("陈**反映周**家装修噪音", False)
    assert shown_to("committee") == ("陈**反映周**家装修噪音", False)
    assert shown_to("manager") == ("陈美玲反映周建华家装修噪音", False)
