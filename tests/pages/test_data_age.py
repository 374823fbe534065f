"""Every page says where a synced community's data comes from and how old it is; while the
last sync failed, the pages keep the last good data and say so (issue 17)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from data_access.db import make_engine, make_session_factory, write_session
from data_access.models import Account, SyncLink, SyncRun
from tests.pages.conftest import log_in, texts
from ui.loaders.communities import sync_status


def _run(status: str, started: dt.datetime, error: str = "", key: str = "") -> SyncRun:
    return SyncRun(source="hc", source_label="mysql+pymysql://reader:***@hc.internal/hc",
                   full=True, dry_run=False, started_at=started, finished_at=started,
                   status=status, report="{}", error=error, error_key=key)  # fmt: skip


def test_the_age_of_synced_data_and_a_failed_sync(app: AppTest, demo_url: str) -> None:
    factory = make_session_factory(make_engine(demo_url))
    log_in(app, "owner_a")
    assert "最近一次成功同步" not in texts(app)  # a community no connector fills

    with write_session(factory) as session:
        community_id = session.scalar(
            select(Account.community_id).where(Account.username == "owner_a")
        )
        now = dt.datetime(2026, 11, 20, 3, 0)
        session.add(SyncLink(source="hc", kind="community", external_id="c1",
                             community_id=community_id, local_id=community_id,
                             fingerprint="", pending="", first_seen_at=now, changed_at=now))  # fmt: skip
        session.add(_run("succeeded", now))
    sync_status.clear()  # read once a minute; the test does not wait
    app.run()
    assert "数据来自 HC,最近一次成功同步于 2026-11-20 11:00" in texts(app)

    with write_session(factory) as session:
        session.add(_run("failed", now + dt.timedelta(hours=1), "无法连接来源数据库 hc.internal",
                         "sync.unreachable"))  # fmt: skip
    sync_status.clear()
    app.run()
    shown = texts(app)
    assert "最近一次同步未成功,页面显示的是 2026-11-20 11:00 同步的数据" in shown
    assert "hc.internal" not in shown  # the reason names the source: for managers only

    manager = AppTest.from_file(app._script_path, default_timeout=60)
    log_in(manager, "manager_a")
    shown = texts(manager)
    assert "最近一次同步失败:无法连接来源数据库。页面显示的是 2026-11-20 11:00 同步的数据" in shown
    assert "hc.internal" not in shown  # the address is in the command's output, not on pages
