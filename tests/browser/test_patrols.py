"""A demo owner opens 巡检 from the sidebar in Chromium and sees the trend and site-plan charts."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import log_in, screenshot, wait_idle

pytestmark = pytest.mark.browser

CHART = "[data-testid=stVegaLiteChart], .vega-embed"


def open_patrols(page: Page) -> None:
    """Through the sidebar link (on a phone the sidebar starts collapsed: open it first)."""
    link = page.get_by_role("link", name="巡检")
    page.screenshot(path="/tmp/pdemo/dbg.png")
    print("DBG", link.count(), link.is_visible(), link.bounding_box(), page.viewport_size)
    if not link.is_visible():
        page.get_by_test_id("stExpandSidebarButton").click()
    link.click()
    wait_idle(page)


@pytest.mark.parametrize(
    ("label", "width", "height"), [("desktop", 1366, 900), ("phone", 390, 844)]
)
def test_owner_sees_the_patrol_charts(
    browser: Browser, app_url: str, label: str, width: int, height: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    log_in(page, app_url, "owner_a")
    open_patrols(page)

    expect(page.get_by_role("heading", name="巡检", exact=True)).to_be_visible(timeout=30_000)
    assert page.url.endswith("/patrol-records")
    expect(page.get_by_text("平均路径覆盖率")).to_be_visible()
    charts = page.locator(CHART)
    expect(charts.first).to_be_visible(timeout=30_000)
    assert charts.count() >= 2  # the daily trend and the site plan
    # Vega draws into a canvas or SVG once the spec has been rendered.
    expect(page.locator(".vega-embed canvas, .vega-embed svg").first).to_be_visible()
    expect(page.get_by_text("漏检点位").first).to_be_visible()
    page.wait_for_timeout(500)  # let the charts finish their first paint
    screenshot(page, f"patrols-owner-{label}")
    context.close()
