"""Login: one generic failure message, the viewer from the database, refusal to start unsafely."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from data_access.accounts.login_security import (
    LOCKOUT_ATTEMPTS,
    LOCKOUT_WINDOW,
    decode_session_cookie,
    disable_user,
    encode_session_cookie,
    reset_password,
    set_role,
)
from data_access.db import make_engine, make_session_factory, write_session
from data_access.models import Account, LoginSession
from data_access.settings import load_settings
from i18n import translate
from tests.pages.conftest import APP, DEMO_NOW, log_in, texts
from ui import clock

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


# --- login security (issue 7) -------------------------------------------------------------------
def _is_logged_in(at: AppTest) -> bool:
    return any(b.key == "app_logout" for b in at.button)


def _change(demo_url: str, change: Callable[[Session], None]) -> None:
    with write_session(make_session_factory(make_engine(demo_url))) as session:
        change(session)


def test_five_wrong_passwords_lock_the_form_with_the_same_message(
    app: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(LOCKOUT_ATTEMPTS):
        log_in(app, "owner_a", "wrong-password")
        assert [e.value for e in app.error] == [FAILED]
    log_in(app, "owner_a")  # the right password, while locked
    assert [e.value for e in app.error] == [FAILED]
    assert not _is_logged_in(app)
    # The lock expires by itself once the window has passed.
    later = DEMO_NOW + LOCKOUT_WINDOW
    monkeypatch.setattr(clock, "now_utc", lambda: later)
    log_in(app, "owner_a")
    assert not app.error and _is_logged_in(app)


def test_logout_ends_the_session_on_the_server(app: AppTest, demo_url: str) -> None:
    log_in(app, "owner_a")
    assert _is_logged_in(app)
    app.button(key="app_logout").click().run()
    assert not _is_logged_in(app)
    with make_session_factory(make_engine(demo_url))() as session:
        rows = session.scalars(select(LoginSession)).all()
    assert len(rows) == 1 and rows[0].revoked_at is not None  # a replayed cookie finds it dead


@pytest.mark.parametrize(
    ("change", "message_key"),
    [
        (
            lambda s: reset_password(session=s, username="owner_a", password="brand-new-pw"),
            "login.session_ended",
        ),
        (
            lambda s: set_role(session=s, username="owner_a", role="committee"),
            "login.session_ended",
        ),
        (lambda s: disable_user(session=s, username="owner_a"), "app.account_gone"),
    ],
    ids=["password reset", "role change", "disabled"],
)
def test_account_changes_end_sessions_on_every_device(
    demo_url: str, change: Callable[[Session], None], message_key: str
) -> None:
    phone = log_in(AppTest.from_file(APP, default_timeout=60), "owner_a")
    laptop = log_in(AppTest.from_file(APP, default_timeout=60), "owner_a")
    assert _is_logged_in(phone) and _is_logged_in(laptop)
    _change(demo_url, change)
    for device in (phone, laptop):
        device.run()
        assert not _is_logged_in(device)
        assert translate(message_key, "zh") in texts(device)
        assert device.text_input(key="login_username") is not None


def test_logout_on_one_device_keeps_the_other(demo_url: str) -> None:
    phone = log_in(AppTest.from_file(APP, default_timeout=60), "owner_a")
    laptop = log_in(AppTest.from_file(APP, default_timeout=60), "owner_a")
    phone.button(key="app_logout").click().run()
    laptop.run()
    assert not _is_logged_in(phone) and _is_logged_in(laptop)


def test_role_comes_from_the_database_not_the_session_state(app: AppTest, demo_url: str) -> None:
    """Tampering with what the session state says about the viewer changes nothing."""
    log_in(app, "owner_a")
    app.session_state["roles"] = ["manager"]
    app.session_state["username"] = "manager_a"
    app.session_state["authentication_status"] = True
    app.run()
    viewer = app.session_state["_current_viewer"]
    assert (viewer.username, viewer.role) == ("owner_a", "owner")


def test_a_forged_session_state_without_a_session_is_not_a_login(app: AppTest) -> None:
    """The old library's session keys alone (no server-side session) do not log anyone in."""
    app.session_state["authentication_status"] = True
    app.session_state["username"] = "manager_a"
    app.session_state["roles"] = ["manager"]
    app.session_state["_login_session_id"] = "guessed"
    app.run()
    assert not _is_logged_in(app)
    assert app.text_input(key="login_username") is not None


def test_cookie_signed_with_another_key_names_no_session() -> None:
    settings = load_settings()
    forged = encode_session_cookie(
        session_id="any", key="an-attacker-key-" * 3, expires_at=DEMO_NOW + dt.timedelta(days=1)
    )
    assert decode_session_cookie(forged, key=settings.cookie_key, now=DEMO_NOW) is None
