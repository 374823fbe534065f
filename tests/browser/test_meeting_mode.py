"""The report's meeting mode on a projector (1920 px, issue 20 point 3): the arrow keys step
through the sections one screen at a time, the chrome is gone, and the month picker and the
charts' text are large enough to read from the back of the room."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import log_in, screenshot, wait_idle

pytestmark = pytest.mark.browser


def test_arrow_keys_step_through_the_sections(browser: Browser, app_url: str) -> None:
    page = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN").new_page()
    log_in(page, app_url, "committee_a")
    page.goto(f"{app_url}/monthly-report")
    wait_idle(page)
    page.get_by_text("会议模式").click()
    wait_idle(page)
    expect(page.get_by_text("第 1 / 8 节:合同指标")).to_be_visible()
    expect(page.locator("[data-testid=stSidebar]")).to_be_hidden()
    month = page.locator(".st-key-report_month input")
    assert float(month.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px")) >= 24
    screenshot(page, "meeting-1-kpis-1920")
    for section in ("本月要点与待跟进事项", "物业说明", "近12个月趋势"):
        page.keyboard.press("ArrowRight")
        wait_idle(page)
        expect(page.get_by_text(section, exact=False).first).to_be_visible()
    expect(page.get_by_text("第 4 / 8 节:近12个月趋势")).to_be_visible()
    screenshot(page, "meeting-4-trend-1920")
    page.keyboard.press("ArrowLeft")
    wait_idle(page)
    expect(page.get_by_text("第 3 / 8 节:物业说明")).to_be_visible()
