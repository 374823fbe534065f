"""A manager works a ticket from 处理台 to 待业主确认 without scrolling back: each move reruns only
the ticket's card, which stays open where it was and offers the next move (issue 19, point 6);
and no metric label of the console is cut, at 1366 px and 390 px."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from sqlalchemy import select

from data_access.db import make_engine
from data_access.models import Community, RectificationTicket
from tests.browser.conftest import log_in, menu_link, wait_idle

pytestmark = pytest.mark.browser


def submitted_ticket(database: Path) -> int:
    with make_engine(f"sqlite:///{database}").connect() as conn:
        ticket_id = conn.scalar(
            select(RectificationTicket.id)
            .join(Community, Community.id == RectificationTicket.community_id)
            .where(Community.code == "CUIHU", RectificationTicket.status == "submitted")
            .order_by(RectificationTicket.accept_due_at.desc())
            .limit(1)
        )
    assert ticket_id is not None, "the demo has a ticket to accept"
    return int(ticket_id)


def status_of(database: Path, ticket_id: int) -> str:
    with make_engine(f"sqlite:///{database}").connect() as conn:
        return str(
            conn.scalar(
                select(RectificationTicket.status).where(RectificationTicket.id == ticket_id)
            )
        )


def in_viewport(page: Page, card: Locator) -> bool:
    box = card.bounding_box()
    height = (page.viewport_size or {"height": 900})["height"]
    return box is not None and 0 <= box["y"] < height


def open_console(page: Page, app_url: str) -> None:
    log_in(page, app_url, "manager_a")
    expand = page.get_by_test_id("stExpandSidebarButton")
    if expand.is_visible():
        expand.click()
    menu_link(page, "处理台").click()
    wait_idle(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("处理台")


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_four_moves_in_the_card_without_scrolling_back(
    browser: Browser, app_url: str, served_folder: Path, width: int, height: int
) -> None:
    database = served_folder / "demo.db"
    ticket_id = submitted_ticket(database)
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    open_console(page, app_url)
    card = page.locator(f".st-key-card_ticket_{ticket_id}")
    card.scroll_into_view_if_needed()
    submit = card.get_by_test_id("stFormSubmitButton").get_by_role("button")
    clicks = 0

    def click(target: Locator) -> None:
        nonlocal clicks
        target.click()
        clicks += 1
        wait_idle(page)

    click(card.get_by_text("办理", exact=True))
    steps = [
        ("受理", None, "accepted", "已受理。"),
        ("开始整改", None, "in_progress", "已开始整改。"),
        ("发布进展", "已更换灯泡,正在检查线路", "in_progress", "进展已发布。"),
        ("请业主确认", None, "awaiting_confirmation", "已请业主确认"),
    ]
    for move, note, status, done in steps:
        chosen = card.get_by_role("radio", name=move, exact=True)
        if chosen.count() and chosen.get_attribute("aria-checked") != "true":
            click(chosen)
        if note:
            card.get_by_role("textbox").first.fill(note)
        click(submit)
        expect(card.get_by_text(done)).to_be_visible()
        assert status_of(database, ticket_id) == status
        assert in_viewport(page, card), f"the card left the viewport after {move}"
    assert clicks <= 8
    expect(card.get_by_text("等待业主确认")).to_be_visible()


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_no_metric_label_is_cut(browser: Browser, app_url: str, width: int, height: int) -> None:
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    open_console(page, app_url)
    cut = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=stMetricLabel]')]
            .flatMap(label => [label, ...label.querySelectorAll('*')])
            .filter(e => e.scrollWidth > e.clientWidth + 1)
            .map(e => e.textContent)"""
    )
    assert cut == []
