"""A person's language and large text follow the account (issue 19, points 9 and 11): chosen
once, they hold in a new session (a new tab, a reload); data written in Chinese that the
catalog knows (a staff post, a service level) reads in English in the English UI."""

from __future__ import annotations

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from data_access.db import make_engine
from data_access.models import Account
from tests.pages.conftest import APP, ROOT, log_in, menu_titles, texts

STAFF = str(ROOT / "pages" / "staff.py")


def stored(url: str, username: str) -> tuple[str | None, bool]:
    with make_engine(url).connect() as conn:
        row = conn.execute(
            select(Account.language, Account.large_text).where(Account.username == username)
        ).one()
    return row.language, bool(row.large_text)


def styles(app: AppTest) -> list[str]:
    """The large-text style blocks (the menu's own style block is always there)."""
    values = [str(getattr(element, "value", "")) for element in app.get("html")]
    return [value for value in values if "font-size: 125%" in value]


def test_the_language_chosen_holds_in_a_new_session(app: AppTest, demo_url: str) -> None:
    log_in(app, "owner_a")
    assert stored(demo_url, "owner_a") == (None, False)
    app.selectbox(key="app_language").set_value("en").run()
    assert not app.exception
    assert stored(demo_url, "owner_a")[0] == "en"
    assert menu_titles(app)["my-orders"].startswith("My work orders")

    another_tab = AppTest.from_file(APP, default_timeout=60)
    log_in(another_tab, "owner_a")  # the login page is in Chinese: a new session
    assert not another_tab.exception
    assert another_tab.selectbox(key="app_language").value == "en"
    labels = list(menu_titles(another_tab).values())
    assert any(label.startswith("My work orders") for label in labels)
    assert not any(label.startswith("我的工单") for label in labels)


def test_a_language_chosen_at_login_becomes_the_accounts(app: AppTest, demo_url: str) -> None:
    app.run()
    app.selectbox(key="app_language").set_value("en").run()
    log_in(app, "committee_a")
    assert stored(demo_url, "committee_a")[0] == "en"


def test_large_text_holds_in_a_new_session(app: AppTest, demo_url: str) -> None:
    log_in(app, "owner_a")
    assert not styles(app)
    app.toggle(key="app_large_text").set_value(True).run()
    assert stored(demo_url, "owner_a") == (None, True)
    assert any("font-size: 125%" in style for style in styles(app))
    another_tab = AppTest.from_file(APP, default_timeout=60)
    log_in(another_tab, "owner_a")
    assert any("font-size: 125%" in style for style in styles(another_tab))


def test_posts_and_the_service_level_read_in_english(app: AppTest) -> None:
    log_in(app, "manager_a")
    app.selectbox(key="app_language").set_value("en").run()
    assert "Service level Grade " in texts(app) and "Service level 一级" not in texts(app)
    app.switch_page(STAFF).run()
    assert not app.exception
    posts = set(app.dataframe[0].value["post"])
    assert "Technician" in posts and "维修工" not in posts
