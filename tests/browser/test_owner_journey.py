"""An owner on a phone (390 px), from login (issue 19, "done means"): the company finishes her
repair; she finds it and reaches its rating form in at most four clicks, rates it, and then
reports a new repair with a photo — which becomes a work order she lands on."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect
from sqlalchemy import select

from data_access.db import make_engine, make_session_factory
from data_access.models import Account, Area, PhotoAttachment, Rating, WorkOrder
from data_access.orders import repair_requests
from data_access.orders.order_commands import advance_order
from tests.browser.conftest import (
    MENU,
    check_radio,
    choose_stars,
    log_in,
    menu_link,
    screenshot,
    wait_idle,
)
from tests.browser.test_rectification_journey import photo_file, submit
from tests.data_access.factories import viewer_of

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 390, "height": 844}
REPAIR_STAGES = ["accepted", "dispatched", "in_progress", "awaiting_acceptance", "completed"]


def finished_repair(database: Path, description: str) -> int:
    """What the company does while the owner is away: her repair (reported an hour ago) is
    accepted, done and completed, through the same commands the console uses."""
    factory = make_session_factory(make_engine(f"sqlite:///{database}"))
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with factory() as session, session.begin():
        owner = session.scalars(select(Account).where(Account.username == "owner_a")).one()
        area = session.scalars(
            select(Area).where(Area.community_id == owner.community_id).limit(1)
        ).one()
        order_id = repair_requests.report_repair(
            session=session, viewer=viewer_of(owner), category="plumbing",
            description=description, area_id=area.id, now=now - dt.timedelta(hours=1),
        )  # fmt: skip
        for minutes, stage in enumerate(REPAIR_STAGES, start=1):
            advance_order(
                session=session, order_id=order_id, to_stage=stage,
                at=now - dt.timedelta(hours=1) + dt.timedelta(minutes=10 * minutes),
                actor_name="维修班 徐师傅",
            )  # fmt: skip
    return order_id


class Clicks:
    """Counts the owner's clicks (typing and choosing stars are not finding)."""

    def __init__(self, page: Page) -> None:
        self.page, self.count = page, 0

    def on(self, locator: Locator) -> None:
        locator.click()
        self.count += 1
        wait_idle(self.page)


def test_a_new_owner_finds_and_rates_her_finished_repair_then_reports_one(
    browser: Browser, app_url: str, served_folder: Path, tmp_path: Path
) -> None:
    database = served_folder / "demo.db"
    marker = uuid.uuid4().hex[:6]
    order_id = finished_repair(database, f"大堂洗手池下水管漏水 {marker}")

    page = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    log_in(page, app_url, "owner_a")
    clicks = Clicks(page)
    clicks.on(page.locator("[data-testid=stExpandSidebarButton]"))
    menu = page.locator(MENU)
    # The menu says there is something to rate: "我的工单 (n)".
    clicks.on(menu.get_by_role("link", name=re.compile(r"^我的工单 \(\d+\)")))
    rate = page.get_by_role("link", name="去评价")
    card = page.locator("[data-testid=stVerticalBlock]").filter(has_text=marker, has=rate).last
    clicks.on(card.get_by_role("link", name="去评价"))
    expect(page.get_by_role("heading", name="业主评价")).to_be_in_viewport()
    assert clicks.count <= 4
    screenshot(page, "owner-journey-rate-390")

    choose_stars(page, "★★★★★")
    page.get_by_label("评价内容").fill("师傅来得快,修得好")
    submit(page)
    expect(page.get_by_text("感谢您的评价,已公示。")).to_be_visible()
    with make_engine(f"sqlite:///{database}").connect() as conn:
        scores = conn.execute(
            select(Rating.score_speed, Rating.score_attitude, Rating.score_quality).where(
                Rating.work_order_id == order_id
            )
        ).one()
    assert tuple(scores) == (5, 5, 5)

    # --- and a new repair, with a photo ------------------------------------------------------
    page.locator("[data-testid=stExpandSidebarButton]").click()
    menu_link(page, "我要报修").click()
    wait_idle(page)
    check_radio(page, page.get_by_role("radio", name="公共区域", exact=True))
    wait_idle(page)
    choose(page, "区域", index=0)
    choose(page, "类别", name="电梯")
    problem = f"3 号电梯按键失灵 {marker}"
    page.get_by_label("问题描述").fill(problem)
    page.locator("input[type=file]").set_input_files(photo_file(tmp_path))
    expect(page.get_by_text("repair.jpg")).to_be_visible()
    submit(page)
    expect(page.get_by_role("heading", name=re.compile(marker))).to_be_visible(timeout=30_000)
    expect(page.get_by_text("报修已提交")).to_be_visible()
    screenshot(page, "owner-journey-reported-390")
    with make_engine(f"sqlite:///{database}").connect() as conn:
        reported = conn.execute(
            select(WorkOrder.id, WorkOrder.category, WorkOrder.code)
            .join(Account, Account.id == WorkOrder.reporter_id)
            .where(Account.username == "owner_a", WorkOrder.description == problem)
        ).one()
        photos = conn.scalar(
            select(PhotoAttachment.id).where(PhotoAttachment.work_order_id == reported.id).limit(1)
        )
    assert reported.category == "elevator" and reported.code.startswith("BX")
    assert photos is not None


def choose(page: Page, label: str, *, name: str | None = None, index: int | None = None) -> None:
    """Pick an option of a Streamlit selectbox by its label (typing narrows it on a phone)."""
    page.get_by_label(label, exact=True).click()
    options = page.get_by_role("option")
    option = options.filter(has_text=name) if name is not None else options.nth(index or 0)
    option.first.click()
    wait_idle(page)
