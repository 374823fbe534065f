"""A copied login cookie is worthless after logout or a password reset (issue 7).

The attacker's browser is a fresh context holding only the copied cookie: it must get the login
form, not the owner's pages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Cookie, expect

from tests.browser.conftest import (
    AUTH_COOKIE,
    ROOT,
    log_in,
    serve_app,
    wait_for_auth_cookie,
    wait_idle,
)

pytestmark = pytest.mark.browser


def _copied_cookie(cookies: list[Cookie]) -> Cookie:
    return next(c for c in cookies if c["name"] == AUTH_COOKIE)


def _replay(browser: Browser, url: str, cookie: Cookie) -> None:
    """Open the app in a fresh browser that holds only the copied cookie: login form expected."""
    context = browser.new_context(locale="zh-CN")
    context.add_cookies([{**cookie}])  # a copy typed as add_cookies wants (SetCookieParam)
    page = context.new_page()
    page.goto(url)
    wait_idle(page)
    expect(page.get_by_role("textbox", name="用户名")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("处理中的工单")).to_have_count(0)
    context.close()


def test_copied_cookie_is_refused_after_logout_and_after_password_reset(
    browser: Browser, live_demo_database: Path, tmp_path: Path
) -> None:
    with serve_app(live_demo_database, tmp_path) as url:
        # The copied cookie works while the session lives (the control case).
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        log_in(page, url, "owner_a")
        expect(page.get_by_role("heading", name="翠湖花园")).to_be_visible(timeout=30_000)
        cookie = _copied_cookie(context.cookies())
        thief = browser.new_context(locale="zh-CN")
        thief.add_cookies([{**cookie}])
        stolen = thief.new_page()
        stolen.goto(url)
        wait_idle(stolen)
        expect(stolen.get_by_role("heading", name="翠湖花园")).to_be_visible(timeout=30_000)
        thief.close()

        # 1. Logout: the copied cookie names a revoked session.
        page.get_by_role("button", name="退出登录").click()
        wait_idle(page)
        wait_for_auth_cookie(page, present=False)
        _replay(browser, url, cookie)

        # 2. Password reset from the command line ends every session of the account.
        log_in(page, url, "owner_a")
        expect(page.get_by_role("heading", name="翠湖花园")).to_be_visible(timeout=30_000)
        cookie = _copied_cookie(context.cookies())
        reset = subprocess.run(
            [sys.executable, "manage.py", "--database-url", f"sqlite:///{tmp_path / 'demo.db'}",
             "users", "reset-password", "owner_a", "--password-stdin"],
            cwd=ROOT, input="a-brand-new-password\n", capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert reset.returncode == 0, reset.stderr
        _replay(browser, url, cookie)
        # The owner's own tab is logged out at its next run, too.
        page.reload()
        wait_idle(page)
        expect(page.get_by_role("textbox", name="用户名")).to_be_visible(timeout=30_000)
        context.close()


def test_made_up_names_from_one_browser_do_not_lock_out_another(
    browser: Browser, live_demo_database: Path, tmp_path: Path
) -> None:
    """The reported lockout (issue 14): a server listening on every address, as a bare
    ``streamlit run`` does, sees a browser at http://127.0.0.1 as ``::ffff:127.0.0.1``; five
    failures with invented names from one browser then refused every correct password from
    any other browser on that address (an office proxy, a carrier NAT) for 15 minutes."""
    with serve_app(live_demo_database, tmp_path, address="::") as url:
        attacker = browser.new_context(locale="zh-CN").new_page()
        for i in range(5):
            log_in(attacker, url, f"made-up-{i}", "not-the-password", expect_success=False)
            expect(attacker.get_by_text("用户名或密码不正确")).to_be_visible()
        owner = browser.new_context(locale="zh-CN").new_page()
        log_in(owner, url, "owner_a")  # the right password, from the same address
        expect(owner.get_by_role("button", name="退出登录")).to_be_visible(timeout=30_000)
        attacker.context.close()
        owner.context.close()


@pytest.mark.parametrize(("https", "secure"), [("1", True), ("0", False)])
def test_the_login_cookie_is_secure_when_served_over_https(
    browser: Browser, live_demo_database: Path, tmp_path: Path, https: str, secure: bool
) -> None:
    """Behind an HTTPS front door (OWNER_DASHBOARD_HTTPS=1) the browser holds the login cookie
    with the Secure flag, so it is never sent over plain HTTP (Chromium accepts Secure cookies
    from 127.0.0.1, a trustworthy origin, which lets this test see the flag)."""
    with serve_app(live_demo_database, tmp_path, extra_env={"OWNER_DASHBOARD_HTTPS": https}) as url:
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        log_in(page, url, "owner_a")
        cookie = _copied_cookie(context.cookies())
        assert cookie["secure"] is secure
        assert cookie["sameSite"] == "Strict"
        context.close()
