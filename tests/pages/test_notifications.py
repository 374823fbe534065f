"""消息通知 and the menu's unread badge through AppTest on the demo data."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from data_access.accounts.auth import Viewer, load_viewer
from data_access.db import make_engine, make_session_factory
from data_access.models import LastLook, WorkOrder
from data_access.notifications import notifications
from i18n import label
from i18n.catalog import CATALOG
from tests.conftest import ROOT
from tests.pages.conftest import DEMO_NOW, log_in, menu_titles, texts
from ui.text import plain

NOTIFICATIONS = str(ROOT / "pages" / "notifications.py")
ORDER = str(ROOT / "pages" / "order_detail.py")
UNREAD = ":red-badge[未读]"


def viewer_of(url: str, username: str) -> Viewer:
    with make_session_factory(make_engine(url))() as session:
        viewer = load_viewer(session=session, username=username)
    assert viewer is not None
    return viewer


def expected(url: str, username: str) -> notifications.Notifications:
    viewer = viewer_of(url, username)
    with make_session_factory(make_engine(url))() as session:
        return notifications.list_notifications(session=session, viewer=viewer, now=DEMO_NOW)


def nav_title(app: AppTest) -> str:
    """The notifications page's title in the menu."""
    return menu_titles(app)["my-updates"]


def cards(app: AppTest) -> list[str]:
    return [m.value for m in app.markdown if "**" in m.value and " · " in m.value]


def test_an_owner_sees_updates_of_their_own_orders(app: AppTest, demo_url: str) -> None:
    news = expected(demo_url, "owner_a")
    assert news.unread > 0
    owner = viewer_of(demo_url, "owner_a")
    with make_engine(demo_url).connect() as conn:
        own_orders = set(
            conn.scalars(select(WorkOrder.id).where(WorkOrder.reporter_id == owner.account_id))
        )
    order_news = [n for n in news.items if n.kind == "order_stage"]
    assert order_news and {n.target_id for n in order_news} <= own_orders

    log_in(app, "owner_a")
    app.switch_page(NOTIFICATIONS).run()
    assert not app.exception
    shown = cards(app)
    assert len(shown) == len(news.items)
    assert all(plain(n.title) in card for n, card in zip(news.items, shown, strict=True))
    assert [UNREAD in card for card in shown] == [n.is_unread for n in news.items]
    assert f"{news.unread} 条未读" in texts(app)
    for item, card in zip(news.items, shown, strict=True):
        if item.kind == "order_stage":
            assert f"**工单进展:{label('stage', item.code)}**" in card


def test_looking_at_the_list_reads_nothing_opening_an_item_reads_it(
    app: AppTest, demo_url: str
) -> None:
    news = expected(demo_url, "owner_a")
    unread = news.unread
    log_in(app, "owner_a")
    assert nav_title(app) == f"消息通知 ({unread})"

    app.switch_page(NOTIFICATIONS).run()
    assert not app.exception
    assert nav_title(app) == f"消息通知 ({unread})"  # looking at the list is not reading it
    first = next(n for n in news.items if n.is_unread and n.target == "order")
    of_first = sum(n.is_unread for n in news.items if n.target_id == first.target_id
                   and n.target == "order")  # fmt: skip

    # The item's link opens its order, which reads the item (and its siblings).
    app.query_params["id"] = str(first.target_id)
    app.switch_page(ORDER).run()
    assert not app.exception
    assert nav_title(app) == (
        f"消息通知 ({unread - of_first})" if unread > of_first else "消息通知"
    )
    after = expected(demo_url, "owner_a")
    assert after.unread == unread - of_first
    assert not any(n.is_unread for n in after.items if n.target_id == first.target_id)
    owner = viewer_of(demo_url, "owner_a")
    with make_engine(demo_url).connect() as conn:
        whole_list = conn.scalar(
            select(LastLook.seen_at).where(
                LastLook.account_id == owner.account_id, LastLook.scope == "notifications"
            )
        )
    assert whole_list is None  # "mark all as read" was never pressed


def test_mark_all_read(app: AppTest) -> None:
    log_in(app, "owner_a")
    app.switch_page(NOTIFICATIONS).run()
    assert any(UNREAD in card for card in cards(app))
    app.button(key="notifications_mark_read").click().run()
    assert not app.exception
    assert not any(UNREAD in card for card in cards(app))
    assert "已全部标为已读。" in texts(app)


def test_a_manager_sees_new_ratings_and_tickets(app: AppTest, demo_url: str) -> None:
    news = expected(demo_url, "manager_a")
    kinds = {n.kind for n in news.items}
    assert {"new_rating", "new_ticket"} <= kinds
    log_in(app, "manager_a")
    assert nav_title(app) == f"消息通知 ({news.unread})"
    app.switch_page(NOTIFICATIONS).run()
    assert not app.exception
    page = "\n".join(cards(app))
    assert "新评价" in page and "新整改单" in page
    assert len(cards(app)) == len(news.items)


def test_owners_of_another_community_see_only_their_own(app: AppTest, demo_url: str) -> None:
    mine, theirs = expected(demo_url, "owner_b"), expected(demo_url, "owner_a")
    log_in(app, "owner_b")
    app.switch_page(NOTIFICATIONS).run()
    assert not app.exception
    assert len(cards(app)) == len(mine.items)
    shown_targets = {(n.target, n.target_id) for n in mine.items}
    assert shown_targets.isdisjoint((n.target, n.target_id) for n in theirs.items)


@pytest.mark.parametrize(
    "key",
    [
        *(f"notify.kind_{kind}" for kind in (
            notifications.ORDER_STAGE, notifications.TICKET_STATUS,
            notifications.TICKET_PROGRESS, notifications.RATING_REPLY, notifications.NEW_RATING,
            notifications.NEW_TICKET, notifications.OWNER_ACTION, notifications.ORDER_COMPLETED,
        )),
        "notify.owner_closed",
        "notify.owner_in_progress",
    ],
)  # fmt: skip
def test_every_kind_has_a_label(key: str) -> None:
    """Labels the page builds from codes (the catalog test only sees literal keys)."""
    assert CATALOG[key]["zh"] and CATALOG[key]["en"]
