"""Which pages a role gets, and the guard against Streamlit's legacy pages/ fallback."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.conftest import log_in, menu_titles
from ui.navigation import PAGES, page_title

PAGES_DIR = Path(__file__).resolve().parents[2] / "pages"


def test_url_paths_never_equal_a_page_file_stem() -> None:
    """Otherwise Streamlit's legacy mode would run the page file directly, skipping the login."""
    stems = {path.stem for path in PAGES_DIR.glob("*.py")}
    assert stems, "pages/ is empty?"
    assert {spec.url_path for spec in PAGES} & stems == set()


def test_every_page_is_in_exactly_one_menu_section() -> None:
    from ui.navigation import SECTIONS

    placed = [file for _, files in SECTIONS for file in files]
    assert sorted(placed) == sorted(spec.file for spec in PAGES)


def test_every_page_file_is_registered() -> None:
    registered = {spec.file for spec in PAGES}
    assert {path.name for path in PAGES_DIR.glob("*.py")} == registered


@pytest.mark.parametrize("username", ["owner_a", "committee_a", "manager_a"])
def test_reruns_keep_the_app_chrome(app: AppTest, username: str) -> None:
    """Every rerun goes through app.py: the sidebar (who, language, logout) stays."""
    log_in(app, username)
    for _ in range(2):
        app.run()
        assert app.selectbox(key="app_language") is not None
        assert app.button(key="app_logout") is not None


@pytest.mark.parametrize(
    ("username", "has_console"), [("owner_a", False), ("committee_a", False), ("manager_a", True)]
)
def test_only_managers_get_the_console(app: AppTest, username: str, has_console: bool) -> None:
    log_in(app, username)
    paths = {info.get("url_pathname") for info in app._registered_pages.values()}
    assert "my-updates" in paths
    assert ("manager-desk" in paths) is has_console


@pytest.mark.parametrize(("unread", "title"), [(0, "消息通知"), (3, "消息通知 (3)")])
def test_the_notifications_title_carries_the_unread_count(unread: int, title: str) -> None:
    by_file = {spec.file: spec for spec in PAGES}
    assert page_title(by_file["notifications.py"], unread) == title
    assert page_title(by_file["overview.py"], unread) == "首页"


@pytest.mark.parametrize("username", ["owner_a", "committee_a", "manager_a"])
def test_the_menu_holds_each_page_of_the_role_once(app: AppTest, username: str) -> None:
    """Streamlit's own menu: every page the role may open, titled in the UI language, and none
    it may not (what is listed and under which header: tests/browser/test_menu.py)."""
    log_in(app, username)
    role = {"owner_a": "owner", "committee_a": "committee", "manager_a": "manager"}[username]
    titles = menu_titles(app)
    expected = {spec.url_path for spec in PAGES if role in spec.roles}
    # The default page (首页) is at the app's root URL.
    assert {path or "home" for path in titles} == expected
    assert titles[""] == "首页"


def test_the_menu_is_there_when_a_page_stops_early(app: AppTest) -> None:
    """A page that ends with ``st.stop()`` (an order not found) still has the menu and the
    sidebar: both are drawn before the page runs."""
    log_in(app, "owner_a")
    app.switch_page(str(PAGES_DIR / "order_detail.py"))
    app.query_params["id"] = "999999"
    app.run()
    assert not app.exception
    assert "没有找到这张工单,或您无权查看。" in [e.value for e in app.error]
    assert len(menu_titles(app)) > 5
    assert app.button(key="app_logout") is not None


def test_the_menu_follows_the_language_and_the_counts(app: AppTest) -> None:
    """The titles are made once per role, language and counts (ui.navigation._titled_menu):
    switching the language switches them, and the unread count is in its page's title."""
    log_in(app, "owner_a")
    chinese = menu_titles(app)
    unread = next(t for path, t in chinese.items() if path == "my-updates")
    assert unread.startswith("消息通知 (")  # the seeded owner has unread notifications
    app.selectbox(key="app_language").set_value("en").run()
    english = menu_titles(app)
    assert english[""] == "Overview"
    assert english["my-updates"] == unread.replace("消息通知", "Notifications")
    app.selectbox(key="app_language").set_value("zh").run()
    assert menu_titles(app) == chinese
