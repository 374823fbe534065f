"""The owner's own orders (issue 19): 我的工单's three lists and the to-rate count, the rating
window, the "completed: please rate" notice written when an order completes, notifications read
one by one when their order or ticket is opened, and 我要报修."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.errors import DomainError, NotAllowed
from data_access.models import (
    Community,
    Notice,
    Rating,
    SyncLink,
    WorkOrder,
    WorkOrderEvent,
)
from data_access.notifications.notices import write_completion_notices
from data_access.notifications.notifications import (
    list_notifications,
    mark_notifications_seen,
    unread_count,
)
from data_access.orders.my_orders import count_to_rate, list_my_orders
from data_access.orders.order_commands import advance_order, mark_order_seen
from data_access.orders.repair_requests import MAX_REPAIRS_PER_DAY, my_units, report_repair
from data_access.orders.work_orders import get_order_detail
from data_access.tickets import ticket_board, ticket_commands
from data_access.tickets.ratings import rate_order, reply_to_rating
from tests.data_access import factories as f
from tests.data_access.factories import T0

H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)
NOW = T0 + 40 * D


viewer = f.viewer_of


@dataclass(frozen=True)
class Mine:
    community: Community
    owner: Viewer
    neighbour: Viewer
    manager: Viewer
    to_rate: int  # completed 2 days before NOW, not rated
    too_late: int  # completed 31 days before NOW, not rated
    rated: int  # completed 5 days before NOW, rated ★★★★ / ★★★★★ / ★★★
    open: int


@pytest.fixture
def mine(session: Session, tmp_path: Path) -> Mine:
    c = f.community(session)
    f.contract(session, c)
    owner, neighbour = f.account(session, c), f.account(session, c)
    manager = f.account(session, c, role="manager")
    me = owner.id
    to_rate = f.work_order(session, c, created_at=NOW - 3 * D, completed_at=NOW - 2 * D,
                           title="水龙头滴水", reporter_id=me)  # fmt: skip
    too_late = f.work_order(session, c, created_at=NOW - 32 * D, completed_at=NOW - 31 * D,
                            title="门铃坏了", reporter_id=me)  # fmt: skip
    rated = f.work_order(session, c, created_at=NOW - 6 * D, completed_at=NOW - 5 * D,
                         title="灯不亮", reporter_id=me)  # fmt: skip
    opened = f.order_at_stage(session, c, stage="accepted", created_at=NOW - H, title="漏水",
                              reporter_id=me)  # fmt: skip
    f.work_order(session, c, completed_at=NOW - D, reporter_id=neighbour.id, title="邻居的")
    session.flush()
    rate_order(session=session, viewer=viewer(owner), order_id=rated.id, score_speed=4,
               score_attitude=5, score_quality=3, comment="", now=NOW - 4 * D,
               media_dir=tmp_path)  # fmt: skip
    return Mine(c, viewer(owner), viewer(neighbour), viewer(manager), to_rate.id, too_late.id,
                rated.id, opened.id)  # fmt: skip


def test_my_orders_are_split_into_to_rate_open_and_finished(session: Session, mine: Mine) -> None:
    lists = list_my_orders(session=session, viewer=mine.owner, now=NOW)
    assert [o.order_id for o in lists.to_rate] == [mine.to_rate]
    assert [o.order_id for o in lists.open] == [mine.open]
    assert [o.order_id for o in lists.finished] == [mine.rated, mine.too_late]
    (to_rate,) = lists.to_rate
    assert to_rate.rate_until == NOW - 2 * D + 30 * D
    rated, too_late = lists.finished
    assert (rated.scores, rated.rate_until) == ((4, 5, 3), None)
    assert (too_late.scores, too_late.rate_until) == (None, None)
    assert lists.open[0].progress.stage == "accepted"
    assert count_to_rate(session=session, viewer=mine.owner, now=NOW) == 1
    # A day before the window closes on the second one, both waited.
    assert count_to_rate(session=session, viewer=mine.owner, now=NOW - 2 * D) == 2
    assert count_to_rate(session=session, viewer=mine.neighbour, now=NOW) == 1


def test_an_order_cannot_be_rated_after_its_window(
    session: Session, mine: Mine, tmp_path: Path
) -> None:
    with pytest.raises(DomainError) as refused:
        rate_order(session=session, viewer=mine.owner, order_id=mine.too_late, score_speed=5,
                   score_attitude=5, score_quality=5, comment="", now=NOW, media_dir=tmp_path)  # fmt: skip
    assert refused.value.key == "rating.window_closed"
    detail = get_order_detail(session=session, viewer=mine.owner, order_id=mine.too_late, now=NOW)
    assert not detail.can_rate
    detail = get_order_detail(session=session, viewer=mine.owner, order_id=mine.to_rate, now=NOW)
    assert detail.can_rate and detail.rate_until == NOW + 28 * D
    result = rate_order(session=session, viewer=mine.owner, order_id=mine.to_rate, score_speed=5,
                        score_attitude=5, score_quality=5, comment="", now=NOW, media_dir=tmp_path)  # fmt: skip
    assert result.created
    assert count_to_rate(session=session, viewer=mine.owner, now=NOW) == 0


def test_completing_an_order_tells_its_owner_once(session: Session, mine: Mine) -> None:
    at = NOW - 30 * 60 * dt.timedelta(seconds=1)
    for stage in ("dispatched", "in_progress", "awaiting_acceptance", "completed"):
        advance_order(session=session, order_id=mine.open, to_stage=stage, at=at,
                      actor_name="维修工")  # fmt: skip
    notices = session.execute(select(Notice.account_id, Notice.kind, Notice.created_at)).all()
    assert notices == [(mine.owner.account_id, "order_completed", at)]
    # Written once: a second pass over the community finds nothing new to tell (the two older
    # completions of the fixture are told now, the one outside the window is not).
    assert write_completion_notices(session=session, community_id=mine.community.id, now=NOW) == 3
    assert write_completion_notices(session=session, community_id=mine.community.id, now=NOW) == 0
    told = set(session.scalars(select(Notice.work_order_id)))
    assert mine.too_late not in told and mine.open in told

    items = list_notifications(session=session, viewer=mine.owner, now=NOW).items
    about_open = [(n.kind, n.code) for n in items if n.target_id == mine.open]
    # The completion is the notice ("please rate"), not also a plain stage event.
    assert about_open == [
        ("order_completed", ""),
        ("order_stage", "awaiting_acceptance"),
        ("order_stage", "in_progress"),
        ("order_stage", "dispatched"),
        ("order_stage", "accepted"),
        ("order_stage", "submitted"),
    ]


def test_an_order_without_an_owner_account_tells_nobody(session: Session, mine: Mine) -> None:
    anonymous = f.order_at_stage(session, mine.community, stage="awaiting_acceptance",
                                 created_at=NOW - H)  # fmt: skip
    by_manager = f.order_at_stage(session, mine.community, stage="awaiting_acceptance",
                                  created_at=NOW - H, reporter_id=mine.manager.account_id)  # fmt: skip
    for order in (anonymous, by_manager):
        advance_order(session=session, order_id=order.id, to_stage="completed", at=NOW,
                      actor_name="客服")  # fmt: skip
    assert session.scalar(select(func.count()).select_from(Notice)) == 0


def test_opening_an_order_reads_its_notifications_only(session: Session, mine: Mine) -> None:
    for order_id, stage in ((mine.open, "dispatched"), (mine.to_rate, "completed")):
        session.add(WorkOrderEvent(work_order_id=order_id, stage=stage, occurred_at=NOW - H,
                                   actor_name="客服"))  # fmt: skip
    session.flush()
    before = unread_count(session=session, viewer=mine.owner, now=NOW)
    items = list_notifications(session=session, viewer=mine.owner, now=NOW).items
    unread_of_open = sum(n.is_unread for n in items if n.target_id == mine.open)
    assert unread_of_open >= 2  # accepted (fixture) and dispatched, both within the week
    mark_order_seen(session=session, viewer=mine.owner, order_id=mine.open, at=NOW)
    after = list_notifications(session=session, viewer=mine.owner, now=NOW)
    assert not any(n.is_unread for n in after.items if n.target_id == mine.open)
    assert any(n.is_unread for n in after.items if n.target_id == mine.to_rate)
    assert after.unread == before - unread_of_open
    assert unread_count(session=session, viewer=mine.owner, now=NOW) == after.unread
    # Something new on the opened order is unread again.
    session.add(WorkOrderEvent(work_order_id=mine.open, stage="in_progress",
                               occurred_at=NOW + H, actor_name="维修工"))  # fmt: skip
    session.flush()
    assert unread_count(session=session, viewer=mine.owner, now=NOW + H) == after.unread + 1
    mark_notifications_seen(session=session, viewer=mine.owner, at=NOW + H)
    assert unread_count(session=session, viewer=mine.owner, now=NOW + H) == 0


def test_opening_a_ticket_reads_its_notifications(session: Session, mine: Mine) -> None:
    ticket_id = ticket_commands.open_ticket(
        session=session, viewer=mine.owner, title="路灯不亮", category="electrical",
        description="", now=NOW - 2 * H,
    )  # fmt: skip
    ticket_commands.accept_ticket(session=session, viewer=mine.manager, ticket_id=ticket_id,
                                  now=NOW - H, expected_version=1)  # fmt: skip
    assert any(
        n.is_unread and n.target == "ticket"
        for n in list_notifications(session=session, viewer=mine.owner, now=NOW).items
    )
    ticket_commands.mark_ticket_seen(session=session, viewer=mine.owner, ticket_id=ticket_id,
                                     at=NOW)  # fmt: skip
    assert not any(
        n.is_unread and n.target == "ticket"
        for n in list_notifications(session=session, viewer=mine.owner, now=NOW).items
    )
    stranger = f.account(session, f.community(session))
    with pytest.raises(DomainError):
        ticket_commands.mark_ticket_seen(session=session, viewer=viewer(stranger),
                                         ticket_id=ticket_id, at=NOW)  # fmt: skip


# --- 我要报修 ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Homes:
    community: Community
    owner: Viewer
    other_owner: Viewer
    my_unit: int
    their_unit: int
    garden: int


@pytest.fixture
def homes(session: Session) -> Homes:
    c = f.community(session)
    f.contract(session, c)
    building = f.building(session, c, name="3栋")
    mine, theirs = f.unit(session, building, 2, "1201"), f.unit(session, building, 1, "101")
    owner = f.account(session, c, units=(mine,))
    other = f.account(session, c, units=(theirs,))
    garden = f.building(session, c, name="中心花园")
    return Homes(c, viewer(owner), viewer(other), mine.id, theirs.id, garden.id)


def test_a_repair_at_home_becomes_a_private_order_with_its_visit_slot(
    session: Session, homes: Homes, tmp_path: Path
) -> None:
    assert my_units(session=session, viewer=homes.owner) == [(homes.my_unit, "3栋2单元1201")]
    order_id = report_repair(
        session=session, viewer=homes.owner, category="plumbing",
        description="厨房水龙头一直滴水,关不紧,已经两天了", unit_id=homes.my_unit,
        visit_slot="weekday_evening", now=NOW, media_dir=tmp_path,
    )  # fmt: skip
    order = session.get_one(WorkOrder, order_id)
    assert (order.order_type, order.visibility, order.location, order.preferred_visit) == (
        "repair", "private", "3栋2单元1201", "weekday_evening",
    )  # fmt: skip
    assert order.title == "厨房水龙头一直滴水,关不紧,已经两天了"
    assert order.code == f"BX{(NOW + 8 * H):%Y%m%d}001"
    assert order.reporter_id == homes.owner.account_id
    events = session.scalars(select(WorkOrderEvent).where(WorkOrderEvent.work_order_id == order_id))
    assert [(e.stage, e.actor_account_id) for e in events] == [
        ("submitted", homes.owner.account_id)
    ]
    lists = list_my_orders(session=session, viewer=homes.owner, now=NOW)
    assert [o.order_id for o in lists.open] == [order_id]
    # The neighbour does not see it; the owner's detail shows the slot.
    with pytest.raises(DomainError):
        get_order_detail(session=session, viewer=homes.other_owner, order_id=order_id, now=NOW)
    detail = get_order_detail(session=session, viewer=homes.owner, order_id=order_id, now=NOW)
    assert detail.preferred_visit == "weekday_evening"


def test_a_public_repair_is_public_and_numbered_on(
    session: Session, homes: Homes, tmp_path: Path
) -> None:
    ids = [
        report_repair(
            session=session,
            viewer=homes.owner,
            category="electrical",
            description=f"中心花园的路灯不亮{i}",
            area_id=homes.garden,
            now=NOW + i * H,
            media_dir=tmp_path,
        )
        for i in range(2)
    ]
    orders = [session.get_one(WorkOrder, i) for i in ids]
    assert [(o.visibility, o.location, o.preferred_visit) for o in orders] == [
        ("public", "中心花园", "")
    ] * 2
    assert [o.code[-3:] for o in orders] == ["001", "002"]


@pytest.mark.parametrize(
    ("place", "slot", "key"),
    [
        ({"unit_id": "their"}, "any", "repair.unit_invalid"),
        ({}, "", "repair.place_required"),
        ({"unit_id": "mine", "area_id": "garden"}, "any", "repair.place_required"),
        ({"unit_id": "mine"}, "midnight", "repair.slot_invalid"),
        ({"area_id": "elsewhere"}, "", "repair.area_invalid"),
    ],
)
def test_a_repair_in_a_place_not_mine_or_unclear_is_refused(
    session: Session, homes: Homes, place: dict[str, str], slot: str, key: str
) -> None:
    elsewhere = f.building(session, f.community(session), name="别处")
    ids = {"mine": homes.my_unit, "their": homes.their_unit, "garden": homes.garden,
           "elsewhere": elsewhere.id}  # fmt: skip
    with pytest.raises(DomainError) as refused:
        report_repair(session=session, viewer=homes.owner, category="plumbing",
                      description="水管漏水了", visit_slot=slot, now=NOW,
                      **{name: ids[which] for name, which in place.items()})  # type: ignore[arg-type]  # fmt: skip
    assert refused.value.key == key
    assert session.scalar(select(func.count()).select_from(WorkOrder)) == 0


def test_repairs_are_for_owners_of_a_community_without_a_source(
    session: Session, homes: Homes
) -> None:
    manager = viewer(f.account(session, homes.community, role="manager"))
    with pytest.raises(NotAllowed):
        report_repair(session=session, viewer=manager, category="plumbing",
                      description="水管漏水了", area_id=homes.garden, now=NOW)  # fmt: skip
    session.add(SyncLink(source="hc", kind="community", external_id="7020",
                         community_id=homes.community.id, local_id=homes.community.id,
                         first_seen_at=NOW, changed_at=NOW))  # fmt: skip
    session.flush()
    with pytest.raises(DomainError) as refused:
        report_repair(session=session, viewer=homes.owner, category="plumbing",
                      description="水管漏水了", area_id=homes.garden, now=NOW)  # fmt: skip
    assert refused.value.key == "repair.use_source"


def test_an_owner_reports_at_most_ten_repairs_a_day(
    session: Session, homes: Homes, tmp_path: Path
) -> None:
    def report(at: dt.datetime) -> int:
        return report_repair(session=session, viewer=homes.owner, category="plumbing",
                             description="水管漏水了", area_id=homes.garden, now=at,
                             media_dir=tmp_path)  # fmt: skip

    morning = T0  # 10:00 local
    for i in range(MAX_REPAIRS_PER_DAY):
        report(morning + i * dt.timedelta(minutes=5))
    with pytest.raises(DomainError) as refused:
        report(morning + H)
    assert refused.value.key == "repair.daily_limit_reached"
    report(morning + 15 * H)  # 01:00 the next local day


def test_a_person_sees_their_own_order_unmasked_with_the_desks_phone(
    session: Session, mine: Mine
) -> None:
    """Her own name, the technician's and the desk's phone on her own order; on a neighbour's
    public order the same technician is masked and no phone is offered."""
    session.get_one(Community, mine.community.id).service_phone = "0571-8600 1001"
    neighbours = f.work_order(session, mine.community, created_at=NOW - H,
                              reporter_id=mine.neighbour.account_id)  # fmt: skip
    for order_id in (mine.open, neighbours.id):
        session.add(WorkOrderEvent(work_order_id=order_id, stage="dispatched",
                                   occurred_at=NOW - 30 * 60 * dt.timedelta(seconds=1),
                                   actor_name="徐建国师傅", actor_staff_id=None))  # fmt: skip
    session.add(WorkOrderEvent(work_order_id=neighbours.id, stage="submitted", occurred_at=NOW - H,
                               actor_name="林晓雯", actor_account_id=mine.owner.account_id))  # fmt: skip
    session.flush()
    own = get_order_detail(session=session, viewer=mine.owner, order_id=mine.open, now=NOW)
    assert "徐建国师傅" in [step.actor for step in own.steps]
    assert own.service_phone == "0571-8600 1001"
    theirs = get_order_detail(session=session, viewer=mine.owner, order_id=neighbours.id, now=NOW)
    actors = [step.actor for step in theirs.steps]
    assert "徐建国师傅" not in actors and "徐**" in "".join(actors)
    assert "林晓雯" in actors  # a step she took herself is hers to read
    assert theirs.service_phone == ""


# --- a ticket's end answers the rating that opened it ------------------------------------------------
@pytest.fixture
def jpeg_bytes() -> bytes:
    out = BytesIO()
    Image.new("RGB", (80, 60), (40, 90, 200)).save(out, "JPEG")
    return out.getvalue()


def low_rating(session: Session, mine: Mine, tmp_path: Path, photo: bytes) -> tuple[int, int]:
    result = rate_order(session=session, viewer=mine.owner, order_id=mine.to_rate,
                        score_speed=1, score_attitude=3, score_quality=2, comment="还在滴水",
                        now=NOW, photos=[photo], media_dir=tmp_path)  # fmt: skip
    assert result.ticket_id is not None
    return result.rating_id, result.ticket_id


def walk_to_confirmation(session: Session, mine: Mine, ticket_id: int, note: str) -> None:
    t = ticket_commands
    t.accept_ticket(session=session, viewer=mine.manager, ticket_id=ticket_id, now=NOW + H)
    t.start_work(session=session, viewer=mine.manager, ticket_id=ticket_id, now=NOW + 2 * H)
    t.request_confirmation(session=session, viewer=mine.manager, ticket_id=ticket_id,
                           now=NOW + 3 * H, note=note)  # fmt: skip


def test_closing_the_ticket_answers_the_rating_with_its_outcome(
    session: Session, mine: Mine, tmp_path: Path, jpeg_bytes: bytes
) -> None:
    rating_id, ticket_id = low_rating(session, mine, tmp_path, jpeg_bytes)
    walk_to_confirmation(session, mine, ticket_id, "已更换阀芯,试水两小时无滴漏")
    rating = session.get_one(Rating, rating_id)
    assert rating.replied_at is None  # the fix is not done until the owner says so
    ticket_commands.confirm_fix(session=session, viewer=mine.owner, ticket_id=ticket_id,
                                now=NOW + 4 * H)  # fmt: skip
    session.refresh(rating)
    assert rating.replied_at == NOW + 4 * H
    assert "业主已确认整改完成" in rating.reply and "已更换阀芯,试水两小时无滴漏" in rating.reply
    # Everyone who may see the ticket sees the rating's photo on it.
    detail = ticket_board.get_ticket_detail(session=session, viewer=mine.neighbour,
                                            ticket_id=ticket_id, now=NOW + 5 * H)  # fmt: skip
    assert detail.rating is not None and len(detail.rating.photos) == 1
    assert detail.rating.reply == rating.reply


def test_a_reply_given_before_the_ticket_ends_is_kept(
    session: Session, mine: Mine, tmp_path: Path, jpeg_bytes: bytes
) -> None:
    rating_id, ticket_id = low_rating(session, mine, tmp_path, jpeg_bytes)
    reply_to_rating(session=session, viewer=mine.manager, rating_id=rating_id,
                    reply="抱歉,明天上门", now=NOW + H, expected_version=1)  # fmt: skip
    walk_to_confirmation(session, mine, ticket_id, "修好了")
    ticket_commands.confirm_fix(session=session, viewer=mine.owner, ticket_id=ticket_id,
                                now=NOW + 4 * H)  # fmt: skip
    rating = session.get_one(Rating, rating_id)
    assert (rating.reply, rating.replied_at) == ("抱歉,明天上门", NOW + H)


def test_a_rejected_or_auto_closed_ticket_answers_with_what_happened(
    session: Session, mine: Mine, tmp_path: Path, jpeg_bytes: bytes
) -> None:
    rating_id, ticket_id = low_rating(session, mine, tmp_path, jpeg_bytes)
    ticket_commands.reject_ticket(session=session, viewer=mine.manager, ticket_id=ticket_id,
                                  reason="属业主自购龙头,不在物业保修范围", now=NOW + H)  # fmt: skip
    assert session.get_one(Rating, rating_id).reply == "不予整改:属业主自购龙头,不在物业保修范围"

    later = f.work_order(session, mine.community, created_at=NOW - 2 * D, completed_at=NOW - D,
                         reporter_id=mine.owner.account_id)  # fmt: skip
    result = rate_order(session=session, viewer=mine.owner, order_id=later.id, score_speed=1,
                        score_attitude=1, score_quality=1, comment="没修好", now=NOW,
                        media_dir=tmp_path)  # fmt: skip
    assert result.ticket_id is not None
    walk_to_confirmation(session, mine, result.ticket_id, "")
    assert ticket_commands.auto_close_due_tickets(session=session, now=NOW + 30 * D) == 1
    rating = session.get_one(Rating, result.rating_id)
    assert rating.replied_at == NOW + 30 * D
    assert "业主未在期限内确认" in rating.reply
