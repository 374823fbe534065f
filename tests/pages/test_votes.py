"""业主表决 through AppTest on the demo data (issue 24): an owner votes and changes their vote,
the committee follows participation live and opens a decision, a manager may only consult, and
everyone reads the closed decision's result with its four tests."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from data_access.db import make_engine
from data_access.models import Account, Poll, PollBallot, PollOption, PollRollEntry
from tests.conftest import ROOT
from tests.outbox.support import configure
from tests.pages.conftest import APP, log_in, menu_titles, texts

VOTES = str(ROOT / "pages" / "votes.py")
MAJOR = "关于利用地面公共区域增设新能源汽车充电桩并对外经营的表决"


def open_as(username: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    log_in(at, username)
    at.switch_page(VOTES).run()
    assert not at.exception
    return at


def choices_of(url: str, title: str) -> dict[str, int]:
    """The poll's choices by code, and its id under "poll"."""
    with make_engine(url).connect() as conn:
        poll = conn.scalar(select(Poll.id).where(Poll.title == title))
        assert poll is not None
        rows = conn.execute(
            select(PollOption.code, PollOption.id).where(PollOption.poll_id == poll)
        ).all()
        return {"poll": poll, **{str(code): option for code, option in rows}}


def ballot_radio(at: AppTest, poll: int) -> Any:
    (radio,) = [r for r in at.radio if r.form_id == f"ballot_{poll}"]
    return radio


def owners_taking_part(at: AppTest) -> list[tuple[int, int]]:
    """Each live poll's "n / N 人", in the page's order."""
    found = []
    for metric in at.metric:
        if metric.label == "参与表决的人数":
            have, total = str(metric.delta).removesuffix(" 人").split(" / ")
            found.append((int(have), int(total)))
    return found


def one_more(before: list[tuple[int, int]], after: list[tuple[int, int]]) -> bool:
    """Exactly one poll has one more owner taking part."""
    changed = [(b, a) for b, a in zip(before, after, strict=True) if a != b]
    return len(changed) == 1 and changed[0][1] == (changed[0][0][0] + 1, changed[0][0][1])


def test_an_owner_votes_changes_the_vote_and_the_committee_sees_it_live(demo_url: str) -> None:
    major = choices_of(demo_url, MAJOR)
    before = owners_taking_part(open_as("committee_a"))

    owner = open_as("owner_a")
    # The consultation and the major decision wait for owner_a's ballot (the seed: he voted
    # on neither).
    assert menu_titles(owner)["owner-votes"] == "业主表决 (2)"
    shown = texts(owner)
    assert MAJOR in shown and "截止后统计并公布" in shown and "实时参与情况" not in shown
    ballot_radio(owner, major["poll"]).set_value(major["agree"])
    owner.button(key=f"FormSubmitter:ballot_{major['poll']}-投票").click().run()
    assert not owner.exception
    assert "已记录你的投票。" in texts(owner) and "你已选择“同意”" in texts(owner)
    assert menu_titles(owner)["owner-votes"] == "业主表决 (1)"

    committee = open_as("committee_a")
    assert "实时参与情况" in texts(committee)
    assert one_more(before, owners_taking_part(committee))

    owner = open_as("owner_a")
    assert ballot_radio(owner, major["poll"]).value == major["agree"]
    ballot_radio(owner, major["poll"]).set_value(major["disagree"])
    owner.button(key=f"FormSubmitter:ballot_{major['poll']}-改投").click().run()
    assert "你已选择“反对”" in texts(owner)
    assert one_more(before, owners_taking_part(open_as("committee_a")))  # still one voter
    with make_engine(demo_url).connect() as conn:
        kept = conn.execute(
            select(PollBallot.option_id, PollBallot.replaces_id)
            .where(PollBallot.poll_id == major["poll"])
            .order_by(PollBallot.id.desc())
            .limit(2)
        ).all()
    assert [row.option_id for row in kept] == [major["disagree"], major["agree"]]
    assert kept[0].replaces_id is not None  # the first ballot is kept, replaced


def test_everyone_reads_the_closed_decision_with_its_tests(demo_url: str) -> None:
    for who in ("owner_a", "committee_a", "manager_a"):
        at = open_as(who)
        shown = texts(at)
        # 56 of 6栋's 71 owners voted (≥ 48), 35 of them agreed (> 28): it passed (the seed).
        assert "表决结果" in shown and "通过" in shown and "未通过" not in shown
        # Managers and the committee also follow the open major decision's participation
        # (first) — its two participation tests, not how the votes go.
        tests = [m.value for m in at.markdown if "总数的 2/3" in m.value]
        assert len(tests) == (1 if who == "owner_a" else 2)
        assert "各选项的票数在" in shown and "截止后统计并公布" in shown
        # By hand from the seed's 6栋: 71 owners, 824,600 dm²; 56 voted with 653,900 dm², 35 of
        # them agreeing with 411,800 dm². 2/3 of 824,600 is 549,733.3 → 549,734 dm² needed;
        # 2/3 of 71 is 47.3 → 48; more than half of 653,900 is 326,951; of 56 it is 29.
        assert tests[-1].split("\n") == [
            "- :green[✔ 达到] **参与表决的面积 ≥ 总数的 2/3** — "
            "6,539.00 m² / 8,246.00 m²,至少需要 5,497.34 m²,差额 +1,041.66 m²",
            "- :green[✔ 达到] **参与表决的人数 ≥ 总数的 2/3** — 56 / 71,至少需要 48,差额 +8",
            "- :green[✔ 达到] **同意的面积 > 参与的 1/2** — "
            "4,118.00 m² / 6,539.00 m²,至少需要 3,269.51 m²,差额 +848.49 m²",
            "- :green[✔ 达到] **同意的人数 > 参与的 1/2** — 35 / 56,至少需要 29,差额 +6",
        ]
        if who != "owner_a":
            live = tests[0].split("\n")
            assert len(live) == 2 and all("总数的 2/3" in line for line in live)
            assert "参与的 3/4" not in tests[0]


def test_a_manager_only_consults_and_the_committee_opens_a_decision(demo_url: str) -> None:
    manager = open_as("manager_a")
    assert manager.radio(key="poll_rule").options == ["征询(简单计数)"]
    owner = open_as("owner_a")
    assert not [e for e in owner.expander if e.label == "发起征询或表决"]

    committee = open_as("committee_a")
    committee.radio(key="poll_rule").set_value("ordinary").run()
    (title,) = [w for w in committee.text_input if w.label == "标题"]
    title.input("关于调整地面停车位收费标准的表决")
    (body,) = [w for w in committee.text_area if w.label == "说明(方案、费用、依据)"]
    body.input("临时停车首小时免费,之后每小时 2 元,封顶 20 元。")
    committee.button(key="FormSubmitter:compose_poll-发起").click().run()
    assert not committee.exception
    shown = texts(committee)
    assert "已发起,名册已按业主名册确定。" in shown and "关于调整地面停车位收费标准的表决" in shown


def test_the_committee_reminds_the_owners_who_have_not_voted(
    demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    major = choices_of(demo_url, MAJOR)
    committee = open_as("committee_a")
    assert "暂时无法提醒尚未投票的业主" in texts(committee)  # no channel configured yet
    assert not [b for b in committee.button if b.key == f"remind_poll_{major['poll']}"]

    configure(monkeypatch, "email")
    committee = open_as("committee_a")
    committee.button(key=f"remind_poll_{major['poll']}").click().run()
    assert not committee.exception
    with make_engine(demo_url).connect() as conn:
        # By hand: the opened accounts voting a unit of the roll, less those who voted.
        on_roll = set(conn.scalars(
            select(PollRollEntry.voter_id).join(Account, Account.id == PollRollEntry.voter_id)
            .where(PollRollEntry.poll_id == major["poll"], Account.is_active.is_(True))
        ))  # fmt: skip
        voted = set(conn.scalars(
            select(PollBallot.account_id).where(PollBallot.poll_id == major["poll"])
        ))  # fmt: skip
    waiting = len(on_roll - voted)
    assert waiting > 0
    shown = texts(committee)
    assert f"已提醒 {waiting} 位尚未投票的业主" in shown and "上次提醒" in shown
    committee.button(key=f"remind_poll_{major['poll']}").click().run()
    assert "每项表决每 24 小时最多提醒一次。" in texts(committee)
