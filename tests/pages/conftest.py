"""AppTest helpers: the app on a private copy of the seeded demo database."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import DEMO_AS_OF
from ui import clock, database
from ui.loaders.cache import clear_all_caches

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
DEMO_PASSWORD = "demo-2026!"


# The seeded demo's "now": 20:00 in Shanghai on DEMO_AS_OF (naive UTC, as stored).
DEMO_NOW = dt.datetime(2026, 11, 20, 12, 0)


@pytest.fixture(autouse=True)
def demo_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages see the seeded demo's moment, not the real clock, so figures are reproducible."""
    monkeypatch.setattr(clock, "now_utc_minute", lambda: DEMO_NOW)
    monkeypatch.setattr(clock, "now_utc", lambda: DEMO_NOW)
    monkeypatch.setattr(clock, "local_today", lambda: DEMO_AS_OF)


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    # Caches are per process; each test gets its own database copy, so start clean.
    st.cache_data.clear()
    st.cache_resource.clear()
    clear_all_caches()
    database.forget_factories()
    yield


@pytest.fixture
def demo_url(demo_database_copy: Path, demo_database: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{demo_database_copy}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("MEDIA_DIR", str(demo_database.parent / "media"))  # photos are read-only
    return url


@pytest.fixture
def app(demo_url: str) -> AppTest:
    return AppTest.from_file(APP, default_timeout=60)


def log_in(at: AppTest, username: str, password: str = DEMO_PASSWORD) -> AppTest:
    at.run()
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    at.button(key="login_submit").click().run()
    return at


@pytest.fixture
def logged_in(app: AppTest) -> Callable[[str], AppTest]:
    return lambda username: log_in(app, username)


def headings(at: AppTest, level: int = 1) -> list[str]:
    """The page's headings of ``level`` (1: titles, 3: subheaders): the heading elements, and
    the heading of a Markdown that begins with one (``ui.widgets.chrome.heading_with_caption``;
    Markdown as written, escapes included)."""
    elements = {1: at.title, 2: at.header, 3: at.subheader}[level]
    prefix = "#" * level + " "
    return [e.value for e in elements] + [
        m.value.split("\n\n", 1)[0].removeprefix(prefix)
        for m in at.markdown
        if m.value.startswith(prefix)
    ]


def texts(at: AppTest) -> str:
    """Everything a user can read on the page, as one string."""
    parts = [
        e.value
        for kind in (
            "title",
            "header",
            "subheader",
            "markdown",
            "caption",
            "error",
            "warning",
            "info",
            "success",
        )
        for e in getattr(at, kind)
    ]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [str(link.proto.label) for link in at.get("page_link")]
    parts += [html_text(str(getattr(e, "value", ""))) for e in at.get("html")]
    return "\n".join(str(p) for p in parts)


def html_text(body: str) -> str:
    """The words an ``st.html`` element shows (its tags and style left out, entities read)."""
    body = re.sub(r"<(style|script)\b.*?</\1>", "", body, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def show_running_period(at: AppTest, page_key: str) -> AppTest:
    """Pages that judge a period open on the last complete one; this is the click to the
    running one (the demo's November, up to the 20th)."""
    button = at.button(key=f"{page_key}_period_switch")
    assert button.label.startswith("看本")
    button.click().run()
    assert not at.exception
    return at


def menu_titles(app: AppTest) -> dict[str, str]:
    """The menu's titles by URL path ("" is 首页): Streamlit's own menu, as st.navigation
    registered it on the last run (ui/menu.py)."""
    return {
        str(info.get("url_pathname", "")): str(info.get("page_name", ""))
        for info in app._registered_pages.values()
    }
