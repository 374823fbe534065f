"""A vote from opening to result in a real browser (issue 24, "done means"): the committee opens
an ordinary decision at a desk; an owner on a phone finds it through the menu's count and
votes; the committee follows participation, never the choices; everyone reads the closed
decision's four §278 tests and takes its PDF record home. Screenshots of each step go to
test-output/screenshots/vote-*.png."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect

from tests.browser.conftest import MENU, check_radio, log_in, screenshot, wait_idle

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 390, "height": 844}
DESK: ViewportSize = {"width": 1366, "height": 900}
CLOSED_LIFT_VOTE = "关于使用专项维修资金更新6栋电梯的表决"


def poll_card(page: Page, title: str) -> Locator:
    """The bordered box of the poll titled ``title`` (its container's key is poll_<id>)."""
    heading = page.get_by_role("heading", name=title, exact=True)
    return heading.locator("xpath=ancestor::div[contains(@class, 'st-key-poll_')][1]")


def owners_taking_part(card: Locator) -> tuple[int, int]:
    """The card's "n / N 人"."""
    text = card.get_by_text(re.compile(r"^\d+ / \d+ 人$")).first.inner_text()
    have, total = text.removesuffix(" 人").split(" / ")
    return int(have), int(total)


def choose_in_form(page: Page, form: Locator, choice: str) -> None:
    """Click a radio choice by its visible words (the input itself sits under Streamlit's
    drawn circle, which takes the click) until it is chosen; a click landing while the page
    is still being drawn can be lost."""
    option = form.get_by_role("radio", name=choice, exact=True)
    for _attempt in range(3):
        if option.is_checked():
            break
        form.get_by_text(choice, exact=True).click()
        page.wait_for_timeout(200)
    expect(option).to_be_checked()


def open_votes_page(page: Page, url: str) -> None:
    page.goto(f"{url}/owner-votes")
    wait_idle(page)
    expect(page.get_by_role("heading", name="业主表决", level=1)).to_be_visible()


def test_a_committee_runs_a_vote_an_owner_votes_and_everyone_reads_the_result(
    browser: Browser, app_url: str, tmp_path: Path
) -> None:
    title = f"关于更换小区门禁系统的表决 {uuid.uuid4().hex[:4]}"

    # 1. The committee opens an ordinary decision of the whole community.
    committee = browser.new_context(viewport=DESK, locale="zh-CN").new_page()
    log_in(committee, app_url, "committee_a")
    open_votes_page(committee, app_url)
    committee.get_by_text("发起征询或表决").click()
    check_radio(committee, committee.get_by_role("radio", name="一般事项表决"))
    wait_idle(committee)
    committee.get_by_role("textbox", name="标题").fill(title)
    committee.get_by_role("textbox", name="说明(方案、费用、依据)").fill(
        "现门禁系统已使用 9 年,拟更换为人脸识别门禁,费用约 18 万元,由公共收益支出。"
    )
    screenshot(committee, "vote-1-compose-committee-1366")
    committee.get_by_role("button", name="发起").click()
    wait_idle(committee)
    expect(committee.get_by_text("已发起,名册已按业主名册确定。")).to_be_visible()
    card = poll_card(committee, title)
    expect(card.get_by_text("投票中")).to_be_visible()
    voted_before, roll = owners_taking_part(card)
    assert voted_before == 0 and roll > 0

    # 2. An owner on a phone sees the count in the menu, finds the vote and agrees.
    owner = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    log_in(owner, app_url, "owner_a")
    owner.locator("[data-testid=stExpandSidebarButton]").click()
    link = owner.locator(MENU).get_by_role("link", name=re.compile(r"^业主表决 \(\d+\)$"))
    expect(link).to_be_visible()
    waiting = int(re.findall(r"\((\d+)\)", link.inner_text())[0])
    link.click()
    wait_idle(owner)
    # On a phone the menu closes over the chosen page: wait until it has.
    expect(owner.locator("[data-testid=stSidebar]")).to_have_attribute("data-collapsed", "true")
    mine = poll_card(owner, title)
    expect(mine.get_by_text("各选项的票数在")).to_be_visible()
    choose_in_form(owner, mine.get_by_test_id("stForm"), "同意")
    mine.get_by_role("button", name="投票").click()
    wait_idle(owner)
    expect(owner.get_by_text("已记录你的投票。")).to_be_visible()
    expect(poll_card(owner, title).get_by_text("你已选择“同意”")).to_be_visible()
    screenshot(owner, "vote-2-voted-owner-390")
    expect(owner.locator(MENU).get_by_role("link", name=f"业主表决 ({waiting - 1})")).to_have_count(
        1 if waiting > 1 else 0
    )

    # 3. The committee sees one more owner taking part, and nothing of how they voted.
    open_votes_page(committee, app_url)
    card = poll_card(committee, title)
    assert owners_taking_part(card) == (1, roll)
    expect(card.get_by_text("参与表决的人数 ≥ 总数的 2/3")).to_be_visible()
    expect(card.get_by_text("同意的人数")).to_have_count(0)
    expect(card.get_by_role("cell", name="同意")).to_have_count(0)
    screenshot(committee, "vote-3-participation-committee-1366")

    # 4. The owner reads the closed decision of 6栋: passed, with its four tests, and takes
    # the PDF record.
    result = poll_card(owner, CLOSED_LIFT_VOTE)
    expect(result.get_by_text(re.compile(r"(?<!未)通过$"))).to_be_visible()  # (after its icon)
    for test in ("参与表决的面积 ≥ 总数的 2/3", "参与表决的人数 ≥ 总数的 2/3",
                 "同意的面积 > 参与的 1/2", "同意的人数 > 参与的 1/2"):  # fmt: skip
        expect(result.get_by_text(test)).to_be_visible()
    result.scroll_into_view_if_needed()
    screenshot(owner, "vote-4-result-owner-390")
    with owner.expect_download() as download:
        result.get_by_role("button", name="下载表决记录 PDF").click()
    record = tmp_path / "record.pdf"
    download.value.save_as(record)
    data = record.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 5_000
