"""Which pages each role can reach (issue 7), through the real app on the demo data.

For every page × role: a role the page is not listed for cannot switch to it (Streamlit does not
even know the page in that session), and an allowed page runs without an exception or the
"unexpected error" screen. Detail pages with an id from the other community read "not found".
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from data_access.accounts.auth import load_viewer
from data_access.db import make_engine, make_session_factory
from data_access.models import RectificationTicket, WorkOrder
from i18n import translate
from tests.pages.conftest import APP, _fresh_caches, demo_clock, demo_url, log_in, texts  # noqa: F401 - fixtures
from ui.navigation import PAGES, PAGES_DIR

ROLES = {"owner_a": "owner", "committee_a": "committee", "manager_a": "manager"}
UNEXPECTED = translate("app.unexpected_error", "zh")
UNAVAILABLE = translate("app.unavailable_title", "zh")


@pytest.fixture
def demo(request: pytest.FixtureRequest) -> tuple[AppTest, str]:
    """The app on a private copy of the demo database, and that database's URL."""
    url: str = request.getfixturevalue("demo_url")
    return AppTest.from_file(APP, default_timeout=60), url


def _page(file: str) -> str:
    return str(PAGES_DIR / file)


@pytest.mark.parametrize("username", ROLES)
def test_every_page_for_every_role(demo: tuple[AppTest, str], username: str) -> None:
    app, _ = demo
    role = ROLES[username]
    log_in(app, username)
    assert not app.exception
    problems: list[str] = []
    for spec in PAGES:
        if role in spec.roles:
            app.switch_page(_page(spec.file)).run()
            shown = texts(app)
            if app.exception or UNEXPECTED in shown or UNAVAILABLE in shown:
                problems.append(f"{spec.file}: failed for {role}: {app.exception or shown[:200]}")
        else:
            try:
                app.switch_page(_page(spec.file))
            except ValueError as refused:
                assert "Could not find a navigation page" in str(refused)
            else:
                problems.append(f"{spec.file}: reachable by {role}")
    assert problems == []


def test_the_table_holds_pages_some_roles_cannot_reach() -> None:
    """Not vacuous: owners are refused some pages, committee members some others."""
    assert {s.file for s in PAGES if "owner" not in s.roles} >= {"console.py", "alerts.py"}
    assert {s.file for s in PAGES if "committee" not in s.roles} >= {"console.py", "staff.py"}
    assert all((PAGES_DIR / s.file).exists() for s in PAGES)


def _other_community_ids(url: str, username: str) -> dict[str, int]:
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        viewer = load_viewer(session=session, username=username)
        assert viewer is not None
        ids = {
            "order_detail.py": session.scalar(
                select(func.min(WorkOrder.id)).where(WorkOrder.community_id != viewer.community_id)
            ),
            "ticket_detail.py": session.scalar(
                select(func.min(RectificationTicket.id)).where(
                    RectificationTicket.community_id != viewer.community_id
                )
            ),
        }
    engine.dispose()
    assert all(ids.values())
    return {file: int(i) for file, i in ids.items() if i is not None}


NOT_FOUND = {
    "order_detail.py": "没有找到这张工单,或您无权查看。",
    "ticket_detail.py": "没有找到这张整改单,或您无权查看。",
}


@pytest.mark.parametrize("username", ROLES)
def test_detail_pages_of_the_other_community_read_not_found(
    demo: tuple[AppTest, str], username: str
) -> None:
    app, url = demo
    ids = _other_community_ids(url, username)
    log_in(app, username)
    for file, foreign_id in ids.items():
        app.switch_page(_page(file))
        app.query_params["id"] = str(foreign_id)
        app.run()
        assert not app.exception
        assert [e.value for e in app.error] == [NOT_FOUND[file]]
        assert not app.title or app.title[0].value == ""
