"""Login: one generic failure message, the viewer from the database, refusal to start unsafely."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from data_access.db import make_engine
from data_access.models import Account
from i18n import translate
from tests.pages.conftest import APP, log_in, texts

FAILED = translate("login.failed", "zh")


def test_login_page_shows_the_form(app: AppTest) -> None:
    app.run()
    assert not app.exception
    assert app.text_input(key="login_username").label == "用户名"
    assert app.text_input(key="login_password").label == "密码"
    assert "业主透明看板" in texts(app)


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("owner_a", "wrong-password"),
        ("no_such_user", "demo-2026!"),
        ("", ""),
        ("owner_a", ""),
        ("", "demo-2026!"),
    ],
)
def test_every_failure_reads_the_same(app: AppTest, username: str, password: str) -> None:
    log_in(app, username, password)
    assert not app.exception
    assert [e.value for e in app.error] == [FAILED]
    assert app.text_input(key="login_username") is not None  # still on the login form
    assert not [b for b in app.button if b.key == "app_logout"]


def test_seeded_data_only_accounts_cannot_log_in(app: AppTest, demo_url: str) -> None:
    engine = make_engine(demo_url)
    with engine.connect() as conn:
        data_only = conn.scalar(
            Account.__table__.select()
            .with_only_columns(Account.username)
            .where(Account.password_hash == "!")
            .limit(1)
        )
    assert data_only
    log_in(app, data_only, "demo-2026!")
    assert [e.value for e in app.error] == [FAILED]


def test_an_account_disabled_mid_session_is_logged_out(app: AppTest, demo_url: str) -> None:
    log_in(app, "owner_a")
    assert app.button(key="app_logout") is not None  # logged in
    with make_engine(demo_url).begin() as conn:
        conn.execute(update(Account).where(Account.username == "owner_a").values(is_active=False))
    app.run()
    assert translate("app.account_gone", "zh") in texts(app)
    assert not [b for b in app.button if b.key == "app_logout"]
    assert app.text_input(key="login_username") is not None


@pytest.mark.parametrize(
    ("env", "expected_key"),
    [
        ({"OWNER_DASHBOARD_MODE": "production"}, "config.key_missing"),
        (
            {"OWNER_DASHBOARD_MODE": "production", "OWNER_DASHBOARD_COOKIE_KEY": "too-short"},
            "config.key_too_short",
        ),
    ],
)
def test_refuses_to_start_with_an_unsafe_key(
    demo_url: str, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected_key: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not app_has_login_form(at)
    message = at.error[0].value
    assert message.startswith("拒绝启动")
    assert message == translate(expected_key, "zh", length=9)


def app_has_login_form(at: AppTest) -> bool:
    return any(w.key == "login_username" for w in at.text_input)


@pytest.mark.parametrize(
    ("url", "detail"),
    [
        ("mysql://u@h/d", "不支持的数据库类型"),
        ("postgresql://nobody@127.0.0.1:1/none", "无法连接数据库"),
    ],
)
def test_database_problems_show_a_friendly_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, url: str, detail: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "服务暂时不可用" in at.error[0].value
    assert detail in texts(at)
