"""公共收益与费用公示 (issue 23, item 2): a month's ledger in fen, the committee's sign-off before
owners see it, visible corrections after, shares per m² and per owner computed by hand, and
nobody writing what is not theirs."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.errors import DomainError, NotAllowed
from data_access.governance.ledger import (
    LineInput,
    add_line,
    change_line,
    ledger_months,
    month_ledger,
    review_month,
)
from data_access.models import AppendOnlyError, LedgerLine
from tests.data_access import factories as f

OCTOBER = dt.date(2026, 10, 1)
# October ends at 16:00 UTC on the 31st in Shanghai (the factories' communities' zone).
DURING = dt.datetime(2026, 10, 20, 2, 0)
LAST_MINUTE = dt.datetime(2026, 10, 31, 15, 59)
AFTER = dt.datetime(2026, 11, 1, 2, 0)
H = dt.timedelta(hours=1)


@dataclasses.dataclass
class People:
    manager: Viewer
    committee: Viewer
    owner: Viewer  # holds units A (100.00 m²) and C (120.25 m²)
    neighbour: Viewer  # holds unit B (80.50 m²)
    other_manager: Viewer


@pytest.fixture
def people(session: Session) -> People:
    return make_people(session)


def make_people(session: Session) -> People:
    home, elsewhere = f.community(session), f.community(session)
    one, two = f.building(session, home, "1栋"), f.building(session, home, "2栋")
    a, b, c = (
        f.unit(session, one, room="101"),
        f.unit(session, one, room="102"),
        f.unit(session, two),
    )
    a.floor_area_m2, b.floor_area_m2, c.floor_area_m2 = 100.00, 80.50, 120.25
    owner = f.account(session, home, "owner", units=(a, c))
    neighbour = f.account(session, home, "owner", units=(b,))
    neighbour.display_name = "李四"
    session.flush()
    return People(
        manager=f.viewer_of(f.account(session, home, "manager")),
        committee=f.viewer_of(f.account(session, home, "committee")),
        owner=dataclasses.replace(f.viewer_of(owner), unit_ids=(a.id, c.id)),
        neighbour=dataclasses.replace(f.viewer_of(neighbour), unit_ids=(b.id,)),
        other_manager=f.viewer_of(f.account(session, elsewhere, "manager")),
    )


def line(section: str, category: str, fen: int, text: str = "说明", order: str = "") -> LineInput:
    return LineInput(section, category, text, fen, order)


def october(session: Session, people: People) -> dict[str, int]:
    """Income 12,345.00 + 3,000.00 元; costs 2,000.00 + 534.57 元; one use; one fund line."""
    m = people.manager
    ids = {
        "parking": add_line(session=session, viewer=m, month_start=OCTOBER, now=DURING,
                            line=line("income", "parking", 1_234_500, "地面车位 95 个")),
        "ads": add_line(session=session, viewer=m, month_start=OCTOBER, now=DURING,
                        line=line("income", "advertising", 300_000, "电梯广告")),
        "fee": add_line(session=session, viewer=m, month_start=OCTOBER, now=DURING,
                        line=line("cost", "management_fee", 200_000, "物业管理酬金")),
        "tax": add_line(session=session, viewer=m, month_start=OCTOBER, now=DURING,
                        line=line("cost", "tax", 53_457, "增值税及附加")),
        "use": add_line(session=session, viewer=m, month_start=OCTOBER, now=DURING,
                        line=line("share_use", "to_fund", 500_000, "转入维修资金")),
        "fund": add_line(session=session, viewer=m, month_start=OCTOBER, now=DURING,
                         line=line("fund", "lift", 880_000, "2 栋电梯钢丝绳更换")),
    }  # fmt: skip
    return ids


def test_owners_see_a_month_only_once_the_committee_approved_it(
    session: Session, people: People
) -> None:
    october(session, people)
    assert (
        month_ledger(session=session, viewer=people.owner, month_start=OCTOBER, now=AFTER) is None
    )
    draft = month_ledger(session=session, viewer=people.committee, month_start=OCTOBER, now=AFTER)
    assert draft is not None and draft.status == "draft" and len(draft.lines) == 6

    review_month(session=session, viewer=people.committee, month_start=OCTOBER,
                 decision="approve", comment="已核对票据", now=AFTER)  # fmt: skip
    seen = month_ledger(session=session, viewer=people.owner, month_start=OCTOBER, now=AFTER)
    assert seen is not None and seen.status == "published" and not seen.running
    # By hand: 1,234,500 + 300,000 − 200,000 − 53,457 = 1,281,043 fen.
    assert seen.totals.income_fen == 1_534_500 and seen.totals.cost_fen == 253_457
    assert seen.totals.owners_share_fen == 1_281_043
    assert (seen.totals.share_use_fen, seen.totals.fund_fen) == (500_000, 880_000)
    # Floor area 100.00 + 80.50 + 120.25 = 300.75 m²; 1,281,043 ÷ 300.75 = 4,259.494… fen/m².
    assert seen.total_area_m2 == Decimal("300.75")
    assert seen.share_per_m2_fen == Decimal("4259.49")
    # The owner's 220.25 m²: 1,281,043 × 220.25 ÷ 300.75 = 938,153.68… → 938,154 fen.
    assert seen.my_share_fen == 938_154
    neighbours = month_ledger(
        session=session, viewer=people.neighbour, month_start=OCTOBER, now=AFTER
    )
    # 1,281,043 × 80.50 ÷ 300.75 = 342,889.18… → 342,889 fen.
    assert neighbours is not None and neighbours.my_share_fen == 342_889
    assert [(r.comment, r.reviewer) for r in seen.reviews] == [("已核对票据", "张*")]  # a person
    mine = month_ledger(session=session, viewer=people.committee, month_start=OCTOBER, now=AFTER)
    assert mine is not None and [r.reviewer for r in mine.reviews] == ["张三"]  # their own name


def test_a_running_month_cannot_be_signed_off(session: Session, people: People) -> None:
    october(session, people)
    with pytest.raises(DomainError, match="还没有结束"):
        review_month(session=session, viewer=people.committee, month_start=OCTOBER,
                     decision="approve", comment="", now=LAST_MINUTE)  # fmt: skip
    shown = month_ledger(session=session, viewer=people.manager, month_start=OCTOBER, now=DURING)
    assert shown is not None and shown.running


def test_a_month_without_lines_is_signed_as_zero_and_not_before(
    session: Session, people: People
) -> None:
    months = ledger_months(session=session, viewer=people.owner, until=OCTOBER)
    assert len(months) == 12 and months[-1].month_start == OCTOBER
    assert all(m.totals is None for m in months)  # not published is not zero
    review_month(session=session, viewer=people.committee, month_start=OCTOBER,
                 decision="approve", comment="本月无公共收益", now=AFTER)  # fmt: skip
    months = ledger_months(session=session, viewer=people.owner, until=OCTOBER)
    assert months[-1].totals is not None and months[-1].totals.owners_share_fen == 0
    assert months[-2].totals is None


def test_a_correction_after_publication_stays_visible_until_and_after_review(
    session: Session, people: People
) -> None:
    ids = october(session, people)
    # Rewritten before publication: part of the draft, no history shown.
    ids["ads"] = change_line(session=session, viewer=people.manager, line_id=ids["ads"],
                             line=line("income", "advertising", 320_000, "电梯广告(含 10 月补款)"),
                             reason="", now=DURING + H)  # fmt: skip
    review_month(session=session, viewer=people.committee, month_start=OCTOBER,
                 decision="approve", comment="", now=AFTER)  # fmt: skip
    with pytest.raises(DomainError, match="说明更正原因"):
        change_line(session=session, viewer=people.manager, line_id=ids["parking"],
                    line=line("income", "parking", 1_200_000, "地面车位 95 个"), reason="",
                    now=AFTER + H)  # fmt: skip
    change_line(session=session, viewer=people.manager, line_id=ids["parking"],
                line=line("income", "parking", 1_200_000, "地面车位 95 个"),
                reason="一笔月租重复入账", now=AFTER + H)  # fmt: skip
    change_line(session=session, viewer=people.manager, line_id=ids["tax"], line=None,
                reason="税费已在酬金中计提", now=AFTER + 2 * H)  # fmt: skip

    seen = month_ledger(session=session, viewer=people.owner, month_start=OCTOBER, now=AFTER)
    assert seen is not None and seen.status == "corrected"
    by_text = {x.description: x for x in seen.lines}
    parking = by_text["地面车位 95 个"]
    assert parking.amount_fen == 1_200_000 and parking.unreviewed
    assert [(v.amount_fen, v.reason) for v in parking.earlier] == [(1_234_500, "")]
    assert by_text["电梯广告(含 10 月补款)"].earlier == ()  # the draft's rewrite is not history
    tax = by_text["增值税及附加"]
    assert tax.removed and [v.amount_fen for v in tax.earlier] == [53_457]
    # 1,200,000 + 320,000 − 200,000 = 1,320,000: the removed tax line no longer counts.
    assert seen.totals.owners_share_fen == 1_320_000

    review_month(session=session, viewer=people.committee, month_start=OCTOBER,
                 decision="approve", comment="更正已核", now=AFTER + 3 * H)  # fmt: skip
    again = month_ledger(session=session, viewer=people.owner, month_start=OCTOBER, now=AFTER)
    assert again is not None and again.status == "published"
    assert {x.description: x for x in again.lines}["地面车位 95 个"].corrected


def test_two_managers_changing_one_line_cannot_both_win(session: Session, people: People) -> None:
    ids = october(session, people)
    change_line(session=session, viewer=people.manager, line_id=ids["fee"],
                line=line("cost", "management_fee", 210_000, "物业管理酬金"), reason="", now=DURING)  # fmt: skip
    with pytest.raises(DomainError, match="刚被修改"):
        change_line(session=session, viewer=people.manager, line_id=ids["fee"],
                    line=line("cost", "management_fee", 190_000, "物业管理酬金"), reason="",
                    now=DURING)  # fmt: skip


def test_lines_are_never_rewritten(session: Session, people: People) -> None:
    ids = october(session, people)
    row = session.get(LedgerLine, ids["parking"])
    assert row is not None
    row.amount_fen = 1
    with pytest.raises(AppendOnlyError):
        session.flush()


@pytest.mark.parametrize(
    ("amount", "category", "message"),
    [(0, "parking", "金额"), (-5, "parking", "金额"), (10**12 + 1, "parking", "金额"),
     (100, "lift", "科目")],
)  # fmt: skip
def test_what_a_ledger_cannot_hold_is_refused(
    session: Session, people: People, amount: int, category: str, message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        add_line(session=session, viewer=people.manager, month_start=OCTOBER, now=DURING,
                 line=line("income", category, amount))  # fmt: skip


def test_a_fund_line_links_only_an_order_of_its_community(session: Session, people: People) -> None:
    with pytest.raises(DomainError, match="WO-NOPE"):
        add_line(session=session, viewer=people.manager, month_start=OCTOBER, now=DURING,
                 line=line("fund", "lift", 100, "电梯", "WO-NOPE"))  # fmt: skip


def test_only_managers_write_and_only_the_committee_signs(session: Session, people: People) -> None:
    ids = october(session, people)
    for viewer in (people.owner, people.committee):
        with pytest.raises(NotAllowed):
            add_line(session=session, viewer=viewer, month_start=OCTOBER, now=DURING,
                     line=line("income", "parking", 100))  # fmt: skip
    with pytest.raises(NotAllowed):
        change_line(session=session, viewer=people.other_manager, line_id=ids["parking"],
                    line=None, reason="", now=DURING)  # fmt: skip
    for viewer in (people.owner, people.manager):
        with pytest.raises(NotAllowed):
            review_month(session=session, viewer=viewer, month_start=OCTOBER,
                         decision="approve", comment="", now=AFTER)  # fmt: skip
    theirs = month_ledger(
        session=session, viewer=people.other_manager, month_start=OCTOBER, now=AFTER
    )
    assert theirs is not None and theirs.lines == ()


def test_a_returned_month_says_why_and_stays_unpublished(session: Session, people: People) -> None:
    october(session, people)
    with pytest.raises(DomainError, match="退回"):
        review_month(session=session, viewer=people.committee, month_start=OCTOBER,
                     decision="return", comment=" ", now=AFTER)  # fmt: skip
    review_month(session=session, viewer=people.committee, month_start=OCTOBER,
                 decision="return", comment="停车收入缺少 9 月明细", now=AFTER)  # fmt: skip
    shown = month_ledger(session=session, viewer=people.manager, month_start=OCTOBER, now=AFTER)
    assert shown is not None and shown.status == "returned"
    assert shown.reviews[-1].comment == "停车收入缺少 9 月明细"
    assert (
        month_ledger(session=session, viewer=people.owner, month_start=OCTOBER, now=AFTER) is None
    )
