"""Cached figures are keyed by their community's data version: a write drops the cached figures
of the community it changed — in this process at once, in any other within ``VERSION_FRESH_S``
— and leaves every other community's warm."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

import ui.loaders
from data_access.accounts.auth import Viewer, load_viewer
from data_access.data_versions import versions
from data_access.db import make_engine, make_session_factory, write_session
from data_access.models import Area
from data_access.notifications.notifications import mark_notifications_seen
from data_access.orders.repair_requests import report_repair
from tests.conftest import DEMO_AS_OF
from tests.pages.conftest import DEMO_NOW
from ui.actions.commands import run_bookkeeping, run_command
from ui.loaders import cache


@pytest.fixture
def factory(demo_url: str) -> sessionmaker[Session]:
    return make_session_factory(make_engine(demo_url))


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Counter[int]:
    """How many times the overview was computed from the database, per community."""
    counted: Counter[int] = Counter()
    real_read = ui.loaders.read

    def counting_read(fn: Any, /, **kwargs: Any) -> Any:
        counted[int(kwargs["community_id"])] += 1
        return real_read(fn, **kwargs)

    monkeypatch.setattr(ui.loaders, "read", counting_read)
    return counted


def viewer(factory: sessionmaker[Session], username: str) -> Viewer:
    with factory() as session:
        found = load_viewer(session=session, username=username)
    assert found is not None
    return found


def a_repair(session: Session, viewer: Viewer, description: str) -> int:
    area = session.scalars(select(Area.id).where(Area.community_id == viewer.community_id)).first()
    return report_repair(session=session, viewer=viewer, category="plumbing",
                         description=description, area_id=area, now=DEMO_NOW)  # fmt: skip


def open_orders(community_id: int) -> int:
    return ui.loaders.community_overview_summary(community_id, DEMO_AS_OF).open_work_orders


def test_a_page_write_recomputes_its_community_and_leaves_the_others_warm(
    factory: sessionmaker[Session], reads: Counter[int]
) -> None:
    owner_a, owner_b = viewer(factory, "owner_a"), viewer(factory, "owner_b")
    a, b = owner_a.community_id, owner_b.community_id
    assert a != b
    before_a, before_b = open_orders(a), open_orders(b)
    assert reads == {a: 1, b: 1}
    run_command(a_repair, viewer=owner_a, description="地下车库B区积水")
    assert open_orders(a) == before_a + 1  # the writer sees it at once
    assert open_orders(b) == before_b
    # Community B's figures came from the cache: a write in A is none of its business (every
    # write used to empty every cache of the process).
    assert reads == {a: 2, b: 1}


def test_another_process_write_is_seen_within_the_version_freshness(
    factory: sessionmaker[Session], reads: Counter[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "VERSION_FRESH_S", 0.2)
    owner_a = viewer(factory, "owner_a")
    a = owner_a.community_id
    before = open_orders(a)
    # Another app process (or the worker) writes: nothing in this process hears of it.
    with write_session(factory) as session:
        a_repair(session, owner_a, "3栋电梯按钮失灵")
    time.sleep(0.3)
    assert open_orders(a) == before + 1  # the overview's own cache lives 30 s
    assert reads == {a: 2}


def test_bookkeeping_and_reads_leave_versions_alone(factory: sessionmaker[Session]) -> None:
    owner_a, manager_b = viewer(factory, "owner_a"), viewer(factory, "manager_b")
    ids = (owner_a.community_id, manager_b.community_id)
    with factory() as session:
        start = versions(session, ids)
    run_bookkeeping(mark_notifications_seen, viewer=owner_a, at=DEMO_NOW)
    open_orders(owner_a.community_id)
    with factory() as session:
        assert versions(session, ids) == start
    run_command(a_repair, viewer=owner_a, description="单元门禁刷卡无反应")
    with factory() as session:
        after = versions(session, ids)
    assert after == {owner_a.community_id: start[owner_a.community_id] + 1,
                     manager_b.community_id: start[manager_b.community_id]}  # fmt: skip
