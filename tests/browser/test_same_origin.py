"""Nothing leaves the origin (issue 19, point 10): every page of every role, the login page and
an order's and a ticket's page request only the app's own host — no fonts.gstatic.com (which a
":material/…:" tab icon used to fetch), no CDN. Unreachable hosts from mainland China would
stall the page; elsewhere each request would tell a third party who visits what."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Request
from sqlalchemy import select

from data_access.db import make_engine
from data_access.models import RectificationTicket, WorkOrder
from tests.browser.conftest import log_in, wait_idle
from ui.navigation import PAGES

pytestmark = pytest.mark.browser

ROLES = {"owner_a": "owner", "committee_a": "committee", "manager_a": "manager"}


def detail_links(database: Path) -> list[str]:
    with make_engine(f"sqlite:///{database}").connect() as conn:
        order = conn.scalar(select(WorkOrder.id).where(WorkOrder.visibility == "public").limit(1))
        ticket = conn.scalar(select(RectificationTicket.id).limit(1))
    return [f"order?id={order}", f"ticket?id={ticket}"]


@pytest.mark.parametrize("username", list(ROLES))
def test_every_page_requests_only_its_own_origin(
    browser: Browser, app_url: str, served_folder: Path, username: str
) -> None:
    own = urlparse(app_url).netloc
    elsewhere: set[str] = set()

    def note(request: Request) -> None:
        host = urlparse(request.url).netloc
        if host and host != own and not request.url.startswith(("data:", "blob:")):
            elsewhere.add(f"{host} ← {request.url[:120]}")

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.on("request", note)
    page = context.new_page()
    log_in(page, app_url, username)
    role = ROLES[username]
    paths = [s.url_path for s in PAGES if role in s.roles and not s.hidden]
    for path in [*paths, *detail_links(served_folder / "demo.db")]:
        page.goto(f"{app_url}/{path}")
        wait_idle(page)
        page.wait_for_timeout(300)  # charts and images load after the run
    context.close()
    assert elsewhere == set()
