"""物业说明 and 发布 (issue 20, point 1): a manager explains a missed KPI of an ended month and
publishes the month; drafts rewritten before publication stay private, edits after it stay
visible with their times; the committee reads masked text; nobody else writes, and no other
community's words show."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from data_access.analytics.explanations import (
    month_explanations,
    publish_report,
    write_explanation,
)
from data_access.errors import DomainError
from data_access.models import AppendOnlyError, KpiExplanation
from tests.data_access import factories as f

OCTOBER = dt.date(2026, 10, 1)
# 1 November 10:00 in Shanghai: October has ended there (it ended at 16:00 UTC on the 31st).
AFTER = dt.datetime(2026, 11, 1, 2, 0)
H = dt.timedelta(hours=1)


@pytest.fixture
def people(session: Session) -> dict[str, object]:
    home = f.community(session)
    elsewhere = f.community(session)
    accounts = {
        "manager": f.account(session, home, "manager"),
        "committee": f.account(session, home, "committee"),
        "owner": f.account(session, home, "owner"),  # 张三, 13812341234
        "other_manager": f.account(session, elsewhere, "manager"),
    }
    accounts["manager"].display_name = "赵立新"
    accounts["committee"].display_name, accounts["committee"].phone = "李委员", "13900000000"
    session.flush()
    return {role: f.viewer_of(account) for role, account in accounts.items()}


def explain(session: Session, viewer: object, *, at: dt.datetime = AFTER, replaces: int | None = None,
            reason: str = "电梯配件到货晚", kpi: str = "timeliness_rate",
            due: dt.date | None = dt.date(2026, 11, 30), month: dt.date = OCTOBER) -> int:  # fmt: skip
    return write_explanation(
        session=session, viewer=viewer, month_start=month, kpi=kpi, reason=reason,  # type: ignore[arg-type]
        action="与供应商签订 48 小时到货协议", action_owner="工程部 王经理", action_due=due,
        replaces_id=replaces, now=at,
    )  # fmt: skip


def test_a_manager_explains_and_the_committee_reads_it_masked(
    session: Session, people: dict
) -> None:
    explain(session, people["manager"], reason="业主张三家门口的电梯维修拖延,13812341234 可联系")
    seen = month_explanations(session=session, viewer=people["committee"], month_start=OCTOBER)
    view = seen.by_kpi["timeliness_rate"]
    assert view.current.reason == "业主张*家门口的电梯维修拖延,138****1234 可联系"
    assert view.current.author == ""  # the company speaks; the manager's name is for managers
    assert view.current.action_owner == "工程部 王经理"
    assert not seen.is_published and not view.edited_after_publication
    mine = month_explanations(session=session, viewer=people["manager"], month_start=OCTOBER)
    assert mine.by_kpi["timeliness_rate"].current.author == "赵立新"
    assert "13812341234" in mine.by_kpi["timeliness_rate"].current.reason


def test_another_community_sees_nothing(session: Session, people: dict) -> None:
    explain(session, people["manager"])
    theirs = month_explanations(
        session=session, viewer=people["other_manager"], month_start=OCTOBER
    )
    assert theirs.by_kpi == {}


@pytest.mark.parametrize("who", ["committee", "owner"])
def test_only_managers_write_and_publish(session: Session, people: dict, who: str) -> None:
    with pytest.raises(DomainError, match="只有物业经理"):
        explain(session, people[who])
    with pytest.raises(DomainError, match="只有物业经理"):
        publish_report(session=session, viewer=people[who], month_start=OCTOBER, now=AFTER)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"at": dt.datetime(2026, 10, 31, 15, 59)}, "还没有结束"),  # 23:59 in Shanghai
        ({"reason": "   "}, "请填写原因"),
        ({"reason": "长" * 501}, "最多 500 字"),
        ({"due": None}, "完成期限"),
        ({"due": dt.date(2026, 9, 30)}, "完成期限"),  # before the month it answers
        ({"due": dt.date(2027, 11, 1)}, "完成期限"),  # more than a year after
        ({"kpi": "happiness"}, "没有这个指标"),
        ({"month": dt.date(2026, 10, 2)}, "完整的月份"),
    ],
)
def test_bad_explanations_are_refused(
    session: Session, people: dict, change: dict, message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        explain(session, people["manager"], **change)


def test_a_draft_rewritten_before_publication_is_not_shown_but_edits_after_are(
    session: Session, people: dict
) -> None:
    manager = people["manager"]
    first = explain(session, manager, reason="草稿:原因待查")
    second = explain(session, manager, at=AFTER + H, replaces=first, reason="配件到货晚")
    publish_report(session=session, viewer=manager, month_start=OCTOBER, now=AFTER + 2 * H)
    view = month_explanations(session=session, viewer=people["committee"], month_start=OCTOBER)
    assert view.is_published and view.published_at == AFTER + 2 * H
    assert view.by_kpi["timeliness_rate"].replaced == ()  # the draft stays private

    third = explain(
        session, manager, at=AFTER + 3 * H, replaces=second, reason="配件到货晚,且人手不足"
    )
    explain(session, manager, at=AFTER + 4 * H, replaces=third, reason="配件到货晚,人手不足已补")
    view = month_explanations(session=session, viewer=people["committee"], month_start=OCTOBER)
    timeliness = view.by_kpi["timeliness_rate"]
    assert timeliness.current.reason == "配件到货晚,人手不足已补"
    assert [v.reason for v in timeliness.replaced] == ["配件到货晚", "配件到货晚,且人手不足"]
    assert [v.written_at for v in timeliness.replaced] == [AFTER + H, AFTER + 3 * H]
    assert timeliness.edited_after_publication


def test_an_edit_on_an_outdated_version_is_refused(session: Session, people: dict) -> None:
    first = explain(session, people["manager"])
    explain(session, people["manager"], at=AFTER + H, replaces=first)
    with pytest.raises(DomainError, match="刚被他人修改"):  # a second manager still saw the first
        explain(session, people["manager"], at=AFTER + 2 * H, replaces=first)
    with pytest.raises(DomainError, match="刚被他人修改"):  # or saw none at all
        explain(session, people["manager"], at=AFTER + 2 * H, replaces=None)


def test_a_month_is_published_once_and_only_after_it_ends(session: Session, people: dict) -> None:
    manager = people["manager"]
    with pytest.raises(DomainError, match="还没有结束"):
        publish_report(session=session, viewer=manager, month_start=OCTOBER,
                       now=dt.datetime(2026, 10, 31, 12, 0))  # fmt: skip
    publish_report(session=session, viewer=manager, month_start=OCTOBER, now=AFTER)
    with pytest.raises(DomainError, match="已经发布过了"):
        publish_report(session=session, viewer=manager, month_start=OCTOBER, now=AFTER + H)


def test_explanations_are_never_rewritten(session: Session, people: dict) -> None:
    row = session.get_one(KpiExplanation, explain(session, people["manager"]))
    row.reason = "悄悄改掉"
    with pytest.raises(AppendOnlyError):
        session.flush()
