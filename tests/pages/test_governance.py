"""公告 and 公共收益公示 through AppTest on the demo data (issue 23): what an owner, the committee
and a manager see and do — notices and their read receipts, a month signed off and then shown
to owners, a question asked and answered in public."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from data_access.db import make_engine
from data_access.models import AnnouncementRead, LedgerQuestion
from tests.conftest import ROOT
from tests.pages.conftest import APP, log_in, texts

NOTICES = str(ROOT / "pages" / "announcements.py")
LEDGER = str(ROOT / "pages" / "ledger.py")


def field(widgets: Any, label: str) -> Any:
    """The one widget of the list with this label."""
    (found,) = [widget for widget in widgets if widget.label == label]
    return found


def open_as(username: str, page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    log_in(at, username)
    at.switch_page(page).run()
    assert not at.exception
    return at


def test_an_owner_reads_the_notices_for_their_building_and_the_manager_sees_it_counted(
    demo_url: str,
) -> None:
    manager = open_as("manager_a", NOTICES)
    # The outage and the meeting (in force, first), then last month's fee reminder (past).
    before = [e.label for e in manager.expander if str(e.label).startswith("已读")][:2]
    assert len(before) == 2

    owner = open_as("owner_a", NOTICES)
    shown = texts(owner)
    assert "二次供水水箱清洗,临时停水" in shown and "关于召开业主代表座谈会的通知" in shown
    assert "业委会公告" in shown and "紧急" in shown
    engine = make_engine(demo_url)
    with engine.connect() as conn:
        reads = conn.scalar(select(func.count()).select_from(AnnouncementRead))
    owner.run()  # the page noted both as read; this visit still marks what was new
    assert "未读" in texts(owner)
    assert "未读" not in texts(open_as("owner_a", NOTICES))  # the next visit: nothing new

    manager = open_as("manager_a", NOTICES)
    after = [e.label for e in manager.expander if str(e.label).startswith("已读")][:2]

    # One more home reached on each notice (owner_a's), from the roster's count of homes.
    def reached(labels: list[str]) -> list[int]:
        return [int(str(label).split(":")[1].split(" /")[0]) for label in labels]

    assert [a - b for a, b in zip(reached(after), reached(before), strict=True)] == [1, 1]
    assert reads is not None and reads > 0


def test_a_manager_publishes_a_notice_and_an_owner_finds_it(demo_url: str) -> None:
    manager = open_as("manager_a", NOTICES)
    field(manager.text_input, "标题").input("电梯年检,暂停使用半天")
    field(manager.text_area, "正文").input(
        "11 月 25 日上午 9:00–12:00 全部电梯年检,请走楼梯或错峰出行。"
    )
    manager.button(key="FormSubmitter:compose_notice-发布").click().run()
    assert not manager.exception
    assert "公告已发布。" in texts(manager)

    owner = open_as("owner_a", NOTICES)
    assert "电梯年检,暂停使用半天" in texts(owner)


def test_an_owner_cannot_publish(demo_url: str) -> None:
    owner = open_as("owner_a", NOTICES)
    assert not [e for e in owner.expander if e.label == "发布公告"]


def test_the_committee_signs_off_a_month_and_owners_then_see_it(demo_url: str) -> None:
    owner = open_as("owner_a", LEDGER)
    month = owner.selectbox(key="ledger_month")
    assert str(month.value) == "2026-09-01"  # the latest published month
    assert "业委会 " in texts(owner) and "签字确认" in texts(owner)
    owner.selectbox(key="ledger_month").select_index(1).run()  # 2026-10: the manager's draft
    assert "尚未经业委会签字确认,暂未公示(不是 0 元)" in texts(owner)

    committee = open_as("committee_a", LEDGER)
    assert str(committee.selectbox(key="ledger_month").value) == "2026-10-01"
    assert "草稿(待业委会审核)" in texts(committee)
    committee.button(key="FormSubmitter:review_month-提交审核").click().run()
    assert not committee.exception
    assert "已签字确认,本月账目已向业主公示。" in texts(committee)

    owner = open_as("owner_a", LEDGER)
    assert str(owner.selectbox(key="ledger_month").value) == "2026-10-01"
    shown = texts(owner)
    assert "已公示(业委会已签字确认)" in shown and "业主共有收益" in shown


def test_an_owner_asks_about_a_line_and_the_manager_answers_in_public(demo_url: str) -> None:
    owner = open_as("owner_a", LEDGER)
    field(owner.text_area, "您的问题").input("广告收益是哪几部电梯的?")
    owner.button(key="FormSubmitter:ask_question-提交问题").click().run()
    assert not owner.exception
    assert "问题已提交" in texts(owner)
    assert "广告收益是哪几部电梯的?" in texts(owner) and "待回复" in texts(owner)

    engine = make_engine(demo_url)
    with engine.connect() as conn:
        asked = conn.scalar(select(func.max(LedgerQuestion.id)))
    manager = open_as("manager_a", LEDGER)
    manager.selectbox(key="ledger_month").set_value(owner.selectbox(key="ledger_month").value).run()
    field(manager.text_area, "公开回复").input("1 栋和 2 栋共 8 部。")
    manager.button(key=f"FormSubmitter:answer_{asked}-回复").click().run()
    assert not manager.exception

    neighbour = open_as("committee_a", LEDGER)
    neighbour.selectbox(key="ledger_month").set_value(
        owner.selectbox(key="ledger_month").value
    ).run()
    shown = texts(neighbour)
    assert "广告收益是哪几部电梯的?" in shown and "1 栋和 2 栋共 8 部。" in shown


def test_a_manager_corrects_a_published_month_and_owners_see_what_it_was(demo_url: str) -> None:
    manager = open_as("manager_a", LEDGER)
    manager.selectbox(key="ledger_month").set_value(owner_month := dt.date(2026, 9, 1)).run()
    choice = manager.selectbox(key="ledger_change_choice")
    line_id = choice.value
    form = f"change_line_{line_id}"
    amount = [w for w in manager.text_input if w.label == "金额(元,最多两位小数)"][
        -1
    ]  # the change form's
    amount.input("12345.67")
    manager.button(key=f"FormSubmitter:{form}-保存修改").click().run()
    assert "该月已公示:请说明更正原因" in texts(manager)  # no reason: nothing written
    # The change form's reason: after the add form's, before the import tab's (keyed).
    reasons = [w for w in manager.text_input if w.label == "更正原因(业主会看到)" and not w.key]
    reasons[-1].input("补录现金收费")
    manager.button(key=f"FormSubmitter:{form}-保存修改").click().run()
    assert not manager.exception and "已保存。" in texts(manager)

    owner = open_as("owner_a", LEDGER)
    assert owner.selectbox(key="ledger_month").value == owner_month
    shown = texts(owner) + " ".join(str(df.value.to_dict()) for df in owner.dataframe)
    assert "12,345.67" in shown and "原为 ¥" in shown and "业委会尚未复核" in shown
    assert "已公示,有更正待业委会复核" in shown
