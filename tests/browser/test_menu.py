"""The menu (Streamlit's own, ui/menu.py) in Chromium: its sections and pages, their counts;
on a narrow screen it closes after a choice (Streamlit itself does only for a phone's browser
name; the page script does by width), on a desktop it stays."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import MENU, log_in, menu_link, wait_idle

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("width", "closes"), [(390, True), (1366, False)])
def test_choosing_a_page_closes_the_menu_on_a_phone_only(
    browser: Browser, app_url: str, width: int, closes: bool
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 844}, locale="zh-CN")
    page = context.new_page()
    log_in(page, app_url, "owner_a")
    sidebar = page.locator("[data-testid=stSidebar]")
    if width < 768:
        page.locator("[data-testid=stExpandSidebarButton]").click()
    link = sidebar.get_by_role("link", name="整改公示")
    expect(link).to_be_in_viewport()
    link.click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="整改公示")).to_be_visible(timeout=30_000)
    if closes:
        expect(sidebar.get_by_role("link", name="首页")).not_to_be_in_viewport()
    else:
        expect(sidebar.get_by_role("link", name="首页")).to_be_in_viewport()
    context.close()


def test_the_menu_lists_the_owners_pages_under_their_sections_with_counts(
    browser: Browser, app_url: str
) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    log_in(page, app_url, "owner_a")
    menu = page.locator(MENU)
    for header in ("服务透明", "我的", "共治", "评价整改"):
        expect(menu.get_by_text(header, exact=True)).to_be_visible()
    for title in ("首页", "工单进度", "我要报修", "整改公示"):
        expect(menu_link(page, title)).to_be_visible()
    # Counted pages carry their count; pages reached from a card (a detail) are not listed,
    # nor a manager's page.
    expect(menu.get_by_role("link", name=re.compile(r"消息通知 \(\d+\)"))).to_be_visible()
    for absent in ("工单详情", "整改单详情", "处理台"):
        expect(menu.get_by_role("link", name=absent)).to_have_count(0)
    context.close()
