"""业主表决 (issue 24, item 1): results by 民法典 §278, each case computed by hand — exactly at
2/3 participation, at 1/2 and 3/4 approval, one step below and above — with owners counted
once however many units they hold, co-owners voting a unit once, and the roll fixed when a
poll opens."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.errors import DomainError, NotAllowed
from data_access.governance.votes import (
    MORE_THAN_HALF,
    THREE_QUARTERS,
    TWO_THIRDS,
    NewPoll,
    Participation,
    Tally,
    area_dm2,
    cast_ballot,
    name_unit_voter,
    named_ballots,
    open_poll,
    polls_for,
    tally,
    tally_for,
    withdraw_poll,
)
from data_access.models import AppendOnlyError, Community, Poll, PollBallot, PollOption, Unit
from tests.data_access import factories as f

NOW = dt.datetime(2026, 11, 2, 2, 0)
OPENS = NOW
CLOSES = NOW + dt.timedelta(days=7)
DURING = NOW + dt.timedelta(days=1)
AFTER = CLOSES + dt.timedelta(minutes=1)


@dataclasses.dataclass
class Place:
    community: Community
    committee: Viewer
    manager: Viewer
    buildings: list[int]


def place(session: Session) -> Place:
    home = f.community(session)
    one, two = f.building(session, home, "1栋"), f.building(session, home, "2栋")
    return Place(
        community=home,
        committee=f.viewer_of(f.account(session, home, "committee")),
        manager=f.viewer_of(f.account(session, home, "manager")),
        buildings=[one.id, two.id],
    )


_rooms = iter(range(101, 10_000))


def unit(session: Session, where: Place, area_m2: float, building: int = 0) -> Unit:
    row = Unit(community_id=where.community.id, building_id=where.buildings[building],
               entrance=1, room=str(next(_rooms)), floor_area_m2=area_m2)  # fmt: skip
    session.add(row)
    session.flush()
    return row


def owner(session: Session, where: Place, *units: Unit, name: str = "张三") -> Viewer:
    account = f.account(session, where.community, "owner", units=units)
    account.display_name = name
    session.flush()
    return dataclasses.replace(f.viewer_of(account), unit_ids=tuple(u.id for u in units))


def owners_of_one_unit_each(session: Session, where: Place, areas: list[float]) -> list[Viewer]:
    return [owner(session, where, unit(session, where, area)) for area in areas]


def decision(session: Session, where: Place, rule: str = "ordinary", **fields: Any) -> int:
    draft = NewPoll(rule=rule, title="更换小区大门门禁", body="方案见附件", opens_at=OPENS,
                    closes_at=CLOSES, major_matter="change_use" if rule == "major" else None)  # fmt: skip
    return open_poll(session=session, viewer=where.committee,
                     draft=dataclasses.replace(draft, **fields), now=NOW)  # fmt: skip


def option(session: Session, poll_id: int, code: str) -> int:
    found = session.scalar(
        select(PollOption.id).where(PollOption.poll_id == poll_id, PollOption.code == code)
    )
    assert found is not None
    return found


def vote(session: Session, who: Viewer, poll_id: int, code: str, at: dt.datetime = DURING) -> int:
    return cast_ballot(session=session, viewer=who, poll_id=poll_id,
                       option_id=option(session, poll_id, code), now=at)  # fmt: skip


@contextmanager
def refused(key: str) -> Iterator[None]:
    with pytest.raises(DomainError) as error:
        yield
    assert error.value.key == key


def test_the_least_amount_that_meets_each_share() -> None:
    # ≥ 2/3: 6 of 9 (exactly 2/3), 7 of 10 (6.67 → 7); > 1/2: 6 of 10 (5 is exactly half),
    # 5 of 9; ≥ 3/4: 6 of 8 (exactly 3/4), 8 of 10 (7.5 → 8); nothing of nothing meets "more".
    assert [TWO_THIRDS.needed(9), TWO_THIRDS.needed(10)] == [6, 7]
    assert [MORE_THAN_HALF.needed(10), MORE_THAN_HALF.needed(9)] == [6, 5]
    assert [THREE_QUARTERS.needed(8), THREE_QUARTERS.needed(10)] == [6, 8]
    assert MORE_THAN_HALF.needed(0) == 1


def test_areas_are_whole_dm2_rounded_half_up() -> None:
    assert [area_dm2(89.5), area_dm2(100.005), area_dm2(120.25), area_dm2(0.004)] == [
        8950,
        10001,
        12025,
        0,
    ]


@pytest.mark.parametrize(
    ("voting", "agreeing", "participation_met", "approval_met"),
    [
        (5, 5, False, True),  # 5 of 9 owners and 500 of 900 m² take part: below 2/3
        (6, 3, True, False),  # 6 of 9 is exactly 2/3; 3 of 6 is exactly 1/2, not more
        (6, 4, True, True),  # 4 of 6: more than half
        (7, 4, True, True),  # 7 of 9 take part, 4 of 7 agree
    ],
)
def test_ordinary_decision_at_two_thirds_and_one_half(
    session: Session, voting: int, agreeing: int, participation_met: bool, approval_met: bool
) -> None:
    where = place(session)
    owners = owners_of_one_unit_each(session, where, [100.0] * 9)
    poll = decision(session, where)
    for i, who in enumerate(owners[:voting]):
        vote(session, who, poll, "agree" if i < agreeing else "disagree")

    result = tally(session, poll)

    assert (result.total_owners, result.total_area_dm2) == (9, 90_000)
    assert (result.voted_owners, result.voted_area_dm2) == (voting, voting * 10_000)
    assert result.participation_owners.met is participation_met
    assert result.participation_area.met is participation_met
    assert result.participation_owners.margin == voting - 6
    assert result.participation_area.margin == (voting - 6) * 10_000
    assert result.approval_owners is not None and result.approval_area is not None
    assert result.approval_owners.met is approval_met
    assert result.approval_area.met is approval_met
    assert result.approval_owners.needed == voting // 2 + 1
    assert result.passed is (participation_met and approval_met)


def test_participation_needs_the_area_as_well_as_the_owners(session: Session) -> None:
    # Owners of 200, 50 and 50 m²: the two small ones take part — 2 of 3 owners (exactly
    # 2/3) but 100 of 300 m² (1/3; 200 m² were needed, 100 m² short).
    where = place(session)
    _big, small, other = owners_of_one_unit_each(session, where, [200.0, 50.0, 50.0])
    poll = decision(session, where)
    vote(session, small, poll, "agree")
    vote(session, other, poll, "agree")

    result = tally(session, poll)

    assert result.participation_owners.met and result.participation_owners.margin == 0
    assert not result.participation_area.met
    assert (result.participation_area.needed, result.participation_area.margin) == (
        20_000,
        -10_000,
    )
    assert result.passed is False


@pytest.mark.parametrize(
    ("choices", "approval_met"),
    [
        (["agree", "agree", "agree", "disagree"], True),  # 3 of 4 owners, 300 of 400 m²
        (["agree", "agree", "abstain", "disagree"], False),  # an abstention takes part
        (["agree", "agree", "agree", "abstain"], True),
    ],
)
def test_major_decision_at_three_quarters(
    session: Session, choices: list[str], approval_met: bool
) -> None:
    where = place(session)
    owners = owners_of_one_unit_each(session, where, [100.0] * 4)
    poll = decision(session, where, rule="major")
    for who, choice in zip(owners, choices, strict=True):
        vote(session, who, poll, choice)

    result = tally(session, poll)

    assert result.participation_owners.met and result.participation_area.met
    assert result.approval_owners is not None and result.approval_area is not None
    assert result.approval_owners.met is approval_met
    assert result.approval_area.met is approval_met
    assert result.passed is approval_met


def test_major_decision_one_hundredth_of_a_m2_short(session: Session) -> None:
    # 3 of 4 owners agree (exactly 3/4) but with 300.00 of 400.01 m²: 3/4 of 40,001 dm² is
    # 30,000.75, so 30,001 dm² were needed — short by 1 dm² (0.01 m²). The same votes pass as
    # an ordinary decision (more than half).
    where = place(session)
    owners = owners_of_one_unit_each(session, where, [100.0, 100.0, 100.0, 100.01])
    major, ordinary = decision(session, where, rule="major"), decision(session, where)
    for poll in (major, ordinary):
        for who, choice in zip(owners, ["agree", "agree", "agree", "disagree"], strict=True):
            vote(session, who, poll, choice)

    result = tally(session, major)

    assert result.approval_owners is not None and result.approval_owners.met
    assert result.approval_area is not None
    assert (result.approval_area.have, result.approval_area.needed) == (30_000, 30_001)
    assert result.approval_area.margin == -1
    assert result.passed is False
    assert tally(session, ordinary).passed is True


# Each area test one hundredth of a m² (1 dm²) below, exactly at and above its line, with the
# owners' test of the same share met, so that only the area decides.
@pytest.mark.parametrize(
    ("voters_m2", "margin"),
    [
        # 2 of 3 owners take part (exactly 2/3) with 199.99 / 200.00 / 200.01 of 300.00 m²:
        # 2/3 of 30,000 dm² is exactly 20,000 dm².
        ((100.0, 99.99), -1),
        ((100.0, 100.0), 0),
        ((100.0, 100.01), 1),
    ],
)
def test_participation_area_at_two_thirds(
    session: Session, voters_m2: tuple[float, float], margin: int
) -> None:
    where = place(session)
    absent_m2 = 300.0 - sum(voters_m2)
    owners = owners_of_one_unit_each(session, where, [*voters_m2, round(absent_m2, 2)])
    poll = decision(session, where)
    for who in owners[:2]:
        vote(session, who, poll, "agree")

    result = tally(session, poll)

    assert result.total_area_dm2 == 30_000
    assert result.participation_owners.met and result.participation_owners.margin == 0
    test = result.participation_area
    assert (test.have, test.needed, test.margin) == (20_000 + margin, 20_000, margin)
    assert test.met is (margin >= 0) and result.passed is (margin >= 0)


@pytest.mark.parametrize(
    ("second_agreeing_m2", "margin", "met"),
    [
        # Three owners of 300.00 m² all vote; two agree (more than half of the owners) with
        # 149.99 / 150.00 / 150.01 m². More than half of 30,000 dm² is 15,001 dm²: exactly
        # half is one short.
        (49.99, -2, False),
        (50.0, -1, False),
        (50.01, 0, True),
    ],
)
def test_ordinary_approval_area_at_one_half(
    session: Session, second_agreeing_m2: float, margin: int, met: bool
) -> None:
    where = place(session)
    disagreeing_m2 = round(200.0 - second_agreeing_m2, 2)
    owners = owners_of_one_unit_each(session, where, [100.0, second_agreeing_m2, disagreeing_m2])
    poll = decision(session, where)
    for who, choice in zip(owners, ["agree", "agree", "disagree"], strict=True):
        vote(session, who, poll, choice)

    result = tally(session, poll)

    assert result.approval_owners is not None and result.approval_owners.met
    test = result.approval_area
    assert test is not None and (test.total, test.needed) == (30_000, 15_001)
    assert (test.margin, test.met, result.passed) == (margin, met, met)


@pytest.mark.parametrize(
    ("third_agreeing_m2", "margin"),
    [
        # Four owners of 400.00 m² all vote; three agree (exactly 3/4 of the owners) with
        # 299.99 / 300.00 / 300.01 m². 3/4 of 40,000 dm² is exactly 30,000 dm².
        (99.99, -1),
        (100.0, 0),
        (100.01, 1),
    ],
)
def test_major_approval_area_at_three_quarters(
    session: Session, third_agreeing_m2: float, margin: int
) -> None:
    where = place(session)
    areas = [100.0, 100.0, third_agreeing_m2, round(200.0 - third_agreeing_m2, 2)]
    owners = owners_of_one_unit_each(session, where, areas)
    poll = decision(session, where, rule="major")
    for who, choice in zip(owners, ["agree", "agree", "agree", "disagree"], strict=True):
        vote(session, who, poll, choice)

    result = tally(session, poll)

    assert result.approval_owners is not None and result.approval_owners.margin == 0
    test = result.approval_area
    assert test is not None and (test.have, test.needed) == (30_000 + margin, 30_000)
    assert test.met is (margin >= 0) and result.passed is (margin >= 0)


@pytest.mark.parametrize(("agreeing", "margin"), [(5, -1), (6, 0), (7, 1)])
def test_major_approval_owners_at_three_quarters(
    session: Session, agreeing: int, margin: int
) -> None:
    # Eight owners of 100 m² each all vote: 3/4 of 8 is exactly 6.
    where = place(session)
    owners = owners_of_one_unit_each(session, where, [100.0] * 8)
    poll = decision(session, where, rule="major")
    for i, who in enumerate(owners):
        vote(session, who, poll, "agree" if i < agreeing else "disagree")

    result = tally(session, poll)

    assert result.approval_owners is not None and result.approval_area is not None
    assert (result.approval_owners.needed, result.approval_owners.margin) == (6, margin)
    assert (result.approval_area.needed, result.approval_area.margin) == (60_000, margin * 10_000)
    assert result.passed is (margin >= 0)


def test_an_owner_counts_once_and_co_owners_vote_their_unit_once(session: Session) -> None:
    # P holds 100 and 60 m²; Q and R hold 90 m² together and named R; S and T hold 50 m² and
    # named nobody; 70 m² has no owner on the roster. Owners: P, R, and one each for the two
    # units nobody votes = 4; area 370 m². P agrees (160 m²), R disagrees (90 m²).
    where = place(session)
    p = owner(session, where, unit(session, where, 100.0), unit(session, where, 60.0))
    shared, unnamed = unit(session, where, 90.0), unit(session, where, 50.0)
    q, r = owner(session, where, shared), owner(session, where, shared)
    s, _t = owner(session, where, unnamed), owner(session, where, unnamed)
    unit(session, where, 70.0)
    name_unit_voter(session=session, viewer=q, unit_id=shared.id, voter_id=r.account_id, now=NOW)
    poll = decision(session, where)

    vote(session, p, poll, "agree")
    vote(session, r, poll, "disagree")
    for not_on_roll in (q, s):
        with pytest.raises(NotAllowed):
            vote(session, not_on_roll, poll, "agree")

    result = tally(session, poll)
    assert (result.total_owners, result.total_area_dm2) == (4, 37_000)
    assert (result.voted_owners, result.voted_area_dm2) == (2, 25_000)
    assert not result.participation_owners.met  # 2 of 4: 3 were needed
    # 2/3 of 37,000 dm² is 24,666.67: 24,667 needed, 25,000 taken part
    assert result.participation_area.met and result.participation_area.margin == 333
    agree = next(o for o in result.options if o.code == "agree")
    assert (agree.owners, agree.area_dm2) == (1, 16_000)


def test_the_roll_is_fixed_when_the_poll_opens(session: Session) -> None:
    where = place(session)
    shared = unit(session, where, 90.0)
    q, r = owner(session, where, shared), owner(session, where, shared)
    poll = decision(session, where)
    name_unit_voter(session=session, viewer=q, unit_id=shared.id, voter_id=q.account_id, now=NOW)

    with pytest.raises(NotAllowed):  # named after this poll opened: counts from the next one
        vote(session, q, poll, "agree")
    later = decision(session, where)
    vote(session, q, later, "agree")
    with pytest.raises(NotAllowed):
        vote(session, r, later, "agree")


def test_only_a_co_owner_names_a_co_owner(session: Session) -> None:
    where = place(session)
    shared, own = unit(session, where, 90.0), unit(session, where, 80.0)
    q, r = owner(session, where, shared), owner(session, where, shared)
    stranger = owner(session, where, own)
    with pytest.raises(NotAllowed):
        name_unit_voter(session=session, viewer=stranger, unit_id=shared.id,
                        voter_id=stranger.account_id, now=NOW)  # fmt: skip
    with pytest.raises(NotAllowed):
        name_unit_voter(session=session, viewer=q, unit_id=shared.id,
                        voter_id=stranger.account_id, now=NOW)  # fmt: skip
    with pytest.raises(DomainError):
        name_unit_voter(session=session, viewer=stranger, unit_id=own.id,
                        voter_id=stranger.account_id, now=NOW)  # fmt: skip
    name_unit_voter(session=session, viewer=r, unit_id=shared.id, voter_id=q.account_id, now=NOW)


def test_a_changed_vote_is_kept_and_the_last_one_counts(session: Session) -> None:
    where = place(session)
    (voter,) = owners_of_one_unit_each(session, where, [100.0])
    poll = decision(session, where)
    first = vote(session, voter, poll, "agree")
    vote(session, voter, poll, "disagree", at=DURING + dt.timedelta(hours=1))

    result = tally(session, poll)
    assert result.voted_owners == 1
    assert [(o.code, o.owners) for o in result.options] == [
        ("agree", 0),
        ("disagree", 1),
        ("abstain", 0),
    ]
    assert len(session.scalars(select(PollBallot).where(PollBallot.poll_id == poll)).all()) == 2
    ballot = session.get(PollBallot, first)
    assert ballot is not None
    ballot.option_id = option(session, poll, "abstain")
    with pytest.raises(AppendOnlyError):
        session.flush()


def test_votes_only_while_open(session: Session) -> None:
    where = place(session)
    (voter,) = owners_of_one_unit_each(session, where, [100.0])
    poll = decision(session, where, opens_at=NOW + dt.timedelta(days=1))
    with refused("poll.not_open"):
        vote(session, voter, poll, "agree", at=NOW)
    vote(session, voter, poll, "agree", at=DURING + dt.timedelta(hours=1))
    with refused("poll.not_open"):
        vote(session, voter, poll, "disagree", at=CLOSES)
    withdrawn = decision(session, where)
    withdraw_poll(session=session, viewer=where.committee, poll_id=withdrawn,
                  reason="方案有误,重新征询", now=DURING)  # fmt: skip
    with refused("poll.not_open"):
        vote(session, voter, withdrawn, "agree")


def test_who_opens_what(session: Session) -> None:
    where = place(session)
    (voter,) = owners_of_one_unit_each(session, where, [100.0])
    consultation = NewPoll(rule="consultation", title="增设快递柜的位置", body="请选择",
                           opens_at=OPENS, closes_at=CLOSES, options=["北门", "南门", "地库"])  # fmt: skip
    poll = open_poll(session=session, viewer=where.manager, draft=consultation, now=NOW)
    for who in (where.manager, voter):
        with pytest.raises(NotAllowed):
            decision(session, dataclasses.replace(where, committee=who))
    with pytest.raises(NotAllowed):
        open_poll(session=session, viewer=voter, draft=consultation, now=NOW)
    with refused("poll.major_matter"):
        decision(session, where, rule="major", major_matter=None)
    with refused("poll.bad_options"):
        open_poll(session=session, viewer=where.manager,
                  draft=dataclasses.replace(consultation, options=["北门"]), now=NOW)  # fmt: skip

    cast_ballot(session=session, viewer=voter, poll_id=poll,
                option_id=session.scalars(select(PollOption.id).where(
                    PollOption.poll_id == poll).order_by(PollOption.position)).all()[2],
                now=DURING)  # fmt: skip
    result = tally(session, poll)
    assert [(o.label, o.owners) for o in result.options] == [("北门", 0), ("南门", 0), ("地库", 1)]
    assert result.passed is None and result.tests() == []


def test_a_poll_for_a_building_asks_its_owners_only(session: Session) -> None:
    where = place(session)
    first = owner(session, where, unit(session, where, 100.0, building=0))
    second = owner(session, where, unit(session, where, 100.0, building=1))
    poll = decision(session, where, building_ids=[where.buildings[1]])

    assert [p.poll_id for p in polls_for(session=session, viewer=first, now=DURING)] == []
    seen = polls_for(session=session, viewer=second, now=DURING)
    assert [(p.poll_id, p.my_units, p.buildings) for p in seen] == [(poll, 1, ("2栋",))]
    with pytest.raises(NotAllowed):
        vote(session, first, poll, "agree")
    assert tally(session, poll).total_owners == 1
    elsewhere = dataclasses.replace(second, community_id=f.community(session).id)
    with pytest.raises(NotAllowed):
        vote(session, elsewhere, poll, "agree")


def test_named_ballots_are_shown_after_the_close_with_names_masked(session: Session) -> None:
    where = place(session)
    wang = owner(session, where, unit(session, where, 100.0), name="王小明")
    li = owner(session, where, unit(session, where, 80.0), name="李四")
    named, secret = decision(session, where, secret=False), decision(session, where)
    for poll in (named, secret):
        vote(session, wang, poll, "agree")
        vote(session, li, poll, "disagree")

    def shown(viewer: Viewer, poll: int, at: dt.datetime) -> list[tuple[str, int]]:
        rows = named_ballots(session=session, viewer=viewer, poll_id=poll, now=at)
        return [(row.voter, row.area_dm2) for row in rows]

    def choices(viewer: Viewer, poll: int, at: dt.datetime) -> list[int | None]:
        rows = named_ballots(session=session, viewer=viewer, poll_id=poll, now=at)
        return [row.option_id for row in rows]

    assert shown(wang, named, DURING) == []
    assert shown(where.committee, named, DURING) == [("王**", 10_000), ("李*", 8_000)]
    assert shown(where.manager, named, DURING) == [("王小明", 10_000), ("李四", 8_000)]
    # While it runs, who voted shows, not how.
    assert choices(where.committee, named, DURING) == choices(where.manager, named, DURING)
    assert choices(where.manager, named, DURING) == [None, None]
    assert shown(wang, named, AFTER) == [("王小明", 10_000), ("李*", 8_000)]
    assert choices(wang, named, AFTER) == [option(session, named, "agree"),
                                            option(session, named, "disagree")]  # fmt: skip
    assert shown(where.committee, secret, AFTER) == []


def test_nobody_reads_the_choices_before_the_close(session: Session) -> None:
    # 2 of 3 owners have voted (200 of 300 m²), one agreeing. While the poll runs the
    # committee and the manager read participation only; the owners nothing; after the close
    # everyone it asked reads the count of each choice. A withdrawn poll's choices stay unread.
    where = place(session)
    wang, li, _zhao = owners_of_one_unit_each(session, where, [100.0, 100.0, 100.0])
    poll, withdrawn = decision(session, where), decision(session, where)
    for each in (poll, withdrawn):
        vote(session, wang, each, "agree")
        vote(session, li, each, "disagree")
    withdraw_poll(session=session, viewer=where.committee, poll_id=withdrawn,
                  reason="方案有误", now=DURING)  # fmt: skip

    for who in (where.committee, where.manager):
        live = tally_for(session=session, viewer=who, poll_id=poll, now=DURING)
        assert type(live) is Participation
        assert (live.voted_owners, live.total_owners, live.voted_area_dm2) == (2, 3, 20_000)
        assert [name for name, _ in live.tests()] == ["participation_area", "participation_owners"]
        assert live.participation_owners.met and live.participation_area.margin == 0
        after = tally_for(session=session, viewer=who, poll_id=withdrawn, now=AFTER)
        assert type(after) is Participation
    assert tally_for(session=session, viewer=wang, poll_id=poll, now=DURING) is None
    assert tally_for(session=session, viewer=wang, poll_id=withdrawn, now=AFTER) is None

    final = tally_for(session=session, viewer=wang, poll_id=poll, now=AFTER)
    assert isinstance(final, Tally) and final.passed is False  # 1 of 2 is not more than half
    assert [(o.code, o.owners) for o in final.options] == [
        ("agree", 1), ("disagree", 1), ("abstain", 0),
    ]  # fmt: skip


def test_a_poll_is_only_for_buildings_of_its_community(session: Session) -> None:
    where, elsewhere = place(session), place(session)
    with pytest.raises(NotAllowed) as refused:
        decision(session, where, building_ids=[where.buildings[0], elsewhere.buildings[0]])
    assert refused.value.key == "community.bad_building"


def test_the_pdf_record_carries_the_result_and_each_named_ballot(session: Session) -> None:
    import io

    from pypdf import PdfReader

    from reports.votes import poll_pdf

    where = place(session)
    owners = owners_of_one_unit_each(session, where, [100.0] * 3)
    poll = decision(session, where, secret=False)
    for who, choice in zip(owners, ["agree", "agree", "disagree"], strict=True):
        vote(session, who, poll, choice)
    (view,) = polls_for(session=session, viewer=where.committee, now=AFTER)
    ballots = named_ballots(session=session, viewer=where.committee, poll_id=poll, now=AFTER)
    data = poll_pdf(view, tally(session, poll), ballots, community="测试小区",
                    time_zone="Asia/Shanghai", lang="zh", generated_at=AFTER)  # fmt: skip

    pages = PdfReader(io.BytesIO(data)).pages
    text = "".join("".join(page.extract_text().split()) for page in pages)  # cells wrap
    # 3 of 3 owners took part (2 needed); all 300 m² (200 m² needed); 2 of 3 agree with 200 m²
    # (more than half of 300 m² is 150.01 m²).
    assert "表决结果:通过" in text and "更换小区大门门禁" in text
    assert "300.00m²/300.00m²" in text and "200.00m²/300.00m²" in text and "150.01m²" in text
    assert text.count("张*") == 3  # the committee reads the voters' names masked


def test_the_menu_counts_the_open_votes_waiting_for_my_ballot(session: Session) -> None:
    # Open: a decision of the whole community and one of 2栋; upcoming: one; closed: one;
    # withdrawn: one. The owner in 1栋 is asked by the first only, until he votes; the owner
    # in 2栋 by both open ones; a co-owner nobody named to vote is asked by none.
    from data_access.notifications.badges import TO_VOTE, badge_counts

    where = place(session)
    first = owner(session, where, unit(session, where, 100.0, building=0))
    second = owner(session, where, unit(session, where, 100.0, building=1))
    shared = unit(session, where, 90.0)
    co_owner, _other = owner(session, where, shared), owner(session, where, shared)
    everyone = decision(session, where)
    decision(session, where, building_ids=[where.buildings[1]])
    decision(session, where, opens_at=DURING + dt.timedelta(days=1))
    decision(session, where, closes_at=DURING)  # closed just as DURING begins
    withdraw_poll(session=session, viewer=where.committee, poll_id=decision(session, where),
                  reason="重新征询", now=NOW)  # fmt: skip

    def to_vote(viewer: Viewer) -> int:
        return badge_counts(session=session, viewer=viewer, now=DURING)[TO_VOTE]

    assert [to_vote(first), to_vote(second), to_vote(co_owner)] == [1, 2, 0]
    vote(session, first, everyone, "agree")
    assert to_vote(first) == 0
    assert TO_VOTE not in badge_counts(session=session, viewer=where.manager, now=DURING)


def test_a_poll_opened_now_opens_on_the_minute(session: Session) -> None:
    # Opened at 02:00:20 with a past opening: it opens at 02:00, so the menu's count (which
    # reads the time to the minute) shows it at once, not from 02:01.
    from data_access.notifications.badges import TO_VOTE, badge_counts

    where = place(session)
    voter = owner(session, where, unit(session, where, 100.0))
    poll = decision(session, where, opens_at=NOW - dt.timedelta(hours=3))
    assert session.get_one(Poll, poll).opens_at == NOW
    at = NOW + dt.timedelta(seconds=20)
    later = open_poll(session=session, viewer=where.committee, now=at,
                      draft=NewPoll(rule="ordinary", title="增设充电桩", body="方案见附件",
                                    opens_at=NOW - dt.timedelta(hours=3), closes_at=CLOSES))  # fmt: skip
    assert session.get_one(Poll, later).opens_at == NOW
    assert badge_counts(session=session, viewer=voter, now=NOW)[TO_VOTE] == 2
