"""Per-owner limits against spam (issue 14, defect 6), on both engines.

An owner or committee member opens at most the contract's ``max_owner_tickets_per_day`` tickets
per local day of the community (default 10) and edits ratings at most
``max_rating_edits_per_hour`` times in any hour (default 5). Managers are exempt, tickets opened
by a red-line rating do not count, and a refusal says when to try again and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from data_access.accounts.auth import Viewer
from data_access.db import write_session
from data_access.errors import DomainError
from data_access.models import (
    Account,
    Community,
    Rating,
    RatingEdit,
    RectificationTicket,
    ServiceContract,
    TicketEvent,
)
from data_access.tickets import ratings
from data_access.tickets import ticket_commands as tc
from tests.data_access import factories as f

# 10:00 on 1 October 2026 in Shanghai (naive UTC, as stored); the community's day runs from
# 16:00 UTC the evening before to 16:00 UTC.
T0 = f.T0
MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)


@dataclass
class World:
    community: Community
    contract: ServiceContract
    owner: Viewer
    other_owner: Viewer
    committee: Viewer
    manager: Viewer


def _viewer(account: Account) -> Viewer:
    return Viewer(
        account_id=account.id, username=account.username, display_name="业主",
        role=account.role, community_id=account.community_id,
    )  # fmt: skip


@pytest.fixture
def world(session: Session) -> World:
    c = f.community(session)
    contract = f.contract(session, c)
    return World(
        community=c,
        contract=contract,
        owner=_viewer(f.account(session, c, "owner")),
        other_owner=_viewer(f.account(session, c, "owner")),
        committee=_viewer(f.account(session, c, "committee")),
        manager=_viewer(f.account(session, c, "manager")),
    )


def _open(session: Session, viewer: Viewer, now: dt.datetime = T0, **kw: Any) -> int:
    return tc.open_ticket(
        session=session, viewer=viewer, title="垃圾桶满溢", category="cleaning",
        description="3栋门口", now=now, **kw,
    )  # fmt: skip


def _counts(session: Session) -> tuple[int, int, int]:
    return (
        session.scalar(select(func.count()).select_from(RectificationTicket)) or 0,
        session.scalar(select(func.count()).select_from(TicketEvent)) or 0,
        session.scalar(select(func.count()).select_from(RatingEdit)) or 0,
    )


# --- tickets ------------------------------------------------------------------------------------
def test_the_eleventh_ticket_of_the_day_is_refused_with_a_clear_message(
    session: Session, world: World
) -> None:
    for i in range(10):
        _open(session, world.owner, now=T0 + i * MINUTE)
    before = _counts(session)
    with pytest.raises(DomainError) as refused:
        _open(session, world.owner, now=T0 + 10 * MINUTE)
    assert refused.value.key == "ticket.daily_limit_reached"
    assert refused.value.message("zh") == (
        "您今天已提交 10 条整改单,已达每日上限;请明天(0 点后)再提交。"
        "如有紧急情况,请直接联系物业客服。"
    )
    assert "10 tickets today" in refused.value.message("en")
    assert _counts(session) == before  # nothing written


def test_another_owner_of_the_same_community_is_unaffected(session: Session, world: World) -> None:
    for i in range(10):
        _open(session, world.owner, now=T0 + i * MINUTE)
    assert _open(session, world.other_owner, now=T0 + 11 * MINUTE)
    with pytest.raises(DomainError):
        _open(session, world.owner, now=T0 + 12 * MINUTE)


def test_committee_members_are_limited_like_owners(session: Session, world: World) -> None:
    world.contract.max_owner_tickets_per_day = 1
    _open(session, world.committee)
    with pytest.raises(DomainError) as refused:
        _open(session, world.committee)
    assert refused.value.key == "ticket.daily_limit_reached"


def test_the_day_is_the_communitys_local_day(session: Session, world: World) -> None:
    world.contract.max_owner_tickets_per_day = 2
    late = dt.datetime(2026, 10, 1, 15, 50)  # 23:50 on 1 October in Shanghai
    _open(session, world.owner, now=late - HOUR)
    _open(session, world.owner, now=late)
    with pytest.raises(DomainError):
        _open(session, world.owner, now=late + 9 * MINUTE)  # 23:59
    # 00:00 on 2 October in Shanghai: a new day, although only ten minutes have passed
    assert _open(session, world.owner, now=late + 10 * MINUTE)


def test_the_limit_follows_the_contract_setting(session: Session, world: World) -> None:
    world.contract.max_owner_tickets_per_day = 2
    session.flush()
    _open(session, world.owner)
    _open(session, world.owner)
    with pytest.raises(DomainError) as refused:
        _open(session, world.owner)
    assert "已提交 2 条整改单" in refused.value.message("zh")


def test_without_a_contract_in_force_the_default_applies(session: Session, world: World) -> None:
    later = dt.datetime(2027, 3, 1, 2, 0)  # the 2026 contract has ended
    world.contract.max_owner_tickets_per_day = 1  # not in force any more
    for i in range(tc.DEFAULT_MAX_OWNER_TICKETS_PER_DAY):
        _open(session, world.owner, now=later + i * MINUTE)
    with pytest.raises(DomainError):
        _open(session, world.owner, now=later + HOUR)


def test_a_setting_below_one_is_read_as_one(session: Session, world: World) -> None:
    world.contract.max_owner_tickets_per_day = 0
    _open(session, world.owner)
    with pytest.raises(DomainError) as refused:
        _open(session, world.owner)
    assert "已提交 1 条整改单" in refused.value.message("zh")


def test_thirty_tickets_at_once_open_exactly_the_limit(
    session_factory: sessionmaker[Session],
) -> None:
    """The issue's 30 tickets in 5 s, sent in parallel: the owner's row lock serialises the
    count and the insert, so no two requests can both take the tenth place."""
    with write_session(session_factory) as s:
        c = f.community(s)
        f.contract(s, c)
        owner = _viewer(f.account(s, c, "owner"))
    outcomes: list[str] = []

    def send(n: int) -> None:
        for i in range(5):
            try:
                with write_session(session_factory) as s:
                    _open(s, owner, now=T0 + dt.timedelta(seconds=n * 5 + i))
                outcomes.append("opened")
            except DomainError as error:
                outcomes.append(error.key)
            except Exception as error:  # every other error is a finding
                outcomes.append(repr(error))

    threads = [threading.Thread(target=send, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["opened"] * 10 + ["ticket.daily_limit_reached"] * 20
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(RectificationTicket)) == 10


def test_new_contracts_have_the_default_limits(session: Session, world: World) -> None:
    session.expire(world.contract)  # read back what the database filled in
    assert (world.contract.max_owner_tickets_per_day, world.contract.max_rating_edits_per_hour) == (
        10, 5,
    )  # fmt: skip


def test_a_manager_is_exempt_on_an_owners_behalf(session: Session, world: World) -> None:
    world.contract.max_owner_tickets_per_day = 2
    for i in range(5):  # the manager is not limited…
        _open(session, world.manager, now=T0 + i * MINUTE,
              on_behalf_of_account_id=world.owner.account_id)  # fmt: skip
    # …and tickets opened on the owner's behalf do not use up the owner's own allowance
    _open(session, world.owner, now=T0 + 10 * MINUTE)
    _open(session, world.owner, now=T0 + 11 * MINUTE)
    with pytest.raises(DomainError):
        _open(session, world.owner, now=T0 + 12 * MINUTE)
    # the manager can still help the owner once the owner has reached the limit
    assert _open(session, world.manager, now=T0 + 13 * MINUTE,
                 on_behalf_of_account_id=world.owner.account_id)  # fmt: skip


def test_a_ticket_opened_by_a_red_line_rating_does_not_count(
    session: Session, world: World
) -> None:
    world.contract.max_owner_tickets_per_day = 1
    order = f.work_order(session, world.community, completed_at=T0 - HOUR,
                         reporter_id=world.owner.account_id)  # fmt: skip
    result = ratings.rate_order(
        session=session, viewer=world.owner, order_id=order.id, score_speed=1,
        score_attitude=1, score_quality=1, comment="又没修好", now=T0,
    )  # fmt: skip
    assert result.ticket_id is not None  # opened automatically…
    assert _open(session, world.owner, now=T0 + MINUTE)  # …and the owner's own one is still allowed
    # nor does a red-line rating need allowance: at the limit, it still opens its ticket
    second = f.work_order(session, world.community, completed_at=T0 - HOUR,
                          reporter_id=world.owner.account_id)  # fmt: skip
    again = ratings.rate_order(
        session=session, viewer=world.owner, order_id=second.id, score_speed=2,
        score_attitude=2, score_quality=2, comment="态度差", now=T0 + 2 * MINUTE,
    )  # fmt: skip
    assert again.ticket_id is not None


# --- rating edits -------------------------------------------------------------------------------
def _rating(session: Session, world: World, owner: Viewer | None = None) -> int:
    who = owner or world.owner
    order = f.work_order(session, world.community, completed_at=T0 - 2 * HOUR,
                         reporter_id=who.account_id)  # fmt: skip
    return ratings.rate_order(
        session=session, viewer=who, order_id=order.id, score_speed=5, score_attitude=5,
        score_quality=5, comment="不错", now=T0 - HOUR,
    ).rating_id  # fmt: skip


def _edit(session: Session, viewer: Viewer, rating_id: int, now: dt.datetime) -> None:
    version = session.get_one(Rating, rating_id).version
    ratings.edit_rating(
        session=session, viewer=viewer, rating_id=rating_id, score_speed=4, score_attitude=5,
        score_quality=5, comment=f"改于{now:%H:%M}", now=now, expected_version=version,
    )  # fmt: skip


def test_the_sixth_rating_edit_within_an_hour_is_refused(session: Session, world: World) -> None:
    first, second = _rating(session, world), _rating(session, world)
    for i in range(5):  # edits of different ratings count together: the limit is per owner
        _edit(session, world.owner, (first, second)[i % 2], T0 + i * MINUTE)
    before = _counts(session)
    version = session.get_one(Rating, first).version
    with pytest.raises(DomainError) as refused:
        _edit(session, world.owner, first, T0 + 30 * MINUTE)
    assert refused.value.key == "rating.edit_limit_reached"
    # the first of the five was at 10:00 local: one hour later the owner may edit again
    assert refused.value.message("zh") == "您一小时内已修改评价 5 次,已达上限;请于 11:00 后再修改。"
    assert "after 11:00" in refused.value.message("en")
    assert _counts(session) == before
    assert session.get_one(Rating, first).version == version
    # an hour after the first edit, the window holds four: accepted
    _edit(session, world.owner, first, T0 + HOUR)
    with pytest.raises(DomainError) as again:
        _edit(session, world.owner, second, T0 + HOUR + dt.timedelta(seconds=30))
    assert "11:01" in again.value.message("zh")  # the second edit, 10:01, leaves the window then
    _edit(session, world.owner, second, T0 + HOUR + MINUTE)


def test_the_retry_time_is_rounded_up_to_the_minute(session: Session, world: World) -> None:
    world.contract.max_rating_edits_per_hour = 1
    rating = _rating(session, world)
    _edit(session, world.owner, rating, T0 + dt.timedelta(seconds=30))  # 10:00:30
    with pytest.raises(DomainError) as refused:
        _edit(session, world.owner, rating, T0 + MINUTE)
    assert "11:01" in refused.value.message("zh")


def test_rating_edits_of_another_owner_are_unaffected(session: Session, world: World) -> None:
    world.contract.max_rating_edits_per_hour = 2
    mine, theirs = _rating(session, world), _rating(session, world, world.other_owner)
    _edit(session, world.owner, mine, T0)
    _edit(session, world.owner, mine, T0 + MINUTE)
    _edit(session, world.other_owner, theirs, T0 + 2 * MINUTE)
    with pytest.raises(DomainError) as refused:
        _edit(session, world.owner, mine, T0 + 3 * MINUTE)
    assert "2 次" in refused.value.message("zh")  # the contract's setting
