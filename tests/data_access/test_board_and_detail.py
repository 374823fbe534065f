"""The live board and one order in detail: visibility, unread markers, timeline (both engines).

Times (UTC): the repair is created at T0 (deadlines: respond T0+30 min, resolve T0+72 h).
  T0          submitted  (王师傅)
  T0+20 min   accepted   → responded in time
  T0+1 h      dispatched
  T0+1 h      note in "dispatched"
  T0+26 h     in_progress (no parts: the optional stage is skipped, still a step)
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, TypedDict

import pytest
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.accounts.last_looks import ORDER_SCOPE, save_last_look
from data_access.errors import DomainError
from data_access.models import Account, Community, WorkOrder, WorkOrderEvent
from data_access.orders.work_orders import get_order_detail, list_board
from tests.data_access import factories as f

T0 = f.T0
NOW = T0 + dt.timedelta(hours=30)
H = dt.timedelta(hours=1)


class World(TypedDict):
    alice: Account
    bob: Account
    manager: Account
    committee: Account
    stranger: Account
    repair: WorkOrder
    complaint: WorkOrder


class BoardFilters(TypedDict, total=False):
    """``list_board``'s filters."""

    mine_only: bool
    order_type: str | None
    category: str | None
    stage: str | None
    area_id: int | None
    created_from: dt.datetime | None
    created_before: dt.datetime | None
    limit: int


def as_viewer(account: Account) -> Viewer:
    return Viewer(account_id=account.id, username=account.username, display_name="x",
                  role=account.role, community_id=account.community_id)  # fmt: skip


def event(session: Session, order_id: int, stage: str, at: dt.datetime, note: str = "") -> None:
    session.add(
        WorkOrderEvent(
            work_order_id=order_id, stage=stage, occurred_at=at, actor_name="王师傅", note=note
        )
    )
    session.flush()


@pytest.fixture
def world(session: Session) -> World:
    home, other = f.community(session), f.community(session)
    alice, bob = f.account(session, home), f.account(session, home)
    manager, committee = (
        f.account(session, home, role="manager"),
        f.account(session, home, role="committee"),
    )
    stranger = f.account(session, other, role="manager")
    repair = f.work_order(session, home, title="卫生间漏水", location="3栋2单元1201", visibility="private",
                          reporter_id=alice.id, reporter_name="张小花")  # fmt: skip
    event(session, repair.id, "submitted", T0)
    event(session, repair.id, "accepted", T0 + dt.timedelta(minutes=20))
    event(session, repair.id, "dispatched", T0 + H)
    event(session, repair.id, "dispatched", T0 + H, note="师傅下午到")
    event(session, repair.id, "in_progress", T0 + 26 * H)
    repair.responded_at = T0 + dt.timedelta(minutes=20)
    complaint = f.work_order(session, home, order_type="complaint", title="夜间施工噪音", location="5栋",
                             created_at=T0 - 2 * H)  # fmt: skip
    event(session, complaint.id, "submitted", T0 - 2 * H)
    session.flush()
    return {"alice": alice, "bob": bob, "manager": manager, "committee": committee,
            "stranger": stranger, "repair": repair, "complaint": complaint}  # fmt: skip


def test_board_shows_progress_and_the_deadline_that_matters(session: Session, world: World) -> None:
    board = list_board(session=session, viewer=as_viewer(world["alice"]), now=NOW)
    by_title = {o.title: o for o in board.orders}
    repair, complaint = by_title["卫生间漏水"], by_title["夜间施工噪音"]
    assert (repair.progress.stage, repair.progress.step, repair.progress.steps) == (
        "in_progress",
        4,
        6,
    )
    # responded: the resolution deadline (T0+72 h) matters now, not yet passed
    assert (repair.deadline_kind, repair.is_overdue) == ("resolve", False)
    # the complaint was never accepted: its response deadline (T0−2 h+30 min) has passed
    assert (complaint.deadline_kind, complaint.is_overdue) == ("respond", True)


def test_unread_marker_on_own_orders_only(session: Session, world: World) -> None:
    alice, repair = world["alice"], world["repair"]
    board = list_board(session=session, viewer=as_viewer(alice), now=NOW)
    assert {o.title: o.is_unread for o in board.orders} == {
        "卫生间漏水": True,
        "夜间施工噪音": False,
    }
    assert board.orders[0].title == "卫生间漏水"  # unread first
    looked = {"account_id": alice.id, "subject_id": repair.id}
    save_last_look(session=session, scope=ORDER_SCOPE, at=T0 + 27 * H, **looked)
    assert not list_board(session=session, viewer=as_viewer(alice), now=NOW).orders[0].is_unread
    event(session, repair.id, "awaiting_acceptance", T0 + 28 * H)
    mine = list_board(session=session, viewer=as_viewer(alice), now=NOW, mine_only=True)
    assert [(o.title, o.is_unread) for o in mine.orders] == [("卫生间漏水", True)]


@pytest.mark.parametrize(
    ("filters", "titles"),
    [
        ({"order_type": "complaint"}, ["夜间施工噪音"]),
        ({"stage": "in_progress"}, ["卫生间漏水"]),
        ({"stage": "parts_procurement"}, []),
        ({"created_from": T0 - dt.timedelta(minutes=1)}, ["卫生间漏水"]),
    ],
)
def test_board_filters(
    session: Session, world: World, filters: BoardFilters, titles: list[str]
) -> None:
    board = list_board(session=session, viewer=as_viewer(world["manager"]), now=NOW, **filters)
    assert [o.title for o in board.orders] == titles


def test_others_never_see_a_private_order_even_by_guessing_its_id(
    session: Session, world: World
) -> None:
    repair_id = world["repair"].id
    for outsider in (world["bob"], world["stranger"]):
        board = list_board(session=session, viewer=as_viewer(outsider), now=NOW)
        assert repair_id not in {o.order_id for o in board.orders}
        with pytest.raises(DomainError) as refused:
            get_order_detail(
                session=session, viewer=as_viewer(outsider), order_id=repair_id, now=NOW
            )
        assert refused.value.key == "order.not_found"
    with pytest.raises(DomainError):  # an id that does not exist reads exactly the same
        get_order_detail(session=session, viewer=as_viewer(world["bob"]), order_id=999_999, now=NOW)


@pytest.mark.parametrize(
    ("who", "location", "reporter", "actor"),
    # On her own order the reporter reads who works on it in full (issue 19); others see it masked.
    [("alice", "3栋2单元1201", "张小花", "王师傅"), ("committee", "3栋2单元***", "张**", "王**"),
     ("manager", "3栋2单元1201", "张小花", "王师傅")],
)  # fmt: skip
def test_detail_masks_by_role(
    session: Session,
    world: World,
    who: Literal["alice", "committee", "manager"],
    location: str,
    reporter: str,
    actor: str,
) -> None:
    detail = get_order_detail(
        session=session, viewer=as_viewer(world[who]), order_id=world["repair"].id, now=NOW
    )
    assert (detail.location, detail.reporter, detail.steps[0].actor) == (location, reporter, actor)


def test_timeline_times_and_deadlines(session: Session, world: World) -> None:
    detail = get_order_detail(
        session=session, viewer=as_viewer(world["alice"]), order_id=world["repair"].id, now=NOW
    )
    assert [(s.stage, s.spent, s.deadline_kind, s.deadline_met) for s in detail.steps] == [
        ("submitted", dt.timedelta(minutes=20), None, None),
        ("accepted", dt.timedelta(minutes=40), "respond", True),
        ("dispatched", 25 * H, None, None),
        ("dispatched", None, None, None),  # a note within the stage
        ("in_progress", 4 * H, None, None),  # current stage: until now
    ]
    assert detail.steps[3].note == "师傅下午到"
    assert detail.rating is None and detail.parts == [] and detail.photos == []


@pytest.mark.parametrize(
    ("who", "reporter"), [("alice", "李**"), ("committee", "李**"), ("manager", "李大山")]
)
def test_reporter_of_a_public_order_is_masked_for_others(
    session: Session, world: World, who: Literal["alice", "committee", "manager"], reporter: str
) -> None:
    bob = world["bob"]
    order = f.work_order(session, session.get_one(Community, bob.community_id), title="南门路灯不亮", location="南门",
                         reporter_id=bob.id, reporter_name="李大山")  # fmt: skip
    detail = get_order_detail(
        session=session, viewer=as_viewer(world[who]), order_id=order.id, now=NOW
    )
    assert (detail.reporter, detail.location) == (reporter, "南门")
    own = get_order_detail(session=session, viewer=as_viewer(bob), order_id=order.id, now=NOW)
    assert own.reporter == "李大山"


def test_an_owners_board_is_the_public_board_merged_with_their_own_orders(
    session: Session, world: World
) -> None:
    """Alice's board: her in-home repair (unread, T0+26 h) first, then by last activity: Bob's
    public order (T0−1 h), the complaint (T0−2 h), her own public order (T0−5 h, read: nothing
    happened since she reported it). Bob's in-home order is not hers to see. Four match; the
    first two are shown with ``limit=2``. The public part is the same for every owner (cached
    once per community), so her own public order must come from her part, as hers."""
    alice, bob = world["alice"], world["bob"]
    home = session.get(Community, alice.community_id)
    assert home is not None
    own_public = f.work_order(session, home, title="电梯异响", location="3栋", reporter_id=alice.id,
                              created_at=T0 - 5 * H)  # fmt: skip
    event(session, own_public.id, "submitted", T0 - 5 * H)
    bobs = f.work_order(session, home, title="路灯不亮", location="北门", reporter_id=bob.id,
                        created_at=T0 - H)  # fmt: skip
    event(session, bobs.id, "submitted", T0 - H)
    bobs_private = f.work_order(session, home, title="厨房漏水", location="5栋1单元101",
                                visibility="private", reporter_id=bob.id, created_at=T0)  # fmt: skip
    event(session, bobs_private.id, "submitted", T0)

    board = list_board(session=session, viewer=as_viewer(alice), now=NOW)
    assert [(o.title, o.is_mine, o.is_unread) for o in board.orders] == [
        ("卫生间漏水", True, True),
        ("路灯不亮", False, False),
        ("夜间施工噪音", False, False),
        ("电梯异响", True, False),
    ]
    assert board.total == 4
    first_two = list_board(session=session, viewer=as_viewer(alice), now=NOW, limit=2)
    assert ([o.title for o in first_two.orders], first_two.total) == (["卫生间漏水", "路灯不亮"], 4)
    mine = list_board(session=session, viewer=as_viewer(alice), now=NOW, mine_only=True)
    assert ([o.title for o in mine.orders], mine.total) == (["卫生间漏水", "电梯异响"], 2)
    bobs_board = list_board(session=session, viewer=as_viewer(bob), now=NOW)
    assert [(o.title, o.is_mine) for o in bobs_board.orders] == [
        ("厨房漏水", True),
        ("路灯不亮", True),
        ("夜间施工噪音", False),
        ("电梯异响", False),
    ]
