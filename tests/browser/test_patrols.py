"""A demo owner opens 巡检 from the sidebar in Chromium and sees the trend and site-plan charts."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import log_in, screenshot, wait_idle

pytestmark = pytest.mark.browser

CHART = "[data-testid=stVegaLiteChart], .vega-embed"


def open_patrols(page: Page) -> None:
    """Through the menu (on a phone the sidebar starts collapsed: open it first)."""
    expand = page.get_by_test_id("stExpandSidebarButton")
    collapsed = expand.is_visible()
    if collapsed:
        expand.click()
    page.get_by_role("link", name="巡检").click()
    wait_idle(page)
    if collapsed:  # on a phone the menu closes itself after a choice (ui/menu.py)
        expect(expand).to_be_visible()


def show_whole_page(page: Page) -> None:
    """Streamlit scrolls inside its main block, so a full-page screenshot would only show the
    viewport: make the viewport as tall as the content instead."""
    height = page.evaluate(
        """() => Math.max(...['[data-testid=stMain]', '[data-testid=stAppViewContainer]']
            .map(s => document.querySelector(s)).filter(Boolean).map(e => e.scrollHeight))"""
    )
    size = page.viewport_size or {"width": 1366, "height": 900}
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 12_000)})
    page.wait_for_timeout(1_000)  # charts re-measure their container


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

    expect(page.get_by_role("heading", level=1)).to_contain_text("巡检", timeout=30_000)
    assert page.url.endswith("/patrol-records")
    expect(page.get_by_text("平均路径覆盖率")).to_be_visible()
    charts = page.locator(CHART)
    expect(charts.first).to_be_visible(timeout=30_000)
    expect(charts.nth(1)).to_be_visible()  # the daily trend and the site plan
    # Vega has drawn the specs (into canvas or SVG), not only mounted the containers.
    expect(page.locator(".vega-embed canvas, .vega-embed svg").first).to_be_visible()
    expect(page.get_by_role("heading", name="漏检点位")).to_be_visible()
    show_whole_page(page)
    screenshot(page, f"patrols-owner-{label}")
    context.close()
