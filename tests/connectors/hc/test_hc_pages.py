"""After ``sync hc`` into an empty database (migrate, no seed), every page works on the synced
data: for a manager created afterwards and for an owner whose shadow account was activated."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from connectors.hc.sync import sync_hc
from data_access.accounts.login_security import activate_user, create_user
from data_access.db import make_engine, make_session_factory, migrate, write_session
from tests.conftest import ROOT
from tests.connectors.hc.fixture import C1, load_hc
from tests.pages.conftest import log_in, texts
from tests.support.mariadb import MariaDBServer
from ui.navigation import PAGES

PASSWORD = "synced-Pass-2026"
NOW = dt.datetime(2026, 11, 20, 12, 0)


@pytest.mark.parametrize(("username", "role"), [("hc_manager", "manager"), ("hc-7702", "owner")])
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
