"""After ``sync hc`` into an empty database (migrate, no seed), every page works on the synced
data: for a manager created afterwards and for an owner whose shadow account was activated."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from connectors.hc.sync import sync_hc
from data_access.accounts.login_security import activate_user, create_user
from data_access.db import make_engine, make_session_factory, migrate, write_session
from data_access.jobs.runs import request_run, start_run
from data_access.models import WorkOrder
from data_access.sync.sources import HcSource
from tests.conftest import ROOT
from tests.connectors.hc.fixture import C1, load_hc
from tests.pages.conftest import log_in, texts
from tests.support.cli import run_manage
from tests.support.mariadb import MariaDBServer
from ui.loaders import cache, sources
from ui.navigation import PAGES
from worker.jobs import standard_jobs
from worker.runner import Worker

PASSWORD = "synced-Pass-2026"
NOW = dt.datetime(2026, 11, 20, 12, 0)


@pytest.mark.parametrize(
    ("username", "role"), [("hc_manager", "manager"), ("13800000002", "owner")]
)
def test_every_page_works_on_synced_data(
    mariadb_server: MariaDBServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    username: str,
    role: str,
) -> None:
    url = f"sqlite:///{tmp_path / 'synced.db'}"
    engine = make_engine(url)
    migrate(engine)
    factory = make_session_factory(engine)
    _, source = load_hc(mariadb_server)
    sync_hc(factory=factory, url=source, communities={C1: "CUIHU"}, now=NOW)
    with write_session(factory) as session:
        if role == "manager":
            create_user(session=session, username=username, display_name="物业经理",
                        password=PASSWORD, role="manager", community_code="CUIHU", now=NOW)  # fmt: skip
        else:
            activate_user(session=session, username=username, password=PASSWORD)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("MEDIA_DIR", str(tmp_path / "media"))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    log_in(app, username, PASSWORD)
    assert not app.exception
    assert "翠湖花园" in texts(app)
    for spec in PAGES:
        if role not in spec.roles or spec.file in ("order_detail.py", "ticket_detail.py"):
            continue
        app.switch_page(str(ROOT / "pages" / spec.file)).run()
        assert not app.exception, (spec.file, app.exception)
        assert not app.error, (spec.file, [e.value for e in app.error])


def synced_with_a_manager(
    mariadb_server: MariaDBServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    now: dt.datetime,
) -> tuple[str, sessionmaker[Session], str]:
    """A database filled only by a sync at ``now``, a manager ``hc_manager``, and the app
    pointed at it: (its URL, its sessions, the HC source URL)."""
    url = f"sqlite:///{tmp_path / 'synced.db'}"
    engine = make_engine(url)
    migrate(engine)
    factory = make_session_factory(engine)
    _, source = load_hc(mariadb_server)
    sync_hc(factory=factory, url=source, communities={C1: "CUIHU"}, now=now)
    with write_session(factory) as session:
        create_user(session=session, username="hc_manager", display_name="物业经理",
                    password=PASSWORD, role="manager", community_code="CUIHU", now=NOW)  # fmt: skip
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("MEDIA_DIR", str(tmp_path / "media"))
    return url, factory, source


def test_a_synced_contract_says_its_terms_are_unrecorded_until_the_company_records_them(
    mariadb_server: MariaDBServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fee nobody told us is not 0.00: the overview says the terms are not recorded, and
    ``manage.py contracts record`` writes the real ones (the targets drive the KPI cards)."""
    monkeypatch.setattr(cache, "VERSION_FRESH_S", 0.5)
    url, _, _ = synced_with_a_manager(mariadb_server, tmp_path, monkeypatch, NOW)

    def overview() -> str:
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        log_in(app, "hc_manager", PASSWORD)
        assert not app.exception
        return texts(app)

    before = overview()
    assert "合同条款(服务等级、物业费、合同期)尚未登记" in before
    assert "0.00" not in before and "物业费" in before  # only in the "not recorded" sentence
    assert "目标 90.0%" in before  # the default timeliness target

    refused = run_manage("--database-url", url, "contracts", "record", "CUIHU", "--fee", "0")
    assert refused.returncode == 2 and "物业费应为大于 0" in refused.stderr
    refused = run_manage("--database-url", url, "contracts", "record", "CUIHU",
                         "--target", "timeliness=85")  # fmt: skip
    assert refused.returncode == 2 and "timeliness=85" in refused.stderr
    refused = run_manage("--database-url", url, "contracts", "record", "NOPE", "--level", "一级")
    assert refused.returncode == 2 and "CUIHU" in refused.stderr  # the known codes are listed

    done = run_manage("--database-url", url, "contracts", "record", "CUIHU", "--fee", "3.2",
                      "--level", "一级", "--target", "timeliness=0.85")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "fee_per_m2_month: 未登记 / not recorded → 3.2" in done.stdout
    assert "target_timeliness: 0.9 → 0.85" in done.stdout
    # The command is another process: the page sees its write once the community's data
    # version is read again (no cache is emptied).
    time.sleep(cache.VERSION_FRESH_S)
    after = overview()
    assert "服务等级 一级 · 物业费 3.20 元/㎡·月" in after
    assert "尚未登记" not in after
    assert "目标 85.0%" in after and "目标 90.0%" in after  # timeliness changed, the rest stay

    again = run_manage("--database-url", url, "contracts", "record", "CUIHU", "--fee", "3.20")
    assert again.returncode == 0 and "没有变化" in again.stdout


def test_data_sources_shows_the_sync_and_a_manager_asks_for_one(
    mariadb_server: MariaDBServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """数据来源 for a synced community: the source, the data's age, the last run's counts and
    findings; 立即同步 asks the worker, which runs the sync at its next round; a failing
    source is named by its kind."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    _, factory, source = synced_with_a_manager(mariadb_server, tmp_path, monkeypatch, now)
    page = str(ROOT / "pages" / "data_sources.py")
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    log_in(app, "hc_manager", PASSWORD)
    app.switch_page(page).run()
    assert not app.exception
    shown = texts(app)
    assert "同步正常" in shown and "全量对账" in shown
    kinds = next(d.value for d in app.dataframe if "类别" in d.value.columns).set_index("类别")
    with factory() as session:
        orders = session.scalar(select(func.count()).select_from(WorkOrder))
    assert kinds.loc["工单", "新增"] == orders

    with write_session(factory) as session:  # the worker synced just now: not due for an hour
        start_run(session, job="sync_hc", holder="earlier", token=0, now=now)
    app.button(key="sources_sync_now").click().run()
    assert "请求同步,等待后台任务执行" in texts(app)
    assert not [b for b in app.button if b.key == "sources_sync_now"]  # one request at a time
    hc_source = HcSource(url=source, communities={C1: "CUIHU"}, every=dt.timedelta(hours=1))
    worker = Worker(factory, [j for j in standard_jobs([hc_source]) if j.name == "sync_hc"])
    assert worker.tick() == ["sync_hc"]  # due because asked
    sources.data_sources.clear()
    app.run()
    shown = texts(app)
    assert "等待后台任务执行" not in shown and "后台任务最近一次同步" in shown

    broken = HcSource(url=source.replace(f":{mariadb_server.port}/", ":1/"))
    with write_session(factory) as session:
        request_run(session, job="sync_hc", requested_by_id=None, now=now)
    worker.jobs = [j for j in standard_jobs([broken]) if j.name == "sync_hc"]
    assert worker.tick() == ["sync_hc"]  # the same worker: it holds the lease
    sources.data_sources.clear()
    app.run()
    assert "同步失败:无法连接来源数据库" in texts(app)
