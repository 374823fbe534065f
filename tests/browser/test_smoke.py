"""A demo owner logs in through the real form in Chromium and sees the Overview page."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, expect

from tests.browser.conftest import (
    log_in,
    screenshot,
    serve_app,
    wait_for_auth_cookie,
    wait_idle,
)

pytestmark = pytest.mark.browser


def coloured_pixels(png: bytes) -> int:
    """Pixels of a clear colour (not white, grey or black)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    pixels = image.tobytes()
    return sum(
        1 for i in range(0, len(pixels), 3) if max(pixels[i : i + 3]) - min(pixels[i : i + 3]) > 60
    )


CAPTIONED_LINES = """() => [...document.querySelectorAll(
    '[data-testid=stMain] [data-testid=stMarkdownContainer] > [data-testid=stHeadingWithActionElements] ~ p'
)].map(p => getComputedStyle(p).fontSize + ' ' + getComputedStyle(p).color)"""


@pytest.mark.parametrize(
    ("label", "width", "height"), [("desktop", 1366, 900), ("phone", 390, 844)]
)
def test_owner_logs_in_and_sees_the_overview(
    browser: Browser, app_url: str, label: str, width: int, height: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    log_in(page, app_url, "owner_a")

    expect(page.get_by_role("heading", name="翠湖花园")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("处理中的工单")).to_be_visible()
    expect(page.get_by_text("进行中的整改")).to_be_visible()
    expect(page.get_by_text("合同期")).to_be_visible()
    # The KPI trend is drawn with its data (its rows reach the browser as Arrow, made once per
    # community and minute): an empty plot has only grey axes, the trend's lines are coloured.
    chart = page.locator("[data-testid=stVegaLiteChart]").first
    chart.scroll_into_view_if_needed()
    expect(chart.locator("canvas, svg").first).to_be_visible(timeout=30_000)
    page.wait_for_timeout(500)  # the lines are drawn after the plot's frame
    assert coloured_pixels(chart.screenshot()) > 200
    screenshot(page, f"overview-owner-{label}")
    # The tab's icon is the app's own PNG, inline: nothing is fetched for it from another host.
    icon = page.locator("link[rel~='icon']").first.get_attribute("href") or ""
    assert icon.startswith("data:image/png;base64,"), icon[:60]
    # A heading and its caption are one Markdown (the community and where it is; the KPIs'
    # header and what they count; a KPI card's value and its small print): the page style
    # draws the caption's lines small and grey.
    captions = page.evaluate(CAPTIONED_LINES)
    assert len(captions) >= 3 and set(captions) == {"14px rgb(82, 88, 95)"}, captions

    # The login cookie brings the owner straight back after a reload.
    page.reload()
    wait_idle(page)
    expect(page.get_by_role("heading", name="翠湖花园")).to_be_visible(timeout=30_000)
    # ... in one run: no cookie component is drawn on an ordinary page load (its answer after
    # the page had loaded started a second run, which swallowed a click made in between).
    page.wait_for_timeout(1000)
    assert page.locator("iframe").count() == 0
    context.close()


def test_wrong_password_shows_the_generic_message(browser: Browser, app_url: str) -> None:
    page = browser.new_page()
    log_in(page, app_url, "owner_a", "not-the-password", expect_success=False)
    expect(page.get_by_text("用户名或密码不正确,请重试。")).to_be_visible()
    expect(page.get_by_role("heading", name="翠湖花园")).to_have_count(0)
    page.close()


def test_logout_removes_the_login_cookie(browser: Browser, app_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    log_in(page, app_url, "owner_a")
    expect(page.get_by_role("heading", name="翠湖花园")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="退出登录").click()
    wait_idle(page)
    wait_for_auth_cookie(page, present=False)
    page.reload()
    wait_idle(page)
    expect(page.get_by_role("textbox", name="用户名")).to_be_visible()
    expect(page.get_by_role("heading", name="翠湖花园")).to_have_count(0)
    context.close()


def test_deep_link_on_a_fresh_server_asks_for_login(
    browser: Browser, demo_database: Path, tmp_path: Path
) -> None:
    """The very first request of a new server process, straight to a page URL, gets the login."""
    with serve_app(demo_database, tmp_path) as url:
        page = browser.new_page()
        page.goto(f"{url}/home")
        wait_idle(page)
        expect(page.get_by_role("textbox", name="用户名")).to_be_visible()
        expect(page.get_by_text("处理中的工单")).to_have_count(0)
        page.close()
