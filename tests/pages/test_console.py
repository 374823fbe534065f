"""处理台 through AppTest on the demo data, checked against the data layer and the tables."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from data_access.accounts.auth import Viewer, load_viewer
from data_access.dashboards import console
from data_access.db import make_engine, make_session_factory
from data_access.models import LastLook, Rating, RectificationTicket
from tests.conftest import ROOT
from tests.pages.conftest import DEMO_NOW, log_in, texts
from ui.text import plain

CONSOLE = str(ROOT / "pages" / "console.py")
ELSEWHERE = str(ROOT / "pages" / "work_orders.py")


def viewer_of(url: str, username: str) -> Viewer:
    with make_session_factory(make_engine(url))() as session:
        viewer = load_viewer(session=session, username=username)
    assert viewer is not None
    return viewer


def inbox(url: str, username: str = "manager_a", **filters: Any) -> list[console.InboxItem]:
    viewer = viewer_of(url, username)
    with make_session_factory(make_engine(url))() as session:
        return console.list_inbox(session=session, viewer=viewer, now=DEMO_NOW, **filters)


def card_titles(app: AppTest) -> list[str]:
    return [
        m.value.split("**")[1]
        for m in app.markdown
        if m.value.startswith("**") and ":gray-badge[" in m.value
    ]


def titles(items: list[console.InboxItem]) -> list[str]:
    return [plain(item.title) for item in items]


def metric(app: AppTest, label: str) -> str:
    return next(str(m.value) for m in app.metric if m.label == label)


def open_console(app: AppTest, username: str = "manager_a") -> AppTest:
    log_in(app, username)
    app.switch_page(CONSOLE).run()
    assert not app.exception
    return app


@pytest.mark.parametrize("username", ["owner_a", "committee_a"])
def test_owners_do_not_get_the_console(app: AppTest, username: str) -> None:
    log_in(app, username)
    assert not app.exception
    paths = {info.get("url_pathname") for info in app._registered_pages.values()}
    assert "my-updates" in paths and "manager-desk" not in paths
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page(CONSOLE)


def test_the_inbox_is_sorted_by_nearest_deadline(app: AppTest, demo_url: str) -> None:
    open_console(app)
    expected = inbox(demo_url)
    assert expected and any(item.is_overdue for item in expected)
    assert [item.deadline_at for item in expected] == sorted(i.deadline_at for i in expected)
    assert card_titles(app) == titles(expected)
    viewer = viewer_of(demo_url, "manager_a")
    with make_session_factory(make_engine(demo_url))() as session:
        summary = console.inbox_summary(
            session=session, viewer=viewer, now=DEMO_NOW, since=DEMO_NOW - dt.timedelta(days=7)
        )
    assert metric(app, "待处理") == str(summary.total) == str(len(expected))
    assert metric(app, "已超时") == str(summary.overdue)
    assert metric(app, "待回复评价") == str(summary.ratings)
    assert metric(app, "待受理整改") == str(summary.to_accept)


def test_another_communitys_manager_sees_their_own_inbox(app: AppTest, demo_url: str) -> None:
    open_console(app, "manager_b")
    theirs, ours = inbox(demo_url, "manager_b"), inbox(demo_url, "manager_a")
    assert card_titles(app) == titles(theirs)
    assert {(i.kind, i.id) for i in theirs}.isdisjoint((i.kind, i.id) for i in ours)


FILTERS = [
    pytest.param("console_kind", "ticket", {"kind": "ticket"}, id="kind"),
    pytest.param("console_status", "submitted", {"status": "submitted"}, id="status"),
    pytest.param("console_status", "awaiting_reply", {"status": "awaiting_reply"}, id="ratings"),
    pytest.param("console_view", "overdue", {"overdue_only": True}, id="overdue-view"),
]


@pytest.mark.parametrize(("key", "value", "filters"), FILTERS)
def test_filters_narrow_the_inbox(
    app: AppTest, demo_url: str, key: str, value: str, filters: dict[str, Any]
) -> None:
    open_console(app)
    widget = app.segmented_control(key=key) if key == "console_view" else app.selectbox(key=key)
    widget.set_value(value).run()
    expected = inbox(demo_url, **filters)
    assert expected and len(expected) < len(inbox(demo_url))
    assert card_titles(app) == titles(expected)


def test_the_category_filter(app: AppTest, demo_url: str) -> None:
    open_console(app)
    category = inbox(demo_url)[0].category
    app.selectbox(key="console_category").set_value(category).run()
    expected = inbox(demo_url, category=category)
    assert card_titles(app) == titles(expected)
    assert len(expected) < len(inbox(demo_url))


def reply_form_submit(app: AppTest, rating_id: int) -> Any:
    return next(b for b in app.button if b.proto.form_id == f"console_reply_{rating_id}")


def test_a_reply_from_the_console_is_stored(app: AppTest, demo_url: str) -> None:
    open_console(app)
    rating = next(item for item in inbox(demo_url) if item.kind == "rating")
    app.text_area(key=f"console_reply_text_{rating.id}").input("感谢反馈,已安排回访")
    reply_form_submit(app, rating.id).click().run()
    assert not app.exception
    assert "回复已发送。" in texts(app)
    with make_engine(demo_url).connect() as conn:
        stored = conn.execute(
            select(Rating.reply, Rating.replied_by_id, Rating.version).where(Rating.id == rating.id)
        ).one()
    assert stored == ("感谢反馈,已安排回访", viewer_of(demo_url, "manager_a").account_id, 2)
    assert not any(b.proto.form_id == f"console_reply_{rating.id}" for b in app.button)
    assert card_titles(app) == titles(inbox(demo_url))


def test_an_empty_reply_shows_the_error(app: AppTest, demo_url: str) -> None:
    open_console(app)
    rating = next(item for item in inbox(demo_url) if item.kind == "rating")
    app.text_area(key=f"console_reply_text_{rating.id}").input("   ")
    reply_form_submit(app, rating.id).click().run()
    assert not app.exception
    assert "请填写回复内容。" in [e.value for e in app.error]
    with make_engine(demo_url).connect() as conn:
        assert conn.scalar(select(Rating.reply).where(Rating.id == rating.id)) == ""


def test_changes_since_the_last_look_go_to_zero_on_the_next_visit(
    app: AppTest, demo_url: str
) -> None:
    viewer = viewer_of(demo_url, "manager_a")
    with make_session_factory(make_engine(demo_url))() as session:
        first = console.inbox_summary(session=session, viewer=viewer, now=DEMO_NOW)
    assert first.changed_since_last_look > 0

    open_console(app)
    assert metric(app, "近 7 天的变化(首次查看)") == str(first.changed_since_last_look)
    with make_engine(demo_url).connect() as conn:
        seen = conn.scalar(
            select(LastLook.seen_at).where(
                LastLook.account_id == viewer.account_id, LastLook.scope == "console"
            )
        )
    assert seen == DEMO_NOW
    # Within the visit the figure and the "new" marks stay, whatever the filters.
    app.selectbox(key="console_kind").set_value("ticket").run()
    assert metric(app, "近 7 天的变化(首次查看)") == str(first.changed_since_last_look)
    assert any(":blue-badge[" in m.value for m in app.markdown)

    app.switch_page(ELSEWHERE).run()
    app.switch_page(CONSOLE).run()
    assert not app.exception
    assert metric(app, "自上次查看以来的变化") == "0"
    assert not any(":blue-badge[" in m.value for m in app.markdown)


def test_a_ticket_is_accepted_from_the_console(app: AppTest, demo_url: str) -> None:
    open_console(app)
    ticket = next(item for item in inbox(demo_url) if item.status == "submitted")
    form = f"console_{ticket.id}_ticket_{ticket.id}_form"
    next(b for b in app.button if b.proto.form_id == form).click().run()
    assert not app.exception
    with make_engine(demo_url).connect() as conn:
        status = conn.scalar(
            select(RectificationTicket.status).where(RectificationTicket.id == ticket.id)
        )
    assert status == "accepted"
    accepted = next(i for i in inbox(demo_url) if (i.kind, i.id) == ("ticket", ticket.id))
    assert accepted.deadline_kind == "fix"
