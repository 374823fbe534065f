"""The demo's co-governance: notices in force and past, three months of the public ledger,
owners' votes (a decision closed with its result, a major decision and a consultation open), and
neighbours' "me too" on an open order and an open ticket.

Written through the same commands as the pages (``data_access.governance``), at the moments they
would have happened: the two months before last are signed off by the committee (the earlier
one corrected afterwards, visibly), last month is the manager's draft awaiting review. About
half of the owners have opened the notices in force (read receipts to look at).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.accounts.privacy import ticket_of_private_order
from data_access.accounts.roster import import_roster
from data_access.flows import OPEN_TICKET_STATUSES
from data_access.governance.announcements import NewAnnouncement, mark_read, publish_announcement
from data_access.governance.ledger import LineInput, add_line, change_line, review_month
from data_access.governance.me_too import say_me_too
from data_access.governance.questions import answer_question, ask_question
from data_access.governance.votes import NewPoll, cast_ballot, open_poll
from data_access.models import (
    Account,
    OwnerUnit,
    Poll,
    PollOption,
    PollRollEntry,
    RectificationTicket,
    Unit,
    WorkOrder,
)
from data_access.periods import last_periods
from seed.core import CommunityWorld, PersonRef, SeedContext
from seed.texts import person_name, phone_number

H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)


def _viewer(person: PersonRef, role: str, world: CommunityWorld) -> Viewer:
    assert person.account_id is not None
    return Viewer(account_id=person.account_id, username="", display_name=person.name,
                  role=role, community_id=world.id,
                  unit_ids=tuple(u.id for u in person.units))  # fmt: skip


def create_governance(session: Session, ctx: SeedContext, world: CommunityWorld) -> None:
    if world.manager is None or world.committee is None:
        return
    manager = _viewer(world.manager, "manager", world)
    committee = _viewer(world.committee, "committee", world)
    _notices(session, ctx, world, manager, committee)
    _ledger(session, ctx, world, manager, committee)
    _votes(session, ctx, world, manager, committee)
    _me_toos(session, ctx, world)


def _notices(session: Session, ctx: SeedContext, world: CommunityWorld, manager: Viewer,
             committee: Viewer) -> None:  # fmt: skip
    now = ctx.now
    home = (
        world.demo_owner.units[0].building if world.demo_owner and world.demo_owner.units else None
    )
    building = home or world.buildings[0]
    water = publish_announcement(
        session=session, viewer=manager, now=now - 20 * H,
        draft=NewAnnouncement(
            kind="outage", title=f"{building.name}二次供水水箱清洗,临时停水",
            body=(f"因二次供水水箱年度清洗消毒,{building.name}将于明日 9:00–15:00 停止供水。"
                  "请提前储水,关闭水龙头;恢复供水初期水色发黄属正常,放水片刻即可。"
                  "如有特殊困难请联系物业服务中心。"),
            starts_at=now - 20 * H, ends_at=now + 2 * D, urgent=True, building_ids=(building.id,),
        ),
    )  # fmt: skip
    meeting = publish_announcement(
        session=session, viewer=committee, now=now - 3 * D,
        draft=NewAnnouncement(
            kind="meeting", title="关于召开业主代表座谈会的通知",
            body=("业委会定于本周六 19:30 在会所二楼召开业主代表座谈会,议题:1. 地面停车位收费"
                  "调整方案;2. 电梯更新改造使用维修资金的意向征询。欢迎业主旁听。"),
            starts_at=now - 3 * D, ends_at=now + 4 * D, pinned=True,
        ),
    )  # fmt: skip
    publish_announcement(
        session=session, viewer=manager, now=now - 40 * D,
        draft=NewAnnouncement(
            kind="fees", title="物业费缴纳提醒",
            body="本年度物业费可通过物业服务中心或线上缴纳,逾期不收取滞纳金。",
            starts_at=now - 40 * D, ends_at=now - 10 * D,
        ),
    )  # fmt: skip
    rng = ctx.rng("notices", world.code)
    for owner in world.owners:
        if owner.account_id is None or owner is world.demo_owner or rng.random() > 0.5:
            continue
        reader = _viewer(owner, "owner", world)
        mark_read(session=session, viewer=reader, announcement_ids=[water, meeting],
                  now=now - rng.randint(1, 15) * H)  # fmt: skip


def _ledger(session: Session, ctx: SeedContext, world: CommunityWorld, manager: Viewer,
            committee: Viewer) -> None:  # fmt: skip
    rng = ctx.rng("ledger", world.code)
    months = last_periods("month", ctx.as_of, 4)[:-1]  # the three months before this one
    first_line: dict[dt.date, int] = {}
    for index, month in enumerate(months):
        written = ctx.utc(month.end, dt.time(18, 0))
        parking = rng.randrange(900_000, 2_400_000)
        ads = rng.randrange(150_000, 420_000)
        venue = rng.randrange(20_000, 80_000)
        income = parking + ads + venue
        lines = [
            LineInput("income", "parking", f"地面及地库临时停车收费({month.start.month} 月)", parking),
            LineInput("income", "advertising", "电梯轿厢广告位", ads),
            LineInput("income", "venue", "会所活动室场地租赁", venue),
            LineInput("cost", "management_fee", "物业管理酬金(收益的 15%)", income * 15 // 100),
            LineInput("cost", "tax", "增值税及附加", income * 6 // 100),
            LineInput("cost", "operating", "道闸维护及停车管理人员分摊", rng.randrange(80_000, 160_000)),
            LineInput("share_use", "to_fund", "转入专项维修资金", income // 2),
        ]  # fmt: skip
        if index == 1:
            lines.append(LineInput("fund", "lift", f"{world.buildings[0].name}电梯曳引钢丝绳更换",
                                   rng.randrange(3_000_000, 6_000_000)))  # fmt: skip
        ids = [add_line(session=session, viewer=manager, month_start=month.start, line=line,
                        now=written) for line in lines]  # fmt: skip
        first_line[month.start] = ids[0]
        if index < 2:  # signed off a few days into the next month
            review_month(session=session, viewer=committee, month_start=month.start,
                         decision="approve", comment="已核对收支凭证",
                         now=written + 4 * D)  # fmt: skip
    # A visible correction of the first month, and the committee's second look at it.
    first = months[0]
    corrected_at = ctx.utc(first.end, dt.time(18, 0)) + 12 * D
    change_line(
        session=session, viewer=manager, line_id=first_line[first.start],
        line=LineInput("income", "parking", f"地面及地库临时停车收费({first.start.month} 月)",
                       rng.randrange(900_000, 2_400_000)),
        reason="补录一笔月末现金收费", now=corrected_at,
    )  # fmt: skip
    review_month(session=session, viewer=committee, month_start=first.start, decision="approve",
                 comment="更正已核对", now=corrected_at + 2 * D)  # fmt: skip
    asker = next((o for o in world.owners if o.account_id and o is not world.demo_owner), None)
    if asker is None:
        return
    second = months[1]
    owner = _viewer(asker, "owner", world)
    asked_at = ctx.utc(second.end, dt.time(20, 0)) + 6 * D
    question = ask_question(session=session, viewer=owner, line_id=first_line[second.start],
                            question="停车收入比上月少了不少,是车位空置了吗?", now=asked_at)  # fmt: skip
    answer_question(session=session, viewer=manager, question_id=question,
                    answer="本月有 12 个临时车位因地库照明改造停用两周,已在下月恢复。",
                    now=asked_at + 5 * H)  # fmt: skip


def _votes(session: Session, ctx: SeedContext, world: CommunityWorld, manager: Viewer,
           committee: Viewer) -> None:  # fmt: skip
    """A named ordinary decision of one building's owners closed two weeks ago (most of them
    took part: it passed), a secret major decision of the whole community open for another 11
    days, and the company's consultation open for 5 more days; the demo owner has voted on none
    of the open ones."""
    now = ctx.now
    # The demo owner's building: owner_a reads the result of a vote he was on the roll of.
    home = world.demo_owner.units[0].building if world.demo_owner else world.buildings[0]
    lift_building = next(b for b in world.buildings if b.id == home.id)
    lift = lift_building.name
    roster_owners = _roster_of_building(session, ctx, world, manager, lift_building.id,
                                        now - 31 * D)  # fmt: skip
    closed = open_poll(
        session=session, viewer=committee, now=now - 30 * D,
        draft=NewPoll(
            rule="ordinary", secret=False, opens_at=now - 30 * D, closes_at=now - 16 * D,
            building_ids=(lift_building.id,),
            title=f"关于使用专项维修资金更新{lift}电梯的表决",
            body=(f"{lift}两部电梯已运行 16 年,年检多次整改。拟使用专项维修资金约 86 万元更新,"
                  "方案和三家报价已在会所公示。使用维修资金属一般事项(民法典第二百七十八条第五项)。"),
        ),
    )  # fmt: skip
    major = open_poll(
        session=session, viewer=committee, now=now - 3 * D,
        draft=NewPoll(
            rule="major", major_matter="change_use", opens_at=now - 3 * D, closes_at=now + 11 * D,
            title="关于利用地面公共区域增设新能源汽车充电桩并对外经营的表决",
            body=("拟在北门地面停车区增设 20 个充电桩,由第三方投资运营,收益按 3:7 归全体业主,"
                  "计入公共收益。利用共有部分从事经营活动属重大事项。"),
        ),
    )  # fmt: skip
    consultation = open_poll(
        session=session, viewer=manager, now=now - 2 * D,
        draft=NewPoll(
            rule="consultation", opens_at=now - 2 * D, closes_at=now + 5 * D,
            title="智能快递柜放在哪里更方便?", options=("北门岗亭旁", "南门广场", "地库电梯厅"),
            body="快递公司拟免费增设一组智能快递柜,请选择你认为最方便的位置。",
        ),
    )  # fmt: skip
    rng = ctx.rng("votes", world.code)
    plans = ((closed, now - 29 * D, 13 * 24 - 1, 0.8, (0.72, 0.2)),
             (major, now - 3 * D, 3 * 24 - 2, 0.35, (0.7, 0.22)),
             (consultation, now - 2 * D, 2 * 24 - 2, 0.3, (0.45, 0.35)))  # fmt: skip
    voters = [o for o in (*world.owners, *roster_owners) if o.account_id is not None and o.units]
    for poll_id, start, hours, turnout, (first, second) in plans:
        # Read once per poll (not a poll list per owner): who is on its roll, its choices.
        on_roll = set(
            session.scalars(select(PollRollEntry.voter_id).where(PollRollEntry.poll_id == poll_id))
        )
        options = session.scalars(select(PollOption.id).where(PollOption.poll_id == poll_id)
                                  .order_by(PollOption.position)).all()  # fmt: skip
        for person in voters:
            if person is world.demo_owner or rng.random() > turnout:
                continue
            if person.account_id not in on_roll:
                continue
            draw = rng.random()
            choice = 0 if draw < first else 1 if draw < first + second else 2
            cast_ballot(session=session, viewer=_viewer(person, "owner", world), poll_id=poll_id,
                        option_id=options[choice], now=start + rng.randint(1, hours) * H)  # fmt: skip
    # The worker published the closed vote's result when it closed (history: no message).
    session.get_one(Poll, closed).result_published_at = now - 16 * D
    session.flush()


def _roster_of_building(
    session: Session, ctx: SeedContext, world: CommunityWorld, manager: Viewer, building_id: int,
    now: dt.datetime,
) -> list[PersonRef]:  # fmt: skip
    """Before the lift vote the manager imports the building's roster (业主名册) for the homes
    whose owners have no account yet — a vote's roll counts every home, not only the app's
    users. Returns those owners; in the demo they opened their accounts with the letters and
    voted (like every demo owner but the demo logins, they keep no password here)."""
    rng = ctx.rng("roster", world.code)
    owned = set(session.scalars(select(OwnerUnit.unit_id)))
    homes = [u for u in world.units if u.building.id == building_id and u.id not in owned]
    if not homes:
        return []
    areas = dict(session.execute(select(Unit.id, Unit.floor_area_m2)
                                 .where(Unit.id.in_([u.id for u in homes]))).all())  # fmt: skip
    people = [PersonRef(person_name(rng), phone_number(rng), units=(u,)) for u in homes]
    lines = ["姓名,手机号,楼栋,单元,房号,建筑面积"]
    lines += [f"{p.name},{p.phone},{u.building.name},{u.entrance},{u.room},{areas[u.id]:.2f}"
              for p, u in zip(people, homes, strict=True)]  # fmt: skip
    import_roster(session=session, viewer=manager, data="\n".join(lines).encode(), now=now,
                  file_name="业主名册.csv")  # fmt: skip
    accounts = dict(session.execute(select(Account.phone, Account.id).where(
        Account.community_id == world.id, Account.phone.in_([p.phone for p in people]))).all())  # fmt: skip
    return [replace(p, account_id=accounts[p.phone]) for p in people]


def _me_toos(session: Session, ctx: SeedContext, world: CommunityWorld) -> None:
    """Neighbours said "me too" on the newest open public order (three of them) and the newest
    open public ticket (two) of the demo owner's community, and so follow them; the demo owner
    has said it on neither."""
    if world.demo_owner is None:
        return
    rng = ctx.rng("me_too", world.code)
    neighbours = [o for o in world.owners if o is not world.demo_owner and o.account_id]
    order = session.execute(
        select(WorkOrder.id, WorkOrder.reporter_id, WorkOrder.created_at)
        .where(WorkOrder.community_id == world.id, WorkOrder.visibility == "public",
               WorkOrder.completed_at.is_(None), WorkOrder.created_at < ctx.now - 6 * H,
               WorkOrder.area_id.is_not(None))
        .order_by(WorkOrder.created_at.desc(), WorkOrder.id.desc()).limit(1)
    ).one_or_none()  # fmt: skip
    ticket = session.execute(
        select(RectificationTicket.id, RectificationTicket.owner_id,
               RectificationTicket.created_at)
        .where(RectificationTicket.community_id == world.id,
               RectificationTicket.status.in_(OPEN_TICKET_STATUSES), ~ticket_of_private_order(),
               RectificationTicket.created_at < ctx.now - 6 * H)
        .order_by(RectificationTicket.created_at.desc(), RectificationTicket.id.desc()).limit(1)
    ).one_or_none()  # fmt: skip
    for subject, record, how_many in (("order", order, 3), ("ticket", ticket, 2)):
        if record is None:
            continue
        record_id, reporter_id, created_at = record
        others = [o for o in neighbours if o.account_id != reporter_id]
        span_hours = max(1, int((ctx.now - created_at) / H) - 1)
        moments = sorted(created_at + rng.randint(1, span_hours) * H for _ in range(how_many))
        chosen = rng.sample(others, min(how_many, len(others)))
        for person, moment in zip(chosen, moments, strict=False):
            say_me_too(session=session, viewer=_viewer(person, "owner", world), subject=subject,
                       subject_id=record_id, now=moment)  # fmt: skip
