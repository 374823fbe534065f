"""我的工单 and 我要报修 through AppTest on the demo data: the to-rate list and its count in the
menu, the way from the list to the rating form, and a repair reported from the form."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select
from streamlit.testing.v1 import AppTest

from data_access.db import make_engine, make_session_factory
from data_access.models import SyncLink, WorkOrder
from data_access.orders.my_orders import count_to_rate, list_my_orders
from tests.pages.conftest import DEMO_NOW, ROOT, log_in, menu_titles, texts
from tests.pages.test_notifications import viewer_of
from ui.text import plain

MY_ORDERS = str(ROOT / "pages" / "my_orders.py")
REPAIR = str(ROOT / "pages" / "report_repair.py")
DETAIL = str(ROOT / "pages" / "order_detail.py")


def menu_label(app: AppTest, url_path: str) -> str:
    return menu_titles(app)[url_path]


def page_links(app: AppTest) -> list[tuple[str, str]]:
    """(label, ?id=…) of the page's links to orders."""
    return [
        (str(link.proto.label), str(link.proto.query_string))
        for link in app.main.get("page_link")
        if str(link.proto.page).endswith("order")
    ]


def test_the_to_rate_list_is_first_and_counted_in_the_menu(app: AppTest, demo_url: str) -> None:
    owner = viewer_of(demo_url, "owner_a")
    with make_session_factory(make_engine(demo_url))() as session:
        to_rate = count_to_rate(session=session, viewer=owner, now=DEMO_NOW)
        lists = list_my_orders(session=session, viewer=owner, now=DEMO_NOW)
    assert to_rate == len(lists.to_rate) > 0, "the demo owner has orders to rate"

    log_in(app, "owner_a")
    assert menu_label(app, "my-orders") == f"我的工单 ({to_rate})"
    app.switch_page(MY_ORDERS).run()
    assert not app.exception
    assert app.segmented_control(key="my_orders_list").value == "to_rate"
    links = page_links(app)
    assert [label for label, _ in links] == ["去评价"] * to_rate
    assert [query for _, query in links] == [f"id={o.order_id}" for o in lists.to_rate]
    shown = texts(app)
    assert all(plain(o.title) in shown for o in lists.to_rate)

    app.segmented_control(key="my_orders_list").set_value("open").run()
    assert [query for _, query in page_links(app)] == [f"id={o.order_id}" for o in lists.open]
    app.segmented_control(key="my_orders_list").set_value("finished").run()
    assert len(page_links(app)) == len(lists.finished)


def test_the_rating_form_waits_at_the_top_of_an_order_to_rate(app: AppTest, demo_url: str) -> None:
    owner = viewer_of(demo_url, "owner_a")
    with make_session_factory(make_engine(demo_url))() as session:
        first = list_my_orders(session=session, viewer=owner, now=DEMO_NOW).to_rate[0]
    log_in(app, "owner_a")
    app.switch_page(DETAIL)
    app.query_params["id"] = str(first.order_id)
    app.run()
    assert not app.exception
    headers = [h.value for h in app.subheader]
    assert headers[0] == "业主评价"  # before photos and the timeline
    assert app.segmented_control(key=f"order_rating_{first.order_id}_speed") is not None
    assert "评价截止" in texts(app)
    links = [link.proto.label for link in app.get("page_link")]
    assert links[0] == "返回我的工单"  # she came from 我的工单, not from the live board


def test_a_repair_reported_on_the_form_becomes_my_open_order(app: AppTest, demo_url: str) -> None:
    log_in(app, "owner_a")
    assert menu_label(app, "repair-request") == "我要报修"
    app.switch_page(REPAIR).run()
    assert not app.exception
    app.radio(key="repair_place").set_value("public").run()
    app.selectbox(key="repair_area").select_index(0)
    app.text_area(key="repair_description").input("中心花园的路灯晚上不亮,走路看不清")
    app.button(key="FormSubmitter:repair_form-提交报修").click().run()
    assert not app.exception
    assert "报修已提交" in texts(app)
    owner = viewer_of(demo_url, "owner_a")
    with make_engine(demo_url).connect() as conn:
        order = conn.execute(
            select(WorkOrder.id, WorkOrder.title, WorkOrder.visibility, WorkOrder.created_at)
            .where(WorkOrder.reporter_id == owner.account_id)
            .order_by(WorkOrder.id.desc())
            .limit(1)
        ).one()
    assert order.title == "中心花园的路灯晚上不亮,走路看不清"
    assert order.visibility == "public" and order.created_at == DEMO_NOW
    assert app.query_params["id"] == str(order.id)  # landed on the new order's page

    app.switch_page(MY_ORDERS).run()
    app.segmented_control(key="my_orders_list").set_value("open").run()
    assert f"id={order.id}" in [query for _, query in page_links(app)]


def test_a_repair_at_home_asks_for_a_visit_time(app: AppTest, demo_url: str) -> None:
    log_in(app, "owner_a")
    app.switch_page(REPAIR).run()
    assert app.radio(key="repair_place").value == "home"
    slot = app.selectbox(key="repair_slot")
    assert "工作日晚上 18:00–20:00" in slot.options
    slot.set_value("weekday_evening")
    app.text_area(key="repair_description").input("卫生间地漏反味")
    app.button(key="FormSubmitter:repair_form-提交报修").click().run()
    assert not app.exception
    owner = viewer_of(demo_url, "owner_a")
    with make_engine(demo_url).connect() as conn:
        order = conn.execute(
            select(WorkOrder.visibility, WorkOrder.preferred_visit)
            .where(WorkOrder.reporter_id == owner.account_id)
            .order_by(WorkOrder.id.desc())
            .limit(1)
        ).one()
    assert tuple(order) == ("private", "weekday_evening")
    assert "工作日晚上 18:00–20:00" in texts(app)  # the order's page says when


def test_a_community_fed_by_its_operational_system_says_where_to_report(
    app: AppTest, demo_url: str
) -> None:
    owner = viewer_of(demo_url, "owner_a")
    now = dt.datetime(2026, 11, 1)
    with make_engine(demo_url).begin() as conn:
        conn.execute(
            insert(SyncLink).values(
                source="hc", kind="community", external_id="7020", community_id=None,
                local_id=owner.community_id, fingerprint="", pending="", first_seen_at=now,
                changed_at=now,
            )
        )  # fmt: skip
    log_in(app, "owner_a")
    app.switch_page(REPAIR).run()
    assert not app.exception
    assert "本小区的报修由物业的运营系统受理" in texts(app)
    assert not app.get("form") and not app.text_area
