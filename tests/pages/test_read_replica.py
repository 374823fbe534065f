"""Reads from a real PostgreSQL streaming replica (``DATABASE_READ_URL``), started here with
``pg_basebackup -R`` from a primary holding the demo data.

Every page of every role is drawn with its reads on the replica — a hot standby refuses any
write, so a read path that writes fails here — and shows what it shows on the primary alone.
Then the replica is held behind (``pg_wal_replay_pause()``): a login still works (its checks go
to the primary), an owner sees the repair she just reported (her reads go to the primary for
``OWN_WRITE_WINDOW_S``), her manager does not see it until the replica catches up.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from data_access.db import make_engine, migrate
from tests.pages.conftest import APP, log_in, texts
from tests.support.postgres import PostgresServer, copy_database
from ui.loaders import cache
from ui.loaders.cache import clear_all_caches
from ui.navigation import PAGES

pytestmark = pytest.mark.postgres
ROLES = {"owner_a": "owner", "committee_a": "committee", "manager_a": "manager"}


@dataclass(frozen=True)
class Replicated:
    primary: PostgresServer
    replica: PostgresServer
    primary_url: str
    replica_url: str


@pytest.fixture(scope="module")
def replicated(demo_database: Path) -> Iterator[Replicated]:
    """The demo data on a primary, and its replica."""
    primary = PostgresServer().start()
    replica: PostgresServer | None = None
    try:
        url = primary.create_database("demo")
        engine = make_engine(url)
        migrate(engine)
        engine.dispose()
        copy_database(f"sqlite:///{demo_database}", url)
        replica = primary.start_replica()
        yield Replicated(primary, replica, url, replica.url("demo"))
    finally:
        if replica is not None:
            replica.stop()
        primary.stop()


@pytest.fixture
def on_replica(replicated: Replicated, monkeypatch: pytest.MonkeyPatch) -> Replicated:
    monkeypatch.setenv("DATABASE_URL", replicated.primary_url)
    monkeypatch.setenv("DATABASE_READ_URL", replicated.replica_url)
    return replicated


def role_pages(username: str) -> list[str]:
    files = [spec.file for spec in PAGES if ROLES[username] in spec.roles and not spec.hidden]
    return [str(Path(APP).parent / "pages" / file) for file in files]


def walk(username: str) -> dict[str, str]:
    """What each of the role's pages shows, visited in one logged-in session."""
    st.cache_data.clear()
    clear_all_caches()
    app = AppTest.from_file(APP, default_timeout=60)
    log_in(app, username)
    shown = {}
    for page in role_pages(username):
        app.switch_page(page).run()
        assert not app.exception, (username, page, app.exception)
        shown[Path(page).name] = texts(app)
    return shown


@pytest.mark.parametrize("username", sorted(ROLES))
def test_every_page_reads_from_the_replica_as_from_the_primary(
    on_replica: Replicated, username: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages remember what the viewer has seen (the console's "new since your last look"), so
    the walk on the replica is compared with a second walk on the primary, both after a
    first one on the primary (replayed on the replica before it is read)."""
    assert len(role_pages(username)) >= 8
    monkeypatch.delenv("DATABASE_READ_URL")
    walk(username)
    on_replica.replica.wait_caught_up(on_replica.primary)
    monkeypatch.setenv("DATABASE_READ_URL", on_replica.replica_url)
    from_replica = walk(username)
    monkeypatch.delenv("DATABASE_READ_URL")
    assert walk(username) == from_replica


def test_a_replica_behind_keeps_logins_and_own_writes_and_catches_up(
    on_replica: Replicated, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "VERSION_FRESH_S", 0.5)
    replica, primary = on_replica.replica, on_replica.primary
    owner = AppTest.from_file(APP, default_timeout=60)
    manager = AppTest.from_file(APP, default_timeout=60)
    log_in(manager, "manager_a")
    board = str(Path(APP).parent / "pages" / "work_orders.py")
    manager.switch_page(board).run()
    description = "5号楼地库入口的感应灯坏了"
    assert description not in texts(manager)
    replica.pause_replay()
    try:
        # Logging in writes a login session on the primary; its check reads the primary.
        log_in(owner, "owner_a")
        assert not owner.exception and "退出登录" in [b.label for b in owner.button]
        owner.switch_page(str(Path(APP).parent / "pages" / "report_repair.py")).run()
        owner.radio(key="repair_place").set_value("public").run()
        owner.selectbox(key="repair_area").select_index(0)
        owner.text_area(key="repair_description").input(description)
        owner.button(key="FormSubmitter:repair_form-提交报修").click().run()
        assert not owner.exception and "报修已提交" in texts(owner)
        assert description in texts(owner)  # her own order's page, read from the primary
        time.sleep(cache.VERSION_FRESH_S)
        manager.run()
        assert description not in texts(manager)  # the replica has not replayed it yet
    finally:
        replica.resume_replay(primary)
    time.sleep(cache.VERSION_FRESH_S)
    manager.run()
    assert description in texts(manager)
