"""评价 → 整改 → 公示 end to end in a real browser, with two people at once: the owner rates a
completed order one star, the ticket appears on the public board, the manager (a second browser
context) accepts it and posts progress with a photo, and the owner sees the update and confirms."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from data_access.db import make_engine, make_session_factory
from data_access.models import (
    Account,
    PhotoAttachment,
    Rating,
    RectificationTicket,
    TicketEvent,
    WorkOrder,
)
from tests.browser.conftest import choose_stars, log_in, screenshot, wait_idle

pytestmark = pytest.mark.browser


def submit(page: Page) -> None:
    """Press the submit button of the (only) form on the page and wait for the run."""
    page.get_by_test_id("stFormSubmitButton").get_by_role("button").click()
    wait_idle(page)


def choose_move(page: Page, name: str) -> None:
    page.get_by_role("radio", name=name, exact=True).click()
    wait_idle(page)


def photo_file(folder: Path) -> Path:
    path = folder / "repair.jpg"
    out = BytesIO()
    Image.new("RGB", (320, 240), (30, 140, 90)).save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


def test_low_rating_to_public_ticket_to_confirmed_fix(
    browser: Browser, app_url: str, served_folder: Path, tmp_path: Path
) -> None:
    factory = make_session_factory(make_engine(f"sqlite:///{served_folder / 'demo.db'}"))
    with factory() as session:
        owner_id = session.scalar(select(Account.id).where(Account.username == "owner_a"))
        rated = select(Rating.work_order_id)
        order = session.scalars(
            select(WorkOrder)
            .where(
                WorkOrder.reporter_id == owner_id,
                WorkOrder.completed_at.is_not(None),
                WorkOrder.id.not_in(rated),
            )
            .order_by(WorkOrder.completed_at.desc())
            .limit(1)
        ).one()
        order_id = order.id

    # --- the owner rates the order one star -------------------------------------------------
    owner = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    log_in(owner, app_url, "owner_a")
    owner.goto(f"{app_url}/order?id={order_id}")
    wait_idle(owner)
    choose_stars(owner, "★")
    owner.get_by_label("评价内容").fill("水管修完第二天又漏水,师傅也没回电话")
    submit(owner)
    expect(owner.get_by_text("已自动生成整改单")).to_be_visible()

    with factory() as session:
        ticket = session.scalars(
            select(RectificationTicket)
            .join(Rating, Rating.id == RectificationTicket.rating_id)
            .where(Rating.work_order_id == order_id)
        ).one()
        ticket_id, code = ticket.id, ticket.code
    assert ticket.status == "submitted"

    # --- it is public on the board ------------------------------------------------------------
    owner.get_by_role("link", name="整改公示").click()
    wait_idle(owner)
    expect(owner.get_by_text(code).first).to_be_visible()
    screenshot(owner, "journey-board-owner")

    # --- the manager, in a second browser, accepts and posts progress with a photo ------------
    manager = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="zh-CN"
    ).new_page()
    log_in(manager, app_url, "manager_a")
    manager.goto(f"{app_url}/ticket?id={ticket_id}")
    wait_idle(manager)
    expect(manager.get_by_text(code).first).to_be_visible()
    submit(manager)  # 受理 is the first move offered
    expect(manager.get_by_text("已受理。")).to_be_visible()
    choose_move(manager, "开始整改")
    submit(manager)
    expect(manager.get_by_text("已开始整改。")).to_be_visible()
    choose_move(manager, "发布进展")
    manager.get_by_label("进展说明(必填,将公示)").fill("已更换漏水的三通接头,今晚观察")
    manager.locator("input[type=file]").set_input_files(photo_file(tmp_path))
    expect(manager.get_by_text("repair.jpg")).to_be_visible()
    submit(manager)
    expect(manager.get_by_text("进展已发布。")).to_be_visible()
    choose_move(manager, "请业主确认")
    submit(manager)
    expect(manager.get_by_text("已请业主确认。")).to_be_visible()
    screenshot(manager, "journey-ticket-manager")

    # --- the owner sees the update with its photo and confirms -------------------------------
    owner.goto(f"{app_url}/ticket?id={ticket_id}")
    wait_idle(owner)
    expect(owner.get_by_text("已更换漏水的三通接头,今晚观察")).to_be_visible()
    expect(owner.get_by_text("待业主确认").first).to_be_visible()
    expect(owner.locator("[data-testid=stImage] img").first).to_be_visible()
    submit(owner)  # 确认已整改 is the first move offered to the owner
    expect(owner.get_by_text("感谢确认,整改单已关闭。")).to_be_visible()
    screenshot(owner, "journey-ticket-owner-closed")

    with factory() as session:
        closed = session.get_one(RectificationTicket, ticket_id)
        moves = session.scalars(
            select(TicketEvent.to_status)
            .where(TicketEvent.ticket_id == ticket_id)
            .order_by(TicketEvent.occurred_at, TicketEvent.id)
        ).all()
        photos = session.scalars(
            select(PhotoAttachment.kind).where(PhotoAttachment.ticket_id == ticket_id)
        ).all()
    assert closed.status == "closed" and not closed.auto_closed
    assert moves == [
        "submitted", "accepted", "in_progress", "in_progress", "awaiting_confirmation", "closed",
    ]  # fmt: skip
    assert photos == ["during"]
