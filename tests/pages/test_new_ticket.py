"""我要整改/建议: an owner opens a ticket for themselves, a manager on an owner's behalf; bad input
is refused with the server's message and writes nothing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update
from streamlit.testing.v1 import AppTest

from data_access.db import make_engine, make_session_factory
from data_access.models import Account, Area, RectificationTicket, ServiceContract
from tests.pages.conftest import DEMO_NOW, ROOT, log_in, texts

NEW_TICKET = str(ROOT / "pages" / "new_ticket.py")
SUBMIT = "FormSubmitter:new_ticket_form-提交整改单"


def tickets_titled(url: str, title: str) -> list[RectificationTicket]:
    with make_session_factory(make_engine(url))() as session:
        return list(
            session.scalars(select(RectificationTicket).where(RectificationTicket.title == title))
        )


def ticket_count(url: str) -> int:
    with make_engine(url).connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(RectificationTicket)) or 0)


def account_id(url: str, username: str) -> int:
    with make_engine(url).connect() as conn:
        return conn.execute(select(Account.id).where(Account.username == username)).scalar_one()


def open_form(app: AppTest, username: str) -> AppTest:
    log_in(app, username)
    app.switch_page(NEW_TICKET).run()
    assert not app.exception
    return app


def test_owner_opens_a_ticket_and_lands_on_it(app: AppTest, demo_url: str) -> None:
    open_form(app, "owner_a")
    assert not [s for s in app.selectbox if s.key == "new_ticket_owner"]  # owners open their own
    with make_engine(demo_url).connect() as conn:
        area_id = conn.scalar(
            select(Area.id)
            .join(Account, Account.community_id == Area.community_id)
            .where(Account.username == "owner_a")
            .order_by(Area.id)
            .limit(1)
        )
    app.text_input(key="new_ticket_title").input("东门道闸经常抬不起来")
    app.selectbox(key="new_ticket_category").set_value("access_control")
    app.selectbox(key="new_ticket_area").set_value(area_id)
    app.text_area(key="new_ticket_description").input("晚高峰排队十几辆车")
    app.button(key=SUBMIT).click().run()
    assert not app.exception
    [ticket] = tickets_titled(demo_url, "东门道闸经常抬不起来")
    assert (ticket.source, ticket.owner_id, ticket.opened_by_id, ticket.status) == (
        "owner", account_id(demo_url, "owner_a"), None, "submitted",
    )  # fmt: skip
    assert (ticket.area_id, ticket.category, ticket.created_at) == (
        area_id, "access_control", DEMO_NOW,
    )  # fmt: skip
    assert app.query_params["id"] == str(ticket.id)  # landed on the new ticket's page
    assert "整改单已提交并公示" in texts(app)


def test_empty_title_is_refused_and_nothing_written(app: AppTest, demo_url: str) -> None:
    before = ticket_count(demo_url)
    open_form(app, "owner_a")
    app.text_input(key="new_ticket_title").input("   ")
    app.button(key=SUBMIT).click().run()
    assert "标题" in texts(app) and not app.exception
    assert app.error, "expected an error message"
    assert ticket_count(demo_url) == before


def test_manager_must_choose_the_owner_and_is_recorded_as_opener(
    app: AppTest, demo_url: str
) -> None:
    open_form(app, "manager_a")
    app.text_input(key="new_ticket_title").input("业主电话反映:地库积水")
    app.button(key=SUBMIT).click().run()
    assert "请选择业主" in texts(app)
    assert tickets_titled(demo_url, "业主电话反映:地库积水") == []

    owner = account_id(demo_url, "owner_a")
    app.selectbox(key="new_ticket_owner").set_value(owner)
    app.text_input(key="new_ticket_title").input("业主电话反映:地库积水")
    app.button(key=SUBMIT).click().run()
    assert not app.exception
    [ticket] = tickets_titled(demo_url, "业主电话反映:地库积水")
    assert (ticket.source, ticket.owner_id, ticket.opened_by_id) == (
        "on_behalf", owner, account_id(demo_url, "manager_a"),
    )  # fmt: skip


def test_manager_cannot_choose_an_owner_of_another_community(app: AppTest, demo_url: str) -> None:
    open_form(app, "manager_a")
    options = app.selectbox(key="new_ticket_owner").options
    assert options and str(account_id(demo_url, "owner_b")) not in options


def test_an_owner_over_the_daily_limit_sees_why_and_when_to_try_again(
    app: AppTest, demo_url: str
) -> None:
    owner = account_id(demo_url, "owner_a")
    today = f"ZGD{DEMO_NOW + dt.timedelta(hours=8):%Y%m%d}%"  # the local day in the codes
    with make_engine(demo_url).begin() as conn:
        community = conn.scalar(select(Account.community_id).where(Account.id == owner))
        opened = conn.scalar(
            select(func.count()).where(
                RectificationTicket.owner_id == owner,
                RectificationTicket.source == "owner",
                RectificationTicket.code.like(today),
            )
        )
        conn.execute(
            update(ServiceContract)
            .where(ServiceContract.community_id == community)
            .values(max_owner_tickets_per_day=(opened or 0) + 1)
        )
    open_form(app, "owner_a")
    app.text_input(key="new_ticket_title").input("今天的最后一条")
    app.button(key=SUBMIT).click().run()
    assert not app.exception and len(tickets_titled(demo_url, "今天的最后一条")) == 1

    app.switch_page(NEW_TICKET).run()
    app.text_input(key="new_ticket_title").input("再来一条")
    app.button(key=SUBMIT).click().run()
    assert not app.exception
    [error] = app.error
    assert f"您今天已提交 {(opened or 0) + 1} 条整改单,已达每日上限" in error.value
    assert "请明天(0 点后)再提交" in error.value and "物业客服" in error.value
    assert tickets_titled(demo_url, "再来一条") == []
