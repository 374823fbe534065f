"""The menu the app draws (ui/menu.py) in Chromium: on a phone it closes after a choice, as
Streamlit's own menu did; on a desktop it stays."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import log_in, wait_idle

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
