"""An owner opens 服务计划 from the sidebar and sees the figures and the calendar."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import log_in, screenshot, wait_idle

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("label", "width", "height"), [("desktop", 1366, 900), ("phone", 390, 844)]
)
def test_owner_sees_plans_and_calendar(
    browser: Browser, app_url: str, label: str, width: int, height: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    log_in(page, app_url, "owner_a")
    if label == "phone":  # the sidebar is collapsed on a phone
        page.get_by_test_id("stExpandSidebarButton").click()
    page.get_by_role("link", name="服务计划").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="服务计划", exact=True)).to_be_visible(timeout=30_000)
    expect(page.get_by_text("计划任务", exact=True)).to_be_visible()
    expect(page.locator("[data-testid=stVegaLiteChart]").first).to_be_visible(timeout=30_000)
    expect(page.locator("canvas, svg").first).to_be_visible()
    screenshot(page, f"plans-owner-{label}")
    context.close()
