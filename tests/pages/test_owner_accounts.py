"""业主账号 and the login page's 首次登录 through AppTest on the demo data (issue 22, item 1):
a manager imports a roster, prints letters, and the owner opens the account with the code."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from data_access.db import make_engine, make_session_factory
from data_access.models import Account
from tests.conftest import ROOT
from tests.outbox.support import configure
from tests.pages.conftest import APP, DEMO_NOW, log_in, texts
from tests.support.fake_apis import smtp_server
from worker import jobs

ACCOUNTS = str(ROOT / "pages" / "accounts.py")
ROSTER = "姓名,手机号,楼栋,单元,房号,建筑面积\n周新业,13955550001,99栋,1,101,88\n吴新业,139555,99栋,1,102,88\n"


def set_password_with_code(login: str, code: str, password: str) -> AppTest:
    """The login page's 首次登录 form, filled and sent by a browser without a session."""
    page = AppTest.from_file(APP, default_timeout=60)
    page.run()
    page.text_input(key="code_username").input(login)
    page.text_input(key="code_code").input(code)
    page.text_input(key="code_password").input(password)
    page.text_input(key="code_password_again").input(password)
    page.button(key="FormSubmitter:code_form-设置密码").click().run()
    return page


def test_a_manager_imports_a_roster_prints_a_letter_and_the_owner_opens_the_account(
    app: AppTest, demo_url: str
) -> None:
    log_in(app, "manager_a")
    app.switch_page(ACCOUNTS).run()
    assert not app.exception
    app.file_uploader(key="roster_file").set_value(("roster.csv", ROSTER.encode(), "text/csv"))
    app.run()
    app.button(key="roster_check").click().run()
    assert "共 2 行,1 行可导入。" in texts(app)
    assert "第 3 行未导入:手机号格式不正确" in texts(app)
    app.button(key="roster_import").click().run()
    assert "新建业主 1 位" in texts(app)
    app.selectbox(key="letters_building").select_index(
        app.selectbox(key="letters_building").options.index("99栋")
    ).run()
    app.button(key="letters_issue").click().run()
    assert not app.exception
    assert "已生成 1 份开通函" in texts(app)
    # the code exists only in this download: read it back from the CSV the page holds
    letters = app.session_state["_account_letters"]
    reader = PdfReader(io.BytesIO(letters.pdf))
    page = reader.pages[0].extract_text()
    assert "139****0001" in page and "13955550001" not in page  # masked under a door
    row = letters.csv.decode("utf-8-sig").splitlines()[1].split(",")
    assert row[:4] == ["周新业", "13955550001", "99栋1单元101", "13955550001"]
    code = row[4]
    assert code in page

    owner = set_password_with_code("13955550001", code, "Zhou-xinmima-1")
    assert "密码已设置,请在上方登录。" in texts(owner)
    log_in(owner, "13955550001", "Zhou-xinmima-1")
    assert not owner.exception
    assert "周新业" in texts(owner)
    # used once: the same code does not work again
    again = set_password_with_code("13955550001", code, "Another-pass-2")
    assert "登录名或验证码不正确、已使用或已过期。" in texts(again)


def test_a_manager_disables_an_account_and_its_owner_is_logged_out(
    app: AppTest, demo_url: str
) -> None:
    owner = AppTest.from_file(APP, default_timeout=60)
    log_in(owner, "owner_a")
    assert "退出登录" in str(owner.sidebar.button)
    log_in(app, "manager_a")
    app.switch_page(ACCOUNTS).run()
    app.text_input(key="accounts_search").input("owner_a").run()
    with make_session_factory(make_engine(demo_url))() as session:
        owner_id = session.scalars(select(Account.id).where(Account.username == "owner_a")).one()
    app.button(key=f"disable_{owner_id}").click().run()
    assert "的账号,其登录已全部退出。" in texts(app)
    owner.run()
    assert "该账号已停用或不存在" in texts(owner) or owner.text_input(key="login_username")
    app.selectbox(key="accounts_state").set_value("disabled").run()
    app.button(key=f"enable_{owner_id}").click().run()
    assert "已恢复" in texts(app)


def test_another_communitys_owner_is_not_found(app: AppTest) -> None:
    log_in(app, "manager_a")
    app.switch_page(ACCOUNTS).run()
    app.text_input(key="accounts_search").input("owner_b").run()
    assert "没有符合条件的账号。" in texts(app)


def test_a_forgotten_password_is_recovered_with_a_code_sent_by_email(
    demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """忘记密码 on the login page: the code goes out through a real mail server by the worker's
    delivery round, and sets a new password; the old one no longer works."""
    factory = make_session_factory(make_engine(demo_url))
    with factory() as session:
        owner = session.scalars(select(Account).where(Account.username == "owner_a")).one()
        owner.email = "owner.a@example.cn"
        session.commit()
    with smtp_server() as (mailbox, port):
        configure(monkeypatch, "email")
        monkeypatch.setenv("SMTP_URL", f"smtp://127.0.0.1:{port}")
        jobs._senders.cache_clear()
        page = AppTest.from_file(APP, default_timeout=60)
        page.run()
        page.text_input(key="code_request_username").input("owner_a")
        page.button(key="FormSubmitter:code_request_form-发送验证码").click().run()
        assert not page.exception
        assert mailbox.mails == []  # written to the outbox with the request, sent by the worker
        assert jobs.deliver_messages(factory, DEMO_NOW).params["sent"] == 1
        (mail,) = mailbox.mails
    assert mail["To"] == "owner.a@example.cn"
    found = re.search(r"验证码 ([0-9A-Z]{4}-[0-9A-Z]{4})", mail.get_content())  # 27X4-9BCA
    assert found is not None

    done = set_password_with_code("owner_a", found.group(1), "Recovered-2026!")
    assert "密码已设置,请在上方登录。" in texts(done)
    new = log_in(AppTest.from_file(APP, default_timeout=60), "owner_a", "Recovered-2026!")
    assert "翠湖花园" in texts(new)
    old = log_in(AppTest.from_file(APP, default_timeout=60), "owner_a")
    assert "用户名或密码不正确" in texts(old)


def test_a_manager_issues_a_new_code_for_one_account(app: AppTest, demo_url: str) -> None:
    """查找账号 → 新验证码: one letter for the chosen owner (activated or not), whose old codes
    stop working."""
    log_in(app, "manager_a")
    app.switch_page(ACCOUNTS).run()
    app.text_input(key="accounts_search").input("owner_a").run()
    chosen = app.selectbox(key="accounts_chosen").value
    app.button(key=f"code_{chosen}").click().run()
    assert not app.exception
    assert "已生成 1 份开通函" in texts(app)
    row = app.session_state["_account_letters"].csv.decode("utf-8-sig").splitlines()[1].split(",")
    assert row[3] == "owner_a"
    done = set_password_with_code("owner_a", row[4], "Fresh-Code-2026!")
    assert "密码已设置,请在上方登录。" in texts(done)
