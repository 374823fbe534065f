"""Quality checklists: grouping complaints and low ratings into patterns, upserting items,
evidence as each role may see it, adoption into a community's plan, dismissal, refusals.

The corpus (two communities, A with red line 2 and B with red line 3; "now" is 2026-11-20
12:00 UTC = 20:00 in Shanghai, so the six-month window starts 2026-05-20 12:00 UTC):

| orders                                                 | counts? | pattern                  |
|--------------------------------------------------------|---------|--------------------------|
| A complaints 地下车库排水沟积水 / 排水沟积水很深 / 车库积水严重 (garage) | yes ×3 | plumbing·garage·积水 |
| A complaint 车库积水严重, 2026-04-01 (before the window)     | no      |                          |
| B repair 雨水井积水 (garage) rated (1, 2, 3)                | yes     | plumbing·garage·积水      |
| B repair 车库入口积水 (garage) rated (3, 4, 4): ≤ B's line 3 | yes     | plumbing·garage·积水      |
| A repair 车库入口积水 (garage) rated (3, 3, 4): above A's 2  | no      |                          |
| A complaints 楼上装修噪音 ×2 (one also rated 2), B 隔壁装修噪音 | yes ×3 | noise·building·噪音       |
| A complaints 电梯异响 / 电梯运行异响, B 电梯异响 (no area)      | yes ×3  | elevator·unknown·异响     |
| A complaints 中心花园草坪枯黄 / 草坪枯黄 / 草坪枯黄严重 (garden)   | yes ×3  | greening·garden·枯黄      |

Within a (category, kind of place) every order goes to its word found in most orders of the
group, ties to the word that sorts first: 积水 is in all five garage orders; 噪音 and 装修 are
in all three noise orders and 噪音 sorts first (U+566A < U+88C5); 异响 < 电梯; 枯黄 < 草坪. The
area name 中心花园 is never a keyword. Extra keywords are words in at least half of the orders.
"""

from __future__ import annotations

import datetime as dt
from typing import NotRequired, TypedDict, Unpack

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from data_access.accounts.auth import Viewer
from data_access.analytics.checklists import (
    BuildReport,
    EvidenceRecord,
    adopt_checklist_item,
    build_checklist,
    checklist_evidence,
    collect_evidence,
    dismiss_checklist_item,
    find_patterns,
    list_checklist,
    months_before,
    refresh_checklist,
)
from data_access.db import write_session
from data_access.errors import DomainError, NotAllowed
from data_access.models import (
    Account,
    Area,
    ChecklistItem,
    Community,
    PlanTask,
    Rating,
    ServiceItem,
    WorkOrder,
)
from tests.data_access import factories as f

NOW = dt.datetime(2026, 11, 20, 12, 0)  # 20:00 local, after the 09:00–11:00 inspection window
GARAGE = "plumbing|garage|积水"
NOISE = "noise|building|噪音"
ELEVATOR = "elevator|unknown|异响"
GREENING = "greening|garden|枯黄"


def at(month: int, day: int, hour: int = 2) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0)


class ComplaintFields(f.OrderFields, total=False):
    """``f.work_order``'s arguments a complaint below may add."""

    description: str
    completed_at: dt.datetime | None


class BuildOptions(TypedDict, total=False):
    """``build_checklist``'s thresholds."""

    months: int
    min_evidence: int
    min_communities: int


class AdoptOptions(TypedDict, total=False):
    """``adopt_checklist_item``'s arguments a refusal test overrides."""

    item_id: int
    now: dt.datetime
    expected_version: int
    recurrence: str
    weekday: int


class AdoptArguments(TypedDict):
    """``adopt_checklist_item``'s arguments besides the session and the viewer."""

    item_id: int
    now: dt.datetime
    expected_version: int
    recurrence: NotRequired[str]
    weekday: NotRequired[int]


class World:
    """The corpus above; ids and viewers of both communities."""

    def __init__(self, session: Session) -> None:
        self.a = f.community(session, code="A", name="翠湖")
        self.b = f.community(session, code="B", name="锦绣")
        f.contract(session, self.a)
        contract_b = f.contract(session, self.b)
        contract_b.red_line_score = 3
        garage_a = area(session, self.a, "地下车库", "garage")
        garage_b = area(session, self.b, "B区车库", "garage")
        building_a = f.building(session, self.a, "1栋")
        building_b = f.building(session, self.b, "2栋")
        garden_a = area(session, self.a, "中心花园", "garden")
        self.owner_a = f.account(session, self.a, "owner", "owner_a")
        self.owner_b = f.account(session, self.b, "owner", "owner_b")
        self.committee_a = f.account(session, self.a, "committee", "committee_a")
        self.manager_a = f.account(session, self.a, "manager", "manager_a")
        self.manager_b = f.account(session, self.b, "manager", "manager_b")

        def complaint(
            c: Community,
            title: str,
            when: dt.datetime,
            category: str = "plumbing",
            **fields: Unpack[ComplaintFields],
        ) -> WorkOrder:
            order = f.work_order(session, c, order_type="complaint", title=title,
                                 created_at=when, **fields)  # fmt: skip
            order.category = category  # the factory makes plumbing orders
            return order

        self.garage_orders = [
            complaint(self.a, "地下车库排水沟积水", at(6, 10), area_id=garage_a.id),
            complaint(self.a, "排水沟积水很深", at(9, 1), area_id=garage_a.id,
                      description="积水很深,请联系我 13812345678"),
            complaint(self.a, "车库积水严重", at(10, 5), area_id=garage_a.id,
                      visibility="private", location="3栋2单元1201"),
        ]  # fmt: skip
        complaint(self.a, "车库积水严重", at(4, 1), area_id=garage_a.id)  # before the window
        repair_b1 = f.work_order(session, self.b, title="雨水井积水", area_id=garage_b.id,
                                 created_at=at(7, 1), completed_at=at(7, 2))  # fmt: skip
        rate(session, repair_b1, self.owner_b, (1, 2, 3), at(7, 3), "修完第二天又积水")
        repair_b2 = f.work_order(session, self.b, title="车库入口积水", area_id=garage_b.id,
                                 created_at=at(8, 1), completed_at=at(8, 2))  # fmt: skip
        rate(session, repair_b2, self.owner_b, (3, 4, 4), at(11, 15), "")
        repair_a = f.work_order(session, self.a, title="车库入口积水", area_id=garage_a.id,
                                created_at=at(8, 1), completed_at=at(8, 2))  # fmt: skip
        rate(session, repair_a, self.owner_a, (3, 3, 4), at(8, 3), "一般")
        self.garage_orders += [repair_b1, repair_b2]

        noisy = complaint(self.a, "楼上装修噪音", at(6, 20), area_id=building_a.id,
                          category="noise", completed_at=at(6, 21))  # fmt: skip
        rate(session, noisy, self.owner_a, (2, 3, 3), at(6, 22), "还是很吵")
        complaint(self.a, "楼上装修噪音", at(7, 20), area_id=building_a.id, category="noise")
        complaint(self.b, "隔壁装修噪音", at(8, 20), area_id=building_b.id, category="noise")
        self.noisy_id = noisy.id

        complaint(self.a, "电梯异响", at(6, 5), category="elevator")
        complaint(self.a, "电梯运行异响", at(6, 6), category="elevator")
        complaint(self.b, "电梯异响", at(6, 7), category="elevator")

        for title, day in (("中心花园草坪枯黄", 1), ("草坪枯黄", 2), ("草坪枯黄严重", 3)):
            complaint(self.a, title, at(6, day), area_id=garden_a.id, category="greening")
        session.flush()

    def viewer(self, account_id: int, role: str, community: Community) -> Viewer:
        return Viewer(account_id, role, role, role, community.id)

    @property
    def committee(self) -> Viewer:
        return self.viewer(self.committee_a.id, "committee", self.a)

    @property
    def owner(self) -> Viewer:
        return self.viewer(self.owner_a.id, "owner", self.a)

    @property
    def manager(self) -> Viewer:
        return self.viewer(self.manager_a.id, "manager", self.a)

    @property
    def other_manager(self) -> Viewer:
        return self.viewer(self.manager_b.id, "manager", self.b)


def area(session: Session, community: Community, name: str, kind: str) -> Area:
    row = Area(community_id=community.id, name=name, kind=kind, x=0.0, y=0.0)
    session.add(row)
    session.flush()
    return row


def rate(
    session: Session,
    order: WorkOrder,
    owner: Account,
    scores: tuple[int, int, int],
    when: dt.datetime,
    comment: str,
) -> Rating:
    speed, attitude, quality = scores
    row = Rating(
        community_id=order.community_id, work_order_id=order.id, owner_id=owner.id,
        score_speed=speed, score_attitude=attitude, score_quality=quality, comment=comment,
        created_at=when, updated_at=when, reply_due_at=when + dt.timedelta(hours=24),
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


@pytest.fixture
def world(session_factory: sessionmaker[Session]) -> World:
    with write_session(session_factory) as session:
        return World(session)


def build(
    session_factory: sessionmaker[Session], now: dt.datetime = NOW, **options: Unpack[BuildOptions]
) -> BuildReport:
    with write_session(session_factory) as session:
        return build_checklist(session=session, now=now, **options)


def items(session_factory: sessionmaker[Session]) -> dict[str, ChecklistItem]:
    with session_factory() as session:
        return {i.pattern_key: i for i in session.scalars(select(ChecklistItem))}


# --- grouping ----------------------------------------------------------------------------------------
def test_build_groups_the_corpus_into_the_expected_items(
    session_factory: sessionmaker[Session], world: World
) -> None:
    report = build(session_factory)

    assert (report.evidence, report.patterns, report.created, report.updated, report.retired) == (
        5 + 3 + 3 + 3, 4, 4, 0, 0,
    )  # fmt: skip
    assert report.window_start == dt.datetime(2026, 5, 20, 12, 0)
    found = {
        key: (i.title, i.keywords, i.evidence_count, i.community_count, i.category, i.place_kind)
        for key, i in items(session_factory).items()
    }
    assert found == {
        GARAGE: ("车库·积水:检查给排水", "积水", 5, 2, "plumbing", "garage"),
        NOISE: ("楼栋·噪音:检查噪音扰民", "噪音,装修,楼上", 3, 2, "noise", "building"),
        ELEVATOR: ("其他区域·异响:检查电梯", "异响,电梯", 3, 2, "elevator", "unknown"),
        GREENING: ("园区·枯黄:检查绿化", "枯黄,草坪", 3, 1, "greening", "garden"),
    }
    garage = items(session_factory)[GARAGE]
    # first: the A complaint of June 10; last: B's (3, 4, 4) rating of November 15
    assert (garage.first_seen_at, garage.last_seen_at) == (at(6, 10), at(11, 15))
    assert (garage.status, garage.version, garage.computed_at) == ("proposed", 1, NOW)


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"min_communities": 2}, {GARAGE, NOISE, ELEVATOR}),  # greening is only in A
        ({"min_evidence": 4}, {GARAGE}),
        ({"min_evidence": 2, "months": 5}, {GARAGE, NOISE}),  # window from 2026-06-20 12:00
    ],
)
def test_thresholds_and_window(
    session_factory: sessionmaker[Session],
    world: World,
    options: BuildOptions,
    expected: set[str],
) -> None:
    build(session_factory, **options)
    assert set(items(session_factory)) == expected


def test_months_window_counts_only_recent_evidence(
    session_factory: sessionmaker[Session], world: World
) -> None:
    # From 2026-06-20 12:00: the garage complaint of June 10 and the noise complaint of
    # June 20 02:00 drop out; its rating of June 22 keeps that order in.
    build(session_factory, min_evidence=2, months=5)
    found = items(session_factory)
    assert (found[GARAGE].evidence_count, found[NOISE].evidence_count) == (4, 3)


def test_a_low_rated_complaint_counts_once(
    session_factory: sessionmaker[Session], world: World
) -> None:
    with session_factory() as session:
        records = collect_evidence(session=session, start=months_before(NOW, 6), end=NOW)
    noisy = next(r for r in records if r.order_id == world.noisy_id)
    assert noisy.sources == ("complaint", "rating")
    assert noisy.detail == "还是很吵"
    assert noisy.seen_at == at(6, 20)  # the complaint, not the later rating
    assert sum(r.order_id == world.noisy_id for r in records) == 1


def test_find_patterns_is_pure_and_ignores_place_words() -> None:
    def record(order_id: int, community_id: int, title: str) -> EvidenceRecord:
        return EvidenceRecord(
            order_id=order_id, community_id=community_id, code=f"TS{order_id}",
            category="greening", place_kind="garden", title=title, detail="", location="",
            is_private=False, seen_at=at(7, order_id), sources=("complaint",),
        )  # fmt: skip

    records = [record(1, 1, "中心花园草坪枯黄"), record(2, 1, "中心花园草坪枯黄"),
               record(3, 2, "中心花园树枝")]  # fmt: skip
    kept = find_patterns(records, place_words=frozenset({"中心花园"}), min_evidence=2)
    assert [(p.key, p.keywords, [e.order_id for e in p.evidence]) for p in kept] == [
        ("greening|garden|枯黄", ("枯黄", "草坪"), [2, 1])
    ]
    # without the place words, 中心花园 (in all three) would be everyone's keyword
    unfiltered = find_patterns(records, min_evidence=2)
    assert [(p.key, p.evidence_count) for p in unfiltered] == [("greening|garden|中心花园", 3)]


def test_months_before_clamps_to_the_month_end() -> None:
    assert months_before(dt.datetime(2026, 8, 31, 5), 6) == dt.datetime(2026, 2, 28, 5)
    assert months_before(dt.datetime(2026, 3, 15), 6) == dt.datetime(2025, 9, 15)


# --- re-running ----------------------------------------------------------------------------------------
def test_rerun_updates_counts_keeps_decisions_and_retires_vanished_proposals(
    session_factory: sessionmaker[Session], world: World
) -> None:
    build(session_factory)
    first = items(session_factory)
    with write_session(session_factory) as session:
        adopt_checklist_item(session=session, viewer=world.manager, item_id=first[GARAGE].id,
                             now=NOW, expected_version=1)  # fmt: skip
        dismiss_checklist_item(session=session, viewer=world.manager,
                               item_id=first[GREENING].id, now=NOW, expected_version=1)  # fmt: skip
        f.work_order(session, session.get_one(Community, world.b.id), order_type="complaint",
                     title="车库积水", created_at=at(12, 1),
                     area_id=session.scalar(select(Area.id).where(Area.name == "B区车库")))  # fmt: skip

    later = dt.datetime(2026, 12, 10, 12, 0)  # window from 2026-06-10 12:00
    report = build(session_factory, now=later)

    # Out of the window now: the garage complaint of June 10 02:00, the elevator and greening
    # complaints of early June. In: the new B complaint of December 1.
    assert (report.patterns, report.created, report.updated, report.retired) == (2, 0, 2, 1)
    second = items(session_factory)
    assert set(second) == {GARAGE, NOISE, GREENING}  # the proposed elevator item is gone
    garage = second[GARAGE]
    assert (garage.id, garage.evidence_count, garage.community_count) == (first[GARAGE].id, 5, 2)
    assert (garage.first_seen_at, garage.last_seen_at, garage.computed_at) == (
        at(7, 3), at(12, 1), later,
    )  # fmt: skip
    assert (garage.status, garage.decided_by_id, garage.version) == (
        "adopted", world.manager_a.id, 2,
    )  # fmt: skip
    greening = second[GREENING]  # dismissed: kept as decided, with its last figures
    assert (greening.status, greening.evidence_count, greening.computed_at) == (
        "dismissed", 3, NOW,
    )  # fmt: skip
    assert second[NOISE].status == "proposed"


def test_rerun_with_the_same_data_changes_nothing_but_the_time(
    session_factory: sessionmaker[Session], world: World
) -> None:
    build(session_factory)
    before = {k: (i.id, i.evidence_count, i.version) for k, i in items(session_factory).items()}
    report = build(session_factory, now=NOW + dt.timedelta(minutes=5))
    after = {k: (i.id, i.evidence_count, i.version) for k, i in items(session_factory).items()}
    assert (report.created, report.updated, report.retired) == (0, 4, 0)
    assert after == before


# --- reading ---------------------------------------------------------------------------------------------
def test_list_is_ordered_by_evidence_and_says_what_runs_here(
    session_factory: sessionmaker[Session], world: World
) -> None:
    build(session_factory)
    with session_factory() as session:
        listed = list_checklist(session=session, viewer=world.committee)
        assert [v.title for v in listed] == [
            "车库·积水:检查给排水", "其他区域·异响:检查电梯", "楼栋·噪音:检查噪音扰民",
            "园区·枯黄:检查绿化",
        ]  # fmt: skip
        garage = listed[0]
        assert garage.keywords == ("积水",)
        assert garage.last_seen_at == dt.datetime(2026, 11, 15, 10, 0)  # local time
        assert not garage.adopted_here
        assert list_checklist(session=session, viewer=world.committee, status="adopted") == []
        with pytest.raises(DomainError) as error:
            list_checklist(session=session, viewer=world.committee, status="nonsense")
        assert error.value.key == "checklists.status_invalid"


def test_evidence_shows_own_texts_masked_and_others_as_counts(
    session_factory: sessionmaker[Session], world: World
) -> None:
    build(session_factory)
    garage_id = items(session_factory)[GARAGE].id
    with session_factory() as session:
        seen = checklist_evidence(session=session, viewer=world.committee, item_id=garage_id)
        assert (seen.own_count, seen.other_count, seen.other_communities) == (3, 2, 1)
        assert [e.title for e in seen.examples] == [
            "车库积水严重", "排水沟积水很深", "地下车库排水沟积水",
        ]  # fmt: skip
        private, with_phone = seen.examples[0], seen.examples[1]
        assert private.location == "3栋2单元***"
        assert with_phone.detail == "积水很深,请联系我 138****5678"

        unmasked = checklist_evidence(session=session, viewer=world.manager, item_id=garage_id)
        assert unmasked.examples[0].location == "3栋2单元1201"
        assert unmasked.examples[1].detail == "积水很深,请联系我 13812345678"

        from_b = checklist_evidence(session=session, viewer=world.other_manager, item_id=garage_id)
        assert (from_b.own_count, from_b.other_count, from_b.other_communities) == (2, 3, 1)
        assert [(e.title, e.sources, e.detail) for e in from_b.examples] == [
            ("车库入口积水", ("rating",), ""),
            ("雨水井积水", ("rating",), "修完第二天又积水"),
        ]
        assert len(checklist_evidence(session=session, viewer=world.manager, item_id=garage_id,
                                      limit=1).examples) == 1  # fmt: skip


# --- adoption -------------------------------------------------------------------------------------------
def test_adopt_creates_the_inspection_and_its_tasks_in_the_managers_community_only(
    session_factory: sessionmaker[Session], world: World
) -> None:
    build(session_factory)
    garage_id = items(session_factory)[GARAGE].id
    with write_session(session_factory) as session:
        result = adopt_checklist_item(session=session, viewer=world.manager, item_id=garage_id,
                                      now=NOW, expected_version=1, weekday=1)  # fmt: skip

    code = f"QC{garage_id:04d}"
    # 20:00 local on Friday 2026-11-20: today's window is over, so it starts on Saturday;
    # Mondays of the next four weeks: 11-23, 11-30, 12-07, 12-14.
    assert (result.service_item_code, result.valid_from, result.tasks_created) == (
        code, dt.date(2026, 11, 21), 4,
    )  # fmt: skip
    with session_factory() as session:
        service = session.scalars(select(ServiceItem).where(ServiceItem.code == code)).one()
        assert service.contract.community_id == world.a.id
        assert (service.name, service.category, service.tier, service.recurrence) == (
            "车库·积水:检查给排水", "engineering", "basic", "weekly",
        )  # fmt: skip
        assert (service.weekdays, service.window_start, service.window_end) == (
            "1", dt.time(9), dt.time(11),
        )  # fmt: skip
        assert (service.expected_minutes, service.valid_from, service.valid_to) == (
            30, dt.date(2026, 11, 21), None,
        )  # fmt: skip
        assert "积水" in service.standard and "5起" in service.standard
        tasks = session.execute(
            select(PlanTask.community_id, PlanTask.due_date, PlanTask.window_start_at)
            .where(PlanTask.item_id == service.id)
            .order_by(PlanTask.due_date)
        ).all()
        assert tasks == [
            (world.a.id, day, dt.datetime.combine(day, dt.time(1)))  # 09:00 local = 01:00 UTC
            for day in (dt.date(2026, 11, 23), dt.date(2026, 11, 30), dt.date(2026, 12, 7),
                        dt.date(2026, 12, 14))
        ]  # fmt: skip
        assert session.scalar(select(func.count()).select_from(PlanTask).where(
            PlanTask.community_id == world.b.id)) == 0  # fmt: skip
        item = session.get_one(ChecklistItem, garage_id)
        assert (item.status, item.service_item_code, item.version) == ("adopted", code, 2)
        assert (item.decided_by_id, item.decided_at) == (world.manager_a.id, NOW)
        listed = {v.item_id: v for v in list_checklist(session=session, viewer=world.manager)}
        assert listed[garage_id].adopted_here
        other = {v.item_id: v for v in list_checklist(session=session, viewer=world.other_manager)}
        assert not other[garage_id].adopted_here


def test_another_community_adopts_its_own_copy_and_nobody_twice(
    session_factory: sessionmaker[Session], world: World
) -> None:
    build(session_factory)
    garage_id = items(session_factory)[GARAGE].id
    with write_session(session_factory) as session:
        adopt_checklist_item(session=session, viewer=world.manager, item_id=garage_id, now=NOW,
                             expected_version=1)  # fmt: skip
    morning = dt.datetime(2026, 11, 23, 0, 0)  # Monday 08:00 local: today's window is ahead
    with write_session(session_factory) as session:
        result = adopt_checklist_item(session=session, viewer=world.other_manager,
                                      item_id=garage_id, now=morning, expected_version=2)  # fmt: skip
    assert (result.valid_from, result.tasks_created) == (dt.date(2026, 11, 23), 4)
    with session_factory() as session:
        communities = session.scalars(
            select(Community.code)
            .join_from(ServiceItem, ServiceItem.contract)
            .join(Community)
            .where(ServiceItem.code == f"QC{garage_id:04d}")
            .order_by(Community.code)
        ).all()
        assert communities == ["A", "B"]
        item = session.get_one(ChecklistItem, garage_id)
        # still decided by the first adoption; the version counts both
        assert (item.status, item.decided_by_id, item.version) == (
            "adopted", world.manager_a.id, 3,
        )  # fmt: skip

    for viewer, key in ((world.manager, "checklists.already_adopted"),
                        (world.other_manager, "checklists.already_adopted")):  # fmt: skip
        with pytest.raises(DomainError) as error, write_session(session_factory) as session:
            adopt_checklist_item(session=session, viewer=viewer, item_id=garage_id, now=NOW,
                                 expected_version=3)  # fmt: skip
        assert error.value.key == key
    with pytest.raises(DomainError) as error, write_session(session_factory) as session:
        dismiss_checklist_item(session=session, viewer=world.manager, item_id=garage_id, now=NOW,
                               expected_version=3)  # fmt: skip
    assert error.value.key == "checklists.cannot_dismiss_adopted"


def test_a_dismissed_item_can_still_be_adopted(
    session_factory: sessionmaker[Session], world: World
) -> None:
    build(session_factory)
    noise_id = items(session_factory)[NOISE].id
    with write_session(session_factory) as session:
        dismiss_checklist_item(session=session, viewer=world.manager, item_id=noise_id, now=NOW,
                               expected_version=1)  # fmt: skip
    with pytest.raises(DomainError) as error, write_session(session_factory) as session:
        dismiss_checklist_item(session=session, viewer=world.manager, item_id=noise_id, now=NOW,
                               expected_version=2)  # fmt: skip
    assert error.value.key == "checklists.already_dismissed"
    with write_session(session_factory) as session:
        adopt_checklist_item(session=session, viewer=world.other_manager, item_id=noise_id,
                             now=NOW, expected_version=2, recurrence="daily")  # fmt: skip
    with session_factory() as session:
        item = session.get_one(ChecklistItem, noise_id)
        assert (item.status, item.decided_by_id) == ("adopted", world.manager_b.id)
        service = session.scalars(
            select(ServiceItem).where(ServiceItem.code == f"QC{noise_id:04d}")
        ).one()
        assert (service.recurrence, service.weekdays, service.category) == (
            "daily", "", "customer_service",
        )  # fmt: skip


def test_version_conflict_writes_nothing(
    session_factory: sessionmaker[Session], world: World
) -> None:
    build(session_factory)
    garage_id = items(session_factory)[GARAGE].id
    for command in (adopt_checklist_item, dismiss_checklist_item):
        with pytest.raises(DomainError) as error, write_session(session_factory) as session:
            command(session=session, viewer=world.manager, item_id=garage_id, now=NOW,
                    expected_version=0)  # fmt: skip
        assert error.value.key == "checklists.changed_meanwhile"
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(ServiceItem)) == 0
        assert session.scalar(select(func.count()).select_from(PlanTask)) == 0
        item = session.get_one(ChecklistItem, garage_id)
        assert (item.status, item.version) == ("proposed", 1)


@pytest.mark.parametrize(
    ("options", "key"),
    [
        ({"recurrence": "monthly"}, "checklists.recurrence_invalid"),
        ({"weekday": 8}, "checklists.weekday_invalid"),
        ({"item_id": 10_000}, "checklists.not_found"),
        ({"now": dt.datetime(2027, 3, 1, 2, 0)}, "checklists.no_contract"),  # contract ended
    ],
)
def test_adopt_refusals(
    session_factory: sessionmaker[Session], world: World, options: AdoptOptions, key: str
) -> None:
    build(session_factory)
    arguments: AdoptArguments = {
        "item_id": items(session_factory)[GARAGE].id, "now": NOW, "expected_version": 1,
        **options,
    }  # fmt: skip
    with pytest.raises(DomainError) as error, write_session(session_factory) as session:
        adopt_checklist_item(session=session, viewer=world.manager, **arguments)
    assert error.value.key == key


# --- roles ---------------------------------------------------------------------------------------------
def test_owners_cannot_read_and_only_managers_decide(
    session_factory: sessionmaker[Session], world: World
) -> None:
    build(session_factory)
    garage_id = items(session_factory)[GARAGE].id
    with session_factory() as session:
        for read in (
            lambda: list_checklist(session=session, viewer=world.owner),
            lambda: checklist_evidence(session=session, viewer=world.owner, item_id=garage_id),
        ):
            with pytest.raises(NotAllowed) as refused:
                read()
            assert refused.value.key == "checklists.not_allowed"
        for viewer in (world.owner, world.committee):
            for command in (
                lambda v=viewer: adopt_checklist_item(session=session, viewer=v,
                                                      item_id=garage_id, now=NOW,
                                                      expected_version=1),
                lambda v=viewer: dismiss_checklist_item(session=session, viewer=v,
                                                        item_id=garage_id, now=NOW,
                                                        expected_version=1),
                lambda v=viewer: refresh_checklist(session=session, viewer=v, now=NOW),
            ):  # fmt: skip
                with pytest.raises(NotAllowed) as refused:
                    command()
                assert refused.value.key == "checklists.managers_only"
        assert session.get_one(ChecklistItem, garage_id).status == "proposed"


def test_refresh_runs_the_analysis_for_a_manager(
    session_factory: sessionmaker[Session], world: World
) -> None:
    with write_session(session_factory) as session:
        report = refresh_checklist(session=session, viewer=world.manager, now=NOW)
    assert (report.patterns, report.created) == (4, 4)
