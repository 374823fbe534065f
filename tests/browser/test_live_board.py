"""The operational side moves an owner's repair; the owner's open board shows the new stage
without a reload (the board is a fragment that refreshes itself)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from data_access.db import make_engine, make_session_factory, write_session
from data_access.flows import flow_of
from data_access.models import Account, WorkOrder
from data_access.orders.order_commands import advance_order, current_stage
from i18n import label
from tests.browser.conftest import ROOT, log_in, screenshot, wait_idle

pytestmark = pytest.mark.browser


def test_board_follows_the_operational_system(
    browser: Browser, app_url: str, served_folder: Path
) -> None:
    factory = make_session_factory(make_engine(f"sqlite:///{served_folder / 'demo.db'}"))
    with factory() as session:
        owner_id = session.scalar(select(Account.id).where(Account.username == "owner_a"))
        orders = session.scalars(
            select(WorkOrder).where(
                WorkOrder.reporter_id == owner_id, WorkOrder.completed_at.is_(None)
            )
        ).all()
        # an order with a stage after the current one that is not the final one
        order, stage = next(
            (o, s)
            for o in orders
            for s in [current_stage(session=session, order=o)]
            if [x.code for x in flow_of(o.order_type)].index(s) < len(flow_of(o.order_type)) - 2
        )
        codes = [x.code for x in flow_of(order.order_type)]
        target = codes[codes.index(stage) + 1]
        title, order_id = order.title, order.id

    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    log_in(page, app_url, "owner_a")
    page.get_by_role("link", name="工单进度").click()
    wait_idle(page)
    # the innermost block holding both the title and a progress bar is the order's card
    card = (
        page.locator("[data-testid=stVerticalBlock]")
        .filter(has_text=title)
        .filter(has=page.locator("[data-testid=stProgress]"))
        .last
    )
    expect(card).to_contain_text(label("stage", stage), timeout=30_000)

    with write_session(factory) as session:  # the operational system moves the order
        advance_order(session=session, order_id=order_id, to_stage=target,
                      at=dt.datetime.now(dt.UTC).replace(tzinfo=None), actor_name="王师傅",
                      note="浏览器测试:推进一步")  # fmt: skip

    # No reload: within a couple of refresh cycles the card shows the new stage, marked new.
    expect(card).to_contain_text(label("stage", target), timeout=20_000)
    expect(card).to_contain_text("有新进展")
    screenshot(page, "board-owner-live")

    # The simulator (standing in for the operational system) files a new public order.
    page.get_by_role("radio", name="小区工单").click()
    wait_idle(page)
    result = subprocess.run(
        [sys.executable, "manage.py", "--database-url", f"sqlite:///{served_folder / 'demo.db'}",
         "simulate", "--steps", "1", "--pace", "0", "--seed", "1", "--community", "CUIHU",
         "--orders-per-tick", "0", "--new-order-chance", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    new_code = re.search(r"CUIHU (\S+) ", result.stdout)
    assert new_code, result.stdout
    expect(page.get_by_text(new_code[1], exact=False).first).to_be_visible(timeout=20_000)
    context.close()
