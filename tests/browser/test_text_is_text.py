"""What owners and managers type is shown as text, never run: HTML and Markdown in a ticket's
title, description and progress note appear literally on the ticket page and the public board,
in a real browser, and no script fires."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from data_access.db import make_engine, make_session_factory, write_session
from data_access.flows import flow_of
from data_access.models import Account, Rating, WorkOrder
from data_access.orders.order_commands import advance_order, current_stage
from tests.browser.conftest import choose_stars, log_in, menu_link, wait_idle

pytestmark = pytest.mark.browser

TITLE = "<img src=x onerror=alert(1)>"
DESCRIPTION = "<script>alert(2)</script> **粗体** [链接](javascript:alert(3))"
NOTE = '<iframe src="javascript:alert(4)"></iframe>'
CONFIRM_NOTE = "<svg onload=alert(7)> 请确认"
REOPEN_REASON = "<a href='javascript:alert(8)'>点我</a> 还在漏"


def watch_dialogs(page: Page) -> list[str]:
    fired: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        fired.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return fired


def assert_nothing_injected(page: Page) -> None:
    assert page.locator("img[src=x]").count() == 0
    assert (
        page.locator("iframe[src^='javascript']").count() == 0
    )  # (the cookie component is an iframe)
    assert page.locator("[data-testid=stMain] script").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0


def test_html_in_a_ticket_is_shown_as_text(browser: Browser, app_url: str) -> None:
    owner = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    owner_dialogs = watch_dialogs(owner)
    log_in(owner, app_url, "owner_a")
    owner.get_by_role("link", name="我要整改/建议").click()
    wait_idle(owner)
    owner.get_by_label("标题").fill(TITLE)
    owner.get_by_label("问题描述或建议(将公示,请勿填写个人信息)").fill(DESCRIPTION)
    owner.get_by_test_id("stFormSubmitButton").get_by_role("button").click()
    wait_idle(owner)
    expect(owner.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(owner.get_by_text(DESCRIPTION)).to_be_visible()
    assert_nothing_injected(owner)
    ticket_url = owner.url

    manager = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    manager_dialogs = watch_dialogs(manager)
    log_in(manager, app_url, "manager_a")
    manager.goto(ticket_url)
    wait_idle(manager)
    expect(manager.get_by_role("heading", name=TITLE)).to_be_visible()
    manager.get_by_test_id("stFormSubmitButton").get_by_role("button").click()  # 受理
    wait_idle(manager)
    manager.get_by_role("radio", name="开始整改", exact=True).click()
    wait_idle(manager)
    manager.get_by_test_id("stFormSubmitButton").get_by_role("button").click()
    wait_idle(manager)
    manager.get_by_role("radio", name="发布进展", exact=True).click()
    wait_idle(manager)
    manager.get_by_label("进展说明(必填,将公示)").fill(NOTE)
    manager.get_by_test_id("stFormSubmitButton").get_by_role("button").click()
    wait_idle(manager)
    expect(manager.get_by_text(NOTE)).to_be_visible()
    assert_nothing_injected(manager)

    manager.get_by_role("radio", name="请业主确认", exact=True).click()
    wait_idle(manager)
    manager.get_by_label("说明(选填,将公示)").fill(CONFIRM_NOTE)
    manager.get_by_test_id("stFormSubmitButton").get_by_role("button").click()
    wait_idle(manager)
    expect(manager.get_by_text(CONFIRM_NOTE)).to_be_visible()

    owner.reload()
    wait_idle(owner)
    expect(owner.get_by_text(NOTE)).to_be_visible()
    expect(owner.get_by_text(CONFIRM_NOTE)).to_be_visible()
    owner.get_by_role("radio", name="未解决,重新整改", exact=True).click()
    wait_idle(owner)
    owner.get_by_label("原因(必填,将公示)").fill(REOPEN_REASON)
    owner.get_by_test_id("stFormSubmitButton").get_by_role("button").click()
    wait_idle(owner)
    expect(owner.get_by_text(REOPEN_REASON)).to_be_visible()
    assert_nothing_injected(owner)
    menu_link(owner, "整改公示").click()
    wait_idle(owner)
    expect(owner.get_by_text(TITLE).first).to_be_visible()
    assert_nothing_injected(owner)
    owner.wait_for_timeout(500)  # an injected handler would have fired by now
    assert owner_dialogs == [] and manager_dialogs == []


def complete_an_open_order_of(factory: sessionmaker[Session], username: str) -> int:
    """The operational system finishes one of the owner's open orders (other browser tests
    rate the completed ones), walking its remaining stages."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with write_session(factory) as session:
        owner_id = session.scalar(select(Account.id).where(Account.username == username))
        order = session.scalars(
            select(WorkOrder)
            .where(WorkOrder.reporter_id == owner_id, WorkOrder.completed_at.is_(None))
            .order_by(WorkOrder.id)
            .limit(1)
        ).one()
        codes = [stage.code for stage in flow_of(order.order_type)]
        current = current_stage(session=session, order=order)
        for code in codes[codes.index(current) + 1 :]:
            if any(s.code == code and s.optional for s in flow_of(order.order_type)):
                continue
            advance_order(session=session, order_id=order.id, to_stage=code, at=now,
                          actor_name="王师傅")  # fmt: skip
        return order.id


COMMENT = "<img src=x onerror=alert(5)> 师傅 **没修好**"
REPLY = "<script>alert(6)</script> 已安排 _复查_"


def test_html_in_a_rating_and_its_reply_is_shown_as_text(
    browser: Browser, app_url: str, served_folder: Path
) -> None:
    factory = make_session_factory(make_engine(f"sqlite:///{served_folder / 'demo.db'}"))
    order_id = complete_an_open_order_of(factory, "owner_a")

    owner = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    owner_dialogs = watch_dialogs(owner)
    log_in(owner, app_url, "owner_a")
    owner.goto(f"{app_url}/order?id={order_id}")
    wait_idle(owner)
    choose_stars(owner, "★★")
    owner.get_by_label("评价内容").fill(COMMENT)
    owner.get_by_test_id("stFormSubmitButton").get_by_role("button").click()
    wait_idle(owner)
    # Saved (the thanks), then shown: the comment's text is on the page as typed.
    expect(owner.get_by_text("感谢您的评价,已公示。")).to_be_visible(timeout=30_000)
    expect(owner.get_by_text(COMMENT, exact=False).first).to_be_visible()
    assert_nothing_injected(owner)
    with factory() as session:
        rating_id = session.scalar(select(Rating.id).where(Rating.work_order_id == order_id))
        assert rating_id is not None

    manager = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    manager_dialogs = watch_dialogs(manager)
    log_in(manager, app_url, "manager_a")
    menu_link(manager, "处理台").click()
    wait_idle(manager)
    # the innermost card holding the comment and a reply box is this rating's
    form = (
        manager.locator("[data-testid=stVerticalBlock]")
        .filter(has_text="onerror=alert(5)")
        .filter(has=manager.get_by_label("回复业主(将公示)"))
        .last
    )
    expect(form).to_be_visible(timeout=30_000)  # the console's cards draw after its header
    form.get_by_label("回复业主(将公示)").fill(REPLY)
    form.get_by_role("button", name="发送回复").click()
    wait_idle(manager)
    assert_nothing_injected(manager)

    with factory() as session:
        assert session.scalar(select(Rating.reply).where(Rating.id == rating_id)) == REPLY
    owner.reload()
    wait_idle(owner)
    expect(owner.get_by_text(REPLY, exact=False).first).to_be_visible()
    assert_nothing_injected(owner)
    owner.wait_for_timeout(500)
    assert owner_dialogs == [] and manager_dialogs == []


LOCATION = "<img src=x onerror=alert(9)> 2单元"
REJECT_REASON = "<script>alert(10)</script> 不属于物业范围"


def test_html_in_a_location_and_a_reject_reason_is_shown_as_text(
    browser: Browser, app_url: str
) -> None:
    owner = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    dialogs = watch_dialogs(owner)
    log_in(owner, app_url, "owner_a")
    owner.get_by_role("link", name="我要整改/建议").click()
    wait_idle(owner)
    owner.get_by_label("标题").fill("楼道堆物")
    owner.get_by_label("具体位置(选填,仅您和物业可见)").fill(LOCATION)
    owner.get_by_test_id("stFormSubmitButton").get_by_role("button").click()
    wait_idle(owner)
    expect(owner.get_by_text(LOCATION, exact=False).first).to_be_visible()
    ticket_url = owner.url

    manager = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    manager_dialogs = watch_dialogs(manager)
    log_in(manager, app_url, "manager_a")
    manager.goto(ticket_url)
    wait_idle(manager)
    manager.get_by_role("radio", name="驳回", exact=True).click()
    wait_idle(manager)
    manager.get_by_label("原因(必填,将公示)").fill(REJECT_REASON)
    manager.get_by_test_id("stFormSubmitButton").get_by_role("button").click()
    wait_idle(manager)
    # The reason shows once the move's run has drawn the ticket again (slow on a busy machine).
    expect(manager.get_by_text(REJECT_REASON, exact=False).first).to_be_visible(timeout=30_000)
    assert_nothing_injected(manager)

    menu_link(owner, "整改公示").click()
    wait_idle(owner)
    expect(owner.get_by_text(REJECT_REASON, exact=False).first).to_be_visible(timeout=30_000)
    assert_nothing_injected(owner)
    owner.wait_for_timeout(500)
    assert dialogs == [] and manager_dialogs == []
